package quality_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/quality"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/seed"
)

// seedRecords returns deep copies of the embedded catalogue, so a test may change them.
func seedRecords(t *testing.T) []*catalogue.Record {
	t.Helper()
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*catalogue.Record, len(recs))
	for i := range recs {
		b, err := json.Marshal(recs[i])
		if err != nil {
			t.Fatal(err)
		}
		r, err := catalogue.DecodeRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = &r
	}
	return out
}

func find(t *testing.T, recs []*catalogue.Record, slug string) *catalogue.Record {
	t.Helper()
	for _, r := range recs {
		if r.Slug == slug {
			return r
		}
	}
	t.Fatalf("%s not in the seed", slug)
	return nil
}

func share(rep quality.Report, field string) quality.Share {
	for _, s := range append(append([]quality.Share{}, rep.Attributes...), rep.Fields...) {
		if s.Field == field {
			return s
		}
	}
	return quality.Share{Field: "missing " + field}
}

func target(rep quality.Report, id string) quality.Target {
	for _, t := range rep.Targets {
		if t.ID == id {
			return t
		}
	}
	return quality.Target{ID: "missing " + id}
}

// TestReportCountsTheSeed checks the report against counts made directly
// from the embedded records.
func TestReportCountsTheSeed(t *testing.T) {
	recs := seedRecords(t)
	rep := quality.Compute(recs, scoring.Default)
	if rep.Models != len(recs) || rep.MethodologyVersion != scoring.Default.Methodology().Version {
		t.Fatalf("models %d (want %d), methodology %s", rep.Models, len(recs), rep.MethodologyVersion)
	}
	if len(rep.Attributes) != len(scoring.Attributes) || len(rep.Fields) != 6 {
		t.Fatalf("%d attributes, %d fields", len(rep.Attributes), len(rep.Fields))
	}
	var keyKnown, sources, supported, provisional, ukProvisional int
	ukDoor := scoring.DoorUKMultipoint
	for _, r := range recs {
		if r.KeyOverride != nil {
			keyKnown++
		}
		for _, s := range r.Sources {
			sources++
			if len(s.Supports) > 0 {
				supported++
			}
		}
		if s, _ := scoring.Default.Summarise(&r.Lock, &scoring.Context{}); s.Provisional {
			provisional++
		}
		if s, _ := scoring.Default.Summarise(&r.Lock, &scoring.Context{DoorType: &ukDoor}); s.Provisional {
			ukProvisional++
		}
	}
	if s := share(rep, "key_override"); s.Known != keyKnown {
		t.Errorf("key_override known %d, counted %d", s.Known, keyKnown)
	}
	if rep.Sources.Total != sources || rep.Sources.WithSupports != supported {
		t.Errorf("sources %+v, counted %d with %d supported", rep.Sources, sources, supported)
	}
	if rep.Provisional.NoContext != provisional || rep.Provisional.UKMultipoint != ukProvisional {
		t.Errorf("provisional %+v, counted %d and %d", rep.Provisional, provisional, ukProvisional)
	}
	bands := 0
	for _, n := range rep.Bands.NoContext {
		bands += n
	}
	if bands != len(recs) {
		t.Errorf("bands count %d locks, want %d", bands, len(recs))
	}
	least := rep.Completeness.Least
	if len(least) != 5 || rep.Completeness.Min != least[0].Completeness {
		t.Fatalf("least %v, min %v", least, rep.Completeness.Min)
	}
	for i := 1; i < len(least); i++ {
		if least[i].Completeness < least[i-1].Completeness {
			t.Errorf("least complete not in order: %v", least)
		}
	}
	for _, r := range recs {
		if c := quality.LockCompletenessOf(r); c < rep.Completeness.Min {
			t.Errorf("%s has completeness %v below the minimum %v", r.Slug, c, rep.Completeness.Min)
		}
	}
	if rep.Completeness.Mean < rep.Completeness.Min || rep.Completeness.Mean > 1 {
		t.Errorf("mean %v", rep.Completeness.Mean)
	}
	if got := target(rep, "models"); got.Value != float64(len(recs)) || got.Met != (len(recs) >= 120) {
		t.Errorf("models target %+v", got)
	}
}

// TestCylinderRatingCountsForRetrofitsOnTheDoorsCylinder: a retrofit whose
// key is the door's euro cylinder counts override_cylinder_rating as known;
// a deadbolt does not.
func TestCylinderRatingCountsForRetrofitsOnTheDoorsCylinder(t *testing.T) {
	recs := seedRecords(t)
	nuki := find(t, recs, "nuki-smart-lock-pro-4th-gen")
	yes := true
	nuki.KeyOverrideNeedsEmergencyCylinder, nuki.OverrideCylinderRating = &yes, nil
	if got, plain := quality.LockCompletenessOf(nuki), scoring.DataCompleteness(&nuki.Lock); got <= plain {
		t.Errorf("Nuki retrofit: completeness %v, want more than the engine's %v", got, plain)
	}
	no := false
	nuki.KeyOverrideNeedsEmergencyCylinder = &no
	if got, plain := quality.LockCompletenessOf(nuki), scoring.DataCompleteness(&nuki.Lock); got != plain {
		t.Errorf("Nuki retrofit without the cylinder dependency: %v, want %v", got, plain)
	}
	schlage := find(t, recs, "schlage-encode")
	schlage.KeyOverrideNeedsEmergencyCylinder, schlage.OverrideCylinderRating = &yes, nil
	if got, plain := quality.LockCompletenessOf(schlage), scoring.DataCompleteness(&schlage.Lock); got != plain {
		t.Errorf("deadbolt: %v, want the engine's %v", got, plain)
	}
	rep := quality.Compute([]*catalogue.Record{nuki, schlage}, scoring.Default)
	if s := share(rep, "override_cylinder_rating"); s.Known != 0 || s.Note != "" {
		t.Errorf("no lock needs it by rule now: %+v", s)
	}
	nuki.KeyOverrideNeedsEmergencyCylinder = &yes
	rep = quality.Compute([]*catalogue.Record{nuki, schlage}, scoring.Default)
	if s := share(rep, "override_cylinder_rating"); s.Known != 0 || !strings.HasPrefix(s.Note, "1 more") {
		t.Errorf("the share stays the raw known share, with a note: %+v", s)
	}
}

// TestTargetThresholds: a target is met at its threshold exactly and not
// one lock below it.
func TestTargetThresholds(t *testing.T) {
	recs := seedRecords(t)[:20]
	power := scoring.PowerUSBC
	egress := scoring.EgressMechanical
	for _, r := range recs {
		r.EmergencyPower, r.InteriorEgress = &power, &egress
	}
	rep := quality.Compute(recs, scoring.Default)
	if !target(rep, "emergency_power").Met || !target(rep, "interior_egress").Met {
		t.Fatalf("all known: %+v", rep.Targets)
	}
	recs[0].EmergencyPower, recs[1].EmergencyPower = nil, nil // 18 of 20 = 90%
	recs[0].InteriorEgress = nil                              // 19 of 20 = 95%
	rep = quality.Compute(recs, scoring.Default)
	if got := target(rep, "emergency_power"); !got.Met || got.Value != 0.9 {
		t.Errorf("90%% exactly: %+v", got)
	}
	if got := target(rep, "interior_egress"); !got.Met || got.Value != 0.95 {
		t.Errorf("95%% exactly: %+v", got)
	}
	recs[2].EmergencyPower, recs[1].InteriorEgress = nil, nil
	rep = quality.Compute(recs, scoring.Default)
	if target(rep, "emergency_power").Met || target(rep, "interior_egress").Met {
		t.Errorf("one lock below: %+v", rep.Targets)
	}
	if target(rep, "key_override").Met != (share(rep, "key_override").Known == 20) {
		t.Errorf("key_override target: %+v", target(rep, "key_override"))
	}
	if target(rep, "models").Met {
		t.Error("20 models meet the 120 target")
	}
}

// TestFieldsKnown: door_types of only "other" and an undated price are not known.
func TestFieldsKnown(t *testing.T) {
	recs := seedRecords(t)
	a, b := find(t, recs, "nuki-smart-lock-2"), find(t, recs, "schlage-encode")
	a.DoorTypes = []string{"other"}
	b.DoorTypes = []string{"us_deadbolt", "other"}
	a.Price = &catalogue.Price{Amount: 100, Currency: "EUR"}
	d := "2026-12-01"
	b.Price = &catalogue.Price{Amount: 100, Currency: "USD", AsOf: &d}
	url := "https://www.schlage.com/"
	a.ProductURL, b.ProductURL = nil, &url
	rep := quality.Compute([]*catalogue.Record{a, b}, scoring.Default)
	for field, want := range map[string]int{"door_types": 1, "price": 1, "product_url": 1} {
		if s := share(rep, field); s.Known != want || s.Share != 0.5 {
			t.Errorf("%s: %+v, want %d known", field, s, want)
		}
	}
	if s := share(rep, "door_types"); !strings.Contains(s.Note, "1 say only") {
		t.Errorf("door_types note: %q", s.Note)
	}
	if target(rep, "door_types").Met {
		t.Error("door_types target met with an \"other\"-only lock")
	}
}

func TestWriteText(t *testing.T) {
	rep := quality.Compute(seedRecords(t), scoring.Default)
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"models (methodology", "key_override", "release_year", "completeness per lock: mean",
		"least complete:", "provisional:", "door_type=uk_multipoint", "sources:", "targets (issue 11)", "at least 120 models"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "met ") < len(rep.Targets) {
		t.Errorf("every target says met or not met:\n%s", out)
	}
}

func TestEmptyCatalogue(t *testing.T) {
	rep := quality.Compute(nil, scoring.Default)
	if rep.Models != 0 || rep.Completeness.Mean != 0 || len(rep.Completeness.Least) != 0 {
		t.Errorf("%+v", rep)
	}
	for _, tg := range rep.Targets {
		if tg.Met {
			t.Errorf("%s met on an empty catalogue", tg.ID)
		}
	}
}
