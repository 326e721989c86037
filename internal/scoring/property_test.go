package scoring

import (
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestMain raises rapid's default to 1,000 cases per property unless the
// command line asks for another number with -rapid.checks.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "rapid.checks" {
			set = true
		}
	})
	if !set {
		_ = flag.Set("rapid.checks", "1000")
	}
	os.Exit(m.Run())
}

// invariantErr checks the breakdown invariants of methodology §8 and the
// bounds of §9.13 on one assessment.
func invariantErr(a Assessment) error {
	in01 := func(x float64) bool { return x >= 0 && x <= 1 }
	if a.Score < 0 || a.ScoreUpper > 100 || a.Score > a.ScoreUpper {
		return fmt.Errorf("scores out of order or range: %v..%v", a.Score, a.ScoreUpper)
	}
	if a.Score > a.ScoreUncapped {
		return fmt.Errorf("capped score %v above uncapped %v", a.Score, a.ScoreUncapped)
	}
	if len(a.Gates) == 0 && a.Score != a.ScoreUncapped {
		return fmt.Errorf("no gate fired but score %v != uncapped %v", a.Score, a.ScoreUncapped)
	}
	if b := bandNames[Default.bandOf(a.Score)]; b != a.Band {
		return fmt.Errorf("band %s does not match score %v (%s)", a.Band, a.Score, b)
	}
	if !in01(a.DataCompleteness) || !in01(a.Components.Coverage.Value) || !in01(a.Components.Detection.Value) || !in01(a.Components.Evidence.Value) {
		return fmt.Errorf("a component or completeness out of [0,1]: %+v %v", a.Components, a.DataCompleteness)
	}
	if len(a.Scenarios) != 8 {
		return fmt.Errorf("%d scenarios", len(a.Scenarios))
	}
	wsum, psum := 0.0, 0.0
	for _, s := range a.Scenarios {
		if !in01(s.Quality) || s.Weight < 0 || s.Why == "" {
			return fmt.Errorf("scenario %s out of range or unexplained: %+v", s.ID, s)
		}
		if (s.BestPath == "") != (s.Quality == 0) {
			return fmt.Errorf("scenario %s: best path %v with quality %v", s.ID, s.BestPath, s.Quality)
		}
		wsum += s.Weight
		psum += s.Points
	}
	if math.Abs(wsum-100) > 0.05 {
		return fmt.Errorf("weights sum to %v", wsum)
	}
	if math.Abs(psum-a.Components.Coverage.Points) > 0.1 {
		return fmt.Errorf("scenario points %v != coverage points %v", psum, a.Components.Coverage.Points)
	}
	c := a.Components
	if math.Abs(c.Coverage.Points+c.Detection.Points+c.Evidence.Points-a.ScoreUncapped) > 0.1 {
		return fmt.Errorf("component points %v+%v+%v != uncapped %v", c.Coverage.Points, c.Detection.Points, c.Evidence.Points, a.ScoreUncapped)
	}
	for _, g := range a.Gates {
		if g.Reason == "" || g.Source == "" || g.CapBand == "" {
			return fmt.Errorf("gate %s has no reason, source or cap", g.ID)
		}
		if bandIndex(a.Band) < bandIndex(g.CapBand) {
			return fmt.Errorf("band %s above gate %s cap %s", a.Band, g.ID, g.CapBand)
		}
	}
	if a.MethodologyVersion != Default.Methodology().Version {
		return fmt.Errorf("methodology version %q", a.MethodologyVersion)
	}
	return nil
}

// genLock draws a lock whose attributes are each unknown with some chance
// (never when known is true).
func genLock(t *rapid.T, known bool) Lock {
	var l Lock
	for i := range Attributes {
		a := &Attributes[i]
		if !known && rapid.IntRange(0, 3).Draw(t, a.Name+"?") == 0 {
			continue
		}
		v := rapid.SampledFrom(a.Values).Draw(t, a.Name)
		a.set(&l, &v)
	}
	return l
}

func genBoolPtr(t *rapid.T, name string) *bool {
	switch rapid.IntRange(0, 2).Draw(t, name) {
	case 0:
		return nil
	case 1:
		return Ptr(false)
	}
	return Ptr(true)
}

func genContext(t *rapid.T) Context {
	var c Context
	if rapid.Bool().Draw(t, "door?") {
		c.DoorType = Ptr(DoorType(rapid.SampledFrom(DoorTypes).Draw(t, "door_type")))
	}
	if rapid.Bool().Draw(t, "cylinder?") {
		c.CylinderRating = Ptr(CylinderRating(rapid.SampledFrom(CylinderRatings).Draw(t, "cylinder_rating")))
	}
	for _, f := range ContextFields {
		if p := c.boolField(f); p != nil {
			*p = genBoolPtr(t, f)
		}
	}
	for _, o := range OccupantValues {
		if rapid.Bool().Draw(t, o) {
			c.Occupants = append(c.Occupants, Occupant(o))
		}
	}
	return c
}

func mustHold(t *rapid.T, a Assessment) {
	if err := invariantErr(a); err != nil {
		t.Fatal(err)
	}
}

// Property 13 and the §8 invariants, over every lock and context.
func TestPropertyBreakdownInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mustHold(t, Assess(genLock(t, false), genContext(t)))
	})
}

// Property 1: key override none → independent never lowers anything.
func TestPropertyKeyOverrideNeverHurts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := genLock(t, false)
		for _, c := range []Context{{}, genContext(t)} {
			l.KeyOverride = Ptr(KeyNone)
			without := Assess(l, c)
			l.KeyOverride = Ptr(KeyIndependent)
			with := Assess(l, c)
			for k := range with.Scenarios {
				if with.Scenarios[k].Quality < without.Scenarios[k].Quality {
					t.Fatalf("%s fell from %v to %v", with.Scenarios[k].ID, without.Scenarios[k].Quality, with.Scenarios[k].Quality)
				}
			}
			if with.Components.Coverage.Value < without.Components.Coverage.Value || with.Score < without.Score ||
				bandIndex(with.Band) > bandIndex(without.Band) {
				t.Fatalf("key override lowered the result: %v %s → %v %s", without.Score, without.Band, with.Score, with.Band)
			}
		}
	})
}

// Property 2: adding a credential or a context path never lowers a scenario.
func TestPropertyAddedPathNeverHurts(t *testing.T) {
	adders := []func(*Lock, *Context){
		func(l *Lock, _ *Context) { l.Keypad = Ptr(true) },
		func(l *Lock, _ *Context) { l.Fingerprint = Ptr(true) },
		func(l *Lock, _ *Context) { l.RFID = Ptr(true) },
		func(l *Lock, _ *Context) { l.PhoneLocal = Ptr(true) },
		func(l *Lock, _ *Context) { l.PhoneCloud = Ptr(true) },
		func(_ *Lock, c *Context) { c.OtherKeyedDoor = Ptr(true) },
		func(_ *Lock, c *Context) { c.KeySafe = Ptr(true) },
		func(_ *Lock, c *Context) { c.KeyholderNearby = Ptr(true) },
		func(_ *Lock, c *Context) { c.RemoteHelper = Ptr(true) },
	}
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		before := Assess(l, c)
		add := adders[rapid.IntRange(0, len(adders)-1).Draw(t, "adder")]
		add(&l, &c)
		after := Assess(l, c)
		for k := range after.Scenarios {
			if after.Scenarios[k].Quality < before.Scenarios[k].Quality {
				t.Fatalf("%s fell from %v to %v", after.Scenarios[k].ID, before.Scenarios[k].Quality, after.Scenarios[k].Quality)
			}
		}
	})
}

// Property 3: more credentials on a keyless keypad lock share its fate.
func TestPropertyCommonModeCredentialsAddNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := genLock(t, false)
		l.KeyOverride, l.Keypad = Ptr(KeyNone), Ptr(true)
		switch rapid.IntRange(0, 3).Draw(t, "credential") {
		case 0:
			l.Fingerprint = Ptr(true)
		case 1:
			l.RFID = Ptr(true)
		case 2:
			l.PhoneLocal = Ptr(true)
		case 3:
			l.PhoneCloud = Ptr(true)
		}
		a := Assess(l, Context{})
		for _, k := range []int{1, 2, 6} {
			if a.Scenarios[k].Quality != 0 {
				t.Fatalf("%s = %v on a keyless lock", a.Scenarios[k].ID, a.Scenarios[k].Quality)
			}
		}
	})
}

// Property 4: better warnings never lower detection or the score.
func TestPropertyBetterWarningsNeverHurt(t *testing.T) {
	reserves := []BatteryReserve{ReserveNone, ReserveUnder1Week, Reserve1To4Weeks, ReserveOver4Weeks}
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		which := rapid.IntRange(0, 3).Draw(t, "warning")
		if which == 3 && l.LowBatteryReserve == nil {
			l.LowBatteryReserve = Ptr(ReserveNone) // an upgrade starts from a known reserve
		}
		before := Assess(l, c)
		switch which {
		case 0:
			l.LowBatteryOnDevice = Ptr(true)
		case 1:
			l.LowBatteryRemote = Ptr(true)
		case 2:
			l.JamAlert = Ptr(true)
		case 3:
			from := 0
			for i, r := range reserves {
				if r == *l.LowBatteryReserve {
					from = i
				}
			}
			l.LowBatteryReserve = Ptr(reserves[rapid.IntRange(from, 3).Draw(t, "reserve")])
		}
		after := Assess(l, c)
		if after.Components.Detection.Value < before.Components.Detection.Value || after.Score < before.Score || after.ScoreUpper < before.ScoreUpper {
			t.Fatalf("warning lowered D %v→%v or score %v→%v", before.Components.Detection.Value, after.Components.Detection.Value, before.Score, after.Score)
		}
	})
}

// Property 5: a context path never lowers the in-context score, and context
// fields never reach the intrinsic assessment.
func TestPropertyContextOnlyHelps(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		intrinsic := Assess(l, Context{})
		before := Assess(l, c)
		switch rapid.IntRange(0, 3).Draw(t, "path") {
		case 0:
			c.OtherKeyedDoor = Ptr(true)
		case 1:
			c.KeySafe = Ptr(true)
		case 2:
			c.KeyholderNearby = Ptr(true)
		case 3:
			c.RemoteHelper = Ptr(true)
		}
		after := Assess(l, c)
		if after.Score < before.Score || after.ScoreUpper < before.ScoreUpper {
			t.Fatalf("context path lowered the score: %v→%v", before.Score, after.Score)
		}
		allFalse := Context{OtherKeyedDoor: Ptr(false), OtherDoorSameKeyring: Ptr(false), KeySafe: Ptr(false), KeyholderNearby: Ptr(false), RemoteHelper: Ptr(false)}
		if again := Assess(l, allFalse); !reflect.DeepEqual(again, intrinsic) {
			t.Fatalf("false context fields changed the intrinsic assessment")
		}
		if again := Assess(l, Context{}); !reflect.DeepEqual(again, intrinsic) {
			t.Fatalf("intrinsic assessment changed after assessing in context")
		}
	})
}

// Properties 6 and 7: no key override is never Recommended, and without
// emergency power it is Unsuitable unless another keyed door exists.
func TestPropertyNoKeyOverrideGates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		l.KeyOverride = Ptr(KeyNone)
		a := Assess(l, c)
		otherDoor := isTrue(c.OtherKeyedDoor)
		limit := "D"
		if otherDoor {
			limit = "C"
		}
		if bandIndex(a.Band) < bandIndex(limit) || bandIndex(bandOfScore(a.ScoreUpper)) < bandIndex(limit) {
			t.Fatalf("no key override scored %v..%v (%s), above %s", a.Score, a.ScoreUpper, a.Band, limit)
		}
		l.EmergencyPower = Ptr(PowerNone)
		a = Assess(l, c)
		limit = "E"
		if otherDoor {
			limit = "D"
		}
		if bandIndex(bandOfScore(a.ScoreUpper)) < bandIndex(limit) {
			t.Fatalf("no key and no emergency power scored up to %v, above %s", a.ScoreUpper, limit)
		}
		// A key that needs an emergency-function cylinder the door lacks is no key.
		l.KeyOverride, l.KeyOverrideNeedsEmergencyCylinder = Ptr(KeyIndependent), Ptr(true)
		c.CylinderEmergencyFunction = Ptr(false)
		if b := Assess(l, c); bandIndex(bandOfScore(b.ScoreUpper)) < bandIndex(limit) {
			t.Fatalf("unusable key scored up to %v, above %s", b.ScoreUpper, limit)
		}
	})
}

func bandOfScore(s float64) string { return bandNames[Default.bandOf(s)] }

// Property 8: electronic-only egress is Unsuitable whatever else holds.
func TestPropertyElectronicOnlyEgressIsUnsuitable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		l.InteriorEgress = Ptr(EgressElectronicOnly)
		a := Assess(l, c)
		if a.Band != "E" || bandOfScore(a.ScoreUpper) != "E" {
			t.Fatalf("electronic-only egress scored %v..%v", a.Score, a.ScoreUpper)
		}
	})
}

// sharedTraits draws the attributes the orderings of §9.9 and §9.10 hold
// equal: warnings, evidence, egress (never electronic-only) and no defect.
func sharedTraits(t *rapid.T) Lock {
	l := genLock(t, true)
	l.InteriorEgress = Ptr(InteriorEgress(rapid.SampledFrom([]string{"mechanical", "key_only"}).Draw(t, "egress")))
	l.KnownDefect = Ptr(false)
	l.KeyOverrideNeedsEmergencyCylinder = Ptr(false)
	l.Fingerprint, l.RFID, l.PhoneCloud, l.PhoneLocal, l.Keypad = Ptr(false), Ptr(false), Ptr(false), Ptr(false), Ptr(false)
	return l
}

// Property 9: keypad + key > keypad + 9V without key > keypad only, strictly.
func TestPropertyKeypadOrdering(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := sharedTraits(t)
		base.Keypad = Ptr(true)
		withKey, with9V, bare := base, base, base
		withKey.KeyOverride, withKey.EmergencyPower = Ptr(KeyIndependent), Ptr(PowerNone)
		with9V.KeyOverride, with9V.EmergencyPower = Ptr(KeyNone), Ptr(PowerTerminal9V)
		bare.KeyOverride, bare.EmergencyPower = Ptr(KeyNone), Ptr(PowerNone)
		a, b, c := Assess(withKey, Context{}), Assess(with9V, Context{}), Assess(bare, Context{})
		if !(a.Score > b.Score && b.Score > c.Score) {
			t.Fatalf("want %v > %v > %v", a.Score, b.Score, c.Score)
		}
	})
}

// Property 10: a retrofit on a keyed lock (phone only) beats a keyless keypad
// + 9V, in a different band.
func TestPropertyRetrofitBeatsKeylessWith9V(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := sharedTraits(t)
		retrofit, keyless := base, base
		retrofit.KeyOverride, retrofit.PhoneLocal, retrofit.EmergencyPower = Ptr(KeyIndependent), Ptr(true), Ptr(PowerNone)
		keyless.KeyOverride, keyless.Keypad, keyless.EmergencyPower = Ptr(KeyNone), Ptr(true), Ptr(PowerTerminal9V)
		a, b := Assess(retrofit, Context{}), Assess(keyless, Context{})
		if !(a.Score > b.Score) || a.Band == b.Band {
			t.Fatalf("retrofit %v (%s) vs keyless+9V %v (%s)", a.Score, a.Band, b.Score, b.Band)
		}
	})
}

// Property 11: the scale is absolute; other locks never move a lock's score.
func TestPropertyNoRankReversal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genContext(t)
		locks := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Lock { return genLock(t, false) }), 2, 12).Draw(t, "catalogue")
		all := ScoreAll(locks, c)
		keep := rapid.SliceOfN(rapid.Bool(), len(locks), len(locks)).Draw(t, "keep")
		var subset []Lock
		var idx []int
		for i, k := range keep {
			if k {
				subset = append(subset, locks[i])
				idx = append(idx, i)
			}
		}
		for j, s := range ScoreAll(subset, c) {
			if s != all[idx[j]] {
				t.Fatalf("lock %d: %+v alone vs %+v in the full catalogue", idx[j], s, all[idx[j]])
			}
		}
	})
}

// Property 12: resolving an unknown attribute narrows the interval.
func TestPropertyResolvingUnknownNarrowsInterval(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		var unknown []int
		for i := range Attributes {
			if _, ok := Attributes[i].get(&l); !ok && Attributes[i].Completeness {
				unknown = append(unknown, i)
			}
		}
		if len(unknown) == 0 {
			return
		}
		before := Assess(l, c)
		a := &Attributes[unknown[rapid.IntRange(0, len(unknown)-1).Draw(t, "which")]]
		v := rapid.SampledFrom(a.Values).Draw(t, "value")
		a.set(&l, &v)
		after := Assess(l, c)
		if after.Score < before.Score || after.ScoreUpper > before.ScoreUpper {
			t.Fatalf("%s=%s: [%v, %v] not inside [%v, %v]", a.Name, v, after.Score, after.ScoreUpper, before.Score, before.ScoreUpper)
		}
	})
}

// Property 14: the sensitivity report is complete and agrees with an engine
// built from a perturbed methodology.
func TestPropertySensitivityReport(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := genLock(t, false)
		r := Sensitivity(l, Context{})
		if len(r.Perturbations) != 2*(8+11) {
			t.Fatalf("%d perturbations", len(r.Perturbations))
		}
		changes := 0
		for _, p := range r.Perturbations {
			if p.ChangesBand != (p.Band != r.Band) {
				t.Fatalf("%+v: changes_band disagrees with the band", p)
			}
			if p.ChangesBand {
				changes++
			}
		}
		if changes != r.BandChanges || r.Robust != (changes == 0) {
			t.Fatalf("band_changes %d, counted %d", r.BandChanges, changes)
		}
		k := rapid.IntRange(0, 7).Draw(t, "scenario")
		up := rapid.Bool().Draw(t, "up")
		m := Default.Methodology().clone()
		f, i := 0.8, 2*k+1
		if up {
			f, i = 1.2, 2*k
		}
		m.Scenarios[k].Weight *= f
		want := MustEngine(&m).Assess(&l, &Context{})
		if got := r.Perturbations[i]; got.Target != m.Scenarios[k].ID || got.Score != want.Score || got.Band != want.Band {
			t.Fatalf("perturbation %+v, perturbed engine says %v %s", got, want.Score, want.Band)
		}
	})
}

// Summaries agree with full assessments.
func TestPropertySummaryMatchesAssessment(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		a := Assess(l, c)
		s, gates := Summarise(l, c)
		if s.Score != a.Score || s.ScoreUpper != a.ScoreUpper || s.Band != a.Band || s.Label != a.Label || s.Provisional != a.Provisional {
			t.Fatalf("summary %+v vs assessment %v %v %s", s, a.Score, a.ScoreUpper, a.Band)
		}
		if len(gates) != len(a.Gates) {
			t.Fatalf("summary gates %v vs %v", gates, a.Gates)
		}
		for i := range gates {
			if gates[i] != a.Gates[i].ID {
				t.Fatalf("summary gates %v vs %v", gates, a.Gates)
			}
		}
	})
}
