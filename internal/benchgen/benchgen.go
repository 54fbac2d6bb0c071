// Package benchgen generates a large province, or a whole country of them,
// and their activities for benchmarks and load tests (`khienso bench gen`).
// The data is synthetic: names say so, and it is written without activity
// audit entries.
package benchgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/gazetteer"
	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/units"
)

// shape is one generated province: its codes start with prefix; it has the
// People's Committee, 40 departments, communes (a tenth of them former
// units merged into a neighbour on 01/07/2025, so history and roll-up paths
// are exercised too) and, under each commune, perCommune schools and other
// organisations.
type shape struct {
	prefix, rootCode, name string
	communes, perCommune   int
	names                  []string // of the first communes (the others are numbered)
}

const departments = 40

// Province fills st with a generated province of about n units, shaped like
// a real one. It returns the root and one current commune.
func Province(ctx context.Context, st *store.Store, n int) (root, commune int64, err error) {
	const perCommune = 45
	sh := shape{rootCode: "P", name: "Ủy ban nhân dân tỉnh Thử Nghiệm", communes: max((n-departments-1)/(perCommune+1), 2), perCommune: perCommune}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		root, commune, err = sh.generate(ctx, tx, 0)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("generate province: %w", err)
	}
	return root, commune, nil
}

var genesis = dates.MustParse("2021-01-01")

func (sh shape) unit(ctx context.Context, tx *store.Tx, code, name string, typ units.Type, parent int64) (int64, error) {
	u := &units.Unit{Code: code, Name: name, Type: typ, ValidFrom: genesis}
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

// generate writes the province under parent (0: a root).
func (sh shape) generate(ctx context.Context, tx *store.Tx, parent int64) (root, commune int64, err error) {
	if root, err = sh.unit(ctx, tx, sh.rootCode, sh.name, units.TypeProvinceCommittee, parent); err != nil {
		return 0, 0, err
	}
	for i := range departments {
		if _, err := sh.unit(ctx, tx, fmt.Sprintf("%sP-D%02d", sh.prefix, i), fmt.Sprintf("Sở Thử Nghiệm số %d", i), units.TypeDepartment, root); err != nil {
			return 0, 0, err
		}
	}
	ids := make([]int64, sh.communes)
	for c := range sh.communes {
		name := fmt.Sprintf("Xã Phước Hòa %d", c)
		if c < len(sh.names) {
			name = sh.names[c]
		}
		if ids[c], err = sh.unit(ctx, tx, fmt.Sprintf("%sC%05d", sh.prefix, c), name, units.TypeCommune, root); err != nil {
			return 0, 0, err
		}
		for k := range sh.perCommune {
			typ := units.TypeSchool
			if k%3 == 2 {
				typ = units.TypeOther
			}
			if _, err := sh.unit(ctx, tx, fmt.Sprintf("%sC%05d-%02d", sh.prefix, c, k), fmt.Sprintf("Trường THCS Đông Vĩnh %d-%d", c, k), typ, ids[c]); err != nil {
				return 0, 0, err
			}
		}
	}
	merge := dates.MustParse("2025-07-01")
	for c := 0; c+1 < sh.communes; c += 10 {
		if _, err := tx.MergeUnits(ctx, audit.System, store.MergeRequest{SourceIDs: []int64{ids[c]}, TargetID: ids[c+1], Date: merge}); err != nil {
			return 0, 0, err
		}
	}
	return root, ids[1], nil
}

// A Country is a generated national deployment.
type Country struct {
	Root      int64   // the national root
	Provinces []int64 // the 34 province committees, in Vietnam's code order
	Largest   int64   // the province sized largest (Thành phố Hồ Chí Minh)
}

// GenerateCountry fills st with a national root and the 34 provinces and
// cities (real names, codes and communes as of 2026, from the gazetteer;
// synthetic structure below them) of about n units in all; Thành phố Hồ Chí
// Minh gets about largest of them and the other provinces share the rest
// by their number of communes. progress, if not nil, is called after each
// province.
func GenerateCountry(ctx context.Context, st *store.Store, n, largest int, progress func(done int)) (Country, error) {
	var out Country
	if largest > n/2 {
		return out, fmt.Errorf("the largest province (%d units) must be at most half of the country (%d)", largest, n)
	}
	g, err := gazetteer.Load()
	if err != nil {
		return out, err
	}
	rest := 0
	for _, p := range g.Provinces {
		if p.Code != largestProvince {
			rest += len(p.Communes)
		}
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		u := &units.Unit{Code: "VN", Name: "Toàn quốc (dữ liệu thử nghiệm)", Type: units.TypeNational, ValidFrom: genesis}
		if err := tx.CreateUnit(ctx, audit.System, u, 0); err != nil {
			return fmt.Errorf("generate the national root: %w", err)
		}
		out.Root = u.ID
		return nil
	})
	if err != nil {
		return out, err
	}
	for i, p := range g.Provinces {
		size := (n - largest - 1) * len(p.Communes) / rest
		if p.Code == largestProvince {
			size = largest
		}
		// A tenth of the generated communes are merged away, so generate
		// that many more than the real count.
		communes := len(p.Communes) + len(p.Communes)/9
		sh := shape{prefix: p.Code + "-", rootCode: p.Code, name: "Ủy ban nhân dân " + p.Level() + " " + p.Name, communes: communes,
			perCommune: max((size-departments-1-communes+communes/2)/communes, 0)}
		// The former communes come first (every tenth merges into the
		// next), so the real names go to the ones that stay.
		next := 0
		for c := range communes {
			name := fmt.Sprintf("Xã Phước Hòa %d", c)
			if c%10 == 0 && c+1 < communes {
				name += " (cũ)"
			} else if next < len(p.Communes) {
				name = p.Communes[next].FullName()
				next++
			}
			sh.names = append(sh.names, name)
		}
		err := st.Tx(ctx, func(tx *store.Tx) error {
			id, _, err := sh.generate(ctx, tx, out.Root)
			out.Provinces = append(out.Provinces, id)
			if p.Code == largestProvince {
				out.Largest = id
			}
			return err
		})
		if err != nil {
			return out, fmt.Errorf("generate %s: %w", p.FullName(), err)
		}
		if progress != nil {
			progress(i + 1)
		}
	}
	return out, nil
}

// largestProvince is the code of the province generated largest.
const largestProvince = "79"

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

// Activities writes count activities spread evenly over the units and over
// the years [fromYear, toYear], then rebuilds the totals.
// progress, if not nil, is called after each batch with the rows written.
func Activities(ctx context.Context, st *store.Store, count, fromYear, toYear int, seed uint64, progress func(done int)) error {
	all, err := st.UnitAttributes(ctx)
	if err != nil {
		return err
	}
	type unit struct {
		id  int64
		typ units.Type
	}
	list := make([]unit, 0, len(all))
	for _, u := range all {
		list = append(list, unit{u.ID, u.Info.Type})
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

// PlanTitle is the title of the generated plans: the programme's code
// follows it.
const PlanTitle = "Kế hoạch thử nghiệm hiệu năng "

// Plan creates a plan of unit root (a province, or the national root) from
// the programme with code, for the years given, so benchmarks have
// indicators to compute; parent, if not 0, is the plan it implements.
func Plan(ctx context.Context, st *store.Store, root, parent int64, code string, fromYear, toYear int) (*plans.Plan, error) {
	progs, err := st.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range progs {
		if p.Code != code {
			continue
		}
		plan := &plans.Plan{UnitID: root, ParentID: parent, ProgrammeID: p.ID, Title: PlanTitle + p.Code, Number: "BENCH",
			IssuedOn: dates.New(fromYear, 1, 1), YearFrom: fromYear, YearTo: toYear, Status: plans.StatusInEffect}
		return plan, st.CreatePlan(ctx, audit.System, plan, append([]plans.Indicator(nil), p.Targets...))
	}
	return nil, fmt.Errorf("programme %s is not installed", code)
}
