// Package parallel runs the iterations of a loop on every core, for the
// few places whose work is a long loop of independent steps (start-up's
// row decoding, a whole-catalogue ranking, an import's rows).
package parallel

import (
	"runtime"
	"sync"
)

// For runs fn(i) for every i in [0, n), in GOMAXPROCS contiguous chunks at
// once, and returns when all have run. fn must not depend on other i.
func For(n int, fn func(i int)) {
	workers := max(runtime.GOMAXPROCS(0), 1)
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
