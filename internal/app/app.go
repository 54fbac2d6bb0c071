// Package app wires Khiên Số together: the store, the services of every
// capability, the web core and the capability packages that register their
// pages and API routes on it, and the maintenance loops. It is the one place
// where parts meet; cmd/khienso and the tests call it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"khienso/internal/mail"
	"khienso/internal/progress"
	"khienso/internal/reminders"
	"khienso/internal/service"
	"khienso/internal/service/accountsvc"
	"khienso/internal/service/activitysvc"
	"khienso/internal/service/homesvc"
	"khienso/internal/service/notifysvc"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/settingsvc"
	"khienso/internal/service/tasksvc"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/web"
	"khienso/internal/web/accountsweb"
	"khienso/internal/web/activitiesweb"
	"khienso/internal/web/homeweb"
	"khienso/internal/web/plansweb"
	"khienso/internal/web/reportsweb"
	"khienso/internal/web/settingsweb"
	"khienso/internal/web/tasksweb"
	"khienso/internal/web/unitsweb"
)

// Config is what the application needs besides its store and logger.
type Config struct {
	Web web.Config
	// Clock tells the time to the services; nil is the real clock.
	Clock service.Clock
	// SMTP (--smtp) sends e-mail while the deployment settings name no mail
	// server; nil: none.
	SMTP *mail.Config
	// BaseURL (--base-url) is the address in e-mailed links while the
	// deployment settings set none.
	BaseURL string
}

// App is a wired application instance: one service per capability, the
// web front and the reminder runner.
type App struct {
	Store  *store.Store
	Log    *slog.Logger
	Access *service.Access

	Units      *unitsvc.Service
	Accounts   *accountsvc.Service
	Notify     *notifysvc.Service
	Home       *homesvc.Service
	Plans      *plansvc.Service
	Tasks      *tasksvc.Service
	Activities *activitysvc.Service
	Reports    *reportsvc.Service
	Settings   *settingsvc.Service

	Web *web.Server
	// reminders sends report reminders; every instance runs it and the
	// database makes each reminder go out once.
	reminders *reminders.Runner
	// notifyMail e-mails the notifications that ask for it, each once.
	notifyMail *notifysvc.Mailer
}

// New wires an application over st. jobs bounds the background work that
// requests start (imports); it should end at shutdown.
func New(jobs context.Context, st *store.Store, log *slog.Logger, cfg Config) (*App, error) {
	a := &App{Store: st, Log: log, Access: service.NewAccess(st, cfg.Clock)}

	// Services: every rule lives in one of them.
	prog := &progress.Service{Store: st}
	a.Units = unitsvc.New(st, a.Access, jobs, log)
	a.Accounts = accountsvc.New(st, a.Access)
	a.Notify = notifysvc.New(st)
	a.Plans = plansvc.New(st, a.Access, prog)
	a.Tasks = tasksvc.New(st, a.Access, a.Plans)
	a.Activities = activitysvc.New(st, a.Access, a.Plans)
	a.Reports = reportsvc.New(st, a.Access, prog, log)
	a.Home = homesvc.New(a.Access, a.Units, a.Reports, a.Tasks, a.Plans, a.Notify)
	a.Settings = settingsvc.New(st, a.Access, settingsvc.Config{SMTP: cfg.SMTP, BaseURL: cfg.BaseURL, Log: log})
	host, _ := os.Hostname()
	// Reminders read the mail server and the links' address from the
	// settings at each pass, so a change applies without a restart.
	a.reminders = &reminders.Runner{Store: st, Outbox: a.Settings, Log: log,
		Instance: fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())}
	a.notifyMail = &notifysvc.Mailer{Store: st, Outbox: a.Settings, Log: log, Instance: a.reminders.Instance}

	// Web: the core, then each capability registers its pages and API.
	webCfg := cfg.Web
	webCfg.DefaultLanguage = a.Settings.Language
	srv, err := web.New(jobs, st, log, webCfg)
	if err != nil {
		return nil, err
	}
	a.Web = srv
	for _, register := range []func() error{
		func() error { return unitsweb.Register(srv, a.Units) },
		func() error { return accountsweb.Register(srv, a.Accounts) },
		func() error { return homeweb.Register(srv, a.Notify, a.Home) },
		func() error { return plansweb.Register(srv, a.Plans) },
		func() error { return tasksweb.Register(srv, a.Tasks) },
		func() error { return activitiesweb.Register(srv, a.Activities) },
		func() error { return reportsweb.Register(srv, a.Reports) },
		func() error { return settingsweb.Register(srv, a.Settings) },
	} {
		if err := register(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Handler is the whole HTTP application with its middleware.
func (a *App) Handler() http.Handler { return a.Web.Handler() }

// RunMaintenance purges expired sessions and old login failures and marks
// failed the import jobs interrupted by a stop, at start and every ten
// minutes, and runs the reminder, task-due and notification e-mail passes
// every minute, until ctx ends. Every
// instance runs it; the deletes are idempotent and each reminder is claimed
// by one instance.
func (a *App) RunMaintenance(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for tick := 0; ; tick++ {
		if tick%10 == 0 {
			if err := a.Store.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("purge expired sessions", "err", err)
			}
			if n, err := a.Units.FailStaleJobs(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("fail stale import jobs", "err", err)
			} else if n > 0 {
				a.Log.Info("import jobs interrupted by a stop marked failed", "count", n)
			}
		}
		if n, err := a.reminders.Pass(ctx, a.Access.Today()); err != nil && ctx.Err() == nil {
			a.Log.Warn("send reminders", "err", err)
		} else if n > 0 {
			a.Log.Info("reminders sent", "count", n)
		}
		if _, err := a.Tasks.NoticePass(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("task due notices", "err", err)
		}
		if _, err := a.notifyMail.Pass(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("e-mail notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
