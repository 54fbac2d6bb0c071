package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"khienso/internal/gazetteer"
	"khienso/internal/i18n"
	"khienso/internal/setup"
	"khienso/internal/validation"
)

// isTerminal reports whether r is an interactive terminal: init prompts
// for missing answers only then. Tests replace it.
var isTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && terminal(f.Fd())
}

// initCmd sets up a province, or the country, in a database: every answer
// has a flag, so it runs in scripts; on a terminal it asks for those
// missing. The work is package setup's.
func initCmd(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(out)
	dsn := fs.String("db", defaultDB, "SQLite file path or postgres:// URL")
	province := fs.String("province", "", "the province or city to set up: code (42) or name (\"Hà Tĩnh\", \"ha tinh\")")
	country := fs.Bool("country", false, "set up the whole country: a national root with the 34 provinces and cities")
	history := fs.Bool("history", false, "also load the districts and communes before 2025-07-01 and the 2025 merges")
	agencyFlag := fs.String("coordinating-agency", "", "the coordinating agency: dst (Department of Science and Technology, default) or police")
	email := fs.String("admin-email", "", "e-mail of the first administrator")
	name := fs.String("admin-name", "", "full name of the first administrator (default: "+setup.DefaultAdminName+")")
	list := fs.Bool("list", false, "list the 34 provinces and cities with their codes, and stop")
	langFlag := fs.String("lang", string(cliLang()), "language of the messages: vi or en (default: KHIENSO_LANG, else vi)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lang := i18n.Parse(*langFlag)
	g, err := gazetteer.Load()
	if err != nil {
		return err
	}
	if *list {
		for _, p := range g.Provinces {
			fmt.Fprintf(out, "%s  %s (%s)\n", p.Code, p.FullName(), lang.T("cli.init.communes", num(lang, len(p.Communes))))
		}
		return nil
	}
	if fs.NArg() > 0 {
		return errors.New(lang.T("cli.init.err.args", strings.Join(fs.Args(), " ")))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *country && *province != "" {
		return errors.New(lang.T("cli.init.err.conflict"))
	}

	interactive := isTerminal(in)
	rd := bufio.NewReader(in)
	ask := func(prompt string) (string, error) {
		fmt.Fprint(out, prompt)
		line, err := rd.ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", err
		}
		return strings.TrimSpace(line), nil
	}

	// Where: a province, or the country.
	var plans []*setup.Plan
	var target *gazetteer.Province
	agency := setup.Agency(*agencyFlag)
	if *agencyFlag != "" && !agency.Valid() {
		return errors.New(lang.T("cli.init.err.agency", *agencyFlag))
	}
	if !*country {
		q := *province
		for {
			if q == "" {
				if !interactive {
					return errors.New(lang.T("cli.init.err.province_required"))
				}
				if q, err = ask(lang.T("cli.init.prompt.province")); err != nil {
					return err
				}
				continue
			}
			p, err := g.Find(q)
			if err == nil {
				target = p
				break
			}
			msg := provinceError(lang, err)
			if !interactive {
				return errors.New(msg)
			}
			fmt.Fprintln(out, msg)
			q = ""
		}
	}
	if interactive && !set["history"] {
		a, err := ask(lang.T("cli.init.prompt.history"))
		if err != nil {
			return err
		}
		*history = yes(a)
	}
	if interactive && agency == "" {
		for agency == "" {
			a, err := ask(lang.T("cli.init.prompt.agency"))
			if err != nil {
				return err
			}
			switch strings.ToLower(a) {
			case "", "1", "dst":
				agency = setup.AgencyDST
			case "2", "police":
				agency = setup.AgencyPolice
			}
		}
	}
	opts := setup.Options{History: *history, Coordinator: agency}
	if *country {
		if plans, err = setup.PlanCountry(g, opts); err != nil {
			return err
		}
	} else {
		pl, err := setup.PlanProvince(target, opts)
		if err != nil {
			return err
		}
		plans = []*setup.Plan{pl}
	}

	// Who: the first administrator.
	if *email == "" && interactive {
		if *email, err = ask(lang.T("cli.init.prompt.email")); err != nil {
			return err
		}
		if *name == "" {
			if *name, err = ask(lang.T("cli.init.prompt.name", setup.DefaultAdminName)); err != nil {
				return err
			}
		}
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New(lang.T("cli.init.err.email_required"))
	}
	// A password piped in is the administrator's; otherwise a one-time
	// password is generated and shown once. On a terminal it is never read
	// (it would echo).
	password := ""
	if !interactive {
		line, err := rd.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
	}

	st, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	res, err := setup.Install(ctx, st, setup.Request{Plans: plans, Country: *country, Actor: cli,
		Admin: setup.Admin{Email: *email, Name: *name, Password: password}})
	if err != nil {
		return installError(lang, err)
	}
	took := time.Since(start)
	report(out, lang, g, res, *country, *history, took)
	if res.Admin != nil {
		fmt.Fprintln(out, lang.T("cli.init.next", redactDSN(*dsn)))
	}
	return nil
}

// report says what was set up, or that nothing needed to be.
func report(out io.Writer, lang i18n.Lang, g *gazetteer.Gazetteer, res *setup.Result, country, history bool, took time.Duration) {
	if !res.Changed() {
		if country {
			fmt.Fprintln(out, lang.T("cli.init.already_country", len(res.Existing)))
		} else {
			p := res.Existing[0].Province
			fmt.Fprintln(out, lang.T("cli.init.already", p.FullName(), p.Code))
		}
		return
	}
	var sum setup.Summary
	for _, pl := range res.Installed {
		s := pl.Summary()
		sum.Communes += s.Communes
		sum.Organisations += s.Organisations
		sum.Districts += s.Districts
		sum.FormerCommunes += s.FormerCommunes
		if !country {
			fmt.Fprintln(out, lang.T("cli.init.done.province", pl.Province.FullName(), pl.Code, num(lang, s.Communes),
				num(lang, s.Organisations), pl.CoordinatorName()))
		}
	}
	if country {
		fmt.Fprintln(out, lang.T("cli.init.done.country", setup.NationalName, setup.NationalCode, len(res.Installed),
			num(lang, sum.Communes), num(lang, sum.Organisations)))
		for _, code := range res.Moved {
			fmt.Fprintln(out, lang.T("cli.init.moved", g.Province(code).FullName(), setup.NationalName))
		}
	}
	if history && len(res.Installed) > 0 {
		fmt.Fprintln(out, lang.T("cli.init.done.history", num(lang, sum.Districts), num(lang, sum.FormerCommunes)))
	}
	fmt.Fprintln(out, lang.T("cli.init.done.time", seconds(lang, took)))
	if res.Admin != nil {
		fmt.Fprintln(out, lang.T("cli.init.admin", res.Admin.Email, res.Admin.Name))
		if res.Password != "" {
			// Shown once: the account must choose a new password at first sign-in.
			fmt.Fprintln(out, lang.T("cli.init.password", res.Password))
		}
	}
}

// provinceError explains a query that names no province.
func provinceError(lang i18n.Lang, err error) string {
	var nf *gazetteer.NotFoundError
	if !errors.As(err, &nf) {
		return err.Error()
	}
	if nf.Former != nil {
		return lang.T("cli.init.err.former", nf.Former.FullName(), nf.Into.FullName()+" ("+nf.Into.Code+")", nf.Into.Code)
	}
	msg := lang.T("cli.init.err.unknown", nf.Query)
	if len(nf.Suggestions) > 0 {
		names := make([]string, len(nf.Suggestions))
		for i, p := range nf.Suggestions {
			names[i] = p.FullName() + " (" + p.Code + ")"
		}
		msg += lang.T("cli.init.err.suggest", strings.Join(names, ", "))
	}
	return msg + " " + lang.T("cli.init.err.see_list")
}

// installError translates what setup refused, naming the flag at fault.
func installError(lang i18n.Lang, err error) error {
	var ve validation.Errors
	if errors.As(err, &ve) {
		return errors.New(explain(lang, err, map[string]string{"email": "--admin-email", "name": "--admin-name"}))
	}
	var taken *setup.CodeTakenError
	if errors.As(err, &taken) {
		return errors.New(lang.T("cli.init.err.code_taken", taken.Code, taken.Unit.Name))
	}
	return err
}

func yes(a string) bool {
	switch strings.ToLower(a) {
	case "y", "yes", "c", "co", "có":
		return true
	}
	return false
}

// num writes n with the language's thousands separator (3.321, 3,321).
func num(lang i18n.Lang, n int) string {
	s := strconv.Itoa(n)
	sep := "."
	if lang == i18n.EN {
		sep = ","
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// seconds writes d in seconds with one decimal, in the language's way.
func seconds(lang i18n.Lang, d time.Duration) string {
	s := strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
	if lang != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// redactDSN hides a password in a database URL before it is printed.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
