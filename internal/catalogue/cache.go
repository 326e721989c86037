package catalogue

import (
	"sync"
	"sync/atomic"
)

// Cache holds values derived from one snapshot. Hits take no lock; when it
// grows past its bound it drops half its entries (snapshots are short-lived,
// so a simple bound is enough). Concurrent callers asking for the same
// missing key compute it once.
type Cache struct {
	max   int64
	size  atomic.Int64
	items sync.Map // string → *cacheItem
	mu    sync.Mutex
}

type cacheItem struct {
	once sync.Once
	val  any
}

func newCache(max int) *Cache { return &Cache{max: int64(max)} }

// GetOrCompute returns the value for key, computing it with fn on a miss.
// The second result reports a hit.
func (c *Cache) GetOrCompute(key string, fn func() any) (any, bool) {
	if v, ok := c.items.Load(key); ok {
		it := v.(*cacheItem)
		it.once.Do(func() { it.val = fn() })
		return it.val, true
	}
	v, loaded := c.items.LoadOrStore(key, &cacheItem{})
	if !loaded && c.size.Add(1) > c.max {
		c.shrink(key)
	}
	it := v.(*cacheItem)
	it.once.Do(func() { it.val = fn() })
	return it.val, loaded
}

// shrink drops about half the entries, keeping keep.
func (c *Cache) shrink(keep string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.size.Load() <= c.max {
		return
	}
	n := c.size.Load() / 2
	c.items.Range(func(k, _ any) bool {
		if n <= 0 {
			return false
		}
		if k.(string) != keep {
			c.items.Delete(k)
			c.size.Add(-1)
			n--
		}
		return true
	})
}

// Forget drops key, for values too large to keep.
func (c *Cache) Forget(key string) {
	if _, ok := c.items.LoadAndDelete(key); ok {
		c.size.Add(-1)
	}
}
