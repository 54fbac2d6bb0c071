// Command loginflood is the bounded login flood of docs/benchmarks.md: it
// sends wrong-password API logins from many parallel workers for a fixed
// time while probing /healthz of the target and of a hello server on the
// same machine, and samples the target's memory. It prints the login
// outcomes, the probes' p50/p99 (and the ratio to hello) and the peak RSS.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	target := flag.String("target", "http://127.0.0.1:18090", "the server under test")
	hello := flag.String("hello", "http://127.0.0.1:18091", "the hello server")
	pid := flag.Int("pid", 0, "process id of the server under test, to sample its RSS")
	workers := flag.Int("workers", 50, "parallel logins")
	duration := flag.Duration("duration", 20*time.Second, "how long the flood lasts")
	spread := flag.Bool("spread", false, "send each login for another e-mail from another address (X-Forwarded-For; needs --trusted-proxies 127.0.0.1/32)")
	flag.Parse()

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *workers + 4}}
	stop := time.Now().Add(*duration)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for w := range *workers {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				email := "admin@demo.khienso.vn"
				if *spread { // a new e-mail and address each time: no counter ever fills, every login hashes
					email = fmt.Sprintf("u%d-%d@demo.khienso.vn", w, i)
				}
				body := fmt.Sprintf(`{"email":%q,"password":"wrong-%d-%d"}`, email, w, i)
				req, _ := http.NewRequest("POST", *target+"/api/v1/auth/login", bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				if *spread {
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", w, i/250%250, i%250+1))
				}
				code := 0
				if resp, err := client.Do(req); err == nil {
					code = resp.StatusCode
					resp.Body.Close()
				}
				mu.Lock()
				statuses[code]++
				mu.Unlock()
			}
		})
	}
	probe := func(url string) []time.Duration {
		var out []time.Duration
		for time.Now().Before(stop) {
			t := time.Now()
			if resp, err := client.Get(url); err == nil {
				resp.Body.Close()
			}
			out = append(out, time.Since(t))
			time.Sleep(20 * time.Millisecond)
		}
		return out
	}
	var targetLat, helloLat []time.Duration
	wg.Go(func() { targetLat = probe(*target + "/healthz") })
	wg.Go(func() { helloLat = probe(*hello + "/") })
	var peak int64
	wg.Go(func() {
		for time.Now().Before(stop) {
			peak = max(peak, rss(*pid))
			time.Sleep(50 * time.Millisecond)
		}
	})
	wg.Wait()
	q := func(l []time.Duration, p float64) time.Duration {
		if len(l) == 0 {
			return 0
		}
		slices.Sort(l)
		return l[min(len(l)-1, int(float64(len(l))*p))]
	}
	total := 0
	var parts []string
	for code, n := range statuses {
		total += n
		parts = append(parts, fmt.Sprintf("%d×%d", n, code))
	}
	slices.Sort(parts)
	fmt.Printf("logins: %d in %s (%s)\n", total, *duration, strings.Join(parts, ", "))
	fmt.Printf("healthz p50 %s p99 %s; hello p50 %s p99 %s; p99 ratio %.1f\n",
		q(targetLat, .5).Round(time.Microsecond), q(targetLat, .99).Round(time.Microsecond),
		q(helloLat, .5).Round(time.Microsecond), q(helloLat, .99).Round(time.Microsecond),
		float64(q(targetLat, .99))/float64(max(1, q(helloLat, .99))))
	fmt.Printf("peak RSS %d MiB\n", peak>>20)
}

// rss reads a process's resident set size in bytes (0 when unknown).
func rss(pid int) int64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		log.Printf("rss: %v", err)
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			kb, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
