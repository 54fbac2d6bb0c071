// Package reportdoc builds the consolidated result of a reporting round —
// completeness, summed figures and each unit's narratives — and renders it
// as an official document (via officedoc) or as spreadsheets.
package reportdoc

import (
	"fmt"
	"khienso/internal/i18n"
	"strconv"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/officedoc"
	"khienso/internal/reports"
	"khienso/internal/textnorm"
)

// UnitRow is one required unit's standing in the round.
type UnitRow struct {
	UnitID       int64
	Name, Code   string
	Status       reports.Status
	SubmittedDay dates.Date // zero when never submitted
	Late         bool
}

// Counted reports whether the unit's figures enter the totals: submitted
// or accepted reports only (drafts and returned reports are not final).
func (u UnitRow) Counted() bool {
	return u.Status == reports.StatusSubmitted || u.Status == reports.StatusAccepted
}

// Input is everything the consolidation needs, loaded by the caller in a
// few queries.
type Input struct {
	Round    *reports.Round
	Template *reports.Template
	Units    []UnitRow                     // every required unit, in display order
	Subs     map[int64]*reports.Submission // stored submissions by unit
	// Plan is the plan the round reports on, with its indicators computed;
	// nil when the round is not linked to a plan.
	Plan *PlanResults
}

// PlanResults is a plan's indicators computed for the round's province
// and year.
type PlanResults struct {
	Title string
	Year  int
	AsOf  dates.Date // the last day the values count
	Rows  []IndicatorRow
}

// IndicatorRow is one indicator's result against its target.
type IndicatorRow struct {
	Code, Name, MeasureUnit string
	Comparison              indicators.Comparison
	Target, Max             float64
	// FromYear–ToYear is the period the value covers: the year, or from
	// the plan's first year for a cumulative indicator.
	FromYear, ToYear int
	Value            float64
	Defined          bool // false: no value (no data, or a formula that no longer parses)
	Status           indicators.Status
}

// Cumulative reports whether the value covers more than one year.
func (r IndicatorRow) Cumulative() bool { return r.FromYear != r.ToYear }

// Figure is one numeric field summed over the counted units.
type Figure struct {
	Field reports.Field
	Total float64
}

// Entry is one unit's text for a narrative section.
type Entry struct {
	UnitName, Text string
}

// SectionText is a narrative section with the counted units' texts.
type SectionText struct {
	Section reports.Section
	Entries []Entry
}

// Model is the consolidated round.
type Model struct {
	Round    *reports.Round
	Template *reports.Template
	Units    []UnitRow
	// Values holds each counted unit's figures (by unit id, then field).
	Values   map[int64]map[string]float64
	Required int
	// Submitted counts units whose report is submitted or accepted; OnTime
	// and Late split them by the deadline.
	Submitted, OnTime, Late, Accepted int
	Figures                           []Figure
	Sections                          []SectionText
	Plan                              *PlanResults
}

// Build consolidates a round. It never fails: missing pieces give zeros.
func Build(in Input) *Model {
	m := &Model{Round: in.Round, Template: in.Template, Units: in.Units, Values: map[int64]map[string]float64{}, Plan: in.Plan}
	if m.Template == nil {
		m.Template = &reports.Template{}
	}
	if m.Round == nil {
		m.Round = &reports.Round{}
	}
	m.Figures = make([]Figure, len(m.Template.Fields))
	for i, f := range m.Template.Fields {
		m.Figures[i].Field = f
	}
	m.Sections = make([]SectionText, len(m.Template.Sections))
	for i, s := range m.Template.Sections {
		m.Sections[i].Section = s
	}
	for _, u := range in.Units {
		m.Required++
		if !u.Counted() {
			continue
		}
		m.Submitted++
		if u.Late {
			m.Late++
		} else {
			m.OnTime++
		}
		if u.Status == reports.StatusAccepted {
			m.Accepted++
		}
		sub := in.Subs[u.UnitID]
		if sub == nil {
			continue
		}
		m.Values[u.UnitID] = sub.Values
		for i := range m.Figures {
			if v, ok := sub.Values[m.Figures[i].Field.Code]; ok {
				m.Figures[i].Total += v
			}
		}
		for i := range m.Sections {
			if t := strings.TrimSpace(sub.Narratives[m.Sections[i].Section.Code]); t != "" {
				m.Sections[i].Entries = append(m.Sections[i].Entries, Entry{UnitName: u.Name, Text: t})
			}
		}
	}
	return m
}

// Number formats x the Vietnamese way (1.234,5), at most two decimals:
// official documents are written in Vietnamese whatever the reader's
// language.
func Number(x float64) string { return i18n.VI.Decimal(x) }

// TargetText renders a target as people write it: "≥ 100 %", "3–5 lớp".
func TargetText(c indicators.Comparison, value, maxV float64, unit string) string {
	withUnit := func(v string) string {
		if unit == "" {
			return v
		}
		return v + " " + unit
	}
	switch c {
	case indicators.AtLeast:
		return "≥ " + withUnit(Number(value))
	case indicators.AtMost:
		return "≤ " + withUnit(Number(value))
	case indicators.Between:
		return withUnit(Number(value) + "–" + Number(maxV))
	}
	return withUnit(Number(value))
}

// Header is the issuing data of the document, from the deployment's
// settings.
type Header struct {
	ParentBody, IssuingBody string
	// IssuingName is the issuing body as running text ("Sở Khoa học và
	// Công nghệ"), for the appendix's "(Kèm theo ...)" line; empty uses
	// IssuingBody.
	IssuingName   string
	Symbol, Place string
	// Receivers are the "Kính gửi" addressees, one a line.
	Receivers  []string
	Authority  []string // signing authority lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
	SignerName string
	Recipients []string // "Nơi nhận"; "Như trên" and the filing line are added as the decree asks
}

// T translates a catalogue key; the caller passes its catalogue so this
// package holds no wording of its own.
type T func(key string, args ...any) string

// Document turns the model into the official report: completeness,
// figures, the plan's indicators (when the round reports on a plan),
// narratives by section, then recipients and signature, and the units by
// status as an appendix after the signature. The number is left blank for
// the clerk.
func (m *Model) Document(h Header, today dates.Date, t T) *officedoc.Document {
	d := &officedoc.Document{
		ParentBody: h.ParentBody, IssuingBody: h.IssuingBody, IssuingName: h.IssuingName, Symbol: h.Symbol, Place: h.Place,
		Date: today, Kind: t("report.doc.kind"), Title: docTitle(t, m.Round.Title),
		Receivers: h.Receivers, Recipients: h.Recipients, Authority: h.Authority, SignerName: h.SignerName,
	}
	blocks := make([]officedoc.Block, 0, 16+len(m.Sections))
	add := func(k officedoc.BlockKind, text string) {
		blocks = append(blocks, officedoc.Block{Kind: k, Text: text})
	}
	section := 0
	heading := func(key string) {
		section++
		add(officedoc.BlockHeading1, officedoc.Roman(section)+". "+t(key))
	}
	add(officedoc.BlockParagraph, t("report.doc.intro", m.Round.Title, m.Round.From.VN(), m.Round.To.VN()))

	heading("report.doc.h_completeness")
	add(officedoc.BlockParagraph, t("report.doc.completeness", m.Submitted, m.Required, m.OnTime, m.Late, m.Accepted))
	add(officedoc.BlockParagraph, t("report.doc.see_appendix"))

	heading("report.doc.h_figures")
	if len(m.Figures) == 0 {
		add(officedoc.BlockParagraph, t("report.doc.no_figures"))
	} else {
		tbl := &officedoc.Table{
			Header:      []string{t("report.doc.col_no"), t("report.doc.col_field"), t("report.doc.col_measure"), t("report.doc.col_total")},
			Widths:      []float64{0.6, 5, 1.6, 1.8},
			NumericCols: []int{0, 3},
		}
		for i, f := range m.Figures {
			tbl.Rows = append(tbl.Rows, []string{strconv.Itoa(i + 1), f.Field.Label, f.Field.MeasureUnit, Number(f.Total)})
		}
		blocks = append(blocks, officedoc.Block{Kind: officedoc.BlockTable, Table: tbl})
	}

	if m.Plan != nil {
		heading("report.doc.h_plan")
		blocks = append(blocks, m.planBlocks(t)...)
	}

	heading("report.doc.h_narratives")
	for i, s := range m.Sections {
		add(officedoc.BlockHeading2, fmt.Sprintf("%d. %s", i+1, s.Section.Title))
		if len(s.Entries) == 0 {
			add(officedoc.BlockParagraph, t("report.doc.no_text"))
			continue
		}
		for _, e := range s.Entries {
			// One paragraph per unit; the unit's own line breaks join so the
			// name stays in front of its whole text.
			add(officedoc.BlockParagraph, e.UnitName+": "+strings.Join(strings.Fields(e.Text), " "))
		}
	}
	d.Blocks = blocks

	app := &officedoc.Table{
		Header:      []string{t("report.doc.col_no"), t("report.doc.col_unit"), t("report.doc.col_status"), t("report.doc.col_submitted"), t("report.doc.col_late")},
		Widths:      []float64{0.6, 4.4, 1.8, 1.6, 1.2},
		NumericCols: []int{0},
		Rows:        make([][]string, 0, len(m.Units)),
	}
	for i, u := range m.Units {
		late := ""
		if u.Late {
			late = t("report.doc.late_mark")
		}
		app.Rows = append(app.Rows, []string{strconv.Itoa(i + 1), u.Name, t("report.status." + string(u.Status)), u.SubmittedDay.VN(), late})
	}
	d.Appendices = []officedoc.Appendix{{Title: t("report.doc.appendix_title"), Blocks: []officedoc.Block{{Kind: officedoc.BlockTable, Table: app}}}}
	return d
}

// planBlocks is the plan's section: what the figures are, the count by
// assessment, and the table of indicators against their targets.
func (m *Model) planBlocks(t T) []officedoc.Block {
	p := m.Plan
	out := []officedoc.Block{{Text: t("report.doc.plan_intro", p.Title, p.Year, p.AsOf.VN())}}
	if len(p.Rows) == 0 {
		return append(out, officedoc.Block{Text: t("report.doc.no_indicators")})
	}
	count := map[indicators.Status]int{}
	tbl := &officedoc.Table{
		Header: []string{t("report.doc.col_no"), t("report.doc.col_indicator"), t("report.doc.col_measure"),
			t("report.doc.col_target"), t("report.doc.col_value"), t("report.doc.col_assessment")},
		Widths:      []float64{0.6, 3.6, 1.6, 1.3, 1.3, 1.8},
		NumericCols: []int{0, 4},
	}
	for i, r := range p.Rows {
		count[r.Status]++
		name := r.Name
		if r.Cumulative() {
			name += " (" + t("report.doc.period_cumulative", r.FromYear, r.ToYear) + ")"
		}
		value := ""
		if r.Defined {
			value = Number(r.Value)
		}
		tbl.Rows = append(tbl.Rows, []string{strconv.Itoa(i + 1), name, r.MeasureUnit,
			TargetText(r.Comparison, r.Target, r.Max, ""), value, t("attain.status." + string(r.Status))})
	}
	out = append(out, officedoc.Block{Text: t("report.doc.plan_summary", len(p.Rows), count[indicators.Achieved],
		count[indicators.OnTrack], count[indicators.AtRisk], count[indicators.Missed], count[indicators.NoData])})
	return append(out, officedoc.Block{Kind: officedoc.BlockTable, Table: tbl})
}

// docTitle is the line under "BÁO CÁO": a round named "Báo cáo kết quả
// năm 2026" gives "Kết quả năm 2026", not "Kết quả Báo cáo kết quả …".
func docTitle(t T, round string) string {
	rest := strings.TrimSpace(round)
	if f := textnorm.Fold(rest); strings.HasPrefix(f, "bao cao ") {
		rest = strings.TrimSpace(string([]rune(rest)[len("bao cao "):]))
		if strings.HasPrefix(textnorm.Fold(rest), "ket qua") {
			return strings.ToUpper(string([]rune(rest)[:1])) + string([]rune(rest)[1:])
		}
	}
	return t("report.doc.title", rest)
}
