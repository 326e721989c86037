//go:build !faults

package api

// faultpoint is where the fault suite's build (tag faults) can kill the
// process; in every other build it does nothing.
func faultpoint(string) {}
