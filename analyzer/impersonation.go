package analyzer

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/internal/thread"
	"github.com/handlecheck/handlecheck/rules"
)

// impersonationCategory is the category of the thread findings of
// package thread: impersonating on a goroutine.
const impersonationCategory = "impersonation"

// threadOracle says what calls do to the calling thread: the thread rules
// first (through the effects Oracle, which knows native procedures), then
// the summaries of this package's functions and the facts of imported
// ones.
type threadOracle struct {
	pass  *analysis.Pass
	eff   *effects.Oracle
	local map[*ssa.Function]*thread.Summary
}

func (t *threadOracle) Thread(c *ssa.CallCommon) thread.Call {
	if tc := t.eff.ThreadOps(c); len(tc.Ops) > 0 {
		call := thread.Call{Name: tc.Func, Origin: tc.Func, ErrGate: tc.ErrGate, Native: tc.Native, SuccessZero: tc.SuccessZero}
		for _, op := range tc.Ops {
			call.Ops = append(call.Ops, threadOp(op))
		}
		return call
	}
	if c.IsInvoke() {
		return thread.Call{}
	}
	fn := c.StaticCallee()
	if fn == nil {
		return thread.Call{}
	}
	fn = effects.Declared(fn)
	if sum, ok := t.local[fn]; ok {
		return sum.Call(funcName(fn))
	}
	if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg() != t.pass.Pkg {
		var sum thread.Summary
		if t.pass.ImportObjectFact(obj.Origin(), &sum) {
			return sum.Call(obj.Origin().FullName())
		}
	}
	return thread.Call{}
}

func threadOp(op rules.ThreadOp) thread.Op {
	switch op {
	case rules.LocksThread:
		return thread.Lock
	case rules.UnlocksThread:
		return thread.Unlock
	case rules.Impersonates:
		return thread.Impersonate
	case rules.Reverts:
		return thread.Revert
	}
	panic("unknown thread op")
}

// funcName is fn's full name: that of its object, or for a function
// literal its SSA name (pkg.f$1).
func funcName(fn *ssa.Function) string {
	if obj, ok := fn.Object().(*types.Func); ok {
		return obj.FullName()
	}
	return fn.String()
}

// runThread analyzes funcs, callees first, for impersonation mistakes,
// exports their thread summaries and hands the findings to rep. It
// returns the internal errors of the functions whose analysis panicked.
func runThread(pass *analysis.Pass, eff *effects.Oracle, funcs []*ssa.Function, rep *reporter) (panics []string) {
	t := &threadOracle{pass: pass, eff: eff, local: make(map[*ssa.Function]*thread.Summary)}
	opts := threadRoles(funcs)
	for _, scc := range sccs(funcs) {
		for _, fn := range scc {
			res, err := analyzeThread(fn, t, opts[fn])
			if err != nil {
				panics = append(panics, err.Error())
				continue
			}
			for _, f := range res.Findings {
				rep.thread(f)
			}
			if res.Summary.Empty() {
				continue
			}
			sum := res.Summary
			t.local[fn] = &sum
			if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() == pass.Pkg {
				pass.ExportObjectFact(obj, &sum)
			}
		}
	}
	return panics
}

// analyzeThread runs package thread on one function. A panic becomes an
// error that names the function.
func analyzeThread(fn *ssa.Function, o thread.Oracle, opts thread.Options) (res thread.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error analyzing %s for impersonation: %v", fn, r)
		}
	}()
	return thread.Analyze(fn, o, opts), nil
}

// threadRoles says how each of funcs may be called: by callers that can
// lock the thread for it (Internal: not exported, and not the start of a
// goroutine), or as the start of a goroutine or of the program (Root). A
// function passed as a value (a callback) counts as Internal: its caller
// may well lock for it, as wireguard's elevate.DoAsSystem(f) calls f with
// the thread locked.
func threadRoles(funcs []*ssa.Function) map[*ssa.Function]thread.Options {
	taken := make(map[*ssa.Function]bool) // used as a value, or started by go
	started := make(map[*ssa.Function]bool)
	seen := make(map[*ssa.Function]bool)
	var scan func(fn *ssa.Function)
	scan = func(fn *ssa.Function) {
		if fn == nil || seen[fn] {
			return
		}
		seen[fn] = true
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					if f, ok := mc.Fn.(*ssa.Function); ok {
						use(mc, f, taken, started)
					}
					continue
				}
				var ops []*ssa.Value
				for _, op := range instr.Operands(ops) {
					f, ok := (*op).(*ssa.Function)
					if !ok {
						continue
					}
					if c, ok := instr.(ssa.CallInstruction); ok && startsGoroutine(c.Common(), f) {
						started[f] = true
						continue
					}
					if c, ok := instr.(ssa.CallInstruction); ok && c.Common().Value == f && !isArg(c.Common(), f) {
						if _, isGo := instr.(*ssa.Go); isGo {
							started[f] = true
						}
						continue
					}
					taken[f] = true
				}
			}
		}
	}
	for _, fn := range funcs {
		scan(fn)
		if fn.Pkg != nil {
			scan(fn.Pkg.Func("init"))
		}
	}
	opts := make(map[*ssa.Function]thread.Options, len(funcs))
	for _, fn := range funcs {
		exported := false
		if obj, ok := fn.Object().(*types.Func); ok {
			exported = obj.Exported()
		}
		entry := fn.Parent() == nil && fn.Signature.Recv() == nil && (fn.Name() == "main" || fn.Name() == "init")
		opts[fn] = thread.Options{Internal: !exported && !started[fn] && !entry, Root: started[fn] || entry}
	}
	return opts
}

// use records how the closure mc of f is used: called directly, deferred,
// started by go, or taken as a value.
func use(mc *ssa.MakeClosure, f *ssa.Function, taken, started map[*ssa.Function]bool) {
	for _, r := range *mc.Referrers() {
		c, ok := r.(ssa.CallInstruction)
		if ok && startsGoroutine(c.Common(), mc) {
			started[f] = true
			continue
		}
		if !ok || c.Common().Value != mc || isArg(c.Common(), mc) {
			taken[f] = true
			continue
		}
		if _, isGo := r.(*ssa.Go); isGo {
			started[f] = true
		}
	}
}

// goroutineRunners run their function argument on a goroutine of its
// own: t.Run(name, f) runs f on a new goroutine, not the caller's (whose
// lock does not carry over).
var goroutineRunners = map[string]int{
	"(*testing.T).Run": 1,
	"(*testing.B).Run": 1,
}

// startsGoroutine reports whether call c runs v on a goroutine of its own.
func startsGoroutine(c *ssa.CallCommon, v ssa.Value) bool {
	fn := c.StaticCallee()
	if fn == nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	i, ok := goroutineRunners[obj.FullName()]
	return ok && i+1 < len(c.Args) && c.Args[i+1] == v // Args[0] is the receiver
}

func isArg(c *ssa.CallCommon, v ssa.Value) bool {
	for _, a := range c.Args {
		if a == v {
			return true
		}
	}
	return false
}

// thread reports a finding of package thread.
func (r *reporter) thread(f thread.Finding) {
	d := analysis.Diagnostic{Category: impersonationCategory, URL: "#" + impersonationCategory}
	d.Pos, d.End = r.span(f.Pos)
	name := callDesc(f.Call, f.Deferred)
	switch f.Kind {
	case thread.NoLock:
		d.Message = fmt.Sprintf("call runtime.LockOSThread before %s: impersonation applies to the OS thread, and this goroutine may move "+
			"(to a thread without the identity, leaving it to another goroutine)", name)
		for i, pos := range f.Also {
			d.Related = append(d.Related, r.related(pos, fmt.Sprintf("%s also impersonates here without the lock", callDesc(f.AlsoCalls[i], false)))...)
		}
	case thread.NoRevert:
		d.Message = fmt.Sprintf("the impersonation of %s is still in effect where %s returns the thread to the scheduler: "+
			"revert it first with %s, so that no other goroutine runs with the identity", name, callDesc(f.OtherCall, f.OtherDeferred), revertFor(f.Call.Origin))
		d.Related = r.related(f.Other, "the thread is unlocked here while impersonating")
	case thread.RevertIgnored:
		d.Message = fmt.Sprintf("%s ignores its error, and %s then returns the thread to the scheduler: if the revert failed, "+
			"other goroutines run with the impersonated identity; check the error and leave the thread locked when it fails "+
			"(panic, or return without unlocking, so that the runtime ends the thread)", name, callDesc(f.OtherCall, f.OtherDeferred))
		if f.Failed {
			d.Message = fmt.Sprintf("where %s fails, %s returns the thread to the scheduler with the impersonated identity, "+
				"and other goroutines run with it; leave the thread locked when the revert fails "+
				"(panic, or return without unlocking, so that the runtime ends the thread)", name, callDesc(f.OtherCall, f.OtherDeferred))
		}
		d.Related = r.related(f.Other, "the thread is unlocked here")
	}
	r.diags = append(r.diags, d)
}

// callDesc names a thread call for a message: "windows.ImpersonateSelf",
// "lib.impersonate (windows.ImpersonateSelf)" for a wrapper, with "the
// deferred" before it for a deferred call.
func callDesc(c thread.Call, deferred bool) string {
	name := rules.ShortName(c.Name)
	if c.Origin != "" && c.Origin != c.Name {
		via := ""
		if len(c.Via) > 0 {
			short := make([]string, len(c.Via))
			for i, v := range c.Via {
				short[i] = rules.ShortName(v)
			}
			via = ", through " + strings.Join(short, ", ")
		}
		name = fmt.Sprintf("%s (%s%s)", name, rules.ShortName(c.Origin), via)
	}
	if deferred {
		return "the deferred " + name
	}
	return name
}

// revertFor names the revert that undoes an impersonation by origin.
func revertFor(origin string) string {
	switch {
	case strings.Contains(origin, "!Rpc"):
		return "RpcRevertToSelf"
	case strings.Contains(origin, "!Co"):
		return "CoRevertToSelf"
	case strings.Contains(origin, "!ImpersonateSecurityContext"):
		return "RevertSecurityContext"
	case strings.HasPrefix(origin, "syscall."):
		return "syscall's RevertToSelf procedure (advapi32.dll)"
	}
	return "windows.RevertToSelf"
}
