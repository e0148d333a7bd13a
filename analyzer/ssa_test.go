package analyzer

import (
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// TestBuildSSAImports checks that buildSSA creates, of the packages that
// app imports, only the members that app refers to, and that the findings
// that depend on lib's facts (functions, methods, method values and
// expressions, a generic function) are those they were with every member
// created: ssaimports/app's wants.
func TestBuildSSAImports(t *testing.T) {
	testenv.RunAnalyzer(t, "windows", Analyzer, "./ssaimports/lib", "./ssaimports/app")

	members := make(map[string][]string) // by import path, sorted
	var methods map[string]bool          // lib.H's method: created?
	probe := &analysis.Analyzer{
		Name:     "ssaimports",
		Doc:      "records the members of the SSA packages of app's imports",
		Requires: []*analysis.Analyzer{ctrlflow.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Path() != "handlecheck.test/ssaimports/app" {
				return nil, nil
			}
			funcs := buildSSA(pass)
			if len(funcs) == 0 {
				t.Error("no functions built")
				return nil, nil
			}
			prog := funcs[0].Prog
			for _, imp := range pass.Pkg.Imports() {
				p := prog.ImportedPackage(imp.Path())
				if p == nil {
					t.Errorf("no SSA package for import %s", imp.Path())
					continue
				}
				for name, m := range p.Members {
					if _, ok := m.(*ssa.NamedConst); ok {
						t.Errorf("%s: constant %s created", imp.Path(), name)
					}
					members[imp.Path()] = append(members[imp.Path()], name)
				}
				slices.Sort(members[imp.Path()])
				if imp.Name() == "lib" {
					h := imp.Scope().Lookup("H").(*types.TypeName).Type().(*types.Named)
					methods = make(map[string]bool)
					for i := range h.NumMethods() {
						methods[h.Method(i).Name()] = prog.FuncValue(h.Method(i)) != nil
					}
				}
			}
			return nil, nil
		},
	}
	t.Setenv("GOOS", "windows")
	// The probe reports nothing: app's wants fail, as they should.
	analysistest.Run(new(recorder), testenv.Testdata(), probe, "./ssaimports/app")

	want := map[string][]string{
		// init, init$guard: every package has them.
		"handlecheck.test/ssaimports/lib": {"Close", "CloseAll", "Open", "OpenH", "Timeout", "init", "init$guard"},
		"golang.org/x/sys/windows":        {"CloseHandle", "WaitForSingleObject", "init", "init$guard"},
	}
	for path, names := range want {
		if !slices.Equal(members[path], names) {
			t.Errorf("members of %s = %q, want %q", path, members[path], names)
		}
	}
	if !methods["Close"] || !methods["Wait"] || methods["Unused"] {
		t.Errorf("methods of lib.H created: %v, want Close and Wait, not Unused", methods)
	}
}
