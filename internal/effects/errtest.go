package effects

import (
	"go/token"
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
//
// A phi is nil wherever p is when each of its edges gives such a value,
// is taken only where p is not nil, or is taken only where the phi's own
// value was found not nil in the same iteration (phiNonNilOn): restic's
// Cause, which unwraps in a loop,
//
//	for {
//		if urlErr, ok := err.(*url.Error); ok {
//			err = urlErr.Err
//			continue
//		}
//		if c, ok := err.(Causer); ok {
//			err = c.Cause()
//			continue
//		}
//		break
//	}
//	return err
//
// or github.com/pkg/errors' (for err != nil { ... }): for a nil p the
// loop's back edges are never taken, so the phi stays p.
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
			return o.keepsNil(&v.Call, p, 0)
		case *ssa.Phi:
			// The phi's value is the same wherever it is used: judge it
			// in its own block (a loop's header, for a return after
			// the loop).
			if seen[v] {
				return true // a cycle of phis adds no other value
			}
			if seen == nil {
				seen = make(map[*ssa.Phi]bool)
			}
			seen[v] = true
			h := v.Block()
			if known[h] {
				return true
			}
			for i, x := range v.Edges {
				pred := h.Preds[i]
				if !edge(pred, h) && !o.phiNonNilOn(v, pred) && !ok(x, pred, seen) {
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

// phiNonNilOn reports whether the edge from pred into the block of phi
// is taken only where the phi's own value was found not nil since the
// block last ran: pred, or a block that dominates it and is entered from
// its one predecessor alone, is reached by the non-nil branch of an If
// that tests the phi (nonNilBranchOf: a comma-ok type assertion of it
// that succeeded, or phi != nil). Such a test uses the phi, so its block
// is dominated by the phi's, and every path from the phi's block to pred
// passes it: by induction, a phi that came in nil never takes the edge.
func (o *Oracle) phiNonNilOn(phi *ssa.Phi, pred *ssa.BasicBlock) bool {
	h := phi.Block()
	if o.nonNilEdge(phi, pred, h) {
		return true
	}
	for blk := pred; blk != nil && blk != h; blk = blk.Idom() {
		if len(blk.Preds) == 1 && o.nonNilEdge(phi, blk.Preds[0], blk) {
			return true
		}
	}
	return false
}

// nonNilEdge reports whether the edge from pred to b is the branch of an
// If on which v is not nil.
func (o *Oracle) nonNilEdge(v ssa.Value, pred, b *ssa.BasicBlock) bool {
	ifInstr, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
	if !ok || pred.Succs[0] == pred.Succs[1] {
		return false
	}
	br := o.nonNilBranchOf(ifInstr.Cond, v)
	return br >= 0 && pred.Succs[br] == b
}

// nonNilBranchOf returns the branch of an If on cond (0 true, 1 false) on
// which error v is known not to be nil, or -1: a test against nil of v or
// of a wrapper of it that keeps a nil error nil (errors.Cause(err) !=
// nil), a comma-ok type assertion of one (a nil interface asserts to no
// type: _, ok := err.(*url.Error)), an error test of v (testsNonNil), or
// the negation of one of these.
func (o *Oracle) nonNilBranchOf(cond, v ssa.Value) int {
	switch c := cond.(type) {
	case *ssa.BinOp:
		for _, x := range []ssa.Value{c.X, c.Y} {
			if o.nilWith(x, v, 0) {
				if br := ownership.NonNilBranch(c, x); br >= 0 {
					return br
				}
			}
		}
	case *ssa.Extract:
		if ta, ok := c.Tuple.(*ssa.TypeAssert); ok && ta.CommaOk && c.Index == 1 && o.nilWith(ta.X, v, 0) {
			return 0
		}
	case *ssa.Call:
		if o.testsNonNil(&c.Call, v) {
			return 0 // errors.Is(err, target): true only for a non-nil err
		}
	case *ssa.UnOp:
		if br := o.nonNilBranchOf(c.X, v); c.Op == token.NOT && br >= 0 {
			return 1 - br
		}
	}
	return -1
}

// maxWrapDepth bounds how many wrappers nilWith looks through
// (errors.WithStack(errors.Cause(err)) is two).
const maxWrapDepth = 4

// nilWith reports whether error v is nil wherever p is: p itself, or the
// result of a wrapper of such a value that keeps a nil error nil
// (keepsNil).
func (o *Oracle) nilWith(v, p ssa.Value, depth int) bool {
	if v == p {
		return true
	}
	c, ok := v.(*ssa.Call)
	return ok && depth < maxWrapDepth && o.keepsNil(&c.Call, p, depth+1)
}

// keepsNil reports whether call c's error result is nil wherever p is: c
// is a wrapper that keeps a nil error nil (an imported function's
// summary, or one of this package that nilIfNilOf finds) of p, or of
// another such wrapper of p (nilWith, depth wrappers deep already).
func (o *Oracle) keepsNil(c *ssa.CallCommon, p ssa.Value, depth int) bool {
	var ops []ownership.Operand
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg == o.pass.Pkg {
		ops = o.nilIfNilOf(Declared(fn))
	} else if callee(c) != nil {
		ops = o.Effects(c).NilIfNil
	}
	for _, op := range ops {
		if v := ownership.OperandValue(c, op); v != nil && o.nilWith(v, p, depth) {
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
		case *ssa.BinOp, *ssa.Call, *ssa.Extract, *ssa.UnOp:
			// return err != nil, return errors.Is(err, target), return
			// os.IsNotExist(errors.Cause(err))
			return o.nonNilBranchOf(v, p) == 0
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
// this package that nonNilIfTrueOf finds one), or an error test of a
// wrapper of p that keeps a nil error nil (os.IsNotExist(errors.Cause(err)),
// nilWith): where p is nil the wrapper gives nil, and the test is false.
func (o *Oracle) testsNonNil(c *ssa.CallCommon, p ssa.Value) bool {
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
		if v := ownership.OperandValue(c, op); v != nil && o.nilWith(v, p, 0) {
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
		return o.nonNilEdge(p, pred, b)
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
