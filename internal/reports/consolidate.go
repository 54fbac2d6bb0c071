package reports

import "strings"

// Consolidated is what a unit submits upward from a round of its own: a
// province answering a national round with the figures it accepted from
// its units.
type Consolidated struct {
	// Values sums every field of the template over the accepted
	// submissions; a field no accepted submission holds sums to 0.
	Values map[string]float64
	// Narratives joins, per section, the accepted submissions' texts, each
	// headed by its unit's name, in the order given.
	Narratives map[string]string
	// Accepted counts the submissions summed.
	Accepted int
}

// Consolidate sums the accepted submissions among subs for template t.
// Only accepted ones count: a draft, a submission waiting for review or
// one returned to its unit is left out until it is accepted.
func Consolidate(t *Template, subs []*Submission) Consolidated {
	c := Consolidated{Values: make(map[string]float64, len(t.Fields)), Narratives: map[string]string{}}
	for _, f := range t.Fields {
		c.Values[f.Code] = 0
	}
	texts := map[string][]string{}
	for _, sub := range subs {
		if sub.Status != StatusAccepted {
			continue
		}
		c.Accepted++
		for _, f := range t.Fields {
			c.Values[f.Code] += sub.Values[f.Code]
		}
		for _, sec := range t.Sections {
			if text := strings.TrimSpace(sub.Narratives[sec.Code]); text != "" {
				texts[sec.Code] = append(texts[sec.Code], sub.UnitName+":\n"+text)
			}
		}
	}
	for code, list := range texts {
		c.Narratives[code] = strings.Join(list, "\n\n")
	}
	return c
}
