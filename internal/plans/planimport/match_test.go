package planimport

import (
	"slices"
	"testing"

	"khienso/internal/units"
)

// Unit IDs of the test directory (Nghệ An, as named in plan 774/KH-UBND).
const (
	idTTTT int64 = iota + 1
	idPolice
	idMilitary
	idHomeAffairs
	idFinance
	idPlanning
	idBaoNgheAn
	idRadioTV
	idPortal
	idScience
	idEducation
	idHealth
	idYouthUnion
	idWomenUnion
	idVinh
	idNghiLoc
	idCuaLo
	idThaiHoaOld
	idNghiPhong
	idProvince
	idViettel
	idEconomicZone
	idSchool
)

func testDirectory() Directory {
	return Directory{
		{ID: idTTTT, Name: "Sở Thông tin và Truyền thông", ShortName: "Sở TT&TT", Type: units.TypeDepartment},
		{ID: idPolice, Name: "Công an tỉnh", Type: units.TypePolice},
		{ID: idMilitary, Name: "Bộ Chỉ huy Quân sự tỉnh", ShortName: "BCHQS tỉnh", Type: units.TypeMilitary},
		{ID: idHomeAffairs, Name: "Sở Nội vụ", Type: units.TypeDepartment},
		{ID: idFinance, Name: "Sở Tài chính", Type: units.TypeDepartment},
		{ID: idPlanning, Name: "Sở Kế hoạch và Đầu tư", Type: units.TypeDepartment},
		{ID: idBaoNgheAn, Name: "Báo Nghệ An", Type: units.TypePress},
		{ID: idRadioTV, Name: "Đài Phát thanh và Truyền hình Nghệ An", Type: units.TypePress},
		{ID: idPortal, Name: "Cổng Thông tin điện tử tỉnh", Type: units.TypeOther},
		{ID: idScience, Name: "Sở Khoa học và Công nghệ", Type: units.TypeDepartment},
		{ID: idEducation, Name: "Sở Giáo dục và Đào tạo", Type: units.TypeDepartment},
		{ID: idHealth, Name: "Sở Y tế", Type: units.TypeDepartment},
		{ID: idYouthUnion, Name: "Tỉnh đoàn Nghệ An", Type: units.TypeMassOrg},
		{ID: idWomenUnion, Name: "Hội Liên hiệp Phụ nữ tỉnh Nghệ An", Type: units.TypeMassOrg},
		{ID: idVinh, Name: "UBND thành phố Vinh", Type: units.TypeDistrict},
		{ID: idNghiLoc, Name: "UBND huyện Nghi Lộc", Type: units.TypeDistrict},
		{ID: idCuaLo, Name: "UBND thị xã Cửa Lò", Type: units.TypeDistrict},
		{ID: idThaiHoaOld, Name: "UBND huyện Nghĩa Đàn (cũ)", Type: units.TypeDistrict, Closed: true},
		{ID: idNghiPhong, Name: "UBND xã Nghi Phong", Type: units.TypeCommune},
		{ID: idProvince, Name: "Ủy ban nhân dân tỉnh Nghệ An", ShortName: "UBND tỉnh", Type: units.TypeProvinceCommittee},
		{ID: idViettel, Name: "Viettel Nghệ An", Type: units.TypeTelecomIT},
		{ID: idEconomicZone, Name: "Ban Quản lý Khu kinh tế Đông Nam", Type: units.TypeDepartment},
		{ID: idSchool, Name: "Trường THPT Huỳnh Thúc Kháng", Type: units.TypeSchool},
	}
}

var (
	departments         = []int64{idTTTT, idHomeAffairs, idFinance, idPlanning, idScience, idEducation, idHealth, idEconomicZone}
	departmentsAndMass  = []int64{idTTTT, idHomeAffairs, idFinance, idPlanning, idScience, idEducation, idHealth, idYouthUnion, idWomenUnion, idEconomicZone}
	districts           = []int64{idVinh, idNghiLoc, idCuaLo}
	deptsMassDistricts  = []want{{"Các sở, ban, ngành, đoàn thể, tổ chức chính trị - xã hội cấp tỉnh", GroupDepartments, departmentsAndMass}, {"UBND các huyện, thành phố, thị xã", GroupDistricts, districts}}
	deptsDistricts      = []want{{"Các sở, ban, ngành", GroupDepartments, departments}, {"UBND các huyện, thị xã, thành phố", GroupDistricts, districts}}
	deptsMassDistricts2 = []want{{"Các sở, ban, ngành, đoàn thể cấp tỉnh", GroupDepartments, departmentsAndMass}, {"UBND các huyện, thị xã, thành phố", GroupDistricts, districts}}
)

type want struct {
	phrase string
	group  string
	ids    []int64
}

func one(phrase string, id int64) want { return want{phrase, "", []int64{id}} }

func checkMatches(t *testing.T, cell string, got []Match, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("MatchUnits(%q): %d phrases %+v, want %d", cell, len(got), got, len(wants))
		return
	}
	for i, w := range wants {
		g := got[i]
		if g.Phrase != w.phrase || g.Group != w.group || !slices.Equal(g.UnitIDs, w.ids) {
			t.Errorf("MatchUnits(%q)[%d] = {%q %q %v %.2f}, want {%q %q %v}", cell, i, g.Phrase, g.Group, g.UnitIDs, g.Confidence, w.phrase, w.group, w.ids)
			continue
		}
		switch {
		case len(w.ids) == 0 && w.group == "" && (g.Confidence != 0):
			t.Errorf("MatchUnits(%q)[%d]: not found must have confidence 0, got %.2f", cell, i, g.Confidence)
		case len(w.ids) > 0 && g.Confidence < MinConfidence:
			t.Errorf("MatchUnits(%q)[%d]: resolved with confidence %.2f", cell, i, g.Confidence)
		case w.group != "" && g.Confidence != 1:
			t.Errorf("MatchUnits(%q)[%d]: group confidence %.2f, want 1", cell, i, g.Confidence)
		}
	}
}

// Every lead and coordinating cell of plan 774/KH-UBND resolves to the
// right units.
func TestMatchSeedCells(t *testing.T) {
	m := NewMatcher(testDirectory())
	cases := []struct {
		cell  string
		wants []want
	}{
		// Lead cells.
		{"Các sở, ban, ngành, đoàn thể, tổ chức chính trị - xã hội cấp tỉnh và UBND các huyện, thành phố, thị xã.", deptsMassDistricts},
		{"Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh", []want{one("Công an tỉnh", idPolice), one("Bộ Chỉ huy Quân sự tỉnh", idMilitary)}},
		{"- Sở Thông tin và Truyền thông: về an toàn thông tin mạng;\n- Công an tỉnh: về an ninh mạng;\n- Bộ Chỉ huy Quân sự tỉnh: về bảo vệ Tổ quốc, chủ quyền quốc gia trên không gian mạng",
			[]want{one("Sở Thông tin và Truyền thông", idTTTT), one("Công an tỉnh", idPolice), one("Bộ Chỉ huy Quân sự tỉnh", idMilitary)}},
		{"Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh, Sở Thông tin và Truyền thông",
			[]want{one("Công an tỉnh", idPolice), one("Bộ Chỉ huy Quân sự tỉnh", idMilitary), one("Sở Thông tin và Truyền thông", idTTTT)}},
		{"- Sở Thông tin và truyền thông: nội dung liên quan an toàn thông tin mạng;\n- Công an tỉnh: nội dung về an ninh mạng",
			[]want{one("Sở Thông tin và truyền thông", idTTTT), one("Công an tỉnh", idPolice)}},
		{"Sở Thông tin và Truyền thông", []want{one("Sở Thông tin và Truyền thông", idTTTT)}},
		{"Các sở, ban, ngành, đoàn thể cấp tỉnh; UBND các huyện, thị xã, thành phố", deptsMassDistricts2},
		{"Chủ quản hệ thống thông tin", []want{{"Chủ quản hệ thống thông tin", GroupSystemOwners, []int64{}}}},
		{"Công an tỉnh", []want{one("Công an tỉnh", idPolice)}},
		{"Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", deptsDistricts},
		{"Báo Nghệ An, Đài Phát thanh và Truyền hình Nghệ An; Cổng TTĐT",
			[]want{one("Báo Nghệ An", idBaoNgheAn), one("Đài Phát thanh và Truyền hình Nghệ An", idRadioTV), one("Cổng TTĐT", idPortal)}},
		{"Sở Thông tin và Truyền thông (liên quan đến ATTT mạng); Công an tỉnh (liên quan đến an ninh mạng)",
			[]want{one("Sở Thông tin và Truyền thông", idTTTT), one("Công an tỉnh", idPolice)}},
		{"Sở Nội vụ", []want{one("Sở Nội vụ", idHomeAffairs)}},
		{"Sở Tài chính, Sở Kế hoạch và Đầu tư", []want{one("Sở Tài chính", idFinance), one("Sở Kế hoạch và Đầu tư", idPlanning)}},
		{"Sở Tài chính", []want{one("Sở Tài chính", idFinance)}},
		{"Sở Nội vụ; Công an tỉnh; Sở Thông tin và Truyền thông",
			[]want{one("Sở Nội vụ", idHomeAffairs), one("Công an tỉnh", idPolice), one("Sở Thông tin và Truyền thông", idTTTT)}},
		// Coordinating cells.
		{"Các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố, thị xã.",
			[]want{{"Các sở, ban, ngành", GroupDepartments, departments}, {"Ủy ban nhân dân các huyện, thành phố, thị xã", GroupDistricts, districts}}},
		{"Các sở, ban, ngành, địa phương liên quan.", []want{{"Các sở, ban, ngành, địa phương liên quan", GroupRelatedUnits, []int64{}}}},
		{"Các đơn vị liên quan", []want{{"Các đơn vị liên quan", GroupRelatedUnits, []int64{}}}},
		{"Công an tỉnh; Sở Thông tin và Truyền thông", []want{one("Công an tỉnh", idPolice), one("Sở Thông tin và Truyền thông", idTTTT)}},
		{"Sở Thông và truyền thông; Công an tỉnh", []want{one("Sở Thông và truyền thông", idTTTT), one("Công an tỉnh", idPolice)}},
		{"Công an tỉnh, Sở Thông tin và Truyền thông, Sở Tài chính",
			[]want{one("Công an tỉnh", idPolice), one("Sở Thông tin và Truyền thông", idTTTT), one("Sở Tài chính", idFinance)}},
		{"Các sở, ban, ngành, đoàn thể; UBND các huyện, thị xã, thành phố",
			[]want{{"Các sở, ban, ngành, đoàn thể", GroupDepartments, departmentsAndMass}, {"UBND các huyện, thị xã, thành phố", GroupDistricts, districts}}},
		{"", nil},
		{" \u00a0", nil},
	}
	for _, c := range cases {
		checkMatches(t, c.cell, m.Match(c.cell), c.wants)
	}
}

func TestMatchOtherPhrases(t *testing.T) {
	dir := testDirectory()
	cases := []struct {
		cell  string
		wants []want
	}{
		// Abbreviations.
		{"Sở TT&TT", []want{one("Sở TT&TT", idTTTT)}},
		{"Sở TTTT, Sở KH&CN, Sở GD&ĐT", []want{one("Sở TTTT", idTTTT), one("Sở KH&CN", idScience), one("Sở GD&ĐT", idEducation)}},
		{"BCHQS tỉnh", []want{one("BCHQS tỉnh", idMilitary)}},
		{"Sở TT & TT", []want{one("Sở TT & TT", idTTTT)}},
		{"Cổng Thông tin điện tử tỉnh", []want{one("Cổng Thông tin điện tử tỉnh", idPortal)}},
		// Diacritics and case.
		{"SO NOI VU; cong an tinh", []want{one("SO NOI VU", idHomeAffairs), one("cong an tinh", idPolice)}},
		// The province name may be left out or added.
		{"Đài Phát thanh và Truyền hình", []want{one("Đài Phát thanh và Truyền hình", idRadioTV)}},
		{"Báo Nghệ An, Đài Phát thanh và Truyền hình, Cổng Thông tin điện tử tỉnh",
			[]want{one("Báo Nghệ An", idBaoNgheAn), one("Đài Phát thanh và Truyền hình", idRadioTV), one("Cổng Thông tin điện tử tỉnh", idPortal)}},
		{"Công an tỉnh Nghệ An", []want{one("Công an tỉnh Nghệ An", idPolice)}},
		{"UBND tỉnh", []want{one("UBND tỉnh", idProvince)}},
		// A locality with or without "Ủy ban nhân dân".
		{"Huyện Nghi Lộc", []want{one("Huyện Nghi Lộc", idNghiLoc)}},
		{"UBND huyện Nghi Lộc, thị xã Cửa Lò", []want{one("UBND huyện Nghi Lộc", idNghiLoc), one("thị xã Cửa Lò", idCuaLo)}},
		// Groups.
		{"UBND các xã, phường, thị trấn", []want{{"UBND các xã, phường, thị trấn", GroupCommunes, []int64{idNghiPhong}}}},
		{"Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", []want{
			{"Mặt trận Tổ quốc", "", []int64{}}, {"các tổ chức chính trị - xã hội", GroupMassOrgs, []int64{idYouthUnion, idWomenUnion}}}},
		{"Các cơ quan báo chí", []want{{"Các cơ quan báo chí", GroupPress, []int64{idBaoNgheAn, idRadioTV}}}},
		{"Các doanh nghiệp viễn thông, công nghệ thông tin trên địa bàn",
			[]want{{"Các doanh nghiệp viễn thông, công nghệ thông tin trên địa bàn", GroupTelecomIT, []int64{idViettel}}}},
		{"Các cơ sở giáo dục", []want{{"Các cơ sở giáo dục", GroupSchools, []int64{idSchool}}}},
		{"Các sở, ban, ngành khác", []want{{"Các sở, ban, ngành khác", GroupDepartments, departments}}},
		// Labels and remarks.
		{"Chủ trì: Sở Nội vụ", []want{one("Sở Nội vụ", idHomeAffairs)}},
		{"Sở Y tế (phối hợp, hướng dẫn", []want{one("Sở Y tế", idHealth)}},
		// Names that keep their commas and "và".
		{"Sở Kế hoạch và Đầu tư, Ban Quản lý Khu kinh tế Đông Nam", []want{one("Sở Kế hoạch và Đầu tư", idPlanning), one("Ban Quản lý Khu kinh tế Đông Nam", idEconomicZone)}},
		// Not in the directory: left for the reviewer.
		{"Ban Tuyên giáo Tỉnh ủy", []want{{"Ban Tuyên giáo Tỉnh ủy", "", []int64{}}}},
		{"Sở Ngoại vụ", []want{{"Sở Ngoại vụ", "", []int64{}}}},
	}
	for _, c := range cases {
		checkMatches(t, c.cell, MatchUnits(c.cell, dir), c.wants)
	}
}

func TestMatchConfidence(t *testing.T) {
	dir := testDirectory()
	exact := MatchUnits("Sở Thông tin và Truyền thông", dir)
	fuzzy := MatchUnits("Sở Thông và truyền thông", dir)
	if exact[0].Confidence != 1 {
		t.Errorf("exact name: confidence %.3f, want 1", exact[0].Confidence)
	}
	if c := fuzzy[0].Confidence; c >= 1 || c < MinConfidence {
		t.Errorf("name with a missing word: confidence %.3f, want in [%.1f, 1)", c, MinConfidence)
	}
	// Not found: no IDs, confidence 0, suggestions for the reviewer.
	nf := MatchUnits("Sở Ngoại vụ", dir)[0]
	if nf.Confidence != 0 || len(nf.UnitIDs) != 0 {
		t.Errorf("not found: %+v", nf)
	}
	if len(nf.Suggestions) == 0 || len(nf.Suggestions) > 3 {
		t.Errorf("not found: suggestions %v, want 1 to 3", nf.Suggestions)
	}
}

func TestMatchClosedAndAmbiguous(t *testing.T) {
	dir := Directory{
		{ID: 1, Name: "Sở Thông tin và Truyền thông", Type: units.TypeDepartment, Closed: true},
		{ID: 2, Name: "Sở Thông tin và Truyền thông", Type: units.TypeDepartment},
		{ID: 3, Name: "Trung tâm Công nghệ thông tin", Type: units.TypeOther},
		{ID: 4, Name: "Trung tâm Công nghệ thông tin", Type: units.TypeOther},
		{ID: 5, Name: "Sở Văn hóa và Thể thao", Type: units.TypeDepartment, Closed: true},
	}
	got := MatchUnits("Sở Thông tin và Truyền thông", dir)
	if !slices.Equal(got[0].UnitIDs, []int64{2}) {
		t.Errorf("open unit should win over a closed one of the same name: %+v", got[0])
	}
	got = MatchUnits("Trung tâm Công nghệ thông tin", dir)
	if len(got[0].UnitIDs) != 0 || got[0].Confidence != 0 || !slices.Equal(got[0].Suggestions, []int64{3, 4}) {
		t.Errorf("two open units with one name must be left to the reviewer: %+v", got[0])
	}
	got = MatchUnits("Sở Văn hóa và Thể thao", dir)
	if !slices.Equal(got[0].UnitIDs, []int64{5}) || got[0].Confidence >= 1 {
		t.Errorf("a closed unit is still found by its name, with lower confidence: %+v", got[0])
	}
	got = MatchUnits("Các sở, ban, ngành", dir)
	if !slices.Equal(got[0].UnitIDs, []int64{2}) {
		t.Errorf("groups hold only open units: %+v", got[0])
	}
}

func TestMatchEmptyDirectory(t *testing.T) {
	got := MatchUnits("Sở Nội vụ; Các sở, ban, ngành", nil)
	if len(got) != 2 || len(got[0].UnitIDs) != 0 || got[0].Confidence != 0 || got[1].Group != GroupDepartments || len(got[1].UnitIDs) != 0 {
		t.Errorf("empty directory: %+v", got)
	}
}

// largeDirectory adds hundreds of communes and schools with similar names,
// as a real province has, to the test directory.
func largeDirectory() Directory {
	dir := testDirectory()
	first := []string{"Nghi", "Diễn", "Quỳnh", "Hưng", "Thanh", "Nam", "Đô", "Anh", "Yên", "Con"}
	second := []string{"Phong", "Thái", "Hải", "Lộc", "Xuân", "Thành", "Hòa", "Long", "Mỹ", "Sơn", "Trung", "Tân", "Kim", "Hồng", "Lâm"}
	id := int64(1000)
	for _, a := range first {
		for _, b := range second {
			if a == "Nghi" && b == "Phong" {
				continue // already in the test directory
			}
			dir = append(dir, Candidate{ID: id, Name: "UBND xã " + a + " " + b, Type: units.TypeCommune})
			dir = append(dir, Candidate{ID: id + 1, Name: "Trường THCS " + a + " " + b, Type: units.TypeSchool})
			dir = append(dir, Candidate{ID: id + 2, Name: "Trường Tiểu học " + a + " " + b, Type: units.TypeSchool})
			id += 3
		}
	}
	return dir
}

func TestMatchLargeDirectory(t *testing.T) {
	dir := largeDirectory()
	m := NewMatcher(dir)
	for _, c := range []struct {
		cell  string
		wants []want
	}{
		{"Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh", []want{one("Công an tỉnh", idPolice), one("Bộ Chỉ huy Quân sự tỉnh", idMilitary)}},
		{"Báo Nghệ An, Đài Phát thanh và Truyền hình Nghệ An; Cổng TTĐT",
			[]want{one("Báo Nghệ An", idBaoNgheAn), one("Đài Phát thanh và Truyền hình Nghệ An", idRadioTV), one("Cổng TTĐT", idPortal)}},
		{"Sở Thông và truyền thông", []want{one("Sở Thông và truyền thông", idTTTT)}},
		{"UBND tỉnh", []want{one("UBND tỉnh", idProvince)}},
		{"UBND xã Nghi Phong", []want{one("UBND xã Nghi Phong", idNghiPhong)}},
		{"Xã Nghi Phong", []want{one("Xã Nghi Phong", idNghiPhong)}},
		{"Trường THCS Diễn Hải", []want{one("Trường THCS Diễn Hải", idOf(dir, "Trường THCS Diễn Hải"))}},
		{"Trường Tiểu học Diễn Hải", []want{one("Trường Tiểu học Diễn Hải", idOf(dir, "Trường Tiểu học Diễn Hải"))}},
		// Names that differ in the proper name are other units.
		{"UBND xã Nghi Vạn", []want{{"UBND xã Nghi Vạn", "", []int64{}}}},
		{"Trường THPT Diễn Hải", []want{{"Trường THPT Diễn Hải", "", []int64{}}}},
	} {
		checkMatches(t, c.cell, m.Match(c.cell), c.wants)
	}
	communes := MatchUnits("UBND các xã, phường, thị trấn", dir)[0]
	if communes.Group != GroupCommunes || len(communes.UnitIDs) != 150 {
		t.Errorf("communes group: %s with %d units, want 150", communes.Group, len(communes.UnitIDs))
	}
}

func idOf(dir Directory, name string) int64 {
	for _, c := range dir {
		if c.Name == name {
			return c.ID
		}
	}
	return -1
}

func BenchmarkMatch(b *testing.B) {
	m := NewMatcher(largeDirectory())
	cells := []string{leadAllUnits, "Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh", "Báo Nghệ An, Đài Phát thanh và Truyền hình Nghệ An; Cổng TTĐT",
		"Sở Thông và truyền thông; Công an tỉnh", "Ban Tuyên giáo Tỉnh ủy", "UBND xã Nghi Vạn"}
	for b.Loop() {
		for _, c := range cells {
			m.Match(c)
		}
	}
}

// A national plan names the province committees as a group.
func TestMatchProvincesGroup(t *testing.T) {
	dir := Directory{
		{ID: 1, Name: "Ủy ban nhân dân tỉnh Nghệ An", ShortName: "UBND tỉnh Nghệ An", Type: units.TypeProvinceCommittee},
		{ID: 2, Name: "Ủy ban nhân dân tỉnh Hà Tĩnh", ShortName: "UBND tỉnh Hà Tĩnh", Type: units.TypeProvinceCommittee},
		{ID: 3, Name: "Xã Nghi Phong", Type: units.TypeCommune},
		{ID: 4, Name: "Công an tỉnh Nghệ An", Type: units.TypePolice},
	}
	for _, cell := range []string{"UBND các tỉnh, thành phố trực thuộc Trung ương", "Ủy ban nhân dân các tỉnh, thành phố"} {
		checkMatches(t, cell, MatchUnits(cell, dir), []want{{cell, GroupProvinces, []int64{1, 2}}})
	}
}
