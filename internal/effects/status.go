package effects

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// Status results: a rule's success test on a call's integer result 0
// (ownership.Acquire.Success), and the helpers that test such a status
// (FAILED, SUCCEEDED).

// successOf returns the engine's success test for a rule's success.
func successOf(s string) ownership.Success {
	switch s {
	case rules.SuccessZero:
		return ownership.SuccessZero
	case rules.SuccessNonNegative:
		return ownership.SuccessNonNegative
	case rules.SuccessNonzero:
		return ownership.SuccessNonzero
	}
	return ownership.NoSuccessGate
}

// comparesOf returns the comparison that fn's bool result is, when fn
// is one block that returns a comparison of a parameter (converted) with
// an integer constant, or its negation:
//
//	func FAILED(hr HRESULT) bool    { return hr < 0 }
//	func SUCCEEDED(hr HRESULT) bool { return !(hr < 0) }
//
// Only this package's functions have one: facts do not carry it.
func comparesOf(fn *ssa.Function) *ownership.Comparison {
	res := fn.Signature.Results()
	if len(fn.Blocks) != 1 || res.Len() != 1 || !types.Identical(res.At(0).Type().Underlying(), types.Typ[types.Bool]) {
		return nil
	}
	ret, ok := fn.Blocks[0].Instrs[len(fn.Blocks[0].Instrs)-1].(*ssa.Return)
	if !ok {
		return nil
	}
	v, not := ret.Results[0], false
	for {
		u, ok := v.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		v, not = u.X, !not
	}
	bin, ok := v.(*ssa.BinOp)
	if !ok || ownership.Negate(bin.Op) == token.ILLEGAL {
		return nil
	}
	x, y, op := bin.X, bin.Y, bin.Op
	if _, isConst := x.(*ssa.Const); isConst {
		x, y, op = y, x, ownership.Mirror(op) // 0 > hr
	}
	k, ok := y.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil
	}
	p, ok := ownership.Unconvert(x).(*ssa.Parameter)
	if !ok {
		return nil
	}
	if not {
		op = ownership.Negate(op)
	}
	return &ownership.Comparison{Operand: ownership.Arg(slices.Index(fn.Params, p)), Op: op, Value: k.Value, Type: x.Type()}
}

// errIfOf returns, for a function of this package whose only result is an
// error and whose entry tests an integer parameter against a constant and
// returns nil at once on one branch, the comparison under which its error
// may be non-nil: go-winio's
//
//	func (status ntStatus) Err() error {
//		if status >= 0 {
//			return nil
//		}
//		return rtlNtStatusToDosError(status)
//	}
//
// is non-nil only where status < 0. Only this package's functions have
// one: facts do not carry it.
func errIfOf(fn *ssa.Function) *ownership.Comparison {
	res := fn.Signature.Results()
	if res.Len() != 1 || !types.Identical(res.At(0).Type(), errorType) || len(fn.Blocks) == 0 {
		return nil
	}
	entry := fn.Blocks[0]
	ifInstr, ok := entry.Instrs[len(entry.Instrs)-1].(*ssa.If)
	if !ok {
		return nil
	}
	bin, ok := ifInstr.Cond.(*ssa.BinOp)
	if !ok || ownership.Negate(bin.Op) == token.ILLEGAL {
		return nil
	}
	x, y, op := bin.X, bin.Y, bin.Op
	if _, isConst := x.(*ssa.Const); isConst {
		x, y, op = y, x, ownership.Mirror(op) // 0 <= status
	}
	k, ok := y.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil
	}
	p, ok := ownership.Unconvert(x).(*ssa.Parameter)
	if !ok || !handleLike(p.Type()) {
		return nil
	}
	// returnsNil reports whether block b does nothing but return nil.
	returnsNil := func(b *ssa.BasicBlock) bool {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(b.Instrs) != 1 {
			return false
		}
		c, ok := ret.Results[0].(*ssa.Const)
		return ok && c.IsNil()
	}
	switch {
	case entry.Succs[0] == entry.Succs[1]:
		return nil
	case returnsNil(entry.Succs[0]): // nil where the comparison holds
		op = ownership.Negate(op)
	case returnsNil(entry.Succs[1]):
	default:
		return nil
	}
	return &ownership.Comparison{Operand: ownership.Arg(slices.Index(fn.Params, p)), Op: op, Value: k.Value, Type: x.Type()}
}
