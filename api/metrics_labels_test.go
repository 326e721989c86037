package api_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// Metric labels come only from fixed sets: an invented method is OTHER and
// a path no route matches is "unmatched", so nobody can grow the server's
// memory or /metrics through them (issue 12 #10).
func TestMetricLabelsAreBounded(t *testing.T) {
	h := sqliteHarness(t)
	series := func() int {
		rec := h.serve(httptest.NewRequest("GET", "/metrics", nil))
		n := 0
		for _, line := range strings.Split(rec.Body.String(), "\n") {
			if strings.HasPrefix(line, "lockscore_http_requests_total{") || strings.HasPrefix(line, "lockscore_http_request_duration_seconds_count{") {
				n++
			}
		}
		return n
	}
	for i := 0; i < 50; i++ {
		h.serve(httptest.NewRequest("GET", "/api/v1/methodology", nil))
	}
	before := series()
	for i := 0; i < 10000; i++ {
		m := "M" + strconv.Itoa(1000000+i) + "X"
		h.serve(httptest.NewRequest(m, "/api/v1/locks", nil))
		h.serve(httptest.NewRequest("GET", "/no-such-path-"+strconv.Itoa(i), nil))
		h.serve(httptest.NewRequest(m, "/no/such/"+strconv.Itoa(i), nil))
	}
	after := series()
	if after > before+12 {
		t.Fatalf("30,000 requests with invented methods and paths grew the series from %d to %d", before, after)
	}
	body := h.serve(httptest.NewRequest("GET", "/metrics", nil)).Body.String()
	if !strings.Contains(body, `method="OTHER"`) || !strings.Contains(body, `route="unmatched"`) {
		t.Fatalf("no OTHER method or unmatched route in /metrics")
	}
}
