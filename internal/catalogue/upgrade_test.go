package catalogue_test

import (
	"context"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/seed"
)

// A database left by the v1 release (schema 3, every stored assessment
// scored by methodology 1) is upgraded on start-up: migrated, and every
// lock recomputed under the methodology in force.
func TestUpgradeFromV1RecomputesEveryLock(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := eng.DSN(t)
			old, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if err := old.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			v1 := catalogue.NewWithEngine(old, testutil.Logger(), scoring.MustEngine(&scoring.V1))
			if _, err := seed.Load(ctx, v1); err != nil {
				t.Fatal(err)
			}
			if err := old.RollbackTo(ctx, 3); err != nil { // the v1 release's schema
				t.Fatal(err)
			}
			if v, _ := old.SchemaVersion(ctx); v != 3 {
				t.Fatalf("schema %d, want the v1 release's 3", v)
			}
			old.Close()

			svc := testutil.Catalogue(t, dsn, false) // migrates and loads, as serve does
			snap := svc.Snapshot()
			if snap.Len() == 0 {
				t.Fatal("no locks after the upgrade")
			}
			for _, e := range snap.Entries {
				if got := e.Summary().MethodologyVersion; got != "2" {
					t.Errorf("%s carries methodology_version %q after the upgrade", e.Slug(), got)
				}
			}
		})
	}
}

// Changing any number of the methodology, not only its version string,
// recomputes the stored assessments.
func TestChangedMethodologyContentRecomputes(t *testing.T) {
	ctx := context.Background()
	dsn := testutil.Engines(t)[0].DSN(t)
	svc := testutil.Catalogue(t, dsn, true)
	before, _ := svc.Snapshot().Lookup("yale-conexis-l2")
	m := scoring.V2
	m.Components.Coverage, m.Components.Detection = 60, 30 // same version string, other weights
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	changed := catalogue.NewWithEngine(st, testutil.Logger(), scoring.MustEngine(&m))
	if err := changed.Load(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := changed.Snapshot().Lookup("yale-conexis-l2")
	lock := after.Lock()
	want, _ := scoring.MustEngine(&m).Summarise(&lock, &scoring.Context{})
	if after.Score() != want.Score || after.Score() == before.Score() {
		t.Errorf("stored score %v (was %v), want %v from the changed methodology", after.Score(), before.Score(), want.Score)
	}
}
