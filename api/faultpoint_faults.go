//go:build faults

package api

import (
	"os"
	"syscall"
)

// faultpoint kills the process with SIGKILL at the point named by
// LOCKSCORE_FAULTPOINT, so the fault suite (internal/faults) can crash a
// server between a write's commit and its answer. Built only with -tags faults.
func faultpoint(name string) {
	if os.Getenv("LOCKSCORE_FAULTPOINT") == name {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}
