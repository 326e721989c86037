package catalogue_test

import (
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
)

// BenchmarkSearchTypo is one uncached /locks?q= over 100,000 models: an exact
// word, then words that match only within the typo allowance (the slow path).
func BenchmarkSearchTypo(b *testing.B) {
	snap := catalogue.BuildSnapshot(nil, syntheticModels(b, 100_000), 1)
	for _, q := range []string{"conexis", "conexsis", "nukki"} {
		b.Run(q, func(b *testing.B) {
			f := &catalogue.Filter{Words: []string{q}, ExactFirst: true}
			b.ReportAllocs()
			for b.Loop() {
				snap.List(f, catalogue.SortScore, true, 20, "-score", nil)
			}
		})
	}
}
