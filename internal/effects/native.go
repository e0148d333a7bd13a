package effects

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// Native procedures are Win32 functions called through a procedure value
// (how, procCalls and the other tables in knowledge.go say):
//
//	var procLogonUserW = modadvapi32.NewProc("LogonUserW")
//	r1, _, e1 := procLogonUserW.Call(..., uintptr(unsafe.Pointer(&tok)))
//	r1, _, e1 := syscall.SyscallN(procLogonUserW.Addr(), ...)
//	addr, _ := windows.GetProcAddress(kernel32, "CreateEventW")
//	r1, _, e1 := syscall.Syscall6(addr, 4, ...)
//
// Rules name them "advapi32.dll!LogonUserW" and index their native
// arguments. The procedure is found where the package initializes the
// variable it is called through, or in the call expression itself. A raw
// address is named by the GetProcAddress call it comes from, and that
// call's module by the LoadLibrary call (or the DLL whose Handle it is).

// native returns the effects of a call of a native procedure. A
// procedure that no rule names (or that cannot be
// found) is unknown code: a handle passed to it is handed on.
func (o *Oracle) native(c *ssa.CallCommon, how procCall) ownership.Effects {
	if len(c.Args) == 0 {
		return ownership.Effects{}
	}
	var name string
	var ok bool
	if how.trap {
		name, ok = o.trapName(c.Args[0])
	} else {
		name, ok = o.procName(c.Args[0])
	}
	if !ok {
		return ownership.Effects{}
	}
	args := nativeArgs(c, how)
	eff := o.nativeRules(name, args)
	if _, ok := o.rules.UseFuncs[name]; ok {
		// A uses rule: a procedure that acts on the handles passed to
		// it (SelectObject, DrawIconEx) and keeps none, where its
		// conditions hold (AppendMenuW without MF_POPUP); elsewhere
		// unknown code.
		if o.eval(o.rules.UseConds[name], nativeCondArgs(args)) == holds {
			eff.UseOnly, eff.Acts = true, true
		}
		return eff
	}
	eff.UseOnly = o.wrappedUse(name)
	return eff
}

// nativeCondArgs returns the arguments of a native procedure's call, args
// (nil where not known), as the when tests of its rules index them.
func nativeCondArgs(args []ssa.Value) condArgs {
	return condArgs{arg: func(i rules.Param) ssa.Value {
		if i.IsParam() && int(i) < len(args) {
			return args[i]
		}
		return nil
	}}
}

// wrappedUse reports whether native procedure name ("kernel32.dll!CancelIoEx")
// is one that a platform package of the rules wraps under its own name
// (windows.CancelIoEx; CreateFileW is windows.CreateFile), a `uses`
// package: the handles passed to it are only used, but for what the rules
// of the procedure say (they override uses, as for the wrapper). A
// procedure no rule names counts so only when no source, release or adopts
// rule names the wrapper either. A //sys wrapper of a third-party module
// calling it then only uses the handle it passes.
func (o *Oracle) wrappedUse(name string) bool {
	_, proc, ok := strings.Cut(name, "!")
	if !ok || proc == "" {
		return false
	}
	names := []string{proc}
	if base, wide := strings.CutSuffix(proc, "W"); wide {
		names = append(names, base)
	}
	for _, pkg := range []string{"golang.org/x/sys/windows", "syscall"} {
		if _, uses := o.rules.UsePackages[pkg]; !uses {
			continue
		}
		for _, n := range names {
			full := pkg + "." + n
			if _, isFunc := rules.LookupObject(o.pass.Pkg, full).(*types.Func); isFunc && (o.rules.Knows(name) != 0 || o.rules.Knows(full)&rules.Handles == 0) {
				return true
			}
		}
	}
	return false
}

// trapName returns the rule name of the procedure whose address v, the
// trap of a SyscallN-style call, is: proc.Addr(), or a raw address from
// GetProcAddress.
func (o *Oracle) trapName(v ssa.Value) (string, bool) {
	if p := addrOf(v); p != nil {
		return o.procName(p)
	}
	return o.rawProcName(v)
}

// rawProcName returns the rule name of the procedure whose address v is,
// a result of GetProcAddress(module, "Name") (directly, or through a
// package variable set once) with module a LoadLibrary("x.dll") result or
// the Handle of a DLL that LoadDLL loaded by name.
func (o *Oracle) rawProcName(v ssa.Value) (string, bool) {
	call := o.procAddrLookup(v)
	if call == nil {
		return "", false
	}
	proc, ok := constString(call.Call.Args[1])
	if !ok {
		return "", false
	}
	dll, ok := o.moduleName(call.Call.Args[0])
	if !ok {
		return "", false
	}
	return rules.NativeName(dll, proc), true
}

// procAddrLookup returns the GetProcAddress call whose result v is, or nil.
func (o *Oracle) procAddrLookup(v ssa.Value) *ssa.Call {
	call := o.madeBy(ownership.Unconvert(v))
	if call == nil {
		return nil
	}
	if obj := callee(call.Common()); obj == nil || !procAddrLookups[obj.FullName()] || len(call.Call.Args) != 2 {
		return nil
	}
	return call
}

// moduleName returns the name of the module whose handle v is.
func (o *Oracle) moduleName(v ssa.Value) (string, bool) {
	v = ownership.Unconvert(v)
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if fa, ok := load.X.(*ssa.FieldAddr); ok {
			// dll.Handle of a *DLL from LoadDLL or MustLoadDLL.
			if ptr, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
				if st, ok := ptr.Elem().Underlying().(*types.Struct); ok && st.Field(fa.Field).Name() == "Handle" {
					if dll := o.madeBy(fa.X); dll != nil {
						if obj := callee(dll.Common()); obj != nil && dllMakers[obj.FullName()] && len(dll.Call.Args) == 1 {
							return constString(dll.Call.Args[0])
						}
					}
				}
			}
			return "", false
		}
	}
	call := o.madeBy(v)
	if call == nil {
		return "", false
	}
	obj := callee(call.Common())
	if obj == nil || !moduleLoaders[obj.FullName()] || len(call.Call.Args) == 0 {
		return "", false
	}
	return constString(call.Call.Args[0])
}

// vtableCall returns the effects of a call of a COM method through vtable
// slot slot: its rules index the arguments after this.
func (o *Oracle) vtableCall(c *ssa.CallCommon, how procCall, slot string) ownership.Effects {
	args := nativeArgs(c, how)
	if len(args) == 0 {
		return ownership.Effects{} // not even this: not a COM call
	}
	return o.nativeRules(slot, args[1:])
}

// nativeRules returns the effects of the rules for name, a native
// procedure or vtable slot, at a call with arguments args (nil where not
// known).
func (o *Oracle) nativeRules(name string, args []ssa.Value) ownership.Effects {
	at := nativeCondArgs(args)
	var eff ownership.Effects
	for _, src := range o.rules.Sources[name] {
		if o.eval(src.Cond, at) != holds {
			continue
		}
		acq := ownership.Acquire{
			Result: resultIndex(src.Result), Out: ownership.NoOperand,
			Borrowed:       src.Borrowed,
			NoLeak:         src.Resource.NoLeak,
			ReleaseAgainOK: src.Resource.ReleaseAgainOK,
			Resource:       src.Resource.Name,
		}
		info := &Source{Func: name, Origin: name, Resource: src.Resource, Note: src.Note, Out: src.Out}
		if src.Out.IsParam() {
			out := at.arg(src.Out)
			if out == nil {
				continue
			}
			acq.Result, acq.OutValue = ownership.NoResult, out
			acq.Success = successOf(src.Success)
			if src.Field != "" {
				// uintptr(unsafe.Pointer(&pi)): the field of the struct
				// the Go pointer points to, by name. A pointer without
				// that field (unsafe.Pointer, another struct) says
				// nothing of where the handle is: not followed.
				n := fieldIndex(ownership.Unconvert(out).Type(), src.Field)
				if n < 0 {
					continue
				}
				acq.Part = ownership.Part{Kind: ownership.Field, N: n}
				info.Part = "field " + src.Field
			}
		}
		acq.Rule = o.sourceRef(info)
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
			eff.Releases = o.addRelease(eff.Releases, ownership.ByValue, v, rel.Resource.Name, name)
		}
	}
	for _, ch := range o.rules.Changes[name] {
		if v := at.arg(ch.Arg); v != nil && o.eval(ch.Cond, at) == holds {
			eff.Changes = append(eff.Changes, ownership.Change{Operand: ownership.ByValue, Value: v, Resource: ch.Resource, Rule: o.releaserRef(name)})
		}
	}
	return eff
}

// vtableSlot returns the rule name of the vtable slot whose value v is, a
// uintptr field of a named struct type loaded as the procedure of a call:
// "(example.com/wsd.IWSDSSLClientCertificateVtbl).GetMappedAccessToken" for
// c.vtbl.GetMappedAccessToken, or (*Vtbl)(unsafe.Pointer(obj.RawVTable)).F
// (go-ole's shape). The struct is the one that declares the field: a slot
// promoted from an embedded IUnknownVtbl is IUnknownVtbl's.
func vtableSlot(v ssa.Value) (string, bool) {
	var st types.Type
	var field int
	switch v := v.(type) {
	case *ssa.UnOp: // *&vtbl.F
		fa, ok := v.X.(*ssa.FieldAddr)
		if !ok || v.Op != token.MUL {
			return "", false
		}
		ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return "", false
		}
		st, field = ptr.Elem(), fa.Field
	case *ssa.Field: // vtbl.F of a struct value
		st, field = v.X.Type(), v.Field
	default:
		return "", false
	}
	named, ok := types.Unalias(st).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return "", false
	}
	s, ok := named.Underlying().(*types.Struct)
	if !ok {
		return "", false
	}
	f := s.Field(field)
	if b, ok := f.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Uintptr {
		return "", false
	}
	obj := named.Origin().Obj()
	return "(" + obj.Pkg().Path() + "." + obj.Name() + ")." + f.Name(), true
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
func (o *Oracle) procName(v ssa.Value) (string, bool) {
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
func (o *Oracle) madeBy(v ssa.Value) *ssa.Call {
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
func (o *Oracle) globalInit(g *ssa.Global) ssa.Value {
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

// isProcAddr reports whether v, the trap of a SyscallN-style call, is the
// address of a procedure (not a system call number, as syscall.Syscall
// takes on Unix).
func (o *Oracle) isProcAddr(v ssa.Value) bool {
	return addrOf(v) != nil || o.procAddrLookup(v) != nil
}

// IsNativeCall reports whether c calls a native procedure
// ((*windows.LazyProc).Call, syscall.SyscallN of a procedure's address...).
// Its last result is then the thread's last error, which x/sys documents
// as always non-nil: only the call's first result says whether it failed.
func (o *Oracle) IsNativeCall(c *ssa.CallCommon) bool {
	obj := callee(c)
	if obj == nil {
		return false
	}
	_, ok := o.procCallOf(obj, c)
	return ok
}

// procCallOf returns how c, a call of obj, calls a native procedure, if it
// does: through a procedure's Call, or a Syscall of a procedure's
// address (syscall.Syscall(SYS_IOCTL, ...) on Unix is a system call).
func (o *Oracle) procCallOf(obj *types.Func, c *ssa.CallCommon) (procCall, bool) {
	how, ok := procCalls[obj.FullName()]
	return how, ok && (!how.trap || len(c.Args) > 0 && o.isProcAddr(c.Args[0]))
}
