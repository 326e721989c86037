// Package catalogue is the lock catalogue's service: it validates records,
// stores them with their intrinsic assessments and revisions, imports and
// seeds them, and serves reads from an immutable in-memory snapshot that is
// swapped atomically after every change and kept in step with other
// replicas through the database's catalogue revision.
//
// The snapshot is compact: an Entry holds what lists, filters, sorts,
// facets and rankings read, as codes, numbers and one string, so a
// 100,000-model snapshot is about 40 MB that a garbage collection marks in a
// few milliseconds. The cold fields a single record shows (price, URLs,
// sources, incidents, notes) are read from the database by Snapshot.Records
// and kept in an LRU keyed by (slug, version).
package catalogue
