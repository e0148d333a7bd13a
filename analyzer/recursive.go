package analyzer

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// seedRecursive starts the fixed point over a recursive group of functions
// from above for their handle parameters: each is assumed to release them
// as the group's own first release does. A chain of releasing helpers that
// recurse (closeA calls closeB, which calls closeA or CloseHandle) is then
// found to release; from the pessimistic start, each call of the other
// would hand the handle on, and the group would never be found to release.
// The rounds that follow replace each assumption with what the function's
// body does given the others.
func seedRecursive(scc []*ssa.Function, o *oracle) {
	if len(scc) == 1 && !slices.Contains(callees(scc[0]), scc[0]) {
		return
	}
	var rel *releaserInfo
	var resources []string
	for _, fn := range scc {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok || rel != nil {
					continue
				}
				if rs := o.Effects(c.Common()).Releases; len(rs) > 0 {
					rel, resources = rs[0].Rule.(*releaserInfo), rs[0].Resources
				}
			}
		}
	}
	if rel == nil {
		return
	}
	for _, fn := range scc {
		if _, known := o.local[fn]; known {
			continue
		}
		method := fn.Signature.Recv() != nil
		sum := new(Summary)
		for i, p := range fn.Params {
			if handleLike(p.Type()) {
				idx := i
				if method {
					idx-- // the receiver is -1
				}
				sum.Params = append(sum.Params, SummaryParam{Param: idx, Releases: resources, Releaser: rel.name})
			}
		}
		if len(sum.Params) > 0 {
			o.setLocal(fn, sum)
		}
	}
}
