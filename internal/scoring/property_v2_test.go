package scoring

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// upperGates evaluates the upper bound of l in c and returns its gates.
func upperGates(l *Lock, c *Context) uint8 {
	cv := Default.compileContext(c)
	var hi values
	hi.loadAll(l, true)
	var eh evaluation
	Default.evaluate(&hi, &cv, &eh)
	return eh.gates
}

func gateIndex(id string) int {
	for i, g := range gateIDs {
		if g == id {
			return i
		}
	}
	return -1
}

// Property 15: a gate has basis unknown exactly when it does not fire at the
// upper bound; with every attribute known and cylinder_rating given, no gate
// is unknown and the assessment is not provisional.
func TestPropertyGateBasis(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		a := Assess(l, c)
		up := upperGates(&l, &c)
		known := true
		for _, g := range a.Gates {
			fires := up&(1<<gateIndex(g.ID)) != 0
			if (g.Basis == BasisUnknown) != !fires {
				t.Fatalf("gate %s basis %s, fires at the upper bound: %v", g.ID, g.Basis, fires)
			}
			if g.Basis == BasisUnknown {
				known = false
				if !strings.HasPrefix(g.Reason, "It is not known") {
					t.Fatalf("gate %s fired on an unknown but reads as a fact: %q", g.ID, g.Reason)
				}
			} else if !known {
				t.Fatalf("gates %+v: a known gate after an unknown one", a.Gates)
			}
		}
		full := genLock(t, true)
		fc := genContext(t)
		fc.CylinderRating = Ptr(CylinderRating(rapid.SampledFrom(CylinderRatings).Draw(t, "cylinder")))
		fa := Assess(full, fc)
		if fa.Provisional {
			t.Fatalf("fully known lock with the cylinder given is provisional: %+v", fa.Gates)
		}
		for _, g := range fa.Gates {
			if g.Basis != BasisKnown {
				t.Fatalf("fully known lock has gate %s with basis %s", g.ID, g.Basis)
			}
		}
	})
}

// applyAdvice returns the lock and context with advice id applied alone.
func applyAdvice(l Lock, c Context, id string) (Lock, Context) {
	switch id {
	case "fit_rated_cylinder":
		c.CylinderRating, c.CylinderEmergencyFunction = Ptr(CylinderTS007ThreeStar), Ptr(true)
	case "keep_other_keyed_door":
		c.OtherKeyedDoor, c.OtherDoorSameKeyring = Ptr(true), Ptr(false)
	case "separate_key_ring":
		c.OtherDoorSameKeyring = Ptr(false)
	case "key_safe":
		c.KeySafe = Ptr(true)
	case "keyholder_nearby":
		c.KeyholderNearby = Ptr(true)
	default:
		a := AttributeByName(strings.TrimPrefix(id, "confirm_"))
		v := a.Best
		a.set(&l, &v)
	}
	return l, c
}

// candidates lists every change methodology v2 §8 tries for l in c,
// written from the table independently of the engine.
func candidates(l *Lock, c *Context) []string {
	var out []string
	if isTrue(l.KeyOverrideNeedsEmergencyCylinder) && c.DoorType != nil && *c.DoorType == DoorUKMultipoint {
		out = append(out, "fit_rated_cylinder")
	}
	if !isTrue(c.OtherKeyedDoor) {
		out = append(out, "keep_other_keyed_door")
	}
	if isTrue(c.OtherKeyedDoor) && isTrue(c.OtherDoorSameKeyring) {
		out = append(out, "separate_key_ring")
	}
	if !isTrue(c.KeySafe) {
		out = append(out, "key_safe")
	}
	if !isTrue(c.KeyholderNearby) {
		out = append(out, "keyholder_nearby")
	}
	for i := range Attributes {
		a := &Attributes[i]
		if _, ok := a.get(l); !ok && a.Completeness {
			out = append(out, "confirm_"+a.Name)
		}
	}
	return out
}

// Property 16: each advice item's change, applied alone and re-assessed,
// gives exactly its band_after and score_after, better than the current
// band; no candidate that would raise the band is missing; the order is
// highest score_after first, then the table's order.
func TestPropertyAdviceIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		a := Assess(l, c)
		var want []string
		for _, id := range candidates(&l, &c) {
			l2, c2 := applyAdvice(l, c, id)
			b := Assess(l2, c2)
			if bandIndex(b.Band) < bandIndex(a.Band) {
				want = append(want, id)
			}
		}
		var got []string
		for i, ad := range a.Advice {
			got = append(got, ad.ID)
			l2, c2 := applyAdvice(l, c, ad.ID)
			b := Assess(l2, c2)
			if b.Band != ad.BandAfter || b.Score != ad.ScoreAfter {
				t.Fatalf("%s: advice says %s %v, re-assessed %s %v", ad.ID, ad.BandAfter, ad.ScoreAfter, b.Band, b.Score)
			}
			if bandIndex(ad.BandAfter) >= bandIndex(a.Band) {
				t.Fatalf("%s does not raise band %s", ad.ID, a.Band)
			}
			if i > 0 && a.Advice[i-1].ScoreAfter < ad.ScoreAfter {
				t.Fatalf("advice out of order: %+v", a.Advice)
			}
			if ad.Action == "" || strings.Contains(ad.Action, "_") {
				t.Fatalf("%s: action %q is not plain words", ad.ID, ad.Action)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("advice %v, candidates that raise the band %v", got, want)
		}
	})
}

// Property 17: D = 1 only for a lock stated purely mechanical; any other
// lock, a non-motorised one with an electronic credential among them, earns
// D from its warnings at the lower bound.
func TestPropertyDetectionNeedsAStatedMechanicalLock(t *testing.T) {
	creds := []*Attribute{&Attributes[attrKeypad], &Attributes[attrFingerprint], &Attributes[attrRFID], &Attributes[attrPhoneLocal], &Attributes[attrPhoneCloud]}
	rapid.Check(t, func(t *rapid.T) {
		l := genLock(t, false)
		a := Assess(l, Context{})
		mechanical := l.Motorised != nil && !*l.Motorised
		for _, cr := range creds {
			if v, ok := cr.get(&l); !ok || v != "false" {
				mechanical = false
			}
		}
		warnings := 0.0
		m := &V2.Detection
		if isTrue(l.LowBatteryOnDevice) {
			warnings += m.LowBatteryOnDevice
		}
		if isTrue(l.LowBatteryRemote) {
			warnings += m.LowBatteryRemote
		}
		if l.LowBatteryReserve != nil {
			switch *l.LowBatteryReserve {
			case ReserveOver4Weeks:
				warnings += m.ReserveOver4Weeks
			case Reserve1To4Weeks:
				warnings += m.Reserve1To4Weeks
			}
		}
		if isTrue(l.JamAlert) {
			warnings += m.JamAlert
		}
		want := round3(clamp01(warnings))
		if mechanical {
			want = 1
		}
		if got := a.Components.Detection.Value; got != want {
			t.Fatalf("detection %v, want %v (stated purely mechanical: %v)", got, want, mechanical)
		}
	})
}

// Property 12, for the context: giving an absent cylinder_rating narrows
// the interval.
func TestPropertyCylinderRatingNarrowsInterval(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		c.CylinderRating = nil
		before := Assess(l, c)
		c.CylinderRating = Ptr(CylinderRating(rapid.SampledFrom(CylinderRatings).Draw(t, "cylinder")))
		after := Assess(l, c)
		if after.Score < before.Score || after.ScoreUpper > before.ScoreUpper {
			t.Fatalf("cylinder %s: [%v, %v] not inside [%v, %v]", *c.CylinderRating, after.Score, after.ScoreUpper, before.Score, before.ScoreUpper)
		}
	})
}

// The verdict starts with the label and band and is plain words.
func TestPropertyVerdictIsPlainWords(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		a := Assess(l, c)
		prefix := a.Label + " for a main entrance (" + a.Band + "): "
		if !strings.HasPrefix(a.Verdict, prefix) {
			t.Fatalf("verdict %q does not start with %q", a.Verdict, prefix)
		}
		for _, jargon := range []string{"gate", "G1", "G2", "G3", "G4", "G5", "coverage", "_", "quality"} {
			if strings.Contains(a.Verdict, jargon) {
				t.Fatalf("verdict says %q: %s", jargon, a.Verdict)
			}
		}
		if a.Provisional != strings.Contains(a.Verdict, "Provisional:") {
			t.Fatalf("provisional %v, verdict %q", a.Provisional, a.Verdict)
		}
	})
}
