// Package faults is lockscore's fault suite: it builds the server with the
// faults build tag (which adds kill points between a write's commit and
// its answer), runs it as real processes on loopback ports 18083-18086 and
// attacks it with crashes, a PostgreSQL outage, hostile input and floods.
// Every loop is bounded in count and time and aimed only at 127.0.0.0/8.
//
//	go test -tags faults ./internal/faults          # the full suite
//	go test -tags faults -short ./internal/faults   # the short version CI runs
//
// The tests log their figures as "FIGURE ..." lines (go test -v).
package faults
