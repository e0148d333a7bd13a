package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// Testdata returns the absolute path of testdata/src, the test module of
// the analyzer's tests, which depends on the real golang.org/x/sys.
func Testdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "src")
}

// AnalyzerMain is TestMain for a package of analyzer tests: it fetches the
// test module's dependencies (analysistest loads with GOPROXY=off; a no-op
// when they are in the module cache), runs the tests, and removes the
// command BuildCommand built. It returns the exit code.
func AnalyzerMain(m *testing.M) int {
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = Testdata()
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go mod download in %s: %v\n%s", cmd.Dir, err, out)
		return 1
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// RunAnalyzer analyzes pkgs of Testdata as built for goos and checks that
// every Go file in each package's directory was analyzed: a file the
// build skipped would let its wrong `want` comments pass vacuously.
func RunAnalyzer(t *testing.T, goos string, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	t.Setenv("GOOS", goos)
	results := analysistest.Run(t, Testdata(), a, pkgs...)
	if len(results) == 0 {
		t.Fatalf("no packages analyzed for %v", pkgs)
	}
	for _, r := range results {
		if missing := Unanalyzed(r); len(missing) > 0 {
			t.Errorf("%s: files not analyzed under GOOS=%s: %v", r.Action.Package.PkgPath, goos, missing)
		}
	}
	return results
}

// Unanalyzed lists the .go files in a result's package directory that
// were not analyzed.
func Unanalyzed(r *analysistest.Result) []string {
	pkg := r.Action.Package
	if len(pkg.GoFiles) == 0 {
		return []string{"(all)"}
	}
	dir := filepath.Dir(pkg.GoFiles[0])
	all, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var missing []string
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.go") && !slices.Contains(pkg.GoFiles, f) {
			missing = append(missing, filepath.Base(f))
		}
	}
	return missing
}

var (
	buildOnce sync.Once
	binDir    string
	binErr    error
)

// BuildCommand builds cmd/handlecheck once per test binary and returns
// it; AnalyzerMain removes it.
func BuildCommand(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "handlecheck-bin"); binErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "handlecheck"), "github.com/handlecheck/handlecheck/cmd/handlecheck").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "handlecheck")
}

// A Recorder is an analysistest.Testing that keeps the errors, for tests
// that check analysistest itself fails.
type Recorder struct{ Errs []string }

// Errorf records an error.
func (r *Recorder) Errorf(format string, args ...any) {
	r.Errs = append(r.Errs, fmt.Sprintf(format, args...))
}

// ContainsAll reports whether one of errs contains every one of subs.
func ContainsAll(errs []string, subs ...string) bool {
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
