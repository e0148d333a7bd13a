package apitest_test

import (
	"fmt"
	"os"
	"strings"
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

// recorder is an analysistest.Testing that keeps the errors.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// containsAll reports whether one of errs contains every one of subs.
func containsAll(errs []string, subs ...string) bool {
	for _, e := range errs {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(e, s)
		}
		if ok {
			return true
		}
	}
	return false
}
