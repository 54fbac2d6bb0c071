// Package demo is the demo province: Nghệ An (code "40") as `khienso init
// --province 40 --history` installs it (package setup, from the embedded
// public data), plus what a demo needs to show every page on first run:
// more provincial organisations (mass organisations, universities,
// enterprises, banks), secondary schools, sample headcounts, complete
// document settings, plans, activities and an open reporting round.
//
//   - Headcounts (StaffCount, PupilCount, HeadcountYear 2025) of departments
//     and schools are plausible sample figures for the demo, not official
//     numbers.
//   - Upper-secondary schools sit under the Department of Education
//     ("40-SGDDT") from 2021-01-01. Lower-secondary schools are placed under
//     the 2026 commune they are in, which has managed them since 2025-07-01;
//     being unable to express a change of parent, they are valid from
//     2025-07-01.
//   - The extra organisations carry their 2026 names for the whole period,
//     as the starter organisations do.
package demo

import (
	"fmt"

	"khienso/internal/gazetteer"
	"khienso/internal/setup"
	"khienso/internal/units"
)

// ProvinceCode is the national code of Nghệ An, also the code of the root unit.
const ProvinceCode = "40"

// sampleYear is the year of the sample headcounts.
const sampleYear = 2025

// Plan is the demo province ready to install: Nghệ An with its history,
// the starter organisations with sample headcounts, the demo's further
// organisations and schools, and its document settings filled in.
func Plan() (*setup.Plan, error) {
	g, err := gazetteer.Load()
	if err != nil {
		return nil, err
	}
	p := g.Province(ProvinceCode)
	if p == nil {
		return nil, fmt.Errorf("demo: province %s is not in the gazetteer", ProvinceCode)
	}
	pl, err := setup.PlanProvince(p, setup.Options{History: true, Coordinator: setup.AgencyDST})
	if err != nil {
		return nil, err
	}
	communes := map[string]gazetteer.Commune{}
	for _, c := range p.Communes {
		communes[c.Code] = c
	}
	for i := range pl.Units {
		if n := staff[pl.Units[i].Code]; n > 0 {
			pl.Units[i].StaffCount, pl.Units[i].HeadcountYear = &n, sampleYear
		}
	}
	add := func(u units.Unit, parent string) {
		pl.Units = append(pl.Units, setup.Unit{Unit: u, Parent: parent})
	}
	for _, o := range orgs {
		u := units.Unit{Code: o.code, Name: o.name, ShortName: o.short, Type: o.typ, ValidFrom: setup.HistoryStart}
		if n := staff[o.code]; n > 0 {
			u.StaffCount, u.HeadcountYear = &n, sampleYear
		}
		add(u, ProvinceCode)
	}
	for _, s := range upperSecondary {
		add(units.Unit{Code: s.code, Name: "Trường " + s.name, ShortName: s.name, Type: units.TypeSchool,
			SchoolLevel: units.LevelUpperSecondary, ValidFrom: setup.HistoryStart,
			StaffCount: &s.staff, PupilCount: &s.pupils, HeadcountYear: sampleYear}, "40-SGDDT")
	}
	for _, s := range lowerSecondary {
		c, ok := communes[s.commune]
		if !ok {
			return nil, fmt.Errorf("demo: lower-secondary school %s: commune %s is not a 2026 commune", s.code, s.commune)
		}
		add(units.Unit{Code: s.code, Name: "Trường THCS " + c.Name, ShortName: "THCS " + c.Name, Type: units.TypeSchool,
			SchoolLevel: units.LevelLowerSecondary, ValidFrom: setup.Reform,
			StaffCount: &s.staff, PupilCount: &s.pupils, HeadcountYear: sampleYear}, c.Code)
	}
	// The documents of the demo come out complete: header, signer and
	// recipients as the Department of Science and Technology would set them.
	pl.Settings.SignerAuthority = []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"}
	pl.Settings.SignerName = "Nguyễn Văn Hùng"
	pl.Settings.Recipients = []string{"UBND tỉnh (để b/c)", "Bộ Khoa học và Công nghệ (để b/c)", "Công an tỉnh",
		"Các sở, ban, ngành; UBND các xã, phường"}
	pl.Settings.Receivers = []string{"Ủy ban nhân dân tỉnh Nghệ An", "Bộ Khoa học và Công nghệ"}
	return pl, nil
}

// staff are sample headcounts of departments (HeadcountYear 2025), by code.
var staff = map[string]int{
	"40-SKHCN": 95, "40-VPUBND": 120, "40-TTR": 60, "40-SNV": 150, "40-STC": 140, "40-SGDDT": 110,
	"40-SYT": 100, "40-SVHTTDL": 90, "40-STP": 45, "40-SXD": 130, "40-SNNMT": 260, "40-SCT": 70,
	"40-SDTTG": 40, "40-BQLKKT": 55,
}

// orgs are the demo's organisations beyond the starter list, directly under
// the Province People's Committee.
var orgs = []struct {
	code, name, short string
	typ               units.Type
}{
	{"40-SDTTG", "Sở Dân tộc và Tôn giáo tỉnh Nghệ An", "Sở DT&TG", units.TypeDepartment},
	{"40-BQLKKT", "Ban Quản lý Khu kinh tế Đông Nam Nghệ An", "BQL KKT Đông Nam", units.TypeDepartment},
	{"40-MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Nghệ An", "Ủy ban MTTQ tỉnh", units.TypeMassOrg},
	{"40-TINHDOAN", "Tỉnh đoàn Nghệ An", "Tỉnh đoàn", units.TypeMassOrg},
	{"40-HLHPN", "Hội Liên hiệp Phụ nữ tỉnh Nghệ An", "Hội LHPN tỉnh", units.TypeMassOrg},
	{"40-LDLD", "Liên đoàn Lao động tỉnh Nghệ An", "LĐLĐ tỉnh", units.TypeMassOrg},
	{"40-DHVINH", "Trường Đại học Vinh", "ĐH Vinh", units.TypeUniversity},
	{"40-DHYKV", "Trường Đại học Y khoa Vinh", "ĐH Y khoa Vinh", units.TypeUniversity},
	{"40-DHSPKTV", "Trường Đại học Sư phạm Kỹ thuật Vinh", "ĐH SPKT Vinh", units.TypeUniversity},
	{"40-DHKTNA", "Trường Đại học Kinh tế Nghệ An", "ĐH Kinh tế Nghệ An", units.TypeUniversity},
	{"40-VIETTEL", "Viettel Nghệ An - Chi nhánh Tập đoàn Công nghiệp - Viễn thông Quân đội", "Viettel Nghệ An", units.TypeTelecomIT},
	{"40-VNPT", "Viễn thông Nghệ An (VNPT Nghệ An)", "VNPT Nghệ An", units.TypeTelecomIT},
	{"40-BUUDIEN", "Bưu điện tỉnh Nghệ An", "Bưu điện tỉnh", units.TypeStateEnterprise},
	{"40-PCNA", "Công ty Điện lực Nghệ An", "PC Nghệ An", units.TypeStateEnterprise},
	{"40-AGRIBANK", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam - Chi nhánh Nghệ An", "Agribank Nghệ An", units.TypeBank},
	{"40-VCB", "Ngân hàng TMCP Ngoại thương Việt Nam - Chi nhánh Nghệ An", "Vietcombank Nghệ An", units.TypeBank},
	{"40-VIETINBANK", "Ngân hàng TMCP Công Thương Việt Nam - Chi nhánh Nghệ An", "VietinBank Nghệ An", units.TypeBank},
	{"40-BHXH", "Bảo hiểm xã hội tỉnh Nghệ An", "BHXH tỉnh", units.TypeOther},
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
