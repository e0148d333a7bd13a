package apitest_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestRawProc checks native procedures called through raw addresses
// (GetProcAddress, then Syscall6 or SyscallN), through (*windows.Proc).Call,
// and a native out whose handles are fields of a struct (CreateProcessW's
// ProcessInformation).
func TestRawProc(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./rawproc")
}
