package scoring

import (
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// An assessment from Assess is the caller's own: assessing other locks
// afterwards (which reuses the pooled Scratch behind Assess) leaves it as
// it was. It fails when Assess returns the Scratch's lists uncloned.
func TestAssessResultIsNotSharedWithThePool(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		kept := Default.Assess(&l, &c)
		want := Default.Assess(&l, &c)
		for i := 0; i < 3; i++ {
			l2, c2 := genLock(t, false), genContext(t)
			_ = Default.Assess(&l2, &c2)
			var s Scratch
			_ = Default.AssessInto(&s, &l2, &c2)
		}
		if !reflect.DeepEqual(kept, want) {
			t.Fatalf("an earlier assessment changed:\n%+v\nwant\n%+v", kept, want)
		}
	})
}

// AssessInto with a reused Scratch gives what Assess gives, whatever the
// Scratch held before: nothing of an earlier assessment leaks into a later one.
func TestAssessIntoReusedScratchMatchesAssess(t *testing.T) {
	var s Scratch
	rapid.Check(t, func(t *rapid.T) {
		l, c := genLock(t, false), genContext(t)
		got := Default.AssessInto(&s, &l, &c)
		want := Default.Assess(&l, &c)
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("AssessInto:\n%+v\nAssess:\n%+v", *got, want)
		}
		if string(got.AppendJSON(nil)) != string(want.AppendJSON(nil)) {
			t.Fatal("the two encode differently")
		}
	})
}

// The probes take shortcuts (only detection or evidence recomputed, a
// keyless lock's cylinder skipped); each must give the score, band and
// gates a full evaluation of the lock with that one attribute stated gives.
func TestProbeShortcutsMatchFullEvaluation(t *testing.T) {
	for _, e := range []*Engine{Default, MustEngine(&V1)} {
		rapid.Check(t, func(t *rapid.T) {
			l, c := genLock(t, false), genContext(t)
			cv := e.compileContext(&c)
			for _, upper := range []bool{false, true} {
				var base values
				base.loadAll(&l, upper)
				var eb evaluation
				e.evaluate(&base, &cv, &eb)
				for i := 0; i < numAttrs; i++ {
					for _, tmpl := range internTemplates[i] {
						got := e.stated(&base, &cv, &eb, i, tmpl)
						l2 := l
						Attributes[i].adopt(&l2, tmpl)
						var full values
						full.loadAll(&l2, upper)
						var want evaluation
						e.evaluate(&full, &cv, &want)
						if got != (probe{score: want.score, band: want.band, gates: want.gates}) {
							t.Fatalf("%s stated as %v (upper %v): probe %+v, full evaluation %+v", Attributes[i].Name, tmpl, upper, got, want)
						}
					}
				}
			}
		})
	}
}
