package api_test

import (
	"testing"
)

// A database that cannot be reached is a 503 with Retry-After: 1, not a 500
// "Internal server error"; reads from the snapshot keep working (issue 12 #6).
func TestDatabaseDownIs503(t *testing.T) {
	h := sqliteHarness(t)
	wantStatus(t, h.do("GET", "/api/v1/locks/acme-none", nil), 404) // warm
	if err := h.svc.Store().Close(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, target string
		body           any
	}{
		{"POST", "/api/v1/locks", newLock("db-down")},
		{"PATCH", "/api/v1/locks/yale-conexis-l2", `{"notes":"x"}`},
		{"GET", "/api/v1/changes?since=0", nil},
		{"GET", "/readyz", nil},
	} {
		rec := h.do(tt.method, tt.target, tt.body, h.auth())
		p := wantProblem(t, rec, 503, "")
		if rec.Header().Get("Retry-After") != "1" {
			t.Errorf("%s %s: Retry-After %q, want 1", tt.method, tt.target, rec.Header().Get("Retry-After"))
		}
		if p.Title == "Internal server error" {
			t.Errorf("%s %s: %+v", tt.method, tt.target, p)
		}
	}
	wantStatus(t, h.do("GET", "/api/v1/rankings", nil), 200)
}
