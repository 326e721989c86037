package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"log/slog"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/seed"
)

// triBool is a boolean flag that remembers whether it was set.
type triBool struct{ v *bool }

func (t *triBool) String() string {
	if t == nil || t.v == nil {
		return ""
	}
	return fmt.Sprint(*t.v)
}

func (t *triBool) Set(s string) error {
	switch strings.ToLower(s) {
	case "true", "1", "yes":
		b := true
		t.v = &b
	case "false", "0", "no":
		b := false
		t.v = &b
	default:
		return errors.New("must be true or false")
	}
	return nil
}

func (t *triBool) IsBoolFlag() bool { return true }

// assess reads one lock from a file or stdin, or a catalogue lock by its
// slug, and prints its assessment.
// Bad input: exit 2, a message naming the field on stderr, nothing on stdout.
func assess(cx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flagSet("assess")
	slug := fs.String("slug", "", "assess this catalogue lock model instead of one on FILE or stdin")
	dbURL := fs.String("database-url", "", "database for --slug (default: LOCKSCORE_DATABASE_URL or ./lockscore.db; the embedded seed when that SQLite file does not exist)")
	doorType := fs.String("door-type", "", "door type: "+strings.Join(scoring.DoorTypes, ", "))
	cylinderRating := fs.String("cylinder-rating", "", "rating of the euro cylinder in the door: "+strings.Join(scoring.CylinderRatings, ", "))
	occupants := fs.String("occupants", "", "comma-separated: "+strings.Join(scoring.OccupantValues, ", "))
	contextFile := fs.String("context", "", "JSON file with the context object (flags override it)")
	format := fs.String("format", "json", "json or text")
	sensitivity := fs.Bool("sensitivity", false, "add the ±20% sensitivity report")
	bools := map[string]*triBool{}
	for _, name := range []string{"other_keyed_door", "other_door_same_keyring", "cylinder_emergency_function", "key_safe", "keyholder_nearby", "remote_helper"} {
		t := &triBool{}
		bools[name] = t
		fs.Var(t, strings.ReplaceAll(name, "_", "-"), "context: "+name)
	}
	// Flags may come before or after the file name.
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); errors.Is(err, flag.ErrHelp) {
			printHelp(stdout, "lockscore assess [FILE | --slug SLUG] [flags]",
				"Assesses one lock without a server and prints the full assessment as JSON (--format text for a summary).\n"+
					"The lock is FILE or stdin, holding its attributes or a saved POST /api/v1/assessments body, or, with --slug,\n"+
					"a catalogue lock model. The context of the door and household comes from the flags or --context FILE.", fs)
			return 0
		} else if err != nil {
			fmt.Fprintf(stderr, "lockscore assess: %v\nsee 'lockscore assess --help'\n", err)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "lockscore assess: "+format+"\n", a...)
		return 2
	}
	if len(files) > 1 {
		return fail("give at most one lock file (got %d)", len(files))
	}
	if *format != "json" && *format != "text" {
		return fail("--format must be json or text")
	}
	var lock scoring.Lock
	var ctx scoring.Context
	var envelope bool
	if *slug != "" {
		if len(files) > 0 {
			return fail("give either --slug or a lock file, not both")
		}
		var from string
		var err error
		lock, from, err = catalogueLock(cx, *slug, *dbURL, getenv)
		if err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stderr, "lockscore assess: %s from %s\n", *slug, from)
	} else {
		var in []byte
		var err error
		if len(files) == 1 && files[0] != "-" {
			in, err = os.ReadFile(files[0])
		} else {
			in, err = io.ReadAll(io.LimitReader(stdin, 10<<20))
		}
		if err != nil {
			return fail("%v", err)
		}
		if lock, ctx, envelope, err = decodeAssessInput(in); err != nil {
			return fail("%v", err)
		}
	}
	if envelope && *contextFile != "" {
		return fail("the input already holds a context; drop --context or the input's \"context\"")
	}
	if *contextFile != "" {
		b, err := os.ReadFile(*contextFile)
		if err != nil {
			return fail("%v", err)
		}
		if ctx, err = scoring.DecodeContext(b); err != nil {
			return fail("invalid context: %v", err)
		}
	}
	if *doorType != "" {
		if err := ctx.SetField("door_type", *doorType); err != nil {
			return fail("invalid context: %v", err)
		}
	}
	if *cylinderRating != "" {
		if err := ctx.SetField("cylinder_rating", *cylinderRating); err != nil {
			return fail("invalid context: %v", err)
		}
	}
	if *occupants != "" {
		ctx.Occupants = nil
		if err := ctx.SetField("occupants", *occupants); err != nil {
			return fail("invalid context: %v", err)
		}
	}
	for name, t := range bools {
		if t.v != nil {
			_ = ctx.SetField(name, fmt.Sprint(*t.v))
		}
	}
	a := scoring.Assess(lock, ctx)
	if *format == "text" {
		printText(stdout, a)
		if *sensitivity {
			printSensitivityText(stdout, scoring.Sensitivity(lock, ctx))
		}
		return 0
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if *sensitivity {
		rep := scoring.Sensitivity(lock, ctx)
		_ = enc.Encode(struct {
			scoring.Assessment
			Sensitivity scoring.SensitivityReport `json:"sensitivity"`
		}{a, rep})
		return 0
	}
	_ = enc.Encode(a)
	return 0
}

// catalogueLock finds a lock model by slug in the configured database, or
// in the embedded seed when the database is a SQLite file that does not
// exist (nothing is created). It says where it found it.
func catalogueLock(ctx context.Context, slug, dbURL string, getenv func(string) string) (scoring.Lock, string, error) {
	dsn := dbURL
	if dsn == "" {
		dsn = getenv("LOCKSCORE_DATABASE_URL")
	}
	if dsn == "" {
		dsn = "./lockscore.db"
	}
	var slugs []string
	if !config.IsPostgres(dsn) && !sqliteExists(dsn) {
		recs, err := seed.Records()
		if err != nil {
			return scoring.Lock{}, "", err
		}
		for _, r := range recs {
			if r.Slug == slug {
				return r.Lock, "the embedded seed (no database at " + dsn + ")", nil
			}
			slugs = append(slugs, r.Slug)
		}
		return scoring.Lock{}, "", fmt.Errorf("--slug: no lock model %q in the embedded seed%s", slug, scoring.Suggest(slug, slugs))
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return scoring.Lock{}, "", err
	}
	defer st.Close()
	svc := catalogue.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := svc.Load(ctx); err != nil {
		return scoring.Lock{}, "", fmt.Errorf("read the catalogue from %s (run 'lockscore migrate' first?): %w", config.MaskDSN(dsn), err)
	}
	snap := svc.Snapshot()
	if e, ok := snap.Lookup(slug); ok {
		return e.Lock(), "the database " + config.MaskDSN(dsn), nil
	}
	for _, e := range snap.Entries {
		slugs = append(slugs, e.Slug())
	}
	return scoring.Lock{}, "", fmt.Errorf("--slug: no lock model %q in the database %s%s", slug, config.MaskDSN(dsn), scoring.Suggest(slug, slugs))
}

// sqliteExists reports whether a SQLite DSN (a path, or file:path?options) names an existing file.
func sqliteExists(dsn string) bool {
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	_, err := os.Stat(path)
	return err == nil
}

// decodeAssessInput reads either one lock object (the §7 attributes) or the
// body of POST /api/v1/assessments, {"lock": {...}, "context": {...}}, so a
// request saved from the API can be replayed offline. A lock has no "lock"
// attribute, so the two cannot be confused. envelope says which it was.
func decodeAssessInput(in []byte) (lock scoring.Lock, ctx scoring.Context, envelope bool, err error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(in, &top) == nil {
		_, hasLock := top["lock"]
		_, hasContext := top["context"]
		envelope = hasLock && len(top) == 1 || hasLock && hasContext && len(top) == 2
	}
	if !envelope {
		if lock, err = scoring.DecodeLock(in); err != nil {
			return lock, ctx, false, fmt.Errorf("invalid lock: %w", err)
		}
		return lock, ctx, false, nil
	}
	req, err := scoring.DecodeRequest(in)
	if err != nil {
		return lock, ctx, true, fmt.Errorf("invalid request: %w", err)
	}
	return req.Lock, req.Context, true, nil
}

// printText is the assessment for a person at the door: the verdict, then
// what to do, then why, in plain words. The JSON keeps every field; this
// view leaves out the methodology's own terms (gates, coverage, qualities).
func printText(w io.Writer, a scoring.Assessment) {
	fmt.Fprintln(w, a.Verdict)
	var do, check []scoring.Advice
	for _, ad := range a.Advice {
		if strings.HasPrefix(ad.ID, "confirm_") {
			check = append(check, ad)
		} else {
			do = append(do, ad)
		}
	}
	for _, list := range []struct {
		title string
		items []scoring.Advice
	}{{"What would make it better", do}, {"What to check", check}} {
		if len(list.items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", list.title)
		for _, ad := range list.items {
			fmt.Fprintf(w, "  - %s It would then be %s (%s), score %.1f.\n", ad.Action, labelOf(ad.BandAfter), ad.BandAfter, ad.ScoreAfter)
		}
	}
	fmt.Fprintf(w, "\nScore %.1f out of 100", a.Score)
	if a.ScoreUpper != a.Score {
		fmt.Fprintf(w, ", and up to %.1f once the missing facts are known", a.ScoreUpper)
	}
	fmt.Fprintf(w, ". %.0f%% of the facts about this lock are known.\n", a.DataCompleteness*100)
	fmt.Fprintln(w, "\nWhen something goes wrong:")
	for _, s := range a.Scenarios {
		fmt.Fprintf(w, "  - %s (%.0f%% of the score)\n", s.Why, s.Weight)
	}
	if len(a.Gates) > 0 {
		fmt.Fprintln(w, "\nWhat holds the rating down:")
		for _, g := range a.Gates {
			fmt.Fprintf(w, "  - %s\n    Source: %s\n", g.Reason, g.Source)
		}
	}
	if len(a.Missing) > 0 {
		fmt.Fprintln(w, "\nStill to find out:")
		for _, name := range a.Missing {
			if at := scoring.AttributeByName(name); at != nil {
				fmt.Fprintf(w, "  - %s\n", capitalise(at.Fact))
			}
		}
	}
	for _, n := range a.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	fmt.Fprintf(w, "\n(lockscore methodology %s)\n", a.MethodologyVersion)
}

// printSensitivityText says, in words, which ±20%% changes to the
// methodology's own judgements would change the band.
func printSensitivityText(w io.Writer, r scoring.SensitivityReport) {
	fmt.Fprintf(w, "\nHow firm the rating is: %d of %d changes of 20%% up or down to how much each failure counts, or to how good each way in is, would change the band.\n",
		r.BandChanges, len(r.Perturbations))
	for _, p := range r.Perturbations {
		if !p.ChangesBand {
			continue
		}
		what := "how much \"" + scenarioName(p.Target) + "\" counts"
		if p.Kind == "path_quality" {
			what = "how good " + pathName(p.Target) + " is as a way in"
		}
		fmt.Fprintf(w, "  - %s %s: %.1f, %s (%s)\n", what, p.Change, p.Score, labelOf(p.Band), p.Band)
	}
}

func labelOf(band string) string {
	for _, b := range scoring.Default.Methodology().Bands {
		if b.Band == band {
			return b.Label
		}
	}
	return band
}

func scenarioName(id string) string {
	for _, s := range scoring.Default.Methodology().Scenarios {
		if s.ID == id {
			return s.Name
		}
	}
	return id
}

func pathName(id string) string {
	for _, p := range scoring.Default.Methodology().Paths {
		if p.ID == id {
			return strings.ToLower(p.Name[:1]) + p.Name[1:]
		}
	}
	return id
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
