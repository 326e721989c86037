package catalogue_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/models"
)

// BenchmarkLoad is start-up's work for N models in SQLite: read every row,
// build the snapshot.
func BenchmarkLoad(b *testing.B) {
	n := 100_000
	dir := b.TempDir()
	dsn := filepath.Join(dir, "load.db")
	st := testutil.OpenStore(b, dsn)
	ms := syntheticModels(b, n)
	revs := make([]models.Revision, n)
	for i := range revs {
		revs[i] = models.Revision{Action: "import", Summary: "s", APIKeyName: "b", Snapshot: "{}", CreatedAt: time.Now()}
		ms[i].LastEditor, ms[i].CreatedAt, ms[i].UpdatedAt = "b", time.Now(), time.Now()
	}
	if err := st.Write(context.Background(), func(tx *store.Tx) error { return tx.InsertLocks(ms, revs) }); err != nil {
		b.Fatal(err)
	}
	if fi, err := os.Stat(dsn); err == nil {
		b.Logf("database %d MB", fi.Size()>>20)
	}
	svc := catalogue.New(st, testutil.Logger())
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := st.LocksChangedSince(context.Background(), 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if err := svc.Load(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
