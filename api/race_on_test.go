//go:build race

package api_test

// raceEnabled skips the tests that time many thousands of requests: the
// race detector makes them tens of times slower.
const raceEnabled = true
