package demo

import (
	"context"
	"fmt"
	"khienso/internal/progress"
	"sort"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/units"
)

// AdminEmail is the demo administrator's sign-in.
const AdminEmail = "admin@demo.khienso.vn"

// Install loads the demo province into an empty database in one transaction
// (units, their history and merges, deployment settings) and creates the
// administrator, whose one-time password it returns.
func Install(ctx context.Context, st *store.Store) (password string, err error) {
	ds, err := Load()
	if err != nil {
		return "", err
	}
	ids := map[string]int64{}
	types := map[string]string{}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		for _, d := range ds.Units {
			u := &units.Unit{Code: d.Code, Name: d.Name, ShortName: d.ShortName, Type: units.Type(d.Type),
				SchoolLevel: units.SchoolLevel(d.SchoolLevel), HeadcountYear: d.HeadcountYear}
			if d.StaffCount > 0 {
				u.StaffCount = &d.StaffCount
			}
			if d.PupilCount > 0 {
				u.PupilCount = &d.PupilCount
			}
			if u.ValidFrom, err = dates.Parse(d.ValidFrom); err != nil {
				return fmt.Errorf("demo unit %s: %w", d.Code, err)
			}
			// Units end through their merge below, which keeps the history.
			if err := tx.CreateUnit(ctx, audit.System, u, ids[d.ParentCode]); err != nil {
				return fmt.Errorf("demo unit %s: %w", d.Code, err)
			}
			ids[d.Code], types[d.Code] = u.ID, d.Type
		}
		// Communes merge before districts, so a district has no units left
		// under it when it ends.
		merges := append([]Merge(nil), ds.Merges...)
		sort.SliceStable(merges, func(i, j int) bool {
			return types[merges[i].Sources[0]] == "commune" && types[merges[j].Sources[0]] != "commune"
		})
		for _, m := range merges {
			day, err := dates.Parse(m.Date)
			if err != nil {
				return fmt.Errorf("demo merge into %s: %w", m.Target, err)
			}
			req := store.MergeRequest{TargetID: ids[m.Target], Date: day}
			for _, src := range m.Sources {
				req.SourceIDs = append(req.SourceIDs, ids[src])
			}
			if _, err := tx.MergeUnits(ctx, audit.System, req); err != nil {
				return fmt.Errorf("demo merge into %s: %w", m.Target, err)
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	// The documents of the demo come out complete: header, signer and
	// recipients as the Department of Science and Technology would set them.
	set := settings.Province{
		CoordinatorID:   ids["40-SKHCN"],
		ParentBody:      "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
		IssuingBody:     "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
		Place:           "Nghệ An",
		Symbol:          "SKHCN",
		SignerAuthority: []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"},
		SignerName:      "Nguyễn Văn Hùng",
		Recipients: []string{"UBND tỉnh (để b/c)", "Bộ Khoa học và Công nghệ (để b/c)", "Công an tỉnh",
			"Các sở, ban, ngành; UBND các xã, phường"},
		Receivers: []string{"Ủy ban nhân dân tỉnh Nghệ An", "Bộ Khoa học và Công nghệ"},
	}
	// The demo deployment speaks Vietnamese to visitors who chose no
	// language, sends no e-mail (no mail server: reminders stay in the
	// app) and takes its public address from --base-url.
	dep := settings.Deployment{Language: "vi"}
	if err := st.ChangeSettings(ctx, audit.System, store.SettingsChange{Scope: ids[ProvinceCode], Values: set.Values()},
		store.SettingsChange{Scope: settings.DeploymentScope, Values: dep.Values()}); err != nil {
		return "", err
	}
	if err := progress.InstallDefaults(ctx, st); err != nil {
		return "", err
	}
	if err := installPlans(ctx, st, dates.Today()); err != nil {
		return "", fmt.Errorf("demo plans: %w", err)
	}
	password = auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	admin := &auth.User{Email: AdminEmail, Name: "Quản trị hệ thống", UnitID: ids[ProvinceCode],
		Roles: []auth.Role{auth.RoleAdmin}, MustChangePassword: true}
	if err := st.CreateUser(ctx, audit.System, admin, hash); err != nil {
		return "", err
	}
	return password, nil
}
