package indicators

import (
	"testing"

	"khienso/internal/activities"
	"khienso/internal/units"
)

// sum(communes, …) counts communes, not broadcasts: a commune reaches
// itself once however many activities and years, another unit reaches the
// widest coverage of one of its activities.
func TestCommunesShareCountsEachCommuneOnce(t *testing.T) {
	var cs Combos
	loud := cs.ID(Combo{Type: "loudspeaker", Channel: "loudspeaker", Audiences: activities.SetOf("citizens")})
	leaflet := cs.ID(Combo{Type: "leaflet", Channel: "print", Audiences: activities.SetOf("citizens")})
	cell := func(combo int32, records, communes int64) Cell {
		return Cell{Combo: combo, Records: records, Metrics: [5]int64{records, 0, 0, 0, communes}}
	}
	commune := UnitInfo{Type: units.TypeCommune, Active: true}
	dept := UnitInfo{Type: units.TypeDepartment, Active: true}
	tests := []struct {
		name    string
		formula string
		info    UnitInfo
		cells   [][]Cell
		want    float64
	}{
		{"a commune's twelve monthly broadcasts over three years", "sum(communes, type=loudspeaker)", commune,
			[][]Cell{{cell(loud, 12, 12)}, {cell(loud, 12, 12)}, {cell(loud, 12, 12)}}, 1},
		{"a commune without a matching activity", "sum(communes, type=loudspeaker)", commune,
			[][]Cell{{cell(leaflet, 1, 1)}}, 0},
		{"a commune's activity that reached no commune", "sum(communes)", commune,
			[][]Cell{{cell(loud, 3, 0)}}, 0},
		{"a department's broadcasts each covering 262 communes", "sum(communes, type=loudspeaker|leaflet)", dept,
			[][]Cell{{cell(loud, 2, 524)}, {cell(leaflet, 1, 262)}}, 262},
		{"a department's widest activity, rounded up", "sum(communes)", dept,
			[][]Cell{{cell(loud, 2, 5)}, {cell(leaflet, 1, 2)}}, 3},
		{"other metrics still add up", "sum(quantity, type=loudspeaker)", commune,
			[][]Cell{{cell(loud, 12, 12)}, {cell(loud, 12, 12)}}, 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.formula, DefaultVocabulary(nil))
			if err != nil {
				t.Fatal(err)
			}
			col := NewColumn(f.Measures()[0])
			got := col.Share(&UnitData{Info: tt.info, Known: true, Cells: tt.cells}, &cs)
			if got != tt.want {
				t.Errorf("share = %v, want %v", got, tt.want)
			}
		})
	}
}
