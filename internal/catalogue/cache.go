package catalogue

import (
	"container/list"
	"sync"
)

// Cache is a small LRU of values derived from one snapshot. Concurrent
// callers asking for the same missing key compute it once.
type Cache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
}

type cacheItem struct {
	key  string
	once sync.Once
	val  any
}

func newCache(max int) *Cache {
	return &Cache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

// GetOrCompute returns the value for key, computing it with fn on a miss.
// The second result reports a hit.
func (c *Cache) GetOrCompute(key string, fn func() any) (any, bool) {
	c.mu.Lock()
	el, hit := c.items[key]
	if hit {
		c.ll.MoveToFront(el)
	} else {
		el = c.ll.PushFront(&cacheItem{key: key})
		c.items[key] = el
		if c.ll.Len() > c.max {
			old := c.ll.Back()
			c.ll.Remove(old)
			delete(c.items, old.Value.(*cacheItem).key)
		}
	}
	c.mu.Unlock()
	it := el.Value.(*cacheItem)
	it.once.Do(func() { it.val = fn() })
	return it.val, hit
}
