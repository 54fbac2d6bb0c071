package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// cli is the audit actor for changes made from the command line.
var cli = audit.Actor{Label: "cli"}

func migrate(ctx context.Context, lang i18n.Lang, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dsn := fs.String("db", defaultDB, "SQLite file path or postgres:// URL")
	status := fs.Bool("status", false, "list migrations and whether each is applied, without applying")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if *status {
		list, err := st.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		pending := 0
		for _, m := range list {
			state := lang.T("cli.migrate.applied_at", m.AppliedAt)
			if m.AppliedAt == "" {
				state = lang.T("cli.migrate.pending")
				pending++
			}
			fmt.Fprintf(out, "%04d %-30s %s\n", m.Version, m.Name, state)
		}
		fmt.Fprintln(out, lang.T("cli.migrate.status", len(list), pending, st.Engine()))
		return nil
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, lang.T("cli.migrate.done", len(applied), fmt.Sprint(applied), st.Engine()))
	return nil
}

func backup(ctx context.Context, lang i18n.Lang, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dsn := fs.String("db", defaultDB, "SQLite file path")
	to := fs.String("to", "", "file to write the copy to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New(lang.T("cli.backup.err.to"))
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintln(out, lang.T("cli.backup.done", *to))
	return nil
}

// passwordHashFromStdin takes the password from the first line of stdin (so
// scripts can pipe it in and it never appears in the process list or shell
// history), checks it against the account's rule and, when currentHash is
// set, that it is not the password being replaced, and returns its hash.
func passwordHashFromStdin(in io.Reader, c auth.PasswordContext, currentHash string) (string, error) {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := auth.ValidatePassword("password", pw, c); err != nil {
		return "", err
	}
	if currentHash != "" {
		if same, err := auth.CheckPassword(currentHash, pw); err != nil {
			return "", err
		} else if same {
			return "", validation.Single("password", "auth.err.password_same")
		}
	}
	return auth.HashPassword(pw)
}

func userCmd(ctx context.Context, lang i18n.Lang, args []string, in io.Reader, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(lang.T("cli.user.err.subcommand"))
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	dsn := fs.String("db", defaultDB, "SQLite file path or postgres:// URL")
	email := fs.String("email", "", "the account's e-mail")
	switch sub {
	case "add":
		roles := fs.String("role", "", "role(s), comma-separated: "+auth.RoleNames())
		unitCode := fs.String("unit", "", "code of the unit the user belongs to")
		name := fs.String("name", "", "full name (default: the e-mail)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		st, err := openMigrated(ctx, *dsn)
		if err != nil {
			return err
		}
		defer st.Close()
		u, err := st.UnitByCode(ctx, *unitCode, dates.Today())
		if errors.Is(err, store.ErrNotFound) {
			return errors.New(lang.T("cli.user.err.unit", *unitCode))
		}
		if err != nil {
			return err
		}
		user := &auth.User{Email: *email, Name: *name, UnitID: u.ID}
		if user.Name == "" {
			user.Name = *email
		}
		for _, r := range strings.Split(*roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				user.Roles = append(user.Roles, auth.Role(r))
			}
		}
		if err := user.Validate(); err != nil {
			return err
		}
		hash, err := passwordHashFromStdin(in, auth.PasswordContext{Email: user.Email, Name: user.Name}, "")
		if err != nil {
			return err
		}
		if err := st.CreateUser(ctx, cli, user, hash); err != nil {
			return err
		}
		fmt.Fprintln(out, lang.T("cli.user.created", user.Email, user.ID, u.Name))
		return nil
	case "passwd":
		if err := fs.Parse(args); err != nil {
			return err
		}
		st, err := openMigrated(ctx, *dsn)
		if err != nil {
			return err
		}
		defer st.Close()
		u, err := existingUser(ctx, lang, st, *email)
		if err != nil {
			return err
		}
		_, old, err := st.UserByEmail(ctx, u.Email)
		if err != nil {
			return err
		}
		hash, err := passwordHashFromStdin(in, auth.PasswordContext{Email: u.Email, Name: u.Name}, old)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, cli, u.ID, hash, false, "", true); err != nil {
			return err
		}
		fmt.Fprintln(out, lang.T("cli.user.passwd", u.Email))
		return nil
	}
	return errors.New(lang.T("cli.user.err.unknown", sub))
}

func tokenCmd(ctx context.Context, lang i18n.Lang, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(lang.T("cli.token.err.subcommand"))
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	dsn := fs.String("db", defaultDB, "SQLite file path or postgres:// URL")
	email := fs.String("user", "", "e-mail of the user the token acts as")
	name := fs.String("name", "cli", "a name to recognise the token by")
	days := fs.Int("days", int(auth.TokenDefaultLifetime/(24*time.Hour)), "how many days the token works (at most 365)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := existingUser(ctx, lang, st, *email)
	if err != nil {
		return err
	}
	now := time.Now()
	expires, err := auth.TokenExpiry(now.Add(time.Duration(*days)*24*time.Hour), now)
	if err != nil {
		return err
	}
	secret, _, err := st.CreateToken(ctx, cli, u.ID, *name, expires)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, secret)
	return nil
}

// existingUser finds the account with email, or says there is none.
func existingUser(ctx context.Context, lang i18n.Lang, st *store.Store, email string) (*auth.User, error) {
	u, _, err := st.UserByEmail(ctx, email)
	if err == nil && u == nil {
		err = errors.New(lang.T("cli.user.err.email", email))
	}
	return u, err
}

func openMigrated(ctx context.Context, dsn string) (*store.Store, error) {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
