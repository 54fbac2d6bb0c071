package activitiesweb

import (
	"errors"
	"net/http"

	"khienso/internal/validation"
	"khienso/internal/web"
)

// APIImportReport is the outcome of POST /api/v1/activities/import: the
// counts and the row-by-row report the import page shows.
type APIImportReport struct {
	Filename    string            `json:"filename"`
	Rows        int               `json:"rows"`
	Invalid     int               `json:"invalid"`
	Written     int               `json:"written"`
	SkipInvalid bool              `json:"skip_invalid"`
	Rejected    bool              `json:"rejected"`
	Unreadable  bool              `json:"unreadable"`
	Issues      []web.ImportIssue `json:"issues"`
}

// apiActivityImport imports a file posted as multipart field "file": 200
// with the report when rows were written (or the file had none), 422 with
// the report when nothing was written because of invalid rows or an
// unreadable file — unless skip_invalid asks to write the valid rows.
func (s *handler) apiActivityImport(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireWriter(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	up, err := readUpload(w, r)
	switch {
	case errors.Is(err, errUploadTooLarge):
		s.Fail(w, r, web.ErrTooLarge)
		return
	case err != nil:
		s.Fail(w, r, web.BadRequest(validation.Errors{{Field: "file", Reason: "err.required"}}))
		return
	}
	defer up.File.Close()
	res, err := s.svc.Import(r.Context(), actor, up.Name, up.File, up.SkipInvalid)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	rep := APIImportReport{Filename: res.Filename, Rows: res.Rows, Invalid: res.Invalid, Written: res.Written,
		SkipInvalid: up.SkipInvalid, Rejected: res.Rejected, Unreadable: res.Unreadable, Issues: web.ImportIssues(res.Issues)}
	if !res.Rejected {
		web.WriteJSON(w, http.StatusOK, rep)
		return
	}
	// A refused import is the API's usual error, with the report beside it.
	rejected := web.NewHTTPError(http.StatusUnprocessableEntity, "import_rejected", "import.summary.rejected", nil).
		WithArgs(web.Lang(r).Int(res.Invalid), web.Lang(r).Int(res.Rows))
	if res.Unreadable {
		rejected = web.NewHTTPError(http.StatusUnprocessableEntity, "import_rejected", "import.summary.unreadable", nil)
	}
	s.Fail(w, r, rejected.With("report", rep))
}
