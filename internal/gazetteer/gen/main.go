// Command gen builds internal/gazetteer/gazetteer.json.gz, the embedded
// administrative data of Vietnam, from the public data sets kept in the
// shared data folder (see LICENSE-data beside the output).
//
// Run it from the repository root:
//
//	go run ./internal/gazetteer/gen [-data ../shared/data/admin-units] [-out internal/gazetteer/gazetteer.json.gz]
//
// It reads 2026/units.json (34 provinces, 3,321 communes), pre2025/units.json
// (63 provinces, 696 districts, 10,035 communes as of 01/03/2025) and
// old-to-new-2025/{splits,merges}.json (which former commune went into which
// new one on 2025-07-01), checks that they agree and resolves what the
// product needs to be unambiguous; the rules are documented in package
// gazetteer. The program does not import package gazetteer, so it still
// builds when the output is missing or broken.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

func main() {
	dataDir := flag.String("data", "../shared/data/admin-units", "folder holding 2026/, pre2025/ and old-to-new-2025/")
	out := flag.String("out", "internal/gazetteer/gazetteer.json.gz", "output file")
	verbose := flag.Bool("v", false, "list every resolved split and reconciled code")
	flag.Parse()
	notes := io.Discard
	if *verbose {
		notes = os.Stderr
	}
	b, sum, err := generate(*dataDir, notes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes): %s\n", *out, len(b), sum)
}

// Source file shapes (only the fields used).
type (
	ward2026 struct {
		Code, Name, FullName string
	}
	province2026 struct {
		Code, Name, NameEn, FullName string
		Wards                        []ward2026
	}
	wardPre struct {
		Code, Name, FullName string
	}
	districtPre struct {
		Code, Name, FullName string
		Ward                 []wardPre
	}
	provincePre struct {
		Code, Name, NameEn, FullName string
		District                     []districtPre
	}
	mergesFile struct {
		Data []struct {
			Level1ID string `json:"level1_id"`
			Merges   []struct {
				OldID string `json:"old_id"`
				Type  string `json:"type"`
			} `json:"merges"`
			Level2s []struct {
				Level2ID string `json:"level2_id"`
				Name     string `json:"name"`
				Merges   []struct {
					OldID string `json:"old_id"`
				} `json:"merges"`
			} `json:"level2s"`
		} `json:"data"`
	}
	splitTarget struct {
		NewID string `json:"new_id"`
	}
	splitsFile struct {
		Data []struct {
			Level1ID string        `json:"level1_id"`
			Splits   []splitTarget `json:"splits"`
			Level2s  []struct {
				Level2ID string        `json:"level2_id"`
				Splits   []splitTarget `json:"splits"`
			} `json:"level2s"`
			Level3s []struct {
				Level3ID string        `json:"level3_id"`
				Splits   []splitTarget `json:"splits"`
			} `json:"level3s"`
		} `json:"data"`
	}
)

// Output shapes: mirror package gazetteer's file format.
type (
	outFile struct {
		Provinces []outProvince `json:"provinces"`
	}
	outProvince struct {
		Code     string       `json:"code"`
		Name     string       `json:"name"`
		NameEn   string       `json:"name_en"`
		City     bool         `json:"city,omitempty"`
		Communes []outCommune `json:"communes"`
		Former   []outFormer  `json:"former"`
	}
	outCommune struct {
		Code string `json:"c"`
		Kind string `json:"k"`
		Name string `json:"n"`
		To   string `json:"to,omitempty"`
	}
	outDistrict struct {
		Code     string       `json:"c"`
		Kind     string       `json:"k"`
		Name     string       `json:"n"`
		To       string       `json:"to,omitempty"`
		Communes []outCommune `json:"communes,omitempty"`
	}
	outFormer struct {
		Code      string        `json:"code"`
		Name      string        `json:"name"`
		NameEn    string        `json:"name_en"`
		City      bool          `json:"city,omitempty"`
		Districts []outDistrict `json:"districts"`
	}
)

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Kinds of units, as the first words of their full names.
var (
	provinceKinds = []string{"Thành phố", "Tỉnh"}
	districtKinds = []string{"Thành phố", "Thị xã", "Huyện", "Quận"}
	communeKinds  = []string{"Đặc khu", "Phường", "Thị trấn", "Xã"}
)

// kindOf splits "Phường Ba Đình" (name "Ba Đình") into its kind. The
// source writes one commune's kind in lower case ("xã Bắc Sơn"): kinds are
// matched ignoring case and returned as listed.
func kindOf(full, name string, kinds []string) (string, error) {
	prefix, ok := strings.CutSuffix(full, " "+name)
	if ok {
		for _, k := range kinds {
			if strings.EqualFold(prefix, k) {
				return k, nil
			}
		}
	}
	return "", fmt.Errorf("%q is not a known kind followed by %q", full, name)
}

func generate(dir string, notes io.Writer) ([]byte, string, error) {
	var (
		now    []province2026
		pre    []provincePre
		merges mergesFile
		splits splitsFile
	)
	for path, v := range map[string]any{
		"2026/units.json":             &now,
		"pre2025/units.json":          &pre,
		"old-to-new-2025/merges.json": &merges,
		"old-to-new-2025/splits.json": &splits,
	} {
		if err := readJSON(filepath.Join(dir, path), v); err != nil {
			return nil, "", err
		}
	}

	// --- 2026: provinces and communes, and which province each commune is in.
	provinceOf := map[string]string{} // 2026 commune -> 2026 province
	nameIndex := map[[2]string][]string{}
	for _, p := range now {
		for _, w := range p.Wards {
			if _, dup := provinceOf[w.Code]; dup {
				return nil, "", fmt.Errorf("2026 commune code %s appears twice", w.Code)
			}
			provinceOf[w.Code] = p.Code
			k := [2]string{p.Code, w.FullName}
			nameIndex[k] = append(nameIndex[k], w.Code)
		}
	}

	// The mapping names two new communes by other codes than the 2026 list
	// (Xã Ba Chẽ, Xã Ia Mơ). Rule: a new commune of the mapping whose code is
	// not in the 2026 list stands for the one 2026 commune of the same
	// province and full name that the mapping does not list.
	listed := map[string]bool{}
	for _, p := range merges.Data {
		for _, n := range p.Level2s {
			listed[n.Level2ID] = true
		}
	}
	alias := map[string]string{} // mapping code -> 2026 code
	for _, p := range merges.Data {
		for _, n := range p.Level2s {
			if _, ok := provinceOf[n.Level2ID]; ok {
				continue
			}
			var cands []string
			for _, c := range nameIndex[[2]string{p.Level1ID, n.Name}] {
				if !listed[c] {
					cands = append(cands, c)
				}
			}
			if len(cands) != 1 {
				return nil, "", fmt.Errorf("merges.json: new commune %s %q is not in 2026/units.json and matches %d unlisted communes by name", n.Level2ID, n.Name, len(cands))
			}
			alias[n.Level2ID] = cands[0]
			fmt.Fprintf(notes, "gen: note: the mapping's %s %q is 2026 commune %s\n", n.Level2ID, n.Name, cands[0])
		}
	}
	newCode := func(c string) string {
		if a, ok := alias[c]; ok {
			return a
		}
		return c
	}

	// --- Former provinces: which 2026 province each went into (all went whole).
	formerInto := map[string]string{}
	for _, p := range merges.Data {
		for _, m := range p.Merges {
			if m.Type != "full" {
				return nil, "", fmt.Errorf("merges.json: former province %s went %s into %s; only whole provinces are handled", m.OldID, m.Type, p.Level1ID)
			}
			formerInto[m.OldID] = p.Level1ID
		}
	}
	preByCode := map[string]provincePre{}
	for _, p := range pre {
		preByCode[p.Code] = p
		if formerInto[p.Code] == "" {
			return nil, "", fmt.Errorf("former province %s %s has no 2026 successor in merges.json", p.Code, p.FullName)
		}
	}

	// --- Old -> new: for each former commune (and each former district that
	// had no communes, the island districts that became special zones) the
	// new communes it went to, from splits.json; merges.json must say the same.
	targetsOf := map[string][]string{}
	for _, p := range splits.Data {
		for _, d := range p.Level2s {
			for _, s := range d.Splits {
				targetsOf[d.Level2ID] = append(targetsOf[d.Level2ID], newCode(s.NewID))
			}
		}
		for _, o := range p.Level3s {
			for _, s := range o.Splits {
				targetsOf[o.Level3ID] = append(targetsOf[o.Level3ID], newCode(s.NewID))
			}
		}
	}
	pairsS, pairsM := map[[2]string]bool{}, map[[2]string]bool{}
	for old, ts := range targetsOf {
		for _, t := range ts {
			pairsS[[2]string{old, t}] = true
		}
	}
	for _, p := range merges.Data {
		for _, n := range p.Level2s {
			for _, o := range n.Merges {
				pairsM[[2]string{o.OldID, newCode(n.Level2ID)}] = true
			}
		}
	}
	for pr := range pairsS {
		if !pairsM[pr] {
			return nil, "", fmt.Errorf("splits.json has %s -> %s, merges.json does not", pr[0], pr[1])
		}
	}
	for pr := range pairsM {
		if !pairsS[pr] {
			return nil, "", fmt.Errorf("merges.json has %s -> %s, splits.json does not", pr[0], pr[1])
		}
	}

	// --- Build each 2026 province.
	var out outFile
	var nCommunes, nFormer, nDistricts, nOld, nOwn, nHome, nFirst, nOrphans, nOutside int
	sort.Slice(now, func(i, j int) bool { return now[i].Code < now[j].Code })
	for _, p := range now {
		op := outProvince{Code: p.Code, Name: p.Name, NameEn: p.NameEn}
		kind, err := kindOf(p.FullName, p.Name, provinceKinds)
		if err != nil {
			return nil, "", fmt.Errorf("province %s: %w", p.Code, err)
		}
		op.City = kind == "Thành phố"
		sort.Slice(p.Wards, func(i, j int) bool { return p.Wards[i].Code < p.Wards[j].Code })
		for _, w := range p.Wards {
			k, err := kindOf(w.FullName, w.Name, communeKinds)
			if err != nil {
				return nil, "", fmt.Errorf("2026 commune %s: %w", w.Code, err)
			}
			op.Communes = append(op.Communes, outCommune{Code: w.Code, Kind: k, Name: w.Name})
		}
		nCommunes += len(op.Communes)

		// The former provinces, the one keeping the code first.
		var formers []string
		for old, into := range formerInto {
			if into == p.Code {
				formers = append(formers, old)
			}
		}
		sort.Slice(formers, func(i, j int) bool {
			if (formers[i] == p.Code) != (formers[j] == p.Code) {
				return formers[i] == p.Code
			}
			return formers[i] < formers[j]
		})
		districtOf := map[string]string{} // former commune -> former district, across the province
		for _, fc := range formers {
			for _, d := range preByCode[fc].District {
				for _, w := range d.Ward {
					if _, dup := districtOf[w.Code]; dup {
						return nil, "", fmt.Errorf("pre-2025 commune code %s appears twice", w.Code)
					}
					districtOf[w.Code] = d.Code
				}
			}
		}
		// Former units of the province that merge into a commune: every
		// former commune, and each former district that had no communes (the
		// island districts, each of which became one special zone).
		var olds []string
		for _, fc := range formers {
			for _, d := range preByCode[fc].District {
				if len(d.Ward) == 0 {
					olds = append(olds, d.Code)
				}
				for _, w := range d.Ward {
					olds = append(olds, w.Code)
				}
			}
		}
		sort.Strings(olds)
		// First pass. A former unit with one successor merges into it. One
		// split across several new communes merges into the new commune whose
		// code is its own; else into the one whose code comes from a former
		// commune of the same former district (the part that stayed in its
		// district); if that does not single one out, into the one listed
		// first. Successors outside the province are
		// errors of the mapping and ignored; a former unit left with none
		// merges into the province, as districts do.
		succ := map[string]string{}
		cands := map[string][]string{}
		preds := map[string]int{}
		for _, old := range olds {
			if len(targetsOf[old]) == 0 {
				return nil, "", fmt.Errorf("former unit %s has no successor in splits.json", old)
			}
			var ts []string
			for _, t := range targetsOf[old] {
				if provinceOf[t] == p.Code {
					ts = append(ts, t)
				} else {
					fmt.Fprintf(notes, "gen: note: the mapping sends former unit %s of province %s to %s, in province %s: ignored\n", old, p.Code, t, provinceOf[t])
				}
			}
			cands[old] = ts
			switch len(ts) {
			case 0:
				nOutside++
				fmt.Fprintf(notes, "gen: note: former unit %s has no successor in its province: merges into the province\n", old)
				continue
			case 1:
				succ[old] = ts[0]
			default:
				if slices.Contains(ts, old) {
					succ[old] = old
					nOwn++
					break
				}
				var home []string
				for _, t := range ts {
					if districtOf[t] != "" && districtOf[t] == districtOf[old] {
						home = append(home, t)
					}
				}
				if len(home) == 1 {
					succ[old] = home[0]
					nHome++
				} else {
					succ[old] = ts[0]
					nFirst++
				}
			}
			preds[succ[old]]++
		}
		// Second pass: a new commune that got no predecessor (it was made
		// only of parts of split communes) takes one of those communes,
		// preferring one of its own former district, from a new commune that
		// keeps another predecessor; so every new commune's history exists.
		for _, c := range op.Communes {
			if preds[c.Code] > 0 {
				continue
			}
			var pick string
			for _, sameDistrict := range []bool{true, false} {
				for _, old := range olds {
					if pick != "" || !slices.Contains(cands[old], c.Code) || preds[succ[old]] < 2 {
						continue
					}
					if !sameDistrict || (districtOf[c.Code] != "" && districtOf[old] == districtOf[c.Code]) {
						pick = old
					}
				}
			}
			if pick == "" {
				return nil, "", fmt.Errorf("2026 commune %s %s: no former commune can be its predecessor", c.Code, c.Name)
			}
			fmt.Fprintf(notes, "gen: note: 2026 commune %s %s had no predecessor: former commune %s merges into it instead of %s\n", c.Code, c.Name, pick, succ[pick])
			preds[succ[pick]]--
			succ[pick] = c.Code
			preds[c.Code]++
			nOrphans++
		}
		for _, old := range olds {
			if len(cands[old]) > 1 {
				fmt.Fprintf(notes, "gen: note: former commune %s split into %v; merges into %s\n", old, cands[old], succ[old])
			}
		}

		for _, fc := range formers {
			fp := preByCode[fc]
			of := outFormer{Code: fp.Code, Name: fp.Name, NameEn: fp.NameEn}
			kind, err := kindOf(fp.FullName, fp.Name, provinceKinds)
			if err != nil {
				return nil, "", fmt.Errorf("former province %s: %w", fp.Code, err)
			}
			of.City = kind == "Thành phố"
			sort.Slice(fp.District, func(i, j int) bool { return fp.District[i].Code < fp.District[j].Code })
			for _, d := range fp.District {
				k, err := kindOf(d.FullName, d.Name, districtKinds)
				if err != nil {
					return nil, "", fmt.Errorf("district %s: %w", d.Code, err)
				}
				od := outDistrict{Code: d.Code, Kind: k, Name: d.Name}
				if len(d.Ward) == 0 {
					od.To = succ[d.Code]
				}
				sort.Slice(d.Ward, func(i, j int) bool { return d.Ward[i].Code < d.Ward[j].Code })
				for _, w := range d.Ward {
					k, err := kindOf(w.FullName, w.Name, communeKinds)
					if err != nil {
						return nil, "", fmt.Errorf("pre-2025 commune %s: %w", w.Code, err)
					}
					od.Communes = append(od.Communes, outCommune{Code: w.Code, Kind: k, Name: w.Name, To: succ[w.Code]})
					nOld++
				}
				of.Districts = append(of.Districts, od)
				nDistricts++
			}
			op.Former = append(op.Former, of)
			nFormer++
		}
		out.Provinces = append(out.Provinces, op)
	}
	known := map[string]bool{}
	for _, p := range pre {
		for _, d := range p.District {
			known[d.Code] = true
			for _, w := range d.Ward {
				known[w.Code] = true
			}
		}
	}
	var unknown []string
	for old := range targetsOf {
		if !known[old] {
			unknown = append(unknown, old)
		}
	}
	sort.Strings(unknown)
	// The mapping also lists a few communes the 01/03/2025 snapshot no longer
	// has: they had already been merged, and the snapshot is the history kept.
	fmt.Fprintf(notes, "gen: note: the mapping lists %d former communes not in pre2025/units.json, ignored: %v\n", len(unknown), unknown)

	raw, err := json.Marshal(out)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression) // no name or time in the header: reproducible
	if err != nil {
		return nil, "", err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	sum := fmt.Sprintf("%d provinces, %d communes; history: %d former provinces, %d districts, %d communes "+
		"(splits: %d resolved by own code, %d by former district, %d by order, %d given to a new commune without predecessor; %d merge into the province)",
		len(out.Provinces), nCommunes, nFormer, nDistricts, nOld, nOwn, nHome, nFirst, nOrphans, nOutside)
	return buf.Bytes(), sum, nil
}
