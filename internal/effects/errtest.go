package effects

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
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
// A return of another error test of the parameter (func
// SyscallIsNotSupported(err error) bool { return
// syscallIsNotSupported(err) }, errors.Is(err, A) || errors.Is(err, B))
// counts as such a test. An exported function's summary carries the
// answer to importing packages (Summary.NonNilIfTrue).
func (o *Oracle) nonNilIfTrueOf(fn *ssa.Function) []ownership.Operand {
	if obj, ok := fn.Object().(*types.Func); ok && errorTests[obj.FullName()] {
		return []ownership.Operand{ownership.Arg(0)}
	}
	if !errTestSig(fn.Signature) || len(fn.Blocks) == 0 {
		return nil
	}
	if ops, ok := o.errTests[fn]; ok {
		return ops // nil while fn is being decided: a recursive call is no test
	}
	o.errTests[fn] = nil
	var out []ownership.Operand
	for i, p := range fn.Params {
		if types.Identical(p.Type(), errorType) && o.trueOnlyIfNonNil(fn, p) {
			out = append(out, ownership.Arg(i))
		}
	}
	o.errTests[fn] = out
	return out
}

// ErrTest returns the summary of fn, an exported function of this
// package, as an error test (Summary.NonNilIfTrue) or as a wrapper that
// keeps a nil error nil (Summary.NilIfNil), or nil if it is neither. A
// package with no other handle code is analyzed for them when it exports
// a function that could be one (ExportsErrTest): its importers then
// understand its tests on each branch, and its wrappers of an error.
func (o *Oracle) ErrTest(fn *ssa.Function) *Summary {
	obj, ok := fn.Object().(*types.Func)
	if !ok || !obj.Exported() || obj.Pkg() != o.pass.Pkg {
		return nil
	}
	param := func(op ownership.Operand) rules.Param {
		i := int(op)
		if fn.Signature.Recv() != nil {
			i-- // the receiver is no error
		}
		return rules.ParamAt(i)
	}
	var sum Summary
	for _, op := range o.nonNilIfTrueOf(fn) {
		sum.NonNilIfTrue = append(sum.NonNilIfTrue, param(op))
	}
	for _, op := range o.nilIfNilOf(fn) {
		sum.NilIfNil = append(sum.NilIfNil, param(op))
	}
	if sum.Empty() {
		return nil
	}
	return &sum
}

// ExportsErrTest reports whether pkg exports a function or method that
// could be an error test (errTestSig) or a wrapper of an error
// (errWrapSig).
func ExportsErrTest(pkg *types.Package) bool {
	return exportsFunc(pkg, func(sig *types.Signature) bool { return errTestSig(sig) || errWrapSig(sig) })
}

// errTestSig reports whether a function of signature sig could be an
// error test: it returns one bool, and takes an error.
func errTestSig(sig *types.Signature) bool {
	res := sig.Results()
	if res.Len() != 1 || !types.Identical(res.At(0).Type().Underlying(), types.Typ[types.Bool]) {
		return false
	}
	return takesError(sig)
}

// errWrapSig reports whether a function of signature sig could wrap an
// error: it returns an error last, and takes an error.
func errWrapSig(sig *types.Signature) bool { return lastIsError(sig) && takesError(sig) }

func takesError(sig *types.Signature) bool {
	for i := range sig.Params().Len() {
		if types.Identical(sig.Params().At(i).Type(), errorType) {
			return true
		}
	}
	return false
}

// nilIfNilOf returns the error parameters of fn, a function of this
// package that returns an error last, whose being nil makes that error
// nil: a wrapper that keeps a nil error nil, as github.com/pkg/errors'
// are documented to ("If err is nil, WithStack returns nil"):
//
//	func WithStack(err error) error {
//		if err == nil {
//			return nil
//		}
//		return &withStack{err, callers()}
//	}
//
// Each return gives nil, the parameter itself or another such wrapper of
// it, or is reached only through a test that the parameter is not nil.
func (o *Oracle) nilIfNilOf(fn *ssa.Function) []ownership.Operand {
	if !errWrapSig(fn.Signature) || len(fn.Blocks) == 0 {
		return nil
	}
	if ops, ok := o.nilWraps[fn]; ok {
		return ops // nil while fn is being decided: a recursive call is no wrapper
	}
	o.nilWraps[fn] = nil
	var out []ownership.Operand
	for i, p := range fn.Params {
		if types.Identical(p.Type(), errorType) && o.nilOnlyIfNil(fn, p) {
			out = append(out, ownership.Arg(i))
		}
	}
	o.nilWraps[fn] = out
	return out
}

// nilOnlyIfNil reports whether every return of fn gives a nil error
// wherever p is nil (nilIfNilOf).
func (o *Oracle) nilOnlyIfNil(fn *ssa.Function, p *ssa.Parameter) bool {
	known, edge := o.nonNilOnEntry(fn, p)
	var ok func(v ssa.Value, b *ssa.BasicBlock, seen map[*ssa.Phi]bool) bool
	ok = func(v ssa.Value, b *ssa.BasicBlock, seen map[*ssa.Phi]bool) bool {
		if known[b] {
			return true
		}
		switch v := v.(type) {
		case *ssa.Const:
			return v.IsNil()
		case *ssa.Parameter:
			return v == p
		case *ssa.Call:
			return o.keepsNil(&v.Call, p)
		case *ssa.Phi:
			if v.Block() != b || seen[v] {
				return seen[v]
			}
			if seen == nil {
				seen = make(map[*ssa.Phi]bool)
			}
			seen[v] = true
			for i, x := range v.Edges {
				pred := b.Preds[i]
				if !edge(pred, b) && !ok(x, pred, seen) {
					return false
				}
			}
			return true
		}
		return false
	}
	n := fn.Signature.Results().Len()
	for _, b := range fn.Blocks {
		if ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return); isRet && !ok(ret.Results[n-1], b, nil) {
			return false
		}
	}
	return true
}

// keepsNil reports whether call c's error result is nil wherever p, one
// of its operands, is: c is a wrapper of p that keeps a nil error nil (an
// imported function's summary, or one of this package that nilIfNilOf
// finds).
func (o *Oracle) keepsNil(c *ssa.CallCommon, p ssa.Value) bool {
	var ops []ownership.Operand
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg == o.pass.Pkg {
		ops = o.nilIfNilOf(Declared(fn))
	} else if callee(c) != nil {
		ops = o.Effects(c).NilIfNil
	}
	for _, op := range ops {
		if ownership.OperandValue(c, op) == p {
			return true
		}
	}
	return false
}

// trueOnlyIfNonNil reports whether every return of fn that may give true
// is reached only with p known to be non-nil, or gives p != nil itself,
// or another error test of p.
func (o *Oracle) trueOnlyIfNonNil(fn *ssa.Function, p *ssa.Parameter) bool {
	known, edge := o.nonNilOnEntry(fn, p)
	// ok reports whether v, returned or reaching a returned phi in block
	// b, is false wherever p is nil.
	var ok func(v ssa.Value, b *ssa.BasicBlock, seen map[*ssa.Phi]bool) bool
	ok = func(v ssa.Value, b *ssa.BasicBlock, seen map[*ssa.Phi]bool) bool {
		if known[b] {
			return true
		}
		switch v := v.(type) {
		case *ssa.Const:
			return v.Value != nil && v.Value.String() == "false"
		case *ssa.BinOp:
			return ownership.NonNilBranch(v, p) == 0 // return err != nil
		case *ssa.Call:
			return o.testsNonNil(&v.Call, p)
		case *ssa.Phi:
			// return a || b: each edge's value, or the edge itself,
			// says p is not nil.
			if v.Block() != b || seen[v] {
				return seen[v]
			}
			if seen == nil {
				seen = make(map[*ssa.Phi]bool)
			}
			seen[v] = true
			for i, x := range v.Edges {
				pred := b.Preds[i]
				if !edge(pred, b) && !ok(x, pred, seen) {
					return false
				}
			}
			return true
		}
		return false
	}
	for _, b := range fn.Blocks {
		if ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return); isRet && !ok(ret.Results[0], b, nil) {
			return false
		}
	}
	return true
}

// testsNonNil reports whether call c is an error test of p: true only if
// p is not nil (errorTests, an imported function's summary, a function of
// this package that nonNilIfTrueOf finds one).
func (o *Oracle) testsNonNil(c *ssa.CallCommon, p *ssa.Parameter) bool {
	var ops []ownership.Operand
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg == o.pass.Pkg {
		ops = o.nonNilIfTrueOf(Declared(fn))
	} else if obj := callee(c); obj != nil {
		if errorTests[obj.FullName()] {
			ops = []ownership.Operand{ownership.Arg(0)}
		} else {
			ops = o.Effects(c).NonNilIfTrue
		}
	}
	for _, op := range ops {
		if ownership.OperandValue(c, op) == p {
			return true
		}
	}
	return false
}

// nonNilOnEntry computes, for each block of fn, whether every path from
// the entry that reaches it and does not end in a call that never
// returns has taken a branch on which p is not nil.
// It also returns out, which reports whether p is known non-nil on the
// edge from pred to b.
func (o *Oracle) nonNilOnEntry(fn *ssa.Function, p *ssa.Parameter) (map[*ssa.BasicBlock]bool, func(pred, b *ssa.BasicBlock) bool) {
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
			if o.testsNonNil(&c.Call, p) {
				br = 0 // errors.Is(err, target): true only for a non-nil err
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
	return known, out
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
