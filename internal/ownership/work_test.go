//go:build handlecheck_work

package ownership_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// TestWork prints the engine's work per block for each benchmark shape
// (go test -tags handlecheck_work -run TestWork -v): every kind must be
// about constant per block as the shapes grow.
func TestWork(t *testing.T) {
	for _, c := range benchShapes {
		if testing.Short() && strings.Contains(c.name, "loops/depth=1250") {
			continue
		}
		fn := build(t, c.src())
		ownership.Work = [len(ownership.Work)]int64{}
		ownership.Analyze(fn, fakeOracle{})
		var b strings.Builder
		n := len(fn.Blocks)
		// The input's locality: on how many 4 KiB pages go/ssa left the
		// instructions (the rest of each page is its build's garbage).
		instrs := 0
		pages := map[uintptr]bool{}
		for _, blk := range fn.Blocks {
			instrs += len(blk.Instrs)
			for _, in := range blk.Instrs {
				pages[reflect.ValueOf(in).Pointer()>>12] = true
			}
		}
		fmt.Fprintf(&b, "%-24s %6d blocks %6.2f instrs/block %5d pages %5.2f instrs/page", c.name, n, float64(instrs)/float64(n), len(pages), float64(instrs)/float64(len(pages)))
		for k, w := range ownership.Work {
			fmt.Fprintf(&b, " %s %.2f", ownership.WorkNames[k], float64(w)/float64(n))
		}
		t.Log(b.String())
	}
}
