package web

import (
	"khienso/internal/i18n"
	"khienso/internal/units"
)

// ImportUpload is what the upload form of an import page needs (partial
// "import_upload", which reads it from the page data's Upload).
type ImportUpload struct {
	Action      string // where the form posts
	TemplateURL string // the template spreadsheet to download
	MaxMB       int    // the largest file accepted, in MiB
	SkipInvalid bool   // "write the valid rows" stays ticked
}

// ImportColumn is one line of an import page's column guide (partial
// "import_columns", over the page data's Columns).
type ImportColumn struct {
	Header, Key, Description string
	Required                 bool
}

// ImportIssue is one line of an import's report (units and activities
// report alike, see units.Report) with its reason in both languages: the
// rows of partial "import_report", over the page data's Issues, and of the
// activity import's API report.
type ImportIssue struct {
	Row      int    `json:"row"` // 0: the whole file
	Cell     string `json:"cell,omitempty"`
	Column   string `json:"column,omitempty"`
	Value    string `json:"value,omitempty"`
	ReasonVI string `json:"reason_vi"`
	ReasonEN string `json:"reason_en"`
}

// ImportIssues shows the lines of rep (never nil, so an empty report
// encodes as []).
func ImportIssues(rep units.Report) []ImportIssue {
	out := make([]ImportIssue, 0, len(rep))
	for _, is := range rep {
		out = append(out, ImportIssue{Row: is.Row, Cell: is.ColumnLetter(), Column: is.Column, Value: is.Value,
			ReasonVI: is.Message(i18n.VI), ReasonEN: is.Message(i18n.EN)})
	}
	return out
}
