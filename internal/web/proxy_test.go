package web

import (
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, c := range []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"no proxy configured ignores the header", "203.0.113.9:5000", []string{"1.2.3.4"}, nil, "203.0.113.9"},
		{"untrusted peer ignores the header", "203.0.113.9:5000", []string{"1.2.3.4"}, lb, "203.0.113.9"},
		{"trusted peer, one hop", "10.0.0.2:5000", []string{"198.51.100.7"}, lb, "198.51.100.7"},
		{"spoofed left-most entry is skipped", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.7"}, lb, "198.51.100.7"},
		{"chain of trusted proxies", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.7, 10.1.1.1"}, lb, "198.51.100.7"},
		{"several header lines", "10.0.0.2:5000", []string{"1.2.3.4", "198.51.100.7, 10.1.1.1"}, lb, "198.51.100.7"},
		{"every hop trusted", "10.0.0.2:5000", []string{"10.9.9.9, 10.1.1.1"}, lb, "10.9.9.9"},
		{"garbage hop stops at the last trusted", "10.0.0.2:5000", []string{"evil, 10.1.1.1"}, lb, "10.1.1.1"},
		{"garbage right-most", "10.0.0.2:5000", []string{"1.2.3.4, evil"}, lb, "10.0.0.2"},
		{"no header", "10.0.0.2:5000", nil, lb, "10.0.0.2"},
		{"IPv6 peer", "[::1]:5000", []string{"2001:db8::5"}, lb, "2001:db8::5"},
		{"IPv4-mapped hop", "10.0.0.2:5000", []string{"::ffff:198.51.100.7"}, lb, "198.51.100.7"},
		{"loopback alias", "127.0.0.1:5000", []string{"1.2.3.4, 198.51.100.7"}, LoopbackProxies, "198.51.100.7"},
	} {
		if got := clientAddr(c.remote, c.xff, c.trusted); got != c.want {
			t.Errorf("%s: clientAddr(%q, %q) = %q, want %q", c.name, c.remote, c.xff, got, c.want)
		}
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,::1,10.1.2.3/16")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "::1/128", "10.1.0.0/16"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "host.example", "10.0.0"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}
