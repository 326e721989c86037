// Package quality measures how much of the catalogue is known: the known
// share of each fact, completeness per lock, provisional assessments,
// sourced sources, and issue 11's targets. It is pure: records and an engine
// in, a report out; the CLI and the API only fetch the records and print.
package quality

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

// Report is the data-quality report of a catalogue.
type Report struct {
	Models             int    `json:"models" example:"62"`
	MethodologyVersion string `json:"methodology_version" example:"1"`
	// Attributes is the known share of each scoring attribute, in the methodology's order.
	Attributes []Share `json:"attributes"`
	// Fields is the known share of the catalogue fields door_types, markets,
	// status, release_year, product_url and price.
	Fields       []Share      `json:"fields"`
	Completeness Completeness `json:"completeness"`
	Provisional  Provisional  `json:"provisional"`
	// Bands counts the locks in each band, with no context and on a UK multipoint door.
	Bands   Bands   `json:"bands"`
	Sources Sources `json:"sources"`
	// Targets are issue 11's targets, met or not.
	Targets []Target `json:"targets"`
}

// Share is how many locks know one fact.
type Share struct {
	Field string `json:"field" example:"key_override"`
	Known int    `json:"known" example:"53"`
	// Share is Known / models, rounded to three decimals.
	Share float64 `json:"share" example:"0.855"`
	// Note says what counts as known when it is not simply "not null".
	Note string `json:"note,omitempty" example:""`
}

// Completeness is the share of the 22 scoring attributes known per lock.
type Completeness struct {
	// Mean is rounded to three decimals, Min and Least to two.
	Mean float64 `json:"mean" example:"0.307"`
	Min  float64 `json:"min" example:"0.09"`
	// Least are the five least complete locks, least first.
	Least []LockCompleteness `json:"least"`
	// Rule says how a retrofit on the door's own cylinder is counted.
	Rule string `json:"rule" example:"known share of the 22 scoring attributes (all but known_defect); a retrofit whose key is the door's own cylinder counts override_cylinder_rating as known"`
}

// LockCompleteness is one lock's completeness.
type LockCompleteness struct {
	Slug         string  `json:"slug" example:"brisant-ultion-smart"`
	Completeness float64 `json:"completeness" example:"0.09"`
}

// Provisional counts the locks whose score and upper bound differ in label
// or gates, so that a missing fact could change their verdict.
type Provisional struct {
	NoContext    int `json:"no_context" example:"25"`
	UKMultipoint int `json:"uk_multipoint" example:"62"`
}

// Bands counts locks per band (A to E) in two contexts.
type Bands struct {
	NoContext    map[string]int `json:"no_context" example:"A:0,B:36,C:3,D:1,E:22"`
	UKMultipoint map[string]int `json:"uk_multipoint" example:"A:0,B:0,C:39,D:1,E:22"`
}

// Sources counts the sources and those whose supports names something.
type Sources struct {
	Total        int     `json:"total" example:"348"`
	WithSupports int     `json:"with_supports" example:"68"`
	Share        float64 `json:"share" example:"0.195"`
}

// Target is one of issue 11's targets.
type Target struct {
	ID   string `json:"id" enums:"models,mean_completeness,key_override,interior_egress,emergency_power,door_types,sources_with_supports" example:"models"`
	Goal string `json:"goal" example:"at least 120 models"`
	// Value is the measured value: a count for models, otherwise a share.
	Value float64 `json:"value" example:"62"`
	Met   bool    `json:"met" example:"false"`
}

// completenessRule is how the report reads a lock's completeness.
const completenessRule = "known share of the 22 scoring attributes (all but known_defect); a retrofit whose key is the door's own cylinder (form_factor retrofit, key_override_needs_emergency_cylinder true) counts override_cylinder_rating as known, because methodology v2 does not read it"

// cylinderNotNeeded reports whether override_cylinder_rating is the door's
// business, not the lock's: a retrofit whose key is the door's euro cylinder.
func cylinderNotNeeded(r *catalogue.Record) bool {
	return r.FormFactor == "retrofit" && r.KeyOverrideNeedsEmergencyCylinder != nil && *r.KeyOverrideNeedsEmergencyCylinder
}

// knownAttributes counts r's known scoring attributes and how many count.
func knownAttributes(r *catalogue.Record) (known, total int) {
	for i := range scoring.Attributes {
		a := &scoring.Attributes[i]
		if !a.Completeness {
			continue
		}
		total++
		if _, ok := a.Get(&r.Lock); ok || (a.Name == "override_cylinder_rating" && cylinderNotNeeded(r)) {
			known++
		}
	}
	return known, total
}

// LockCompletenessOf is r's completeness under the report's rule, rounded to two decimals.
func LockCompletenessOf(r *catalogue.Record) float64 {
	k, n := knownAttributes(r)
	return round(float64(k)/float64(n), 100)
}

// doorTypesKnown: a list that says only "other" does not let fit be judged.
func doorTypesKnown(r *catalogue.Record) bool {
	for _, d := range r.DoorTypes {
		if d != string(scoring.DoorOther) {
			return true
		}
	}
	return false
}

func priceKnown(r *catalogue.Record) bool {
	return r.Price != nil && r.Price.Currency != "" && r.Price.AsOf != nil && *r.Price.AsOf != ""
}

// fieldChecks are the catalogue fields the report measures, in order.
var fieldChecks = []struct {
	name, note string
	known      func(*catalogue.Record) bool
}{
	{"door_types", "known when it names a door type other than \"other\"", doorTypesKnown},
	{"markets", "", func(r *catalogue.Record) bool { return len(r.Markets) > 0 }},
	{"status", "known when not \"unknown\"", func(r *catalogue.Record) bool { return r.Status != "" && r.Status != "unknown" }},
	{"release_year", "", func(r *catalogue.Record) bool { return r.ReleaseYear != nil }},
	{"product_url", "", func(r *catalogue.Record) bool { return r.ProductURL != nil && *r.ProductURL != "" }},
	{"price", "known when it has currency and as_of", priceKnown},
}

// Compute measures recs, assessing each with eng (the catalogue's engine, so
// provisional counts follow the methodology in force).
func Compute(recs []*catalogue.Record, eng *scoring.Engine) Report {
	n := len(recs)
	rep := Report{Models: n, MethodologyVersion: eng.Methodology().Version,
		Bands: Bands{NoContext: map[string]int{}, UKMultipoint: map[string]int{}}}
	for _, b := range []string{"A", "B", "C", "D", "E"} {
		rep.Bands.NoContext[b], rep.Bands.UKMultipoint[b] = 0, 0
	}

	attrKnown := make([]int, len(scoring.Attributes))
	cylinderByRule := 0
	fieldKnown := make([]int, len(fieldChecks))
	undatedPrices, otherOnly := 0, 0
	sumKnown, sumTotal := 0, 0
	locks := make([]LockCompleteness, 0, n)
	noCtx := scoring.Context{}
	ukDoor := scoring.DoorUKMultipoint
	uk := scoring.Context{DoorType: &ukDoor}

	for _, r := range recs {
		for i := range scoring.Attributes {
			if _, ok := scoring.Attributes[i].Get(&r.Lock); ok {
				attrKnown[i]++
			} else if scoring.Attributes[i].Name == "override_cylinder_rating" && cylinderNotNeeded(r) {
				cylinderByRule++
			}
		}
		for i, f := range fieldChecks {
			if f.known(r) {
				fieldKnown[i]++
			}
		}
		if r.Price != nil && !priceKnown(r) {
			undatedPrices++
		}
		if len(r.DoorTypes) > 0 && !doorTypesKnown(r) {
			otherOnly++
		}
		k, t := knownAttributes(r)
		sumKnown += k
		sumTotal += t
		locks = append(locks, LockCompleteness{r.Slug, round(float64(k)/float64(t), 100)})

		s, _ := eng.Summarise(&r.Lock, &noCtx)
		rep.Bands.NoContext[s.Band]++
		if s.Provisional {
			rep.Provisional.NoContext++
		}
		s, _ = eng.Summarise(&r.Lock, &uk)
		rep.Bands.UKMultipoint[s.Band]++
		if s.Provisional {
			rep.Provisional.UKMultipoint++
		}

		for _, src := range r.Sources {
			rep.Sources.Total++
			if len(src.Supports) > 0 {
				rep.Sources.WithSupports++
			}
		}
	}

	for i := range scoring.Attributes {
		a := &scoring.Attributes[i]
		sh := Share{Field: a.Name, Known: attrKnown[i], Share: ratio(attrKnown[i], n)}
		switch {
		case a.Name == "override_cylinder_rating" && cylinderByRule > 0:
			sh.Note = fmt.Sprintf("%d more retrofits on the door's own cylinder count it as known for completeness", cylinderByRule)
		case !a.Completeness:
			sh.Note = "null means none known; not counted in completeness"
		}
		rep.Attributes = append(rep.Attributes, sh)
	}
	for i, f := range fieldChecks {
		sh := Share{Field: f.name, Known: fieldKnown[i], Share: ratio(fieldKnown[i], n), Note: f.note}
		switch {
		case f.name == "door_types" && otherOnly > 0:
			sh.Note += fmt.Sprintf("; %d say only \"other\"", otherOnly)
		case f.name == "price" && undatedPrices > 0:
			sh.Note += fmt.Sprintf("; %d more lack currency or as_of", undatedPrices)
		}
		rep.Fields = append(rep.Fields, sh)
	}

	// Least complete first; ties by slug so the report is stable.
	sort.Slice(locks, func(i, j int) bool {
		if locks[i].Completeness != locks[j].Completeness {
			return locks[i].Completeness < locks[j].Completeness
		}
		return locks[i].Slug < locks[j].Slug
	})
	rep.Completeness = Completeness{Least: locks[:min(5, len(locks))], Rule: completenessRule}
	if n > 0 {
		rep.Completeness.Mean = ratio(sumKnown, sumTotal)
		rep.Completeness.Min = locks[0].Completeness
	}
	rep.Sources.Share = ratio(rep.Sources.WithSupports, rep.Sources.Total)

	// Targets compare whole numbers (known × 100 ≥ percent × total), so a
	// share just under a threshold never rounds up to meeting it.
	atLeast := func(known, total, percent int) bool { return total > 0 && known*100 >= percent*total }
	ko, eg, ep := attrKnown[attrIndex("key_override")], attrKnown[attrIndex("interior_egress")], attrKnown[attrIndex("emergency_power")]
	rep.Targets = []Target{
		{"models", "at least 120 models", float64(n), n >= 120},
		{"mean_completeness", "mean completeness at least 0.70", rep.Completeness.Mean, atLeast(sumKnown, sumTotal, 70)},
		{"key_override", "key_override known for every model", ratio(ko, n), n > 0 && ko == n},
		{"interior_egress", "interior_egress known for at least 95%", ratio(eg, n), atLeast(eg, n, 95)},
		{"emergency_power", "emergency_power known for at least 90%", ratio(ep, n), atLeast(ep, n, 90)},
		{"door_types", "door_types known for every model", ratio(fieldKnown[0], n), n > 0 && fieldKnown[0] == n},
		{"sources_with_supports", "at least 90% of sources name what they support", rep.Sources.Share, atLeast(rep.Sources.WithSupports, rep.Sources.Total, 90)},
	}
	return rep
}

func attrIndex(name string) int {
	for i := range scoring.Attributes {
		if scoring.Attributes[i].Name == name {
			return i
		}
	}
	panic("quality: no attribute " + name)
}

func ratio(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return round(float64(k)/float64(n), 1000)
}

func round(x, by float64) float64 { return math.Round(x*by) / by }

// WriteText writes the report for a person to read.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "catalogue report: %d models (methodology %s)\n\n", r.Models, r.MethodologyVersion)
	b.WriteString("known share of each attribute\n")
	for _, s := range append(append([]Share{}, r.Attributes...), r.Fields...) {
		fmt.Fprintf(&b, "  %-38s %4d  %5.1f%%", s.Field, s.Known, 100*s.Share)
		if s.Note != "" {
			b.WriteString("  (" + s.Note + ")")
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\ncompleteness per lock: mean %.3f, minimum %.2f\n", r.Completeness.Mean, r.Completeness.Min)
	b.WriteString("  least complete:")
	for _, l := range r.Completeness.Least {
		fmt.Fprintf(&b, " %s %.2f;", l.Slug, l.Completeness)
	}
	b.WriteString("\n  (" + r.Completeness.Rule + ")\n")
	fmt.Fprintf(&b, "\nprovisional: %d of %d with no context, %d on a UK multipoint door (door_type=uk_multipoint)\n", r.Provisional.NoContext, r.Models, r.Provisional.UKMultipoint)
	b.WriteString("bands            A   B   C   D   E\n")
	for _, row := range []struct {
		name string
		m    map[string]int
	}{{"no context", r.Bands.NoContext}, {"uk_multipoint", r.Bands.UKMultipoint}} {
		fmt.Fprintf(&b, "  %-13s", row.name)
		for _, band := range []string{"A", "B", "C", "D", "E"} {
			fmt.Fprintf(&b, " %3d", row.m[band])
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\nsources: %d of %d name what they support (%.1f%%)\n", r.Sources.WithSupports, r.Sources.Total, 100*r.Sources.Share)
	b.WriteString("\ntargets (issue 11)\n")
	for _, t := range r.Targets {
		met := "not met"
		if t.Met {
			met = "met"
		}
		value := fmt.Sprintf("%.1f%%", 100*t.Value)
		if t.ID == "models" {
			value = fmt.Sprintf("%d", int(t.Value))
		} else if t.ID == "mean_completeness" {
			value = fmt.Sprintf("%.3f", t.Value)
		}
		fmt.Fprintf(&b, "  %-8s %-50s %s\n", met, t.Goal, value)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ComputeSnapshot measures the live locks of a catalogue snapshot; their
// sources come from the database (Snapshot.Records).
func ComputeSnapshot(ctx context.Context, s *catalogue.Snapshot, eng *scoring.Engine) (Report, error) {
	full, err := s.Records(ctx, s.Entries)
	if err != nil {
		return Report{}, err
	}
	recs := make([]*catalogue.Record, len(full))
	for i := range full {
		recs[i] = &full[i].Record
	}
	return Compute(recs, eng), nil
}
