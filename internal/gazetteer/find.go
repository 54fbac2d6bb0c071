package gazetteer

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"khienso/internal/textnorm"
)

// NotFoundError says that a query names no 2026 province, with what it may
// have meant.
type NotFoundError struct {
	Query string
	// Former is set when the query names a province abolished on
	// 2025-07-01, and Into is the 2026 province it became part of.
	Former *FormerProvince
	Into   *Province
	// Suggestions are the closest names, best first (at most three).
	Suggestions []*Province
}

func (e *NotFoundError) Error() string {
	if e.Former != nil {
		return fmt.Sprintf("%s has been part of %s (%s) since 2025-07-01", e.Former.FullName(), e.Into.FullName(), e.Into.Code)
	}
	msg := fmt.Sprintf("no province or city is called %q", e.Query)
	if len(e.Suggestions) > 0 {
		names := make([]string, len(e.Suggestions))
		for i, p := range e.Suggestions {
			names[i] = p.FullName() + " (" + p.Code + ")"
		}
		msg += "; did you mean " + strings.Join(names, ", ") + "?"
	}
	return msg
}

// aliases are common ways of writing a province that are not its name.
var aliases = map[string]string{
	"hcm": "79", "tphcm": "79", "saigon": "79", "thanhphohochiminh": "79", "hochiminhcity": "79",
	"thudohanoi": "01",
}

// key folds a name for comparison: no diacritics, case, spaces or
// punctuation, and without a leading "Tỉnh", "Thành phố" or "TP." or a
// trailing "province" or "city" ("TP. Huế", "tp hue" and "Hue City" all
// give "hue").
func key(s string) string {
	f := textnorm.Fold(strings.NewReplacer(".", " ", "-", " ", "_", " ", ",", " ").Replace(s))
	for _, p := range []string{"tinh ", "thanh pho ", "tp ", "t p "} {
		if rest, ok := strings.CutPrefix(f, p); ok {
			f = rest
			break
		}
	}
	for _, sfx := range []string{" province", " city"} {
		f = strings.TrimSuffix(f, sfx)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, f)
}

func (g *Gazetteer) index() {
	for _, p := range g.Provinces {
		for _, n := range []string{p.Name, p.NameEn} {
			g.byKey[key(n)] = p
		}
	}
	for k, code := range aliases {
		g.byKey[k] = g.byCode[code]
	}
}

// Find resolves q to a 2026 province: a code ("42", "8" for "08") or a name
// written any way ("Hà Tĩnh", "ha tinh", "Tỉnh Hà Tĩnh", "TP Huế", "Hanoi",
// "TPHCM"). Otherwise it returns a *NotFoundError, which names the 2026
// province when q names a former one ("Hà Giang").
func (g *Gazetteer) Find(q string) (*Province, error) {
	q = strings.TrimSpace(q)
	code := q
	if len(code) == 1 && code[0] >= '0' && code[0] <= '9' {
		code = "0" + code
	}
	if p := g.byCode[code]; p != nil {
		return p, nil
	}
	k := key(q)
	if p := g.byKey[k]; p != nil && k != "" {
		return p, nil
	}
	nf := &NotFoundError{Query: q}
	if into := g.formerOf[code]; into != nil {
		nf.Former, nf.Into = into.former(code), into
		return nil, nf
	}
	for _, p := range g.Provinces {
		for i := range p.Former {
			f := &p.Former[i]
			if k != "" && (key(f.Name) == k || key(f.NameEn) == k) {
				nf.Former, nf.Into = f, p
				return nil, nf
			}
		}
	}
	nf.Suggestions = g.suggest(k)
	return nil, nf
}

func (p *Province) former(code string) *FormerProvince {
	for i := range p.Former {
		if p.Former[i].Code == code {
			return &p.Former[i]
		}
	}
	return nil
}

// suggest ranks the provinces by how close their name is to k: names that
// start with k first, then by edit distance, keeping those within about a
// third of the name's length.
func (g *Gazetteer) suggest(k string) []*Province {
	if k == "" {
		return nil
	}
	type cand struct {
		p    *Province
		rank int
	}
	var cs []cand
	for _, p := range g.Provinces {
		best := -1
		for _, n := range []string{key(p.Name), key(p.NameEn)} {
			r := textnorm.Distance(k, n)
			if strings.HasPrefix(n, k) && len(k) >= 2 {
				r = 0
			}
			if r <= max(2, len([]rune(n))/3) && (best < 0 || r < best) {
				best = r
			}
		}
		if best >= 0 {
			cs = append(cs, cand{p, best})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].rank < cs[j].rank })
	var out []*Province
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].p)
	}
	return out
}
