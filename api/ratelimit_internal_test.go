package api

import (
	"fmt"
	"testing"
	"time"
)

// The limiter's memory is bounded by its bucket count, however many clients come.
func TestRateLimiterIsBounded(t *testing.T) {
	r := newRateLimiter(50, 100, 1000)
	now := time.Now()
	for i := 0; i < 60000; i++ {
		r.take(fmt.Sprintf("ip:10.0.%d.%d", i>>8, i&255), now)
	}
	if n := r.buckets(); n > 1000 || n < 900 {
		t.Fatalf("%d buckets after 60,000 clients, want at most 1,000", n)
	}
	// A client seen again at once keeps its bucket: its tokens stay spent.
	for i := 0; i < 100; i++ {
		r.take("key:alice", now)
	}
	if ok, _, _ := r.take("key:alice", now); ok {
		t.Fatal("a spent bucket was forgotten while in use")
	}
}

func TestClientBucket(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1": "ip:192.0.2.1", "2001:db8:1:2:3:4:5:6": "ip6:2001:db8:1:2::/64",
		"::ffff:192.0.2.1": "ip:192.0.2.1", "garbage": "ip:garbage",
	} {
		if got := clientBucket(in); got != want {
			t.Errorf("clientBucket(%q) = %q, want %q", in, got, want)
		}
	}
}
