package analyzer

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/rules"
)

// seedRecursive starts the fixed point over a recursive group of functions
// from above for their handle parameters: each is assumed to release them
// as the group's own first release does. A chain of releasing helpers that
// recurse (closeA calls closeB, which calls closeA or CloseHandle) is then
// found to release; from the pessimistic start, each call of the other
// would hand the handle on, and the group would never be found to release.
// The rounds that follow replace each assumption with what the function's
// body does given the others.
func seedRecursive(scc []*ssa.Function, o *effects.Oracle) {
	if len(scc) == 1 && !slices.Contains(callees(scc[0]), scc[0]) {
		return
	}
	var rel string
	var resources []string
	for _, fn := range scc {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok || rel != "" {
					continue
				}
				if rs := o.Effects(c.Common()).Releases; len(rs) > 0 {
					rel, resources = o.Releaser(rs[0].Rule).Func, rs[0].Resources
				}
			}
		}
	}
	if rel == "" {
		return
	}
	for _, fn := range scc {
		if _, known := o.Local(fn); known {
			continue
		}
		method := fn.Signature.Recv() != nil
		sum := new(effects.Summary)
		for i, p := range fn.Params {
			if b, ok := p.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsInteger != 0 { // a handle-like parameter, as effects.Summarize's
				idx := rules.ParamAt(i)
				if method {
					idx = rules.ParamAt(i - 1) // the receiver is rules.Receiver
				}
				sum.Params = append(sum.Params, effects.SummaryParam{Param: idx, Releases: resources, Releaser: rel})
			}
		}
		if len(sum.Params) > 0 {
			o.SetLocal(fn, sum)
		}
	}
}
