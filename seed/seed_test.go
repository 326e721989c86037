package seed_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/seed"
)

func openService(t *testing.T) *catalogue.Service {
	t.Helper()
	return openServiceOn(t, filepath.Join(t.TempDir(), "seed.db"))
}

func openServiceOn(t *testing.T, dsn string) *catalogue.Service {
	t.Helper()
	return testutil.Catalogue(t, dsn, false)
}

func TestSeedLoadsEveryResearchRecordOnce(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { seedOnce(t, openServiceOn(t, eng.DSN(t))) })
	}
}

func seedOnce(t *testing.T, svc *catalogue.Service) {
	ctx := context.Background()
	rep, err := seed.Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	n := len(recs)
	if rep.Created != n {
		t.Fatalf("created %d, the seed has %d", rep.Created, n)
	}
	snap := svc.Snapshot()
	if snap.Len() != n {
		t.Fatalf("snapshot holds %d, want %d", snap.Len(), n)
	}
	// The catalogue grew from the shared research file: every model of it
	// is still here (a slug is never dropped; a discontinued model keeps
	// its record with status).
	for _, slug := range researchSlugs(t) {
		if _, ok := snap.Lookup(slug); !ok {
			t.Errorf("research model %s is missing from the seed", slug)
		}
	}
	full, err := snap.Records(ctx, snap.Entries)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range full {
		if len(r.Sources) == 0 || r.Sources[0].URL == "" {
			t.Errorf("%s has no source URL", r.Slug)
		}
	}
	l2, ok := snap.Lookup("yale-conexis-l2")
	if !ok {
		t.Fatal("yale-conexis-l2 missing")
	}
	if b := l2.Summary().Band; b != "D" && b != "E" {
		t.Errorf("Conexis L2 is band %s, want D or E", b)
	}
	// Seeding again changes nothing.
	again, err := seed.Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != n {
		t.Errorf("second seed: %+v", again)
	}
	revs, err := svc.Store().CountRevisions(ctx)
	if err != nil || revs != int64(n) {
		t.Errorf("revisions %d (%v), want %d", revs, err, n)
	}
}

func TestSeedNeverOverwritesAnEditorsChange(t *testing.T) {
	ctx := context.Background()
	svc := openService(t)
	if _, err := seed.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Patch(ctx, "nuki-smart-lock-2", []byte(`{"notes":"checked by an editor"}`), nil, "editor"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete(ctx, "wyze-lock", nil, "editor"); err != nil {
		t.Fatal(err)
	}
	rep, err := seed.Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if rep.KeptEdited != 2 || rep.Created != 0 || rep.Updated != 0 {
		t.Errorf("reseed after edits: %+v", rep)
	}
	e, _ := svc.Snapshot().Lookup("nuki-smart-lock-2")
	if r, err := svc.Snapshot().Record(ctx, e); err != nil || r.Notes != "checked by an editor" {
		t.Errorf("editor's note overwritten: %q (%v)", r.Notes, err)
	}
	if _, ok := svc.Snapshot().Lookup("wyze-lock"); ok {
		t.Error("seed brought back a lock an editor deleted")
	}
}

// researchSlugs returns the ids of the shared research file, or none when
// the project is checked out without it.
func researchSlugs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../shared/research/lock-catalogue.json")
	if err != nil {
		t.Logf("research file not found beside the project (%v); not comparing with it", err)
		return nil
	}
	var raw []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	slugs := make([]string, len(raw))
	for i, r := range raw {
		slugs[i] = r.ID
	}
	return slugs
}
