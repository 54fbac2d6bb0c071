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
)

// Compare orders a and b as a Vietnamese reader expects ("Đắk Lắk" after
// "Đà Nẵng" and before "Điện Biên", "Hà Tĩnh" before "Hải Phòng"), not by
// bytes: -1, 0 or 1.
func Compare(a, b string) int {
	viMu.Lock()
	defer viMu.Unlock()
	return viCollator.CompareString(a, b)
}
