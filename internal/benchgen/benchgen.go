// Package benchgen generates a large province and its activities for
// benchmarks and load tests (`khienso bench gen`). The data is synthetic:
// names say so, and it is written without audit entries.
package benchgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/units"
)

// Province fills st with a generated province of about n units, shaped like
// a real one: the People's Committee, 40 departments, communes, and under
// each commune its schools and other organisations; a tenth of the communes
// are former units merged into a neighbour on 01/07/2025, so history and
// roll-up paths are exercised too. It returns the root and one current
// commune.
func Province(ctx context.Context, st *store.Store, n int) (root, commune int64, err error) {
	from := dates.MustParse("2021-01-01")
	mk := func(tx *store.Tx, code, name string, typ units.Type, parent int64) (int64, error) {
		u := &units.Unit{Code: code, Name: name, Type: typ, ValidFrom: from}
		if typ == units.TypeSchool {
			u.SchoolLevel = units.LevelLowerSecondary
			pupils := 600
			u.PupilCount, u.HeadcountYear = &pupils, 2025
		}
		if err := tx.CreateUnit(ctx, audit.System, u, parent); err != nil {
			return 0, fmt.Errorf("generate %s: %w", code, err)
		}
		return u.ID, nil
	}
	const perCommune = 45
	communes := max((n-41)/(perCommune+1), 2)
	err = st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if root, err = mk(tx, "P", "Ủy ban nhân dân tỉnh Thử Nghiệm", units.TypeProvinceCommittee, 0); err != nil {
			return err
		}
		for i := range 40 {
			if _, err := mk(tx, fmt.Sprintf("P-D%02d", i), fmt.Sprintf("Sở Thử Nghiệm số %d", i), units.TypeDepartment, root); err != nil {
				return err
			}
		}
		ids := make([]int64, communes)
		for c := range communes {
			if ids[c], err = mk(tx, fmt.Sprintf("C%05d", c), fmt.Sprintf("Xã Phước Hòa %d", c), units.TypeCommune, root); err != nil {
				return err
			}
			for k := range perCommune {
				typ := units.TypeSchool
				if k%3 == 2 {
					typ = units.TypeOther
				}
				if _, err := mk(tx, fmt.Sprintf("C%05d-%02d", c, k), fmt.Sprintf("Trường THCS Đông Vĩnh %d-%d", c, k), typ, ids[c]); err != nil {
					return err
				}
			}
		}
		merge := dates.MustParse("2025-07-01")
		for c := 0; c+1 < communes; c += 10 {
			if _, err := tx.MergeUnits(ctx, audit.System, store.MergeRequest{SourceIDs: []int64{ids[c]}, TargetID: ids[c+1], Date: merge}); err != nil {
				return err
			}
		}
		commune = ids[1]
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("generate province: %w", err)
	}
	return root, commune, nil
}

// profile is what a kind of unit typically records: a few (type, channel,
// audience) combinations, as in the seeds (communes broadcast on
// loudspeakers, schools hold sessions for pupils, departments train staff
// and publish news).
type profile struct {
	typ     activities.Type
	channel activities.Channel
	aud     activities.Set
}

var profiles = map[units.Type][]profile{
	units.TypeSchool: {{"seminar", "in_person", activities.SetOf("pupils")}, {"contest", "online_platform", activities.SetOf("pupils")},
		{"social_post", "social_media", activities.SetOf("pupils", "citizens")}},
	units.TypeCommune: {{"loudspeaker", "loudspeaker", activities.SetOf("citizens")}, {"leaflet", "print", activities.SetOf("citizens")},
		{"training_class", "in_person", activities.SetOf("civil_servants")}, {"news_article", "web_portal", activities.SetOf("citizens")}},
	units.TypeDepartment: {{"training_class", "in_person", activities.SetOf("technical_staff")}, {"seminar", "in_person", activities.SetOf("agency_heads")},
		{"news_article", "web_portal", activities.SetOf("civil_servants", "citizens")}, {"directive", "other", activities.SetOf("civil_servants")},
		{"drill", "in_person", activities.SetOf("technical_staff")}, {"malware_scan", "other", activities.SetOf("technical_staff")}},
}

var otherProfile = []profile{{"social_post", "social_media", activities.SetOf("enterprise_staff")}, {"seminar", "in_person", activities.SetOf("enterprise_staff")}}

// Activities writes count activities spread evenly over the units in force
// today and over the years [fromYear, toYear], then rebuilds the totals.
// progress, if not nil, is called after each batch with the rows written.
func Activities(ctx context.Context, st *store.Store, count, fromYear, toYear int, seed uint64, progress func(done int)) error {
	facts, err := st.UnitFacts(ctx, dates.Today())
	if err != nil {
		return err
	}
	type unit struct {
		id  int64
		typ units.Type
	}
	list := make([]unit, 0, len(facts))
	for id, f := range facts {
		list = append(list, unit{id, f.Type})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id }) // reproducible
	if len(list) == 0 {
		return fmt.Errorf("no units: generate the province first")
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	years := toYear - fromYear + 1
	const batch = 200_000
	buf := make([]activities.Activity, 0, batch)
	for done := 0; done < count; {
		buf = buf[:0]
		for len(buf) < batch && done+len(buf) < count {
			u := list[rng.IntN(len(list))]
			ps := profiles[u.typ]
			if ps == nil {
				ps = otherProfile
			}
			p := ps[rng.IntN(len(ps))]
			day := dates.New(fromYear+rng.IntN(years), 1, 1).AddDays(rng.IntN(365))
			a := activities.Activity{UnitID: u.id, Type: p.typ, Channel: p.channel, Audiences: p.aud, Title: "Hoạt động sinh tự động",
				Start: day, End: day, Quantity: 1, Participants: int64(rng.IntN(200))}
			if p.typ == "loudspeaker" {
				a.Communes = 1
			}
			buf = append(buf, a)
		}
		if err := st.BulkInsertActivities(ctx, buf); err != nil {
			return err
		}
		done += len(buf)
		if progress != nil {
			progress(done)
		}
	}
	return st.RebuildActivityTotals(ctx)
}

// Plan creates a province plan from the programme with code, for the years
// given, so benchmarks have indicators to compute.
func Plan(ctx context.Context, st *store.Store, root int64, code string, fromYear, toYear int) (*plans.Plan, error) {
	progs, err := st.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range progs {
		if p.Code != code {
			continue
		}
		plan := &plans.Plan{UnitID: root, ProgrammeID: p.ID, Title: "Kế hoạch thử nghiệm hiệu năng " + p.Code, Number: "BENCH",
			IssuedOn: dates.New(fromYear, 1, 1), YearFrom: fromYear, YearTo: toYear, Status: plans.StatusInEffect}
		return plan, st.CreatePlan(ctx, audit.System, plan, append([]plans.Indicator(nil), p.Targets...))
	}
	return nil, fmt.Errorf("programme %s is not installed", code)
}
