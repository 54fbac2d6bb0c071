package officedoc

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// PDFPages gives the external tests (report_test.go, which builds a real
// consolidated report through reportdoc) the text of each page of a PDF.
func PDFPages(t *testing.T, b []byte) []string { return readPDF(t, b).pages }

// LibreOfficePages lays a DOCX out with LibreOffice and counts its pages,
// to re-measure the page counts the tests record. It runs only when
// KHIENSO_LIBREOFFICE is set and soffice is installed; CI needs neither.
func LibreOfficePages(t *testing.T, docx []byte) int {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if os.Getenv("KHIENSO_LIBREOFFICE") == "" || err != nil {
		t.Skip("set KHIENSO_LIBREOFFICE and install LibreOffice to re-measure the DOCX")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "doc.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}
