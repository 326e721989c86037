// Package scoring is the lockscore methodology (version 1) as pure Go: the lock
// attributes and household context it reads, the methodology as one value of
// data, and the engine that turns a lock and a context into an explained
// assessment. It does no I/O and imports nothing from HTTP or the database, so
// the same code serves the API, the catalogue and the command line.
package scoring
