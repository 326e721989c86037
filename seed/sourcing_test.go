package seed_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
	"github.com/lockscore/lockscore/seed"
)

// pendingFile lists the slugs whose sourcing is not yet checked, one a line
// (# starts a comment). The goal is an empty list.
const pendingFile = "sourcing_pending.txt"

// allEnv, when set to 1, checks the pending slugs too, so a research helper
// sees every violation at once: SOURCING_ALL=1 go test ./seed -run TestSourcingRule
const allEnv = "SOURCING_ALL"

type fileRecord struct {
	file string
	rec  catalogue.Record
}

func fileRecords(t *testing.T) []fileRecord {
	t.Helper()
	names, err := seed.Files()
	if err != nil {
		t.Fatal(err)
	}
	var out []fileRecord
	for _, name := range names {
		b, err := seed.File(name)
		if err != nil {
			t.Fatal(err)
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, r := range raw {
			rec, err := catalogue.DecodeRecord(bytes.TrimSpace(r))
			if err != nil {
				t.Fatalf("%s record %d: %v", name, i+1, err)
			}
			out = append(out, fileRecord{name, rec})
		}
	}
	return out
}

func pendingSlugs(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(pendingFile)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSourcingRule: every recorded fact of every checked record is backed by
// a source's supports or by a by-construction rule (seed/rules.go). The
// failure lists every violation, so they can all be fixed in one go.
func TestSourcingRule(t *testing.T) {
	pending := map[string]bool{}
	for _, s := range pendingSlugs(t) {
		pending[s] = true
	}
	all := os.Getenv(allEnv) == "1"
	checked, skipped := 0, 0
	var lines []string
	bySlug := 0
	for _, fr := range fileRecords(t) {
		if pending[fr.rec.Slug] && !all {
			skipped++
			continue
		}
		checked++
		vs := seed.Violations(&fr.rec)
		if len(vs) == 0 {
			continue
		}
		bySlug++
		for _, v := range vs {
			lines = append(lines, fr.file+": "+v.String())
		}
	}
	if skipped > 0 {
		t.Logf("sourcing rule: %d records checked, %d skipped as pending in seed/%s (set %s=1 to check them too)", checked, skipped, pendingFile, allEnv)
	}
	if len(lines) > 0 {
		t.Errorf("sourcing rule: %d violations in %d of %d checked records (a fact needs a source whose supports names the field, or a rule in seed/rules.go):\n%s",
			len(lines), bySlug, checked, strings.Join(lines, "\n"))
	}
}

// TestSourcingPendingList: the pending list names only existing slugs, once
// each, and says which pending records already pass (remove them).
func TestSourcingPendingList(t *testing.T) {
	bySlug := map[string]*catalogue.Record{}
	for _, fr := range fileRecords(t) {
		bySlug[fr.rec.Slug] = &fr.rec
	}
	seen := map[string]bool{}
	var clean []string
	for _, s := range pendingSlugs(t) {
		if seen[s] {
			t.Errorf("seed/%s lists %s twice", pendingFile, s)
		}
		seen[s] = true
		rec, ok := bySlug[s]
		if !ok {
			t.Errorf("seed/%s lists %s, which is not in seed/catalogue/ (remove the line)", pendingFile, s)
			continue
		}
		if len(seed.Violations(rec)) == 0 {
			clean = append(clean, s)
		}
	}
	if len(clean) > 0 {
		t.Logf("pending records that now pass the sourcing rule (remove them from seed/%s): %s", pendingFile, strings.Join(clean, " "))
	}
	t.Logf("sourcing rule: %d of %d records pending", len(seen), len(bySlug))
}

// TestCatalogueFiles: one brand a file, named after the brand (a market
// suffix may split a brand, as yale-uk and yale-us), and slugs unique across
// files.
func TestCatalogueFiles(t *testing.T) {
	where := map[string]string{}
	brands := map[string]string{}
	for _, fr := range fileRecords(t) {
		base := strings.TrimSuffix(path.Base(fr.file), ".json")
		if prev, ok := where[fr.rec.Slug]; ok {
			t.Errorf("slug %s is in %s and %s", fr.rec.Slug, prev, fr.file)
		}
		where[fr.rec.Slug] = fr.file
		if b, ok := brands[fr.file]; ok && b != fr.rec.Brand {
			t.Errorf("%s holds brands %q and %q: one brand a file", fr.file, b, fr.rec.Brand)
		}
		brands[fr.file] = fr.rec.Brand
		if !seed.FileFitsBrand(base, fr.rec.Brand) {
			t.Errorf("%s holds %s of brand %q: the file should be %s.json", fr.file, fr.rec.Slug, fr.rec.Brand, seed.BrandSlug(fr.rec.Brand))
		}
	}
}

// TestRulesAreDocumented: each rule's id is explained in seed/README.md, and
// each gives a value of its field's vocabulary.
func TestRulesAreDocumented(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range seed.Rules {
		if ids[r.ID] {
			t.Errorf("rule id %s twice", r.ID)
		}
		ids[r.ID] = true
		if !strings.Contains(string(readme), "`"+r.ID+"`") {
			t.Errorf("rule %s is not explained in seed/README.md", r.ID)
		}
		if vals := ruleFieldValues(r.Field); !slices.Contains(vals, r.Value) {
			t.Errorf("rule %s gives %s = %q, not a value of that field", r.ID, r.Field, r.Value)
		}
		if r.Reason == "" || r.Applies == nil {
			t.Errorf("rule %s needs a reason and a predicate", r.ID)
		}
	}
}

func clone(t *testing.T, r *catalogue.Record) catalogue.Record {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	out, err := catalogue.DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fields(vs []seed.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Field)
	}
	sort.Strings(out)
	return out
}

func record(t *testing.T, slug string) catalogue.Record {
	t.Helper()
	for _, fr := range fileRecords(t) {
		if fr.rec.Slug == slug {
			return clone(t, &fr.rec)
		}
	}
	t.Fatalf("%s is not in the seed", slug)
	return catalogue.Record{}
}

// sourced makes r pass: its first source supports every fact that needs a
// source, every source has a title and a dated price.
func sourced(t *testing.T, r *catalogue.Record) {
	t.Helper()
	accessed := "2026-12-01"
	for i := range r.Sources {
		r.Sources[i].Title = "A page about " + r.Model
		r.Sources[i].Accessed = &accessed
		r.Sources[i].Supports = []string{"incidents"}
	}
	var need []string
	for _, v := range seed.Violations(r) {
		if v.Message == seed.NoSupport {
			need = append(need, v.Field)
		}
	}
	r.Sources[0].Supports = need
	if r.Price != nil {
		d := "2026-12-01"
		r.Price.AsOf = &d
	}
	if vs := seed.Violations(r); len(vs) != 0 {
		t.Fatalf("%s still fails after sourcing every fact: %v", r.Slug, vs)
	}
}

// TestSourcingRuleBites: removing the supports entry that backs a known fact
// gives exactly that violation.
func TestSourcingRuleBites(t *testing.T) {
	t.Run("key override of the Nuki Smart Lock Pro 4th gen", func(t *testing.T) {
		r := record(t, "nuki-smart-lock-pro-4th-gen")
		if r.KeyOverride == nil {
			t.Fatal("test needs a record whose key_override is known")
		}
		sourced(t, &r)
		if !slices.Contains(r.Sources[0].Supports, "key_override") {
			t.Fatal("key_override should need a source")
		}
		r.Sources[0].Supports = slices.DeleteFunc(r.Sources[0].Supports, func(s string) bool { return s == "key_override" })
		vs := seed.Violations(&r)
		if len(vs) != 1 || vs[0].Field != "key_override" || vs[0].Value != string(*r.KeyOverride) || vs[0].Message != seed.NoSupport {
			t.Fatalf("want exactly key_override unsupported, got %v", vs)
		}
	})
	// The same on the live data, once a checked record backs a fact with a
	// single source and no rule gives it.
	t.Run("a real supported fact", func(t *testing.T) {
		pending := map[string]bool{}
		for _, s := range pendingSlugs(t) {
			pending[s] = true
		}
		for _, fr := range fileRecords(t) {
			if pending[fr.rec.Slug] || len(seed.Violations(&fr.rec)) > 0 {
				continue
			}
			for _, f := range seed.Facts(&fr.rec) {
				// A fact backed by one source that supports something else too,
				// so removing the entry leaves the source's own checks quiet.
				holder := -1
				for i, s := range fr.rec.Sources {
					if slices.Contains(s.Supports, f.Field) {
						if holder >= 0 {
							holder = -2
							break
						}
						holder = i
					}
				}
				if holder < 0 || len(fr.rec.Sources[holder].Supports) < 2 {
					continue
				}
				r := clone(t, &fr.rec)
				r.Sources[holder].Supports = slices.DeleteFunc(r.Sources[holder].Supports, func(s string) bool { return s == f.Field })
				vs := seed.Violations(&r)
				if len(vs) == 0 {
					continue // a rule gives this value too
				}
				if len(vs) != 1 || vs[0].Field != f.Field || vs[0].Message != seed.NoSupport {
					t.Fatalf("%s without the source for %s: want exactly that violation, got %v", r.Slug, f.Field, vs)
				}
				t.Logf("%s: removing sources[%d].supports %q gives exactly that violation", r.Slug, holder, f.Field)
				return
			}
		}
		t.Skip("no checked record yet backs a fact with exactly one source")
	})
}

// TestRuleGivesOnlyItsValue: each rule excuses its own value where it
// applies, and nothing else: the same field with another value needs a
// source, and without the rule its value needs one too.
func TestRuleGivesOnlyItsValue(t *testing.T) {
	recs := fileRecords(t)
	for _, rule := range seed.Rules {
		t.Run(rule.ID, func(t *testing.T) {
			var base *catalogue.Record
			for i := range recs {
				if rule.Applies(&recs[i].rec) {
					base = &recs[i].rec
					break
				}
			}
			if base == nil {
				t.Fatalf("no seeded record to which %s applies", rule.ID)
			}
			r := clone(t, base)
			sourced(t, &r)
			for i := range r.Sources {
				r.Sources[i].Supports = slices.DeleteFunc(r.Sources[i].Supports, func(s string) bool { return s == rule.Field })
				if len(r.Sources[i].Supports) == 0 {
					r.Sources[i].Supports = []string{"incidents"}
				}
			}
			setRuleField(&r, rule.Field, rule.Value)
			v := rule.Value
			if vs := seed.Violations(&r); len(vs) != 0 {
				t.Fatalf("%s: %s = %s by rule should pass, got %v", r.Slug, rule.Field, v, vs)
			}
			others := slices.DeleteFunc(slices.Clone(seed.Rules), func(x seed.Rule) bool { return x.ID == rule.ID })
			if vs := seed.CheckWith(&r, others); !slices.Equal(fields(vs), []string{rule.Field}) {
				t.Errorf("%s without rule %s: want only %s unsupported, got %v", r.Slug, rule.ID, rule.Field, vs)
			}
			for _, other := range ruleFieldValues(rule.Field) {
				if other == rule.Value {
					continue
				}
				setRuleField(&r, rule.Field, other)
				if !rule.Applies(&r) {
					continue // changing the field changed whether the rule applies
				}
				if vs := seed.Violations(&r); !slices.Equal(fields(vs), []string{rule.Field}) {
					t.Errorf("%s: %s = %s while %s gives %s: want it unsupported, got %v", r.Slug, rule.Field, other, rule.ID, rule.Value, vs)
				}
			}
		})
	}
}

// TestSourceAndPriceChecks: the record-level checks beyond facts.
func TestSourceAndPriceChecks(t *testing.T) {
	r := record(t, "nuki-smart-lock-pro-4th-gen")
	sourced(t, &r)
	host := r
	host.Sources = slices.Clone(r.Sources)
	host.Sources[0] = models.Source{URL: "https://www.example.com/page", Title: "www.example.com", Supports: r.Sources[0].Supports, Accessed: r.Sources[0].Accessed}
	if vs := seed.Violations(&host); !slices.Equal(fields(vs), []string{"sources[0].title"}) {
		t.Errorf("host-name title: %v", vs)
	}
	host.Sources[0].Title = ""
	if vs := seed.Violations(&host); !slices.Equal(fields(vs), []string{"sources[0].title"}) {
		t.Errorf("empty title: %v", vs)
	}
	typo := r
	typo.Sources = slices.Clone(r.Sources)
	typo.Sources[1].Supports = []string{"key override"}
	if vs := seed.Violations(&typo); !slices.Equal(fields(vs), []string{"sources[1].supports"}) {
		t.Errorf("misspelt supports: %v", vs)
	}
	undated := r
	undated.Sources = slices.Clone(r.Sources)
	undated.Sources[1].Accessed = nil
	if vs := seed.Violations(&undated); !slices.Equal(fields(vs), []string{"sources[1].accessed"}) {
		t.Errorf("source without accessed: %v", vs)
	}
	idle := r
	idle.Sources = append(slices.Clone(r.Sources), models.Source{URL: "https://example.org/a", Title: "A page", Supports: []string{}, Accessed: r.Sources[0].Accessed})
	if vs := seed.Violations(&idle); !slices.Equal(fields(vs), []string{"sources[" + strconv.Itoa(len(idle.Sources)-1) + "].supports"}) {
		t.Errorf("source supporting nothing: %v", vs)
	}
	idle.Incidents = append(slices.Clone(r.Incidents), models.Incident{Summary: "x", SourceURL: "https://example.org/a"})
	if vs := seed.Violations(&idle); len(vs) != 0 {
		t.Errorf("a source backing an incident needs no supports: %v", vs)
	}
	priced := r
	priced.Price = &catalogue.Price{Amount: 199, Currency: "EUR"}
	priced.Sources = slices.Clone(r.Sources)
	priced.Sources[0].Supports = append(slices.Clone(r.Sources[0].Supports), "price")
	if vs := seed.Violations(&priced); !slices.Equal(fields(vs), []string{"price.as_of"}) {
		t.Errorf("undated price: %v", vs)
	}
}

func TestBrandSlug(t *testing.T) {
	for brand, want := range map[string]string{"eQ-3": "eq-3", "Google Nest x Yale": "google-nest-x-yale", "LOQED": "loqed", "U-tec": "u-tec", "Bold Smart Lock": "bold-smart-lock", "Burg-Wächter": "burg-waechter"} {
		if got := seed.BrandSlug(brand); got != want {
			t.Errorf("BrandSlug(%q) = %q, want %q", brand, got, want)
		}
	}
	if !seed.FileFitsBrand("yale-uk", "Yale") || seed.FileFitsBrand("yale-xx", "Yale") || seed.FileFitsBrand("nuki", "Yale") {
		t.Error("FileFitsBrand")
	}
}

// ruleFieldValues lists the values a rule's field can take: a §7
// attribute's vocabulary, or one door type for door_types.
func ruleFieldValues(field string) []string {
	if field == "door_types" {
		return models.DoorTypes
	}
	if a := scoring.AttributeByName(field); a != nil {
		return a.Values
	}
	return nil
}

// setRuleField sets a rule's field on r to value.
func setRuleField(r *catalogue.Record, field, value string) {
	if field == "door_types" {
		r.DoorTypes = []string{value}
		return
	}
	v := value
	scoring.AttributeByName(field).Set(&r.Lock, &v)
}
