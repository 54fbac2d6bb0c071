package accountsweb

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/i18n"
)

// TestDescribeAudit reads entries as recorded (Go field names or JSON
// tags, a single value for a setting, unknown fields and objects) into
// words, a link and field rows, in both languages, with no recorded name
// or code left.
func TestDescribeAudit(t *testing.T) {
	names := auditNames{5: "Xã Nghi Lộc", 7: "Xã Con Cuông"}
	type row struct{ label, before, after string }
	for _, c := range []struct {
		name          string
		entry         audit.Entry
		lang          i18n.Lang
		summary, link string
		edit          bool
		rows          []row
	}{
		{name: "a report accepted, recorded with Go names", lang: i18n.VI,
			entry: audit.Entry{Action: "accept", Entity: "report_submission", EntityID: "9",
				Before: raw(`{"ID":9,"RoundID":3,"UnitID":5,"UnitName":"","Status":"submitted","Values":{"classes":2},"ReviewComment":"","ReviewedAt":"","UpdatedAt":"2026-06-14T01:00:00Z"}`),
				After:  raw(`{"ID":9,"RoundID":3,"UnitID":5,"UnitName":"","Status":"accepted","Values":{"classes":2},"ReviewComment":"Đạt yêu cầu","ReviewedAt":"2026-06-15T03:00:00Z","UpdatedAt":"2026-06-15T03:00:00Z"}`)},
			summary: "Chấp nhận báo cáo của Xã Nghi Lộc", link: "/reports/rounds/3/units/5", edit: true,
			rows: []row{{"Nhận xét của người xem xét", "—", "Đạt yêu cầu"}, {"Xem xét lúc", "—", "15/06/2026 10:00"}, {"Trạng thái", "Đã gửi", "Đã tiếp nhận"}}},
		{name: "the same in English", lang: i18n.EN,
			entry: audit.Entry{Action: "accept", Entity: "report_submission", EntityID: "9",
				Before: raw(`{"RoundID":3,"UnitID":5,"Status":"submitted"}`), After: raw(`{"RoundID":3,"UnitID":5,"Status":"accepted"}`)},
			summary: "Accepted the report of Xã Nghi Lộc", link: "/reports/rounds/3/units/5", edit: true,
			rows: []row{{"Status", "Submitted", "Accepted"}}},
		{name: "a unit's contact, recorded with JSON tags", lang: i18n.VI,
			entry: audit.Entry{Action: "update", Entity: "unit", EntityID: "5",
				Before: raw(`{"id":5,"name":"Xã Nghi Lộc","type":"commune","parent_id":1,"focal_point":{"name":"","phone":"","email":""},"staff_count":null,"valid_from":"2025-07-01","child_count":3}`),
				After:  raw(`{"id":5,"name":"Xã Nghi Lộc","type":"commune","parent_id":1,"focal_point":{"name":"Nguyễn Văn An","phone":"0912 345 678","email":""},"staff_count":25,"valid_from":"2025-07-01","child_count":4}`)},
			summary: "Sửa đơn vị Xã Nghi Lộc", link: "/units/5", edit: true,
			rows: []row{{"Cán bộ đầu mối: họ tên", "—", "Nguyễn Văn An"}, {"Cán bộ đầu mối: điện thoại", "—", "0912 345 678"}, {"Số cán bộ, công chức", "—", "25"}}},
		{name: "a unit moved: its name from the directory, parents by name", lang: i18n.EN,
			entry: audit.Entry{Action: "move", Entity: "unit", EntityID: "7",
				Before: raw(`{"parent_id":1}`), After: raw(`{"parent_id":5,"date":"2026-01-01"}`)},
			summary: "Moved unit Xã Con Cuông under another parent", link: "/units/7", edit: true,
			rows: []row{{"Effective date", "—", "01/01/2026"}, {"Parent unit", "unit no. 1", "Xã Nghi Lộc"}}},
		{name: "a plan issued: dates dd/mm/yyyy, statuses by name, an unknown field", lang: i18n.VI,
			entry: audit.Entry{Action: "update", Entity: "plan", EntityID: "4",
				Before: raw(`{"ID":4,"UnitID":1,"ParentID":2,"Title":"Kế hoạch năm 2026","IssuedOn":"0001-01-01","Status":"draft","FooBar":"x","YearFrom":2026}`),
				After:  raw(`{"ID":4,"UnitID":1,"ParentID":3,"Title":"Kế hoạch năm 2026","IssuedOn":"2026-01-20","Status":"in_effect","FooBar":"y","YearFrom":2026}`)},
			summary: "Sửa kế hoạch Kế hoạch năm 2026", link: "/plans/4", edit: true,
			rows: []row{{"Thông tin khác", "x", "y"}, {"Ngày ban hành", "—", "20/01/2026"}, {"Trạng thái", "Dự thảo", "Đang thực hiện"}}},
		{name: "a setting, recorded as a single value", lang: i18n.VI,
			entry: audit.Entry{Action: "update", Entity: "setting", EntityID: "1:document.signer_name",
				Before: raw(`"Nguyễn Văn A"`), After: raw(`"Nguyễn Văn Hùng"`)},
			summary: "Sửa cấu hình: Họ và tên người ký", link: "/settings", edit: true,
			rows: []row{{"Họ và tên người ký", "Nguyễn Văn A", "Nguyễn Văn Hùng"}}},
		{name: "a task created: the values set, units by name", lang: i18n.VI,
			entry: audit.Entry{Action: "create", Entity: "task", EntityID: "12",
				After: raw(`{"ID":12,"PlanID":4,"Content":"Tập huấn cán bộ xã","Kind":"due","Due":"2026-06-21","Status":"not_started","Progress":0,"Lead":[5,7],"Coord":null}`)},
			summary: "Thêm nhiệm vụ Tập huấn cán bộ xã", link: "/tasks/12",
			rows: []row{{"Nội dung", "—", "Tập huấn cán bộ xã"}, {"Hạn hoàn thành", "—", "21/06/2026"}, {"Thời hạn", "—", "Có hạn hoàn thành"},
				{"Đơn vị chủ trì", "—", "Xã Nghi Lộc, Xã Con Cuông"}, {"Trạng thái", "—", "Chưa bắt đầu"}}},
		{name: "a deleted activity has no link", lang: i18n.EN,
			entry:   audit.Entry{Action: "delete", Entity: "activity", EntityID: "3", Before: raw(`{"ID":3,"Title":"Phát thanh","Quantity":1500,"Tasks":[1,2]}`)},
			summary: "Deleted activity Phát thanh",
			rows:    []row{{"Quantity", "1,500", "—"}, {"Linked tasks", "2 items", "—"}, {"Title", "Phát thanh", "—"}}}, // English grouping on an English page
		{name: "what a later version records still reads", lang: i18n.VI,
			entry:   audit.Entry{Action: "frobnicate", Entity: "widget", EntityID: "1", After: raw(`{"Name":"Cái gì đó","WidgetKind":"big_one"}`)},
			summary: "Thay đổi · Dữ liệu Cái gì đó",
			rows:    []row{{"Tên", "—", "Cái gì đó"}, {"Thông tin khác", "—", "big_one"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.entry.At, c.entry.UserID, c.entry.Actor = time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC), 2, "coord@t.vn"
			v := describeAudit(c.lang, c.entry, names)
			if v.Summary != c.summary || v.Link != c.link || v.Edit != c.edit {
				t.Errorf("got %q %q edit=%v, want %q %q edit=%v", v.Summary, v.Link, v.Edit, c.summary, c.link, c.edit)
			}
			var got []row
			for _, ch := range v.Changes {
				got = append(got, row{ch.Label, ch.Before, ch.After})
			}
			slices.SortFunc(got, func(a, b row) int { return strings.Compare(a.label+a.after, b.label+b.after) })
			slices.SortFunc(c.rows, func(a, b row) int { return strings.Compare(a.label+a.after, b.label+b.after) })
			if !slices.Equal(got, c.rows) {
				t.Errorf("rows\n got %q\nwant %q", got, c.rows)
			}
			if v.ActorLink != "/audit?actor=coord%40t.vn" {
				t.Errorf("actor link %q", v.ActorLink)
			}
			// No recorded field name reaches the reader.
			keys := recordedKeys(c.entry, c.lang)
			texts := []string{v.Summary}
			for _, ch := range v.Changes {
				texts = append(texts, ch.Label, ch.Before, ch.After)
			}
			for _, s := range texts {
				if strings.Contains(s, "audit.") || strings.Contains(s, "%!") {
					t.Errorf("untranslated or badly formatted text %q", s)
				}
				for _, k := range keys {
					if regexp.MustCompile(`\b` + regexp.QuoteMeta(k) + `\b`).MatchString(s) {
						t.Errorf("%q shows the recorded name %q", s, k)
					}
				}
			}
		})
	}
}

// recordedKeys are the object keys of an entry's documents, and their
// snake_case forms; in English, only those no label could be (one word
// such as "Title" is also the English label).
func recordedKeys(e audit.Entry, l i18n.Lang) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		if m, ok := v.(map[string]any); ok {
			for k, val := range m {
				out = append(out, k, audit.SnakeCase(k))
				walk(val)
			}
		}
	}
	for _, r := range []json.RawMessage{e.Before, e.After} {
		var v any
		if json.Unmarshal(r, &v) == nil {
			walk(v)
		}
	}
	inner := regexp.MustCompile(`_|[a-z][A-Z]`)
	return slices.DeleteFunc(out, func(k string) bool { return l == i18n.EN && !inner.MatchString(k) })
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }
