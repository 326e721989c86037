package api_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/config"
)

var updateWire = flag.Bool("update-wire", false, "rewrite testdata/hotpath_wire.golden")

// wireCase is one request written byte for byte to a real net/http server.
type wireCase struct {
	name, method, target string
	headers              []string
	body                 string
}

var wireCases = []wireCase{
	{name: "cached ranking", method: "GET", target: "/api/v1/rankings?limit=20"},
	{name: "cached ranking HEAD", method: "HEAD", target: "/api/v1/rankings?limit=20"},
	{name: "cached ranking 304", method: "GET", target: "/api/v1/rankings?limit=20", headers: []string{"If-None-Match: *"}},
	{name: "cached ranking, origin", method: "GET", target: "/api/v1/rankings?limit=20", headers: []string{"Origin: https://example.org"}},
	{name: "cached ranking, gzip", method: "GET", target: "/api/v1/rankings?limit=20", headers: []string{"Accept-Encoding: gzip"}},
	{name: "cached ranking, client id", method: "GET", target: "/api/v1/rankings?limit=20", headers: []string{"X-Request-Id: client-id.1"}},
	{name: "cached ranking, bad client id", method: "GET", target: "/api/v1/rankings?limit=20", headers: []string{"X-Request-Id: not valid!"}},
	{name: "cached ranking, https proxy", method: "GET", target: "/api/v1/rankings?limit=20", headers: []string{"X-Forwarded-Proto: https"}},
	{name: "trailing slash", method: "GET", target: "/api/v1/rankings/?limit=2"},
	{name: "lock", method: "GET", target: "/api/v1/locks?limit=1"},
	{name: "bad query", method: "GET", target: "/api/v1/rankings?limit=abc"},
	{name: "unknown route", method: "GET", target: "/api/v1/nope"},
	{name: "preflight read", method: "OPTIONS", target: "/api/v1/rankings", headers: []string{"Origin: https://example.org", "Access-Control-Request-Method: GET"}},
	{name: "preflight write", method: "OPTIONS", target: "/api/v1/locks", headers: []string{"Origin: https://example.org", "Access-Control-Request-Method: PUT"}},
	{name: "what-if", method: "POST", target: "/api/v1/assessments", headers: []string{"Content-Type: application/json", "Origin: https://example.org"},
		body: `{"lock":{"key_override":"none","keypad":true}}`},
	{name: "what-if, gzip", method: "POST", target: "/api/v1/assessments", headers: []string{"Content-Type: application/json", "Accept-Encoding: gzip"},
		body: `{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"},"context":{"door_type":"uk_multipoint","other_keyed_door":true}}`},
	{name: "write without key", method: "POST", target: "/api/v1/locks", headers: []string{"Content-Type: application/json"}, body: `{}`},
	{name: "write, bad auth", method: "DELETE", target: "/api/v1/locks/x", headers: []string{"Authorization: Basic abc"}},
	{name: "body over the limit", method: "POST", target: "/api/v1/assessments", headers: []string{"Content-Type: application/json", "Content-Length: 2000000"}},
	{name: "healthz", method: "GET", target: "/healthz"},
	{name: "metrics", method: "GET", target: "/metrics"},
}

// volatile header values: the clock, generated ids, and what depends on
// the catalogue's contents (which other work changes).
var volatileHeaders = map[string]bool{"Date": true, "Etag": true, "Content-Length": true, "Link": true, "X-Ratelimit-Reset": true, "X-Ratelimit-Remaining": true}

var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestHotpathWire pins, over a real connection, every response header
// (name, values, order of values), the status, the access line's fields
// and the request metrics of a set of requests, so that work on the
// request path cannot drop or change one. Order of headers on the wire
// is not pinned (net/http sorts them). Run with -update-wire to rewrite.
func TestHotpathWire(t *testing.T) {
	logs := &syncBuffer{}
	srv := loadtestServer(t, logs)
	addr := serveLoopback(t, srv.Echo())
	// A second server with rate limiting on, as deployments run it.
	limited := serveLoopback(t, loadtestServer(t, io.Discard, func(c *config.Config) { c.RateLimitRPS, c.RateLimitBurst = 1000, 1000 }).Echo())
	var out bytes.Buffer
	for i, wc := range append(wireCases, wireCases[0], wireCases[2]) {
		a := addr
		if i >= len(wireCases) {
			a, wc.name = limited, wc.name+", rate limited"
		}
		resp, body := rawRoundTrip(t, a, wc)
		if a == addr {
			// The answer can arrive before its access line is written.
			waitRequests(t, logs, i+1)
		}
		fmt.Fprintf(&out, "== %s: %s %s %v\n%s %d\n", wc.name, wc.method, wc.target, wc.headers, resp.Proto, resp.StatusCode)
		keys := make([]string, 0, len(resp.Header))
		for k := range resp.Header {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range resp.Header[k] {
				switch {
				case k == "Content-Length" && v != fmt.Sprint(len(body)) && wc.method != "HEAD":
					t.Errorf("%s: Content-Length %s, body %d bytes", wc.name, v, len(body))
				case k == "X-Request-Id" && generatedID.MatchString(v):
					v = "<generated>"
				case volatileHeaders[k]:
					v = "<" + strings.ToLower(k) + ">"
				}
				fmt.Fprintf(&out, "%s: %s\n", k, v)
			}
		}
		fmt.Fprintf(&out, "transfer-encoding %v, body %d bytes\n", resp.TransferEncoding, min(len(body), 1))
		if wc.name == "cached ranking" || wc.name == "cached ranking, origin" {
			sum := sha256.Sum256(body)
			if etag := resp.Header.Get("Etag"); etag != `"`+hex.EncodeToString(sum[:12])+`"` {
				t.Errorf("%s: ETag %s is not the body's", wc.name, etag)
			}
		}
	}
	out.WriteString("== access lines\n")
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil || m["msg"] != "request" {
			continue
		}
		out.WriteString(normalizeAccessLine(t, line) + "\n")
	}
	out.WriteString("== metrics\n")
	_, metricsBody := rawRoundTrip(t, addr, wireCase{method: "GET", target: "/metrics"})
	for _, line := range strings.Split(string(metricsBody), "\n") {
		if strings.HasPrefix(line, "lockscore_http_requests_total") || strings.HasPrefix(line, "lockscore_http_request_duration_seconds_count") ||
			strings.HasPrefix(line, "lockscore_client_aborted_total") || strings.HasPrefix(line, "lockscore_rate_limited_total") {
			out.WriteString(line + "\n")
		}
	}
	golden := "testdata/hotpath_wire.golden"
	if *updateWire {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		got, wantL := strings.Split(out.String(), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(got), len(wantL)) {
			g, w := "", ""
			if i < len(got) {
				g = got[i]
			}
			if i < len(wantL) {
				w = wantL[i]
			}
			if g != w {
				t.Errorf("line %d:\n got %q\nwant %q", i+1, g, w)
			}
		}
		t.Fatalf("the wire changed; if on purpose, go test ./api -run TestHotpathWire -update-wire")
	}
}

// normalizeAccessLine keeps the line's keys in order and its values,
// except the clock's and generated ids, whose shape it checks.
func normalizeAccessLine(t *testing.T, line string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var parts []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		kt, _ := dec.Token()
		k := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprint(v)
		switch k {
		case "time":
			if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$`).MatchString(s) {
				t.Errorf("access line time %q", s)
			}
			s = "<time>"
		case "latency_ms":
			if !regexp.MustCompile(`^\d+(\.\d{1,3})?$`).MatchString(s) {
				t.Errorf("access line latency %q", s)
			}
			s = "<ms>"
		case "request_id":
			if generatedID.MatchString(s) {
				s = "<generated>"
			}
		case "bytes":
			if s != "0" {
				s = "<n>"
			}
		}
		parts = append(parts, k+"="+s)
	}
	return strings.Join(parts, " ")
}

// rawRoundTrip writes wc on a new connection exactly as given and reads
// the answer with net/http's parser.
func rawRoundTrip(t *testing.T, addr string, wc wireCase) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\n", wc.method, wc.target, addr)
	hasLength := false
	for _, h := range wc.headers {
		hasLength = hasLength || strings.HasPrefix(h, "Content-Length:")
		req.WriteString(h + "\r\n")
	}
	if wc.body != "" && !hasLength {
		fmt.Fprintf(&req, "Content-Length: %d\r\n", len(wc.body))
	}
	req.WriteString("\r\n" + wc.body)
	if _, err := io.WriteString(c, req.String()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: wc.method})
	if err != nil {
		t.Fatalf("%s: %v", wc.name, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", wc.name, err)
	}
	return resp, body
}

// waitRequests waits until n access lines are written to logs.
func waitRequests(t *testing.T, logs *syncBuffer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(logs.String(), `"msg":"request"`) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d access lines after 5 s, want %d", strings.Count(logs.String(), `"msg":"request"`), n)
		}
		time.Sleep(time.Millisecond)
	}
}
