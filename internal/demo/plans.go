package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/units"
)

// installPlans gives the demo province a plan from the 1907 programme for
// 2021-2025 and one for the current year, some departments' own plans,
// sample activities (marked as sample data in their titles) and the yearly
// reporting round, so every page has something to show on first run.
func installPlans(ctx context.Context, st *store.Store, today dates.Date) error {
	progs, err := st.Programmes(ctx)
	if err != nil {
		return err
	}
	var p1907 *plans.Programme
	for _, p := range progs {
		if p.Code == "1907" {
			p1907 = p
		}
	}
	if p1907 == nil {
		return fmt.Errorf("demo plans: programme 1907 is not installed")
	}
	prov, err := st.UnitByCode(ctx, ProvinceCode, today)
	if err != nil {
		return err
	}
	year := today.Year()
	mk := func(title string, from, to int, issued dates.Date) (*plans.Plan, error) {
		p := &plans.Plan{UnitID: prov.ID, ProgrammeID: p1907.ID, Number: "(dữ liệu mẫu)/KH-UBND", Title: title,
			IssuedOn: issued, Signer: "(dữ liệu mẫu)", YearFrom: from, YearTo: to, Status: plans.StatusInEffect,
			Objectives: "Nâng cao nhận thức, kỹ năng bảo đảm an toàn thông tin cho cán bộ, công chức, viên chức, học sinh, sinh viên và người dân trên địa bàn tỉnh."}
		inds := append([]plans.Indicator(nil), p1907.Targets...)
		for i := range inds {
			if inds[i].Period == plans.PeriodCumulative && to == from {
				inds[i].Period = plans.PeriodYearly
			}
		}
		return p, st.CreatePlan(ctx, audit.System, p, inds)
	}
	if _, err := mk("Kế hoạch tuyên truyền, nâng cao nhận thức và phổ biến kiến thức về an toàn thông tin giai đoạn 2021-2025 (dữ liệu mẫu)",
		2021, 2025, dates.New(2021, 6, 15)); err != nil {
		return err
	}
	current, err := mk(fmt.Sprintf("Kế hoạch tuyên truyền, nâng cao nhận thức về an toàn thông tin năm %d (dữ liệu mẫu)", year),
		year, year, dates.New(year, 1, 20))
	if err != nil {
		return err
	}

	depts, _, err := st.SearchUnits(ctx, store.UnitFilter{Type: units.TypeDepartment, Day: today, Limit: 100})
	if err != nil {
		return err
	}
	communes, _, err := st.SearchUnits(ctx, store.UnitFilter{Type: units.TypeCommune, Day: today, Limit: 500})
	if err != nil {
		return err
	}
	schools, _, err := st.SearchUnits(ctx, store.UnitFilter{Type: units.TypeSchool, Day: today, Limit: 500})
	if err != nil {
		return err
	}
	for i, d := range depts {
		if i%3 == 2 {
			continue // a third of departments have not issued their plan yet
		}
		p := &plans.Plan{UnitID: d.ID, ParentID: current.ID, ProgrammeID: current.ProgrammeID, Title: "Kế hoạch thực hiện năm " + fmt.Sprint(year) + " của " + d.Name,
			Number: "(dữ liệu mẫu)", IssuedOn: dates.New(year, 2, 1+i%20), YearFrom: year, YearTo: year, Status: plans.StatusInEffect}
		if err := st.CreatePlan(ctx, audit.System, p, nil); err != nil {
			return err
		}
	}

	// Sample activities, reproducible.
	rng := rand.New(rand.NewPCG(40, uint64(year)))
	kinds := []struct {
		typ      activities.Type
		channel  activities.Channel
		aud      activities.Set
		qty, ppl int64
		communes int64
	}{
		{"news_article", "web_portal", activities.SetOf("citizens"), 3, 0, 0},
		{"social_post", "social_media", activities.SetOf("citizens", "students"), 5, 0, 0},
		{"loudspeaker", "loudspeaker", activities.SetOf("citizens"), 4, 0, 1},
		{"training_class", "in_person", activities.SetOf("civil_servants"), 1, 45, 0},
		{"training_class", "in_person", activities.SetOf("technical_staff"), 1, 30, 0},
		{"seminar", "in_person", activities.SetOf("agency_heads"), 1, 25, 0},
	}
	var list []*activities.Activity
	add := func(unit *units.Unit, k int, day dates.Date) {
		kd := kinds[k]
		list = append(list, &activities.Activity{UnitID: unit.ID, Type: kd.typ, Channel: kd.channel, Audiences: kd.aud,
			Title: i18nTitle(kd.typ) + " (dữ liệu mẫu)", Start: day, End: day, Quantity: kd.qty,
			Participants: kd.ppl + int64(rng.IntN(20)), Communes: kd.communes})
	}
	for y := year - 2; y <= year; y++ {
		last := 365
		if y == year {
			last = today.Start().YearDay() - 1
		}
		day := func() dates.Date { return dates.New(y, 1, 1).AddDays(rng.IntN(max(last, 1))) }
		for i, d := range depts {
			add(d, i%len(kinds), day())
			add(d, 3, day())
		}
		for i, c := range communes {
			if rng.IntN(3) > 0 {
				add(c, 2, day())
			}
			if i%4 == 0 {
				add(c, 0, day())
			}
		}
		for i, s := range schools {
			if rng.IntN(4) > 0 {
				list = append(list, &activities.Activity{UnitID: s.ID, Type: "seminar", Channel: "in_person", Audiences: activities.SetOf("pupils"),
					Title: "Chuyên đề kỹ năng an toàn trên không gian mạng cho học sinh (dữ liệu mẫu)", Start: day(), Quantity: 1,
					Participants: 200 + int64(i%7)*30})
			}
		}
	}
	for _, a := range list {
		if errs := a.Validate(); len(errs) > 0 {
			return fmt.Errorf("demo activity %q: %v", a.Title, errs)
		}
	}
	if err := st.CreateActivities(ctx, audit.System, list); err != nil {
		return err
	}

	tpls, err := st.ReportTemplates(ctx)
	if err != nil || len(tpls) == 0 {
		return fmt.Errorf("demo round: no report template (%v)", err)
	}
	round := &reports.Round{TemplateID: tpls[0].ID, PlanID: current.ID, Title: fmt.Sprintf("Báo cáo kết quả năm %d", year),
		From: dates.New(year, 1, 1), To: dates.New(year, 12, 31), Deadline: dates.New(year, 12, 5), Status: reports.RoundOpen}
	for _, d := range depts {
		round.Units = append(round.Units, d.ID)
	}
	for _, c := range communes {
		round.Units = append(round.Units, c.ID)
	}
	return st.CreateRound(ctx, audit.System, round)
}

func i18nTitle(t activities.Type) string {
	switch t {
	case "news_article":
		return "Tin bài cảnh báo lừa đảo trực tuyến"
	case "social_post":
		return "Bài đăng hướng dẫn nhận diện tin nhắn giả mạo"
	case "loudspeaker":
		return "Phát thanh tuyên truyền an toàn thông tin trên hệ thống truyền thanh cơ sở"
	case "training_class":
		return "Lớp tập huấn kỹ năng bảo đảm an toàn thông tin"
	}
	return "Hội nghị phổ biến trách nhiệm bảo đảm an toàn thông tin"
}
