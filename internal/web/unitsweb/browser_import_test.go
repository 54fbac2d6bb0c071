package unitsweb_test

import (
	"context"
	"khienso/internal/web/webtest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/i18n"
	"khienso/internal/store"
)

// A coordinator uploads a CSV with one bad row: the progress page follows
// the job (import.js) and ends on the report naming the row in Vietnamese
// and English, with nothing written. Uploading again with "skip invalid
// rows" writes the good rows and shows the summary.
func TestBrowserImport(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	file := filepath.Join(t.TempDir(), "don-vi.csv")
	content := "Mã,Tên,Loại,Cấp học,Mã đơn vị cấp trên,Hiệu lực từ\r\n" +
		"X1-TH,Trường Tiểu học Nghi Phong,Trường học,Tiểu học,X1,01/09/2024\r\n" +
		"Y1-VH,Nhà văn hóa Vinh Phú,Khác,,Y1,01/09/2024\r\n" +
		"X1-MN,Trường Mầm non Nghi Phong,Trường học,Tiểu học,KHONG-CO,01/09/2024\r\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	before, _ := f.Store.UnitCount(context.Background())

	err := chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/units/import"),
		chromedp.WaitVisible(chromedp.ID("import-file")),
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.Click(chromedp.ID("import-submit")),
		chromedp.WaitVisible(chromedp.ID("import-progress")),
		chromedp.WaitVisible(chromedp.ID("import-report")),
	)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		i18n.EN.T("import.summary.rejected", "1", "3"), // headless Chromium asks for English
		"KHONG-CO",
		i18n.VI.T("import.err.parent_unknown", "KHONG-CO"),
		i18n.EN.T("import.err.parent_unknown", "KHONG-CO"),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report page should show %q; it shows:\n%s", want, text)
		}
	}
	row, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#import-report tbody tr td")))
	if err != nil || strings.TrimSpace(row) != "4" {
		t.Errorf("the report should name row 4, got %q (%v)", row, err)
	}
	if n, _ := f.Store.UnitCount(context.Background()); n != before {
		t.Fatalf("a rejected file wrote %d units", n-before)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("import-again")),
		chromedp.WaitVisible(chromedp.ID("import-file")),
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.Click(chromedp.ID("import-skip")),
		chromedp.Click(chromedp.ID("import-submit")),
		chromedp.WaitVisible(chromedp.ID("import-summary")),
	)
	if err != nil {
		t.Fatalf("upload with skip: %v", err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("import-summary")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, i18n.EN.T("import.summary.written", "2", "3")) {
		t.Errorf("summary: %q", summary)
	}
	skipped, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("import-skipped")))
	if err != nil || strings.TrimSpace(skipped) != "1" {
		t.Errorf("skipped rows: %q (%v)", skipped, err)
	}
	if n, _ := f.Store.UnitCount(context.Background()); n != before+2 {
		t.Errorf("skip invalid wrote %d units, want 2", n-before)
	}

	// import.js follows a running job and reloads the page when it ends
	// (the meta refresh is only for browsers without JavaScript).
	job := &store.ImportJob{UserID: f.Users["coord@t.vn"], Kind: "units", Filename: "lớn.csv", Status: store.JobRunning, Total: 10, Processed: 3}
	if err := f.Store.CreateImportJob(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/units/import/jobs/"+strconv.FormatInt(job.ID, 10)),
		chromedp.WaitVisible(chromedp.ID("import-bar")),
	)
	if err != nil {
		t.Fatal(err)
	}
	job.Status, job.Processed, job.Written, job.Report = store.JobDone, 10, 10, `{"rows":10,"created":10,"written":10}`
	if err := f.Store.UpdateImportJob(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("import-summary"))); err != nil {
		t.Fatalf("the page should reload itself when the job ends: %v", err)
	}
}
