// Package synth generates synthetic catalogues for benchmarks: N lock
// models whose attribute distributions (unknown rates and value
// frequencies) are those of the seed catalogue, deterministic for a seed.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// distribution is the observed frequency of each value ("" = unknown).
type distribution struct {
	values []string
	counts []int
	total  int
}

func (d *distribution) add(v string) {
	for i, x := range d.values {
		if x == v {
			d.counts[i]++
			d.total++
			return
		}
	}
	d.values = append(d.values, v)
	d.counts = append(d.counts, 1)
	d.total++
}

func (d *distribution) draw(r *rand.Rand) string {
	n := r.IntN(d.total)
	for i, c := range d.counts {
		if n < c {
			return d.values[i]
		}
		n -= c
	}
	return d.values[len(d.values)-1]
}

// Generator draws records from the distributions of a sample catalogue.
type Generator struct {
	attrs      [](*distribution)
	forms      distribution
	statuses   distribution
	confidence distribution
	markets    []string
	doorTypes  []string
}

// New learns the distributions of sample (the seed catalogue).
func New(sample []catalogue.Record) *Generator {
	g := &Generator{attrs: make([]*distribution, len(scoring.Attributes))}
	for i := range g.attrs {
		g.attrs[i] = &distribution{}
	}
	for k := range sample {
		r := &sample[k]
		for i := range scoring.Attributes {
			v, _ := scoring.Attributes[i].Get(&r.Lock)
			g.attrs[i].add(v)
		}
		g.forms.add(r.FormFactor)
		g.statuses.add(r.Status)
		g.confidence.add(r.DataConfidence)
		g.markets = append(g.markets, r.Markets...)
		g.doorTypes = append(g.doorTypes, r.DoorTypes...)
	}
	return g
}

// Record draws the i-th synthetic record; the same seed and i give the same record.
func (g *Generator) Record(seed uint64, i int) catalogue.Record {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	slug := fmt.Sprintf("synthetic-%07d", i)
	rec := catalogue.Record{
		Slug: slug, Brand: fmt.Sprintf("Brand %02d", r.IntN(40)), Model: fmt.Sprintf("Model %d", i),
		FormFactor: g.forms.draw(r), Status: g.statuses.draw(r), DataConfidence: g.confidence.draw(r),
		Markets: pickSome(r, g.markets, 1+r.IntN(2)), DoorTypes: pickSome(r, g.doorTypes, r.IntN(2)),
		Sources:   []models.Source{{URL: "https://example.com/synthetic/" + slug, Title: "synthetic", Supports: []string{}}},
		Incidents: []models.Incident{},
	}
	for k := range scoring.Attributes {
		if v := g.attrs[k].draw(r); v != "" {
			scoring.Attributes[k].Set(&rec.Lock, &v)
		}
	}
	return rec
}

func pickSome(r *rand.Rand, pool []string, n int) []string {
	out := []string{}
	for len(out) < n && len(pool) > 0 {
		v := pool[r.IntN(len(pool))]
		dup := false
		for _, x := range out {
			dup = dup || x == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// Records draws n records.
func (g *Generator) Records(seed uint64, n int) []catalogue.Record {
	out := make([]catalogue.Record, n)
	for i := range out {
		out[i] = g.Record(seed, i)
	}
	return out
}
