package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// lockedBuffer collects a server's log while tests read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestMigrateUserAndTokenCommands(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			out, err := runCLI(t, "", "migrate", "--db", dsn, "--status")
			if err != nil || !strings.Contains(out, "chưa áp dụng") {
				t.Fatalf("status before migrate: %v\n%s", err, out)
			}
			if out, err = runCLI(t, "", "migrate", "--db", dsn); err != nil || !strings.HasPrefix(out, "đã áp dụng ") || strings.HasPrefix(out, "đã áp dụng 0") {
				t.Fatalf("migrate: %v\n%s", err, out)
			}
			if out, _ = runCLI(t, "", "migrate", "--db", dsn, "--status"); !strings.Contains(out, ", 0 chưa áp dụng") {
				t.Errorf("status after migrate:\n%s", out)
			}
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := createRoot(st); err != nil {
				t.Fatal(err)
			}
			if _, err := runCLI(t, "short\n", "user", "add", "--db", dsn, "--email", "dic@t.vn", "--role", "coordinator", "--unit", "40"); err == nil {
				t.Error("a too-short password from stdin must be refused")
			}
			// Refusals read as sentences naming the flag at fault, in
			// Vietnamese unless KHIENSO_LANG asks for English.
			for _, c := range []struct {
				lang, stdin string
				args        []string
				want        string
			}{
				{"", "mật khẩu đủ dài\n", []string{"--role", "emperor", "--unit", "40"},
					`--role: không có vai trò "emperor"; các vai trò: admin, coordinator, focal_point, viewer, police, learner`},
				{"en", "mật khẩu đủ dài\n", []string{"--role", "emperor", "--unit", "40"},
					`--role: there is no role "emperor"; the roles are: admin, coordinator`},
				{"", "mật khẩu đủ dài\n", []string{"--role", "", "--unit", "40"}, "--role: "},
				{"", "mật khẩu đủ dài\n", []string{"--role", "coordinator", "--unit", "NOPE"}, `--unit: không có đơn vị nào mã "NOPE"`},
				{"", "short\n", []string{"--role", "coordinator", "--unit", "40"}, "mật khẩu (dòng đầu của stdin): "},
			} {
				t.Setenv("KHIENSO_LANG", c.lang)
				_, err := runCLI(t, c.stdin, append([]string{"user", "add", "--db", dsn, "--email", "dic@t.vn"}, c.args...)...)
				if err == nil {
					t.Errorf("%v: accepted", c.args)
					continue
				}
				if msg := explain(cliLang(), err, nil); !strings.Contains(msg, c.want) || strings.Contains(msg, "err.") {
					t.Errorf("%v: the operator reads %q, want it to contain %q", c.args, msg, c.want)
				}
			}
			t.Setenv("KHIENSO_LANG", "")
			out, err = runCLI(t, "mật khẩu đủ dài\n", "user", "add", "--db", dsn, "--email", "dic@t.vn", "--role", "coordinator,viewer", "--unit", "40", "--name", "Sở KH&CN")
			if err != nil {
				t.Fatalf("user add: %v\n%s", err, out)
			}
			u, hash, err := st.UserByEmail(context.Background(), "dic@t.vn")
			if err != nil || u == nil || len(u.Roles) != 2 || !strings.HasPrefix(hash, "$argon2id$") {
				t.Fatalf("created user: %+v %v", u, err)
			}
			if out, err = runCLI(t, "mật khẩu mới đủ dài\n", "user", "passwd", "--db", dsn, "--email", "dic@t.vn"); err != nil {
				t.Fatalf("passwd: %v\n%s", err, out)
			}
			if _, hash2, _ := st.UserByEmail(context.Background(), "dic@t.vn"); hash2 == hash {
				t.Error("passwd did not change the hash")
			}
			out, err = runCLI(t, "", "token", "create", "--db", dsn, "--user", "dic@t.vn")
			secret := strings.TrimSpace(out)
			if err != nil || !strings.HasPrefix(secret, "ks_") {
				t.Fatalf("token create: %v %q", err, out)
			}
			if tu, err := st.TokenUser(context.Background(), secret); err != nil || tu.Email != "dic@t.vn" {
				t.Errorf("printed token does not authenticate: %v", err)
			}
			// The CLI's tokens expire like every other: 90 days unless asked, a year at most.
			u, _, _ = st.UserByEmail(context.Background(), "dic@t.vn")
			if toks, err := st.Tokens(context.Background(), u.ID); err != nil || len(toks) != 1 ||
				time.Until(toks[0].ExpiresAt) < 89*24*time.Hour || time.Until(toks[0].ExpiresAt) > 91*24*time.Hour {
				t.Errorf("the CLI's token does not expire in 90 days: %+v %v", toks, err)
			}
			if _, err := runCLI(t, "", "token", "create", "--db", dsn, "--user", "dic@t.vn", "--days", "400"); err == nil {
				t.Error("a 400-day token was made")
			}
			// passwd is a reset by the operator: the account's tokens end.
			if out, err = runCLI(t, "mật khẩu thứ ba đủ dài\n", "user", "passwd", "--db", dsn, "--email", "dic@t.vn"); err != nil {
				t.Fatalf("passwd: %v\n%s", err, out)
			}
			if _, err := st.TokenUser(context.Background(), secret); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a token survived user passwd: %v", err)
			}
		})
	}
}

func createRoot(st *store.Store) error {
	root := &units.Unit{Code: "40", Name: "Ủy ban nhân dân tỉnh Nghệ An", Type: units.TypeProvinceCommittee, ValidFrom: dates.MustParse("2021-01-01")}
	return st.CreateUnit(context.Background(), cli, root, 0)
}

// The server runs with the demo province, a backup is taken while it
// serves, and SIGTERM (context cancel) shuts it down cleanly.
func TestServeDemoBackupAndShutdown(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "khienso.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"--db", db, "--addr", "127.0.0.1:0", "--demo", "--log-format", "json"}, logs)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(logs.String(), "is serving") {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), `"one_time_password":"`) || !strings.Contains(logs.String(), "admin@demo.khienso.vn") {
		t.Errorf("the demo administrator's one-time password must be logged once:\n%s", logs.String())
	}
	backupFile := filepath.Join(dir, "copy.db")
	if out, err := runCLI(t, "", "backup", "--db", db, "--to", backupFile); err != nil {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "", "backup", "--db", db, "--to", backupFile); err == nil {
		t.Error("backup must not overwrite an existing file")
	}
	cp, err := store.Open(context.Background(), backupFile)
	if err != nil {
		t.Fatal(err)
	}
	n, err := cp.UnitCount(context.Background())
	cp.Close()
	if err != nil || n < 600 {
		t.Errorf("backup holds %d units (%v), want the whole demo province", n, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not shut down")
	}
	// A second start does not load the demo again.
	ctx2, cancel2 := context.WithCancel(context.Background())
	logs2 := &lockedBuffer{}
	go func() { done <- serve(ctx2, []string{"--db", db, "--addr", "127.0.0.1:0", "--demo"}, logs2) }()
	for !strings.Contains(logs2.String(), "is serving") {
		time.Sleep(50 * time.Millisecond)
	}
	cancel2()
	<-done
	if strings.Contains(logs2.String(), "one_time_password") {
		t.Error("the demo must load only into an empty database")
	}
}
