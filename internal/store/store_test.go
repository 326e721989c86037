package store_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/models"
)

func TestStore(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := eng.DSN(t)
			st := testutil.OpenStore(t, dsn)

			t.Run("migrations are idempotent and concurrent-safe", func(t *testing.T) {
				var wg sync.WaitGroup
				errs := make(chan error, 4)
				for i := 0; i < 4; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						other, err := store.Open(ctx, dsn)
						if err != nil {
							errs <- err
							return
						}
						defer other.Close()
						errs <- other.Migrate(ctx)
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					if err != nil {
						t.Fatal(err)
					}
				}
				if v, err := st.SchemaVersion(ctx); err != nil || v != 4 {
					t.Fatalf("schema version %d (%v)", v, err)
				}
			})

			t.Run("insert, find, update with version check", func(t *testing.T) {
				m := testModel("store-one")
				err := st.Write(ctx, func(tx *store.Tx) error {
					return tx.InsertLock(&m, models.Revision{Action: models.ActionCreate, Summary: "created", APIKeyName: "t", Snapshot: "{}"})
				})
				if err != nil {
					t.Fatal(err)
				}
				got, err := st.FindLock(ctx, "store-one", false)
				if err != nil || got.Version != 1 || got.CatalogueRevision == 0 {
					t.Fatalf("found %+v (%v)", got, err)
				}
				got.Notes = "changed"
				f := false
				got.Keypad = &f // a false must persist (pitfall G7)
				err = st.Write(ctx, func(tx *store.Tx) error {
					return tx.UpdateLock(&got, 1, models.Revision{Action: models.ActionPatch, Summary: "s", APIKeyName: "t", Snapshot: "{}"})
				})
				if err != nil {
					t.Fatal(err)
				}
				again, _ := st.FindLock(ctx, "store-one", false)
				if again.Version != 2 || again.Notes != "changed" || again.Keypad == nil || *again.Keypad {
					t.Fatalf("after update %+v", again)
				}
				stale := again
				err = st.Write(ctx, func(tx *store.Tx) error {
					return tx.UpdateLock(&stale, 1, models.Revision{Action: models.ActionPatch, Summary: "s", APIKeyName: "t", Snapshot: "{}"})
				})
				if models.KindOf(err) != models.KindPreconditionFailed {
					t.Fatalf("stale update: %v", err)
				}
				dup := testModel("store-one")
				err = st.Write(ctx, func(tx *store.Tx) error { return tx.InsertLock(&dup, models.Revision{Snapshot: "{}"}) })
				if models.KindOf(err) != models.KindConflict {
					t.Fatalf("duplicate slug: %v", err)
				}
				if _, err := st.FindLock(ctx, "missing", false); models.KindOf(err) != models.KindNotFound {
					t.Fatalf("missing: %v", err)
				}
				revs, err := st.Revisions(ctx, "store-one")
				if err != nil || len(revs) != 2 || revs[0].Version != 2 {
					t.Fatalf("revisions %+v (%v)", revs, err)
				}
			})

			t.Run("a failed transaction leaves nothing", func(t *testing.T) {
				before, _ := st.CatalogueRevision(ctx)
				boom := errors.New("boom")
				err := st.Write(ctx, func(tx *store.Tx) error {
					m := testModel("never-kept")
					if err := tx.InsertLock(&m, models.Revision{Snapshot: "{}"}); err != nil {
						return err
					}
					return boom
				})
				if !errors.Is(err, boom) {
					t.Fatal(err)
				}
				if _, err := st.FindLock(ctx, "never-kept", true); models.KindOf(err) != models.KindNotFound {
					t.Fatal("rolled-back insert is visible")
				}
				if after, _ := st.CatalogueRevision(ctx); after != before {
					t.Fatal("rolled-back transaction moved the catalogue revision")
				}
			})

			t.Run("foreign keys are enforced", func(t *testing.T) {
				err := st.Write(ctx, func(tx *store.Tx) error {
					return tx.RawCreateRevision(models.Revision{LockID: 999999, Version: 1, Slug: "orphan", Action: "create", Snapshot: "{}", CreatedAt: time.Now()})
				})
				if !errors.Is(err, gorm.ErrForeignKeyViolated) {
					t.Fatalf("orphan revision: %v", err)
				}
			})

			t.Run("idempotency keys expire, and an abandoned claim is taken over", func(t *testing.T) {
				day, abandon := 24*time.Hour, 5*time.Minute
				t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
				rec, claimed, err := st.ClaimIdempotencyKey(ctx, "editor", "k", "h1", t0, day, abandon)
				if err != nil || !claimed {
					t.Fatalf("first claim: %v %v", claimed, err)
				}
				if _, claimed, _ := st.ClaimIdempotencyKey(ctx, "editor", "k", "h1", t0.Add(time.Minute), day, abandon); claimed {
					t.Fatal("a claim in progress was taken over after a minute")
				}
				if _, claimed, _ := st.ClaimIdempotencyKey(ctx, "editor", "k", "h2", t0.Add(10*time.Minute), day, abandon); claimed {
					t.Fatal("another request took over an abandoned claim")
				}
				taken, claimed, _ := st.ClaimIdempotencyKey(ctx, "editor", "k", "h1", t0.Add(10*time.Minute), day, abandon)
				if !claimed {
					t.Fatal("the same request could not take over an abandoned claim")
				}
				answer := store.Answer{Status: 201, ContentType: "application/json", ETag: `"v1"`, Location: "/x", Body: []byte("{}")}
				// The claim's first owner, were it still running, can no longer complete it.
				if err := st.CompleteIdempotencyKey(ctx, rec.ID, answer); !errors.Is(err, store.ErrClaimLost) {
					t.Fatalf("the abandoned claim completed: %v", err)
				}
				if err := st.CompleteIdempotencyKey(ctx, taken.ID, answer); err != nil {
					t.Fatal(err)
				}
				done, claimed, _ := st.ClaimIdempotencyKey(ctx, "editor", "k", "h1", t0.Add(time.Hour), day, abandon)
				if claimed || done.Status != 201 || done.Body != "{}" || done.ETag != `"v1"` {
					t.Fatalf("a completed key: claimed %v, %+v", claimed, done)
				}
				if _, claimed, _ := st.ClaimIdempotencyKey(ctx, "editor", "k", "h2", t0.Add(25*time.Hour), day, abandon); !claimed {
					t.Fatal("a key older than a day was not forgotten")
				}
			})

			t.Run("changes since a revision include deletions", func(t *testing.T) {
				rev, _ := st.CatalogueRevision(ctx)
				m, _ := st.FindLock(ctx, "store-one", false)
				now := time.Now().UTC()
				m.DeletedAt = &now
				if err := st.Write(ctx, func(tx *store.Tx) error {
					return tx.UpdateLock(&m, m.Version, models.Revision{Action: models.ActionDelete, Summary: "d", APIKeyName: "t", Snapshot: "{}"})
				}); err != nil {
					t.Fatal(err)
				}
				changed, newRev, err := st.LocksChangedSince(ctx, rev)
				if err != nil || newRev != rev+1 || len(changed) != 1 || changed[0].DeletedAt == nil {
					t.Fatalf("changed %+v rev %d (%v)", changed, newRev, err)
				}
			})
		})
	}
}

func testModel(slug string) models.LockModel {
	return models.LockModel{Slug: slug, Brand: "B", Model: "M", Markets: []string{"UK"}, FormFactor: "deadbolt", DoorTypes: []string{},
		Status: "current", Sources: []models.Source{{URL: "https://example.com"}}, Incidents: []models.Incident{}, DataConfidence: "low",
		LastEditor: "t", Band: "E", Label: "Unsuitable", MethodologyVersion: "1", CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
}

// Every migration leaves lock_models with one column per scoring attribute,
// under its public name: the store scans them from the attribute table.
func TestEveryMigrationHasTheAttributeColumns(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, eng.DSN(t))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			for v := int64(1); v <= 4; v++ {
				if err := st.MigrateTo(ctx, v); err != nil {
					t.Fatal(err)
				}
				cols, err := st.Columns(ctx, "lock_models")
				if err != nil {
					t.Fatal(err)
				}
				have := map[string]bool{}
				for _, c := range cols {
					have[c] = true
				}
				for _, name := range scoring.AttributeNames() {
					if !have[name] {
						t.Errorf("after migration %d lock_models has no column %s", v, name)
					}
				}
				if v >= 4 && !have["methodology_hash"] {
					t.Errorf("after migration %d lock_models has no methodology_hash", v)
				}
			}
		})
	}
}

// LockHeadsChangedSince reads every hot column as LocksChangedSince does
// and the cold ones as empty.
func TestLockHeadsLeaveOutTheColdColumns(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := testutil.Catalogue(t, eng.DSN(t), true)
			st := svc.Store()
			full, rev, err := st.LocksChangedSince(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			heads, hrev, err := st.LockHeadsChangedSince(ctx, 0)
			if err != nil || hrev != rev || len(heads) != len(full) || len(full) == 0 {
				t.Fatalf("%d heads at %d, %d rows at %d (%v)", len(heads), hrev, len(full), rev, err)
			}
			for i := range full {
				want := full[i]
				want.PriceAmount, want.PriceCurrency, want.PriceAsOf, want.ProductURL, want.ImageURL = nil, nil, nil, nil, nil
				want.Sources, want.Incidents, want.Notes = []models.Source{}, []models.Incident{}, ""
				if !reflect.DeepEqual(heads[i], want) {
					t.Fatalf("%s: head\n%+v\nwant\n%+v", want.Slug, heads[i], want)
				}
			}
		})
	}
}
