// Package units is the directory of organisations (đơn vị) that take part in
// a province's programmes, and their hierarchy through time: units are
// created, moved under another parent and merged into successors on
// effective dates, and data recorded against a former unit rolls up under
// its successor.
package units

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"khienso/internal/dates"
	"khienso/internal/validation"
)

// Type is the kind of organisation.
type Type string

// The unit types. Their display names live in the translation catalogue
// under "unit.type.<value>".
const (
	// TypeNational is the root of a national deployment: the 34 province
	// committees sit under it.
	TypeNational          Type = "national"
	TypeProvinceCommittee Type = "province_committee"
	TypeCoordinator       Type = "dic"
	TypeDepartment        Type = "department"
	TypeCommune           Type = "commune"
	TypeDistrict          Type = "district"
	TypeSchool            Type = "school"
	TypeUniversity        Type = "university"
	TypeStateEnterprise   Type = "state_enterprise"
	TypeBank              Type = "bank"
	TypeTelecomIT         Type = "telecom_it"
	TypePress             Type = "press"
	TypeMassOrg           Type = "mass_org"
	TypePolice            Type = "police"
	TypeMilitary          Type = "military"
	TypeOther             Type = "other"
)

// Types lists every type in the domain's order, the one every list that
// groups units by type follows (the tree, the pickers, the choices): the
// committee, the coordinating department, the departments, the communes
// (and the former districts), the schools, the enterprises and the rest,
// as a provincial document lists them; never the order of the keys, which
// would put the banks first.
var Types = []Type{
	TypeNational, TypeProvinceCommittee, TypeCoordinator, TypeDepartment, TypeCommune, TypeDistrict,
	TypeSchool, TypeUniversity, TypeStateEnterprise, TypeBank, TypeTelecomIT, TypePress,
	TypeMassOrg, TypePolice, TypeMilitary, TypeOther,
}

// Rank is t's position in Types (an unknown type last), for sorting.
func (t Type) Rank() int {
	for i, x := range Types {
		if x == t {
			return i
		}
	}
	return len(Types)
}

// CompareTypes orders a and b as Types lists them.
func CompareTypes(a, b Type) int { return a.Rank() - b.Rank() }

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return t.Rank() < len(Types) }

// SchoolLevel is the level of a school (only for TypeSchool).
type SchoolLevel string

// The school levels; display names under "unit.level.<value>".
const (
	LevelPrimary        SchoolLevel = "primary"
	LevelLowerSecondary SchoolLevel = "lower_secondary"
	LevelUpperSecondary SchoolLevel = "upper_secondary"
	LevelMulti          SchoolLevel = "multi_level"
	LevelVocational     SchoolLevel = "vocational"
)

// SchoolLevels lists every level in display order.
var SchoolLevels = []SchoolLevel{LevelPrimary, LevelLowerSecondary, LevelUpperSecondary, LevelMulti, LevelVocational}

// Valid reports whether l is a known level.
func (l SchoolLevel) Valid() bool {
	for _, x := range SchoolLevels {
		if x == l {
			return true
		}
	}
	return false
}

// Contact is a unit's focal point (cán bộ đầu mối).
type Contact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// Unit is one organisation. Code, Name, ShortName, Type, SchoolLevel and the
// placement are public; the head, focal point and headcounts are visible only
// to those whose scope covers the unit.
type Unit struct {
	ID            int64       `json:"id"`
	Code          string      `json:"code"`
	Name          string      `json:"name"`
	ShortName     string      `json:"short_name"`
	Type          Type        `json:"type"`
	SchoolLevel   SchoolLevel `json:"school_level,omitempty"`
	ParentID      int64       `json:"parent_id,omitempty"` // placement on the date the unit was read at
	HeadName      string      `json:"head_name"`
	Focal         Contact     `json:"focal_point"`
	StaffCount    *int        `json:"staff_count"`
	PupilCount    *int        `json:"pupil_count"`
	HeadcountYear int         `json:"headcount_year,omitempty"`
	ValidFrom     dates.Date  `json:"valid_from"`
	ValidTo       dates.Date  `json:"valid_to,omitzero"`
	ChildCount    int         `json:"child_count"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

// ActiveOn reports whether the unit exists on day d.
func (u *Unit) ActiveOn(d dates.Date) bool {
	return !d.Before(u.ValidFrom) && (u.ValidTo.IsZero() || d.Before(u.ValidTo))
}

// Public returns a copy holding only the public fields.
func (u Unit) Public() Unit {
	u.HeadName = ""
	u.Focal = Contact{}
	u.StaffCount, u.PupilCount, u.HeadcountYear = nil, nil, 0
	return u
}

var (
	codePattern  = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._\-/]*$`)
	phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 .\-()]{5,19}$`)
)

// Normalize trims the text fields and lowercases the e-mail.
func (u *Unit) Normalize() {
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	u.ShortName = strings.Join(strings.Fields(u.ShortName), " ")
	u.HeadName = strings.TrimSpace(u.HeadName)
	u.Focal.Name = strings.TrimSpace(u.Focal.Name)
	u.Focal.Phone = strings.TrimSpace(u.Focal.Phone)
	u.Focal.Email = strings.ToLower(strings.TrimSpace(u.Focal.Email))
	if u.Type != TypeSchool {
		u.SchoolLevel = ""
	}
}

// Validate checks the unit's own fields (not its placement) and returns
// validation.Errors naming each bad field.
func (u *Unit) Validate() error {
	var errs validation.Errors
	text := func(field, v string, required bool, max int) {
		switch {
		case !utf8.ValidString(v):
			errs.Add(field, "err.encoding")
		case required && v == "":
			errs.Add(field, "err.required")
		case utf8.RuneCountInString(v) > max:
			errs.Add(field, "err.too_long", max)
		}
	}
	text("code", u.Code, true, 40)
	if u.Code != "" && utf8.ValidString(u.Code) && !codePattern.MatchString(u.Code) {
		errs.Add("code", "err.code_chars")
	}
	text("name", u.Name, true, 255)
	text("short_name", u.ShortName, false, 80)
	text("head_name", u.HeadName, false, 120)
	text("focal_point.name", u.Focal.Name, false, 120)
	text("focal_point.phone", u.Focal.Phone, false, 20)
	text("focal_point.email", u.Focal.Email, false, 254)
	if !u.Type.Valid() {
		if u.Type == "" {
			errs.Add("type", "err.required")
		} else {
			errs.Add("type", "err.unit_type")
		}
	}
	if u.Type == TypeSchool && !u.SchoolLevel.Valid() {
		errs.Add("school_level", "err.school_level")
	}
	if p := u.Focal.Phone; p != "" && !phonePattern.MatchString(p) {
		errs.Add("focal_point.phone", "err.phone")
	}
	if e := u.Focal.Email; e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			errs.Add("focal_point.email", "err.email")
		}
	}
	for field, n := range map[string]*int{"staff_count": u.StaffCount, "pupil_count": u.PupilCount} {
		if n != nil && (*n < 0 || *n > 10_000_000) {
			errs.Add(field, "err.range", 0, 10_000_000)
		}
	}
	if (u.StaffCount != nil || u.PupilCount != nil) && u.HeadcountYear == 0 {
		errs.Add("headcount_year", "err.headcount_year_required")
	}
	if y := u.HeadcountYear; y != 0 && (y < 1990 || y > 2100) {
		errs.Add("headcount_year", "err.range", 1990, 2100)
	}
	if u.ValidFrom.IsZero() {
		errs.Add("valid_from", "err.required")
	}
	if !u.ValidTo.IsZero() && !u.ValidTo.After(u.ValidFrom) {
		errs.Add("valid_to", "err.valid_to_order")
	}
	return errs.Err()
}
