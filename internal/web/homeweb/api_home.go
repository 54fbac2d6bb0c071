package homeweb

import (
	"fmt"
	"net/http"

	"khienso/internal/plans"
	"khienso/internal/service/homesvc"
	"khienso/internal/store"
	"khienso/internal/web"
)

// apiList is a capped list with its total.
type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func listOf[S, T any](l homesvc.List[S], conv func(S) T) apiList[T] {
	out := apiList[T]{Items: make([]T, 0, len(l.Items)), Total: l.Total}
	for _, x := range l.Items {
		out.Items = append(out.Items, conv(x))
	}
	return out
}

type apiHomeReport struct {
	RoundID  int64  `json:"round_id"`
	Title    string `json:"title"`
	UnitID   int64  `json:"unit_id"`
	Status   string `json:"status"`
	Deadline string `json:"deadline"`
	DaysLeft int    `json:"days_left"`
	Comment  string `json:"comment,omitempty"`
	Link     string `json:"link"`
}

type apiHomeTask struct {
	ID        int64  `json:"id"`
	PlanID    int64  `json:"plan_id"`
	PlanTitle string `json:"plan_title"`
	Content   string `json:"content"`
	Deadline  string `json:"deadline"`
	Status    string `json:"status"`
	Progress  int    `json:"progress"`
	Link      string `json:"link"`
}

type apiHomeUnit struct {
	ReportsDue      apiList[apiHomeReport] `json:"reports_due"`
	ReportsReturned apiList[apiHomeReport] `json:"reports_returned"`
	ReportsOverdue  apiList[apiHomeReport] `json:"reports_overdue"`
	TasksDueSoon    apiList[apiHomeTask]   `json:"tasks_due_soon"`
	TasksOverdue    apiList[apiHomeTask]   `json:"tasks_overdue"`
}

type apiLateUnit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiHomeRound struct {
	RoundID   int64                `json:"round_id"`
	Title     string               `json:"title"`
	Deadline  string               `json:"deadline"`
	DaysLeft  int                  `json:"days_left"`
	Expected  int                  `json:"expected"`
	Submitted int                  `json:"submitted"`
	Accepted  int                  `json:"accepted"`
	Late      apiList[apiLateUnit] `json:"late_units"`
	Link      string               `json:"link"`
}

type apiHomeRisk struct {
	PlanID      int64   `json:"plan_id"`
	PlanTitle   string  `json:"plan_title"`
	IndicatorID int64   `json:"indicator_id"`
	Name        string  `json:"name"`
	Value       float64 `json:"value"`
	Target      float64 `json:"target"`
	Expected    float64 `json:"expected"`
	Link        string  `json:"link"`
}

type apiHomeManage struct {
	Rounds       apiList[apiHomeRound] `json:"rounds"`
	AtRisk       apiList[apiHomeRisk]  `json:"indicators_at_risk"`
	TasksOverdue apiList[apiHomeTask]  `json:"tasks_overdue"`
}

type apiHome struct {
	Today         string            `json:"today"`
	UnitID        int64             `json:"unit_id"`
	UnitName      string            `json:"unit_name"`
	Unread        int               `json:"unread"`
	Notifications []apiNotification `json:"notifications"`
	Unit          *apiHomeUnit      `json:"unit"`
	Manage        *apiHomeManage    `json:"manage"`
}

func apiReportOf(r homesvc.Report) apiHomeReport {
	return apiHomeReport{RoundID: r.Round.ID, Title: r.Round.Title, UnitID: r.Unit, Status: string(r.Status),
		Deadline: r.Round.Deadline.ISO(), DaysLeft: r.DaysLeft, Comment: r.Comment,
		Link: fmt.Sprintf("/reports/rounds/%d/units/%d", r.Round.ID, r.Unit)}
}

func apiTaskOf(t *plans.Task) apiHomeTask {
	out := apiHomeTask{ID: t.ID, PlanID: t.PlanID, PlanTitle: t.PlanTitle, Content: t.Content, Status: string(t.Status),
		Progress: t.Progress, Link: fmt.Sprintf("/tasks/%d", t.ID)}
	if d := t.Deadline(); !d.IsZero() {
		out.Deadline = d.ISO()
	}
	return out
}

func apiRoundOf(r homesvc.Round) apiHomeRound {
	return apiHomeRound{RoundID: r.Round.ID, Title: r.Round.Title, Deadline: r.Round.Deadline.ISO(), DaysLeft: r.DaysLeft,
		Expected: r.Completeness.Required, Submitted: r.Completeness.Submitted, Accepted: r.Accepted,
		Late: listOf(r.Late, func(u store.RoundUnitStatus) apiLateUnit { return apiLateUnit{ID: u.UnitID, Name: u.UnitName} }),
		Link: fmt.Sprintf("/reports/rounds/%d", r.Round.ID)}
}

func apiRiskOf(r homesvc.Risk) apiHomeRisk {
	return apiHomeRisk{PlanID: r.Plan.ID, PlanTitle: r.Plan.Title, IndicatorID: r.Result.Indicator.ID, Name: r.Result.Indicator.Name,
		Value: r.Result.Value, Target: r.Result.Target.Value, Expected: r.Result.Progress.Expected,
		Link: fmt.Sprintf("/plans/%d/dashboard", r.Plan.ID)}
}

// apiHome returns the caller's to-do, as the home page shows it.
func (s *handler) apiHome(w http.ResponseWriter, r *http.Request) {
	h, err := s.home.Home(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	out := apiHome{Today: h.Today.ISO(), UnitID: h.Place.ID, UnitName: h.Place.Name, Unread: h.Unread, Notifications: []apiNotification{}}
	for _, n := range h.Notifications {
		out.Notifications = append(out.Notifications, apiNotification{ID: n.ID, Kind: n.Subject, Text: notifText(l, n),
			Link: notifLink(n.Link), CreatedAt: store.ParseTime(n.CreatedAt), Read: n.Read})
	}
	if u := h.Unit; u != nil {
		out.Unit = &apiHomeUnit{ReportsDue: listOf(u.Due, apiReportOf), ReportsReturned: listOf(u.Returned, apiReportOf),
			ReportsOverdue: listOf(u.Overdue, apiReportOf), TasksDueSoon: listOf(u.TasksSoon, apiTaskOf),
			TasksOverdue: listOf(u.TasksOverdue, apiTaskOf)}
	}
	if m := h.Manage; m != nil {
		out.Manage = &apiHomeManage{Rounds: listOf(m.Rounds, apiRoundOf), AtRisk: listOf(m.AtRisk, apiRiskOf),
			TasksOverdue: listOf(m.TasksOverdue, apiTaskOf)}
	}
	web.WriteJSON(w, http.StatusOK, out)
}
