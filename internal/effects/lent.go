package effects

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// FindLent finds the functions among funcs that are passed as the
// callback of a function a callback rule names ((syscall.RawConn).Control),
// and records which of their parameters hold the handle lent to them
// (Lent). A callback is found as a function literal, a function or a
// method value passed as the argument itself.
func (o *Oracle) FindLent(funcs []*ssa.Function) {
	if len(o.rules.Callbacks) == 0 {
		return
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					o.lendAt(call.Common())
				}
			}
		}
	}
}

// lendAt records the callbacks that call c passes to a function a
// callback rule names.
func (o *Oracle) lendAt(c *ssa.CallCommon) {
	fn := callee(c)
	if fn == nil {
		return
	}
	name := fn.FullName()
	sig := fn.Type().(*types.Signature)
	for _, cb := range o.rules.Callbacks[name] {
		if cb.Check(sig) != nil || cb.GOOS != "" && cb.GOOS != o.goos() {
			continue
		}
		target, param := callbackTarget(ownership.OperandValue(c, operandOf(sig, c.IsInvoke(), cb.Arg)))
		if target == nil {
			continue
		}
		param += ownership.Param(cb.Param)
		if int(param) >= len(target.Params) {
			continue
		}
		if slices.ContainsFunc(o.lent[target], func(l ownership.Lent) bool { return l.Param == param }) {
			continue // passed twice: once is enough
		}
		info := &Source{Func: name, Origin: name, Resource: cb.Resource, Note: cb.Note, Out: rules.NoParam,
			Part: "the " + target.Params[param].Name() + " parameter of its callback"}
		acq := ownership.Acquire{Result: ownership.NoResult, Out: ownership.NoOperand, Borrowed: true,
			Resource: cb.Resource.Name, NoLeak: cb.Resource.NoLeak, ReleaseAgainOK: cb.Resource.ReleaseAgainOK,
			Rule: o.sourceRef(info)}
		if o.lent == nil {
			o.lent = make(map[*ssa.Function][]ownership.Lent)
		}
		o.lent[target] = append(o.lent[target], ownership.Lent{Param: param, Acquire: acq})
	}
}

// callbackTarget returns the function that v, a function value passed as
// a callback, runs, and the index in its Params of the callback's first
// parameter: a function or literal (0), a literal's closure (0), or a
// method value, whose bound method has its receiver first (1).
func callbackTarget(v ssa.Value) (*ssa.Function, ownership.Param) {
	switch v := v.(type) {
	case *ssa.Function:
		return v, 0
	case *ssa.MakeClosure:
		fn, ok := v.Fn.(*ssa.Function)
		if !ok {
			return nil, 0
		}
		if wrapper(fn) {
			if m := Declared(fn); m != fn && m.Signature.Recv() != nil {
				return m, 1
			}
			return nil, 0
		}
		return fn, 0
	}
	return nil, 0
}

// Lent returns the parameters of fn that hold a handle lent to it
// (FindLent). It makes the Oracle an ownership.LendOracle.
func (o *Oracle) Lent(fn *ssa.Function) []ownership.Lent { return o.lent[fn] }
