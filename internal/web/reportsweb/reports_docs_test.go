package reportsweb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"khienso/internal/settings"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/store"
)

// docxBody is the main part of a DOCX package.
func docxBody(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a DOCX: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatal("DOCX without word/document.xml")
	return ""
}

func TestReportDocuments(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tpl := reportTestTemplate(f)
		coord := f.Login("coord@t.vn")
		round := reportTestRound(t, coord, tpl, "Báo cáo năm 2025")
		fx := f.Login("focal.x@t.vn")
		path := fmt.Sprintf("/reports/rounds/%d/units/%d", round, f.Units["X1"])
		if status, _ := fx.PostForm(path, fx.CSRF(path), reportTestFull(url.Values{"action": {"submit"}, "v-materials": {"4321"},
			"n-results": {"Tổ chức 3 lớp tập huấn"}})); status != http.StatusSeeOther {
			t.Fatalf("submit: %d", status)
		}
		base := fmt.Sprintf("/reports/rounds/%d/", round)

		status, ctype, b := coord.Download(base + "report.docx")
		if status != http.StatusOK || !strings.Contains(ctype, "wordprocessingml") {
			t.Fatalf("DOCX: %d %s", status, ctype)
		}
		xml := docxBody(t, b)
		for _, want := range []string{"Kết quả năm 2025", "Xã Nghi Phong: Tổ chức 3 lớp tập huấn", "Số tài liệu tuyên truyền", ">4.321<",
			"Phường Vinh Phú", "Chưa báo cáo", "Có 1/2 đơn vị đã gửi báo cáo"} {
			if !strings.Contains(xml, want) {
				t.Errorf("DOCX lacks %q", want)
			}
		}
		status, ctype, b = coord.Download(base + "report.pdf")
		if status != http.StatusOK || ctype != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("PDF: %d %s", status, ctype)
		}

		status, _, b = coord.Download(base + "figures.xlsx")
		if status != http.StatusOK {
			t.Fatalf("figures: %d", status)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Số liệu tổng hợp", excelize.Options{RawCellValue: true})
		// Header, Y1 then X1 by name? Units are sorted by name: Phường… before Xã….
		if len(rows) != 4 || rows[2][1] != "Xã Nghi Phong" || rows[2][3] != "4321" || rows[3][3] != "4321" || rows[1][1] != "Phường Vinh Phú" {
			t.Errorf("figures rows: %q", rows)
		}
		status, _, b = coord.Download(base + "completeness.xlsx")
		if status != http.StatusOK {
			t.Fatalf("completeness: %d", status)
		}
		x, err = excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = x.GetRows("Tình hình gửi báo cáo")
		if len(rows) != 4 || rows[1][2] != "Chưa báo cáo" || rows[2][2] != "Đã gửi" || rows[2][4] != "Quá hạn" {
			t.Errorf("completeness rows: %q", rows)
		}

		for _, p := range []string{"report.docx", "figures.xlsx"} {
			if status, _, _ := fx.Download(base + p); status != http.StatusForbidden {
				t.Errorf("focal point downloads %s: %d, want 403", p, status)
			}
		}
		if status, _, _ := coord.Download("/reports/rounds/99999/report.docx"); status != http.StatusNotFound {
			t.Errorf("unknown round: %d", status)
		}
		// Settings shape the header.
		if err := f.Store.SetSettings(context.Background(), audit.System, settings.DeploymentScope, map[string]string{settings.KeyIssuingBody: "Sở Khoa học và Công nghệ tỉnh Nghệ An", settings.KeySymbol: "SKHCN"}); err != nil {
			t.Fatal(err)
		}
		_, _, b = coord.Download(base + "report.docx")
		if xml := docxBody(t, b); !strings.Contains(xml, "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NGHỆ AN") || !strings.Contains(xml, "BC-SKHCN") {
			t.Error("the issuing body and symbol should come from the settings")
		}
	})
}

// TestReportDocumentSigned: with the signer, receivers and recipients set,
// and the round linked to a plan, the report is ready to sign: "Kính gửi",
// the plan's indicators, the signature block, "Nơi nhận" in the decree's
// order, and the units by status in an appendix after the signature.
func TestReportDocumentSigned(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		p := &plans.Plan{UnitID: f.Units["40"], Title: "Kế hoạch tuyên truyền năm 2025", Number: "1/KH-UBND", YearFrom: 2025, YearTo: 2025,
			Status: plans.StatusInEffect, IssuedOn: dates.MustParse("2025-01-05")}
		if err := f.Store.CreatePlan(ctx, audit.System, p, []plans.Indicator{{Code: "classes", Name: "Số lớp tập huấn kỹ năng",
			MeasureUnit: "lớp", Formula: "count(type=training_class)", Comparison: "at_least", Value: 4, Period: plans.PeriodYearly}}); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.SetSettings(ctx, audit.System, settings.DeploymentScope, map[string]string{
			settings.KeySignerAuthority: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", settings.KeySignerName: "Trần Thị Bình",
			settings.KeyReceivers: "Ủy ban nhân dân tỉnh Nghệ An", settings.KeyRecipients: "Lưu: VT, CNTT.\nBộ Khoa học và Công nghệ"}); err != nil {
			t.Fatal(err)
		}
		coord := f.Login("coord@t.vn")
		status, body := coord.PostForm("/reports/rounds/new", coord.CSRF("/reports/rounds/new"), url.Values{
			"template": {fmt.Sprint(reportTestTemplate(f))}, "plan": {fmt.Sprint(p.ID)}, "title": {"Báo cáo kết quả năm 2025"},
			"from": {"01/01/2025"}, "to": {"31/12/2025"}, "deadline": {"05/12/2025"}, "status": {"open"}, "types": {"commune"}})
		if status != http.StatusSeeOther {
			t.Fatalf("create round: %d %s", status, body)
		}
		rounds, _ := f.Store.Rounds(ctx, store.RoundFilter{})
		var id int64
		for _, r := range rounds {
			if r.PlanID == p.ID {
				id = r.ID
			}
		}
		base := fmt.Sprintf("/reports/rounds/%d/", id)
		_, _, b := coord.Download(base + "report.docx")
		xml := docxBody(t, b)
		at := 0
		for _, want := range []string{"Kính gửi: Ủy ban nhân dân tỉnh Nghệ An.", "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH",
			"Số lớp tập huấn kỹ năng", "≥ 4", "Nơi nhận:", "- Như trên;", "- Bộ Khoa học và Công nghệ;", "- Lưu: VT, CNTT.",
			"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Bình", `<w:type w:val="nextPage"/>`, ">Phụ lục<", "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ",
			"Phường Vinh Phú"} {
			i := strings.Index(xml[at:], want)
			if i < 0 {
				t.Fatalf("DOCX lacks %q after offset %d", want, at)
			}
			at += i
		}
		_, _, b = coord.Download(base + "figures.xlsx")
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Chỉ tiêu kế hoạch")
		if len(rows) != 2 || rows[1][0] != "classes" || rows[1][7] != "Không đạt" {
			t.Errorf("indicator sheet %q", rows)
		}
	})
}
