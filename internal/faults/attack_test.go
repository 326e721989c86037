//go:build faults

package faults

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const floodPort = 18086

// Hostile text, the 10,001-parameter query and the amplification cases:
// every answer is a 4xx with a bounded size.
func TestHostileInputIsBounded(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lockscore.db")
	key := apiKey(t, db, "hostile")
	p := serve(t, sqlitePort, map[string]string{"LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_RATE_LIMIT_BURST": "400"})
	params := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, "&")
	}
	slug := strings.Repeat("s", 10<<20)
	cases := []struct {
		name, method, path string
		body               []byte
		headers            []string
		maxBytes           int
	}{
		{"10,001 parameters", "GET", "/api/v1/locks?" + params(10001, func(i int) string { return fmt.Sprintf("x%d=1", i) }), nil, nil, 20000},
		{"10,000 unknown parameters in 68 KB", "GET", "/api/v1/locks?brand=Yale&" + params(10000, func(i int) string { return fmt.Sprintf("u%05d=1", i) }), nil, nil, 20000},
		{"1,000 unknown parameters", "GET", "/api/v1/locks?" + params(1000, func(i int) string { return fmt.Sprintf("u%d=1", i) }), nil, nil, 10000},
		{"a bad escape", "GET", "/api/v1/locks?brand=Yale%zz", nil, nil, 2000},
		{"semicolons", "GET", "/api/v1/rankings?brand=Yale;x=1", nil, nil, 2000},
		{"a 7,000-character parameter", "GET", "/api/v1/locks?" + strings.Repeat("y", 7000) + "=1", nil, nil, 3000},
		{"40 KB of headers", "GET", "/api/v1/locks", nil, []string{"X-Filler: " + strings.Repeat("h", 40000)}, 2000},
		{"a 10 MB slug", "POST", "/api/v1/locks/import", []byte(`[{"slug":"` + slug + `","brand":"A","model":"B"}]`), nil, 20000},
		{"a 2 MB body", "POST", "/api/v1/locks", []byte(`{"notes":"` + strings.Repeat("n", 2<<20) + `"}`), nil, 2000},
		{"NUL in a field", "POST", "/api/v1/locks", []byte(strings.Replace(string(lock("hostile-nul")), `"Faultbrand"`, `"Fault\u0000brand"`, 1)), nil, 2000},
		{"NUL in the path", "PATCH", "/api/v1/locks/a%00b", []byte(`{"notes":"x"}`), nil, 2000},
		{"ESC in a CSV import", "POST", "/api/v1/locks/import", []byte("slug,brand\r\nx,\x1b[31m\r\n"), []string{"Content-Type: text/csv"}, 4000},
		{"SQL in a filter", "GET", "/api/v1/locks?brand=' OR 1=1 --", nil, nil, 100000},
		{"path traversal", "GET", "/api/v1/locks/..%2f..%2fetc%2fpasswd", nil, nil, 2000},
	}
	c := &http.Client{Timeout: 30 * time.Second}
	for _, tt := range cases {
		code, _, body, err := call(c, tt.method, p.base+tt.path, key, tt.body, tt.headers...)
		if err != nil && tt.name == "a 2 MB body" {
			continue // refused (413) and closed before the body was read: the client may only see the reset
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if code < 400 && tt.name != "SQL in a filter" || code >= 500 || len(body) > tt.maxBytes {
			t.Errorf("%s: status %d, %d-byte answer (at most %d)", tt.name, code, len(body), tt.maxBytes)
		}
	}
	// A 429 answers a 68 KB URL in a few hundred bytes.
	tight := serve(t, floodPort, map[string]string{"LOCKSCORE_DATABASE_URL": filepath.Join(t.TempDir(), "t.db"), "LOCKSCORE_RATE_LIMIT_BURST": "1", "LOCKSCORE_RATE_LIMIT_RPS": "0.01"})
	long := "/api/v1/locks?" + params(1000, func(i int) string { return fmt.Sprintf("u%d=1", i) })
	call(c, "GET", tight.base+long, "", nil)
	code, _, body, _ := call(c, "GET", tight.base+long, "", nil)
	if code != 429 || len(body) > 2000 {
		t.Errorf("429: status %d, %d bytes", code, len(body))
	}
	figure(t, "hostile inputs: %d kinds, every one a bounded 4xx (largest allowed answer 20 KB; a 10 MB slug and a 10,001-parameter URL included); a 429 to a long URL %d bytes", len(cases)+1, len(body))
}

// The slow-body flood, many client addresses against the rate limiter, and
// invented methods against /metrics: health stays reachable, throughput
// recovers and memory stays bounded.
func TestFloods(t *testing.T) {
	slowConns, addresses := 3000, 60000
	if testing.Short() {
		slowConns = 1000
	}
	db := filepath.Join(t.TempDir(), "lockscore.db")
	p := serve(t, floodPort, map[string]string{"LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_TRUSTED_PROXIES": "127.0.0.9",
		"LOCKSCORE_BODY_TIMEOUT": "2s", "LOCKSCORE_RATE_LIMIT_BUCKETS": "20000"})
	base := p.base
	health := func(from string) time.Duration {
		c := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DialContext: dialer(from).DialContext}}
		start := time.Now()
		code, _, _, err := call(c, "GET", base+"/healthz", "", nil)
		if err != nil || code != 200 {
			t.Fatalf("health from %s: %d %v", from, code, err)
		}
		return time.Since(start)
	}

	t.Run("slow bodies", func(t *testing.T) {
		fdsBefore := p.fds()
		var open []net.Conn
		var refused int
		deadline := time.Now().Add(30 * time.Second)
		for i := 0; i < slowConns && time.Now().Before(deadline); i++ {
			c, err := dialer("127.0.0.2").Dial("tcp", strings.TrimPrefix(base, "http://"))
			if err != nil {
				refused++
				continue
			}
			fmt.Fprintf(c, "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
			open = append(open, c)
		}
		time.Sleep(200 * time.Millisecond)
		fdsDuring := p.fds()
		worst := health("127.0.0.1")
		for _, c := range open {
			c.Close()
		}
		if fdsDuring > fdsBefore+100 {
			t.Fatalf("%d slow connections from one address took the server from %d to %d descriptors", len(open), fdsBefore, fdsDuring)
		}
		figure(t, "slow-body flood: %d connections from one address promising 100 KB and sending 1 byte: server descriptors %d → %d (cap 64 per address), /healthz from another address in %v", len(open)+refused, fdsBefore, fdsDuring, worst.Round(time.Millisecond))
	})

	t.Run("many client addresses", func(t *testing.T) {
		run := func(n int, addr func(i int) string) float64 {
			var next atomic.Int64
			var wg sync.WaitGroup
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tr := &http.Transport{DialContext: dialer("127.0.0.9").DialContext, MaxIdleConnsPerHost: 1}
					c := &http.Client{Timeout: 5 * time.Second, Transport: tr}
					defer tr.CloseIdleConnections()
					for ctx.Err() == nil {
						i := int(next.Add(1))
						if i > n {
							return
						}
						req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1", nil)
						req.Header.Set("X-Forwarded-For", addr(i))
						resp, err := c.Do(req)
						if err != nil {
							continue
						}
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}()
			}
			wg.Wait()
			return float64(n) / time.Since(start).Seconds()
		}
		// Each measured request comes from an address not seen before, as in
		// the flood, so every one is answered 200 and none is limited.
		fresh := func(net int) func(i int) string {
			return func(i int) string { return fmt.Sprintf("172.%d.%d.%d", net, i>>8&255, i&255) }
		}
		// The median of three short runs: single runs on a shared machine vary by half.
		median := func(first int) float64 {
			rs := []float64{run(2000, fresh(first)), run(2000, fresh(first+1)), run(2000, fresh(first+2))}
			slices.Sort(rs)
			return rs[1]
		}
		run(500, fresh(16))
		before := median(17)
		rssBefore := p.status("VmRSS")
		run(addresses, func(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255) })
		after := median(20)
		rssAfter := p.status("VmRSS")
		worst := health("127.0.0.1")
		if after < before*0.4 {
			t.Fatalf("throughput %.0f req/s before %d addresses, %.0f after", before, addresses, after)
		}
		if rssAfter-rssBefore > 100*1024 {
			t.Fatalf("RSS %d MB → %d MB", rssBefore/1024, rssAfter/1024)
		}
		figure(t, "%d client addresses against the rate limiter (20,000 buckets kept): %.0f req/s before, %.0f after; RSS %d → %d MB; /healthz %v", addresses, before, after, rssBefore/1024, rssAfter/1024, worst.Round(time.Millisecond))
	})

	t.Run("invented methods", func(t *testing.T) {
		_, m := mustCall(t, 200, "GET", base+"/metrics", "", nil)
		sizeBefore, rssBefore := len(m), p.status("VmRSS")
		c, err := dialer("127.0.0.3").Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r := bufio.NewReader(c)
		sent := 0
		deadline := time.Now().Add(60 * time.Second)
		for i := 0; i < 10000 && time.Now().Before(deadline); i++ {
			fmt.Fprintf(c, "M%07dX /api/v1/locks%d HTTP/1.1\r\nHost: x\r\n\r\n", i, i)
			resp, err := http.ReadResponse(r, nil)
			if err != nil {
				c.Close()
				if c, err = dialer("127.0.0.3").Dial("tcp", strings.TrimPrefix(base, "http://")); err != nil {
					t.Fatal(err)
				}
				r = bufio.NewReader(c)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			sent++
		}
		_, m = mustCall(t, 200, "GET", base+"/metrics", "", nil)
		sizeAfter, rssAfter := len(m), p.status("VmRSS")
		if sizeAfter > sizeBefore+4000 || rssAfter-rssBefore > 30*1024 {
			t.Fatalf("%d invented methods: /metrics %d → %d bytes, RSS %d → %d MB", sent, sizeBefore, sizeAfter, rssBefore/1024, rssAfter/1024)
		}
		figure(t, "%d requests with invented methods and paths: /metrics %d → %d bytes, RSS %d → %d MB", sent, sizeBefore, sizeAfter, rssBefore/1024, rssAfter/1024)
	})
}
