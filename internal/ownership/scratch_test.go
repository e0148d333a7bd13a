package ownership_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// TestScratchReuse checks that what Analyze finds does not depend on the
// calls before it, which leave their emptied scratch for the next
// (scratch.go): each function, leaky or not, small or large, analyzed
// after the others, in turn and at once, gives the findings of its first
// analysis.
func TestScratchReuse(t *testing.T) {
	srcs := []string{
		strings.Replace(chain(50), "\t} else {\n\t\tclose(h7)\n", "\t} else {\n", 1),
		strings.ReplaceAll(switchLoop(300), "\t\t\tif h != 0 {\n\t\t\t\tclose(h)\n\t\t\t}\n", ""),
		nest(50), shared(20), loops(20), tokReuse(1000), chain(3),
	}
	i := nthIndex(srcs[3], "\t\t\t\t\tclose(last)\n", 9)
	srcs[3] = srcs[3][:i] + srcs[3][i+len("\t\t\t\t\tclose(last)\n"):]
	fns := make([]*ssa.Function, len(srcs))
	want := make([]string, len(srcs))
	for i, src := range srcs {
		fns[i] = build(t, src)
		want[i] = findings(ownership.Analyze(fns[i], fakeOracle{}))
	}
	if want[0] == "" || want[1] == "" || want[3] == "" {
		t.Fatal("the leaky functions have no findings")
	}
	for range 2 {
		for i := len(fns) - 1; i >= 0; i-- {
			for range 2 { // after another function, then after itself
				if got := findings(ownership.Analyze(fns[i], fakeOracle{})); got != want[i] {
					t.Errorf("function %d analyzed again: got\n%s\nwant\n%s", i, got, want[i])
				}
			}
		}
	}
	var wg sync.WaitGroup
	for k := range 4 * len(fns) {
		wg.Go(func() {
			i := k % len(fns)
			if got := findings(ownership.Analyze(fns[i], fakeOracle{})); got != want[i] {
				t.Errorf("function %d analyzed at once with others: got\n%s\nwant\n%s", i, got, want[i])
			}
		})
	}
	wg.Wait()
}

// findings prints what res found, in order.
func findings(res ownership.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "%v %d %d %v\n", f.Kind, f.Pos, f.Other, f.Lost)
	}
	fmt.Fprintf(&b, "%d given up, %d exports\n", len(res.GivenUp), len(res.Exports))
	return b.String()
}
