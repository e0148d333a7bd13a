package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// Native procedures are Win32 functions called through a procedure value:
//
//	var procLogonUserW = modadvapi32.NewProc("LogonUserW")
//	r1, _, e1 := procLogonUserW.Call(..., uintptr(unsafe.Pointer(&tok)))
//	r1, _, e1 := syscall.SyscallN(procLogonUserW.Addr(), ...)
//
// Rules name them "advapi32.dll!LogonUserW" and index their native
// arguments. The procedure is found where the package initializes the
// variable it is called through, or in the call expression itself.

// procCall says how a function calls a native procedure: its arguments
// start at operand first, spread (false) or in a variadic slice (true);
// the procedure is the receiver (operand 0) or the trap address (operand 0).
type procCall struct {
	first    int
	variadic bool
	trap     bool // operand 0 is an address (proc.Addr()), not a procedure
}

var procCalls = map[string]procCall{
	"(*golang.org/x/sys/windows.LazyProc).Call": {first: 1, variadic: true},
	"(*golang.org/x/sys/windows.Proc).Call":     {first: 1, variadic: true},
	"(*syscall.LazyProc).Call":                  {first: 1, variadic: true},
	"(*syscall.Proc).Call":                      {first: 1, variadic: true},
	"syscall.SyscallN":                          {first: 1, variadic: true, trap: true},
	"syscall.Syscall":                           {first: 2, trap: true},
	"syscall.Syscall6":                          {first: 2, trap: true},
	"syscall.Syscall9":                          {first: 2, trap: true},
	"syscall.Syscall12":                         {first: 2, trap: true},
	"syscall.Syscall15":                         {first: 2, trap: true},
	"syscall.Syscall18":                         {first: 2, trap: true},
}

// byValue is the Operand of a release given by its Value: a native
// procedure's argument, inside the call's variadic slice.
const byValue ownership.Operand = -2

// procMakers make a procedure from a DLL (operand 0) and a name (operand 1).
var procMakers = map[string]bool{
	"(*golang.org/x/sys/windows.LazyDLL).NewProc":  true,
	"(*golang.org/x/sys/windows.DLL).FindProc":     true,
	"(*golang.org/x/sys/windows.DLL).MustFindProc": true,
	"(*syscall.LazyDLL).NewProc":                   true,
	"(*syscall.DLL).FindProc":                      true,
	"(*syscall.DLL).MustFindProc":                  true,
}

// dllMakers load a DLL by name (operand 0).
var dllMakers = map[string]bool{
	"golang.org/x/sys/windows.NewLazySystemDLL": true,
	"golang.org/x/sys/windows.NewLazyDLL":       true,
	"golang.org/x/sys/windows.LoadDLL":          true,
	"golang.org/x/sys/windows.MustLoadDLL":      true,
	"syscall.NewLazyDLL":                        true,
	"syscall.LoadDLL":                           true,
	"syscall.MustLoadDLL":                       true,
}

// procAddrs return a procedure's address (operand 0 is the procedure).
var procAddrs = map[string]bool{
	"(*golang.org/x/sys/windows.LazyProc).Addr": true,
	"(*golang.org/x/sys/windows.Proc).Addr":     true,
	"(*syscall.LazyProc).Addr":                  true,
	"(*syscall.Proc).Addr":                      true,
}

// nativeEffects returns the effects of a call of a native procedure. A
// procedure that no rule names (or that cannot be
// found) is unknown code: a handle passed to it is handed on.
func (o *oracle) nativeEffects(c *ssa.CallCommon, how procCall) ownership.Effects {
	if len(c.Args) == 0 {
		return ownership.Effects{}
	}
	p := c.Args[0]
	if how.trap {
		p = addrOf(p) // not nil: Effects checked
	}
	name, ok := o.procName(p)
	if !ok {
		return ownership.Effects{}
	}
	args := nativeArgs(c, how)
	at := condArgs{arg: func(i int) ssa.Value {
		if i >= 0 && i < len(args) {
			return args[i]
		}
		return nil
	}}
	var eff ownership.Effects
	for _, src := range o.rules.Sources[name] {
		if o.eval(src.Cond, at) != holds {
			continue
		}
		acq := ownership.Acquire{
			Result: src.Result, Out: -1,
			Borrowed: src.Borrowed,
			NoLeak:   src.Resource.NoLeak,
			Resource: src.Resource.Name,
			Rule:     &sourceInfo{name: name, origin: name, resource: src.Resource, note: src.Note, out: src.Out},
		}
		if src.Out >= 0 {
			out := at.arg(src.Out)
			if out == nil {
				continue
			}
			acq.Result, acq.OutValue = -1, out
			acq.Success = ownership.SuccessNonzero
			if src.Success == "zero" {
				acq.Success = ownership.SuccessZero
			}
		}
		eff.Acquires = append(eff.Acquires, acq)
	}
	for _, rel := range o.rules.Releasers[name] {
		v := at.arg(rel.Arg)
		if v == nil {
			continue
		}
		// Where a condition is not known, nothing is added: the
		// handle is handed on, as to any unknown code.
		if o.eval(rel.Cond, at) == holds {
			eff.Releases = addRelease(eff.Releases, byValue, v, rel.Resource.Name, name)
		}
	}
	return eff
}

// nativeArgs returns the values of a native call's arguments, nil where not
// known.
func nativeArgs(c *ssa.CallCommon, how procCall) []ssa.Value {
	if !how.variadic {
		if how.first > len(c.Args) {
			return nil
		}
		return c.Args[how.first:]
	}
	if how.first >= len(c.Args) {
		return nil
	}
	s, ok := c.Args[how.first].(*ssa.Slice)
	if !ok {
		return nil // a nil slice (no arguments) or a slice from elsewhere
	}
	arr, ok := s.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	n := 0
	if at, ok := arr.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Array); ok {
		n = int(at.Len())
	}
	args := make([]ssa.Value, n)
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		k, ok := ia.Index.(*ssa.Const)
		if !ok || k.Value == nil {
			continue
		}
		i, exact := constant.Int64Val(constant.ToInt(k.Value))
		if !exact || i < 0 || int(i) >= n {
			continue
		}
		for _, u := range *ia.Referrers() {
			if st, ok := u.(*ssa.Store); ok && st.Addr == ia {
				args[i] = st.Val
			}
		}
	}
	return args
}

// addrOf returns the procedure whose address v is (proc.Addr()), or nil.
func addrOf(v ssa.Value) ssa.Value {
	call, ok := ownership.Unconvert(v).(*ssa.Call)
	if !ok {
		return nil
	}
	if obj := callee(call.Common()); obj != nil && procAddrs[obj.FullName()] && len(call.Call.Args) == 1 {
		return call.Call.Args[0]
	}
	return nil
}

// procName returns the rule name of the procedure v is.
func (o *oracle) procName(v ssa.Value) (string, bool) {
	call := o.madeBy(v)
	if call == nil {
		return "", false
	}
	obj := callee(call.Common())
	if obj == nil || !procMakers[obj.FullName()] || len(call.Call.Args) != 2 {
		return "", false
	}
	proc, ok := constString(call.Call.Args[1])
	if !ok {
		return "", false
	}
	dllCall := o.madeBy(call.Call.Args[0])
	if dllCall == nil {
		return "", false
	}
	dobj := callee(dllCall.Common())
	if dobj == nil || !dllMakers[dobj.FullName()] || len(dllCall.Call.Args) != 1 {
		return "", false
	}
	dll, ok := constString(dllCall.Call.Args[0])
	if !ok {
		return "", false
	}
	return rules.NativeName(dll, proc), true
}

// madeBy returns the call whose result v is: directly, as result 0 of a
// tuple (LoadDLL), or through a package variable that the package's
// initializer sets once.
func (o *oracle) madeBy(v ssa.Value) *ssa.Call {
	if v == nil {
		return nil
	}
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		g, ok := load.X.(*ssa.Global)
		if !ok {
			return nil
		}
		v = o.globalInit(g)
		if v == nil {
			return nil
		}
	}
	if x, ok := v.(*ssa.Extract); ok && x.Index == 0 {
		v = x.Tuple
	}
	call, _ := v.(*ssa.Call)
	return call
}

// globalInit returns the value the package initializer stores in g, when
// it stores exactly one. (A procedure variable that other functions assign
// too would be misread; generated syscall files never do that.)
func (o *oracle) globalInit(g *ssa.Global) ssa.Value {
	if v, ok := o.globals[g]; ok {
		return v
	}
	var val ssa.Value
	if g.Pkg != nil {
		if init := g.Pkg.Func("init"); init != nil {
			n := 0
			for _, b := range init.Blocks {
				for _, instr := range b.Instrs {
					if st, ok := instr.(*ssa.Store); ok && st.Addr == g {
						val = st.Val
						n++
					}
				}
			}
			if n != 1 {
				val = nil
			}
		}
	}
	if o.globals == nil {
		o.globals = make(map[*ssa.Global]ssa.Value)
	}
	o.globals[g] = val
	return val
}

// constString returns the value of a string constant.
func constString(v ssa.Value) (string, bool) {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(k.Value), true
}
