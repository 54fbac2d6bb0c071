package plansweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/store"
	"khienso/internal/web"
	"khienso/internal/web/tasksweb"
)

type indicatorRow struct {
	Ind    *plans.Indicator
	Reads  string // what it measures in words (progress.Reads)
	Target string
}

type section struct {
	Name  string
	Tasks []tasksweb.TaskRow
}

type helpItem struct {
	Name  string
	Codes string
}

type detailData struct {
	Plan       *plans.Plan
	Programme  *plans.Programme
	Parent     *plans.Plan
	Indicators []indicatorRow
	Sections   []section
	TaskCount  int
	Children   []*plans.Plan
	CanWrite   bool
	Saved      bool
	Notice     string
	// the indicator form (adding, or editing IndID)
	IndID       int64
	IndValues   url.Values
	Generated   string // the edited formula in words, what an empty description shows
	Errors      web.FormErrors
	Comparisons []web.Option
	Periods     []web.Option
	Functions   []helpItem
	Vocabulary  []helpItem
}

// detail loads what plan {id}'s page shows; the caller must read it.
func (s *handler) detail(r *http.Request) (*detailData, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx, actor, l := r.Context(), s.Caller(r), web.Lang(r)
	p, inds, err := s.svc.Indicators(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	d := &detailData{Plan: p, IndValues: url.Values{}}
	if d.CanWrite, err = s.svc.CanWrite(ctx, actor, p); err != nil {
		return nil, err
	}
	rel, err := s.svc.Related(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	d.Programme, d.Parent, d.Children = rel.Programme, rel.Parent, rel.Children
	for _, i := range inds {
		d.Indicators = append(d.Indicators, indicatorRow{Ind: i, Reads: progress.Reads(l, i), Target: targetText(i)})
	}
	// The task table is public to the plan's readers.
	tasks, err := s.Store().Tasks(ctx, store.TaskFilter{PlanID: p.ID})
	if err != nil {
		return nil, err
	}
	today := s.svc.Today()
	dir, err := s.Store().UnitDirectory(ctx, today)
	if err != nil {
		return nil, err
	}
	names := web.UnitNames(dir)
	for _, t := range tasks {
		row := tasksweb.RowOf(l, names, t, today)
		if n := len(d.Sections); n == 0 || d.Sections[n-1].Name != t.Section {
			d.Sections = append(d.Sections, section{Name: t.Section})
		}
		last := &d.Sections[len(d.Sections)-1]
		last.Tasks = append(last.Tasks, row)
	}
	d.TaskCount = len(tasks)
	d.IndValues.Set("comparison", string(indicators.AtLeast))
	d.IndValues.Set("period", string(plans.PeriodYearly))
	d.fillChoices(l)
	return d, nil
}

func (d *detailData) fillChoices(l i18n.Lang) {
	d.Generated = progress.Reads(l, &plans.Indicator{Formula: d.IndValues.Get("formula")})
	d.Comparisons = web.Choices(l, indicators.Comparisons, "attain.cmp.", d.IndValues.Get("comparison"), "")
	d.Periods = web.Choices(l, []plans.PeriodKind{plans.PeriodYearly, plans.PeriodCumulative}, "indicator.period.", d.IndValues.Get("period"), "")
	v := progress.Vocabulary
	d.Functions = []helpItem{
		{"count(type=…, channel=…, audience=…)", l.T("indicator.help.count")},
		{"sum(metric, type=…, channel=…, audience=…)", l.T("indicator.help.sum")},
		{"units(unit_type=…, level=…, has=…, has_plan=yes|no, channel=…, audience=…)", l.T("indicator.help.units")},
		{"attr(attribute, unit_type=…, level=…)", l.T("indicator.help.attr")},
		{"report(field)", l.T("indicator.help.report")},
	}
	d.Vocabulary = []helpItem{
		{"type / has", strings.Join(v.ActivityTypes, ", ") + ", any"},
		{"channel", strings.Join(v.Channels, ", ")},
		{"audience", strings.Join(v.Audiences, ", ")},
		{"metric", strings.Join(v.Metrics, ", ")},
		{"unit_type", strings.Join(v.UnitTypes, ", ")},
		{"level", strings.Join(v.Levels, ", ")},
		{"attribute", strings.Join(v.Attributes, ", ")},
	}
}

func (s *handler) detailPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.detail(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d.Saved = q.Get("saved") != ""
	if n, err := strconv.Atoi(q.Get("imported")); err == nil && n > 0 {
		d.Notice = web.Lang(r).T("planimp.done", n)
	}
	// ?indicator= opens the form on an existing indicator.
	if id, err := strconv.ParseInt(q.Get("indicator"), 10, 64); err == nil && id > 0 && d.CanWrite {
		for _, row := range d.Indicators {
			if row.Ind.ID == id {
				d.IndID = id
				d.IndValues = indicatorValues(row.Ind)
				d.fillChoices(web.Lang(r))
			}
		}
	}
	s.Render(w, r, http.StatusOK, "plans_detail", d)
}
