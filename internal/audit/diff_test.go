package audit_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"khienso/internal/audit"
)

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"IssuedOn": "issued_on", "UnitID": "unit_id", "ID": "id", "HTTPSURL": "httpsurl",
		"ReviewComment": "review_comment", "focal_point": "focal_point", "Year2From": "year2_from", "SignOff": "sign_off"} {
		if got := audit.SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// Changes compares field by field, whatever names the recording used,
// leaves out what the store fills in, and lists a creation's set fields.
func TestChanges(t *testing.T) {
	for _, c := range []struct {
		name          string
		before, after string
		want          []audit.Change
	}{
		{"edit", `{"ID":1,"Title":"A","UpdatedAt":"x","Focal":{"Name":"","Phone":"1"}}`, `{"ID":1,"Title":"B","UpdatedAt":"y","Focal":{"Name":"N","Phone":"1"}}`,
			[]audit.Change{{Path: []string{"focal", "name"}, Before: "", After: "N"}, {Path: []string{"title"}, Before: "A", After: "B"}}},
		{"creation", ``, `{"id":3,"name":"X","roles":["viewer"],"disabled":false}`,
			[]audit.Change{{Path: []string{"name"}, After: "X"}, {Path: []string{"roles"}, After: []any{"viewer"}}}},
		{"single value", `"a"`, `"b"`, []audit.Change{{Path: nil, Before: "a", After: "b"}}},
		{"nothing changed", `{"A":1}`, `{"A":1}`, nil},
	} {
		e := audit.Entry{Before: json.RawMessage(c.before), After: json.RawMessage(c.after)}
		if got := e.Changes(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %#v, want %#v", c.name, got, c.want)
		}
	}
}
