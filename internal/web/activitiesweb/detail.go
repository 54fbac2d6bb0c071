package activitiesweb

import (
	"net/http"

	"khienso/internal/activities"
	"khienso/internal/web"
)

type activityDetailData struct {
	A         *activities.Activity
	F         activityFigures
	Confirm   bool // the delete confirmation
	TypeLabel string
	Channel   string
	Audiences []string
	Tasks     []activityTaskOption
	CanWrite  bool
	Notice    string
}

func (s *handler) activityDetailData(r *http.Request, act *activities.Activity) (*activityDetailData, error) {
	ctx := r.Context()
	l := web.Lang(r)
	actor := s.Caller(r)
	d := &activityDetailData{A: act, F: activityFiguresOf(act), TypeLabel: l.T("activity.type." + string(act.Type)), Channel: l.T("activity.channel." + string(act.Channel))}
	for _, a := range act.Audiences.List() {
		d.Audiences = append(d.Audiences, l.T("activity.audience."+string(a)))
	}
	tasks, err := s.svc.LinkedTasks(ctx, actor, act)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		d.Tasks = append(d.Tasks, activityTaskOption{ID: t.ID, Label: activityTaskLabel(t), Plan: t.PlanTitle})
	}
	if d.CanWrite, err = s.svc.CanWrite(ctx, actor, act); err != nil {
		return nil, err
	}
	switch r.URL.Query().Get("done") {
	case "created":
		d.Notice = l.T("activity.done.created")
	case "saved":
		d.Notice = l.T("activity.done.saved")
	}
	return d, nil
}

func (s *handler) activityDetailPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	act, err := s.svc.Get(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.activityDetailData(r, act)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "activities_detail", d)
}

func (s *handler) activityDeletePage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	act, err := s.svc.Editable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.activityDetailData(r, act)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Confirm = true
	s.Render(w, r, http.StatusOK, "activities_detail", d)
}

func (s *handler) activityDeleteSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.svc.Delete(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/activities?done=deleted", http.StatusSeeOther)
}
