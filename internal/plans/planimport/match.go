package planimport

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"khienso/internal/textnorm"
	"khienso/internal/units"
)

// Candidate is a unit the phrases of a plan may name.
type Candidate struct {
	ID        int64
	Name      string
	ShortName string
	Type      units.Type
	Closed    bool // dissolved or merged: never part of a group, and a weaker match by name
}

// Directory is the set of units to match against.
type Directory []Candidate

// Group keys: a phrase naming a set of units rather than one unit.
const (
	GroupDepartments  = "departments"   // "Các sở, ban, ngành" (with mass organisations when "đoàn thể" is named)
	GroupProvinces    = "provinces"     // "UBND các tỉnh, thành phố trực thuộc Trung ương" (a national plan)
	GroupDistricts    = "districts"     // "UBND các huyện, thành phố, thị xã"
	GroupCommunes     = "communes"      // "UBND các xã, phường, thị trấn"
	GroupMassOrgs     = "mass_orgs"     // "Các tổ chức chính trị - xã hội", "các đoàn thể"
	GroupPress        = "press"         // "Các cơ quan báo chí"
	GroupTelecomIT    = "telecom_it"    // "Các doanh nghiệp viễn thông, công nghệ thông tin"
	GroupSchools      = "schools"       // "Các cơ sở giáo dục", "các trường"
	GroupRelatedUnits = "related_units" // "Các đơn vị liên quan": the reviewer chooses
	GroupSystemOwners = "system_owners" // "Chủ quản hệ thống thông tin": the reviewer chooses
)

// MinConfidence is the lowest confidence at which a named unit is resolved;
// below it the phrase is left for the reviewer.
const MinConfidence = 0.6

// Match is one unit phrase of a cell and what it resolved to.
type Match struct {
	Phrase      string  `json:"phrase"`                // the text as written, e.g. "UBND các huyện, thành phố, thị xã"
	UnitIDs     []int64 `json:"unit_ids"`              // one for a named unit, many for a group, none when not found
	Group       string  `json:"group,omitempty"`       // "" or a Group* key
	Confidence  float64 `json:"confidence"`            // 1 exact, lower for fuzzy; 0 = not found
	Suggestions []int64 `json:"suggestions,omitempty"` // closest units when not found or ambiguous, best first
}

// MatchUnits splits a lead or coordinating cell into unit phrases and
// resolves each against dir. For many cells, build one Matcher instead.
func MatchUnits(cell string, dir Directory) []Match { return NewMatcher(dir).Match(cell) }

// Matcher matches unit phrases against a prepared directory. It is safe
// for concurrent use once built.
type Matcher struct {
	dir      Directory
	cands    []prepared
	vocab    map[string]int32 // token → id
	words    []string         // id → token
	weight   []float64        // id → weight
	postings [][]int32        // id → candidates having the token in a variant
	exact    map[string][]int32
	unseen   float64  // weight of a token no unit has
	province []string // the province name as it ends unit names ("nghe an"), if found
}

type prepared struct {
	variants [][]int32 // token ids of the name and short name, as written and shortened
}

// NewMatcher prepares dir for matching. Building costs about as much as
// matching a few cells, so reuse a Matcher for a whole plan.
func NewMatcher(dir Directory) *Matcher {
	m := &Matcher{dir: dir, vocab: map[string]int32{}, exact: map[string][]int32{}}
	names := make([][2][]string, len(dir))
	full := make([][]string, len(dir))
	for i, c := range dir {
		names[i] = [2][]string{nameTokens(c.Name), nameTokens(c.ShortName)}
		full[i] = names[i][0]
	}
	m.province = provinceOf(full)
	var df []int
	for i := range dir {
		var p prepared
		seen := map[int32]bool{}
		for _, toks := range names[i] {
			if len(toks) == 0 {
				continue
			}
			key := strings.Join(toks, " ")
			if !slices.Contains(m.exact[key], int32(i)) {
				m.exact[key] = append(m.exact[key], int32(i))
			}
			for _, v := range m.variants(toks) {
				ids := make([]int32, len(v))
				for k, t := range v {
					id, ok := m.vocab[t]
					if !ok {
						id = int32(len(m.words))
						m.vocab[t] = id
						m.words = append(m.words, t)
						df = append(df, 0)
						m.postings = append(m.postings, nil)
					}
					ids[k] = id
					if !seen[id] {
						seen[id] = true
						df[id]++
						m.postings[id] = append(m.postings[id], int32(i))
					}
				}
				p.variants = append(p.variants, ids)
			}
		}
		m.cands = append(m.cands, p)
	}
	// Rare words identify a unit ("Nội vụ"), common ones do not ("Sở",
	// "tỉnh"), so tokens are weighted by inverse document frequency.
	n := float64(len(dir))
	m.weight = make([]float64, len(df))
	for id, k := range df {
		m.weight[id] = 1 + math.Log(n/float64(k))
	}
	m.unseen = 1 + math.Log(n+1)
	return m
}

// Match splits cell into phrases and resolves them.
func (m *Matcher) Match(cell string) []Match {
	var out []Match
	for _, phrase := range m.phrases(cell) {
		out = append(out, m.resolve(phrase))
	}
	return out
}

// --- splitting a cell into phrases ---

var listSplit = regexp.MustCompile(`,|\s+(?:và|Và|VÀ|cùng)\s+`)

// dropRemarks removes text in parentheses, nested or not; an unclosed
// parenthesis runs to the end of its paragraph.
func dropRemarks(s string) string {
	if !strings.ContainsAny(s, "()") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case r == '\n':
			depth = 0
			b.WriteRune(r)
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// phrases cuts a cell into unit phrases: paragraphs, then ";", then the
// remark after ":", then commas and "và" where they separate named units.
func (m *Matcher) phrases(cell string) []string {
	cell = dropRemarks(norm.NFC.String(cell))
	var out []string
	for _, line := range strings.Split(cell, "\n") {
		for _, piece := range strings.Split(line, ";") {
			piece = trimPhrase(piece)
			if i := strings.IndexByte(piece, ':'); i >= 0 {
				head := textnorm.Fold(piece[:i])
				if head == "chu tri" || head == "phoi hop" || head == "don vi chu tri" || head == "don vi phoi hop" {
					piece = piece[i+1:] // a label before the units
				} else {
					piece = piece[:i] // a remark after the unit
				}
			}
			piece = trimPhrase(piece)
			if piece == "" {
				continue
			}
			out = append(out, m.splitList(piece)...)
		}
	}
	return out
}

// splitList cuts "A, B và C" into units where each part starts like a unit
// name, and keeps "Các sở, ban, ngành" or "Sở Thông tin và Truyền thông"
// whole because "ban", "Truyền thông" do not.
func (m *Matcher) splitList(s string) []string {
	locs := listSplit.FindAllStringIndex(s, -1)
	type atom struct{ start, end int }
	var atoms []atom
	prev := 0
	for _, l := range locs {
		atoms = append(atoms, atom{prev, l[0]})
		prev = l[1]
	}
	atoms = append(atoms, atom{prev, len(s)})
	var out []string
	segStart, segEnd := atoms[0].start, atoms[0].end
	for _, a := range atoms[1:] {
		text := strings.TrimSpace(s[a.start:a.end])
		if text == "" {
			continue
		}
		if m.startsUnit(text) {
			if p := trimPhrase(s[segStart:segEnd]); p != "" {
				out = append(out, p)
			}
			segStart = a.start
		}
		segEnd = a.end
	}
	if p := trimPhrase(s[segStart:segEnd]); p != "" {
		out = append(out, p)
	}
	return out
}

// unitHeads are the words a unit name or a group phrase starts with, after
// abbreviations are expanded ("UBND" is "ủy ban…").
var unitHeads = [][]string{
	{"uy", "ban"}, {"so"}, {"cong", "an"}, {"bo", "chi", "huy"}, {"bao"}, {"dai"}, {"cong", "thong", "tin"},
	{"cac"}, {"ban"}, {"mat", "tran"}, {"tinh", "doan"}, {"tinh", "uy"}, {"hoi"}, {"lien", "doan"},
	{"van", "phong"}, {"trung", "tam"}, {"kho", "bac"}, {"vien"}, {"toa", "an"}, {"thanh", "tra"}, {"cuc"},
	{"chi", "cuc"}, {"truong"}, {"phong"}, {"chu", "quan"}, {"don", "vi"}, {"co", "quan"}, {"doanh", "nghiep"},
	{"huyen"}, {"thi", "xa"}, {"thi", "tran"}, {"thanh", "pho"}, {"xa"}, {"phuong"}, {"ngan", "hang"},
	{"buu", "dien"}, {"vien", "thong"}, {"bo", "doi"}, {"doan", "thanh", "nien"}, {"cong", "ty"},
	{"tap", "doan"}, {"benh", "vien"},
}

// notHeads start like a head but are ordinary words: the rest of a list
// ("ban, ngành", "xã hội") or the verb opening a task ("Báo cáo…").
var notHeads = [][]string{
	{"ban", "nganh"}, {"xa", "hoi"}, {"so", "nganh"}, {"ban", "hanh"}, {"so", "hoa"}, {"so", "lieu"}, {"bao", "cao"},
	{"bao", "dam"}, {"bao", "ve"}, {"bao", "mat"}, {"dai", "hoi"}, {"hoi", "nghi"}, {"hoi", "thao"}, {"hoi", "thi"},
	{"phong", "chong"}, {"phong", "ngua"}, {"truong", "hop"}, {"thanh", "tra", "kiem"}, {"cac", "nhiem", "vu"},
	{"cac", "noi", "dung"}, {"cac", "hoat", "dong"}, {"thanh", "pho", "truc", "thuoc"}, // "các tỉnh, thành phố trực thuộc Trung ương"
}

// headed reports whether tokens open like a unit name: a head word followed
// by more words.
func headed(toks []string) bool {
	for _, h := range notHeads {
		if hasPrefix(toks, h) {
			return false
		}
	}
	for _, h := range unitHeads {
		if len(toks) > len(h) && hasPrefix(toks, h) {
			return true
		}
	}
	return false
}

// startsUnit reports whether a list item begins a new unit name: it opens
// like one, or it is a known unit's name.
func (m *Matcher) startsUnit(text string) bool {
	toks := rawTokens(text)
	if headed(toks) {
		return true
	}
	if len(toks) >= 2 && len(text) <= maxPhrase {
		best, _, _ := m.best(nameTokens(text))
		return best >= 0.9
	}
	return false
}

// looksLikeUnits reports whether a paragraph reads like a unit list (a lead
// or coordinating cell) rather than task content.
func looksLikeUnits(text string) bool {
	text = strings.TrimLeft(text, "-+•*–· \t")
	if utf8.RuneCountInString(text) > 160 {
		return false
	}
	return headed(rawTokens(prefix(text, 48))) // the head words are all that matter
}

// prefix cuts s to at most n bytes, at a word boundary when possible.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		for cut = n; cut > 0 && !utf8.RuneStart(s[cut]); cut-- {
		}
	}
	return s[:cut]
}

func hasPrefix(toks, prefix []string) bool {
	return len(toks) >= len(prefix) && slices.Equal(toks[:len(prefix)], prefix)
}

// trimPhrase removes list bullets, surrounding space and punctuation.
func trimPhrase(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("-+•*–·.,;:", r)
	})
	return strings.Join(strings.Fields(s), " ")
}

// --- resolving a phrase ---

// maxPhrase bounds the phrase compared with unit names: no name is that
// long, and it keeps matching cheap on pasted garbage.
const maxPhrase = 300

func (m *Matcher) resolve(phrase string) Match {
	if g, types := groupOf(phrase); g != "" {
		match := Match{Phrase: phrase, Group: g, Confidence: 1, UnitIDs: []int64{}}
		for _, c := range m.dir {
			if !c.Closed && slices.Contains(types, c.Type) {
				match.UnitIDs = append(match.UnitIDs, c.ID)
			}
		}
		return match
	}
	match := Match{Phrase: phrase, UnitIDs: []int64{}}
	if len(phrase) > maxPhrase {
		return match
	}
	toks := nameTokens(phrase)
	score, idx, ranked := m.best(toks)
	ambiguous := len(ranked) > 1 && ranked[1].score >= score-0.02
	if idx >= 0 && score >= MinConfidence && !ambiguous {
		match.UnitIDs = []int64{m.dir[idx].ID}
		match.Confidence = math.Round(score*1000) / 1000
		return match
	}
	if !ambiguous {
		ranked = m.suggest(toks)
	}
	for _, r := range ranked {
		if r.score < 0.3 || len(match.Suggestions) == 3 {
			break
		}
		match.Suggestions = append(match.Suggestions, m.dir[r.idx].ID)
	}
	return match
}

type scored struct {
	idx   int
	score float64
}

// ptok is a phrase token: its id in the directory vocabulary (-1 if no unit
// has it), text and weight.
type ptok struct {
	id int32
	s  string
	w  float64
}

func (m *Matcher) ptoks(toks []string) []ptok {
	out := make([]ptok, len(toks))
	for i, t := range toks {
		out[i] = ptok{id: -1, s: t, w: m.unseen}
		if id, ok := m.vocab[t]; ok {
			out[i].id, out[i].w = id, m.weight[id]
		}
	}
	return out
}

// best returns the top score for the phrase tokens, the index of its unit
// (-1 if none) and the units ranked, one entry per distinct ID.
func (m *Matcher) best(toks []string) (float64, int, []scored) {
	if len(toks) == 0 {
		return 0, -1, nil
	}
	pv := m.variants(toks)
	pts := make([][]ptok, len(pv))
	set := map[int32]bool{}
	for i, v := range pv {
		pts[i] = m.ptoks(v)
		m.candidates(pts[i], set)
	}
	for _, i := range m.exact[strings.Join(toks, " ")] {
		set[i] = true
	}
	ranked := m.score(pts, set, true, toks)
	if len(ranked) == 0 {
		return 0, -1, nil
	}
	return ranked[0].score, ranked[0].idx, ranked
}

// suggest ranks, for a phrase left unresolved, the units sharing a
// reasonably rare word with it, by their shared words alone.
func (m *Matcher) suggest(toks []string) []scored {
	pv := m.variants(toks)
	pts := make([][]ptok, len(pv))
	set := map[int32]bool{}
	limit := max(5, len(m.dir)/20)
	for i, v := range pv {
		pts[i] = m.ptoks(v)
		for _, t := range pts[i] {
			if t.id >= 0 && len(m.postings[t.id]) <= limit {
				for _, c := range m.postings[t.id] {
					set[c] = true
				}
			}
		}
	}
	return m.score(pts, set, false, toks)
}

// candidates adds to set the units that could score well against phrase
// tokens p. A unit sharing only words of total weight below 40% of the
// phrase cannot reach the threshold (weighted Dice ≤ 2s/(1+s)), so it
// must share one of the heaviest words that make up the other 60%; a
// word no unit has may be a typo of one that some unit has.
func (m *Matcher) candidates(p []ptok, set map[int32]bool) {
	sorted := slices.Clone(p)
	slices.SortFunc(sorted, func(a, b ptok) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return 0
	})
	total := 0.0
	for _, t := range p {
		total += t.w
	}
	acc := 0.0
	for _, t := range sorted {
		if acc > 0.6*total {
			break
		}
		acc += t.w
		if t.id >= 0 {
			for _, c := range m.postings[t.id] {
				set[c] = true
			}
			continue
		}
		if len(t.s) < 5 || len(t.s) > 40 {
			continue
		}
		for id, w := range m.words {
			if len(w) >= 5 && abs(len(w)-len(t.s)) <= 1 && editDistance(t.s, w) == 1 {
				for _, c := range m.postings[id] {
					set[c] = true
				}
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// score rates the units in set against the phrase variants and ranks them.
func (m *Matcher) score(pts [][]ptok, set map[int32]bool, penalise bool, toks []string) []scored {
	key := strings.Join(toks, " ")
	exact := m.exact[key]
	var ranked []scored
	for i := range set {
		s := 0.0
		if slices.Contains(exact, i) {
			s = 1
		} else {
			for _, a := range pts {
				for _, b := range m.cands[i].variants {
					s = max(s, 0.95*m.dice(a, b, penalise))
				}
			}
		}
		if m.dir[i].Closed {
			s *= 0.9 // a unit still open with the same name is the likelier meaning
		}
		if s > 0 {
			ranked = append(ranked, scored{int(i), s})
		}
	}
	slices.SortFunc(ranked, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.idx - b.idx // directory order breaks ties, for stable output
	})
	// The same unit listed twice is not an ambiguity.
	seen := map[int64]bool{}
	uniq := ranked[:0]
	for _, r := range ranked {
		if id := m.dir[r.idx].ID; !seen[id] {
			seen[id] = true
			uniq = append(uniq, r)
		}
	}
	return uniq
}

// dice is the weighted Dice similarity of phrase tokens a and unit tokens b;
// a token differing by one letter (a typo in a long word) counts for most of
// its weight. Words missing on one side only are an abbreviated or mistyped
// name ("Sở Thông và truyền thông"); with penalise, significant words
// differing on both sides mean another unit ("huyện Nghi Xuân" is not
// "huyện Nghi Lộc") and lower the score.
func (m *Matcher) dice(a []ptok, b []int32, penalise bool) float64 {
	var usedBuf [16]bool
	used := usedBuf[:0]
	if len(b) <= len(usedBuf) {
		used = usedBuf[:len(b)]
	} else {
		used = make([]bool, len(b))
	}
	matchedA, matchedB, totalA, totalB := 0.0, 0.0, 0.0, 0.0
	for _, t := range a {
		totalA += t.w
	}
	for _, id := range b {
		totalB += m.weight[id]
	}
	if totalA == 0 || totalB == 0 {
		return 0
	}
	fuzzy := false
	for _, t := range a {
		found := false
		for j, id := range b {
			if !used[j] && id == t.id {
				used[j], found = true, true
				matchedA += t.w
				matchedB += t.w
				break
			}
		}
		fuzzy = fuzzy || (!found && len(t.s) >= 5)
	}
	if fuzzy {
		for _, t := range a {
			if len(t.s) < 5 || (t.id >= 0 && slices.Contains(b, t.id)) {
				continue
			}
			for j, id := range b {
				u := m.words[id]
				if !used[j] && len(u) >= 5 && abs(len(u)-len(t.s)) <= 1 && editDistance(t.s, u) == 1 {
					used[j] = true
					matchedA += 0.7 * t.w
					matchedB += 0.7 * m.weight[id]
					break
				}
			}
		}
	}
	score := (matchedA + matchedB) / (totalA + totalB)
	if !penalise {
		return score
	}
	sub := min(1-matchedA/totalA, 1-matchedB/totalB)
	return score * max(0, 1-2*sub)
}

// variants lists the ways a name may be written: in full, without the
// province name at the end ("Báo Nghệ An" ~ "Báo"), and without "Ủy ban
// nhân dân" before a locality ("UBND huyện Nghi Lộc" ~ "Huyện Nghi Lộc").
func (m *Matcher) variants(toks []string) [][]string {
	out := [][]string{toks}
	if p := m.province; len(p) > 0 && len(toks) > len(p) && slices.Equal(toks[len(toks)-len(p):], p) {
		out = append(out, toks[:len(toks)-len(p)])
	}
	for _, v := range out {
		if hasPrefix(v, []string{"uy", "ban", "nhan", "dan"}) && len(v) > 5 {
			switch v[4] {
			case "huyen", "xa", "phuong", "thi", "thanh":
				out = append(out, v[4:])
			}
		}
	}
	return out
}

// provinceOf finds the province name that ends many unit names ("… tỉnh
// Nghệ An"), so that it can be left out when comparing.
func provinceOf(names [][]string) []string {
	count := map[string]int{}
	for _, toks := range names {
		for k := len(toks) - 3; k >= len(toks)-5 && k >= 1; k-- {
			if toks[k] == "tinh" && toks[k+1] != "uy" && toks[k+1] != "doan" {
				count[strings.Join(toks[k+1:], " ")]++
				break
			}
		}
	}
	best, n := "", 0
	for p, k := range count {
		if k > n || (k == n && p < best) {
			best, n = p, k
		}
	}
	if best == "" {
		return nil
	}
	return strings.Fields(best)
}

// --- groups ---

var groupPatterns = []struct {
	group string
	any   []string // the folded phrase contains one of these
}{
	{GroupRelatedUnits, []string{" lien quan "}},
	{GroupSystemOwners, []string{" chu quan "}},
	{GroupDepartments, []string{" cac so ", " so ban nganh ", " cac ban nganh ", " cac co quan chuyen mon ", " so nganh "}},
	{GroupProvinces, []string{" ubnd cac tinh ", " uy ban nhan dan cac tinh "}},
	{GroupDistricts, []string{" cac huyen ", " cap huyen ", " huyen thanh pho thi xa ", " huyen thi xa thanh pho "}},
	{GroupCommunes, []string{" cac xa ", " cap xa ", " cac phuong ", " xa phuong thi tran "}},
	{GroupMassOrgs, []string{" doan the ", " to chuc chinh tri xa hoi "}},
	{GroupPress, []string{" bao chi ", " co quan bao ", " cac bao ", " co quan truyen thong "}},
	{GroupTelecomIT, []string{" doanh nghiep vien thong ", " doanh nghiep cong nghe thong tin ", " doanh nghiep buu chinh "}},
	{GroupSchools, []string{" cac truong ", " co so giao duc ", " truong hoc "}},
}

// groupOf recognises a phrase naming a set of units and the unit types it
// covers.
func groupOf(phrase string) (string, []units.Type) {
	f := " " + strings.Join(rawTokens(phrase), " ") + " "
	f = strings.ReplaceAll(f, " cac xa hoi ", " ") // "các … xã hội" is not "các xã"
	for _, g := range groupPatterns {
		hit := false
		for _, p := range g.any {
			if strings.Contains(f, p) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		switch g.group {
		case GroupDepartments:
			types := []units.Type{units.TypeDepartment}
			if strings.Contains(f, " doan the ") || strings.Contains(f, " to chuc chinh tri ") || strings.Contains(f, " mat tran ") {
				types = append(types, units.TypeMassOrg)
			}
			return g.group, types
		case GroupProvinces:
			return g.group, []units.Type{units.TypeProvinceCommittee}
		case GroupDistricts:
			return g.group, []units.Type{units.TypeDistrict}
		case GroupCommunes:
			return g.group, []units.Type{units.TypeCommune}
		case GroupMassOrgs:
			return g.group, []units.Type{units.TypeMassOrg}
		case GroupPress:
			return g.group, []units.Type{units.TypePress}
		case GroupTelecomIT:
			return g.group, []units.Type{units.TypeTelecomIT}
		case GroupSchools:
			types := []units.Type{units.TypeSchool}
			if strings.Contains(f, " dao tao ") || strings.Contains(f, " dai hoc ") || strings.Contains(f, " cao dang ") {
				types = append(types, units.TypeUniversity)
			}
			return g.group, types
		default:
			return g.group, nil
		}
	}
	return "", nil
}

// --- tokens ---

// abbreviations spelled as one token after folding.
var abbrevOne = map[string][]string{
	"ubnd":   {"uy", "ban", "nhan", "dan"},
	"hdnd":   {"hoi", "dong", "nhan", "dan"},
	"tttt":   {"thong", "tin", "truyen", "thong"},
	"ttdt":   {"thong", "tin", "dien", "tu"},
	"bchqs":  {"bo", "chi", "huy", "quan", "su"},
	"bch":    {"bo", "chi", "huy"},
	"khcn":   {"khoa", "hoc", "cong", "nghe"},
	"gddt":   {"giao", "duc", "dao", "tao"},
	"attt":   {"an", "toan", "thong", "tin"},
	"khdt":   {"ke", "hoach", "dau", "tu"},
	"tnmt":   {"tai", "nguyen", "moi", "truong"},
	"nnptnt": {"nong", "nghiep", "phat", "trien", "nong", "thon"},
	"ldtbxh": {"lao", "dong", "thuong", "binh", "xa", "hoi"},
	"vhttdl": {"van", "hoa", "the", "thao", "du", "lich"},
	"gtvt":   {"giao", "thong", "van", "tai"},
	"ptth":   {"phat", "thanh", "truyen", "hinh"},
	"mttq":   {"mat", "tran", "to", "quoc"},
	"cntt":   {"cong", "nghe", "thong", "tin"},
	"httt":   {"he", "thong", "thong", "tin"},
	"tw":     {"trung", "uong"},
	"tp":     {"thanh", "pho"},
	"tx":     {"thi", "xa"},
	"thpt":   {"trung", "hoc", "pho", "thong"},
	"thcs":   {"trung", "hoc", "co", "so"},
	"gdtx":   {"giao", "duc", "thuong", "xuyen"},
}

// abbreviations written in parts ("TT&TT", "KH&CN", "PT-TH").
var abbrevSeq = []struct {
	from []string
	to   []string
}{
	{[]string{"tt", "tt"}, []string{"thong", "tin", "truyen", "thong"}},
	{[]string{"kh", "cn"}, []string{"khoa", "hoc", "cong", "nghe"}},
	{[]string{"gd", "dt"}, []string{"giao", "duc", "dao", "tao"}},
	{[]string{"kh", "dt"}, []string{"ke", "hoach", "dau", "tu"}},
	{[]string{"tn", "mt"}, []string{"tai", "nguyen", "moi", "truong"}},
	{[]string{"nn", "ptnt"}, []string{"nong", "nghiep", "phat", "trien", "nong", "thon"}},
	{[]string{"ld", "tb", "xh"}, []string{"lao", "dong", "thuong", "binh", "xa", "hoi"}},
	{[]string{"ldtb", "xh"}, []string{"lao", "dong", "thuong", "binh", "xa", "hoi"}},
	{[]string{"vh", "tt", "dl"}, []string{"van", "hoa", "the", "thao", "du", "lich"}},
	{[]string{"vhtt", "dl"}, []string{"van", "hoa", "the", "thao", "du", "lich"}},
	{[]string{"pt", "th"}, []string{"phat", "thanh", "truyen", "hinh"}},
	{[]string{"bch", "qs"}, []string{"bo", "chi", "huy", "quan", "su"}},
	{[]string{"ca", "tinh"}, []string{"cong", "an", "tinh"}},
	{[]string{"ca", "huyen"}, []string{"cong", "an", "huyen"}},
}

// rawTokens folds s, splits it into words and expands abbreviations.
func rawTokens(s string) []string {
	words := strings.FieldsFunc(textnorm.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var out []string
	for i := 0; i < len(words); {
		matched := false
		for _, a := range abbrevSeq {
			if i+len(a.from) <= len(words) && slices.Equal(words[i:i+len(a.from)], a.from) {
				out = append(out, a.to...)
				i += len(a.from)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if exp, ok := abbrevOne[words[i]]; ok {
			out = append(out, exp...)
		} else {
			out = append(out, words[i])
		}
		i++
	}
	return out
}

// stopWords carry no identity in a unit name.
var stopWords = map[string]bool{"va": true, "cac": true, "cua": true}

// nameTokens are the tokens compared between a phrase and a unit name.
func nameTokens(s string) []string {
	var out []string
	for _, t := range rawTokens(s) {
		if !stopWords[t] {
			out = append(out, t)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between two short ASCII words.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
