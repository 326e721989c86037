package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/testutil"
)

func TestEchoErrorsAreProblems(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.BodyLimit = 2048 })
	wantProblem(t, h.do("GET", "/api/v1/nothing-here", nil), 404, "")
	wantProblem(t, h.do("DELETE", "/api/v1/methodology", nil), 405, "")
	big := `{"lock":{},"context":{},"pad":"` + strings.Repeat("x", 4096) + `"}`
	wantProblem(t, h.do("POST", "/api/v1/assessments", big), 413, "")
}

func TestRateLimitGives429WithRetryAfter(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.RateLimitRPS, c.RateLimitBurst = 1, 3 })
	for i := 0; i < 3; i++ {
		rec := h.do("GET", "/api/v1/methodology", nil)
		wantStatus(t, rec, 200)
		if rec.Header().Get("X-RateLimit-Limit") != "3" || rec.Header().Get("X-RateLimit-Remaining") == "" {
			t.Fatalf("rate-limit headers missing: %v", rec.Header())
		}
	}
	rec := h.do("GET", "/api/v1/methodology", nil)
	wantProblem(t, rec, 429, "")
	if rec.Header().Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	// Another client (by IP) and a keyed client have buckets of their own.
	other := h.do("GET", "/api/v1/methodology", nil, "X-Forwarded-For: 203.0.113.9")
	if other.Code != 429 {
		t.Fatal("X-Forwarded-For from an untrusted peer must not change the client identity")
	}
	wantStatus(t, h.do("POST", "/api/v1/assessments", `{"lock":{}}`, h.auth()), 200)
	// Health checks are never limited.
	wantStatus(t, h.do("GET", "/healthz", nil), 200)
}

func TestTrustedProxyForwardedFor(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) {
		c.RateLimitRPS, c.RateLimitBurst = 1, 1
		cfg, _ := config.Load(func(k string) string {
			if k == "LOCKSCORE_TRUSTED_PROXIES" {
				return "192.0.2.0/24"
			}
			return ""
		}, nil)
		c.TrustedProxies = cfg.TrustedProxies
	})
	send := func(xff string) int {
		req := "X-Forwarded-For: " + xff
		return h.do("GET", "/api/v1/methodology", nil, req).Code
	}
	// httptest requests come from 192.0.2.1, inside the trusted range.
	if send("198.51.100.1") != 200 || send("198.51.100.2") != 200 || send("198.51.100.1") != 429 {
		t.Fatal("clients behind a trusted proxy should be limited one by one")
	}
}

func TestRequestIDRoundTrip(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/api/v1/locks/yale-conexis-l2", nil, "X-Request-ID: trace-123.abc")
	if rec.Header().Get("X-Request-ID") != "trace-123.abc" {
		t.Fatalf("X-Request-ID %q", rec.Header().Get("X-Request-ID"))
	}
	if !strings.Contains(h.logs.String(), `"request_id":"trace-123.abc"`) {
		t.Fatal("the access log does not carry the request id")
	}
	rec = h.do("GET", "/api/v1/locks/nope", nil, "X-Request-ID: bad id with spaces\nand a newline")
	id := rec.Header().Get("X-Request-ID")
	if len(id) != 32 {
		t.Fatalf("a malformed id should be replaced, got %q", id)
	}
	if p := decode[api.Problem](t, rec); p.RequestID != id {
		t.Fatalf("problem request_id %q, header %q", p.RequestID, id)
	}
}

func TestTrailingSlashIsTheSameResource(t *testing.T) {
	h := sqliteHarness(t)
	plain := h.do("GET", "/api/v1/locks/yale-conexis-l2", nil)
	slashed := h.do("GET", "/api/v1/locks/yale-conexis-l2/", nil)
	wantStatus(t, slashed, 200)
	if slashed.Body.String() != plain.Body.String() || slashed.Header().Get("ETag") != plain.Header().Get("ETag") {
		t.Fatal("a trailing slash changed the answer")
	}
	wantStatus(t, h.do("GET", "/api/v1/locks/?limit=1", nil), 200)
}

func TestCORS(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.CORSOrigins = []string{"https://editor.example"} })
	rec := h.do("OPTIONS", "/api/v1/locks", nil, "Origin: https://compare.example", "Access-Control-Request-Method: GET")
	wantStatus(t, rec, 204)
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("preflight for GET: %v", rec.Header())
	}
	rec = h.do("GET", "/api/v1/locks?limit=1", nil, "Origin: https://compare.example")
	expose := rec.Header().Get("Access-Control-Expose-Headers")
	for _, hd := range []string{"ETag", "Link", "Location", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-ID"} {
		if !strings.Contains(expose, hd) {
			t.Errorf("Access-Control-Expose-Headers lacks %s", hd)
		}
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatal("GET from any origin")
	}
	rec = h.do("OPTIONS", "/api/v1/locks", nil, "Origin: https://evil.example", "Access-Control-Request-Method: POST")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("writes from an unlisted origin must not be allowed")
	}
	// The what-if assessment changes nothing: any origin may POST it.
	rec = h.do("OPTIONS", "/api/v1/assessments", nil, "Origin: https://compare.example", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type")
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Fatalf("preflight for the what-if POST: %v", rec.Header())
	}
	rec = h.do("POST", "/api/v1/assessments", `{"lock":{"keypad":true}}`, "Origin: https://compare.example")
	wantStatus(t, rec, 200)
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("what-if POST from any origin: %v", rec.Header())
	}
	rec = h.do("POST", "/api/v1/locks", `{}`, "Origin: https://compare.example")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("a write's response must not allow an unlisted origin")
	}
	rec = h.do("OPTIONS", "/api/v1/locks/x", nil, "Origin: https://editor.example", "Access-Control-Request-Method: PATCH", "Access-Control-Request-Headers: authorization, if-match")
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://editor.example" || !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "If-Match") {
		t.Fatalf("preflight for a configured origin: %v", rec.Header())
	}
}

func TestReadyzAndMetrics(t *testing.T) {
	h := sqliteHarness(t)
	wantStatus(t, h.do("GET", "/readyz", nil), 200)
	h.do("GET", "/api/v1/locks?limit=1", nil)
	rec := h.do("GET", "/metrics", nil)
	wantStatus(t, rec, 200)
	body := rec.Body.String()
	for _, want := range []string{
		`lockscore_http_requests_total{method="GET",route="/api/v1/locks",status="200"} 1`,
		"lockscore_http_request_duration_seconds_bucket", "lockscore_catalogue_locks " + strconv.Itoa(seededCount(t)),
		"lockscore_snapshot_revision", "lockscore_snapshot_age_seconds", "go_sql_open_connections{db_name=\"read\"}",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The database goes away: not ready.
	h.svc.Store().Close()
	wantProblem(t, h.do("GET", "/readyz", nil), 503, "")
	wantStatus(t, h.do("GET", "/healthz", nil), 200)
}

// An in-flight request finishes while the server shuts down.
func TestGracefulShutdownLetsInFlightRequestsFinish(t *testing.T) {
	h := sqliteHarness(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := h.srv.Echo()
	e.Listener = ln
	go func() { _ = e.Start("") }()
	addr := ln.Addr().String()
	waitUp(t, addr)

	// A raw connection, so the request head reaches the server at once and
	// the body arrives only after the shutdown has begun.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"lock":{"key_override":"independent"}}`
	head := "POST /api/v1/assessments HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n"
	if _, err := conn.Write([]byte(head + body[:10])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the handler is now reading the body
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- h.srv.Shutdown(ctx)
	}()
	time.Sleep(300 * time.Millisecond)
	if _, err := conn.Write([]byte(body[10:])); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request did not complete: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("in-flight request: status %d", resp.StatusCode)
	}
	if err := <-shut; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("server still accepting after shutdown")
	}
}

func waitUp(t *testing.T, addr string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server did not start")
}

func TestSwaggerAndOpenAPIDocuments(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/swagger/index.html", nil)
	wantStatus(t, rec, 200)
	if !strings.Contains(rec.Body.String(), "swagger") {
		t.Fatal("no Swagger UI")
	}
	rec = h.do("GET", "/swagger/doc.json", nil)
	wantStatus(t, rec, 200)
	if !strings.Contains(rec.Body.String(), `"swagger": "2.0"`) {
		t.Fatal("doc.json is not Swagger 2.0")
	}
	rec = h.do("GET", "/openapi.json", nil)
	wantStatus(t, rec, 200)
	if !strings.Contains(rec.Body.String(), `"openapi": "3.0`) {
		t.Fatal("openapi.json is not OpenAPI 3.0")
	}
	wantStatus(t, h.do("GET", "/", nil), 200)
}

// A failure inside the service is a problem that tells nothing of its
// cause (a database gone away is a 503, issue 12 #6), logged with it.
func TestInternalErrorsAreProblemsWithoutDetails(t *testing.T) {
	h := sqliteHarness(t)
	wantStatus(t, h.do("GET", "/api/v1/locks/yale-conexis-l2", nil), 200)
	h.svc.Store().Close() // the database goes away under a write
	p := wantProblem(t, h.do("PATCH", "/api/v1/locks/yale-conexis-l2", `{"notes":"x"}`, h.auth()), 503, "")
	if strings.Contains(p.Detail, "sql") || strings.Contains(p.Detail, "database is closed") {
		t.Fatalf("internals leaked: %q", p.Detail)
	}
	if !strings.Contains(h.logs.String(), "database is closed") {
		t.Fatal("the failure must be logged with its cause")
	}
}

// The fast access line reads exactly like slog's JSON line for the same request.
func TestJSONAccessLogMatchesSlog(t *testing.T) {
	cfg, _ := config.Load(func(string) string { return "" }, nil)
	svc := testutil.Catalogue(t, testutil.Engines(t)[0].DSN(t), true)
	var viaSlog, direct bytes.Buffer
	for _, w := range []*bytes.Buffer{&viaSlog, &direct} {
		var opts []api.Option
		if w == &direct {
			opts = append(opts, api.WithJSONAccessLog(w))
		}
		srv := api.New(cfg, svc, apikeys.New(svc.Store()), slog.New(slog.NewJSONHandler(w, nil)), opts...)
		req := httptest.NewRequest("GET", "/api/v1/locks/yale-conexis-l2?x=\"1\"", nil)
		req.Header.Set("X-Request-ID", "same-id")
		srv.Echo().ServeHTTP(httptest.NewRecorder(), req)
	}
	var a, b map[string]any
	if err := json.Unmarshal(viaSlog.Bytes(), &a); err != nil {
		t.Fatalf("slog line: %v\n%s", err, viaSlog.String())
	}
	if err := json.Unmarshal(direct.Bytes(), &b); err != nil {
		t.Fatalf("direct line: %v\n%s", err, direct.String())
	}
	for _, k := range []string{"time", "latency_ms"} {
		if _, ok := b[k]; !ok {
			t.Errorf("direct line lacks %s", k)
		}
		delete(a, k)
		delete(b, k)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("access lines differ:\nslog   %v\ndirect %v", a, b)
	}
}
