// Command gen builds internal/provincemap/provinces.json, the outlines of
// the 34 provinces and cities (as of 2026) for the national dashboard's
// map, from the public boundaries kept in the shared data folder (7.8 MB
// of GeoJSON): each outline is projected, simplified and written as one
// SVG path, islands and archipelagos included where the data has them.
//
// Run it from the repository root:
//
//	go run ./internal/provincemap/gen [-data ../shared/data/admin-units/geojson-2026] [-out internal/provincemap/provinces.json]
//
// The projection is equirectangular, the longitude scaled by the cosine of
// the middle latitude: over Vietnam's 16 degrees of latitude it distorts
// areas far less than the map's scale needs. Rings are simplified with
// Douglas–Peucker to Tolerance map units; a ring simplified to fewer than
// three points (a small island) keeps its extreme points, so it stays on
// the map where the data puts it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	scale     = 60.0 // map units per degree of latitude
	tolerance = 0.45 // Douglas–Peucker tolerance, map units
	minSize   = 2.0  // the least extent a small island is drawn with, map units
)

type feature struct {
	Properties struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"properties"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

type point struct{ x, y float64 }

// Province is one outline of the output.
type Province struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Path string `json:"path"`
	// LabelX, LabelY place a marker inside the province's largest ring.
	LabelX float64 `json:"label_x"`
	LabelY float64 `json:"label_y"`
}

// Output is the file provincemap embeds.
type Output struct {
	Source    string     `json:"source"`
	Width     float64    `json:"width"`
	Height    float64    `json:"height"`
	Provinces []Province `json:"provinces"`
}

func main() {
	data := flag.String("data", "../shared/data/admin-units/geojson-2026", "folder of the 34 provinces' GeoJSON files")
	out := flag.String("out", "internal/provincemap/provinces.json", "output file")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.geojson"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no GeoJSON files in %s (%v)", dir, err)
	}
	type shape struct {
		code, name string
		rings      [][][2]float64
	}
	var shapes []shape
	minLon, maxLon, minLat, maxLat := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var fc struct {
			Features []feature `json:"features"`
		}
		if err := json.Unmarshal(raw, &fc); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, ft := range fc.Features {
			sh := shape{code: ft.Properties.Code, name: ft.Properties.Name}
			var polys [][][][2]float64
			switch ft.Geometry.Type {
			case "MultiPolygon":
				err = json.Unmarshal(ft.Geometry.Coordinates, &polys)
			case "Polygon":
				var poly [][][2]float64
				err = json.Unmarshal(ft.Geometry.Coordinates, &poly)
				polys = [][][][2]float64{poly}
			default:
				err = fmt.Errorf("geometry %s", ft.Geometry.Type)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			for _, poly := range polys {
				for _, ring := range poly { // outer ring, then holes: all drawn even-odd
					sh.rings = append(sh.rings, ring)
					for _, c := range ring {
						minLon, maxLon = math.Min(minLon, c[0]), math.Max(maxLon, c[0])
						minLat, maxLat = math.Min(minLat, c[1]), math.Max(maxLat, c[1])
					}
				}
			}
			shapes = append(shapes, sh)
		}
	}
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	project := func(c [2]float64) point {
		return point{(c[0] - minLon) * k * scale, (maxLat - c[1]) * scale}
	}
	o := Output{Source: "vietnamese-provinces-database v4.2.0 (MIT), boundaries of the 34 provinces and cities, 2026",
		Width: math.Ceil((maxLon - minLon) * k * scale), Height: math.Ceil((maxLat - minLat) * scale)}
	for _, sh := range shapes {
		var b strings.Builder
		var best []point
		bestArea := -1.0
		for _, ring := range sh.rings {
			pts := make([]point, len(ring))
			for i, c := range ring {
				pts[i] = project(c)
			}
			simple := simplify(pts)
			if a := math.Abs(area(simple)); a > bestArea {
				best, bestArea = simple, a
			}
			writeRing(&b, simple)
		}
		lx, ly := centroid(best)
		o.Provinces = append(o.Provinces, Province{Code: sh.code, Name: sh.name, Path: b.String(), LabelX: round(lx), LabelY: round(ly)})
	}
	sort.Slice(o.Provinces, func(i, j int) bool { return o.Provinces[i].Code < o.Provinces[j].Code })
	raw, err := json.MarshalIndent(o, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(raw, '\n'), 0o644)
}

// simplify applies Douglas–Peucker to a closed ring (first point = last);
// a ring that would keep fewer than three points keeps its extreme points
// instead, grown to minSize.
func simplify(pts []point) []point {
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	if len(pts) < 3 {
		return small(pts)
	}
	// Split the ring at its farthest point from the first, so both halves
	// are open polylines.
	far, fd := 0, -1.0
	for i, p := range pts {
		if d := dist(p, pts[0]); d > fd {
			far, fd = i, d
		}
	}
	a := dp(pts[:far+1])
	b := dp(append(append([]point{}, pts[far:]...), pts[0]))
	out := append(a[:len(a)-1], b[:len(b)-1]...)
	if len(out) < 3 {
		return small(pts)
	}
	return out
}

func dp(pts []point) []point {
	if len(pts) < 3 {
		return pts
	}
	first, last := pts[0], pts[len(pts)-1]
	idx, md := 0, -1.0
	for i := 1; i < len(pts)-1; i++ {
		if d := segDist(pts[i], first, last); d > md {
			idx, md = i, d
		}
	}
	if md <= tolerance {
		return []point{first, last}
	}
	l := dp(pts[:idx+1])
	r := dp(pts[idx:])
	return append(l[:len(l)-1], r...)
}

// small is a small island: its bounding box's diamond, at least minSize
// across, centred where the island is.
func small(pts []point) []point {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
	}
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	rx, ry := math.Max((maxX-minX)/2, minSize/2), math.Max((maxY-minY)/2, minSize/2)
	return []point{{cx, cy - ry}, {cx + rx, cy}, {cx, cy + ry}, {cx - rx, cy}}
}

func dist(a, b point) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

func segDist(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	if dx == 0 && dy == 0 {
		return dist(p, a)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return dist(p, point{a.x + t*dx, a.y + t*dy})
}

func area(pts []point) float64 {
	s := 0.0
	for i := range pts {
		j := (i + 1) % len(pts)
		s += pts[i].x*pts[j].y - pts[j].x*pts[i].y
	}
	return s / 2
}

// centroid is the ring's area centroid (its vertices' mean when flat).
func centroid(pts []point) (float64, float64) {
	a := area(pts)
	if math.Abs(a) < 1e-9 {
		var x, y float64
		for _, p := range pts {
			x, y = x+p.x, y+p.y
		}
		return x / float64(len(pts)), y / float64(len(pts))
	}
	var cx, cy float64
	for i := range pts {
		j := (i + 1) % len(pts)
		f := pts[i].x*pts[j].y - pts[j].x*pts[i].y
		cx += (pts[i].x + pts[j].x) * f
		cy += (pts[i].y + pts[j].y) * f
	}
	return cx / (6 * a), cy / (6 * a)
}

func round(v float64) float64 { return math.Round(v*10) / 10 }

// writeRing appends the ring as "M x y l dx dy …z", coordinates to one
// decimal, each step taken between rounded points so errors do not add up.
func writeRing(b *strings.Builder, pts []point) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	px, py := round(pts[0].x), round(pts[0].y)
	b.WriteString("M" + num(px) + " " + num(py) + "l")
	first := true
	for _, p := range pts[1:] {
		x, y := round(p.x), round(p.y)
		dx, dy := round(x-px), round(y-py)
		if dx == 0 && dy == 0 {
			continue
		}
		if !first && dx >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(dx))
		if dy >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(dy))
		first = false
		px, py = x, y
	}
	b.WriteString("z")
}
