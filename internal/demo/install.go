package demo

import (
	"context"
	"fmt"

	"khienso/internal/audit"
	"khienso/internal/service"
	"khienso/internal/settings"
	"khienso/internal/setup"
	"khienso/internal/store"
)

// AdminEmail is the demo administrator's sign-in.
const AdminEmail = "admin@demo.khienso.vn"

// Install loads the demo province into an empty database through package
// setup (units, their history and merges, settings and the administrator
// in one transaction), then brings it to life as of the clock's day (nil:
// the real clock): its people, plans, tasks, activities and report rounds,
// made through the services as their users would, so the notifications and
// the audit log read as a working province's. It returns the
// administrator's one-time password.
func Install(ctx context.Context, st *store.Store, clock service.Clock) (password string, err error) {
	pl, err := Plan()
	if err != nil {
		return "", err
	}
	res, err := setup.Install(ctx, st, setup.Request{Plans: []*setup.Plan{pl}, Actor: audit.System,
		Admin: setup.Admin{Email: AdminEmail, Name: setup.DefaultAdminName}})
	if err != nil {
		return "", fmt.Errorf("demo province: %w", err)
	}
	if len(res.Installed) != 1 {
		return "", fmt.Errorf("demo province: province %s is already in the database", ProvinceCode)
	}
	// The demo deployment speaks Vietnamese to visitors who chose no
	// language, sends no e-mail (no mail server: reminders stay in the
	// app) and takes its public address from --base-url.
	if err := st.SetSettings(ctx, audit.System, settings.DeploymentScope, settings.Deployment{Language: "vi"}.Values()); err != nil {
		return "", fmt.Errorf("demo deployment settings: %w", err)
	}
	if err := bringToLife(ctx, st, clock); err != nil {
		return "", err
	}
	return res.Password, nil
}
