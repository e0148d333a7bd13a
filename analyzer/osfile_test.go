package analyzer_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestOSFile checks the rules for *os.File, *os.Root and *os.Process on
// the real os and net: os.Open and its kin, os.Pipe, os.NewFile, the
// methods of *os.Root, the dup of (*net.conn).File, os.StartProcess, and
// os.FindProcess, which holds a pidfd on Linux and a process handle on
// Windows.
func TestOSFile(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./osfile")
	run(t, "windows", analyzer.Analyzer, "./osfile/win")
}

// TestOSFileKnownFalseAlarms holds correct code that is reported today.
func TestOSFileKnownFalseAlarms(t *testing.T) {
	t.Skip("known false alarm: a second (*os.File).Close, or Release after (*os.Process).Wait, is reported as a double release; " +
		"both are harmless, but a rule cannot mark a resource's releaser idempotent (Acquire.ReleaseAgainOK is set only for owner types' closers, in analyzer/oracle.go)")
	run(t, "linux", analyzer.Analyzer, "./osfile/knownfa")
}
