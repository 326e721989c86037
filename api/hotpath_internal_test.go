package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/testutil"
)

func newTestServer(t *testing.T, logs *bytes.Buffer) *Server {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := testutil.Catalogue(t, testutil.Engines(t)[0].DSN(t), false)
	return New(cfg, svc, apikeys.New(svc.Store()), slog.New(slog.NewJSONHandler(logs, nil)), WithJSONAccessLog(logs))
}

// A handler's panic is answered with a 500 problem that carries the
// request id and the edge's headers, logged with its stack, and counted:
// the recovery folded into edge must keep what Echo's Recover did.
func TestPanicIsAnsweredAndLogged(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, &logs)
	s.echo.GET("/boom", func(c echo.Context) error { panic("boom") })
	s.routes["/boom"] = &routeObs{}
	for _, enc := range []string{"", "gzip"} {
		logs.Reset()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/boom", nil)
		req.Header.Set("X-Request-Id", "panic-1")
		req.Header.Set("Accept-Encoding", enc)
		s.echo.ServeHTTP(rec, req)
		if rec.Code != 500 || rec.Header().Get("X-Request-Id") != "panic-1" || rec.Header().Get("X-Frame-Options") != "DENY" ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
			t.Fatalf("gzip %q: %d %v", enc, rec.Code, rec.Header())
		}
		var p map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["status"] != 500.0 {
			t.Fatalf("gzip %q: body %q", enc, rec.Body)
		}
		var panicLine, accessLine map[string]any
		for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var m map[string]any
			_ = json.Unmarshal([]byte(l), &m)
			switch m["msg"] {
			case "panic":
				panicLine = m
			case "request":
				accessLine = m
			}
		}
		if panicLine == nil || panicLine["err"] != "boom" || panicLine["request_id"] != "panic-1" || !strings.Contains(panicLine["stack"].(string), "hotpath_internal_test.go") {
			t.Fatalf("gzip %q: panic line %v", enc, panicLine)
		}
		if accessLine == nil || accessLine["status"] != 500.0 || accessLine["route"] != "/boom" {
			t.Fatalf("gzip %q: access line %v", enc, accessLine)
		}
	}
}

// http.ErrAbortHandler is net/http's way to abort a response; it must
// reach net/http, not be answered as a 500.
func TestAbortHandlerPanicPropagates(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, &logs)
	s.echo.GET("/abort", func(c echo.Context) error { panic(http.ErrAbortHandler) })
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	s.echo.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/abort", nil))
	t.Fatal("no panic")
}

// reqHeader skips canonicalization, so every key the request path looks up
// with it must already be in the form net/http stores request headers in.
// This test reads the keys from the source, so a new lookup is checked too.
func TestReqHeaderKeysAreCanonical(t *testing.T) {
	consts := map[string]string{"echo.HeaderAcceptEncoding": echo.HeaderAcceptEncoding, "echo.HeaderOrigin": echo.HeaderOrigin,
		"echo.HeaderAccessControlRequestMethod": echo.HeaderAccessControlRequestMethod, "echo.HeaderAuthorization": echo.HeaderAuthorization,
		"echo.HeaderXRequestID": echo.HeaderXRequestID, "echo.HeaderVary": echo.HeaderVary}
	call := regexp.MustCompile(`(?:reqHeader\([^,]+, |req\.Header\[)([^)\]]+)[)\]]`)
	files, _ := filepath.Glob("*.go")
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			k := m[1]
			if strings.HasPrefix(k, "canonicalKey") {
				continue // reqHeader itself
			}
			if v, ok := consts[k]; ok {
				k = v
			} else if uq, err := strconv.Unquote(k); err == nil {
				k = uq
			} else {
				t.Errorf("%s: lookup of %s: add its value to this test", f, m[1])
				continue
			}
			seen++
			if textproto.CanonicalMIMEHeaderKey(k) != k {
				t.Errorf("%s: %s is looked up as %q, which is not canonical (%q)", f, m[0], k, textproto.CanonicalMIMEHeaderKey(k))
			}
		}
	}
	if seen < 7 {
		t.Fatalf("found %d lookups; the pattern no longer matches the code", seen)
	}
}
