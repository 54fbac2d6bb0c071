// Package app wires Khiên Số together: the store, the services of every
// capability, the web core and the capability packages that register their
// pages and API routes on it, and the maintenance loops. It is the one place
// where parts meet; cmd/khienso and the tests call it.
package app

import (
	"context"
	"log/slog"
	"net/http"

	"khienso/internal/service"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/web"
	"khienso/internal/web/unitsweb"
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
	Units  *unitsvc.Service
	Web    *web.Server
}

// New wires an application over st. jobs bounds the background work that
// requests start (imports); it should end at shutdown.
func New(jobs context.Context, st *store.Store, log *slog.Logger, cfg Config) (*App, error) {
	a := &App{Store: st, Log: log, Access: service.NewAccess(st, cfg.Clock)}
	a.Units = unitsvc.New(st, a.Access, jobs, log)
	srv, err := web.New(jobs, st, log, cfg.Web)
	if err != nil {
		return nil, err
	}
	if err := unitsweb.Register(srv, a.Units); err != nil {
		return nil, err
	}
	a.Web = srv
	return a, nil
}

// Handler is the whole HTTP application with its middleware.
func (a *App) Handler() http.Handler { return a.Web.Handler() }

// RunMaintenance runs the loops every instance runs until ctx ends.
func (a *App) RunMaintenance(ctx context.Context) { a.Web.RunMaintenance(ctx) }
