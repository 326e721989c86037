package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockscore/lockscore/seed"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/models"
)

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is the fully wired server on a real database, driven through e.ServeHTTP.
type harness struct {
	t        testing.TB
	srv      *api.Server
	svc      *catalogue.Service
	key      string // write scope
	adminKey string
	logs     *syncBuffer
	// seen collects every response body, for the secret-leak test.
	seenMu sync.Mutex
	seen   []string
}

type option func(*config.Config)

func newHarness(t testing.TB, dsn string, seeded bool, opts ...option) *harness {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RateLimitRPS, cfg.RateLimitBurst = 100000, 100000
	for _, o := range opts {
		o(&cfg)
	}
	svc := testutil.Catalogue(t, dsn, seeded)
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	keys := apikeys.New(svc.Store())
	h := &harness{t: t, svc: svc, logs: logs}
	ctx := context.Background()
	if _, h.key, err = keys.Create(ctx, "editor", models.ScopeWrite); err != nil {
		t.Fatal(err)
	}
	if _, h.adminKey, err = keys.Create(ctx, "admin", models.ScopeAdmin); err != nil {
		t.Fatal(err)
	}
	h.srv = api.New(cfg, svc, keys, log)
	return h
}

func sqliteHarness(t testing.TB, opts ...option) *harness {
	return newHarness(t, testutil.Engines(t)[0].DSN(t), true, opts...)
}

// do sends a request through the real router and checks the response
// against the OpenAPI 3 document. Headers come as "Name: value" strings.
func (h *harness) do(method, target string, body any, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, target, rd)
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, hd := range headers {
		k, v, _ := strings.Cut(hd, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	h.srv.Echo().ServeHTTP(rec, req)
	h.seenMu.Lock()
	h.seen = append(h.seen, rec.Body.String())
	for k, v := range rec.Header() {
		h.seen = append(h.seen, k+": "+strings.Join(v, ","))
	}
	h.seenMu.Unlock()
	checkContract(h.t, req, raw, rec)
	return rec
}

func (h *harness) auth() string { return "Authorization: Bearer " + h.key }

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, rec.Body.String())
	}
	return v
}

func wantStatus(t testing.TB, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body.String())
	}
}

// wantProblem checks an RFC 9457 body and that it names field (when not empty).
func wantProblem(t testing.TB, rec *httptest.ResponseRecorder, status int, field string) api.Problem {
	t.Helper()
	wantStatus(t, rec, status)
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	p := decode[api.Problem](t, rec)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" || p.Instance == "" {
		t.Fatalf("incomplete problem: %+v", p)
	}
	if field != "" {
		found := false
		for _, e := range p.Errors {
			if e.Field == field {
				found = true
			}
		}
		if !found {
			t.Fatalf("problem does not name %q: %+v", field, p.Errors)
		}
	}
	return p
}

var (
	contractOnce   sync.Once
	contractRouter routers.Router
	contractDoc    *openapi3.T
	contractErr    error
)

// checkContract validates one response against docs/openapi.json: an
// undocumented status, an undocumented field (every object schema is made
// strict) or, on a success, an undocumented API header fails the test.
func checkContract(t testing.TB, req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	p := req.URL.Path
	// CORS preflights, the Swagger UI, the documents and Prometheus metrics are infrastructure, not API operations.
	if req.Method == http.MethodOptions || strings.HasPrefix(p, "/swagger") || p == "/metrics" || p == "/openapi.json" {
		return
	}
	contractOnce.Do(func() {
		loader := openapi3.NewLoader()
		contractDoc, contractErr = loader.LoadFromFile("../docs/openapi.json")
		if contractErr != nil {
			return
		}
		contractDoc.Servers = openapi3.Servers{{URL: "http://example.com"}}
		for _, s := range contractDoc.Components.Schemas {
			strict(s.Value, map[*openapi3.Schema]bool{})
		}
		contractRouter, contractErr = gorillamux.NewRouter(contractDoc)
	})
	if contractErr != nil {
		t.Fatalf("load OpenAPI document: %v", contractErr)
	}
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := contractRouter.FindRoute(vreq)
	if err != nil {
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
			return // the path or method really is not in the API
		}
		t.Fatalf("contract: %s %s is not documented: %v", req.Method, req.URL, err)
	}
	ct := rec.Header().Get("Content-Type")
	// A fields= answer leaves out required fields on purpose: shape_test.go
	// checks it is part of the full answer, which is checked here.
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		ExcludeResponseBody: strings.HasPrefix(ct, "text/csv") || strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "text/markdown") || req.URL.Query().Has("fields") || rec.Code == http.StatusNotModified || rec.Code == http.StatusNoContent}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts},
		Status:                 rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Fatalf("contract: %s %s → %d does not match the document: %v\n%s", req.Method, req.URL, rec.Code, err, truncate(rec.Body.String()))
	}
	if rec.Code < 400 {
		resp := route.Operation.Responses.Status(rec.Code)
		for _, name := range []string{"ETag", "Link", "Location", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-ID", "Content-Disposition"} {
			if rec.Header().Get(name) == "" {
				continue
			}
			if resp == nil || resp.Value == nil || resp.Value.Headers[name] == nil {
				t.Fatalf("contract: %s %s → %d sends header %s, which the document does not declare", req.Method, req.URL.Path, rec.Code, name)
			}
		}
	}
}

func truncate(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// strict forbids properties a schema does not list.
func strict(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.Type != nil && s.Type.Is("object") && len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
		f := false
		s.AdditionalProperties.Has = &f
	}
	for _, p := range s.Properties {
		strict(p.Value, seen)
	}
	if s.Items != nil {
		strict(s.Items.Value, seen)
	}
	for _, x := range s.AllOf {
		strict(x.Value, seen)
	}
}

func timeNow() time.Time { return time.Now().UTC() }

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// seededCount is the number of lock models in the embedded seed, which the
// research keeps growing; tests read it rather than a number.
func seededCount(t testing.TB) int {
	t.Helper()
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}
