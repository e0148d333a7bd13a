package effects

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// nonNilIfTrueOf returns the error parameters of fn, a function of this
// package, that are non-nil whenever fn returns true: a known error test
// of errorTests called from its own package (os.IsNotExist inside os), or
// a local helper whose every return of a value that may be true is
// reached only through a test that the parameter is not nil, paths that
// end in a call that never returns (t.Fatalf) aside:
//
//	func errEndsTest(t *testing.T, err error, wantError bool) bool {
//		if wantError {
//			if err == nil {
//				t.Fatalf("want error")
//			}
//			return true
//		}
//		if err != nil {
//			t.Fatalf("want success")
//		}
//		return false
//	}
//
// Only this package's functions have it: facts do not carry it.
func (o *Oracle) nonNilIfTrueOf(fn *ssa.Function) []ownership.Operand {
	if obj, ok := fn.Object().(*types.Func); ok && errorTests[obj.FullName()] {
		return []ownership.Operand{ownership.Arg(0)}
	}
	res := fn.Signature.Results()
	if res.Len() != 1 || !types.Identical(res.At(0).Type().Underlying(), types.Typ[types.Bool]) || len(fn.Blocks) == 0 {
		return nil
	}
	var out []ownership.Operand
	for i, p := range fn.Params {
		if types.Identical(p.Type(), errorType) && o.trueOnlyIfNonNil(fn, p) {
			out = append(out, ownership.Arg(i))
		}
	}
	return out
}

// trueOnlyIfNonNil reports whether every return of fn that may give true
// is reached only with p known to be non-nil, or gives p != nil itself.
func (o *Oracle) trueOnlyIfNonNil(fn *ssa.Function, p *ssa.Parameter) bool {
	known := o.nonNilOnEntry(fn, p)
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || known[b] {
			continue
		}
		switch v := ret.Results[0].(type) {
		case *ssa.Const:
			if v.Value != nil && v.Value.String() == "false" {
				continue
			}
		case *ssa.BinOp:
			if ownership.NonNilBranch(v, p) == 0 {
				continue // return err != nil
			}
		}
		return false
	}
	return true
}

// nonNilOnEntry computes, for each block of fn, whether every path from
// the entry that reaches it and does not end in a call that never
// returns has taken a branch on which p is not nil.
func (o *Oracle) nonNilOnEntry(fn *ssa.Function, p *ssa.Parameter) map[*ssa.BasicBlock]bool {
	known := make(map[*ssa.BasicBlock]bool, len(fn.Blocks))
	for _, b := range fn.Blocks[1:] {
		known[b] = true // a must-analysis: start from the top
	}
	dead := make(map[*ssa.BasicBlock]bool)
	for _, b := range fn.Blocks {
		dead[b] = o.endsNoReturn(b)
	}
	// out reports whether p is known non-nil on the edge from pred to b.
	out := func(pred, b *ssa.BasicBlock) bool {
		if known[pred] {
			return true
		}
		ifInstr, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
		if !ok || pred.Succs[0] == pred.Succs[1] {
			return false
		}
		br := -1
		switch c := ifInstr.Cond.(type) {
		case *ssa.BinOp:
			br = ownership.NonNilBranch(c, p)
		case *ssa.Call:
			if callee := c.Call.StaticCallee(); callee != nil && len(c.Call.Args) > 0 && c.Call.Args[0] == p {
				if obj, ok := callee.Object().(*types.Func); ok && errorTests[obj.Origin().FullName()] {
					br = 0 // errors.Is(err, target): true only for a non-nil err
				}
			}
		}
		return br >= 0 && pred.Succs[br] == b
	}
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks[1:] {
			v := true
			for _, pred := range b.Preds {
				if !dead[pred] && !out(pred, b) {
					v = false
					break
				}
			}
			if v != known[b] {
				known[b], changed = v, true
			}
		}
	}
	return known
}

// endsNoReturn reports whether block b calls a function of another
// package that never returns (t.Fatalf, os.Exit): the paths through b end
// there. (A function of this package is not asked, so that inferring one
// helper never needs another's effects.)
func (o *Oracle) endsNoReturn(b *ssa.BasicBlock) bool {
	for _, instr := range b.Instrs {
		c, ok := instr.(*ssa.Call)
		if !ok {
			continue
		}
		obj := callee(c.Common())
		if obj != nil && obj.Pkg() != o.pass.Pkg && o.Effects(c.Common()).NoReturn {
			return true
		}
	}
	return false
}
