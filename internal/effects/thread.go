package effects

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// ThreadCall is what the thread rules say one call does to the calling OS
// thread.
type ThreadCall struct {
	Ops  []rules.ThreadOp // in the order they apply (one, for a rule)
	Func string           // the function or native procedure called, full name
	// Native: the call is a native procedure's, whose return value (result
	// 0 of the call, a BOOL) says it succeeded.
	Native bool
	// SuccessZero, for a native procedure: its return value is 0 on
	// success (an RPC_STATUS, an HRESULT), not a BOOL.
	SuccessZero bool
	// ErrGate: the function's last result is an error, nil on success.
	ErrGate bool
}

// ThreadOps returns what the rules say call c does to the calling
// thread: nothing (no Ops) if no thread rule whose conditions hold names
// the function or native procedure called.
func (o *Oracle) ThreadOps(c *ssa.CallCommon) ThreadCall {
	if direct := boundCall(c); direct != nil {
		c = direct
	}
	obj := callee(c)
	if obj == nil {
		return ThreadCall{}
	}
	name := obj.FullName()
	if how, ok := procCalls[name]; ok && len(c.Args) > 0 {
		p := c.Args[0]
		if how.trap {
			if p = addrOf(p); p == nil {
				return ThreadCall{}
			}
		}
		proc, ok := o.procName(p)
		if !ok {
			return ThreadCall{}
		}
		args := nativeArgs(c, how)
		at := condArgs{arg: func(i rules.Param) ssa.Value {
			if i.IsParam() && int(i) < len(args) {
				return args[i]
			}
			return nil
		}}
		tc := ThreadCall{Func: proc, Native: true}
		for _, r := range o.rules.Thread[proc] {
			if o.eval(r.Cond, at) == holds {
				tc.Ops = append(tc.Ops, r.Op)
				tc.SuccessZero = tc.SuccessZero || r.Success == rules.SuccessZero
			}
		}
		return tc
	}
	if len(o.rules.Thread[name]) == 0 {
		return ThreadCall{}
	}
	sig := obj.Type().(*types.Signature)
	at := condArgs{pkg: obj.Pkg(), arg: func(i rules.Param) ssa.Value {
		if !i.IsParam() || int(i) >= sig.Params().Len() {
			return nil
		}
		return ownership.OperandValue(c, operandOf(sig, c.IsInvoke(), i))
	}}
	var ops []rules.ThreadOp
	for _, r := range o.rules.Thread[name] {
		if r.Check(sig) == nil && o.eval(r.Cond, at) == holds {
			ops = append(ops, r.Op)
		}
	}
	return ThreadCall{Ops: ops, Func: name, ErrGate: lastIsError(sig)}
}

// ThreadRelevant reports whether the package's code refers to a function
// that a thread rule names, to a native procedure's call (which may be
// one), or to an imported function for which summarized says it has a
// thread summary: only then is it worth analyzing its functions for
// impersonation.
func ThreadRelevant(pass *analysis.Pass, rs *rules.Set, summarized func(*types.Func) bool) bool {
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		fn = fn.Origin()
		name := fn.FullName()
		if _, native := procCalls[name]; native || rs.Knows(name)&rules.KnownThread != 0 {
			return true
		}
		if fn.Pkg() != nil && fn.Pkg() != pass.Pkg && summarized(fn) {
			return true
		}
	}
	return false
}

// CallName names the function a call calls, for messages: the native
// procedure of a procedure call ("advapi32.dll!RevertToSelf"), else the
// function's or method's full name, or "" for a function value.
func (o *Oracle) CallName(c *ssa.CallCommon) string {
	if direct := boundCall(c); direct != nil {
		c = direct
	}
	obj := callee(c)
	if obj == nil {
		if fn := c.StaticCallee(); fn != nil {
			return fn.String()
		}
		return ""
	}
	name := obj.FullName()
	if how, ok := procCalls[name]; ok && len(c.Args) > 0 {
		p := c.Args[0]
		if how.trap {
			p = addrOf(p)
		}
		if p != nil {
			if proc, ok := o.procName(p); ok {
				return proc
			}
		}
	}
	return name
}
