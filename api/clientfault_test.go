package api_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/config"
)

// startReal serves the harness's router on a real loopback listener, so
// that connections can stall and close.
func startReal(t *testing.T, h *harness, readTimeout time.Duration) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(h.srv.Echo())
	ts.Config.ReadTimeout = readTimeout
	ts.Start()
	t.Cleanup(ts.Close)
	return strings.TrimPrefix(ts.URL, "http://")
}

// accessLines returns the access-log lines of route with their level and status.
func accessLines(h *harness, path string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(h.logs.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "request" && m["path"] == path {
			out = append(out, m)
		}
	}
	return out
}

// A client that stalls or goes away in the middle of its body is logged at
// INFO with its own status (408, 499), never as a server error, and
// /metrics counts it apart (issue 12 #7).
func TestClientStallsAreNotServerErrors(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.BodyTimeout = 300 * time.Millisecond })
	addr := startReal(t, h, time.Minute)
	send := func(path string, closeEarly bool) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "PATCH %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"notes\":", path, h.key)
		if closeEarly {
			time.Sleep(50 * time.Millisecond)
			conn.Close()
			time.Sleep(200 * time.Millisecond)
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err == nil {
			resp.Body.Close()
		}
	}
	send("/api/v1/locks/yale-conexis-l2", false)
	send("/api/v1/locks/nuki-smart-lock-4", true)
	deadline := time.Now().Add(3 * time.Second)
	for len(accessLines(h, "/api/v1/locks/nuki-smart-lock-4")) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for path, want := range map[string]float64{"/api/v1/locks/yale-conexis-l2": 408, "/api/v1/locks/nuki-smart-lock-4": 499} {
		lines := accessLines(h, path)
		if len(lines) != 1 {
			t.Fatalf("%s: %d access lines\n%s", path, len(lines), h.logs.String())
		}
		if lines[0]["status"] != want || lines[0]["level"] != "INFO" {
			t.Errorf("%s: logged status %v at %v, want %v at INFO", path, lines[0]["status"], lines[0]["level"], want)
		}
	}
	if strings.Contains(h.logs.String(), `"level":"ERROR"`) {
		t.Errorf("a client's stall was logged as an error:\n%s", h.logs.String())
	}
	m := h.serve(httptest.NewRequest("GET", "/metrics", nil)).Body.String()
	for _, want := range []string{`lockscore_client_aborted_total{reason="stalled"} 1`, `lockscore_client_aborted_total{reason="closed"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
