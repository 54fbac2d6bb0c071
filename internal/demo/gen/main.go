// Command gen builds internal/demo/nghe_an.json, the demo dataset for Nghệ An
// (province code "40"), from the public administrative-unit data kept in the
// shared data folder, plus a hand-written list of provincial organisations.
//
// Run it from the repository root:
//
//	go run ./internal/demo/gen [-data ../shared/data/admin-units] [-out internal/demo/nghe_an.json]
//
// The rules it applies (code reuse, partial splits, dates) are documented in
// internal/demo/dataset.go. The program is deliberately self-contained (it
// does not import package demo) so that it still builds when nghe_an.json is
// missing or broken.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	provinceCode = "40"
	historyStart = "2021-01-01" // start of history for everything that existed then
	reformDate   = "2025-07-01" // two-tier local government (districts abolished)
	dicMergeDate = "2025-03-01" // DIC merged into the Department of Science and Technology
	oldSuffix    = ".old"       // appended to a pre-2025 commune code reused by a 2026 commune
	sampleYear   = 2025         // year of the sample headcounts
)

// unit and merge mirror demo.Unit and demo.Merge with the same JSON names.
type unit struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	ShortName     string `json:"short_name"`
	Type          string `json:"type"`
	SchoolLevel   string `json:"school_level,omitempty"`
	ParentCode    string `json:"parent_code,omitempty"`
	ValidFrom     string `json:"valid_from"`
	ValidTo       string `json:"valid_to,omitempty"`
	StaffCount    int    `json:"staff_count,omitempty"`
	PupilCount    int    `json:"pupil_count,omitempty"`
	HeadcountYear int    `json:"headcount_year,omitempty"`
}

type merge struct {
	Sources []string `json:"sources"`
	Target  string   `json:"target"`
	Date    string   `json:"date"`
}

// Source file shapes (only the fields used).
type (
	ward2026 struct {
		Code, Name, FullName string
	}
	province2026 struct {
		Code, FullName string
		Wards          []ward2026
	}
	wardPre struct {
		Code, Name, FullName, DistrictCode string
	}
	districtPre struct {
		Code, Name, FullName string
		Ward                 []wardPre
	}
	provincePre struct {
		Code, FullName string
		District       []districtPre
	}
	mergesFile struct {
		Data []struct {
			Level1ID string `json:"level1_id"`
			Level2s  []struct {
				Level2ID string `json:"level2_id"`
				Name     string `json:"name"`
				Merges   []struct {
					OldID string `json:"old_id"`
					Name  string `json:"name"`
					Type  string `json:"type"`
				} `json:"merges"`
			} `json:"level2s"`
		} `json:"data"`
	}
	splitsFile struct {
		Data []struct {
			Level1ID string `json:"level1_id"`
			Level3s  []struct {
				Level3ID string `json:"level3_id"`
				Name     string `json:"name"`
				Splits   []struct {
					NewID string `json:"new_id"`
					Name  string `json:"name"`
				} `json:"splits"`
			} `json:"level3s"`
		} `json:"data"`
	}
)

func main() {
	dataDir := flag.String("data", "../shared/data/admin-units", "folder holding 2026/, pre2025/ and old-to-new-2025/")
	out := flag.String("out", "internal/demo/nghe_an.json", "output file")
	flag.Parse()

	b, err := generate(*dataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes)\n", *out, len(b))
}

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

func generate(dir string) ([]byte, error) {
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
			return nil, err
		}
	}

	// --- 2026 communes.
	var newWards []ward2026
	for _, p := range now {
		if p.Code == provinceCode {
			newWards = append(newWards, p.Wards...)
		}
	}
	if len(newWards) == 0 {
		return nil, fmt.Errorf("province %s not found in 2026/units.json", provinceCode)
	}
	sort.Slice(newWards, func(i, j int) bool { return newWards[i].Code < newWards[j].Code })
	newByCode := map[string]ward2026{}
	for _, w := range newWards {
		newByCode[w.Code] = w
	}

	// --- Pre-2025 districts and communes.
	var districts []districtPre
	for _, p := range pre {
		if p.Code == provinceCode {
			districts = append(districts, p.District...)
		}
	}
	if len(districts) == 0 {
		return nil, fmt.Errorf("province %s not found in pre2025/units.json", provinceCode)
	}
	sort.Slice(districts, func(i, j int) bool { return districts[i].Code < districts[j].Code })
	oldDistrict := map[string]string{} // old commune code -> district code
	var oldCodes []string
	for _, d := range districts {
		for _, w := range d.Ward {
			if _, dup := oldDistrict[w.Code]; dup {
				return nil, fmt.Errorf("pre-2025 commune code %s appears twice", w.Code)
			}
			oldDistrict[w.Code] = d.Code
			oldCodes = append(oldCodes, w.Code)
		}
	}
	emitted := func(old string) string { // the code an old commune gets in the dataset
		if _, reused := newByCode[old]; reused {
			return old + oldSuffix
		}
		return old
	}

	// --- Old -> new mapping. splits.json gives, for each old commune, the new
	// communes it went to (several when it was split).
	targetsOf := map[string][]string{}
	for _, p := range splits.Data {
		if p.Level1ID != provinceCode {
			continue
		}
		for _, o := range p.Level3s {
			for _, s := range o.Splits {
				targetsOf[o.Level3ID] = append(targetsOf[o.Level3ID], s.NewID)
			}
		}
	}
	// merges.json lists, for each new commune, its old communes; it must say
	// the same as splits.json.
	sourcesOf := map[string][]string{}
	for _, p := range merges.Data {
		if p.Level1ID != provinceCode {
			continue
		}
		for _, n := range p.Level2s {
			if _, ok := newByCode[n.Level2ID]; !ok {
				return nil, fmt.Errorf("merges.json: new commune %s %s not in 2026/units.json", n.Level2ID, n.Name)
			}
			if n.Name != newByCode[n.Level2ID].FullName {
				fmt.Fprintf(os.Stderr, "gen: note: %s named %q in merges.json, %q in 2026/units.json (using the latter)\n",
					n.Level2ID, n.Name, newByCode[n.Level2ID].FullName)
			}
			for _, o := range n.Merges {
				sourcesOf[n.Level2ID] = append(sourcesOf[n.Level2ID], o.OldID)
			}
		}
	}
	pairs := func(m map[string][]string, flip bool) map[[2]string]bool {
		r := map[[2]string]bool{}
		for k, vs := range m {
			for _, v := range vs {
				if flip {
					r[[2]string{v, k}] = true
				} else {
					r[[2]string{k, v}] = true
				}
			}
		}
		return r
	}
	ps, pm := pairs(targetsOf, false), pairs(sourcesOf, true)
	for p := range ps {
		if !pm[p] {
			return nil, fmt.Errorf("splits.json has %s -> %s, merges.json does not", p[0], p[1])
		}
	}
	for p := range pm {
		if !ps[p] {
			return nil, fmt.Errorf("merges.json has %s -> %s, splits.json does not", p[0], p[1])
		}
	}

	// Each old commune is the source of exactly one merge. When it was split,
	// pick the new commune whose own code comes from an old commune of the
	// same former district (the part that stayed "at home"); if that does not
	// single one out, the one listed first in splits.json.
	assigned := map[string]string{}
	for _, old := range oldCodes {
		ts := targetsOf[old]
		switch len(ts) {
		case 0:
			return nil, fmt.Errorf("old commune %s has no successor in splits.json", old)
		case 1:
			assigned[old] = ts[0]
			continue
		}
		var home []string
		for _, t := range ts {
			if oldDistrict[t] == oldDistrict[old] {
				home = append(home, t)
			}
		}
		choice, why := ts[0], "first listed"
		if len(home) == 1 {
			choice, why = home[0], "same former district"
		}
		fmt.Fprintf(os.Stderr, "gen: note: old commune %s split into %v; source of the merge into %s (%s)\n", old, ts, choice, why)
		assigned[old] = choice
	}
	if len(targetsOf) != len(oldCodes) {
		return nil, fmt.Errorf("splits.json lists %d old communes of province %s, pre2025/units.json %d", len(targetsOf), provinceCode, len(oldCodes))
	}

	// --- Units, parents before children.
	var units []unit
	units = append(units, unit{
		Code: provinceCode, Name: "Ủy ban nhân dân tỉnh Nghệ An", ShortName: "UBND tỉnh",
		Type: "province_committee", ValidFrom: historyStart,
	})
	for _, o := range orgs {
		u := unit{
			Code: o.code, Name: o.name, ShortName: o.short, Type: o.typ,
			ParentCode: provinceCode, ValidFrom: historyStart, ValidTo: o.validTo,
			StaffCount: o.staff,
		}
		if u.StaffCount > 0 {
			u.HeadcountYear = sampleYear
		}
		units = append(units, u)
	}
	for _, d := range districts {
		units = append(units, unit{
			Code: d.Code, Name: d.FullName, ShortName: districtShort(d),
			Type: "district", ParentCode: provinceCode, ValidFrom: historyStart, ValidTo: reformDate,
		})
	}
	for _, d := range districts {
		for _, w := range d.Ward {
			units = append(units, unit{
				Code: emitted(w.Code), Name: w.FullName, ShortName: w.Name,
				Type: "commune", ParentCode: d.Code, ValidFrom: historyStart, ValidTo: reformDate,
			})
		}
	}
	for _, w := range newWards {
		units = append(units, unit{
			Code: w.Code, Name: w.FullName, ShortName: w.Name,
			Type: "commune", ParentCode: provinceCode, ValidFrom: reformDate,
		})
	}
	for _, s := range upperSecondary {
		units = append(units, unit{
			Code: s.code, Name: "Trường " + s.name, ShortName: s.name,
			Type: "school", SchoolLevel: "upper_secondary", ParentCode: "40-SGDDT", ValidFrom: historyStart,
			StaffCount: s.staff, PupilCount: s.pupils, HeadcountYear: sampleYear,
		})
	}
	for _, s := range lowerSecondary {
		w, ok := newByCode[s.commune]
		if !ok {
			return nil, fmt.Errorf("lower-secondary school %s: commune %s not in 2026 data", s.code, s.commune)
		}
		units = append(units, unit{
			Code: s.code, Name: "Trường THCS " + w.Name, ShortName: "THCS " + w.Name,
			Type: "school", SchoolLevel: "lower_secondary", ParentCode: w.Code, ValidFrom: reformDate,
			StaffCount: s.staff, PupilCount: s.pupils, HeadcountYear: sampleYear,
		})
	}

	// --- Merges.
	var ms []merge
	for _, w := range newWards {
		m := merge{Target: w.Code, Date: reformDate}
		for _, old := range sourcesOf[w.Code] {
			if assigned[old] == w.Code {
				m.Sources = append(m.Sources, emitted(old))
			}
		}
		if len(m.Sources) == 0 {
			return nil, fmt.Errorf("new commune %s has no source after resolving splits", w.Code)
		}
		ms = append(ms, m)
	}
	for _, d := range districts {
		ms = append(ms, merge{Sources: []string{d.Code}, Target: provinceCode, Date: reformDate})
	}
	ms = append(ms, merge{Sources: []string{"40-STTTT"}, Target: "40-SKHCN", Date: dicMergeDate})

	// --- Output: one record per line.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	writeList := func(name string, n int, item func(i int) any) error {
		fmt.Fprintf(&buf, "%q: [\n", name)
		for i := 0; i < n; i++ {
			if err := enc.Encode(item(i)); err != nil {
				return err
			}
			if i < n-1 { // Encode ends with '\n'; put the comma before it
				buf.Truncate(buf.Len() - 1)
				buf.WriteString(",\n")
			}
		}
		buf.WriteString("]")
		return nil
	}
	buf.WriteString("{\n")
	if err := writeList("units", len(units), func(i int) any { return units[i] }); err != nil {
		return nil, err
	}
	buf.WriteString(",\n")
	if err := writeList("merges", len(ms), func(i int) any { return ms[i] }); err != nil {
		return nil, err
	}
	buf.WriteString("\n}\n")
	if !json.Valid(buf.Bytes()) {
		return nil, fmt.Errorf("internal error: generated JSON is invalid")
	}
	return buf.Bytes(), nil
}

func districtShort(d districtPre) string {
	switch {
	case strings.HasPrefix(d.FullName, "Thành phố "):
		return "TP " + d.Name
	case strings.HasPrefix(d.FullName, "Thị xã "):
		return "TX " + d.Name
	case strings.HasPrefix(d.FullName, "Huyện "):
		return "H. " + d.Name
	}
	return d.Name
}

// Provincial organisations directly under the Province People's Committee.
// Names are those in use in 2026 (after the March 2025 merger of departments);
// as agreed for the demo, each is given the whole 2021- history under its
// current name, except the former DIC. staff: plausible sample figures for
// the demo (HeadcountYear 2025), not official numbers; 0 = unknown.
var orgs = []struct {
	code, name, short, typ, validTo string
	staff                           int
}{
	{"40-SKHCN", "Sở Khoa học và Công nghệ tỉnh Nghệ An", "Sở KH&CN", "dic", "", 95},
	{"40-STTTT", "Sở Thông tin và Truyền thông tỉnh Nghệ An", "Sở TT&TT", "dic", dicMergeDate, 0},
	{"40-VPUBND", "Văn phòng Ủy ban nhân dân tỉnh Nghệ An", "VP UBND tỉnh", "department", "", 120},
	{"40-TTR", "Thanh tra tỉnh Nghệ An", "Thanh tra tỉnh", "department", "", 60},
	{"40-SNV", "Sở Nội vụ tỉnh Nghệ An", "Sở Nội vụ", "department", "", 150},
	{"40-STC", "Sở Tài chính tỉnh Nghệ An", "Sở Tài chính", "department", "", 140},
	{"40-SGDDT", "Sở Giáo dục và Đào tạo tỉnh Nghệ An", "Sở GD&ĐT", "department", "", 110},
	{"40-SYT", "Sở Y tế tỉnh Nghệ An", "Sở Y tế", "department", "", 100},
	{"40-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Nghệ An", "Sở VHTT&DL", "department", "", 90},
	{"40-STP", "Sở Tư pháp tỉnh Nghệ An", "Sở Tư pháp", "department", "", 45},
	{"40-SXD", "Sở Xây dựng tỉnh Nghệ An", "Sở Xây dựng", "department", "", 130},
	{"40-SNNMT", "Sở Nông nghiệp và Môi trường tỉnh Nghệ An", "Sở NN&MT", "department", "", 260},
	{"40-SCT", "Sở Công Thương tỉnh Nghệ An", "Sở Công Thương", "department", "", 70},
	{"40-SDTTG", "Sở Dân tộc và Tôn giáo tỉnh Nghệ An", "Sở DT&TG", "department", "", 40},
	{"40-BQLKKT", "Ban Quản lý Khu kinh tế Đông Nam Nghệ An", "BQL KKT Đông Nam", "department", "", 55},
	{"40-CA", "Công an tỉnh Nghệ An", "Công an tỉnh", "police", "", 0},
	{"40-BCHQS", "Bộ Chỉ huy Quân sự tỉnh Nghệ An", "Bộ CHQS tỉnh", "military", "", 0},
	{"40-BPTTH", "Báo và Phát thanh, Truyền hình Nghệ An", "Báo và PT-TH Nghệ An", "press", "", 0},
	{"40-MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Nghệ An", "Ủy ban MTTQ tỉnh", "mass_org", "", 0},
	{"40-TINHDOAN", "Tỉnh đoàn Nghệ An", "Tỉnh đoàn", "mass_org", "", 0},
	{"40-HLHPN", "Hội Liên hiệp Phụ nữ tỉnh Nghệ An", "Hội LHPN tỉnh", "mass_org", "", 0},
	{"40-LDLD", "Liên đoàn Lao động tỉnh Nghệ An", "LĐLĐ tỉnh", "mass_org", "", 0},
	{"40-DHVINH", "Trường Đại học Vinh", "ĐH Vinh", "university", "", 0},
	{"40-DHYKV", "Trường Đại học Y khoa Vinh", "ĐH Y khoa Vinh", "university", "", 0},
	{"40-DHSPKTV", "Trường Đại học Sư phạm Kỹ thuật Vinh", "ĐH SPKT Vinh", "university", "", 0},
	{"40-DHKTNA", "Trường Đại học Kinh tế Nghệ An", "ĐH Kinh tế Nghệ An", "university", "", 0},
	{"40-VIETTEL", "Viettel Nghệ An - Chi nhánh Tập đoàn Công nghiệp - Viễn thông Quân đội", "Viettel Nghệ An", "telecom_it", "", 0},
	{"40-VNPT", "Viễn thông Nghệ An (VNPT Nghệ An)", "VNPT Nghệ An", "telecom_it", "", 0},
	{"40-BUUDIEN", "Bưu điện tỉnh Nghệ An", "Bưu điện tỉnh", "state_enterprise", "", 0},
	{"40-PCNA", "Công ty Điện lực Nghệ An", "PC Nghệ An", "state_enterprise", "", 0},
	{"40-AGRIBANK", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam - Chi nhánh Nghệ An", "Agribank Nghệ An", "bank", "", 0},
	{"40-VCB", "Ngân hàng TMCP Ngoại thương Việt Nam - Chi nhánh Nghệ An", "Vietcombank Nghệ An", "bank", "", 0},
	{"40-VIETINBANK", "Ngân hàng TMCP Công Thương Việt Nam - Chi nhánh Nghệ An", "VietinBank Nghệ An", "bank", "", 0},
	{"40-BHXH", "Bảo hiểm xã hội tỉnh Nghệ An", "BHXH tỉnh", "other", "", 0},
}

// Upper-secondary schools of Nghệ An, under the Department of Education.
// staff and pupils: plausible sample figures (school year 2025-2026), not
// official numbers.
var upperSecondary = []struct {
	code, name    string
	staff, pupils int
}{
	{"40-THPT-CHUYENPHANBOICHAU", "THPT chuyên Phan Bội Châu", 130, 1150},
	{"40-THPT-HUYNHTHUCKHANG", "THPT Huỳnh Thúc Kháng", 115, 1900},
	{"40-THPT-HAHUYTAP", "THPT Hà Huy Tập", 110, 1750},
	{"40-THPT-LEVIETTHUAT", "THPT Lê Viết Thuật", 105, 1700},
	{"40-THPT-CUALO", "THPT Cửa Lò", 80, 1250},
	{"40-THPT-NGUYENDUYTRINH", "THPT Nguyễn Duy Trinh", 90, 1450},
	{"40-THPT-HUNGNGUYEN", "THPT Hưng Nguyên", 85, 1400},
	{"40-THPT-NAMDAN1", "THPT Nam Đàn 1", 95, 1550},
	{"40-THPT-KIMLIEN", "THPT Kim Liên", 80, 1300},
	{"40-THPT-PHANDANGLUU", "THPT Phan Đăng Lưu", 95, 1600},
	{"40-THPT-PHANTHUCTRUC", "THPT Phan Thúc Trực", 85, 1400},
	{"40-THPT-NGUYENXUANON", "THPT Nguyễn Xuân Ôn", 90, 1500},
	{"40-THPT-DIENCHAU3", "THPT Diễn Châu 3", 85, 1450},
	{"40-THPT-QUYNHLUU1", "THPT Quỳnh Lưu 1", 95, 1650},
	{"40-THPT-HOANGMAI", "THPT Hoàng Mai", 85, 1400},
	{"40-THPT-DOLUONG1", "THPT Đô Lương 1", 95, 1600},
	{"40-THPT-THANHCHUONG1", "THPT Thanh Chương 1", 90, 1550},
	{"40-THPT-DANGTHUCHUA", "THPT Đặng Thúc Hứa", 80, 1300},
	{"40-THPT-THAIHOA", "THPT Thái Hòa", 80, 1250},
	{"40-THPT-ANHSON1", "THPT Anh Sơn 1", 80, 1250},
	{"40-THPT-TANKY", "THPT Tân Kỳ", 80, 1300},
	{"40-THPT-CONCUONG", "THPT Con Cuông", 70, 1000},
	{"40-THPT-KYSON", "THPT Kỳ Sơn", 65, 850},
}

// Lower-secondary schools, named "Trường THCS <commune>" after 2026 communes
// that kept the name of a former commune (the usual naming of such schools),
// under that commune. staff and pupils: plausible sample figures.
var lowerSecondary = []struct {
	code, commune string
	staff, pupils int
}{
	{"40-THCS-KIMLIEN", "17971", 40, 620},
	{"40-THCS-HANHLAM", "17722", 30, 420},
	{"40-THCS-BACHNGOC", "17623", 35, 480},
	{"40-THCS-KIMBANG", "17791", 32, 450},
	{"40-THCS-QUYNHVAN", "17143", 38, 560},
	{"40-THCS-QUYNHTAM", "17149", 30, 410},
	{"40-THCS-DONGHIEU", "17017", 33, 470},
	{"40-THCS-NGHIALOC", "17029", 28, 380},
	{"40-THCS-NGHIADONG", "17284", 30, 400},
	{"40-THCS-TANAN", "17305", 29, 390},
}
