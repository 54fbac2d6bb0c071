package activitiesweb

import (
	"errors"
	"mime/multipart"
	"net/http"

	"khienso/internal/activities"
	"khienso/internal/i18n"
	"khienso/internal/service/activitysvc"
	"khienso/internal/units"
	"khienso/internal/web"
)

// activityImportMaxBody bounds an upload: the file plus the form around it.
const activityImportMaxBody = activities.MaxImportBytes + 1<<20

// templateName is the file name of the import template download.
const templateName = "mau-nhap-hoat-dong.xlsx"

type activityImportData struct {
	Upload     web.ImportUpload
	Columns    []web.ImportColumn
	Types      []string
	Channels   []string
	Audiences  []string
	Errors     []string
	Done       bool
	Filename   string
	Rows       int
	Written    int
	Invalid    int
	Rejected   bool
	Unreadable bool
	Issues     []web.ImportIssue
}

// Why an upload could not be read.
var (
	errUploadTooLarge = errors.New("upload too large")
	errUploadNoFile   = errors.New("no file uploaded")
)

// upload is a file posted with an import request.
type upload struct {
	Name        string // base name, printable
	File        multipart.File
	SkipInvalid bool
}

// readUpload reads the multipart body of an import (field "file", optional
// "skip_invalid"); the caller closes File.
func readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	if r.ContentLength > activityImportMaxBody {
		return nil, errUploadTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, activityImportMaxBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errUploadTooLarge
		}
		return nil, errUploadNoFile
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, errUploadNoFile
	}
	skip := r.PostFormValue("skip_invalid")
	return &upload{Name: hdr.Filename, File: file, SkipInvalid: skip != "" && skip != "0" && skip != "false"}, nil
}

func (s *handler) activityImportRender(w http.ResponseWriter, r *http.Request, status int, d *activityImportData) {
	l := web.Lang(r)
	d.Upload.Action, d.Upload.TemplateURL, d.Upload.MaxMB = "/activities/import", "/activities/import/template.xlsx", activities.MaxImportBytes>>20
	for _, c := range activities.Columns() {
		d.Columns = append(d.Columns, web.ImportColumn{Header: c.Header(), Key: string(c),
			Description: l.T("activity.import.col." + string(c)), Required: c.Required()})
	}
	for _, list := range []struct {
		kind  string
		codes []string
		dst   *[]string
	}{{"type", activities.TypeNames(), &d.Types}, {"channel", activities.ChannelNames(), &d.Channels}, {"audience", activities.AudienceNames(), &d.Audiences}} {
		for _, c := range list.codes {
			*list.dst = append(*list.dst, i18n.VI.T("activity."+list.kind+"."+c)+" ("+c+")")
		}
	}
	s.Render(w, r, status, "activities_import", d)
}

func (s *handler) activityImportPage(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireWriter(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.activityImportRender(w, r, http.StatusOK, &activityImportData{})
}

// activityImportTemplate downloads the import template, for the page's
// link and the API alike.
func (s *handler) activityImportTemplate(w http.ResponseWriter, r *http.Request) {
	body, err := s.svc.Template(s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.SendFile(w, units.FormatXLSX.ContentType(), templateName, body)
}

// activityImportSubmit checks a whole file and, unless rows are invalid and
// the caller asked for all or nothing, writes the valid rows in one
// transaction; the page then shows the outcome and the report.
func (s *handler) activityImportSubmit(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireWriter(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	d := &activityImportData{}
	up, err := readUpload(w, r)
	switch {
	case errors.Is(err, errUploadTooLarge):
		d.Errors = []string{l.T("import.err.too_large", activities.MaxImportBytes>>20)}
		s.activityImportRender(w, r, http.StatusRequestEntityTooLarge, d)
		return
	case err != nil:
		d.Errors = []string{l.T("import.form.no_file")}
		s.activityImportRender(w, r, http.StatusBadRequest, d)
		return
	}
	defer up.File.Close()
	d.Upload.SkipInvalid, d.Done = up.SkipInvalid, true
	res, err := s.svc.Import(r.Context(), actor, up.Name, up.File, up.SkipInvalid)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.fill(res)
	status := http.StatusOK
	if res.Rejected {
		status = http.StatusUnprocessableEntity
	}
	s.activityImportRender(w, r, status, d)
}

func (d *activityImportData) fill(res *activitysvc.ImportResult) {
	d.Filename, d.Rows, d.Invalid, d.Written = res.Filename, res.Rows, res.Invalid, res.Written
	d.Rejected, d.Unreadable = res.Rejected, res.Unreadable
	d.Issues = web.ImportIssues(res.Issues)
}
