package api_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/config"
)

// The limiter's cost per request does not grow with the number of client
// addresses seen: 55,000 addresses used to make every request walk the
// whole bucket map under one mutex (issue 12 #9).
func TestRateLimiterScalesWithManyClients(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("fills the limiter with 55,000 addresses")
	}
	timed := func(h *harness, first, n int) time.Duration {
		start := time.Now()
		for i := first; i < first+n; i++ {
			req := httptest.NewRequest("GET", "/api/v1/methodology", nil)
			req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1234", i>>16&255, i>>8&255, i&255)
			if rec := h.serve(req); rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
		}
		return time.Since(start)
	}
	opts := func(c *config.Config) { c.RateLimitRPS, c.RateLimitBurst = 50, 100 }
	fresh := sqliteHarness(t, opts)
	timed(fresh, 0, 200) // warm up
	base := timed(fresh, 1000, 1000)

	loaded := sqliteHarness(t, opts)
	timed(loaded, 0, 55000)
	after := timed(loaded, 60000, 1000)
	t.Logf("1,000 requests from new addresses: %v with a fresh limiter, %v after 55,000 addresses", base, after)
	if after > 3*base+100*time.Millisecond {
		t.Fatalf("after 55,000 addresses 1,000 requests took %v, against %v with a fresh limiter", after, base)
	}
}

// IPv6 clients are bucketed by /64: an attacker with a /64 has one bucket,
// not 2^64.
func TestRateLimiterBucketsIPv6By64(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.RateLimitRPS, c.RateLimitBurst = 0.001, 2 })
	codes := []int{}
	for _, addr := range []string{"[2001:db8:1:2::1]:1", "[2001:db8:1:2::2]:1", "[2001:db8:1:2:ffff::3]:1", "[2001:db8:1:3::1]:1"} {
		req := httptest.NewRequest("GET", "/api/v1/methodology", nil)
		req.RemoteAddr = addr
		codes = append(codes, h.serve(req).Code)
	}
	if fmt.Sprint(codes) != "[200 200 429 200]" {
		t.Fatalf("statuses %v, want [200 200 429 200]: the third address shares the first two's /64, the fourth does not", codes)
	}
}
