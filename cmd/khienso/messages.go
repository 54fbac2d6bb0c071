package main

import (
	"errors"
	"os"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/validation"
)

// cliLang is the language of the command line's messages: KHIENSO_LANG
// (vi or en) when set, else Vietnamese. An environment variable rather
// than the terminal's locale, which on most servers is English whoever
// runs the command.
func cliLang() i18n.Lang { return i18n.Parse(os.Getenv("KHIENSO_LANG")) }

// fieldFlags names, for a field a rule refused, the flag that carries it,
// so a message tells the operator what to change on the command line.
var fieldFlags = map[string]string{
	"email":      "--email",
	"name":       "--name",
	"unit_id":    "--unit",
	"roles":      "--role",
	"expires_at": "--days",
}

// explain is err as the operator reads it: each refused field named by its
// flag (flags first, then fieldFlags, then the catalogue's "cli.field.*")
// with its reason in lang; other errors as they are.
func explain(lang i18n.Lang, err error, flags map[string]string) string {
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return err.Error()
	}
	parts := make([]string, len(ve))
	for i, fe := range ve {
		field := flags[fe.Field]
		if field == "" {
			field = fieldFlags[fe.Field]
		}
		if field == "" {
			field = lang.T("cli.field." + fe.Field)
		}
		parts[i] = field + ": " + lang.T(fe.Reason, fe.Args...)
	}
	return strings.Join(parts, "; ")
}
