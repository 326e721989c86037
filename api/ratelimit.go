package api

import (
	"math"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// limiterShards splits the buckets so that concurrent requests rarely
// wait on the same mutex; a power of two.
const limiterShards = 64

// rateLimiter is a token bucket (golang.org/x/time/rate) per API key or
// client address, in this replica's memory. The buckets live in sharded
// LRUs of bounded size: finding or evicting one costs O(1) under its
// shard's lock, whatever the number of clients seen, and memory stays
// bounded by maxBuckets. A client evicted while idle starts again with a
// full bucket, which only ever favours a client not seen for a while.
type rateLimiter struct {
	rps    rate.Limit
	burst  int
	shards [limiterShards]limiterShard
}

type limiterShard struct {
	mu  sync.Mutex
	lru *simplelru.LRU[string, *rate.Limiter]
}

func newRateLimiter(rps float64, burst, maxBuckets int) *rateLimiter {
	r := &rateLimiter{rps: rate.Limit(rps), burst: burst}
	per := max(1, maxBuckets/limiterShards)
	for i := range r.shards {
		r.shards[i].lru, _ = simplelru.NewLRU[string, *rate.Limiter](per, nil)
	}
	return r
}

// take spends one token for id and reports whether it was allowed, the
// tokens left and when the bucket is full again.
func (r *rateLimiter) take(id string, now time.Time) (bool, int, time.Time) {
	sh := &r.shards[fnv32(id)&(limiterShards-1)]
	sh.mu.Lock()
	lim, ok := sh.lru.Get(id)
	if !ok {
		lim = rate.NewLimiter(r.rps, r.burst)
		sh.lru.Add(id, lim)
	}
	sh.mu.Unlock()
	allowed := lim.AllowN(now, 1)
	left := lim.TokensAt(now)
	missing := float64(r.burst) - left
	reset := now.Add(time.Duration(missing / float64(r.rps) * float64(time.Second)))
	return allowed, int(math.Max(0, math.Floor(left))), reset
}

// buckets counts the buckets held.
func (r *rateLimiter) buckets() int {
	n := 0
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		n += sh.lru.Len()
		sh.mu.Unlock()
	}
	return n
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// clientBucket names a client address's bucket: an IPv4 address, or an
// IPv6 address's /64, which one subscriber usually holds whole.
func clientBucket(ip string) string {
	if strings.IndexByte(ip, ':') < 0 {
		return "ip:" + ip
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "ip:" + ip
	}
	if a.Is4In6() {
		return "ip:" + a.Unmap().String()
	}
	p, _ := a.Prefix(64)
	return "ip6:" + p.String()
}
