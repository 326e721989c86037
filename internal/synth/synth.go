// Package synth generates synthetic catalogues for benchmarks: N lock
// models whose attribute distributions (unknown rates and value
// frequencies) are those of the seed catalogue, and whose records are the
// seed's real size: each takes its sources (titles, supports, access
// dates), incidents, notes, price and URLs from a seed record drawn at
// random, so counts and lengths follow the seed's distributions.
// Deterministic for a seed.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"

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
	// sample is the seed, whose cold fields (sources, incidents, notes,
	// price, URLs, release year) are copied whole, one seed record per
	// synthetic one: fields drawn independently would lose the correlation
	// between a well-researched record's many sources and its long notes.
	sample []catalogue.Record
}

// New learns the distributions of sample (the seed catalogue).
func New(sample []catalogue.Record) *Generator {
	g := &Generator{attrs: make([]*distribution, len(scoring.Attributes)), sample: sample}
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
	}
	g.cold(r, &rec, i)
	for k := range scoring.Attributes {
		if v := g.attrs[k].draw(r); v != "" {
			scoring.Attributes[k].Set(&rec.Lock, &v)
		}
	}
	return rec
}

// cold copies the cold fields of a random seed record into rec, as fresh
// strings (a decoded import holds its own copies, not shared ones), with
// each URL made unique to the synthetic record as a real one would be.
func (g *Generator) cold(r *rand.Rand, rec *catalogue.Record, i int) {
	rec.Incidents = []models.Incident{}
	if len(g.sample) == 0 {
		rec.Sources = []models.Source{{URL: "https://example.com/synthetic/" + rec.Slug, Title: "synthetic", Supports: []string{}}}
		return
	}
	src := &g.sample[r.IntN(len(g.sample))]
	uniq := func(u string) string {
		if strings.Contains(u, "#") {
			return fmt.Sprintf("%s-m%d", u, i)
		}
		return fmt.Sprintf("%s#m%d", u, i)
	}
	rec.Sources = make([]models.Source, len(src.Sources))
	for k, s := range src.Sources {
		rec.Sources[k] = models.Source{URL: uniq(s.URL), Title: strings.Clone(s.Title), Supports: cloneStrings(s.Supports), Accessed: clonePtr(s.Accessed)}
	}
	for _, in := range src.Incidents {
		rec.Incidents = append(rec.Incidents, models.Incident{Date: clonePtr(in.Date), Summary: strings.Clone(in.Summary), SourceURL: uniq(in.SourceURL)})
	}
	rec.Notes = strings.Clone(src.Notes)
	rec.Variant = strings.Clone(src.Variant)
	if src.ReleaseYear != nil {
		y := *src.ReleaseYear
		rec.ReleaseYear = &y
	}
	if src.Price != nil {
		p := *src.Price
		p.AsOf = clonePtr(p.AsOf)
		rec.Price = &p
	}
	if src.ProductURL != nil {
		u := uniq(*src.ProductURL)
		rec.ProductURL = &u
	}
	if src.ImageURL != nil {
		u := uniq(*src.ImageURL)
		rec.ImageURL = &u
	}
}

func cloneStrings(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.Clone(s)
	}
	return out
}

func clonePtr(p *string) *string {
	if p == nil {
		return nil
	}
	s := strings.Clone(*p)
	return &s
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
