package scoring

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// The worked examples of research §5.7, written out as inputs. D and E are
// built from attributes that give exactly the values the table states.
var (
	detection1  = Lock{Motorised: Ptr(true), LowBatteryOnDevice: Ptr(true), LowBatteryRemote: Ptr(true), LowBatteryReserve: Ptr(ReserveOver4Weeks), JamAlert: Ptr(true)}
	detection08 = Lock{Motorised: Ptr(true), LowBatteryOnDevice: Ptr(true), LowBatteryRemote: Ptr(true), LowBatteryReserve: Ptr(ReserveOver4Weeks), JamAlert: Ptr(false)}
)

func withEvidence(l Lock, bhma BHMAGrade, noAccount bool) Lock {
	l.BHMAA15640Grade = Ptr(bhma)
	l.ENDurabilityClass = Ptr(ClaimNone)
	l.ElectronicStandard = Ptr(ClaimNone)
	l.A15633BatteryVerified = Ptr(false)
	l.WorksWithoutAccount = Ptr(noAccount)
	l.UpdateSupportDeclared = Ptr(false)
	l.RecoveryWithoutVendor = Ptr(false)
	l.KnownDefect = Ptr(false)
	l.InteriorEgress = Ptr(EgressMechanical)
	l.KeyOverrideNeedsEmergencyCylinder = Ptr(false)
	l.OverrideCylinderRating = Ptr(CylinderUnrated)
	return l
}

func credentials(l Lock, keypad, phoneLocal bool) Lock {
	l.Keypad, l.PhoneLocal = Ptr(keypad), Ptr(phoneLocal)
	l.Fingerprint, l.RFID, l.PhoneCloud = Ptr(false), Ptr(false), Ptr(false)
	return l
}

func exampleA() Lock {
	l := credentials(withEvidence(detection1, BHMAGradeA, true), true, true)
	l.KeyOverride, l.EmergencyPower = Ptr(KeyIndependent), Ptr(PowerNone)
	return l
}

func exampleB() Lock {
	l := credentials(withEvidence(detection08, BHMAGradeA, true), false, true)
	l.KeyOverride, l.EmergencyPower = Ptr(KeyIndependent), Ptr(PowerNone)
	return l
}

func exampleC() Lock {
	l := credentials(withEvidence(detection08, BHMAGradeA, true), true, true)
	l.KeyOverride, l.EmergencyPower = Ptr(KeyNone), Ptr(PowerTerminal9V)
	return l
}

func exampleD() Lock {
	l := exampleC()
	l.EmergencyPower = Ptr(PowerNone)
	return l
}

func mechanicalReference() Lock {
	l := credentials(withEvidence(Lock{Motorised: Ptr(false), LowBatteryOnDevice: Ptr(false), LowBatteryRemote: Ptr(false),
		LowBatteryReserve: Ptr(ReserveNone), JamAlert: Ptr(false)}, BHMAGradeA, false), false, false)
	l.KeyOverride, l.EmergencyPower = Ptr(KeyIndependent), Ptr(PowerNone)
	return l
}

func TestGoldenWorkedExamples(t *testing.T) {
	sameRing := Context{OtherKeyedDoor: Ptr(true), OtherDoorSameKeyring: Ptr(true)}
	tests := []struct {
		name      string
		lock      Lock
		ctx       Context
		coverage  float64
		det, evid float64
		uncapped  float64
		score     float64
		band      string
		gates     []string
		s         [8]float64
	}{
		{"A keypad+BLE+key", exampleA(), Context{}, .990, 1, .5, 94.3, 94.3, "A", nil, [8]float64{1, 1, 1, 1, 1, 1, 1, .9}},
		{"B retrofit BLE only", exampleB(), Context{}, .980, .8, .5, 90.5, 90.5, "A", nil, [8]float64{1, 1, 1, 1, 1, 1, 1, .8}},
		{"C keyless keypad+BLE+9V", exampleC(), Context{}, .484, .8, .5, 53.3, 53.3, "D", []string{"G1"}, [8]float64{.6, 0, 0, .9, .9, .8, 0, .9}},
		{"D keyless no emergency power", exampleD(), Context{}, .334, .8, .5, 42.1, 39.9, "E", []string{"G2", "G1"}, [8]float64{0, 0, 0, .9, .9, .8, 0, .9}},
		{"C + other door on same ring", exampleC(), sameRing, .799, .8, .5, 76.9, 69.9, "C", []string{"G1"}, [8]float64{.75, .75, .75, .9, .9, .8, .75, .9}},
		{"mechanical reference", mechanicalReference(), Context{}, .900, 1, .4, 86.5, 86.5, "A", nil, [8]float64{1, 1, 1, 1, 1, 1, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(tt.lock, tt.ctx)
			near := func(what string, got, want, tol float64) {
				t.Helper()
				if math.Abs(got-want) > tol {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			near("coverage", a.Components.Coverage.Value, tt.coverage, 0.0005)
			near("detection", a.Components.Detection.Value, tt.det, 1e-9)
			near("evidence", a.Components.Evidence.Value, tt.evid, 1e-9)
			// Scores are compared exactly: they are rounded to one decimal, and
			// 94.25 (74.2499... + 20 in binary) must come out 94.3, not 94.2.
			if a.ScoreUncapped != tt.uncapped {
				t.Errorf("score_uncapped = %v, want %v", a.ScoreUncapped, tt.uncapped)
			}
			if a.Score != tt.score || a.ScoreUpper != tt.score {
				t.Errorf("score = %v (upper %v), want %v", a.Score, a.ScoreUpper, tt.score)
			}
			if a.Band != tt.band {
				t.Errorf("band = %s, want %s", a.Band, tt.band)
			}
			var ids []string
			for _, g := range a.Gates {
				ids = append(ids, g.ID)
			}
			if len(ids) != len(tt.gates) {
				t.Fatalf("gates = %v, want %v", ids, tt.gates)
			}
			for i := range ids {
				if ids[i] != tt.gates[i] {
					t.Errorf("gates = %v, want %v", ids, tt.gates)
				}
			}
			for k, sc := range a.Scenarios {
				near("s"+sc.ID, sc.Quality, tt.s[k], 1e-9)
			}
			if a.Provisional || a.DataCompleteness != 1 || len(a.Missing) != 0 {
				t.Errorf("fully known lock: provisional=%v completeness=%v missing=%v", a.Provisional, a.DataCompleteness, a.Missing)
			}
			if err := invariantErr(a); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRoundingAtBinaryNoise(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{74.24999999999999, 74.3}, {94.25, 94.3}, {69.95, 70}, {69.94999999, 69.9}, {0.05, 0.1}, {42.05, 42.1}, {100, 100}, {0, 0},
	} {
		if got := round1(tt.in); got != tt.want {
			t.Errorf("round1(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBandEdges(t *testing.T) {
	for _, tt := range []struct {
		score float64
		band  string
	}{{100, "A"}, {85, "A"}, {84.9, "B"}, {70, "B"}, {69.9, "C"}, {55, "C"}, {54.9, "D"}, {40, "D"}, {39.9, "E"}, {0, "E"}} {
		if got := bandNames[Default.bandOf(tt.score)]; got != tt.band {
			t.Errorf("band(%v) = %s, want %s", tt.score, got, tt.band)
		}
	}
}

func TestWhySentences(t *testing.T) {
	a := Assess(exampleA(), Context{})
	if got, want := a.Scenarios[0].Why, "Batteries flat: the mechanical key override still opens the door."; got != want {
		t.Errorf("S1 why = %q, want %q", got, want)
	}
	c := Assess(exampleD(), Context{})
	if got := c.Scenarios[1].Why; got != "Electronics dead: no way in survives, because the keypad and the phone app over Bluetooth all fail too." {
		t.Errorf("S2 why = %q", got)
	}
	if got := c.Scenarios[1].LostPaths; len(got) != 2 || got[0] != "keypad" || got[1] != "phone_local" {
		t.Errorf("S2 lost paths = %v", got)
	}
}

func TestUnknownsGiveAnInterval(t *testing.T) {
	// Issue 2's command-line example: keyless keypad + phone with 9V, the rest
	// unknown. Methodology §2 takes every unknown at its worst for the
	// headline (no warnings, no evidence: 36.3, band E) and at its best for
	// score_upper (61.3, capped by G1 to 54.9, band D), so it is provisional.
	l := Lock{KeyOverride: Ptr(KeyNone), Keypad: Ptr(true), PhoneLocal: Ptr(true), EmergencyPower: Ptr(PowerTerminal9V), InteriorEgress: Ptr(EgressMechanical)}
	a := Assess(l, Context{})
	if len(a.Gates) != 1 || a.Gates[0].ID != "G1" {
		t.Fatalf("gates %+v, want G1", a.Gates)
	}
	if a.Score != 36.3 || a.Band != "E" || a.ScoreUpper != 54.9 || !a.Provisional {
		t.Errorf("got [%v, %v] band %s provisional %v; want [36.3, 54.9] E provisional", a.Score, a.ScoreUpper, a.Band, a.Provisional)
	}
	if len(a.Missing) == 0 || a.DataCompleteness >= 1 {
		t.Errorf("missing %v completeness %v", a.Missing, a.DataCompleteness)
	}
	// With the detection and evidence of worked example C known, it is example C: D.
	known := exampleC()
	if c := Assess(known, Context{}); c.Band != "D" || c.Score != 53.3 {
		t.Errorf("known example C: %v %s", c.Score, c.Band)
	}
	empty := Assess(Lock{}, Context{})
	if empty.Score != 0 || empty.Band != "E" || !empty.Provisional || empty.ScoreUpper < 85 {
		t.Errorf("all-unknown lock: [%v, %v] %s provisional %v", empty.Score, empty.ScoreUpper, empty.Band, empty.Provisional)
	}
}

func TestMethodologyIsConsistent(t *testing.T) {
	sum := 0.0
	for _, s := range V1.Scenarios {
		sum += s.Weight
	}
	if sum != 100 {
		t.Errorf("scenario weights sum to %v", sum)
	}
	if c := V1.Components; c.Coverage+c.Detection+c.Evidence != 100 {
		t.Errorf("component weights sum to %v", c.Coverage+c.Detection+c.Evidence)
	}
	if len(V1.Attributes) != 23 {
		t.Errorf("%d attributes, want 23", len(V1.Attributes))
	}
	for _, g := range V1.Gates {
		if g.Reason == "" || g.Source == "" || g.ReasonWithOtherDoor == "" {
			t.Errorf("gate %s lacks a reason or source", g.ID)
		}
	}
}

// v2Base is methodology v2 §10's base lock: every attribute known and
// false or none, interior exit mechanical, motorised, no key override.
func v2Base() Lock {
	var l Lock
	for i := range Attributes {
		a := &Attributes[i]
		v := "false"
		if a.Type == "enum" {
			v = "none"
			if !a.Allows(v) {
				continue // set below
			}
		}
		a.set(&l, &v)
	}
	l.InteriorEgress, l.Motorised, l.KeyOverride = Ptr(EgressMechanical), Ptr(true), Ptr(KeyNone)
	l.OverrideCylinderRating = Ptr(CylinderUnrated)
	return l
}

func v2Clutch() Lock {
	l := v2Base()
	l.Motorised, l.PhoneLocal = Ptr(false), Ptr(true)
	return l
}

func v2Retrofit() Lock {
	l := v2Base()
	l.KeyOverride, l.KeyOverrideNeedsEmergencyCylinder, l.OverrideCylinderRating = Ptr(KeyIndependent), Ptr(true), nil
	l.PhoneLocal, l.LowBatteryOnDevice, l.LowBatteryRemote, l.JamAlert, l.WorksWithoutAccount = Ptr(true), Ptr(true), Ptr(true), Ptr(true), Ptr(true)
	l.LowBatteryReserve = Ptr(Reserve1To4Weeks)
	return l
}

func v2Keyless() Lock {
	l := v2Base()
	l.Keypad, l.RFID, l.PhoneLocal, l.LowBatteryOnDevice, l.LowBatteryRemote = Ptr(true), Ptr(true), Ptr(true), Ptr(true), Ptr(true)
	l.EmergencyPower, l.InteriorEgress = nil, nil
	return l
}

// TestGoldenV2Fixtures checks every row of methodology v2 §10 exactly:
// scores, band, gates in order with their basis, and advice.
func TestGoldenV2Fixtures(t *testing.T) {
	uk := Ptr(DoorUKMultipoint)
	type gate struct{ id, basis string }
	type advice struct {
		id    string
		band  string
		score float64
	}
	tests := []struct {
		name                   string
		lock                   Lock
		ctx                    Context
		score, upper, uncapped float64
		band                   string
		provisional            bool
		gates                  []gate
		advice                 []advice
	}{
		{"V2-1 clutch, keyless", v2Clutch(), Context{}, 16.8, 16.8, 16.8, "E", false,
			[]gate{{"G2", "known"}, {"G1", "known"}}, []advice{{"keep_other_keyed_door", "D", 54.9}}},
		{"V2-2 retrofit, no context", v2Retrofit(), Context{}, 87.3, 87.3, 87.3, "A", false, nil, nil},
		{"V2-2 retrofit, uk_multipoint", v2Retrofit(), Context{DoorType: uk}, 69.9, 87.3, 87.3, "C", true,
			[]gate{{"G5", "unknown"}}, []advice{{"fit_rated_cylinder", "A", 87.3}}},
		{"V2-2 retrofit, uk_multipoint, 3-star", v2Retrofit(), Context{DoorType: uk, CylinderRating: Ptr(CylinderTS007ThreeStar)}, 87.3, 87.3, 87.3, "A", false, nil, nil},
		{"V2-2 retrofit, uk_multipoint, 1-star", v2Retrofit(), Context{DoorType: uk, CylinderRating: Ptr(CylinderTS007OneStar)}, 69.9, 69.9, 87.3, "C", false,
			[]gate{{"G5", "known"}}, []advice{{"fit_rated_cylinder", "A", 87.3}}},
		{"V2-3 keyless, uk_multipoint + other door", v2Keyless(), Context{DoorType: uk, OtherKeyedDoor: Ptr(true)}, 39.9, 67.5, 67.5, "E", true,
			[]gate{{"G1", "known"}, {"G3", "unknown"}, {"G2", "unknown"}}, []advice{{"confirm_interior_egress", "D", 54.9}}},
		{"V2-3 keyless, no context", v2Keyless(), Context{}, 32.9, 44.1, 32.9, "E", true,
			[]gate{{"G1", "known"}, {"G2", "unknown"}, {"G3", "unknown"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(tt.lock, tt.ctx)
			if a.Score != tt.score || a.ScoreUpper != tt.upper || a.ScoreUncapped != tt.uncapped {
				t.Errorf("score/upper/uncapped = %v/%v/%v, want %v/%v/%v", a.Score, a.ScoreUpper, a.ScoreUncapped, tt.score, tt.upper, tt.uncapped)
			}
			if a.Band != tt.band || a.Provisional != tt.provisional {
				t.Errorf("band %s provisional %v, want %s %v", a.Band, a.Provisional, tt.band, tt.provisional)
			}
			var got []gate
			for _, g := range a.Gates {
				got = append(got, gate{g.ID, g.Basis})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.gates) {
				t.Errorf("gates %v, want %v", got, tt.gates)
			}
			var adv []advice
			for _, x := range a.Advice {
				adv = append(adv, advice{x.ID, x.BandAfter, x.ScoreAfter})
			}
			if fmt.Sprint(adv) != fmt.Sprint(tt.advice) {
				t.Errorf("advice %v, want %v", adv, tt.advice)
			}
			if a.MethodologyVersion != "2" {
				t.Errorf("methodology_version %q", a.MethodologyVersion)
			}
			if err := invariantErr(a); err != nil {
				t.Error(err)
			}
			t.Log(a.Verdict)
		})
	}
}

// TestV1StaysV1 runs the §5.7 rows under the version 1 engine too: the
// value is kept for audit, and its results must not drift.
func TestV1StaysV1(t *testing.T) {
	v1 := MustEngine(&V1)
	l := exampleD()
	a := v1.Assess(&l, &Context{})
	if a.MethodologyVersion != "1" || a.Score != 39.9 || a.Gates[0].ID != "G2" {
		t.Errorf("v1 example D: %v %v %v", a.MethodologyVersion, a.Score, a.Gates)
	}
	// v1 gave an electronic-clutch lock D = 1; v2 does not (§11.1).
	c := v2Clutch()
	if got := v1.Assess(&c, &Context{}).Score; got != 31.8 {
		t.Errorf("v1 clutch lock %v, want 31.8", got)
	}
}

// NewEngine refuses a methodology whose paths or gates are out of the order
// the engine indexes: reordered, G1 would be reported as another gate.
func TestNewEngineRefusesReorderedDefinitions(t *testing.T) {
	m := V2.clone()
	m.Gates[0], m.Gates[3] = m.Gates[3], m.Gates[0]
	if _, err := NewEngine(&m); err == nil {
		t.Error("reordered gates accepted")
	}
	m = V2.clone()
	m.Paths[1], m.Paths[2] = m.Paths[2], m.Paths[1]
	if _, err := NewEngine(&m); err == nil {
		t.Error("reordered paths accepted")
	}
	m = V2.clone()
	m.GateOrder = "alphabetical"
	if _, err := NewEngine(&m); err == nil {
		t.Error("unknown gate order accepted")
	}
	for _, v := range Methodologies {
		if _, err := NewEngine(v); err != nil {
			t.Errorf("methodology %s: %v", v.Version, err)
		}
	}
}

// Every value's ordinal code comes from the attribute table and round-trips.
func TestAttributeCodes(t *testing.T) {
	for i := range Attributes {
		a := &Attributes[i]
		for c, v := range a.Values {
			if a.Code(v) != c {
				t.Errorf("%s: code of %q is %d, want %d", a.Name, v, a.Code(v), c)
			}
			if got, ok := a.ValueOf(c); !ok || got != v {
				t.Errorf("%s: value of code %d is %q", a.Name, c, got)
			}
		}
		if a.Code("no such value") != -1 {
			t.Errorf("%s: an unknown value has a code", a.Name)
		}
		if _, ok := a.ValueOf(len(a.Values)); ok {
			t.Errorf("%s: a code past the vocabulary has a value", a.Name)
		}
	}
}

// An unknown-basis gate names only the fact that is unknown: with no key
// override known, G2 waits on the emergency power alone.
func TestUnknownGateNamesOnlyTheUnknownFact(t *testing.T) {
	a := Assess(v2Keyless(), Context{})
	var g2 *GateResult
	for i := range a.Gates {
		if a.Gates[i].ID == "G2" {
			g2 = &a.Gates[i]
		}
	}
	if g2 == nil || g2.Basis != BasisUnknown || !strings.Contains(g2.Reason, "powered from outside") || strings.Contains(g2.Reason, "key override or") {
		t.Fatalf("G2: %+v", g2)
	}
	// With the key override unknown too, G2's reason names both.
	l := v2Keyless()
	l.KeyOverride = nil
	for _, g := range Assess(l, Context{}).Gates {
		if g.ID == "G2" && !strings.Contains(g.Reason, "usable key override or a way to power it") {
			t.Errorf("G2 with the key override unknown: %q", g.Reason)
		}
	}
}
