package catalogue_test

import (
	"runtime"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

// BenchmarkGCWithSnapshot is one full garbage collection with a
// 100,000-model snapshot live, as a busy server holds it (its four orders,
// two cached rankings and every verdict computed): the mark work every GC
// cycle repeats, which sets the tail latency of a busy server.
func BenchmarkGCWithSnapshot(b *testing.B) {
	ms := syntheticModels(b, 100_000)
	// Copy the models' strings so the snapshot owns its memory as it would
	// after loading from the database.
	for i := range ms {
		ms[i].Slug = string([]byte(ms[i].Slug))
		ms[i].Brand = string([]byte(ms[i].Brand))
		ms[i].Model = string([]byte(ms[i].Model))
	}
	snap := catalogue.BuildSnapshot(nil, ms, 1)
	ms = nil
	warm(snap)
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
	}
	runtime.KeepAlive(snap)
}

// BenchmarkSnapshotBytesPerModel is the live heap a snapshot of 100,000
// real-sized models (internal/synth) holds, per model: the figure a
// compact snapshot must bring down (reported as B/model; ns/op is the
// build and does not matter here).
func BenchmarkSnapshotBytesPerModel(b *testing.B) {
	const n = 100_000
	var ms runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		models := syntheticModels(b, n)
		snap := catalogue.BuildSnapshot(nil, models, 1)
		models = nil
		warm(snap)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc-before)/n, "B/model")
		b.ReportMetric(float64(ms.HeapObjects)/n, "objects/model")
		runtime.KeepAlive(snap)
	}
}

// warm builds what serving builds lazily: the orders, two rankings, verdicts.
func warm(snap *catalogue.Snapshot) {
	for _, k := range catalogue.SortKeyNames {
		snap.Ordered(k, false)
	}
	snap.Ranking(scoring.Default, &scoring.Context{}, "")
	door := scoring.Context{DoorType: scoring.Ptr(scoring.DoorUKMultipoint)}
	snap.Ranking(scoring.Default, &door, door.Key())
	for _, e := range snap.Entries {
		e.Summary()
	}
}
