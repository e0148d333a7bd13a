package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestSameAsChecker checks that the driver's own loader and checker,
// which analyze one package at a time and drop each one's syntax once it
// is done, produce what packages.Load (LoadAllSyntax) and checker.Analyze
// produced before them: the same roots, load errors, findings (with their
// positions, enclosing functions, related positions and fixes) and
// analyzer errors. The modules have findings that only a dependency's
// Summary fact explains, suppressions and a stale directive, test
// variants, a dependency that does not type-check (bad, imported by app)
// and a package that does not parse.
func TestSameAsChecker(t *testing.T) {
	mixed := filepath.Join("..", "..", "cmd", "handlecheck", "testdata", "mixed")
	for _, tc := range []struct {
		dir, goos string
		rules     []string
		broken    bool // whether some roots do not load
	}{
		{dir: filepath.Join("testdata", "cachemod"), goos: "windows"},
		{dir: filepath.Join("testdata", "brokenmod"), goos: "linux", broken: true},
		{dir: mixed, goos: "linux", rules: []string{filepath.Join(mixed, "rules.yaml")}, broken: true}, // winimport
		{dir: mixed, goos: "windows", rules: []string{filepath.Join(mixed, "rules.yaml")}},
	} {
		t.Run(filepath.Base(tc.dir)+"-"+tc.goos, func(t *testing.T) {
			dir, err := filepath.Abs(tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			if tc.broken && filepath.Base(dir) == "brokenmod" {
				// A package that does not parse, made here so that
				// gofmt over the repository does not stop at it.
				dir = t.TempDir()
				if err := os.CopyFS(dir, os.DirFS(tc.dir)); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(filepath.Join(dir, "syntax"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "syntax", "syntax.go"), []byte("package syntax\n\nfunc Broken( {\n}\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			opts := Options{
				Analyzer: analyzer.New(analyzer.Config{RulesFiles: tc.rules}),
				Patterns: []string{"./..."},
				Dir:      dir,
				Tests:    true,
				Env:      append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod"),
			}
			v, err := analyze(opts, tc.goos, opts.Patterns)
			if err != nil {
				t.Fatal(err)
			}
			got := describeResults(v.results)

			opts.Analyzer = analyzer.New(analyzer.Config{RulesFiles: tc.rules})
			want := checkerResults(t, opts, tc.goos)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("own checker:\n%s\nchecker.Analyze:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			findings, broken := 0, 0
			for _, r := range v.results {
				findings += len(r.Findings)
				if r.Broken != nil {
					broken++
				}
			}
			if findings == 0 || (broken > 0) != tc.broken {
				t.Errorf("%d findings and %d broken roots: not the case this test is about\n%s", findings, broken, strings.Join(got, "\n"))
			}
		})
	}
}

// checkerResults analyzes opts's packages as the driver did before it had
// a checker of its own.
func checkerResults(t *testing.T, opts Options, goos string) []string {
	t.Helper()
	roots, err := load(opts, goos, packages.LoadAllSyntax|packages.NeedModule, opts.Patterns)
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{opts.Analyzer}, roots, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []*result
	for i, p := range roots {
		r := &result{ID: p.ID, Broken: exportErrors(loadErrors(p))}
		out = append(out, r)
		if r.Broken != nil {
			continue
		}
		r.Files = p.CompiledGoFiles
		act := graph.Roots[i]
		if act.Err != nil {
			for _, c := range checkerCauses(act) {
				r.Errors = append(r.Errors, Error{PkgID: c.Package.ID, GOOS: goos, Analyzer: c.Analyzer.Name, Msg: c.Err.Error()})
			}
			continue
		}
		for _, d := range act.Diagnostics {
			r.Findings = append(r.Findings, newFinding(act.Analyzer, p.ID, p.Fset, p.Syntax, d))
		}
	}
	return describeResults(out)
}

func checkerCauses(act *checker.Action) []*checker.Action {
	var out []*checker.Action
	seen := map[*checker.Action]bool{}
	var visit func(a *checker.Action)
	visit = func(a *checker.Action) {
		if seen[a] || a.Err == nil {
			return
		}
		seen[a] = true
		failedDep := false
		for _, d := range a.Deps {
			if d.Err != nil {
				failedDep = true
				visit(d)
			}
		}
		if !failedDep {
			out = append(out, a)
		}
	}
	visit(act)
	return out
}

// describeResults prints results in full, one line per root, finding and
// error.
func describeResults(results []*result) []string {
	var out []string
	for _, r := range results {
		out = append(out, fmt.Sprintf("%s broken=%q files=%d", r.ID, r.Broken, len(r.Files)))
		for _, e := range r.Errors {
			out = append(out, fmt.Sprintf("\terror %+v", e))
		}
		for _, f := range r.Findings {
			out = append(out, fmt.Sprintf("\t%+v", f))
		}
	}
	return out
}
