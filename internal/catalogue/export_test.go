package catalogue

import "github.com/lockscore/lockscore/models"

// BuildSnapshot exposes snapshot building to benchmarks.
func BuildSnapshot(base *Snapshot, changed []models.LockModel, revision int64) *Snapshot {
	return buildSnapshot(base, changed, revision)
}

// HasRanking reports whether a ranking for the context key is in the
// snapshot's cache, computed or under way.
func (s *Snapshot) HasRanking(key string) bool {
	_, ok := s.rankings.items.Load(key)
	return ok
}
