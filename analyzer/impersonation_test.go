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
