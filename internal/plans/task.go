package plans

import (
	"strings"
	"unicode/utf8"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/validation"
)

// TimeframeKind is how a task is scheduled: continuously (thường xuyên),
// every year (hàng năm), over a year range (2022-2025) or by a due date.
type TimeframeKind string

const (
	TimeContinuous TimeframeKind = "continuous"
	TimeYearly     TimeframeKind = "yearly"
	TimeRange      TimeframeKind = "range"
	TimeDue        TimeframeKind = "due"
)

// TimeframeKinds in display order ("task.timeframe.<value>").
var TimeframeKinds = []TimeframeKind{TimeContinuous, TimeYearly, TimeRange, TimeDue}

// TaskStatus is the state of a task.
type TaskStatus string

const (
	TaskNotStarted TaskStatus = "not_started"
	TaskInProgress TaskStatus = "in_progress"
	TaskDone       TaskStatus = "done"
	TaskCancelled  TaskStatus = "cancelled"
)

// TaskStatuses in display order ("task.status.<value>").
var TaskStatuses = []TaskStatus{TaskNotStarted, TaskInProgress, TaskDone, TaskCancelled}

func (s TaskStatus) Valid() bool {
	for _, x := range TaskStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Task is one row of a plan's task table.
type Task struct {
	ID        int64
	PlanID    int64
	PlanTitle string // filled on reads
	Section   string
	Number    string
	Content   string
	LeadText  string // the lead cell as written in the plan
	CoordText string
	Kind      TimeframeKind
	YearFrom  int
	YearTo    int
	Due       dates.Date
	Status    TaskStatus
	Progress  int
	Position  int
	Lead      []int64 // lead units
	Coord     []int64 // coordinating units
}

// FollowActivities is the status the task takes when the activities
// serving it change, linked being how many serve it now and updates how
// many progress reports it has, and whether that is a change. A task not
// started is in progress once an activity serves it. A task in progress at
// 0 % that nothing shows as started any more (no activity, no report) is
// not started again. Any other status is the people's to set.
func (t *Task) FollowActivities(linked, updates int) (TaskStatus, bool) {
	switch {
	case t.Status == TaskNotStarted && linked > 0:
		return TaskInProgress, true
	case t.Status == TaskInProgress && t.Progress == 0 && linked == 0 && updates == 0:
		return TaskNotStarted, true
	}
	return t.Status, false
}

// Validate checks a task before it is saved.
func (t *Task) Validate() validation.Errors {
	var errs validation.Errors
	t.Content = strings.TrimSpace(t.Content)
	if t.Content == "" {
		errs.Add("content", "err.required")
	} else if utf8.RuneCountInString(t.Content) > 5000 {
		errs.Add("content", "err.too_long", 5000)
	}
	if utf8.RuneCountInString(t.LeadText) > 2000 {
		errs.Add("lead_text", "err.too_long", 2000)
	}
	if utf8.RuneCountInString(t.CoordText) > 2000 {
		errs.Add("coord_text", "err.too_long", 2000)
	}
	if len(t.Lead) == 0 {
		errs.Add("lead", "task.err.lead")
	}
	switch t.Kind {
	case TimeContinuous, TimeYearly:
	case TimeRange:
		if t.YearFrom < 2000 || t.YearFrom > 2100 {
			errs.Add("year_from", "plan.err.year")
		}
		if t.YearTo < t.YearFrom || t.YearTo > 2100 {
			errs.Add("year_to", "plan.err.year_order")
		}
	case TimeDue:
		if t.Due.IsZero() {
			errs.Add("due", "err.required")
		}
	default:
		errs.Add("timeframe", "err.invalid")
	}
	if !t.Status.Valid() {
		errs.Add("status", "err.invalid")
	}
	if t.Progress < 0 || t.Progress > 100 {
		errs.Add("progress", "err.range", 0, 100)
	}
	return errs
}

// Deadline is the last day of the task's timeframe, or zero for
// continuous and yearly tasks, which never end while the plan runs.
func (t *Task) Deadline() dates.Date {
	switch t.Kind {
	case TimeRange:
		return dates.New(t.YearTo, 12, 31)
	case TimeDue:
		return t.Due
	}
	return dates.Date{}
}

// Overdue reports whether the task is past its deadline and not finished.
func (t *Task) Overdue(today dates.Date) bool {
	if t.Status == TaskDone || t.Status == TaskCancelled {
		return false
	}
	d := t.Deadline()
	return !d.IsZero() && today.After(d)
}

// TimeframeText describes the task's timeframe in words in language l
// ("In 2025", "2024–2026", "By 30/06/2025", "Every year").
func (t *Task) TimeframeText(l i18n.Lang) string {
	switch t.Kind {
	case TimeRange:
		if t.YearFrom == t.YearTo {
			return l.T("task.tf.year", t.YearFrom)
		}
		return l.T("task.tf.range", t.YearFrom, t.YearTo)
	case TimeDue:
		return l.T("task.tf.due", t.Due.VN())
	case TimeContinuous, TimeYearly:
		return l.T("task.timeframe." + string(t.Kind))
	}
	return ""
}

// TaskUpdate is a progress report on a task by one of its units.
type TaskUpdate struct {
	ID        int64
	TaskID    int64
	UnitID    int64
	UnitName  string
	UserID    int64
	UserName  string
	Status    TaskStatus
	Progress  int
	Note      string
	Link      string
	FileName  string
	FileType  string
	FileData  []byte
	CreatedAt string
}

// MaxEvidenceFile bounds an evidence upload.
const MaxEvidenceFile = 10 << 20

// Validate checks an update before it is saved.
func (u *TaskUpdate) Validate() validation.Errors {
	var errs validation.Errors
	u.Note = strings.TrimSpace(u.Note)
	u.Link = strings.TrimSpace(u.Link)
	if !u.Status.Valid() {
		errs.Add("status", "err.invalid")
	}
	if u.Progress < 0 || u.Progress > 100 {
		errs.Add("progress", "err.range", 0, 100)
	}
	if utf8.RuneCountInString(u.Note) > 10000 {
		errs.Add("note", "err.too_long", 10000)
	}
	if u.Link != "" && !validation.ValidLink(u.Link) {
		errs.Add("link", "task.err.link")
	}
	if len(u.FileData) > MaxEvidenceFile {
		errs.Add("file", "task.err.file_size", MaxEvidenceFile>>20)
	}
	if u.Note == "" && u.Link == "" && len(u.FileData) == 0 && u.Status == "" {
		errs.Add("note", "err.required")
	}
	return errs
}
