package apitest_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/testenv"
)

// The recall scenarios of issue 18, each on the real x/sys, with the
// correct variants quiet.

// TestRecallHelperUses: a helper that only uses a descriptor passed to it
// (pattern 2), in the same package and across packages (through facts).
func TestRecallHelperUses(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./recall2", "./recall2/helpers", "./recall2/app")
}

// TestRecallAdoptedParam: a constructor that takes ownership of a
// descriptor on some paths and loses it on others (pattern 4); the one
// that closes it, or adopts it on every path, is quiet and summarized so.
func TestRecallAdoptedParam(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./recall4")
}

// TestRecallGenericsAndMethodValues: sources of the package called through
// a generic function (origin and instantiations), a method value and a
// method expression (pattern 5).
func TestRecallGenericsAndMethodValues(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./recall5")
}

// TestRecallPassThrough: helpers that return their argument (must[T any](v
// T, err error) T), generic and not, of the package and of another one
// (facts), carry the handle through to their result (pattern 5); a helper
// that keeps its argument hands it on. Method values and method
// expressions of imported sources and releasers. The Windows file is
// analyzed as built for Windows, with the portable one.
func TestRecallPassThrough(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./recall5pass", "./recall5pass/util")
}

// TestRecallPlatformAskedFor: a platform package (a `uses` package of the
// rules, as x/sys/windows/svc is) is analyzed when it is among the
// packages asked for (pattern 8), and skipped as a dependency.
func TestRecallPlatformAskedFor(t *testing.T) {
	rulesFile, err := filepath.Abs(filepath.Join(testdata, "recall8", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const platform = "handlecheck.test/recall8/platform"
	asked := analyzer.New(analyzer.Config{RulesFiles: []string{rulesFile}, Roots: func(path string) bool { return path == platform }})
	run(t, "windows", asked, "./recall8/platform")

	// Asked for nothing: the same package is a dependency, and skipped.
	dep := analyzer.New(analyzer.Config{RulesFiles: []string{rulesFile}, Roots: func(string) bool { return false }})
	var rec testenv.Recorder
	t.Setenv("GOOS", "windows")
	results := analysistest.Run(&rec, testdata, dep, "./recall8/platform")
	if len(results) != 1 || len(results[0].Diagnostics) != 0 {
		t.Errorf("as a dependency: got %d results, diagnostics %v; want one, with none", len(results), diagnostics(results))
	}
	if !containsAll(rec.Errs, "no diagnostic was reported matching") {
		t.Errorf("as a dependency: the want comments did not go unmatched: %q", rec.Errs)
	}
}

// TestRecallRealPlatformPackage analyzes the real golang.org/x/sys/windows/svc/mgr
// as asked for: it is analyzed (its functions get summaries) without an
// error; as a dependency it is not.
func TestRecallRealPlatformPackage(t *testing.T) {
	const mgr = "golang.org/x/sys/windows/svc/mgr"
	t.Setenv("GOOS", "windows")
	facts := func(roots func(string) bool) int {
		a := analyzer.New(analyzer.Config{Roots: roots})
		pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: testdata, Env: append(os.Environ(), "GOOS=windows", "GOFLAGS=-mod=mod")}, mgr)
		if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
			t.Fatalf("load %s: %v %v", mgr, err, pkgs)
		}
		g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for act := range g.All() {
			if act.Err != nil {
				t.Errorf("%s: %v", act.Package.PkgPath, act.Err)
			}
			if act.Package.PkgPath != mgr || act.Analyzer != a {
				continue
			}
			for _, f := range act.AllObjectFacts() {
				if f.Object.Pkg() != nil && f.Object.Pkg().Path() == mgr {
					n++
				}
			}
			for _, d := range act.Diagnostics {
				t.Logf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
			}
		}
		return n
	}
	if n := facts(func(path string) bool { return path == mgr }); n == 0 {
		t.Errorf("asked for: no summaries of %s's functions; it was not analyzed", mgr)
	}
	if n := facts(nil); n != 0 {
		t.Errorf("as a dependency: %d summaries of %s's functions; it should be skipped", n, mgr)
	}
}

func diagnostics(results []*analysistest.Result) []string {
	var out []string
	for _, r := range results {
		for _, d := range r.Diagnostics {
			out = append(out, d.Message)
		}
	}
	return out
}

// TestRecallStructFields: handles kept in a struct the function allocated
// (pattern 1): an out-struct from new(windows.ProcessInformation) whose
// closure closes one field only, a &T{} or local variable that dies
// holding its handle; returned, stored, passed on or closed is quiet.
func TestRecallStructFields(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./recall1")
	run(t, "linux", analyzer.Analyzer, "./recall1u")
}

// TestRecallReturnedWithError: a live descriptor returned together with
// an error that may be non-nil (pattern 3) is reported at its
// acquisition; its summary says so, so that callers that return on the
// error leak it, in the package and across packages; the error of the
// acquisition itself, a nil one and a cleanup on error are quiet.
func TestRecallReturnedWithError(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./recall3", "./recall3/app")
}

// TestRecallOwnerTypes: owner types as real code writes them (pattern 7):
// a closer through another method behind a closed flag, a helper closer,
// a constructor wrapping a handle passed in, one setting the field after
// other calls and returning through named results.
func TestRecallOwnerTypes(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./recall7")
}

// TestRecallReaderHelper: an *os.File passed to a helper of the package
// that only reads it through an io.Reader parameter (wrapped in a
// bufio.Scanner of a struct of its own), as cilium/ebpf's kallsyms did
// (pattern 6): the File is still the caller's; helpers that keep it, or
// may close it, hand it on.
func TestRecallReaderHelper(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./recall6")
}

// TestRecallStructHolders: a handle that a function of the package returns
// inside a new struct with no closer (fsnotify's getIno), which its
// callers must release through the field or hand on; helpers that only
// read a struct's fields, and calls that only use their arguments, keep
// the handles in it the caller's; keeping, storing, returning or closing
// it through a helper is quiet.
func TestRecallStructHolders(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./holders")
}

// TestRecallPlainDataHolders: descriptors kept in a struct of x/sys/unix
// with no methods (unix.EpollEvent), followed as a struct of the package.
func TestRecallPlainDataHolders(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./holdersu")
}

// TestRecallBufioHolders: a File wrapped in a bufio reader or writer (or
// io.LimitReader) that only reads and writes through it, as go-tty's open
// (issue 18): the File is still the caller's, and the reader carries it
// (stored in a struct that dies, returned, passed on).
func TestRecallBufioHolders(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./bufiohold")
}

// TestRecallReceiverFieldAndOverlapped: a handle a method takes over from
// its receiver's field, clearing it, and loses on an error path (M1); an
// event a helper of the package returns inside a new syscall.Overlapped,
// which its callers close twice or lose (M2), in the package and, through
// the fact, in an importing one (natefinch/npipe, set H misses #9-#11).
func TestRecallReceiverFieldAndOverlapped(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./recvfield", "./recvfield/app")
}
