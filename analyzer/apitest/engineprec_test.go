package apitest_test

import (
	"path/filepath"
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// netRules is the opt-in rules file of package net.
func netRules(t *testing.T) analyzer.Config {
	t.Helper()
	f, err := filepath.Abs(filepath.Join(testdata, "..", "..", "rules", "net", "net.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return analyzer.Config{RulesFiles: []string{f}}
}

// TestEnginePrecision checks the engine's false alarms of issue 18 that
// are not net's own, on os, syscall and x/sys/unix (net's rules where
// the shape needs a net type): each package is quiet but for neighbours
// marked with a want comment, the real bug next to the correct shape.
func TestEnginePrecision(t *testing.T) {
	// A test of an err that the acquisition never wrote (nil) is dead.
	run(t, "linux", analyzer.Analyzer, "./shadowerr")
	// A closure deferred in a loop closes its own iteration's variable.
	run(t, "linux", analyzer.Analyzer, "./loopdefer")
	// A phi of a handle and of a struct that wraps it hands either on.
	run(t, "linux", analyzer.Analyzer, "./wrapphi")
	// A call on a closed Go object (an *os.File) fails with an error.
	run(t, "linux", analyzer.Analyzer, "./closedcall")
	// A closure handed to t.Cleanup runs at exit, as a deferred one.
	run(t, "linux", analyzer.Analyzer, "./cleanup")
	// A Close promoted from an embedded field releases the handle.
	run(t, "linux", analyzer.New(netRules(t)), "./embedclose")
}

// TestNetRules checks the opt-in rules of package net on the real net.
func TestNetRules(t *testing.T) {
	run(t, "linux", analyzer.New(netRules(t)), "./netconn")
}
