package api

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/testutil"
)

// BenchmarkLimiterFreshVsMillion serves a cached GET through the whole
// router of two servers in turn, each request from an address not seen
// before: one with a fresh limiter, one whose limiter has seen 1,000,000
// addresses (and keeps the default 100,000 buckets, so every request
// evicts one). Alternating puts both under the same load on a shared
// machine. It reports each server's mean and p99 latency.
//
//	go test -run XXX -bench LimiterFreshVsMillion -benchtime 100000x ./api
func BenchmarkLimiterFreshVsMillion(b *testing.B) {
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		b.Fatal(err)
	}
	svc := testutil.Catalogue(b, testutil.Engines(b)[0].DSN(b), true)
	fresh := New(cfg, svc, apikeys.New(svc.Store()), testutil.Logger())
	million := New(cfg, svc, apikeys.New(svc.Store()), testutil.Logger())
	now := time.Now()
	for i := 0; i < 1_000_000; i++ {
		million.limiter.take(clientBucket(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)), now)
	}
	runtime.GC() // the garbage of filling the limiter is not the requests' cost
	lat := [2][]time.Duration{make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, s := range []*Server{fresh, million} {
			req := httptest.NewRequest("GET", "/api/v1/methodology", nil)
			req.RemoteAddr = fmt.Sprintf("172.%d.%d.%d:1", 16+i>>16&15, i>>8&255, i&255)
			rec := httptest.NewRecorder()
			t0 := time.Now()
			s.echo.ServeHTTP(rec, req)
			lat[j] = append(lat[j], time.Since(t0))
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	}
	b.StopTimer()
	for j, name := range []string{"fresh", "million"} {
		var sum time.Duration
		for _, d := range lat[j] {
			sum += d
		}
		slices.Sort(lat[j])
		b.ReportMetric(float64(sum.Nanoseconds())/float64(len(lat[j])), name+"-ns/req")
		b.ReportMetric(float64(lat[j][len(lat[j])*99/100].Nanoseconds()), name+"-p99-ns")
	}
	b.ReportMetric(float64(million.limiter.buckets()), "million-buckets")
}
