package apitest_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestEngineShapes checks the shapes of issue 12 on the real x/sys: false
// alarms of deferred closures, boxed handles and recover branches (quiet
// functions), and leaks and double releases the engine missed (want).
func TestEngineShapes(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./engine12")
	run(t, "linux", analyzer.Analyzer, "./engine12fd")
}
