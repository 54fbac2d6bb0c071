package setup

import (
	"strings"

	"khienso/internal/gazetteer"
	"khienso/internal/settings"
	"khienso/internal/units"
)

type org struct {
	code, name, short string
	typ               units.Type
}

// starterOrgs are the organisations every province has: the specialised
// agencies of the provincial People's Committee common to all provinces
// after the March 2025 reorganisation (Decree 45/2025/NĐ-CP: twelve, the
// Office and the Inspectorate included; departments only some provinces
// have, such as Ethnic Minorities and Religion or Foreign Affairs, are added
// on the unit page), the provincial Police and Military Command, and the
// provincial newspaper and radio-television, which merged into one body in
// 2025. Names follow the usual pattern and may be edited later.
func starterOrgs(p *gazetteer.Province, coordinator Agency) []org {
	of := " " + p.Level() + " " + p.Name // " tỉnh Hà Tĩnh"
	c := p.Code + "-"
	return []org{
		{c + "SKHCN", "Sở Khoa học và Công nghệ" + of, "Sở KH&CN", orgType(coordinator, units.TypeCoordinator)},
		{c + "VPUBND", "Văn phòng Ủy ban nhân dân" + of, "VP UBND " + shortLevel(p), units.TypeDepartment},
		{c + "TTR", "Thanh tra" + of, "Thanh tra " + shortLevel(p), units.TypeDepartment},
		{c + "SNV", "Sở Nội vụ" + of, "Sở Nội vụ", units.TypeDepartment},
		{c + "STC", "Sở Tài chính" + of, "Sở Tài chính", units.TypeDepartment},
		{c + "SGDDT", "Sở Giáo dục và Đào tạo" + of, "Sở GD&ĐT", units.TypeDepartment},
		{c + "SYT", "Sở Y tế" + of, "Sở Y tế", units.TypeDepartment},
		{c + "SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch" + of, "Sở VHTT&DL", units.TypeDepartment},
		{c + "STP", "Sở Tư pháp" + of, "Sở Tư pháp", units.TypeDepartment},
		{c + "SXD", "Sở Xây dựng" + of, "Sở Xây dựng", units.TypeDepartment},
		{c + "SNNMT", "Sở Nông nghiệp và Môi trường" + of, "Sở NN&MT", units.TypeDepartment},
		{c + "SCT", "Sở Công Thương" + of, "Sở Công Thương", units.TypeDepartment},
		{c + "CA", "Công an" + of, "Công an " + shortLevel(p), units.TypePolice},
		military(p),
		{c + "BPTTH", "Báo và Phát thanh, Truyền hình " + p.Name, "Báo và PT-TH " + p.Name, units.TypePress},
	}
}

// military is the provincial military command; the two largest cities
// have a Command (Bộ Tư lệnh) instead.
func military(p *gazetteer.Province) org {
	switch p.Code {
	case "01":
		return org{p.Code + "-BTL", "Bộ Tư lệnh Thủ đô Hà Nội", "Bộ Tư lệnh Thủ đô", units.TypeMilitary}
	case "79":
		return org{p.Code + "-BTL", "Bộ Tư lệnh Thành phố Hồ Chí Minh", "Bộ Tư lệnh TP", units.TypeMilitary}
	}
	return org{p.Code + "-BCHQS", "Bộ Chỉ huy Quân sự " + p.Level() + " " + p.Name, "Bộ CHQS " + shortLevel(p), units.TypeMilitary}
}

// orgType is the type of the Department of Science and Technology (and of
// its predecessor): the coordinating department when it coordinates.
func orgType(coordinator Agency, dst units.Type) units.Type {
	if coordinator == AgencyDST {
		return dst
	}
	return units.TypeDepartment
}

// defaultSettings are the document settings of a province coordinated by
// agency, as its coordinating agency usually writes them; the signer's
// name is left for the settings page. A police-issued document is headed
// by the Ministry of Public Security, to which the provincial Police
// belongs, over the Police itself (whose name includes the province).
func defaultSettings(p *gazetteer.Province, agency Agency) settings.Province {
	committee := "Ủy ban nhân dân " + p.Level() + " " + p.Name
	communes := "UBND các " + communeKinds(p)
	// The header lines follow the settings page's own suggestion, so that
	// init and a later edit of the agency agree.
	agencyName, agencyType := "Sở Khoa học và Công nghệ "+p.Level()+" "+p.Name, units.TypeCoordinator
	if agency == AgencyPolice {
		agencyName, agencyType = "Công an "+p.Level()+" "+p.Name, units.TypePolice
	}
	s := settings.Suggest(committee, agencyName, agencyType)
	s.SignerAuthority = []string{"GIÁM ĐỐC"}
	switch agency {
	case AgencyPolice:
		s.Recipients = []string{"Bộ Công an (để b/c)", "UBND " + p.Level() + " (để b/c)", "Sở Khoa học và Công nghệ",
			"Các sở, ban, ngành; " + communes}
		s.Receivers = []string{"Bộ Công an", committee}
	default:
		s.Recipients = []string{"UBND " + p.Level() + " (để b/c)", "Bộ Khoa học và Công nghệ (để b/c)", "Công an " + p.Level(),
			"Các sở, ban, ngành; " + communes}
		s.Receivers = []string{committee, "Bộ Khoa học và Công nghệ"}
	}
	return s
}

// communeKinds names the kinds of communes the province has: "xã, phường",
// "xã, phường, đặc khu"…
func communeKinds(p *gazetteer.Province) string {
	has := map[string]bool{}
	for _, c := range p.Communes {
		has[c.Kind] = true
	}
	var kinds []string
	for _, k := range []string{"Xã", "Phường", "Đặc khu"} {
		if has[k] {
			kinds = append(kinds, strings.ToLower(k))
		}
	}
	return strings.Join(kinds, ", ")
}
