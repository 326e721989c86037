package synth_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
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
	// Real-sized: the mean encoded record, its sources and its notes are
	// the seed's, within 15% (a lean generator gave a third of the size).
	mean := func(n int, rec func(int) *catalogue.Record) (bytes, sources, notes float64) {
		for k := 0; k < n; k++ {
			r := rec(k)
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			bytes += float64(len(b))
			sources += float64(len(r.Sources))
			notes += float64(len(r.Notes))
		}
		return bytes / float64(n), sources / float64(n), notes / float64(n)
	}
	wb, ws, wn := mean(len(sample), func(k int) *catalogue.Record { return &sample[k] })
	gb, gs, gn := mean(len(recs), func(k int) *catalogue.Record { return &recs[k] })
	for _, c := range []struct {
		what      string
		got, want float64
	}{{"encoded bytes", gb, wb}, {"sources", gs, ws}, {"notes length", gn, wn}} {
		if math.Abs(c.got-c.want) > 0.15*c.want {
			t.Errorf("mean %s per record %.1f, seed has %.1f", c.what, c.got, c.want)
		}
	}
	if a, b := g.Record(1, 42), g.Record(1, 42); !a.Equal(&b) {
		t.Fatal("not deterministic")
	}
}
