package analyzer_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestImpersonation runs the impersonation scenarios on the real x/sys:
// in one package, and through another package's thread summaries.
func TestImpersonation(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./impersonation", "./impersonation/lib", "./impersonation/app")
}

// TestBorrowedChange runs the borrowed-change scenarios on the real x/sys.
func TestBorrowedChange(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./borrowedchange")
}

// TestUseAfterRelease runs the use-after-release scenarios on the real
// x/sys: Windows handles, and Linux descriptors with *os.File.
func TestUseAfterRelease(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./useafter")
	run(t, "linux", analyzer.Analyzer, "./useafterfd")
}

// TestKeepAlive runs the keepalive scenarios on the real os, x/sys/unix
// and syscall (linux) and x/sys/windows.
func TestKeepAlive(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./keepalive", "./keepalive/lib")
	run(t, "windows", analyzer.Analyzer, "./keepalivewin")
}
