package comtest_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// testdata is the test module, which depends on the real golang.org/x/sys.
var testdata = testenv.Testdata()

func TestMain(m *testing.M) { os.Exit(testenv.AnalyzerMain(m)) }

// run analyzes pkgs as built for goos and checks that every Go file in
// each package's directory was analyzed.
func run(t *testing.T, goos string, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	return testenv.RunAnalyzer(t, goos, a, pkgs...)
}

// buildCommand builds cmd/handlecheck once per test binary.
func buildCommand(t *testing.T) string { return testenv.BuildCommand(t) }

// containsAll reports whether one of errs contains every one of subs.
func containsAll(errs []string, subs ...string) bool { return testenv.ContainsAll(errs, subs...) }
