package catalogue

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Tables are read without a lock while other goroutines add to them (run
// with -race); an index always gives back its value.
func TestTableConcurrentUse(t *testing.T) {
	tab := newTable(func(s string) string { return s }, strings.Clone)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				v := fmt.Sprint(i % 500)
				if w%2 == 1 {
					v = fmt.Sprint(1999 - i)
				}
				if got := tab.get(tab.index(v)); got != v {
					t.Errorf("index of %q gives back %q", v, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(*tab.vals.Load()); n != 2000 {
		t.Fatalf("%d values, want 2000 distinct", n)
	}
}
