// Package activities records what units did to raise awareness and train
// people (articles, broadcasts, classes, drills…) and whom they reached.
// Indicators are computed from these records.
package activities

import (
	"strings"
	"unicode/utf8"

	"khienso/internal/dates"
	"khienso/internal/validation"
)

// Type is the kind of activity ("activity.type.<value>").
type Type string

// Types in display order.
var Types = []Type{
	"news_article", "social_post", "video", "radio_tv", "loudspeaker", "leaflet", "training_class",
	"seminar", "contest", "drill", "malware_scan", "directive", "other",
}

// Channel is the medium an activity used ("activity.channel.<value>").
type Channel string

// Channels in display order.
var Channels = []Channel{
	"press", "web_portal", "social_media", "radio_tv", "loudspeaker", "public_wifi", "email", "in_person",
	"print", "online_platform", "other",
}

// Audience is a group of people reached ("activity.audience.<value>").
// The position in Audiences is the bit in Set: never reorder, only append.
type Audience string

// Audiences in bit order.
var Audiences = []Audience{
	"civil_servants", "agency_heads", "technical_staff", "pupils", "students", "journalists",
	"enterprise_staff", "citizens",
}

// Metrics are the reach figures an activity carries, in storage order.
var Metrics = []string{"quantity", "participants", "views", "copies", "communes"}

// Set is a set of audiences as bits.
type Set uint32

// SetOf builds a set; unknown audiences are ignored (validated elsewhere).
func SetOf(list ...Audience) Set {
	var s Set
	for _, a := range list {
		for i, x := range Audiences {
			if x == a {
				s |= 1 << i
			}
		}
	}
	return s
}

// List returns the audiences in s in display order.
func (s Set) List() []Audience {
	var out []Audience
	for i, a := range Audiences {
		if s&(1<<i) != 0 {
			out = append(out, a)
		}
	}
	return out
}

// Has reports whether a is in s.
func (s Set) Has(a Audience) bool { return s&SetOf(a) != 0 }

func contains[T ~string](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ValidType, ValidChannel and ValidAudience check vocabulary values.
func ValidType(t Type) bool         { return contains(Types, t) }
func ValidChannel(c Channel) bool   { return contains(Channels, c) }
func ValidAudience(a Audience) bool { return contains(Audiences, a) }

// Activity is one record of work done by a unit.
type Activity struct {
	ID           int64
	UnitID       int64
	UnitName     string // filled on reads
	Type         Type
	Title        string
	Channel      Channel
	Start        dates.Date
	End          dates.Date
	Audiences    Set
	Quantity     int64 // items the record stands for: classes, articles, broadcasts
	Participants int64
	Views        int64
	Copies       int64
	Communes     int64
	Description  string
	EvidenceLink string
	Tasks        []int64
	CreatedBy    int64
}

// Metric returns a reach figure by name.
func (a *Activity) Metric(name string) int64 {
	switch name {
	case "quantity":
		return a.Quantity
	case "participants":
		return a.Participants
	case "views":
		return a.Views
	case "copies":
		return a.Copies
	case "communes":
		return a.Communes
	}
	return 0
}

// Year is the year the activity counts in: the year it started.
func (a *Activity) Year() int { return a.Start.Year() }

const maxFigure = 1_000_000_000

// Latest is the last day an activity may be dated when recorded on day
// today: a year ahead. Planned events may be entered early, but a date
// years ahead is a typing mistake (2062 for 2026) that would count in a
// later year's figures.
func Latest(today dates.Date) dates.Date { return dates.Of(today.Start().AddDate(1, 0, 0)) }

// Validate checks an activity against today's date (see ValidateOn); the
// store calls it as a last guard, services call ValidateOn with their clock.
func (a *Activity) Validate() validation.Errors { return a.ValidateOn(dates.Today()) }

// ValidateOn checks an activity recorded on day today; End defaults to
// Start and Quantity to 1.
func (a *Activity) ValidateOn(today dates.Date) validation.Errors {
	latest := Latest(today)
	var errs validation.Errors
	a.Title = strings.TrimSpace(a.Title)
	a.Description = strings.TrimSpace(a.Description)
	a.EvidenceLink = strings.TrimSpace(a.EvidenceLink)
	if a.UnitID == 0 {
		errs.Add("unit", "err.required")
	}
	if !ValidType(a.Type) {
		errs.Add("type", "activity.err.type")
	}
	if !ValidChannel(a.Channel) {
		errs.Add("channel", "activity.err.channel")
	}
	if a.Title == "" {
		errs.Add("title", "err.required")
	} else if utf8.RuneCountInString(a.Title) > 500 {
		errs.Add("title", "err.too_long", 500)
	}
	if utf8.RuneCountInString(a.Description) > 10000 {
		errs.Add("description", "err.too_long", 10000)
	}
	if a.Start.IsZero() {
		errs.Add("start", "err.required")
	} else if a.Start.Year() < 2000 {
		errs.Add("start", "activity.err.start")
	} else if a.Start.After(latest) {
		errs.Add("start", "activity.err.date_ahead", a.Start.VN(), latest.VN())
	}
	switch {
	case a.End.IsZero():
		a.End = a.Start
	case !a.Start.IsZero() && a.End.Before(a.Start):
		errs.Add("end", "err.valid_to_order")
	case a.End.After(latest):
		errs.Add("end", "activity.err.date_ahead", a.End.VN(), latest.VN())
	}
	if a.Audiences == 0 {
		errs.Add("audiences", "activity.err.audiences")
	} else if a.Audiences >= 1<<len(Audiences) {
		errs.Add("audiences", "err.invalid")
	}
	if a.Quantity == 0 {
		a.Quantity = 1
	}
	for _, m := range []struct {
		field string
		v     int64
	}{{"quantity", a.Quantity}, {"participants", a.Participants}, {"views", a.Views}, {"copies", a.Copies}, {"communes", a.Communes}} {
		if m.v < 0 || m.v > maxFigure {
			errs.Add(m.field, "err.range", 0, maxFigure)
		}
	}
	if a.EvidenceLink != "" && !validation.ValidLink(a.EvidenceLink) {
		errs.Add("evidence_link", "task.err.link")
	}
	return errs
}

// Strings helpers give the vocabularies as plain strings (for formulas).
func TypeNames() []string     { return names(Types) }
func ChannelNames() []string  { return names(Channels) }
func AudienceNames() []string { return names(Audiences) }

func names[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}
