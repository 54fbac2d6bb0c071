package provincemap

import (
	"os"
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Provinces) != 34 {
		t.Fatalf("%d provinces, want 34", len(m.Provinces))
	}
	// The outlines stay small enough to embed in every dashboard page.
	if len(raw) > 150<<10 {
		t.Errorf("provinces.json is %d bytes", len(raw))
	}
	for _, p := range m.Provinces {
		if !strings.HasPrefix(p.Path, "M") || !strings.HasSuffix(p.Path, "z") {
			t.Errorf("%s: path %.20q…", p.Name, p.Path)
		}
		if p.LabelX <= 0 || p.LabelX >= m.Width || p.LabelY <= 0 || p.LabelY >= m.Height {
			t.Errorf("%s: label point (%v, %v) outside the map", p.Name, p.LabelX, p.LabelY)
		}
	}
	// Khánh Hòa carries the Trường Sa archipelago and Đà Nẵng Hoàng Sa:
	// many separate parts, as in the data.
	for _, c := range []struct {
		code     string
		minParts int
	}{{"56", 100}, {"48", 40}, {"22", 50}} {
		p, _ := m.Find(c.code, "")
		if n := strings.Count(p.Path, "M"); n < c.minParts {
			t.Errorf("%s has %d parts, want at least %d", p.Name, n, c.minParts)
		}
	}
	if _, err := os.Stat("LICENSE-data"); err != nil {
		t.Errorf("the data's licence note is missing: %v", err)
	}
}

func TestFind(t *testing.T) {
	m, _ := Load()
	for _, c := range []struct{ code, name, want string }{
		{"40", "", "Nghệ An"},
		{" 42 ", "whatever", "Hà Tĩnh"},
		{"NA", "Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An"},
		{"", "UBND THÀNH PHỐ HỒ CHÍ MINH", "Hồ Chí Minh"},
		{"", "Ủy ban nhân dân tỉnh Bắc Ninh", "Bắc Ninh"},
		{"", "Tây Ninh", "Tây Ninh"},
	} {
		p, ok := m.Find(c.code, c.name)
		if !ok || p.Name != c.want {
			t.Errorf("Find(%q, %q) = %q %v, want %q", c.code, c.name, p.Name, ok, c.want)
		}
	}
	if p, ok := m.Find("99", "Sở Khoa học và Công nghệ"); ok {
		t.Errorf("a department matched %s", p.Name)
	}
}
