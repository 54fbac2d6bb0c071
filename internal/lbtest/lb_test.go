// Package lbtest runs two `khienso serve` instances on one PostgreSQL
// database behind HAProxy and checks that they behave as one: a session
// made through one instance serves on the other, and killing an instance
// mid-load loses no acknowledged write while the other keeps serving.
package lbtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/web/webtest"
)

const (
	adminEmail    = "quantri@lb.test"
	adminPassword = "Lb-kiem-thu-2026-day-du"
)

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitOK polls url until it answers 200 or the deadline passes.
func waitOK(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not ready within %s", url, within)
}

type instance struct {
	name, addr string
	cmd        *exec.Cmd
}

func TestTwoInstancesBehindHAProxy(t *testing.T) {
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		storetest.SkipOrFail(t, "haproxy not installed (apt-get install -y haproxy)")
	}
	dsn := storetest.DSN(t, store.Postgres)
	dir := t.TempDir()
	bin := filepath.Join(dir, "khienso")
	build := exec.Command("go", "build", "-o", bin, "khienso/cmd/khienso")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	initCmd := exec.Command(bin, "init", "--db", dsn, "--province", "40", "--admin-email", adminEmail)
	initCmd.Stdin = strings.NewReader(adminPassword + "\n")
	if out, err := initCmd.CombinedOutput(); err != nil {
		t.Fatalf("khienso init: %v\n%s", err, out)
	}

	var insts []*instance
	for _, name := range []string{"a", "b"} {
		in := &instance{name: name, addr: freePort(t)}
		logf, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		in.cmd = exec.Command(bin, "serve", "--db", dsn, "--addr", in.addr, "--instance", name, "--log-format", "json", "--secure-cookies", "false")
		in.cmd.Stdout, in.cmd.Stderr = logf, logf
		if err := in.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = in.cmd.Process.Kill(); _ = in.cmd.Wait(); logf.Close() })
		insts = append(insts, in)
	}
	for _, in := range insts {
		waitOK(t, "http://"+in.addr+"/healthz", 20*time.Second)
	}
	lb := freePort(t)
	cfg := fmt.Sprintf(haproxyConfig, lb, insts[0].addr, insts[1].addr)
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	hp := exec.Command(haproxy, "-db", "-f", cfgPath)
	var hpOut bytes.Buffer
	hp.Stdout, hp.Stderr = &hpOut, &hpOut
	if err := hp.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hp.Process.Kill(); _ = hp.Wait() })
	base := "http://" + lb
	waitOK(t, base+"/healthz", 10*time.Second)

	t.Run("session across instances", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(base + "/login")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp, err = c.PostForm(base+"/login", url.Values{"csrf_token": {webtest.CSRFOf(t, string(page))}, "email": {adminEmail}, "password": {adminPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in through the balancer: %d (instance %s)", resp.StatusCode, resp.Header.Get("X-Khienso-Instance"))
		}
		seen := map[string]int{}
		for range 8 {
			resp, err := c.Get(base + "/units")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/units with the session: %d from %s", resp.StatusCode, resp.Header.Get("X-Khienso-Instance"))
			}
			seen[resp.Header.Get("X-Khienso-Instance")]++
		}
		if seen["a"] == 0 || seen["b"] == 0 {
			t.Errorf("the balancer did not spread the session over both instances: %v", seen)
		}
	})

	token := apiLogin(t, base)
	parent := rootID(t, base, token)

	t.Run("acknowledged writes survive kill -9", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		const writers, perWriter = 4, 30
		killed := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					code := fmt.Sprintf("LB%d-%03d", w, i)
					if createUnit(ctx, base, token, parent, code) {
						mu.Lock()
						acked = append(acked, code)
						n := len(acked)
						mu.Unlock()
						if n == writers*perWriter/3 {
							close(killed)
						}
					}
				}
			}()
		}
		<-killed
		// SIGKILL: no graceful shutdown, in-flight requests are cut.
		if err := insts[1].cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if len(acked) < writers*perWriter*2/3 {
			t.Errorf("only %d of %d writes acknowledged: the surviving instance did not carry the load", len(acked), writers*perWriter)
		}
		// Every acknowledged unit is readable afterwards (through the
		// balancer, thus from the survivor).
		for _, code := range acked {
			if !unitExists(t, base, token, code) {
				t.Errorf("acknowledged unit %s is missing", code)
			}
		}
		for range 5 {
			resp, err := http.Get(base + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Khienso-Instance") != "a" {
				t.Errorf("after the kill: %d from %q", resp.StatusCode, resp.Header.Get("X-Khienso-Instance"))
			}
		}
	})
	if t.Failed() {
		t.Logf("haproxy:\n%s", hpOut.String())
	}
}

// haproxyConfig: round robin over the two instances with /healthz checks
// every 200 ms; a failed request is redispatched to the other server only
// when the connection was refused (never after the request was sent, so no
// write is replayed).
const haproxyConfig = `global
	maxconn 512
defaults
	mode http
	timeout connect 1s
	timeout client 30s
	timeout server 30s
	retries 2
	option redispatch
frontend fe
	bind %s
	default_backend khienso
backend khienso
	balance roundrobin
	option httpchk GET /healthz
	http-check expect status 200
	default-server inter 200ms fall 2 rise 2
	server a %s check
	server b %s check
`

func apiLogin(t *testing.T, base string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": adminEmail, "password": adminPassword})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.Token == "" {
		t.Fatalf("API login: %d %v", resp.StatusCode, err)
	}
	return out.Token
}

func apiGet(t *testing.T, base, token, path string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode
}

// rootID is the province committee's id, the parent of the load's units.
func rootID(t *testing.T, base, token string) int64 {
	t.Helper()
	var out struct {
		Items []struct {
			ID   int64  `json:"id"`
			Type string `json:"type"`
		} `json:"items"`
	}
	if st := apiGet(t, base, token, "/api/v1/units?type=province_committee", &out); st != http.StatusOK || len(out.Items) == 0 {
		t.Fatalf("list units: %d %+v", st, out)
	}
	for _, u := range out.Items {
		if u.Type == "province_committee" {
			return u.ID
		}
	}
	t.Fatalf("no province committee among %+v", out.Items)
	return 0
}

// createUnit posts one unit and reports whether the server acknowledged it
// (201); a cut connection or an error status is not an acknowledgement.
func createUnit(ctx context.Context, base, token string, parent int64, code string) bool {
	body, _ := json.Marshal(map[string]any{"code": code, "name": "Đơn vị tải " + code, "type": "department", "parent_id": parent})
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/units", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusCreated
}

func unitExists(t *testing.T, base, token, code string) bool {
	t.Helper()
	var out struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	apiGet(t, base, token, "/api/v1/units?q="+url.QueryEscape(code), &out)
	for _, u := range out.Items {
		if u.Code == code {
			return true
		}
	}
	return false
}
