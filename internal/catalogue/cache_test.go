package catalogue

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCacheComputesOnceAndStaysBounded(t *testing.T) {
	c := newCache(8)
	var calls atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := c.GetOrCompute("k", func() any { calls.Add(1); return 42 })
			if v.(int) != 42 {
				t.Error("wrong value")
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("computed %d times", calls.Load())
	}
	for i := 0; i < 100; i++ {
		c.GetOrCompute(fmt.Sprint(i), func() any { return i })
	}
	if n := c.size.Load(); n > 8 {
		t.Fatalf("%d entries, bound 8", n)
	}
	c.Forget("99")
	if _, hit := c.GetOrCompute("99", func() any { return 0 }); hit {
		t.Fatal("a forgotten key was still cached")
	}
}
