package api

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// appendMillis writes what strconv.AppendFloat writes for every latency
// up to 2 s, and for random ones up to and past its fast path's bound.
func TestAppendMillisMatchesAppendFloat(t *testing.T) {
	check := func(us int64) {
		want := strconv.AppendFloat(nil, float64(us)/1000, 'f', -1, 64)
		if got := appendMillis([]byte("x"), us); string(got) != "x"+string(want) {
			t.Fatalf("appendMillis(%d) = %q, want %q", us, got[1:], want)
		}
	}
	for us := int64(0); us <= 2_000_000; us++ {
		check(us)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		check(r.Int64N(2e12))
		check(-r.Int64N(1e6))
		check(1e12 - 1 - r.Int64N(1e6))
	}
}

// stampCache writes what time.RFC3339Nano writes, across seconds, zones
// with odd offsets, whole seconds and trailing zeros, reusing its cache.
func TestStampCacheMatchesRFC3339Nano(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "Local", "America/St_Johns", "Asia/Kathmandu", "Europe/London", "Pacific/Chatham"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	zones = append(zones, time.FixedZone("odd", -(3*3600+25*60+7)))
	var c stampCache
	r := rand.New(rand.NewPCG(3, 4))
	check := func(tm time.Time) {
		want := tm.AppendFormat(nil, time.RFC3339Nano)
		if got := c.append([]byte("x"), tm); string(got) != "x"+string(want) {
			t.Fatalf("stamp of %v = %q, want %q", tm, got[1:], want)
		}
	}
	// The clock as the log sees it: many lines a second, in order,
	// across a summer-time change in London.
	start := time.Date(2026, 3, 29, 0, 59, 58, 0, time.UTC)
	for _, loc := range zones {
		tm := start.In(loc)
		for range 20000 {
			tm = tm.Add(time.Duration(r.Int64N(400_000)))
			check(tm)
		}
	}
	for range 200000 {
		tm := time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
		switch r.IntN(4) {
		case 0:
			tm = tm.Truncate(time.Second)
		case 1:
			tm = tm.Truncate(time.Millisecond)
		}
		check(tm)
		// The same instant in another zone: the same second, other text.
		check(tm.In(zones[r.IntN(len(zones))]))
	}
	check(time.Date(-1, 1, 1, 0, 0, 0, 5, time.UTC))
	check(time.Date(10000, 1, 1, 0, 0, 0, 5, time.UTC))
	check(time.Now())
}
