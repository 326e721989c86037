// Package catalogue is the lock catalogue's service: it validates records,
// stores them with their intrinsic assessments and revisions, imports and
// seeds them, and serves reads from an immutable in-memory snapshot that is
// swapped atomically after every change and kept in step with other
// replicas through the database's catalogue revision.
package catalogue
