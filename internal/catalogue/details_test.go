package catalogue_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/testutil"
)

// The snapshot keeps only hot fields; Records brings the whole record back,
// equal to what the service wrote, on both engines.
func TestRecordsAreWholeRecords(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := testutil.Catalogue(t, eng.DSN(t), false)
			rec := record("whole-lock")
			rec.Notes = "a note"
			url := "https://example.com/product"
			rec.ProductURL = &url
			rec.Price = &catalogue.Price{Amount: 199.5, Currency: "GBP"}
			rec.Incidents = nil
			created, err := svc.Create(ctx, rec, "editor")
			if err != nil {
				t.Fatal(err)
			}
			snap := svc.Snapshot()
			e, ok := snap.Lookup("whole-lock")
			if !ok {
				t.Fatal("not in the snapshot")
			}
			for range 2 { // the second read comes from the detail cache
				got, err := snap.Record(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				// Record, not LockRecord: PostgreSQL keeps times to the microsecond.
				if !sameJSON(t, got.Record, created.Record) || got.Version != created.Version || got.Assessment != created.Assessment {
					t.Fatalf("Records gives\n%s\nthe service wrote\n%s", mustJSON(t, got), mustJSON(t, created))
				}
			}
		})
	}
}

// A snapshot taken before a change still serves the version it holds, from
// the revision kept for it, not the newer row.
func TestRecordsOfAnOlderSnapshotServeItsVersion(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := testutil.Catalogue(t, eng.DSN(t), false)
			rec := record("aging-lock")
			rec.Notes = "first"
			v1, err := svc.Create(ctx, rec, "editor")
			if err != nil {
				t.Fatal(err)
			}
			old := svc.Snapshot()
			if _, err := svc.Patch(ctx, "aging-lock", []byte(`{"notes":"second"}`), nil, "editor"); err != nil {
				t.Fatal(err)
			}
			e, _ := old.Lookup("aging-lock")
			got, err := old.Record(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			if got.Notes != "first" || got.Version != 1 || !sameJSON(t, got.Record, v1.Record) {
				t.Fatalf("the older snapshot serves %q at version %d, want version 1's %q", got.Notes, got.Version, "first")
			}
			e2, _ := svc.Snapshot().Lookup("aging-lock")
			now, err := svc.Snapshot().Record(ctx, e2)
			if err != nil || now.Notes != "second" || now.Version != 2 {
				t.Fatalf("the new snapshot serves %q at version %d (%v)", now.Notes, now.Version, err)
			}
		})
	}
}

func sameJSON(t *testing.T, a, b any) bool {
	return reflect.DeepEqual(mustJSON(t, a), mustJSON(t, b))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
