package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"khienso/internal/app"
	"khienso/internal/demo"
	"khienso/internal/mail"
	"khienso/internal/progress"
	"khienso/internal/store"
	"khienso/internal/web"
)

func serve(ctx context.Context, args []string, logOut io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dsn := fs.String("db", defaultDB, "SQLite file path or postgres:// URL")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := fs.Bool("demo", false, "load the demo province (Nghệ An) into an empty database")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	secure := fs.String("secure-cookies", "auto", "mark cookies Secure: auto (unless on loopback), true, false")
	trustProxy := fs.Bool("trust-proxy", false, "deprecated: same as --trusted-proxies 127.0.0.0/8,::1")
	trustedProxies := fs.String("trusted-proxies", "", "comma-separated CIDR ranges of load balancers whose X-Forwarded-For is believed, e.g. 10.0.0.0/8 (the client is the right-most address not in them)")
	smtpURL := fs.String("smtp", os.Getenv("KHIENSO_SMTP"), "SMTP server for e-mail reminders, e.g. smtp://user:pass@mail.example.vn:587?from=no-reply@example.vn, used while the Settings page names none (default $KHIENSO_SMTP; both empty: reminders only in the app)")
	baseURL := fs.String("base-url", os.Getenv("KHIENSO_BASE_URL"), "public address of the site, for links in e-mails, used while the Settings page sets none (default $KHIENSO_BASE_URL, else http://ADDR)")
	metricsToken := fs.String("metrics-token", os.Getenv("KHIENSO_METRICS_TOKEN"), "bearer token a scraper must present to read /metrics (default $KHIENSO_METRICS_TOKEN; empty: /metrics is open)")
	instance := fs.String("instance", "", "name of this instance, sent in the X-Khienso-Instance response header (to tell instances apart behind a load balancer)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(*logFormat, logOut)
	if err != nil {
		return err
	}
	proxies, err := web.ParseTrustedProxies(*trustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if *trustProxy {
		log.Warn("--trust-proxy is deprecated: it trusts only loopback; use --trusted-proxies CIDR,…")
		proxies = append(proxies, web.LoopbackProxies...)
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "versions", applied)
	}
	if err := progress.InstallDefaults(ctx, st); err != nil {
		return err
	}
	if *withDemo {
		if err := loadDemo(ctx, st, log); err != nil {
			return err
		}
	} else if n, err := st.UnitCount(ctx); err == nil && n == 0 {
		// Nobody could sign in: say how to get a province and its administrator.
		log.Warn("the database has no unit yet: set up a province with `khienso init --province CODE --admin-email E` (or --country), or serve --demo")
	}
	cfg := web.Config{TrustedProxies: proxies, Version: version}
	cfg.MetricsToken, cfg.Instance = *metricsToken, *instance
	appCfg := app.Config{BaseURL: strings.TrimSuffix(*baseURL, "/")}
	if appCfg.BaseURL == "" {
		appCfg.BaseURL = "http://" + *addr
	}
	if *smtpURL != "" {
		mc, err := mail.ParseURL(*smtpURL)
		if err != nil {
			return fmt.Errorf("--smtp: %w", err)
		}
		appCfg.SMTP = &mc
		log.Info("e-mail reminders enabled unless the settings name another server", "smtp", mc.Redacted())
	}
	switch *secure {
	case "auto":
		host, _, _ := net.SplitHostPort(*addr)
		ip := net.ParseIP(host)
		cfg.SecureCookies = !(host == "localhost" || (ip != nil && ip.IsLoopback()))
	case "true":
		cfg.SecureCookies = true
	case "false":
	default:
		return fmt.Errorf("--secure-cookies must be auto, true or false")
	}
	jobs, cancelJobs := context.WithCancel(context.Background())
	defer cancelJobs()
	appCfg.Web = cfg
	srv, err := app.New(jobs, st, log, appCfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.RunMaintenance(ctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("Khiên Số is serving", "url", "http://"+ln.Addr().String(), "engine", st.Engine(), "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(shutCtx)
	cancelJobs()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo installs the demo province if the database holds no unit yet.
func loadDemo(ctx context.Context, st *store.Store, log *slog.Logger) error {
	n, err := st.UnitCount(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("database already has units; demo province not loaded", "units", n)
		return nil
	}
	start := time.Now()
	password, err := demo.Install(ctx, st, nil)
	if err != nil {
		return fmt.Errorf("load demo province: %w", err)
	}
	log.Info("demo province loaded", "province", "Nghệ An", "duration", time.Since(start).Round(time.Millisecond))
	// Shown once: the account must choose a new password at first sign-in.
	log.Warn("administrator created: sign in and change this one-time password",
		"email", demo.AdminEmail, "one_time_password", password)
	return nil
}

func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	if dsn == "" {
		return nil, errors.New("--db is empty")
	}
	return store.Open(ctx, dsn)
}
