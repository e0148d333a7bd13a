package analyzer_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/testenv"
)

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

// TestWrongWantFails shows that a wrong expectation in a _windows.go file
// fails under GOOS=windows, and that under GOOS=linux, where it would pass
// vacuously, the file-coverage check reports the skipped file.
func TestWrongWantFails(t *testing.T) {
	t.Setenv("GOOS", "windows")
	var rec testenv.Recorder
	analysistest.Run(&rec, testdata, analyzer.Analyzer, "./wrongwant")
	if !containsAll(rec.Errs, "wrong_windows.go", "this expectation is deliberately wrong") {
		t.Errorf("GOOS=windows: a wrong want did not fail; errors: %q", rec.Errs)
	}

	t.Setenv("GOOS", "linux")
	rec = testenv.Recorder{}
	results := analysistest.Run(&rec, testdata, analyzer.Analyzer, "./wrongwant")
	if len(rec.Errs) != 0 {
		t.Errorf("GOOS=linux: expected the vacuous pass this test guards against, got %q", rec.Errs)
	}
	if len(results) != 1 || !slices.Equal(testenv.Unanalyzed(results[0]), []string{"wrong_windows.go"}) {
		t.Errorf("GOOS=linux: the coverage check did not report wrong_windows.go as skipped")
	}
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

// TestOwnerTypesFile checks owner types whose handle field is an
// *os.File, and a struct whose methods release different *os.File fields,
// which is none, in its own package and in an importing one.
func TestOwnerTypesFile(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./ownersfile", "./ownersfile/app")
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
		if missing := testenv.Unanalyzed(r); len(missing) > 0 {
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
	var rec testenv.Recorder
	analysistest.Run(&rec, testdata, analyzer.New(analyzer.Config{RulesFiles: []string{file}}), "./rulecheck/p", "golang.org/x/sys/windows")
	for _, want := range []string{
		file + ":4:15: (handlecheck.test/rulecheck/p.T).Close is not declared in package handlecheck.test/rulecheck/p: did you mean (*handlecheck.test/rulecheck/p.T).Close?\n" +
			file + ":6:11: handlecheck.test/rulecheck/p.Opne is not declared in package handlecheck.test/rulecheck/p: did you mean handlecheck.test/rulecheck/p.Open?\n" +
			file + ":8:11: handlecheck.test/rulecheck/p.Invalid is a constant, not a function\n" +
			file + ":10:11: handlecheck.test/rulecheck/p.T is a type, not a function",
		file + ":14:11: result: 1 is the error result of golang.org/x/sys/windows.OpenProcess, not a handle\n" +
			file + ":21:28: has-bits: arg 5 is parameter bInheritHandle bool, not an integer that has bits",
	} {
		if !containsAll(rec.Errs, want) {
			t.Errorf("want the error\n%s\ngot %q", want, rec.Errs)
		}
	}
	if containsAll(rec.Errs, "notloaded") {
		t.Errorf("a rule for a package not loaded was reported: %q", rec.Errs)
	}
}

// TestFormattingUses checks which packages a call of fmt makes relevant:
// one that imports a platform package (typed, whose Describe takes a
// windows.Handle) is built and its summary says Describe only uses its
// handle, so app's handle passed to it still leaks; one that imports none
// (plain) is not built, and a handle passed to its Describe is handed on.
func TestFormattingUses(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./formatuses/typed", "./formatuses/plain", "./formatuses/app")
}

// TestOwnerConstructors checks constructors of owner types in the shapes
// real code writes them (issue 18, pattern 7).
func TestOwnerConstructors(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./ownerctor")
	run(t, "linux", analyzer.Analyzer, "./ownerctoru")
}
