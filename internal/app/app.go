// Package app wires Khiên Số together: the store, the services of every
// capability, the web core and the capability packages that register their
// pages and API routes on it, and the maintenance loops. It is the one place
// where parts meet; cmd/khienso and the tests call it.
package app

import (
	"context"
	"log/slog"
	"net/http"

	"khienso/internal/progress"
	"khienso/internal/service"
	"khienso/internal/service/accountsvc"
	"khienso/internal/service/activitysvc"
	"khienso/internal/service/notifysvc"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/tasksvc"
	"khienso/internal/store"
	"khienso/internal/web"
	"khienso/internal/web/accountsweb"
	"khienso/internal/web/activitiesweb"
	"khienso/internal/web/homeweb"
	"khienso/internal/web/plansweb"
	"khienso/internal/web/reportsweb"
	"khienso/internal/web/tasksweb"
)

// Config is what the application needs besides its store and logger.
type Config struct {
	Web web.Config
	// Clock tells the time to the services; nil is the real clock.
	Clock service.Clock
}

// App is a wired application instance.
type App struct {
	Store  *store.Store
	Log    *slog.Logger
	Access *service.Access
	Web    *web.Server
	Plans  *plansvc.Service
}

// New wires an application over st. jobs bounds the background work that
// requests start (imports); it should end at shutdown.
func New(jobs context.Context, st *store.Store, log *slog.Logger, cfg Config) (*App, error) {
	a := &App{Store: st, Log: log, Access: service.NewAccess(st, cfg.Clock)}
	srv, err := web.New(jobs, st, log, cfg.Web)
	if err != nil {
		return nil, err
	}
	a.Web = srv

	// Services: every rule lives in one of them.
	prog := &progress.Service{Store: st}
	a.Plans = plansvc.New(st, a.Access, prog)
	planSvc := a.Plans
	taskSvc := tasksvc.New(st, a.Access, planSvc)
	activitySvc := activitysvc.New(st, a.Access, planSvc)
	reportSvc := reportsvc.New(st, a.Access, prog, log)
	accountSvc := accountsvc.New(st, a.Access)
	notifySvc := notifysvc.New(st)

	// Web packages: each registers its pages and API routes.
	for _, register := range []func() error{
		func() error { return plansweb.Register(srv, planSvc) },
		func() error { return tasksweb.Register(srv, taskSvc) },
		func() error { return activitiesweb.Register(srv, activitySvc) },
		func() error { return reportsweb.Register(srv, reportSvc) },
		func() error { return accountsweb.Register(srv, accountSvc) },
		func() error { return homeweb.Register(srv, notifySvc, a.Access) },
	} {
		if err := register(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Handler is the whole HTTP application with its middleware.
func (a *App) Handler() http.Handler { return a.Web.Handler() }

// RunMaintenance runs the loops every instance runs until ctx ends.
func (a *App) RunMaintenance(ctx context.Context) { a.Web.RunMaintenance(ctx) }
