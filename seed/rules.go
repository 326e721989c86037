package seed

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

// The catalogue's sourcing rule (issue 11, /work/SOURCING.md, seed/README.md):
// every recorded fact is backed by a source whose `supports` names the field,
// or by a by-construction rule below that applies to the record and gives
// exactly the recorded value. Anything else is a violation.

// Rule is a by-construction fact: when Applies holds for a record, Field has
// Value without a source, for the Reason given. seed/README.md explains each
// rule under the same ID.
type Rule struct {
	ID      string
	Field   string
	Value   string
	Reason  string
	Applies func(r *catalogue.Record) bool
}

// Rules are the by-construction rules. Adding one is a methodology decision:
// write its reasoning in seed/README.md under the same id (a test checks).
var Rules = []Rule{
	{
		ID: "deadbolt-thumbturn", Field: "interior_egress", Value: "mechanical",
		Reason:  "a smart deadbolt's inside is a thumb-turn",
		Applies: func(r *catalogue.Record) bool { return r.FormFactor == "deadbolt" },
	},
	{
		ID: "retrofit-thumbturn", Field: "interior_egress", Value: "mechanical",
		Reason:  "a retrofit turns the existing thumb-turn or key, which still turns by hand",
		Applies: func(r *catalogue.Record) bool { return r.FormFactor == "retrofit" },
	},
	{
		ID: "motor-driven", Field: "motorised", Value: "true",
		Reason: "a smart deadbolt, a retrofit and a motorised euro cylinder drive the bolt with a motor",
		Applies: func(r *catalogue.Record) bool {
			return r.FormFactor == "deadbolt" || r.FormFactor == "retrofit" || r.FormFactor == "euro_cylinder_motorised"
		},
	},
	{
		ID: "deadbolt-us-prep", Field: "door_types", Value: "us_deadbolt",
		Reason:  "form_factor deadbolt is, in this catalogue's vocabulary, a complete deadbolt for the US (ANSI/BHMA 2-1/8 inch cross-bore) door preparation",
		Applies: func(r *catalogue.Record) bool { return r.FormFactor == "deadbolt" },
	},
	{
		ID: "keyless-no-cylinder", Field: "key_override_needs_emergency_cylinder", Value: "false",
		Reason:  "a lock with no key override has no key that could need an emergency-function cylinder",
		Applies: func(r *catalogue.Record) bool { return keyOverride(r) == string(scoring.KeyNone) },
	},
	{
		ID: "us-deadbolt-key", Field: "key_override_needs_emergency_cylinder", Value: "false",
		Reason: "a US deadbolt's key works whatever is fitted inside",
		Applies: func(r *catalogue.Record) bool {
			k := keyOverride(r)
			if k == "" || k == string(scoring.KeyNone) {
				return false
			}
			return r.FormFactor == "deadbolt" ||
				(r.FormFactor == "retrofit" && len(r.DoorTypes) == 1 && r.DoorTypes[0] == string(scoring.DoorUSDeadbolt))
		},
	},
	{
		ID: "euro-retrofit-key", Field: "key_override_needs_emergency_cylinder", Value: "true",
		Reason: "the retrofit's key is left in the inside of the euro cylinder, so the outside key works only with an emergency-function cylinder",
		Applies: func(r *catalogue.Record) bool {
			if r.FormFactor != "retrofit" || keyOverride(r) != string(scoring.KeyIndependent) || slices.Contains(r.DoorTypes, string(scoring.DoorUSDeadbolt)) {
				return false
			}
			return slices.ContainsFunc(r.DoorTypes, func(d string) bool {
				return d == string(scoring.DoorUKMultipoint) || d == string(scoring.DoorUKTimber) || d == string(scoring.DoorEuroCylinder)
			})
		},
	},
}

func keyOverride(r *catalogue.Record) string {
	if r.KeyOverride == nil {
		return ""
	}
	return string(*r.KeyOverride)
}

// Fact is one recorded fact of a record: a field and its value as text.
type Fact struct {
	Field string
	Value string
}

// Facts lists the record's recorded facts in a fixed order: every known §7
// attribute (known_defect only when true: its null means "none known"),
// then door_types and markets when not empty, status when not unknown,
// release_year, price and product_url when set.
func Facts(r *catalogue.Record) []Fact {
	var out []Fact
	for i := range scoring.Attributes {
		a := &scoring.Attributes[i]
		v, ok := a.Get(&r.Lock)
		if !ok || (a.Name == "known_defect" && v != "true") {
			continue
		}
		out = append(out, Fact{a.Name, v})
	}
	if len(r.DoorTypes) > 0 {
		out = append(out, Fact{"door_types", strings.Join(r.DoorTypes, ",")})
	}
	if len(r.Markets) > 0 {
		out = append(out, Fact{"markets", strings.Join(r.Markets, ",")})
	}
	if r.Status != "" && r.Status != "unknown" {
		out = append(out, Fact{"status", r.Status})
	}
	if r.ReleaseYear != nil {
		out = append(out, Fact{"release_year", strconv.Itoa(*r.ReleaseYear)})
	}
	if r.Price != nil {
		out = append(out, Fact{"price", strconv.FormatFloat(r.Price.Amount, 'f', -1, 64) + " " + r.Price.Currency})
	}
	if r.ProductURL != nil {
		out = append(out, Fact{"product_url", *r.ProductURL})
	}
	return out
}

// supportable are the names a source's supports may hold: the fact fields,
// plus incidents and failure_behaviour.
var supportable = func() map[string]bool {
	m := map[string]bool{"incidents": true, "failure_behaviour": true,
		"door_types": true, "markets": true, "status": true, "release_year": true, "price": true, "product_url": true}
	for _, n := range scoring.AttributeNames() {
		m[n] = true
	}
	return m
}()

// Violation is one breach of the sourcing rule in a record.
type Violation struct {
	Slug    string
	Field   string
	Value   string
	Message string
}

func (v Violation) String() string {
	if v.Value == "" {
		return fmt.Sprintf("%s: %s: %s", v.Slug, v.Field, v.Message)
	}
	return fmt.Sprintf("%s: %s = %s: %s", v.Slug, v.Field, v.Value, v.Message)
}

// NoSupport is the message of a fact that nothing backs.
const NoSupport = "no source supports it and no rule gives it"

// Violations lists every breach of the sourcing rule in r under Rules.
func Violations(r *catalogue.Record) []Violation { return CheckWith(r, Rules) }

// CheckWith lists every breach of the sourcing rule in r under the given
// rules: each recorded fact that no source supports and no applying rule
// gives with that value; a price without currency or as_of; a source
// without a real title or an accessed date, or supporting nothing (unless it
// backs an incident); a supports entry that names no field.
func CheckWith(r *catalogue.Record, rules []Rule) []Violation {
	var out []Violation
	add := func(field, value, msg string) {
		out = append(out, Violation{Slug: r.Slug, Field: field, Value: value, Message: msg})
	}
	supported := map[string]bool{}
	incidentURLs := map[string]bool{}
	for _, in := range r.Incidents {
		incidentURLs[in.SourceURL] = true
	}
	for i, s := range r.Sources {
		field := fmt.Sprintf("sources[%d]", i)
		for _, name := range s.Supports {
			if !supportable[name] {
				add(field+".supports", name, "names no recorded field (use the exact JSON field name)")
			}
			supported[name] = true
		}
		title := strings.TrimSpace(s.Title)
		switch {
		case title == "":
			add(field+".title", "", "is empty (give the page's title)")
		case titleIsHost(title, s.URL):
			add(field+".title", title, "is the host name, not the page's title")
		}
		if s.Accessed == nil || *s.Accessed == "" {
			add(field+".accessed", "", "is missing (the date the page was checked)")
		}
		if len(s.Supports) == 0 && !incidentURLs[s.URL] {
			add(field+".supports", "", "is empty and the source backs no incident (name what it supports, or drop it)")
		}
	}
	for _, f := range Facts(r) {
		if supported[f.Field] || ruleGives(rules, r, f) {
			continue
		}
		add(f.Field, f.Value, NoSupport)
	}
	if r.Price != nil {
		if r.Price.Currency == "" {
			add("price.currency", "", "is missing")
		}
		if r.Price.AsOf == nil || *r.Price.AsOf == "" {
			add("price.as_of", "", "is missing (the date the price was seen)")
		}
	}
	return out
}

func ruleGives(rules []Rule, r *catalogue.Record, f Fact) bool {
	for i := range rules {
		if rules[i].Field == f.Field && rules[i].Value == f.Value && rules[i].Applies(r) {
			return true
		}
	}
	return false
}

// titleIsHost reports whether a source title is just its URL's host, as the
// first transcription wrote them.
func titleIsHost(title, rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return false
	}
	t := strings.ToLower(strings.TrimSuffix(title, "/"))
	h := strings.ToLower(u.Hostname())
	return t == h || t == strings.TrimPrefix(h, "www.")
}

// germanLetters spells the letters brand names carry (Burg-Wächter) as a
// German keyboard without them would.
var germanLetters = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e")

// BrandSlug is the slug of a brand name, which is its catalogue file's name.
func BrandSlug(brand string) string {
	var b strings.Builder
	dash := false
	for _, c := range germanLetters.Replace(strings.ToLower(brand)) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// marketSuffixes are the file-name suffixes that split one brand's models by
// market (yale-uk.json, yale-us.json).
var marketSuffixes = []string{"uk", "eu", "us"}

// FileFitsBrand reports whether a brand file's base name (without .json) may
// hold brand's records: the brand's slug, or the slug and a market suffix.
func FileFitsBrand(base, brand string) bool {
	bs := BrandSlug(brand)
	if base == bs {
		return true
	}
	suffix, ok := strings.CutPrefix(base, bs+"-")
	return ok && slices.Contains(marketSuffixes, suffix)
}
