// Command khienso runs Khiên Số: the web application and its maintenance
// commands (init, migrate, backup, user, token).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

var version = "dev"

const defaultDB = "./data/khienso.db"

const usage = `Khiên Số — nền tảng an toàn thông tin cấp tỉnh / provincial information-security platform

Usage:
  khienso init    --province CODE|NAME | --country [--history] [--coordinating-agency dst|police]
                  --admin-email E [--admin-name NAME] [--db DSN] [--lang vi|en]   (password on stdin, else one-time)
  khienso init --list
  khienso serve   [--db DSN] [--addr HOST:PORT] [--demo] [--log-format text|json]
  khienso migrate [--db DSN] [--status]
  khienso backup  --to FILE [--db PATH]
  khienso user add    --email E --role ROLE[,ROLE] --unit CODE [--name NAME] [--db DSN]   (password on stdin)
  khienso user passwd --email E [--db DSN]                                                 (password on stdin)
  khienso token create --user EMAIL [--name NAME] [--days 90] [--db DSN]
  khienso bench gen --db DSN [--units 10000] [--activities 5000000] [--from 2021] [--to 2025]
  khienso version

DSN is a SQLite file path (default ./data/khienso.db) or a postgres:// URL.
Roles: admin, coordinator, focal_point, viewer, police, learner.
Messages are in Vietnamese; KHIENSO_LANG=en prints them in English.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "khienso:", explain(cliLang(), err, nil))
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	lang := cliLang()
	switch cmd {
	case "init":
		return initCmd(ctx, rest, stdin, stdout)
	case "serve":
		return serve(ctx, rest, stderr)
	case "migrate":
		return migrate(ctx, lang, rest, stdout)
	case "backup":
		return backup(ctx, lang, rest, stdout)
	case "user":
		return userCmd(ctx, lang, rest, stdin, stdout)
	case "token":
		return tokenCmd(ctx, lang, rest, stdout)
	case "bench":
		return benchCmd(ctx, rest, stdout)
	case "version":
		fmt.Fprintln(stdout, "khienso", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return errors.New(lang.T("cli.err.command", cmd))
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}
