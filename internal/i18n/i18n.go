// Package i18n is the translation catalogue. Every user-facing string lives
// in locales/<lang>/*.json (one file per area, so features keep their own
// strings); Vietnamese is the default, English the alternative. Messages are
// fmt formats: "%v" fills arguments in order, "%[2]v" picks one.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

//go:embed locales
var files embed.FS

// Lang is a language code ("vi" or "en").
type Lang string

const (
	VI Lang = "vi"
	EN Lang = "en"
)

// Default is the language used when nothing else is asked for.
const Default = VI

// Langs lists the supported languages.
var Langs = []Lang{VI, EN}

var catalogue = mustLoad()

func mustLoad() map[Lang]map[string]string {
	c, err := load(files)
	if err != nil {
		panic(err) // the catalogue is embedded at build time; tests catch this
	}
	return c
}

func load(fsys fs.FS) (map[Lang]map[string]string, error) {
	out := map[Lang]map[string]string{}
	for _, l := range Langs {
		dir := path.Join("locales", string(l))
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			raw, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			var part map[string]string
			if err := json.Unmarshal(raw, &part); err != nil {
				return nil, fmt.Errorf("catalogue %s/%s: %w", l, e.Name(), err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("catalogue %s: key %q defined twice", l, k)
				}
				m[k] = v
			}
		}
		out[l] = m
	}
	return out, nil
}

// Parse returns the supported language matching s, or Default.
func Parse(s string) Lang {
	for _, l := range Langs {
		if strings.EqualFold(s, string(l)) {
			return l
		}
	}
	return Default
}

var matcher = language.NewMatcher([]language.Tag{language.Vietnamese, language.English})

// FromAcceptLanguage picks the language for an Accept-Language header.
func FromAcceptLanguage(h string) Lang {
	if h == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Langs[i]
}

// T translates key into l, formatting args. A missing key falls back to
// Vietnamese, then to the key itself, so a gap is visible but never fatal.
func (l Lang) T(key string, args ...any) string {
	msg, ok := catalogue[l][key]
	if !ok {
		if msg, ok = catalogue[Default][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalogue[Default][key]
	return ok
}

// Keys lists the keys of language l, sorted (for tests).
func Keys(l Lang) []string {
	keys := make([]string, 0, len(catalogue[l]))
	for k := range catalogue[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
