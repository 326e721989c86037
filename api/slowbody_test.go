package api_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/config"
)

// serveCapped runs the server's own Serve (connection caps included) on a
// loopback port.
func serveCapped(t *testing.T, h *harness) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.srv.Serve(ln) }()
	t.Cleanup(func() { _ = h.srv.Shutdown(t.Context()) })
	return ln.Addr().String()
}

func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 2 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readAnswer reads one response from c, or fails after within.
func readAnswer(t *testing.T, c net.Conn, within time.Duration) *http.Response {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(within))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", within, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// Slow bodies cannot hold the server's connections (issue 12 #11): a body
// has a short deadline of its own, a rate-limited request is refused
// without waiting for its body, and connections are capped per address.
func TestSlowBodiesCannotHoldConnections(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) {
		c.BodyTimeout, c.MaxConnsPerIP = 300*time.Millisecond, 4
		c.RateLimitRPS, c.RateLimitBurst = 0.01, 3
	})
	addr := serveCapped(t, h)

	t.Run("a body that stalls gets 408 at its deadline", func(t *testing.T) {
		c := dialFrom(t, "127.0.0.1", addr)
		defer c.Close()
		start := time.Now()
		fmt.Fprintf(c, "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"lock\":")
		if resp := readAnswer(t, c, 3*time.Second); resp.StatusCode != 408 {
			t.Fatalf("status %d, want 408", resp.StatusCode)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("answered after %v", d)
		}
	})
	t.Run("a rate-limited request is refused before its body arrives", func(t *testing.T) {
		for i := 0; i < 3; i++ { // spend the burst
			c := dialFrom(t, "127.0.0.3", addr)
			fmt.Fprintf(c, "GET /api/v1/methodology HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
			readAnswer(t, c, 3*time.Second)
			c.Close()
		}
		c := dialFrom(t, "127.0.0.3", addr)
		defer c.Close()
		fmt.Fprintf(c, "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
		if resp := readAnswer(t, c, 250*time.Millisecond); resp.StatusCode != 429 {
			t.Fatalf("status %d, want 429", resp.StatusCode)
		}
	})
	t.Run("connections are capped per client address", func(t *testing.T) {
		var held []net.Conn
		for i := 0; i < 4; i++ {
			c := dialFrom(t, "127.0.0.4", addr)
			fmt.Fprintf(c, "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
			held = append(held, c)
		}
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		time.Sleep(50 * time.Millisecond)
		extra := dialFrom(t, "127.0.0.4", addr)
		defer extra.Close()
		fmt.Fprintf(extra, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		_ = extra.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := http.ReadResponse(bufio.NewReader(extra), nil); err == nil {
			t.Fatal("a fifth connection from one address was served")
		}
		// Another address is served meanwhile.
		other := dialFrom(t, "127.0.0.5", addr)
		defer other.Close()
		fmt.Fprintf(other, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp := readAnswer(t, other, 2*time.Second); resp.StatusCode != 200 {
			t.Fatalf("health from another address: %d", resp.StatusCode)
		}
	})
}

// The body deadline ends with the body: a request whose body arrived in
// time may take longer than the body timeout to answer (net/http would
// otherwise cancel its context when the connection's read deadline passes).
// Imports decode their rows as the body streams in, so the body is "read"
// only when the last row is decoded; the timeout leaves room for that under
// the race detector, which slows decoding several times.
func TestBodyDeadlineEndsWithTheBody(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.BodyTimeout, c.BodyMinRate = 3*time.Second, 1<<40 })
	addr := serveCapped(t, h)
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < 3000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(mustJSON(newLock(fmt.Sprintf("deadline-%04d", i))))
	}
	b.WriteByte(']')
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/locks/import", strings.NewReader(b.String()))
	req.Header.Set("Authorization", "Bearer "+h.key)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("an import answered after %v (body timeout 3 s): %d %.300s", time.Since(start), resp.StatusCode, body)
	}
	t.Logf("3,000-row import answered after %v", time.Since(start))
}
