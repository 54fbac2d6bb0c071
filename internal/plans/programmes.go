package plans

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// The national programmes Khiên Số ships as templates. They are installed
// into the database on start (never overwriting a province's edits) and
// further programmes are loaded as data in the same JSON shape.
//
//go:embed programmes.json
var programmesJSON []byte

// ProgrammeFile is the JSON shape of a programme template.
type ProgrammeFile struct {
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Decision string       `json:"decision"`
	YearFrom int          `json:"year_from"`
	YearTo   int          `json:"year_to"`
	Targets  []TargetFile `json:"targets"`
}

// TargetFile is one target of a programme template.
type TargetFile struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	MeasureUnit string  `json:"measure_unit"`
	Formula     string  `json:"formula"`
	Comparison  string  `json:"comparison"`
	Value       float64 `json:"value"`
	Max         float64 `json:"max,omitempty"`
	Period      string  `json:"period"`
}

// Programme converts the file form.
func (f ProgrammeFile) Programme() Programme {
	p := Programme{Code: f.Code, Name: f.Name, Decision: f.Decision, YearFrom: f.YearFrom, YearTo: f.YearTo}
	for i, t := range f.Targets {
		p.Targets = append(p.Targets, Indicator{Code: t.Code, Name: t.Name, MeasureUnit: t.MeasureUnit, Formula: t.Formula,
			Comparison: t.Comparison, Value: t.Value, Max: t.Max, Period: PeriodKind(t.Period), Position: i + 1})
	}
	return p
}

// TargetFiles converts indicators back to the file form (stored as JSON).
func TargetFiles(list []Indicator) []TargetFile {
	out := make([]TargetFile, 0, len(list))
	for _, t := range list {
		out = append(out, TargetFile{Code: t.Code, Name: t.Name, MeasureUnit: t.MeasureUnit, Formula: t.Formula,
			Comparison: t.Comparison, Value: t.Value, Max: t.Max, Period: string(t.Period)})
	}
	return out
}

// ParseProgrammes reads programme templates from JSON.
func ParseProgrammes(data []byte) ([]Programme, error) {
	var files []ProgrammeFile
	if err := json.Unmarshal(data, &files); err != nil {
		return nil, fmt.Errorf("read programmes: %w", err)
	}
	out := make([]Programme, 0, len(files))
	for _, f := range files {
		out = append(out, f.Programme())
	}
	return out, nil
}

// BuiltinProgrammes returns the shipped templates (1907, 21, 964).
func BuiltinProgrammes() []Programme {
	list, err := ParseProgrammes(programmesJSON)
	if err != nil {
		panic(err) // embedded at build time and covered by a test
	}
	return list
}
