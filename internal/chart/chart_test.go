package chart

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"khienso/internal/i18n"
)

// element is an SVG element read back: its name, attributes and text.
type element struct {
	Name  string
	Attr  map[string]string
	Text  string
	Depth int
}

// parse reads svg as XML (so an unescaped name would fail here) into its
// elements in document order.
func parse(t *testing.T, svg string) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var out []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			e := element{Name: v.Name.Local, Attr: map[string]string{}, Depth: len(stack)}
			for _, a := range v.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].Text += string(v)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

func withClass(els []element, class string) []element {
	var out []element
	for _, e := range els {
		for _, c := range strings.Fields(e.Attr["class"]) {
			if c == class {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

func texts(els []element) []string {
	out := make([]string, len(els))
	for i, e := range els {
		out[i] = e.Text
	}
	return out
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct {
		top, want float64
	}{{100, 25}, {130, 50}, {7, 2}, {0.3, 0.1}, {1, 0.25}, {4000, 1000}, {0, 1}} {
		if got := niceStep(tc.top, 4); got != tc.want {
			t.Errorf("niceStep(%v) = %v, want %v", tc.top, got, tc.want)
		}
	}
}

func TestSeries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lang    i18n.Lang
		points  []Point
		target  *Target
		ticks   []string
		values  []string
		targetY float64 // 0: no target line
	}{
		{"percent target", i18n.VI,
			[]Point{{"2025", 40.5, true}, {"2026", 62, true}, {"2027", 0, false}},
			&Target{Value: 100, Label: "Chỉ tiêu ≥ 100 %"},
			[]string{"0", "25", "50", "75", "100"}, []string{"40,5", "62", "chưa có"}, 14},
		{"value above target, English", i18n.EN,
			[]Point{{"2025", 1500, true}, {"2026", 2600, true}},
			&Target{Value: 2000, Label: "Target"},
			[]string{"0", "1,000", "2,000", "3,000"}, []string{"1,500", "2,600"}, 0},
		{"no target", i18n.VI,
			[]Point{{"2026", 3, true}},
			nil,
			[]string{"0", "1", "2", "3"}, []string{"3"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Series{Title: "Chuỗi", NoData: "chưa có", Points: tc.points, Target: tc.target, Format: tc.lang.Decimal, Width: 260, Height: 140}
			els := parse(t, string(c.SVG()))
			if els[0].Name != "svg" || els[0].Attr["role"] != "img" || els[1].Name != "title" || els[1].Text != "Chuỗi" {
				t.Fatalf("svg must open with role=img and its title: %+v", els[:2])
			}
			if got := texts(withClass(els, "chart-tick")); strings.Join(got, "|") != strings.Join(tc.ticks, "|") {
				t.Errorf("ticks %q, want %q", got, tc.ticks)
			}
			if got := texts(withClass(els, "chart-value")); strings.Join(got, "|") != strings.Join(tc.values, "|") {
				t.Errorf("values %q, want %q", got, tc.values)
			}
			labels := texts(withClass(els, "chart-label"))
			for i, p := range tc.points {
				if labels[i] != p.Label {
					t.Errorf("period %d labelled %q, want %q", i, labels[i], p.Label)
				}
			}
			g := c.Geometry()
			// Ticks go up the axis: the first at the bottom, the last at the top.
			if g.Ticks[0].Y != g.Bottom || g.Ticks[len(g.Ticks)-1].Y != g.Top {
				t.Errorf("ticks from %v to %v, plot from %v to %v", g.Ticks[0].Y, g.Ticks[len(g.Ticks)-1].Y, g.Bottom, g.Top)
			}
			lines := withClass(els, "chart-target")
			if (tc.target != nil) != (len(lines) == 1) {
				t.Fatalf("%d target lines for target %v", len(lines), tc.target)
			}
			if tc.target != nil {
				// The target sits where its value falls on the axis.
				frac := tc.target.Value / parseTop(t, tc.lang, g)
				want := g.Bottom - frac*(g.Bottom-g.Top)
				if d := g.TargetY - want; d > 0.01 || d < -0.01 {
					t.Errorf("target at y=%v, want %v", g.TargetY, want)
				}
				if tc.targetY != 0 && g.TargetY != tc.targetY {
					t.Errorf("target at y=%v, want the top of the plot %v", g.TargetY, tc.targetY)
				}
				if got := texts(withClass(els, "chart-target-label")); len(got) != 1 || got[0] != tc.target.Label {
					t.Errorf("target label %q", got)
				}
			}
			// A column's height follows its value: 62 is taller than 40.5.
			for i := 1; i < len(g.Columns); i++ {
				a, b := tc.points[i-1], tc.points[i]
				if a.Defined && b.Defined && (a.Value < b.Value) != (g.Columns[i-1].H < g.Columns[i].H) {
					t.Errorf("columns %d and %d out of proportion: %v, %v", i-1, i, g.Columns[i-1].H, g.Columns[i].H)
				}
			}
		})
	}
}

// parseTop is the value of the top tick.
func parseTop(t *testing.T, l i18n.Lang, g SeriesGeometry) float64 {
	t.Helper()
	s := g.Ticks[len(g.Ticks)-1].Label
	thousands := "."
	if l == i18n.EN {
		thousands = ","
	}
	s = strings.ReplaceAll(s, thousands, "")
	var v float64
	for _, r := range s {
		v = v*10 + float64(r-'0')
	}
	return v
}

func TestBarsOrderCapAndEscaping(t *testing.T) {
	items := []Item{
		{Name: "Xã Con Cuông", Value: 50, Defined: true},
		{Name: "Xã Cát Ngạn", Value: 50, Defined: true},
		{Name: "Phường <Đông> & \"Bắc\"", Value: 80, Defined: true},
		{Name: "Xã Đô Lương", Value: 0, Defined: false},
		{Name: "Xã Diễn Châu", Value: 20, Defined: true},
		{Name: "Xã An Sơn", Value: 0, Defined: false},
	}
	c := Bars{Title: "Theo đơn vị <con>", NoData: "chưa có", Items: items, Target: &Target{Value: 60, Label: "Chỉ tiêu 60"},
		Format: i18n.VI.Decimal, Width: 360}
	svg := string(c.SVG())
	if strings.Contains(svg, "<Đông>") || strings.Contains(svg, "<con>") {
		t.Fatalf("names not escaped:\n%s", svg)
	}
	els := parse(t, svg)
	want := []string{"Phường <Đông> & \"Bắc\"", "Xã Cát Ngạn", "Xã Con Cuông", "Xã Diễn Châu", "Xã An Sơn", "Xã Đô Lương"}
	if got := texts(withClass(els, "chart-label")); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("bar order %q,\nwant %q (by value, ties and no data in Vietnamese order)", got, want)
	}
	if got := texts(withClass(els, "chart-value")); strings.Join(got, "|") != "80|50|50|20|chưa có|chưa có" {
		t.Errorf("values %q", got)
	}
	if n := len(withClass(els, "chart-bar")); n != 4 {
		t.Errorf("%d bars drawn, want 4 (units without data have none)", n)
	}
	g := c.Geometry()
	// 80 is the longest bar; the target 60 sits at three quarters of it.
	if g.Rows[0].W != g.Right-g.Left {
		t.Errorf("longest bar %v, want the full width %v", g.Rows[0].W, g.Right-g.Left)
	}
	if want := g.Left + 0.75*(g.Right-g.Left); g.TargetX != want {
		t.Errorf("target at x=%v, want %v", g.TargetX, want)
	}
	if lines := withClass(els, "chart-target"); len(lines) != 1 || lines[0].Attr["x1"] != n(g.TargetX) {
		t.Errorf("target line %+v", lines)
	}

	c.Cap, c.More = 2, func(k int) string { return "và " + i18n.VI.Int(k) + " đơn vị khác" }
	els = parse(t, string(c.SVG()))
	if got := texts(withClass(els, "chart-label")); len(got) != 2 || got[1] != "Xã Cát Ngạn" {
		t.Errorf("capped bars %q", got)
	}
	if got := texts(withClass(els, "chart-more")); len(got) != 1 || got[0] != "và 4 đơn vị khác" {
		t.Errorf("more line %q", got)
	}
}
