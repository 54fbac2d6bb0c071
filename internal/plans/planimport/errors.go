// Package planimport reads the task table (phụ lục nhiệm vụ) of a province
// plan, pasted as text or uploaded as DOCX, into tasks, and matches the unit
// phrases of the lead and coordinating cells to the unit directory. Nothing
// here is saved: a person reviews the result first, so every guess the
// parser makes is flagged on the task rather than hidden.
package planimport

import (
	"khienso/internal/i18n"
	"khienso/internal/validation"
)

// Error says why the text or file could not be read as a task table. Key is
// a translation catalogue key; Args fill its placeholders (the line or row
// comes first when the message names one).
type Error struct {
	Line int // 1-based line (text) or table row (DOCX); 0 when not about one place
	Key  string
	Args []any
	Err  error // underlying cause, when reading the file failed
}

func (e *Error) Error() string { return i18n.EN.T(e.Key, e.Args...) }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Message renders the error in language l.
func (e *Error) Message(l i18n.Lang) string { return l.T(e.Key, e.Args...) }

// FieldError presents the error as a validation error on the given form
// field, for handlers that report input errors that way.
func (e *Error) FieldError(field string) validation.FieldError {
	return validation.FieldError{Field: field, Reason: e.Key, Args: e.Args}
}

// Note flags something on a task the reviewer should check (a guess the
// parser had to make). Key is a catalogue key, Args its placeholders.
type Note struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Message renders the note in language l.
func (n Note) Message(l i18n.Lang) string { return l.T(n.Key, n.Args...) }

// Note keys.
const (
	NoteInherited         = "planimport.note.inherited"
	NoteInheritedPart     = "planimport.note.inherited_part"
	NoteCellsGuessed      = "planimport.note.cells_guessed"
	NoteTimeframeUnparsed = "planimport.note.timeframe_unparsed"
	NoteTimeframeMissing  = "planimport.note.timeframe_missing"
	// The task table keeps neither a period shorter than a year nor a
	// yearly deadline (for a plan of several years): the reviewer is told
	// what is kept.
	NoteTimeframeRecurring = "planimport.note.timeframe_recurring"
	NoteTimeframeYearlyDue = "planimport.note.timeframe_yearly_due"
	NoteNumberGap          = "planimport.note.number_gap"
	NoteNoNumber           = "planimport.note.no_number"
	NoteContinued          = "planimport.note.continued"
	NoteContentParagraphs  = "planimport.note.content_paragraphs"
)
