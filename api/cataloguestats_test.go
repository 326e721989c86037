package api_test

import (
	"encoding/json"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/quality"
	"github.com/lockscore/lockscore/seed"
)

func TestCatalogueStats(t *testing.T) {
	h := sqliteHarness(t)
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	rec := h.do("GET", "/api/v1/catalogue/stats", nil)
	wantStatus(t, rec, 200)
	got := decode[quality.Report](t, rec)
	ptrs := make([]*catalogue.Record, len(recs))
	for i := range recs {
		ptrs[i] = &recs[i]
	}
	want, _ := json.Marshal(quality.Compute(ptrs, h.svc.Engine()))
	if b, _ := json.Marshal(got); string(b) != string(want) {
		t.Errorf("stats of the seeded catalogue differ from the report of the seed:\n%s\n%s", b, want)
	}
	if got.Models != len(recs) || len(got.Targets) != 7 {
		t.Errorf("%d models, %d targets", got.Models, len(got.Targets))
	}

	// A public read with an ETag, like the others.
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Cache-Control") == "" {
		t.Fatalf("headers %v", rec.Header())
	}
	wantStatus(t, h.do("GET", "/api/v1/catalogue/stats", nil, "If-None-Match: "+etag), 304)

	// An edit changes the report (and its ETag) at once.
	wantStatus(t, h.do("DELETE", "/api/v1/locks/wyze-lock", nil, h.auth()), 204)
	rec = h.do("GET", "/api/v1/catalogue/stats", nil, "If-None-Match: "+etag)
	wantStatus(t, rec, 200)
	if after := decode[quality.Report](t, rec); after.Models != len(recs)-1 {
		t.Errorf("after a delete: %d models, want %d", after.Models, len(recs)-1)
	}

	// Bad input is a 400 problem naming the parameter.
	rec = h.do("GET", "/api/v1/catalogue/stats?format=csv", nil)
	wantStatus(t, rec, 400)
	if p := decode[map[string]any](t, rec); p["status"] != float64(400) {
		t.Errorf("problem %v", p)
	}
}
