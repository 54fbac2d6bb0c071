package unitsvc_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// importer is the service as the system uses it (every access check
// passes); the access rules of imports are tested in unitsvc_test.go.
func importer(s *store.Store) *unitsvc.Service {
	return unitsvc.New(s, service.NewAccess(s, nil), context.Background(), nil)
}

var importActor = audit.Actor{Label: "import-test"}

// importSeed creates 40 (root) with X1 under it and X1-THCS under X1.
func importSeed(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	from := dates.MustParse("2021-01-01")
	for _, u := range []struct {
		code, name, parent string
		typ                units.Type
	}{
		{"40", "Ủy ban nhân dân tỉnh Nghệ An", "", units.TypeProvinceCommittee},
		{"X1", "Xã Nghi Phong", "40", units.TypeCommune},
		{"X1-THCS", "Trường THCS Nghi Phong", "X1", units.TypeSchool},
	} {
		unit := &units.Unit{Code: u.code, Name: u.name, Type: u.typ, ValidFrom: from}
		if u.typ == units.TypeSchool {
			unit.SchoolLevel = units.LevelLowerSecondary
		}
		if err := s.CreateUnit(ctx, importActor, unit, ids[u.parent]); err != nil {
			t.Fatalf("seed %s: %v", u.code, err)
		}
		ids[u.code] = unit.ID
	}
	return ids
}

func importSheet(t testing.TB, text string) *units.Sheet {
	t.Helper()
	sheet, err := units.ParseFile("units.csv", strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return sheet
}

// importCounts returns the number of units and of audit entries.
func importCounts(t *testing.T, s *store.Store) (unitCount, auditCount int) {
	t.Helper()
	ctx := context.Background()
	n, err := s.UnitCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, a, err := s.AuditLog(ctx, audit.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n, a
}

const importHead = "Mã,Tên,Loại,Cấp học,Mã đơn vị cấp trên,Email đầu mối,Số cán bộ,Năm số liệu,Hiệu lực từ\n"

// One bad row in a file of good ones: nothing is written, and the report
// names the row; with skip-invalid, the good rows are written.
func TestImportUnitsAllOrNothing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importSeed(t, s)
		file := importHead +
			"Z1,Xã Nghi Xuân,Xã, phường,,40,,,,01/02/2025\n" + // unquoted comma: every cell after the name shifts
			"Z2,Xã Nghi Thái,commune,,40,z2@t.vn,12,2025,\n" +
			"Z2-TH,Trường Tiểu học Nghi Thái,school,Tiểu học,Z2,,,,\n" +
			"Z3,Xã Nghi Hợp,commune,,NOPE,,,,\n" +
			"Z1-TH,Trường Tiểu học Nghi Xuân,school,Tiểu học,Z1,,,,\n"
		units0, audit0 := importCounts(t, s)
		var calls int
		res, err := importer(s).ImportSheet(ctx, service.SystemActor, importSheet(t, file), false, func(done, total int) {
			calls++
			if total != 5 || done > total {
				t.Errorf("progress %d/%d", done, total)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Written != 0 || res.Created != 0 || len(res.Report) == 0 || calls == 0 {
			t.Fatalf("invalid file: %+v (progress calls %d)", res, calls)
		}
		rows := map[int]string{}
		for _, is := range res.Report {
			rows[is.Row] = is.Reason
		}
		want := map[int]string{2: "", 5: "import.err.parent_unknown", 6: "import.err.parent_invalid"}
		for row, reason := range want {
			got, ok := rows[row]
			if !ok || (reason != "" && got != reason) {
				t.Errorf("row %d: %q, want %q (report %+v)", row, got, reason, res.Report)
			}
		}
		if res.Invalid != 3 {
			t.Errorf("invalid rows %d, want 3", res.Invalid)
		}
		if u, a := importCounts(t, s); u != units0 || a != audit0 {
			t.Fatalf("a rejected file wrote something: units %d→%d, audit %d→%d", units0, u, audit0, a)
		}

		res, err = importer(s).ImportSheet(ctx, service.SystemActor, importSheet(t, file), true, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 2 || res.Written != 2 || res.Invalid != 3 {
			t.Fatalf("skip invalid: %+v", res)
		}
		if u, a := importCounts(t, s); u != units0+2 || a != audit0+2 {
			t.Errorf("skip invalid: units %d→%d, audit %d→%d", units0, u, audit0, a)
		}
		z2, err := s.UnitByCode(ctx, "Z2", dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		school, err := s.UnitByCode(ctx, "Z2-TH", dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if school.ParentID != z2.ID || z2.Focal.Email != "z2@t.vn" || *z2.StaffCount != 12 || school.SchoolLevel != units.LevelPrimary {
			t.Errorf("imported units: %+v %+v", z2, school)
		}
		for _, code := range []string{"Z1", "Z3", "Z1-TH"} {
			if _, err := s.UnitByCode(ctx, code, dates.Today()); err == nil {
				t.Errorf("invalid row %s was written", code)
			}
		}
	})
}

// Existing codes update and move units; the changes are audited.
func TestImportUnitsUpsert(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ids := importSeed(t, s)
		today := dates.Today()
		// X1 and its school swap levels: the school first goes under 40,
		// then X1 under the school; written parents first, this works.
		file := importHead +
			"X1,Xã Nghi Phong (mới),commune,,X1-THCS,x1@t.vn,30,2025,\n" +
			"X1-THCS,Trường THCS Nghi Phong,school,Trung học cơ sở,40,,,,\n" +
			"40,Ủy ban nhân dân tỉnh Nghệ An,UBND tỉnh,,,,,,\n"
		_, audit0 := importCounts(t, s)
		res, err := importer(s).ImportSheet(ctx, service.SystemActor, importSheet(t, file), false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Report) > 0 || res.Updated != 1 || res.Moved != 2 || res.Unchanged != 1 || res.Written != 2 || res.Created != 0 {
			t.Fatalf("upsert: %+v", res)
		}
		x1, err := s.Unit(ctx, ids["X1"], today)
		if err != nil {
			t.Fatal(err)
		}
		school, err := s.Unit(ctx, ids["X1-THCS"], today)
		if err != nil {
			t.Fatal(err)
		}
		if x1.Name != "Xã Nghi Phong (mới)" || *x1.StaffCount != 30 || x1.ParentID != ids["X1-THCS"] || school.ParentID != ids["40"] {
			t.Errorf("after import: X1 %+v, school %+v", x1, school)
		}
		if _, a := importCounts(t, s); a != audit0+3 { // update X1, move the school, move X1
			t.Errorf("audit entries: %d, want %d", a, audit0+3)
		}
		// A move back under its own descendant is refused.
		res, err = importer(s).ImportSheet(ctx, service.SystemActor, importSheet(t, "Mã,Mã đơn vị cấp trên\nX1-THCS,X1\n"), true, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Written != 0 || len(res.Report) != 1 || res.Report[0].Reason != "import.err.cycle" {
			t.Errorf("cycle: %+v", res)
		}
	})
}

// Exporting and importing the export back changes nothing.
func TestImportUnitsRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importSeed(t, s)
		file := importHead +
			"Z2,Xã Nghi Thái,commune,,40,z2@t.vn,12,2025,01/01/2024\n" +
			"Z2-TH,\"=Trường \"\"Tiểu học\"\" Nghi Thái\",school,Tiểu học,Z2,,1.234,2024,15/08/2024\n"
		if res, err := importer(s).ImportSheet(ctx, service.SystemActor, importSheet(t, file), false, nil); err != nil || res.Created != 2 {
			t.Fatalf("import: %+v %v", res, err)
		}
		list, err := s.ExportUnits(ctx, dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 5 || list[0].Unit.Code != "40" || list[0].ParentCode != "" {
			t.Fatalf("export: %d units, first %+v", len(list), list[0])
		}
		for i, e := range list {
			if e.Unit.Code == "Z2-TH" && (e.ParentCode != "Z2" || i < 3) {
				t.Errorf("Z2-TH exported at %d under %q", i, e.ParentCode)
			}
		}
		for _, f := range []units.Format{units.FormatCSV, units.FormatXLSX} {
			var buf bytes.Buffer
			if err := units.Export(&buf, f, list); err != nil {
				t.Fatal(err)
			}
			sheet, err := units.ParseFile("export."+string(f), &buf)
			if err != nil {
				t.Fatal(err)
			}
			u0, a0 := importCounts(t, s)
			res, err := importer(s).ImportSheet(ctx, service.SystemActor, sheet, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Report) > 0 || res.Written != 0 || res.Unchanged != 5 {
				t.Errorf("%s round trip: %+v", f, res)
			}
			if u, a := importCounts(t, s); u != u0 || a != a0 {
				t.Errorf("%s round trip wrote: units %d→%d, audit %d→%d", f, u0, u, a0, a)
			}
		}
	})
}

// A province larger than one export batch (2,000) exports whole, parents
// first.
func TestExportUnitsLarge(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		res, err := importer(s).ImportSheet(ctx, service.SystemActor, importSheet(t, importProvinceCSV(2100)), false, nil)
		if err != nil || len(res.Report) > 0 {
			t.Fatalf("import: %v %+v", err, res)
		}
		list, err := s.ExportUnits(ctx, dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != res.Created || len(list) <= 2000 {
			t.Fatalf("exported %d units, imported %d", len(list), res.Created)
		}
		seen := map[string]bool{}
		for _, e := range list {
			if seen[e.Unit.Code] || (e.ParentCode != "" && !seen[e.ParentCode]) {
				t.Fatalf("%s (under %q) is exported twice or before its parent", e.Unit.Code, e.ParentCode)
			}
			seen[e.Unit.Code] = true
		}
		if list[0].Unit.Code != "P" || list[1].Unit.Code != "C00000" || list[2].ParentCode != "C00000" {
			t.Errorf("export order starts %s, %s, %s", list[0].Unit.Code, list[1].Unit.Code, list[2].Unit.Code)
		}
	})
}

// importProvinceCSV writes a province of about n units as an import file:
// the committee, 40 departments, communes and, under each, 45 schools and
// other units; every other commune comes after its units in the file.
func importProvinceCSV(n int) string {
	var b strings.Builder
	b.WriteString("Mã,Tên,Loại,Cấp học,Mã đơn vị cấp trên,Cán bộ đầu mối,Điện thoại đầu mối,Email đầu mối,Số cán bộ,Năm số liệu,Hiệu lực từ\n")
	b.WriteString("P,Ủy ban nhân dân tỉnh Thử Nghiệm,UBND tỉnh,,,,,,,,01/01/2021\n")
	for i := range 40 {
		fmt.Fprintf(&b, "P-D%02d,Sở Thử Nghiệm số %d,department,,P,Nguyễn Văn %d,0912345%03d,d%d@t.vn,120,2025,01/01/2021\n", i, i, i, i, i)
	}
	communes := max((n-41)/46, 1)
	for c := range communes {
		commune := fmt.Sprintf("C%05d,Xã Phước Hòa %d,\"Xã, phường\",,P,,,,35,2025,01/01/2021\n", c, c)
		if c%2 == 0 {
			b.WriteString(commune)
		}
		for k := range 45 {
			if k%3 == 2 {
				fmt.Fprintf(&b, "C%05d-%02d,Hợp tác xã Đông Vĩnh %d-%d,other,,C%05d,,,,,,01/01/2021\n", c, k, c, k, c)
			} else {
				fmt.Fprintf(&b, "C%05d-%02d,Trường THCS Đông Vĩnh %d-%d,Trường học,Trung học cơ sở,C%05d,,,,40,2025,01/01/2021\n", c, k, c, k, c)
			}
		}
		if c%2 == 1 {
			b.WriteString(commune)
		}
	}
	return b.String()
}

// BenchmarkImportUnits15k imports a generated province of 15,000 units from
// CSV into an empty SQLite database (parse, plan and write, one
// transaction): go test -run X -bench ImportUnits15k -benchtime 1x ./internal/service/unitsvc/
func BenchmarkImportUnits15k(b *testing.B) {
	text := importProvinceCSV(15000)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := storetest.Open(b, store.SQLite)
		b.StartTimer()
		sheet, err := units.ParseFile("province.csv", strings.NewReader(text))
		if err != nil {
			b.Fatal(err)
		}
		res, err := importer(s).ImportSheet(ctx, service.SystemActor, sheet, false, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Report) > 0 || res.Created < 14900 {
			b.Fatalf("import: created %d, report %+v", res.Created, res.Report[:min(len(res.Report), 3)])
		}
		b.ReportMetric(float64(res.Created), "units/op")
	}
}

// BenchmarkExportUnits15k exports a province of 15,000 units to XLSX.
func BenchmarkExportUnits15k(b *testing.B) {
	s := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	sheet, err := units.ParseFile("province.csv", strings.NewReader(importProvinceCSV(15000)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := importer(s).ImportSheet(ctx, service.SystemActor, sheet, false, nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		list, err := s.ExportUnits(ctx, dates.Today())
		if err != nil || len(list) < 14900 {
			b.Fatalf("%d units, %v", len(list), err)
		}
		var buf bytes.Buffer
		if err := units.Export(&buf, units.FormatXLSX, list); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len()), "bytes/op")
	}
}
