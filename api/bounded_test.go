package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/api"
)

// serve sends a request straight through the router, without the contract
// check (some of these requests are malformed on purpose).
func (h *harness) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.srv.Echo().ServeHTTP(rec, req)
	return rec
}

func manyParams(n int, name func(i int) string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name(i))
		b.WriteString("=1")
	}
	return b.String()
}

// A query string that cannot be parsed whole is a 400 (or, when it is
// longer than the cap, a 414) before any handler runs: never a silent
// "everything" (issue 12 #4).
func TestUnparsableQueryIsRefused(t *testing.T) {
	h := sqliteHarness(t)
	for _, target := range []string{
		"/api/v1/locks?brand=Yale%zz",
		"/api/v1/locks?brand=Yale;market=UK",
		"/api/v1/locks?brnad=Yale%",
		"/api/v1/rankings?brand=Yale&x=%G1",
	} {
		rec := h.serve(httptest.NewRequest("GET", target, nil))
		if rec.Code != 400 {
			t.Errorf("%s: status %d, want 400: %.300s", target, rec.Code, rec.Body.String())
			continue
		}
		p := decode[api.Problem](t, rec)
		if !strings.Contains(p.Detail, "query string") {
			t.Errorf("%s: detail %q does not say the query string is at fault", target, p.Detail)
		}
	}
	// 10,001 parameters: Go's parser gives up; the answer must not be a 200.
	q := "brand=Yale&" + manyParams(10001, func(i int) string { return "x" + strconv.Itoa(i) })
	rec := h.serve(httptest.NewRequest("GET", "/api/v1/locks?"+q, nil))
	if rec.Code != 400 && rec.Code != 414 {
		t.Fatalf("10,001 parameters: status %d, want 400 or 414", rec.Code)
	}
	if rec.Body.Len() > 20000 {
		t.Fatalf("10,001 parameters: %d-byte answer", rec.Body.Len())
	}
}

// Error bodies are bounded whatever the request echoes (issue 12 #5).
func TestErrorBodiesAreBounded(t *testing.T) {
	h := sqliteHarness(t)

	t.Run("instance is the path without the query", func(t *testing.T) {
		p := wantProblem(t, h.do("GET", "/api/v1/locks?brnad=Yale", nil), 400, "brnad")
		if p.Instance != "/api/v1/locks" {
			t.Fatalf("instance %q", p.Instance)
		}
	})
	t.Run("at most 20 errors and a count of the rest", func(t *testing.T) {
		q := manyParams(1000, func(i int) string { return "u" + strconv.Itoa(i) })
		rec := h.do("GET", "/api/v1/locks?"+q, nil)
		p := wantProblem(t, rec, 400, "")
		var raw map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &raw)
		if len(p.Errors) != 20 || raw["errors_omitted"] != float64(980) {
			t.Fatalf("%d errors, errors_omitted %v; want 20 and 980", len(p.Errors), raw["errors_omitted"])
		}
		if rec.Body.Len() > 8000 {
			t.Fatalf("%d-byte answer to a %d-byte query", rec.Body.Len(), len(q))
		}
	})
	t.Run("echoed values are cut to 200 characters", func(t *testing.T) {
		long := strings.Repeat("y", 7000)
		rec := h.do("GET", "/api/v1/locks?"+long+"=1", nil)
		p := wantProblem(t, rec, 400, "")
		if rec.Body.Len() > 3000 {
			t.Fatalf("%d-byte answer echoes the 7,000-character name", rec.Body.Len())
		}
		if f := p.Errors[0].Field; len([]rune(f)) != 201 || !strings.HasSuffix(f, "…") {
			t.Fatalf("field %q not cut to 200 characters and an ellipsis", f)
		}
		// A huge slug in an import: the 422 does not echo it.
		slug := strings.Repeat("s", 1<<20)
		body := `[{"slug":"` + slug + `","brand":"A","model":"B"}]`
		rec = h.serve(authed(httptest.NewRequest("POST", "/api/v1/locks/import", strings.NewReader(body)), h))
		if rec.Code < 400 || rec.Code >= 500 || rec.Body.Len() > 20000 {
			t.Fatalf("1 MiB slug: status %d, %d-byte answer", rec.Code, rec.Body.Len())
		}
	})
	t.Run("problem bodies are gzipped", func(t *testing.T) {
		q := manyParams(60, func(i int) string { return "unknown_parameter_" + strconv.Itoa(i) })
		req := httptest.NewRequest("GET", "/api/v1/locks?"+q, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := h.serve(req)
		if rec.Code != 400 || rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("status %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		var p api.Problem
		if err := json.Unmarshal(b, &p); err != nil || p.Status != 400 {
			t.Fatalf("gzipped problem %v: %s", err, b)
		}
	})
	t.Run("query string over 8 KB is a 414, headers over the cap a 431", func(t *testing.T) {
		rec := h.serve(httptest.NewRequest("GET", "/api/v1/locks?q="+strings.Repeat("a", 9000), nil))
		if rec.Code != 414 || rec.Header().Get("Content-Type") != "application/problem+json" || rec.Body.Len() > 2000 {
			t.Fatalf("long query: status %d %q, %d bytes", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
		}
		req := httptest.NewRequest("GET", "/api/v1/locks", nil)
		for i := 0; i < 40; i++ {
			req.Header.Set("X-Filler-"+strconv.Itoa(i), strings.Repeat("h", 1000))
		}
		rec = h.serve(req)
		if rec.Code != 431 || rec.Body.Len() > 2000 {
			t.Fatalf("40 KB of headers: status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	})
	t.Run("a 413 states the limit", func(t *testing.T) {
		big := `{"slug":"x","notes":"` + strings.Repeat("n", 2<<20) + `"}`
		rec := h.serve(authed(httptest.NewRequest("POST", "/api/v1/locks", strings.NewReader(big)), h))
		p := decode[api.Problem](t, rec)
		if rec.Code != 413 || !strings.Contains(p.Detail, "1 MiB") {
			t.Fatalf("status %d, detail %q: want 413 naming 1 MiB", rec.Code, p.Detail)
		}
	})
}

func authed(req *http.Request, h *harness) *http.Request {
	req.Header.Set("Authorization", "Bearer "+h.key)
	req.Header.Set("Content-Type", "application/json")
	return req
}
