package catalogue

import "github.com/lockscore/lockscore/models"

// BuildSnapshot exposes snapshot building to benchmarks.
func BuildSnapshot(base *Snapshot, changed []models.LockModel, revision int64) *Snapshot {
	return buildSnapshot(base, changed, revision)
}
