package catalogue_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/synth"
	"github.com/lockscore/lockscore/models"
	"github.com/lockscore/lockscore/seed"
)

func syntheticModels(b *testing.B, n int) []models.LockModel {
	b.Helper()
	sample, err := seed.Records()
	if err != nil {
		b.Fatal(err)
	}
	g := synth.New(sample)
	out := make([]models.LockModel, n)
	for i := range out {
		r := g.Record(1, i)
		r.ToModel(&out[i])
		sum, _ := scoring.Summarise(r.Lock, scoring.Context{})
		out[i].SetSummary(sum)
		out[i].Version = 1
	}
	return out
}

var sizes = []int{10_000, 100_000}

// BenchmarkSnapshotBuild is start-up's in-memory work for N models.
func BenchmarkSnapshotBuild(b *testing.B) {
	for _, n := range sizes {
		ms := syntheticModels(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = catalogue.BuildSnapshot(nil, ms, 1)
			}
		})
	}
}

// BenchmarkSnapshotApplyChange is the work of serving one changed model.
func BenchmarkSnapshotApplyChange(b *testing.B) {
	for _, n := range sizes {
		ms := syntheticModels(b, n)
		base := catalogue.BuildSnapshot(nil, ms, 1)
		changed := []models.LockModel{ms[n/2]}
		changed[0].Notes = "changed"
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = catalogue.BuildSnapshot(base, changed, 2)
			}
		})
	}
}

// BenchmarkRankingCold is the first ranking request for a context after a
// catalogue change: every model assessed in the context and ordered.
func BenchmarkRankingCold(b *testing.B) {
	ctx := scoring.Context{DoorType: scoring.Ptr(scoring.DoorUKMultipoint), OtherKeyedDoor: scoring.Ptr(true),
		Occupants: []scoring.Occupant{scoring.OccupantLivesAlone}}
	for _, n := range sizes {
		ms := syntheticModels(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				snap := catalogue.BuildSnapshot(nil, ms, 1) // a new snapshot: nothing cached
				b.StartTimer()
				_ = snap.Ranking(scoring.Default, &ctx, "k")
			}
		})
	}
}

// BenchmarkListFiltered is GET /locks with two filters, a sort and a cursor,
// uncached (orders built once per snapshot).
func BenchmarkListFiltered(b *testing.B) {
	for _, n := range sizes {
		snap := catalogue.BuildSnapshot(nil, syntheticModels(b, n), 1)
		f := catalogue.Filter{Markets: []string{"UK", "EU"}, KeyOverrides: []string{"independent"}}
		first := snap.List(&f, catalogue.SortBrand, false, 20, "brand", nil)
		_ = snap.Ordered(catalogue.SortBrand, false)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = snap.List(&f, catalogue.SortBrand, false, 20, "brand", first.Next)
			}
		})
	}
}

// BenchmarkRankingPageJSON is serializing one page of 20 ranking rows.
func BenchmarkRankingPageJSON(b *testing.B) {
	snap := catalogue.BuildSnapshot(nil, syntheticModels(b, 10_000), 1)
	all := snap.Ranking(scoring.Default, &scoring.Context{}, "")
	page := catalogue.Rank(scoring.Default, all, &catalogue.Filter{}, 20, "rank:", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(page.Rows); err != nil {
			b.Fatal(err)
		}
	}
}
