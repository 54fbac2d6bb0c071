package i18n

import (
	"slices"
	"strings"
	"testing"
)

// Every key exists in every language, with the same placeholders.
func TestCatalogueComplete(t *testing.T) {
	vi, en := Keys(VI), Keys(EN)
	for _, k := range vi {
		if !slices.Contains(en, k) {
			t.Errorf("key %q has no English text", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(vi, k) {
			t.Errorf("key %q has no Vietnamese text", k)
		}
	}
	for _, k := range vi {
		if strings.Count(catalogue[VI][k], "%") != strings.Count(catalogue[EN][k], "%") {
			t.Errorf("key %q: placeholders differ between vi and en", k)
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	cases := map[string]Lang{"": VI, "en-US,en;q=0.9": EN, "vi-VN,vi;q=0.9,en;q=0.8": VI, "fr-FR": VI, "fr,en;q=0.5": EN}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %s, want %s", h, got, want)
		}
	}
	if EN.T("no.such.key") != "no.such.key" {
		t.Error("a missing key should show itself")
	}
}
