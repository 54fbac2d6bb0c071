package main

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

var oneTime = regexp.MustCompile(`(?m)^Mật khẩu dùng một lần.*: (\S+)$`)

func openTest(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Two provinces into one database from the command line, one with a
// one-time password and one with a password piped in; running either
// again says so and changes nothing.
func TestInitTwoProvinces(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			out, err := runCLI(t, "", "init", "--db", dsn, "--province", "Nghệ An", "--admin-email", "Admin@NgheAn.gov.vn")
			if err != nil || !strings.Contains(out, "Đã thiết lập Tỉnh Nghệ An (mã 40): 130 xã, phường; 15 cơ quan") ||
				!strings.Contains(out, "Sở Khoa học và Công nghệ tỉnh Nghệ An") {
				t.Fatalf("init 40: %v\n%s", err, out)
			}
			m := oneTime.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no one-time password printed:\n%s", out)
			}
			out, err = runCLI(t, "mật khẩu của Hà Tĩnh\n", "init", "--db", dsn, "--province", "ha tinh", "--history",
				"--coordinating-agency", "police", "--admin-email", "admin@hatinh.gov.vn", "--admin-name", "Nguyễn Thị Lan", "--lang", "en")
			if err != nil || !strings.Contains(out, "Set up Tỉnh Hà Tĩnh (code 42): 69 communes and wards") ||
				!strings.Contains(out, "coordinating agency: Công an tỉnh Hà Tĩnh") || !strings.Contains(out, "History before 01/07/2025") ||
				strings.Contains(out, "One-time") {
				t.Fatalf("init 42: %v\n%s", err, out)
			}
			st := openTest(t, dsn)
			ctx := context.Background()
			for _, c := range []struct {
				email, unit, password string
				mustChange            bool
			}{
				{"admin@nghean.gov.vn", "40", m[1], true},
				{"admin@hatinh.gov.vn", "42", "mật khẩu của Hà Tĩnh", false},
			} {
				u, hash, err := st.UserByEmail(ctx, c.email)
				if err != nil || u == nil {
					t.Fatalf("%s: %v", c.email, err)
				}
				com, _ := st.UnitByCode(ctx, c.unit, dates.Today())
				ok, _ := auth.CheckPassword(hash, c.password)
				if u.UnitID != com.ID || !ok || u.MustChangePassword != c.mustChange || u.Roles[0] != auth.RoleAdmin {
					t.Errorf("%s: %+v (password ok %v)", c.email, u, ok)
				}
			}
			before, _ := st.UnitCount(ctx)
			_, auditBefore, _ := st.AuditLog(ctx, audit.Filter{Limit: 1})
			for _, q := range []string{"40", "Tỉnh Hà Tĩnh"} {
				out, err = runCLI(t, "", "init", "--db", dsn, "--province", q, "--admin-email", "someone@else.vn")
				if err != nil || !strings.Contains(out, "đã được thiết lập: không thay đổi gì") {
					t.Errorf("again %s: %v\n%s", q, err, out)
				}
			}
			after, _ := st.UnitCount(ctx)
			_, auditAfter, _ := st.AuditLog(ctx, audit.Filter{Limit: 1})
			if after != before || auditAfter != auditBefore {
				t.Errorf("a second init changed units %d -> %d, audit %d -> %d", before, after, auditBefore, auditAfter)
			}
		})
	}
}

// Every wrong answer is refused with a message naming the flag, before
// anything is written.
func TestInitErrors(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "k.db")
	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"unknown province", "", []string{"--province", "Ha Tinhh", "--admin-email", "a@b.vn"},
			`--province: không có tỉnh, thành phố nào là "Ha Tinhh"; có phải Tỉnh Hà Tĩnh (42)?`},
		{"former province", "", []string{"--province", "Hà Giang", "--admin-email", "a@b.vn"},
			"Tỉnh Hà Giang đã hợp nhất vào Tỉnh Tuyên Quang (08) từ 01/07/2025: dùng --province 08"},
		{"both", "", []string{"--province", "42", "--country", "--admin-email", "a@b.vn"}, "--province và --country không dùng cùng nhau"},
		{"neither", "", []string{"--admin-email", "a@b.vn"}, "cần --province MÃ|TÊN hoặc --country"},
		{"no e-mail", "", []string{"--province", "42"}, "cần --admin-email"},
		{"bad e-mail", "", []string{"--province", "42", "--admin-email", "admin.hatinh.gov.vn"}, "--admin-email: địa chỉ email không hợp lệ"},
		{"bad agency", "", []string{"--province", "42", "--coordinating-agency", "army", "--admin-email", "a@b.vn"}, `không phải "army"`},
		{"extra argument", "", []string{"--province", "42", "--admin-email", "a@b.vn", "Hà Tĩnh"}, "tham số thừa: Hà Tĩnh"},
		{"short password", "ngắn\n", []string{"--province", "42", "--admin-email", "a@b.vn"}, "mật khẩu (dòng đầu của stdin): mật khẩu cần ít nhất 10 ký tự"},
		{"english", "", []string{"--province", "Atlantis", "--admin-email", "a@b.vn", "--lang", "en"}, `--province: no province or city is "Atlantis"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runCLI(t, c.stdin, append([]string{"init", "--db", dsn}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v (%s), want an error containing %q", err, out, c.want)
			}
		})
	}
	st := openTest(t, dsn)
	if n, err := st.UnitCount(context.Background()); err == nil && n != 0 {
		t.Errorf("refused runs wrote %d units", n)
	}
	out, err := runCLI(t, "", "init", "--list")
	if err != nil || strings.Count(out, "\n") != 34 || !strings.Contains(out, "42  Tỉnh Hà Tĩnh (69 xã, phường)") {
		t.Errorf("--list: %v\n%s", err, out)
	}
}

// On a terminal init asks for what the flags did not say; then serve runs
// on the database without loading anything more.
func TestInitPromptsThenServe(t *testing.T) {
	defer func(f func(io.Reader) bool) { isTerminal = f }(isTerminal)
	isTerminal = func(io.Reader) bool { return true }
	dsn := filepath.Join(t.TempDir(), "k.db")
	// Province first misspelt, history yes, the Police, the e-mail, the default name.
	out, err := runCLI(t, "Hà Tỉnhh\nhà tĩnh\nc\n2\nadmin@hatinh.gov.vn\n\n", "init", "--db", dsn)
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	for _, want := range []string{"Tỉnh, thành phố cần thiết lập", "có phải Tỉnh Hà Tĩnh (42)?", "Nạp cả lịch sử",
		"Cơ quan điều phối", "Công an tỉnh Hà Tĩnh", "Lịch sử trước 01/07/2025: 12 huyện và 209 xã", "admin@hatinh.gov.vn (Quản trị hệ thống)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if oneTime.FindStringSubmatch(out) == nil {
		t.Errorf("a terminal gets a one-time password:\n%s", out)
	}
	isTerminal = func(io.Reader) bool { return false }

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, []string{"--db", dsn, "--addr", "127.0.0.1:0", "--demo"}, logs) }()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(logs.String(), "is serving") {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if !strings.Contains(logs.String(), "demo province not loaded") {
		t.Errorf("serve must use the set-up database as it is:\n%s", logs.String())
	}
}
