package demo

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/accountsvc"
	"khienso/internal/service/activitysvc"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/tasksvc"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/units"
)

// The demo's people besides the administrator. Their one-time passwords
// are not shown: the administrator resets one to sign in as them.
const (
	CoordinatorEmail = "dieuphoi@demo.khienso.vn"
	coordinatorName  = "Trần Thị Lan"
)

// FocalEmail is the sign-in of the demo focal point of the unit with code.
func FocalEmail(code string) string { return "daumoi." + strings.ToLower(code) + "@demo.khienso.vn" }

// The comments the coordinator leaves, which a newcomer sees on the unit's
// side of the workflow.
const (
	ReturnComment = "Số lượt học viên chưa khớp với danh sách các lớp tập huấn; đề nghị rà soát và gửi lại."
	acceptComment = "Báo cáo đầy đủ, đúng mẫu."
)

// world is the demo province as its people act on it: the services they
// call (wired here as internal/app wires them, over the same store and
// clock), who they are and the units they act on.
type world struct {
	st    *store.Store
	today dates.Date

	accounts   *accountsvc.Service
	units      *unitsvc.Service
	plans      *plansvc.Service
	tasks      *tasksvc.Service
	activities *activitysvc.Service
	reports    *reportsvc.Service

	system, admin, coord service.Actor
	// focal are the focal points of the units a newcomer follows through
	// the workflow, by unit code: the first communes and a department.
	focal map[string]service.Actor

	prov                     *units.Unit
	depts, communes, schools []*units.Unit
	current                  *plans.Plan
}

// bringToLife makes the demo a province at work on the clock's day:
// accounts, plans, tasks due soon and one overdue, recent activities, an
// open round due in the coming weeks with submitted, returned and
// accepted reports, and a short round due within the week (whose
// reminders the maintenance pass sends).
func bringToLife(ctx context.Context, st *store.Store, clock service.Clock) error {
	access := service.NewAccess(st, clock)
	prog := &progress.Service{Store: st}
	log := slog.New(slog.DiscardHandler)
	w := &world{st: st, today: access.Today(), system: service.SystemActor, focal: map[string]service.Actor{},
		accounts: accountsvc.New(st, access), units: unitsvc.New(st, access, ctx, log),
		plans: plansvc.New(st, access, prog), reports: reportsvc.New(st, access, prog, log)}
	w.tasks = tasksvc.New(st, access, w.plans)
	w.activities = activitysvc.New(st, access, w.plans)
	for _, step := range []struct {
		what string
		do   func(context.Context) error
	}{
		{"units", w.loadUnits},
		{"accounts", w.createAccounts},
		{"plans", w.installPlans},
		{"tasks", w.createTasks},
		{"recent activities", w.recentActivities},
		{"rounds", w.runRounds},
	} {
		if err := step.do(ctx); err != nil {
			return fmt.Errorf("demo %s: %w", step.what, err)
		}
	}
	return nil
}

func (w *world) loadUnits(ctx context.Context) error {
	var err error
	if w.prov, err = w.st.UnitByCode(ctx, ProvinceCode, w.today); err != nil {
		return err
	}
	for _, l := range []struct {
		typ   units.Type
		limit int
		to    *[]*units.Unit
	}{{units.TypeDepartment, 100, &w.depts}, {units.TypeCommune, 500, &w.communes}, {units.TypeSchool, 500, &w.schools}} {
		if *l.to, _, err = w.st.SearchUnits(ctx, store.UnitFilter{Type: l.typ, Day: w.today, Limit: l.limit}); err != nil {
			return err
		}
	}
	if len(w.depts) == 0 || len(w.communes) < 6 {
		return fmt.Errorf("%d departments and %d communes on %s", len(w.depts), len(w.communes), w.today)
	}
	return nil
}

// followed are the units whose focal points act in the demo: five
// communes and the first department.
func (w *world) followed() []*units.Unit {
	return append(append([]*units.Unit{}, w.communes[:5]...), w.depts[0])
}

var focalNames = []string{"Nguyễn Văn An", "Lê Thị Bình", "Phạm Văn Cường", "Hoàng Thị Dung", "Võ Văn Em", "Đặng Thị Hà"}

// createAccounts: the administrator creates the coordinator's account at
// the coordinating department and a focal point's for each followed unit.
func (w *world) createAccounts(ctx context.Context) error {
	admin, _, err := w.st.UserByEmail(ctx, AdminEmail)
	if err != nil {
		return err
	}
	w.admin = service.Actor{Principal: admin.Principal()}
	set, err := w.st.ProvinceSettings(ctx, w.prov.ID)
	if err != nil {
		return err
	}
	mk := func(name, email string, unit int64, role auth.Role) (service.Actor, error) {
		u, _, err := w.accounts.CreateUser(ctx, w.admin, accountsvc.NewUser{Name: name, Email: email, UnitID: unit,
			Roles: []auth.Role{role}, GeneratePassword: true})
		if err != nil {
			return service.Actor{}, fmt.Errorf("account %s: %w", email, err)
		}
		return service.Actor{Principal: u.Principal()}, nil
	}
	if w.coord, err = mk(coordinatorName, CoordinatorEmail, set.CoordinatorID, auth.RoleCoordinator); err != nil {
		return err
	}
	for i, u := range w.followed() {
		if w.focal[u.Code], err = mk(focalNames[i%len(focalNames)], FocalEmail(u.Code), u.ID, auth.RoleFocalPoint); err != nil {
			return err
		}
	}
	// The first commune's focal point puts their own contact on the
	// unit's page, as a newcomer would on the first day.
	c := w.communes[0]
	u, err := w.st.Unit(ctx, c.ID, w.today)
	if err != nil {
		return err
	}
	u.Focal = units.Contact{Name: focalNames[0], Phone: "0912 345 678", Email: FocalEmail(c.Code)}
	return w.units.Update(ctx, w.focal[c.Code], unitsvc.Change{Unit: u})
}

// createTasks: the coordinator lists the year's tasks, two due within ten
// days, one overdue that a commune is still working on.
func (w *world) createTasks(ctx context.Context) error {
	fol := w.followed()
	ids := func(list []*units.Unit) []int64 {
		var out []int64
		for _, u := range list {
			out = append(out, u.ID)
		}
		return out
	}
	dept, communes, late := fol[5], fol[:5], fol[2]
	due := func(days int) dates.Date { return w.today.AddDays(days) }
	list := []*plans.Task{
		{Section: "I", Number: "1", Content: "Tổ chức lớp tập huấn kỹ năng nhận diện, phòng tránh lừa đảo trực tuyến cho cán bộ cấp xã",
			Kind: plans.TimeDue, Due: due(6), Lead: []int64{dept.ID}, Coord: ids(communes[:2])},
		{Section: "I", Number: "2", Content: "Cập nhật danh sách cán bộ đầu mối về an toàn thông tin của xã, phường",
			Kind: plans.TimeDue, Due: due(10), Lead: ids(communes)},
		{Section: "I", Number: "3", Content: "Rà soát, đánh giá an toàn thông tin các hệ thống thông tin cấp xã và báo cáo kết quả",
			Kind: plans.TimeDue, Due: due(-4), Lead: []int64{late.ID}, Status: plans.TaskInProgress, Progress: 20},
		{Section: "II", Number: "1", Content: "Phát thanh tuyên truyền định kỳ về an toàn thông tin trên hệ thống truyền thanh cơ sở",
			Kind: plans.TimeContinuous, Lead: ids(communes)},
		{Section: "II", Number: "2", Content: "Xây dựng, biên tập tài liệu tuyên truyền về phòng, chống lừa đảo trực tuyến",
			Kind: plans.TimeDue, Due: due(-20), Lead: []int64{dept.ID}, Status: plans.TaskDone, Progress: 100},
		{Section: "II", Number: "3", Content: "Tổ chức hội nghị sơ kết công tác tuyên truyền về an toàn thông tin",
			Kind: plans.TimeDue, Due: due(45), Lead: []int64{w.coord.Principal.UnitID}},
	}
	for _, t := range list {
		if err := w.tasks.Create(ctx, w.coord, w.current.ID, t); err != nil {
			return fmt.Errorf("task %q: %w", t.Content, err)
		}
	}
	// The commune late on its review says where it stands.
	progress := 40
	_, err := w.tasks.AddReport(ctx, w.focal[late.Code], list[2].ID, tasksvc.Report{Progress: &progress,
		Note: "Đã rà soát 3/7 hệ thống; đang chờ đơn vị cung cấp phần mềm hỗ trợ đánh giá các hệ thống còn lại."})
	return err
}

// recentActivities: the followed units record what they did over the last
// two weeks.
func (w *world) recentActivities(ctx context.Context) error {
	for i, u := range w.followed() {
		day := w.today.AddDays(-1 - 2*i)
		a := &activities.Activity{UnitID: u.ID, Type: "loudspeaker", Channel: "loudspeaker", Audiences: activities.SetOf("citizens"),
			Title: "Phát thanh cảnh báo thủ đoạn giả danh cơ quan nhà nước gọi điện lừa đảo (dữ liệu mẫu)", Start: day, End: day,
			Quantity: 2, Communes: 1}
		if u.Type != units.TypeCommune {
			a = &activities.Activity{UnitID: u.ID, Type: "training_class", Channel: "in_person", Audiences: activities.SetOf("civil_servants"),
				Title: "Lớp tập huấn kỹ năng bảo đảm an toàn thông tin (dữ liệu mẫu)", Start: day, End: day, Quantity: 1, Participants: 52}
		}
		if err := w.activities.Create(ctx, w.focal[u.Code], a, nil); err != nil {
			return fmt.Errorf("activity of %s: %w", u.Code, err)
		}
	}
	return nil
}

// runRounds: the coordinator opens the period's round, due in eighteen
// days, for departments and communes; the followed units submit, one
// report is returned with a comment and one accepted, one still a draft.
// A short round due in five days asks the communes for a quick figure.
func (w *world) runRounds(ctx context.Context) error {
	tpls, err := w.reports.Templates(ctx, w.coord)
	if err != nil || len(tpls) == 0 {
		return fmt.Errorf("no report template (%v)", err)
	}
	t := w.today.Start()
	from := dates.Of(time.Date(t.Year(), t.Month()-2, 1, 0, 0, 0, 0, time.UTC))
	to := dates.Of(time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC))
	round, err := w.reports.CreateRound(ctx, w.coord, reportsvc.RoundInput{TemplateID: tpls[0].ID, PlanID: w.current.ID,
		Title: fmt.Sprintf("Báo cáo kết quả công tác tuyên truyền về an toàn thông tin từ %s đến %s", from.VN(), to.VN()),
		From:  from.ISO(), To: to.ISO(), Deadline: w.today.AddDays(18).ISO(),
		Types: []units.Type{units.TypeDepartment, units.TypeCommune}})
	if err != nil {
		return fmt.Errorf("round: %w", err)
	}
	tpl := tpls[0]
	fol := w.followed()
	for i, u := range fol {
		content := reports.Step{Action: reports.ActionSubmit, Values: map[string]float64{}, Narratives: map[string]string{}}
		for j, f := range tpl.Fields {
			content.Values[f.Code] = float64((i + 1) * (j + 2))
		}
		for _, sec := range tpl.Sections {
			content.Narratives[sec.Code] = "Nội dung mẫu của " + u.Name + ": " + strings.ToLower(sec.Title) + " (dữ liệu mẫu)."
		}
		if i == 4 {
			content.Action = reports.ActionSave // still being written
		}
		if _, err := w.reports.Apply(ctx, w.focal[u.Code], reportsvc.Step{Round: round.ID, Unit: u.ID, Step: content}); err != nil {
			return fmt.Errorf("report of %s: %w", u.Code, err)
		}
	}
	for _, r := range []struct {
		unit    *units.Unit
		action  reports.Action
		comment string
	}{{fol[2], reports.ActionReturn, ReturnComment}, {fol[3], reports.ActionAccept, acceptComment}} {
		if _, err := w.reports.Apply(ctx, w.coord, reportsvc.Step{Round: round.ID, Unit: r.unit.ID,
			Step: reports.Step{Action: r.action, Comment: r.comment}}); err != nil {
			return fmt.Errorf("review of %s: %w", r.unit.Code, err)
		}
	}
	var codes []string
	for _, u := range fol[:5] {
		codes = append(codes, u.Code)
	}
	_, err = w.reports.CreateRound(ctx, w.coord, reportsvc.RoundInput{TemplateID: tpls[0].ID,
		Title: "Báo cáo nhanh kết quả tuyên truyền phòng, chống lừa đảo trực tuyến", From: from.ISO(), To: w.today.ISO(),
		Deadline: w.today.AddDays(5).ISO(), Codes: codes})
	return err
}
