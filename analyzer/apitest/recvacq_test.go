package apitest_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestRecvAcquire: a method that acquires a handle into a field of its
// receiver (glog's rotateFile, set K misses #1 and #2), called on a
// struct the caller allocated: the struct holds the handle from the call
// on, and dropping it is a leak at the call; closing the field, the
// type's closer, returning or keeping the struct is quiet, and so is a
// receiver the caller did not allocate.
func TestRecvAcquire(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./recvacq")
}

// TestRecvAcquireWindows: the same with windows.CreateFile into a
// windows.Handle field.
func TestRecvAcquireWindows(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./recvacqwin")
}

// TestRecvAcquireFacts: the fact crosses packages; the importing package
// releases through the type's closer.
func TestRecvAcquireFacts(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./recvacqx/lib", "./recvacqx/use")
}
