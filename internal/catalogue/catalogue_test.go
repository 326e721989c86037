package catalogue_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/models"
)

func record(slug string) catalogue.Record {
	r, err := catalogue.DecodeRecord([]byte(`{"slug":"` + slug + `","brand":"B","model":"M","markets":["UK"],"form_factor":"deadbolt","status":"current",
		"data_confidence":"low","key_override":"independent","interior_egress":"mechanical","sources":[{"url":"https://example.com","title":"t","supports":[]}]}`))
	if err != nil {
		panic(err)
	}
	return r
}

// A change made through one replica is served by another within 2 seconds.
func TestReplicasConverge(t *testing.T) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			dsn := eng.DSN(t)
			a := testutil.Catalogue(t, dsn, false)
			b := testutil.Catalogue(t, dsn, false)
			go b.Sync(ctx, 100*time.Millisecond)
			if _, err := a.Create(ctx, record("shared-lock"), "editor"); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			for {
				if _, ok := b.Snapshot().Lookup("shared-lock"); ok {
					break
				}
				if time.Since(start) > 2*time.Second {
					t.Fatal("replica b did not see the new lock within 2 s")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := a.Delete(ctx, "shared-lock", nil, "editor"); err != nil {
				t.Fatal(err)
			}
			start = time.Now()
			for {
				if _, ok := b.Snapshot().Lookup("shared-lock"); !ok {
					break
				}
				if time.Since(start) > 2*time.Second {
					t.Fatal("replica b still serves a deleted lock after 2 s")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// Stored assessments from another methodology version are recomputed at load.
func TestStaleAssessmentsAreRecomputed(t *testing.T) {
	ctx := context.Background()
	dsn := testutil.Engines(t)[0].DSN(t)
	svc := testutil.Catalogue(t, dsn, false)
	created, err := svc.Create(ctx, record("stale-one"), "editor")
	if err != nil {
		t.Fatal(err)
	}
	n, err := svc.Store().UpdateSummaries(ctx, func(m *models.LockModel) { m.MethodologyVersion, m.Score, m.Band = "0", 1, "E" })
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if err := svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	e, _ := svc.Snapshot().Lookup("stale-one")
	if e.Summary() != created.Assessment || e.Version() != created.Version {
		t.Fatalf("after recompute %+v (version %d), want %+v", e.Summary(), e.Version(), created.Assessment)
	}
}

// FuzzDecodeRecord: any input either decodes to a record that validates and
// survives a JSON round trip, or fails with field errors; never a panic.
func FuzzDecodeRecord(f *testing.F) {
	good, _ := json.Marshal(record("fuzz-seed"))
	f.Add(good)
	f.Add([]byte(`{"slug":"x","keypad":"yes"}`))
	f.Add([]byte(`{"slug":"x","sources":[{"url":"ftp://x"}],"price":{"amount":-1,"currency":"gbp"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"unknown":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := catalogue.DecodeRecord(data)
		if err != nil {
			var fields []models.FieldError
			if me, ok := err.(*models.Error); ok {
				fields = me.Fields
			}
			if len(fields) == 0 {
				t.Fatalf("rejection without field errors: %v", err)
			}
			return
		}
		if errs := r.Validate(); len(errs) > 0 {
			t.Fatalf("accepted an invalid record: %+v", errs)
		}
		b, _ := json.Marshal(r)
		again, err := catalogue.DecodeRecord(b)
		if err != nil || !again.Equal(&r) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

func FuzzCursor(f *testing.F) {
	f.Add(catalogue.Cursor{Sort: "-score", Filter: "abc", Slug: "x", Score: 50}.Encode())
	f.Add("not a cursor")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := catalogue.DecodeCursor(s, "-score", "abc")
		if err == nil && (c.Slug == "" || c.Sort != "-score") {
			t.Fatalf("accepted a cursor for another query: %+v", c)
		}
	})
}

func FuzzChangeCursor(f *testing.F) {
	f.Add(catalogue.ChangePosition{Revision: 41, Slug: "yale-conexis-l2"}.Encode())
	f.Add(catalogue.ChangePosition{Revision: 0}.Encode())
	f.Add("eyJyIjotMSwiayI6IngifQ")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := catalogue.DecodeChangePosition(s)
		if err != nil {
			return
		}
		if p.Revision < 0 || !catalogue.ValidSlug(p.Slug) {
			t.Fatalf("accepted an impossible position %+v", p)
		}
		if again, err := catalogue.DecodeChangePosition(p.Encode()); err != nil || again != p {
			t.Fatalf("position %+v does not survive its own encoding: %+v, %v", p, again, err)
		}
	})
}

func FuzzParseIfMatch(f *testing.F) {
	for _, s := range []string{`"v3"`, `*`, ``, `W/"v3"`, `"v-1"`, `"v99999999999999999999"`, `v3`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		v, err := catalogue.ParseIfMatch(h)
		if err != nil || v == nil {
			return
		}
		if catalogue.ETag(*v) != strings.TrimSpace(h) {
			t.Fatalf("If-Match %q read as version %d", h, *v)
		}
	})
}

// After a change, the rankings readers used lately are rebuilt for the new
// snapshot without waiting for a reader.
func TestRecentRankingsAreWarmedAfterAChange(t *testing.T) {
	ctx := context.Background()
	svc := testutil.Catalogue(t, testutil.Engines(t)[0].DSN(t), true)
	c := scoring.Context{DoorType: scoring.Ptr(scoring.DoorUKMultipoint)}
	svc.Snapshot().Ranking(svc.Engine(), &c, "door=uk_multipoint;")
	if _, err := svc.Create(ctx, record("warm-me"), "editor"); err != nil {
		t.Fatal(err)
	}
	next := svc.Snapshot()
	deadline := time.Now().Add(2 * time.Second)
	for !next.HasRanking("door=uk_multipoint;") {
		if time.Now().After(deadline) {
			t.Fatal("the ranking was not rebuilt for the new snapshot")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := next.Ranking(svc.Engine(), &c, "door=uk_multipoint;")
	if r.Len() != next.Len() {
		t.Fatalf("warmed ranking has %d rows for %d locks", r.Len(), next.Len())
	}
}
