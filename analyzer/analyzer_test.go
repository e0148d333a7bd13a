package analyzer_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/handlecheck/handlecheck/analyzer"
)

// testdata is a module that depends on the real golang.org/x/sys.
var testdata = filepath.Join("..", "testdata", "src")

func TestMain(m *testing.M) {
	// analysistest loads with GOPROXY=off: fetch the test module's
	// dependencies first (a no-op when they are in the module cache).
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = testdata
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go mod download in %s: %v\n%s", testdata, err, out)
		os.Exit(1)
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// run analyzes pkgs as built for goos and checks that every Go file in
// each package's directory was analyzed: a file the build skipped would let
// its wrong `want` comments pass vacuously.
func run(t *testing.T, goos string, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	t.Setenv("GOOS", goos)
	results := analysistest.Run(t, testdata, a, pkgs...)
	if len(results) == 0 {
		t.Fatalf("no packages analyzed for %v", pkgs)
	}
	for _, r := range results {
		if missing := unanalyzed(r); len(missing) > 0 {
			t.Errorf("%s: files not analyzed under GOOS=%s: %v", r.Action.Package.PkgPath, goos, missing)
		}
	}
	return results
}

// unanalyzed lists the .go files in a result's package directory that were
// not analyzed.
func unanalyzed(r *analysistest.Result) []string {
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

func TestLinux(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./unixfd")
}

// TestUserRules describes two COM bindings only through a user rules file:
// WSDAPI's GetMappedAccessToken (owned, out-parameter) and IIS's
// GetImpersonationToken (borrowed), both interface methods.
func TestUserRules(t *testing.T) {
	rulesFile, err := filepath.Abs(filepath.Join(testdata, "userrules", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a := analyzer.New(analyzer.Config{RulesFiles: []string{rulesFile}})
	run(t, "windows", a, "./userrules/app")
}

// recorder is an analysistest.Testing that keeps the errors.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestWrongWantFails shows that a wrong expectation in a _windows.go file
// fails under GOOS=windows, and that under GOOS=linux, where it would pass
// vacuously, the file-coverage check reports the skipped file.
func TestWrongWantFails(t *testing.T) {
	t.Setenv("GOOS", "windows")
	var rec recorder
	analysistest.Run(&rec, testdata, analyzer.Analyzer, "./wrongwant")
	if !containsAll(rec.errs, "wrong_windows.go", "this expectation is deliberately wrong") {
		t.Errorf("GOOS=windows: a wrong want did not fail; errors: %q", rec.errs)
	}

	t.Setenv("GOOS", "linux")
	rec = recorder{}
	results := analysistest.Run(&rec, testdata, analyzer.Analyzer, "./wrongwant")
	if len(rec.errs) != 0 {
		t.Errorf("GOOS=linux: expected the vacuous pass this test guards against, got %q", rec.errs)
	}
	if len(results) != 1 || !slices.Equal(unanalyzed(results[0]), []string{"wrong_windows.go"}) {
		t.Errorf("GOOS=linux: the coverage check did not report wrong_windows.go as skipped")
	}
}

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

// TestSummaries checks wrappers and helpers across packages: lib's facts
// and their effect in app.
func TestSummaries(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./summaries/lib", "./summaries/app")
}

// TestOwnerTypes checks types that own a handle: a struct whose Close
// releases its handle field is a resource, its constructor a source, in
// its own package and in an importing one.
func TestOwnerTypes(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./owners/lib", "./owners/app")
}

// TestSchema checks the default rules that need more than a plain result
// or out: struct fields and several outs (CreateProcess, CreatePipe),
// conditions on constant arguments (DuplicateHandle, GetModuleHandleEx,
// CreateIoCompletionPort, named CreateEvent), a GOOS condition
// (StartProcess), array elements (Pipe2, Socketpair) and native procedures
// called through LazyProc.Call and SyscallN (LogonUserW).
func TestSchema(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./parts", "./native")
	run(t, "linux", analyzer.Analyzer, "./unixparts")
}

// TestConstructs covers generics, goroutines, method values, defer in
// loops, select, goto, labeled break/continue, a cgo file and a generated
// file.
func TestConstructs(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./robust")
}

// TestIgnoreDirectives checks //handlecheck:ignore: it suppresses its
// category on its line and the next, needs a reason, and is reported when
// it suppresses nothing.
func TestIgnoreDirectives(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./ignore", "./ignore/none")
}

// TestSuggestedFixes checks the deferred release offered for leaks that no
// path releases, against fix_windows.go.golden; and that no fix is offered
// where a defer would be wrong or would not compile.
func TestSuggestedFixes(t *testing.T) {
	t.Setenv("GOOS", "windows")
	results := analysistest.RunWithSuggestedFixes(t, testdata, analyzer.Analyzer, "./fix")
	fixes := 0
	for _, r := range results {
		for _, d := range r.Action.Diagnostics {
			fixes += len(d.SuggestedFixes)
		}
		if missing := unanalyzed(r); len(missing) > 0 {
			t.Errorf("files not analyzed: %v", missing)
		}
	}
	if fixes != 3 {
		t.Errorf("got %d suggested fixes, want 3 (process, token, key)", fixes)
	}
}

// TestRulesCheckedWhereDeclared checks the rules that cannot be right,
// each reported at its position in the pass of the package that declares
// the function: names that resolve to nothing close to something, or to a
// constant or a type; the error result as a handle; has-bits on a bool.
// A name in a package that is not loaded is fine.
func TestRulesCheckedWhereDeclared(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rules.yaml")
	rules := `resources:
  - name: fd
    release:
      - func: (handlecheck.test/rulecheck/p.T).Close
owned:
  - func: handlecheck.test/rulecheck/p.Opne
    resource: fd
  - func: handlecheck.test/rulecheck/p.Invalid
    resource: fd
  - func: handlecheck.test/rulecheck/p.T
    resource: fd
  - func: example.com/notloaded.Open
    resource: fd
  - func: golang.org/x/sys/windows.OpenProcess
    resource: handle
    result: 1
  - func: golang.org/x/sys/windows.DuplicateHandle
    resource: handle
    out: 3
    when:
      - {arg: 5, has-bits: 1}
`
	if err := os.WriteFile(file, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOS", "windows")
	var rec recorder
	analysistest.Run(&rec, testdata, analyzer.New(analyzer.Config{RulesFiles: []string{file}}), "./rulecheck/p", "golang.org/x/sys/windows")
	for _, want := range []string{
		file + ":4:15: (handlecheck.test/rulecheck/p.T).Close is not declared in package handlecheck.test/rulecheck/p: did you mean (*handlecheck.test/rulecheck/p.T).Close?\n" +
			file + ":6:11: handlecheck.test/rulecheck/p.Opne is not declared in package handlecheck.test/rulecheck/p: did you mean handlecheck.test/rulecheck/p.Open?\n" +
			file + ":8:11: handlecheck.test/rulecheck/p.Invalid is a constant, not a function\n" +
			file + ":10:11: handlecheck.test/rulecheck/p.T is a type, not a function",
		file + ":14:11: result: 1 is the error result of golang.org/x/sys/windows.OpenProcess, not a handle\n" +
			file + ":21:28: has-bits: arg 5 is parameter bInheritHandle bool, not an integer that has bits",
	} {
		if !containsAll(rec.errs, want) {
			t.Errorf("want the error\n%s\ngot %q", want, rec.errs)
		}
	}
	if containsAll(rec.errs, "notloaded") {
		t.Errorf("a rule for a package not loaded was reported: %q", rec.errs)
	}
}
