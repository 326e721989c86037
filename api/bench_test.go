package api_test

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkServeCachedRanking is scenario 1 through the real router: a
// cached ranking page with every middleware.
func BenchmarkServeCachedRanking(b *testing.B) {
	h := sqliteHarness(b)
	e := h.srv.Echo()
	req := httptest.NewRequest("GET", "/api/v1/rankings?limit=20", nil)
	e.ServeHTTP(httptest.NewRecorder(), req)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/rankings?limit=20", nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkServeAssessment is scenario 4 through the real router.
func BenchmarkServeAssessment(b *testing.B) {
	h := sqliteHarness(b)
	e := h.srv.Echo()
	body := `{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"},"context":{"door_type":"uk_multipoint","other_keyed_door":true}}`
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/api/v1/assessments", stringsReader(body))
		req.Header.Set("Content-Type", "application/json")
		e.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
