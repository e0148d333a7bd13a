package analyzer

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"
)

type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestPanicIsolated makes the engine panic on one function: the run ends
// with an error naming that function, and the other functions of the
// package are still analyzed and reported.
func TestPanicIsolated(t *testing.T) {
	t.Setenv("GOOS", "windows")
	c := &checker{beforeFunc: func(fn *ssa.Function) {
		if fn.Name() == "twice" {
			panic("injected")
		}
	}}
	var rec recorder
	results := analysistest.Run(&rec, filepath.Join("..", "testdata", "src"), c.analyzer(), "./double")
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "internal error analyzing handlecheck.test/double.twice: injected") {
		t.Fatalf("errors = %q, want one naming double.twice", rec.errs)
	}
	if len(results) != 1 {
		t.Fatalf("got %d results", len(results))
	}
	var msgs []string
	for _, d := range results[0].Action.Diagnostics {
		msgs = append(msgs, d.Message)
	}
	if len(msgs) < 5 || !strings.Contains(strings.Join(msgs, "\n"), "deferred windows.CloseHandle on line") {
		t.Errorf("the other functions were not reported; diagnostics: %q", msgs)
	}
}

// TestPassThroughAloneNotRelevant: a package whose only link to handles
// is a call of a function that passes its argument through (a fact that
// says "returns a0 as r0" and nothing else) is not analyzed: no function
// of it reaches the engine. Its dependency with the pass-through helper is,
// and so is a package that also acquires a handle (TestRecallPassThrough).
func TestPassThroughAloneNotRelevant(t *testing.T) {
	t.Setenv("GOOS", "windows")
	analyzed := make(map[string][]string)
	c := &checker{beforeFunc: func(fn *ssa.Function) {
		if fn.Pkg != nil {
			path := fn.Pkg.Pkg.Path()
			analyzed[path] = append(analyzed[path], fn.Name())
		}
	}}
	var rec recorder
	analysistest.Run(&rec, filepath.Join("..", "testdata", "src"), c.analyzer(), "./passonly")
	if len(rec.errs) != 0 {
		t.Fatalf("errors: %q", rec.errs)
	}
	if fns := analyzed["handlecheck.test/passonly"]; len(fns) != 0 {
		t.Errorf("passonly was analyzed (functions %v): a pass-through fact alone made it relevant", fns)
	}
	if len(analyzed["handlecheck.test/recall5pass/util"]) == 0 {
		t.Errorf("the helpers' package was not analyzed, so the test shows nothing: %v", analyzed)
	}
}
