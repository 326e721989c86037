package catalogue

import (
	"strings"
	"sync"

	"github.com/lockscore/lockscore/models"
)

// Snapshot records share their low-cardinality values — brands, form
// factors, statuses, bands, market and door-type lists, empty lists — so a
// 100,000-model snapshot is a few objects a model instead of twenty: every
// garbage-collection cycle marks the whole snapshot, and the number of
// objects sets how long that takes (BenchmarkGCWithSnapshot). Shared values
// are never written through; a change builds a new record.
var (
	internedStrings sync.Map // string → string
	internedLists   sync.Map // joined list → []string
	emptyStrings    = []string{}
	emptyIncidents  = []models.Incident{}
)

func internString(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := internedStrings.Load(s); ok {
		return v.(string)
	}
	v, _ := internedStrings.LoadOrStore(strings.Clone(s), strings.Clone(s))
	return v.(string)
}

func internList(list []string) []string {
	if len(list) == 0 {
		return emptyStrings
	}
	key := strings.Join(list, "\x00")
	if v, ok := internedLists.Load(key); ok {
		return v.([]string)
	}
	own := make([]string, len(list))
	for i, s := range list {
		own[i] = internString(s)
	}
	v, _ := internedLists.LoadOrStore(key, own)
	return v.([]string)
}

// internRecord makes r share its low-cardinality values.
func internRecord(r *LockRecord) {
	r.Brand = internString(r.Brand)
	r.FormFactor = internString(r.FormFactor)
	r.Status = internString(r.Status)
	r.DataConfidence = internString(r.DataConfidence)
	r.Markets = internList(r.Markets)
	r.DoorTypes = internList(r.DoorTypes)
	for i := range r.Sources {
		if len(r.Sources[i].Supports) == 0 {
			r.Sources[i].Supports = emptyStrings
		} else {
			r.Sources[i].Supports = internList(r.Sources[i].Supports)
		}
	}
	if len(r.Incidents) == 0 {
		r.Incidents = emptyIncidents
	}
	a := &r.Assessment
	a.Band, a.Label, a.MethodologyVersion = internString(a.Band), internString(a.Label), internString(a.MethodologyVersion)
}
