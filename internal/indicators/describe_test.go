package indicators_test

import (
	"strings"
	"testing"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
)

func TestDescribe(t *testing.T) {
	fields := func(code string) string {
		return map[string]string{"people_reached": "Số người sử dụng Internet được tuyên truyền"}[code]
	}
	cases := []struct{ formula, vi, en string }{
		{"count(type=training_class)",
			"Số hoạt động thuộc loại “Lớp tập huấn, bồi dưỡng”.",
			"The number of activities of type “Training class”."},
		{"sum(communes, type=loudspeaker)",
			"Số xã, phường được các hoạt động phủ sóng (mỗi xã, phường tính một lần) thuộc loại “Phát trên loa truyền thanh cơ sở”.",
			"The number of communes the activities covered (each commune counted once) of type “Public loudspeaker broadcast”."},
		{"100 * units(unit_type=school, level=lower_secondary|upper_secondary, has=any, audience=pupils) / units(unit_type=school, level=lower_secondary|upper_secondary)",
			"Tỷ lệ phần trăm của số đơn vị thuộc loại “Trường học” cấp “Trung học cơ sở” hoặc “Trung học phổ thông” đã tổ chức ít nhất một hoạt động dành cho “Học sinh” trên số đơn vị thuộc loại “Trường học” cấp “Trung học cơ sở” hoặc “Trung học phổ thông”.",
			"The number of units of type “School” at level “Lower secondary” or “Upper secondary” that held at least one activity for “Pupils” as a percentage of the number of units of type “School” at level “Lower secondary” or “Upper secondary”."},
		{"100 * report(people_reached) / report(internet_users)",
			"Tỷ lệ phần trăm của tổng “Số người sử dụng Internet được tuyên truyền” trong các báo cáo định kỳ đã được chấp nhận trên tổng một số liệu của các báo cáo định kỳ đã được chấp nhận.",
			"The total of “Số người sử dụng Internet được tuyên truyền” in accepted periodic reports as a percentage of the total of a figure of accepted periodic reports."},
		{"(count(type=news_article) + count(type=video)) / 2.5",
			"(Số hoạt động thuộc loại “Tin, bài viết” cộng số hoạt động thuộc loại “Video, phóng sự”) chia cho 2,5.",
			"(The number of activities of type “News article” plus the number of activities of type “Video”) divided by 2.5."},
		{"attr(pupils, unit_type=university) - 1000",
			"Tổng số học sinh, sinh viên của các đơn vị thuộc loại “Trường đại học, cao đẳng” trừ 1.000.",
			"The total pupils and students of the units of type “University or college” minus 1,000."},
		{"units(unit_type=department|commune, has_plan=yes)",
			"Số đơn vị thuộc loại “Xã, phường” hoặc “Sở, ban, ngành” có kế hoạch riêng triển khai kế hoạch này.",
			"The number of units of type “Commune or ward” or “Department or agency” with their own plan implementing this plan."},
	}
	for _, c := range cases {
		f, err := indicators.Parse(c.formula, indicators.DefaultVocabulary(nil))
		if err != nil {
			t.Fatalf("parse %q: %v", c.formula, err)
		}
		for _, lc := range []struct {
			l    i18n.Lang
			want string
		}{{i18n.VI, c.vi}, {i18n.EN, c.en}} {
			got := indicators.Describe(f, lc.l, fields)
			if got != lc.want {
				t.Errorf("%s %q:\n got %s\nwant %s", lc.l, c.formula, got, lc.want)
			}
			// Never a function name or a code.
			for _, code := range []string{"count(", "sum(", "units(", "attr(", "report(", "_", "unit_type", "internet_users"} {
				if strings.Contains(got, code) {
					t.Errorf("%s %q: %q shows %q", lc.l, c.formula, got, code)
				}
			}
		}
	}
}
