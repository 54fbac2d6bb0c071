package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// Change is one field that differs between an entry's before and after.
type Change struct {
	// Path is the field's name from the top of the recorded object, each
	// part in snake_case whatever the recording wrote ("IssuedOn" and
	// "issued_on" are both "issued_on"): ["focal_point", "phone"]. It is
	// empty when the entry records a single value (a setting).
	Path []string
	// Before and After are the decoded JSON values (string, float64,
	// bool, []any); nil when absent or null.
	Before, After any
}

// Field is Path joined with dots: "focal_point.phone".
func (c Change) Field() string { return strings.Join(c.Path, ".") }

// noise are fields that say nothing about the change a person made: ids,
// timestamps the store keeps, names and counts filled on reads.
var noise = map[string]bool{
	"id": true, "created_at": true, "updated_at": true, "child_count": true, "unit_name": true,
	"plan_title": true, "template_name": true, "position": true, "created_by": true, "last_login_at": true,
	"last_used_at": true, "user_name": true, "file_data": true, "source_round": true,
}

// Changes lists the fields that differ between the entry's before and
// after, in a stable order (the after's fields, then those only before
// had). Objects are compared field by field, lists and scalars as wholes.
// An entry with only an after (a creation) or only a before (a deletion)
// lists the fields that are set.
func (e Entry) Changes() []Change {
	before, after := decode(e.Before), decode(e.After)
	var out []Change
	diff(nil, before, after, &out)
	return out
}

// Object is the recorded object, after the change when there is one,
// else before it, with its field names in snake_case; nil when the entry
// records none or a single value.
func (e Entry) Object() map[string]any {
	if m, ok := decode(e.After).(map[string]any); ok {
		return m
	}
	m, _ := decode(e.Before).(map[string]any)
	return m
}

// decode reads a recorded document with its object keys in snake_case;
// nil for none or a document that does not parse.
func decode(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	if err := d.Decode(&v); err != nil {
		return nil
	}
	return normalize(v)
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[SnakeCase(k)] = normalize(val)
		}
		return m
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	}
	return v
}

func diff(path []string, before, after any, out *[]Change) {
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if (bok || before == nil) && (aok || after == nil) && (bok || aok) {
		keys := make([]string, 0, len(am)+len(bm))
		for k := range am {
			keys = append(keys, k)
		}
		for k := range bm {
			if _, ok := am[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if noise[k] {
				continue
			}
			diff(append(slices.Clip(path), k), bm[k], am[k], out)
		}
		return
	}
	if empty(before) && empty(after) || reflect.DeepEqual(before, after) {
		return
	}
	*out = append(*out, Change{Path: path, Before: before, After: after})
}

// empty reports a value that reads as nothing: null, "", false, 0, a zero
// date or time, an empty list.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == "" || x == "0001-01-01" || strings.HasPrefix(x, "0001-01-01T")
	case bool:
		return !x
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, val := range x {
			if !empty(val) {
				return false
			}
		}
		return true
	}
	return false
}

// SnakeCase turns a Go field name into the snake_case the JSON tags use:
// "IssuedOn" → "issued_on", "UnitID" → "unit_id", "HTTPSURL" → "https_url".
// A name already in snake_case is returned as it is.
func SnakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Int reads a recorded id or count; 0 when v is not a whole number.
func Int(v any) int64 {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	case string:
		var n int64
		if _, err := fmt.Sscan(x, &n); err == nil {
			return n
		}
	}
	return 0
}
