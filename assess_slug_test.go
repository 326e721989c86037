package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/seed"
)

// Without a database, assess --slug reads the embedded seed (and creates
// no database); the assessment is the engine's for that record, in the
// context of the flags.
func TestAssessSlugFromTheEmbeddedSeed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	env := map[string]string{"LOCKSCORE_DATABASE_URL": db}
	code, out, errOut := runCLI(t, "", env, "assess", "--slug", "yale-conexis-l2", "--door-type", "uk_multipoint", "--other-keyed-door")
	if code != 0 || !strings.Contains(errOut, "embedded seed") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatal("assess --slug created a database")
	}
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	var lock scoring.Lock
	for _, r := range recs {
		if r.Slug == "yale-conexis-l2" {
			lock = r.Lock
		}
	}
	other := true
	want, _ := json.MarshalIndent(scoring.Assess(lock, scoring.Context{DoorType: scoring.Ptr(scoring.DoorUKMultipoint), OtherKeyedDoor: &other}), "", "  ")
	if strings.TrimSpace(out) != string(want) {
		t.Fatalf("assessment differs from the engine's:\n%s", out)
	}
	code, out, errOut = runCLI(t, "", env, "assess", "--slug", "yale-conexis-l3")
	if code != 2 || out != "" || !strings.Contains(errOut, `"yale-conexis-l3"`) || !strings.Contains(errOut, "did you mean") {
		t.Fatalf("unknown slug: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut = runCLI(t, `{}`, env, "assess", "--slug", "yale-conexis-l2", "lock.json"); code != 2 || !strings.Contains(errOut, "not both") {
		t.Fatalf("slug and file: exit %d, stderr %q", code, errOut)
	}
}

// With a database, assess --slug reads it: a lock model only the database
// has is found, and the seed is not consulted.
func TestAssessSlugFromTheDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cat.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := catalogue.DecodeRecord([]byte(`{"slug":"acme-only-here","brand":"Acme","model":"Only","markets":["UK"],"form_factor":"deadbolt","status":"current",
		"data_confidence":"low","key_override":"none","keypad":true,"interior_egress":"mechanical","sources":[{"url":"https://example.com","title":"t","supports":[]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalogue.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))).Create(ctx, rec, "test"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errOut := runCLI(t, "", nil, "assess", "--slug", "acme-only-here", "--database-url", db, "--format", "text")
	if code != 0 || !strings.Contains(errOut, "the database") || !strings.Contains(out, "no usable mechanical key override") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut = runCLI(t, "", map[string]string{"LOCKSCORE_DATABASE_URL": db}, "assess", "--slug", "yale-conexis-l2"); code != 2 || !strings.Contains(errOut, "in the database") {
		t.Fatalf("a seed lock absent from the database: exit %d, stderr %q", code, errOut)
	}
}
