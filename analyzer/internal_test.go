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
