package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"khienso/internal/activities"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service/plansvc"
	"khienso/internal/units"
)

// planIssued is the day the demo's plan for today's year was issued: 20
// January, or on the first days of January (before that day comes) the 20
// December before, as provinces often issue next year's plan in December,
// so a demo installed on 1 January still shows a plan in effect.
func planIssued(today dates.Date) dates.Date {
	d := dates.New(today.Year(), 1, 20)
	if today.Before(d) {
		d = dates.New(today.Year()-1, 12, 20)
	}
	return d
}

// installPlans gives the demo province, as its coordinator, a plan from
// the 1907 programme for 2021-2025 and one for the current year, and some
// departments' own plans; then sample activities of the last years (marked
// as sample data in their titles).
func (w *world) installPlans(ctx context.Context) error {
	progs, err := w.st.Programmes(ctx)
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
	year := w.today.Year()
	mk := func(title string, from, to int, issued dates.Date) (*plans.Plan, error) {
		p, err := w.plans.CreatePlan(ctx, w.coord, plansvc.NewPlan{Unit: w.prov.ID, Programme: p1907.ID, Fields: plansvc.Fields{
			Number: "(dữ liệu mẫu)/KH-UBND", Title: title, IssuedOn: issued, Signer: "(dữ liệu mẫu)", YearFrom: from, YearTo: to,
			Status:     plans.StatusInEffect,
			Objectives: "Nâng cao nhận thức, kỹ năng bảo đảm an toàn thông tin cho cán bộ, công chức, viên chức, học sinh, sinh viên và người dân trên địa bàn tỉnh."}})
		if err != nil || from != to {
			return p, err
		}
		// A one-year plan measures each target over its year.
		_, inds, err := w.plans.Indicators(ctx, w.coord, p.ID)
		if err != nil {
			return nil, err
		}
		for _, ind := range inds {
			if ind.Period == plans.PeriodCumulative {
				ind.Period = plans.PeriodYearly
				if err := w.plans.SaveIndicator(ctx, w.coord, p.ID, ind); err != nil {
					return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
				}
			}
		}
		return p, nil
	}
	if _, err := mk("Kế hoạch tuyên truyền, nâng cao nhận thức và phổ biến kiến thức về an toàn thông tin giai đoạn 2021-2025 (dữ liệu mẫu)",
		2021, 2025, dates.New(2021, 6, 15)); err != nil {
		return err
	}
	issued := planIssued(w.today)
	if w.current, err = mk(fmt.Sprintf("Kế hoạch tuyên truyền, nâng cao nhận thức về an toàn thông tin năm %d (dữ liệu mẫu)", year),
		year, year, issued); err != nil {
		return err
	}
	for i, d := range w.depts {
		if i%3 == 2 {
			continue // a third of departments have not issued their plan yet
		}
		on := issued.AddDays(3 + i%20)
		if on.After(w.today) {
			on = w.today
		}
		if _, err := w.plans.CreatePlan(ctx, w.coord, plansvc.NewPlan{Unit: d.ID, Parent: w.current.ID, Fields: plansvc.Fields{
			Title: "Kế hoạch thực hiện năm " + fmt.Sprint(year) + " của " + d.Name, Number: "(dữ liệu mẫu)", IssuedOn: on,
			YearFrom: year, YearTo: year, Status: plans.StatusInEffect}}); err != nil {
			return fmt.Errorf("plan of %s: %w", d.Code, err)
		}
	}
	return w.sampleActivities(ctx)
}

// sampleActivities records the activities of the last three years up to
// yesterday, reproducibly for a given day. They are the province's past
// records loaded at once (as an import would), in one bulk write rather
// than one service call each: hundreds of them would make the demo slow.
func (w *world) sampleActivities(ctx context.Context) error {
	year := w.today.Year()
	rng := rand.New(rand.NewPCG(40, uint64(w.today.Start().Unix())))
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
			last = w.today.Start().YearDay() - 1
		}
		day := func() dates.Date { return dates.New(y, 1, 1).AddDays(rng.IntN(max(last, 1))) }
		for i, d := range w.depts {
			add(d, i%len(kinds), day())
			add(d, 3, day())
		}
		for i, c := range w.communes {
			if rng.IntN(3) > 0 {
				add(c, 2, day())
			}
			if i%4 == 0 {
				add(c, 0, day())
			}
		}
		for i, s := range w.schools {
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
	return w.st.CreateActivities(ctx, w.system.Audit(), list)
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
