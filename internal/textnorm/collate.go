package textnorm

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// A collator keeps state between comparisons, so one is shared under a
// lock: sorting a few hundred names does not contend.
var (
	viMu       sync.Mutex
	viCollator = collate.New(language.Vietnamese)
	viBuf      collate.Buffer
)

// Compare orders a and b as a Vietnamese reader expects ("Đắk Lắk" after
// "Đà Nẵng" and before "Điện Biên", "Hà Tĩnh" before "Hải Phòng"), not by
// bytes: -1, 0 or 1.
func Compare(a, b string) int {
	viMu.Lock()
	defer viMu.Unlock()
	return viCollator.CompareString(a, b)
}

// SortKey is the Vietnamese collation key of s: comparing two keys byte by
// byte orders them as Compare orders their texts. Lists paged in SQL store
// it beside the name, since neither engine can collate Vietnamese itself
// (SQLite has no such collation; PostgreSQL's depend on the server's ICU
// or libc and differ between installations).
func SortKey(s string) []byte {
	viMu.Lock()
	defer viMu.Unlock()
	k := viCollator.KeyFromString(&viBuf, s)
	out := make([]byte, len(k))
	copy(out, k)
	viBuf.Reset()
	return out
}
