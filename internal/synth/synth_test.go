package synth_test

import (
	"math"
	"testing"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/synth"
	"github.com/lockscore/lockscore/seed"
)

func TestSyntheticRecordsFollowTheSeedAndValidate(t *testing.T) {
	sample, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(sample)
	recs := g.Records(1, 5000)
	unknown := func(i int, list func(int) *scoring.Lock, n int) float64 {
		u := 0
		for k := 0; k < n; k++ {
			if _, ok := scoring.Attributes[i].Get(list(k)); !ok {
				u++
			}
		}
		return float64(u) / float64(n)
	}
	for i := range scoring.Attributes {
		want := unknown(i, func(k int) *scoring.Lock { return &sample[k].Lock }, len(sample))
		got := unknown(i, func(k int) *scoring.Lock { return &recs[k].Lock }, len(recs))
		if math.Abs(got-want) > 0.05 {
			t.Errorf("%s: unknown rate %.2f, seed has %.2f", scoring.Attributes[i].Name, got, want)
		}
	}
	for _, r := range recs[:200] {
		if errs := r.Validate(); len(errs) > 0 {
			t.Fatalf("%s invalid: %+v", r.Slug, errs)
		}
	}
	if a, b := g.Record(1, 42), g.Record(1, 42); !a.Equal(&b) {
		t.Fatal("not deterministic")
	}
}
