package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzPublicQueries sends any query string to every public GET through the
// real router: the answer is a documented success or a 4xx problem (the
// harness checks each response against docs/openapi.json), never a 500.
func FuzzPublicQueries(f *testing.F) {
	h := sqliteHarness(f)
	for _, q := range []string{
		"market=UK&sort=-score&limit=5", "band=A,B&band=C&min_score=70.5", "q=yale%20l2&provisional=false",
		"door_type=uk_multipoint&other_keyed_door=true&occupants=lives_alone,tech_averse&limit=all&format=csv",
		"slugs=yale-conexis-l2,nuki-smart-lock-4th-gen", "since=0&limit=1000", "cursor=eyJzIjoiLXNjb3JlIn0",
		"updated_since=2026-01-01T00:00:00Z", "limit=%00", "sensitivity=true", "brand=%ff%fe",
		"door_type=euro_cylinder&cylinder_rating=ts007_1star&include_unfitting=true", "cylinder_rating=gold&include_unfitting=maybe",
		"door_type=uk_multipoint&include_unfitting=false&cylinder_rating=&version=1",
	} {
		f.Add(q)
	}
	paths := []string{"/api/v1/locks", "/api/v1/rankings", "/api/v1/facets", "/api/v1/compare", "/api/v1/changes",
		"/api/v1/methodology", "/api/v1/locks/yale-conexis-l2", "/api/v1/locks/yale-conexis-l2/assessment"}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		if _, err := url.ParseQuery(rawQuery); err != nil || strings.ContainsAny(rawQuery, " #\x7f") || !isPrintableASCII(rawQuery) {
			return // not something an HTTP client sends as a query
		}
		h.t = t
		for _, p := range paths {
			rec := h.do("GET", p+"?"+rawQuery, nil)
			if rec.Code >= 500 || (rec.Code >= 300 && rec.Code != http.StatusBadRequest && rec.Code != http.StatusNotFound) {
				t.Fatalf("GET %s?%s → %d: %s", p, rawQuery, rec.Code, rec.Body.String())
			}
		}
	})
}

// FuzzAssessmentBodies posts any body to the what-if endpoint: 200 with an
// assessment or a 400 problem, never a 500.
func FuzzAssessmentBodies(f *testing.F) {
	h := sqliteHarness(f)
	for _, b := range []string{
		`{"lock":{"key_override":"none","keypad":true,"emergency_power":"terminal_9v"},"context":{"door_type":"uk_multipoint","occupants":["lives_alone"]}}`,
		`{"lock":{}}`, `{"lock":{"keypad":true,"keypad":false}}`, `{"lock":null}`, `[]`, `{"lock":{"k\u0065ypad":1e400}}`,
		`{"lock":{"key_override":"independent","key_override_needs_emergency_cylinder":true},"context":{"door_type":"euro_cylinder","cylinder_rating":"ss312_diamond"}}`,
		`{"lock":{},"context":{"cylinder_rating":"ts007_4star","include_unfitting":true}}`,
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		h.t = t
		rec := h.do("POST", "/api/v1/assessments", body)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("POST %q → %d: %s", body, rec.Code, rec.Body.String())
		}
	})
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
