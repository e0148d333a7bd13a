// Package effects says what a call does to handles: it answers the
// ownership engine's question (ownership.Oracle) for the functions that one
// package's code calls, and computes the Summary facts that the package
// exports for its own functions.
//
// The knowledge comes from five places, tried in this order by Effects:
//
//   - the language: builtins only use their operands (but append);
//   - Go-coded API knowledge of how native procedures are called
//     (LazyProc.Call, syscall.SyscallN...), of error tests (errors.Is), and
//     of GOOS names in file names: all in knowledge.go;
//   - the rules (package rules, rules.yaml and the user's files): sources,
//     releasers, adopters, uses and noreturn rules, with their conditions;
//   - the Summary facts of imported packages' functions, and the summaries
//     of this package's functions computed so far (the caller, package
//     analyzer, runs the functions bottom-up and records them with
//     SetLocal);
//   - owner types: a struct type with a handle field that a method (Close)
//     releases is a resource of its own (owner.go).
//
// The package knows nothing of diagnostics: it hands the engine typed
// references (ownership.SourceRef, ownership.ReleaseRef) that Source and
// Releaser turn back into the records reporting words messages from.
package effects

import (
	"fmt"
	"go/constant"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// Oracle answers the engine's questions about calls for one pass.
type Oracle struct {
	rules   *rules.Set
	pass    *analysis.Pass
	effects map[*types.Func]ownership.Effects // rules and facts
	local   map[*ssa.Function]*Summary
	// localEffects caches Effects from local summaries; an entry is dropped
	// when its summary changes. Cached so that each call site sees the same
	// *Release values, which the engine compares by identity.
	localEffects map[*ssa.Function]ownership.Effects
	// callEffects caches the effects of calls that depend on the call:
	// conditional rules and native procedures.
	callEffects map[*ssa.CallCommon]ownership.Effects

	// The records behind the references handed to the engine.
	sources   []*Source
	releasers []*Releaser
	byName    map[string]ownership.ReleaseRef

	// Types that own a handle: this package's and imported ones (nil for
	// a type found not to be one), this package's closers, and resources
	// made for imported owners.
	owners   map[*types.TypeName]*owner
	closers  map[*ssa.Function]*owner
	ownerRes map[string]*rules.Resource
	// goOnly are the methods that run only as goroutines (goroutines),
	// which are no closers; nil until FindOwners.
	goOnly map[*ssa.Function]bool

	// fieldUses caches UsesField's answers; cleared when a summary
	// changes.
	fieldUses map[fieldUseKey]bool

	// paramLeaks are the parameters this package's functions adopt on
	// some paths and lose on others, found by Summarize.
	paramLeaks map[*ssa.Function][]ParamLeak

	// lent are the parameters of this package's functions that hold a
	// handle lent to them by a callback rule (FindLent).
	lent map[*ssa.Function][]ownership.Lent

	// handleTypes are the Go handle types (goHandleTypes), once known;
	// retained memoizes retains.
	handleTypes *[]types.Type
	retained    map[retainKey]retention

	// errTests memoizes nonNilIfTrueOf (nil while one is decided).
	errTests map[*ssa.Function][]ownership.Operand
	// nilWraps memoizes nilIfNilOf (nil while one is decided).
	nilWraps map[*ssa.Function][]ownership.Operand

	// funcs are the package's functions (SetFuncs), whose stores
	// Taken reads.
	funcs []*ssa.Function

	globals   map[*ssa.Global]ssa.Value // what the package initializer stores
	goosDone  bool
	goosValue string
}

// A Source is the record behind an acquisition: where a handle comes from,
// for messages and summaries.
type Source struct {
	Func     string // the function called, full name
	Origin   string // the API the handle comes from (Func itself for a rule)
	Resource *rules.Resource
	Note     string
	Out      rules.Param // the pointer parameter written, or rules.NoParam
	Part     string      // the part of the result or out that is the handle: "field Thread", "element 1"
}

// A Releaser is the record behind a release, or behind a change
// (ownership.Change.Rule).
type Releaser struct {
	Func string // the function called, full name
	// Origin, for a change through a function known by its summary, is
	// the API that changes the object; else Func.
	Origin string
}

// New returns the Oracle of a pass, under rule set rs.
func New(rs *rules.Set, pass *analysis.Pass) *Oracle {
	return &Oracle{
		rules: rs, pass: pass,
		effects:      make(map[*types.Func]ownership.Effects),
		local:        make(map[*ssa.Function]*Summary),
		localEffects: make(map[*ssa.Function]ownership.Effects),
		callEffects:  make(map[*ssa.CallCommon]ownership.Effects),
		byName:       make(map[string]ownership.ReleaseRef),
		owners:       make(map[*types.TypeName]*owner),
		closers:      make(map[*ssa.Function]*owner),
		ownerRes:     make(map[string]*rules.Resource),
		paramLeaks:   make(map[*ssa.Function][]ParamLeak),
		retained:     make(map[retainKey]retention),
		fieldUses:    make(map[fieldUseKey]bool),
		errTests:     make(map[*ssa.Function][]ownership.Operand),
		nilWraps:     make(map[*ssa.Function][]ownership.Operand),
	}
}

// Source returns the record behind a reference from an Acquire.
func (o *Oracle) Source(r ownership.SourceRef) *Source { return o.sources[r-1] }

// Releaser returns the record behind a reference from a Release.
func (o *Oracle) Releaser(r ownership.ReleaseRef) *Releaser { return o.releasers[r-1] }

func (o *Oracle) sourceRef(s *Source) ownership.SourceRef {
	o.sources = append(o.sources, s)
	return ownership.SourceRef(len(o.sources))
}

func (o *Oracle) releaserRef(name string) ownership.ReleaseRef {
	if r, ok := o.byName[name]; ok {
		return r
	}
	o.releasers = append(o.releasers, &Releaser{Func: name, Origin: name})
	r := ownership.ReleaseRef(len(o.releasers))
	o.byName[name] = r
	return r
}

// changerRef is releaserRef for a change by function name through the API
// origin.
func (o *Oracle) changerRef(name, origin string) ownership.ReleaseRef {
	key := name + "\x00" + origin
	if r, ok := o.byName[key]; ok {
		return r
	}
	o.releasers = append(o.releasers, &Releaser{Func: name, Origin: origin})
	r := ownership.ReleaseRef(len(o.releasers))
	o.byName[key] = r
	return r
}

// Local returns the summary recorded for a function of this package.
func (o *Oracle) Local(fn *ssa.Function) (*Summary, bool) {
	sum, ok := o.local[fn]
	return sum, ok
}

// SetLocal records the summary of a function of this package.
func (o *Oracle) SetLocal(fn *ssa.Function, sum *Summary) {
	o.local[fn] = sum
	delete(o.localEffects, fn)
	clear(o.fieldUses)
}

// CheckDeclared checks the rules for the functions that this package
// declares (rules.Set.CheckDeclared), as built for this pass's GOOS: a
// rule that does not fit is reported once, where the package that
// declares its function is analyzed, rather than where a call first meets
// it. Effects then leaves it out.
func (o *Oracle) CheckDeclared() error {
	return o.rules.CheckDeclared(o.pass.Pkg, o.goos(), o.portable())
}

// portable reports whether every GOOS builds this package from the same
// files: none has a GOOS in its name or a build constraint.
func (o *Oracle) portable() bool {
	for _, f := range o.pass.Files {
		name := o.pass.Fset.Position(f.Package).Filename
		if nameGOOS(name) != "" {
			return false
		}
		for _, g := range f.Comments {
			if g.Pos() > f.Package {
				break
			}
			for _, c := range g.List {
				if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
					return false
				}
			}
		}
	}
	return true
}

// Effects implements ownership.Oracle: the first of these that knows the
// call says what it does.
func (o *Oracle) Effects(c *ssa.CallCommon) ownership.Effects {
	if direct := boundCall(c); direct != nil {
		if eff, ok := o.callEffects[c]; ok {
			return eff
		}
		eff := unbind(o.Effects(direct))
		o.callEffects[c] = eff
		return eff
	}
	obj := callee(c)
	if obj == nil {
		return o.unnamed(c) // a builtin, a function literal, a function value
	}
	if eff, ok := o.effects[obj]; ok {
		return eff
	}
	if eff, ok := o.callEffects[c]; ok {
		return eff
	}
	name := obj.FullName()
	if how, ok := procCalls[name]; ok && how.trap && len(c.Args) > 0 {
		if slot, ok := vtableSlot(c.Args[0]); ok && o.rules.Knows(slot) != 0 {
			// syscall.SyscallN(obj.vtbl.Method, this, ...): a COM
			// method the rules know. (One they do not know is a
			// system call of package syscall, which only uses its
			// arguments.)
			eff := o.vtableCall(c, how, slot)
			o.callEffects[c] = eff
			return eff
		}
	}
	if how, ok := o.procCallOf(obj, c); ok {
		// A procedure's call; syscall.Syscall(SYS_IOCTL, ...) on Unix is
		// a system call, which the rules for syscall describe.
		eff := o.native(c, how)
		o.callEffects[c] = eff
		return eff
	}
	known := o.rules.Knows(name) != 0
	if !known && !c.IsInvoke() {
		if eff, ok := holderEffects(obj); ok {
			o.effects[obj] = eff
			return eff
		}
	}
	if !known && obj.Pkg() == o.pass.Pkg {
		if fn := c.StaticCallee(); fn != nil {
			return o.fromLocal(fn)
		}
		return ownership.Effects{}
	}
	eff, perCall := o.fromRules(obj, c)
	if !known {
		if fact, ok := o.fromFact(obj, c.IsInvoke()); ok {
			fact.UseOnly = eff.UseOnly // a uses rule for its package
			o.effects[obj] = fact
			return fact
		}
	}
	if obj.Pkg() != o.pass.Pkg {
		o.ownerUse(obj.Type().(*types.Signature), c.IsInvoke(), &eff)
		if len(eff.NonNilIfTrue) == 0 && len(eff.NilIfNil) == 0 {
			eff.NonNilIfTrue, eff.NilIfNil = o.errTestFact(obj, c.IsInvoke())
		}
	}
	if perCall {
		o.callEffects[c] = eff
	} else {
		o.effects[obj] = eff
	}
	return eff
}

// unnamed returns the effects of a call of no named function: a builtin
// only uses its operands (but append, which may keep them); a function
// literal has its local summary; a function value is unknown.
func (o *Oracle) unnamed(c *ssa.CallCommon) ownership.Effects {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return ownership.Effects{UseOnly: b.Name() != "append"}
	}
	if fn := c.StaticCallee(); fn != nil {
		return o.fromLocal(fn)
	}
	return ownership.Effects{}
}

// fromFact returns the effects of an imported function from its summary
// fact, if it has one.
func (o *Oracle) fromFact(fn *types.Func, invoke bool) (ownership.Effects, bool) {
	if fn.Pkg() == nil || fn.Pkg() == o.pass.Pkg {
		return ownership.Effects{}, false
	}
	var sum Summary
	if !o.pass.ImportObjectFact(fn, &sum) || !sum.Handles() {
		return ownership.Effects{}, false
	}
	return o.fromSummary(fn.FullName(), fn.Type().(*types.Signature), invoke, &sum), true
}

// errTestFact returns, as operands, the error parameters of an imported
// function that its fact says are not nil whenever it returns true (an
// error test of another package: testenv.SyscallIsNotSupported), and those
// whose being nil makes its error result nil (errors.WithStack).
func (o *Oracle) errTestFact(fn *types.Func, invoke bool) (nonNil, nilIfNil []ownership.Operand) {
	var sum Summary
	if fn.Pkg() == nil || fn.Pkg() == o.pass.Pkg || !o.pass.ImportObjectFact(fn, &sum) {
		return nil, nil
	}
	sig := fn.Type().(*types.Signature)
	for _, p := range sum.NonNilIfTrue {
		nonNil = append(nonNil, operandOf(sig, invoke, p))
	}
	for _, p := range sum.NilIfNil {
		nilIfNil = append(nilIfNil, operandOf(sig, invoke, p))
	}
	return nonNil, nilIfNil
}

// fromLocal returns the effects of a function of this package: from its
// summary so far, from its being an owner type's closer, or from its
// receiver's being an owner type.
func (o *Oracle) fromLocal(fn *ssa.Function) ownership.Effects {
	fn = Declared(fn)
	if eff, ok := o.localEffects[fn]; ok {
		return eff
	}
	var eff ownership.Effects
	if sum, ok := o.local[fn]; ok {
		eff = o.fromSummary(fn.String(), fn.Signature, false, sum)
	} else if own := o.closers[fn]; own != nil {
		eff = o.fromSummary(fn.String(), fn.Signature, false, &Summary{Closes: own.name})
	} else {
		o.ownerUse(fn.Signature, false, &eff)
	}
	if own := o.closers[fn]; own != nil && own.field >= 0 {
		// It releases the handle in that field of the struct its first
		// operand points to, wherever the caller keeps it.
		for i := range eff.Releases {
			if eff.Releases[i].Operand == ownership.Arg(0) {
				eff.Releases[i].Part = ownership.Part{Kind: ownership.Field, N: own.field}
			}
		}
	}
	eff.Compares = comparesOf(fn)
	eff.NonNilIfTrue = o.nonNilIfTrueOf(fn)
	eff.NilIfNil = o.nilIfNilOf(fn)
	eff.ErrIf = errIfOf(fn)
	o.localEffects[fn] = eff
	return eff
}

// Declared returns the function whose summary stands for fn: for an
// instance of a generic function (or of a method of a generic type), its
// generic origin; for a method value's bound wrapper (f := x.open) or a
// method expression's thunk ((*T).open), the method, which takes the
// receiver as its first argument as the thunk does (a bound wrapper's
// calls are unbound by Effects first); else fn itself.
func Declared(fn *ssa.Function) *ssa.Function {
	if orig := fn.Origin(); orig != nil {
		fn = orig
	}
	if wrapper(fn) {
		if obj, ok := fn.Object().(*types.Func); ok {
			if m := fn.Prog.FuncValue(obj.Origin()); m != nil && m != fn {
				return Declared(m)
			}
		}
	}
	return fn
}

// wrapper reports whether fn is a bound method wrapper or a method
// expression's thunk.
func wrapper(fn *ssa.Function) bool {
	return strings.HasPrefix(fn.Synthetic, "bound method wrapper") || strings.HasPrefix(fn.Synthetic, "thunk")
}

// boundCall returns, for a call of a method value (f := x.open; f()), the
// same call with the bound receiver as its first argument, as the method
// itself is called; else nil.
func boundCall(c *ssa.CallCommon) *ssa.CallCommon {
	mc, ok := c.Value.(*ssa.MakeClosure)
	if !ok || len(mc.Bindings) != 1 {
		return nil
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || !strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		return nil
	}
	return &ssa.CallCommon{Value: fn, Args: append([]ssa.Value{mc.Bindings[0]}, c.Args...)}
}

// unbind turns the effects of a method called with its receiver as the
// first argument into those of the call of its method value, whose
// arguments lack the receiver: what the method does with its receiver is
// the engine's to follow through the closure's binding.
func unbind(eff ownership.Effects) ownership.Effects {
	shift := func(ops []ownership.Operand) []ownership.Operand {
		var out []ownership.Operand
		for _, op := range ops {
			if op.IsArg() && op > 0 {
				out = append(out, op-1)
			}
		}
		return out
	}
	out := eff
	out.Releases = nil
	for _, r := range eff.Releases {
		switch {
		case r.Value != nil:
			out.Releases = append(out.Releases, r)
		case r.Operand.IsArg() && r.Operand > 0:
			r.Operand--
			out.Releases = append(out.Releases, r)
		}
	}
	out.Acquires = nil
	for _, a := range eff.Acquires {
		switch {
		case !a.Out.IsArg() || a.OutValue != nil:
			out.Acquires = append(out.Acquires, a)
		case a.Out > 0:
			a.Out--
			out.Acquires = append(out.Acquires, a)
		}
	}
	out.Changes = nil
	for _, ch := range eff.Changes {
		switch {
		case ch.Value != nil:
			out.Changes = append(out.Changes, ch)
		case ch.Operand.IsArg() && ch.Operand > 0:
			ch.Operand--
			out.Changes = append(out.Changes, ch)
		}
	}
	out.Adopts, out.Uses, out.NonNilIfTrue = shift(eff.Adopts), shift(eff.Uses), shift(eff.NonNilIfTrue)
	out.Passes = nil
	for _, p := range eff.Passes {
		if !p.Operand.IsArg() || p.Operand == 0 || p.ErrOperand == 0 {
			continue // the receiver passed through: the binding's
		}
		p.Operand--
		if p.ErrOperand.IsArg() {
			p.ErrOperand--
		}
		out.Passes = append(out.Passes, p)
	}
	return out
}

// callee returns the function or interface method a call calls, if known.
func callee(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	if fn := c.StaticCallee(); fn != nil {
		if obj, ok := fn.Object().(*types.Func); ok {
			return obj.Origin()
		}
	}
	return nil
}

// operandOf maps a rule-style parameter index (receiver not counted, or
// rules.Receiver) of a function with signature sig to the call's operand.
// It is the one place where the two index spaces meet.
func operandOf(sig *types.Signature, invoke bool, i rules.Param) ownership.Operand {
	switch {
	case i == rules.Receiver && invoke:
		return ownership.Recv
	case i == rules.Receiver:
		return ownership.Arg(0)
	case sig.Recv() != nil && !invoke:
		return ownership.Arg(int(i) + 1)
	}
	return ownership.Arg(int(i))
}

// resultIndex is a rule's result index as the engine's.
func resultIndex(i rules.ResultIndex) ownership.ResultIndex {
	if i < 0 {
		return ownership.NoResult
	}
	return ownership.ResultAt(int(i))
}

// fromRules derives the effects of a function at call c from the rules
// (and from the API knowledge of errorTests). perCall says the effects
// depend on c (a rule has conditions on its arguments). A rule that does
// not fit the function is left out: CheckDeclared reported it.
func (o *Oracle) fromRules(fn *types.Func, c *ssa.CallCommon) (eff ownership.Effects, perCall bool) {
	name := fn.FullName()
	sig := fn.Type().(*types.Signature)
	invoke := c.IsInvoke()
	param := func(i rules.Param) ownership.Operand { return operandOf(sig, invoke, i) }
	at := condArgs{pkg: fn.Pkg(), arg: func(i rules.Param) ssa.Value {
		if !i.IsParam() || int(i) >= sig.Params().Len() {
			return nil
		}
		return ownership.OperandValue(c, param(i))
	}}
	decide := func(cond rules.Cond) verdict {
		if len(cond.When) > 0 {
			perCall = true
		}
		return o.eval(cond, at)
	}
	for _, src := range o.rules.Sources[name] {
		if src.Check(sig) != nil || decide(src.Cond) != holds {
			continue
		}
		acq := ownership.Acquire{
			Result: resultIndex(src.Result), Out: ownership.NoOperand,
			Borrowed:       src.Borrowed,
			ErrGate:        !src.NoErrorGate && (lastIsError(sig) || rules.IsRawSyscall(name)),
			NoLeak:         src.Resource.NoLeak,
			ReleaseAgainOK: src.Resource.ReleaseAgainOK,
			Resource:       src.Resource.Name,
		}
		info := &Source{Func: name, Origin: name, Resource: src.Resource, Note: src.Note, Out: src.Out}
		if src.Out.IsParam() {
			acq.Result, acq.Out = ownership.NoResult, param(src.Out)
		}
		acq.AddsRef = src.AddsRef
		if src.Out.IsParam() && len(o.rules.Sources[name]) > 1 {
			info.Part = sig.Params().At(int(src.Out)).Name() // CreatePipe's readhandle or writehandle
		}
		if src.Field != "" {
			acq.Part = ownership.Part{Kind: ownership.Field, N: fieldIndex(sig.Params().At(int(src.Out)).Type(), src.Field)}
			info.Part = "field " + src.Field
		}
		if src.Index >= 0 {
			acq.Part = ownership.Part{Kind: ownership.Elem, N: src.Index}
			info.Part = fmt.Sprintf("element %d", src.Index)
		}
		acq.Success = successOf(src.Success)
		if k, ok := dialNetworks[name]; ok && acq.Result == 0 {
			perCall = true
			acq.Dynamic = dialedType(fn.Pkg(), at.arg(k))
		}
		if len(src.ValidErrs) > 0 && acq.ErrGate {
			acq.ValidErr = o.validErr(src.ValidErrs, fn.Pkg())
		}
		acq.Rule = o.sourceRef(info)
		eff.Acquires = append(eff.Acquires, acq)
	}
	for _, rel := range o.rules.Releasers[name] {
		if rel.Check(sig) != nil {
			continue
		}
		switch decide(rel.Cond) {
		case holds:
			eff.Releases = o.addRelease(eff.Releases, param(rel.Arg), nil, rel.Resource.Name, name)
		case unknown:
			// DuplicateHandle with options not known here may close its
			// source: the handle counts as handed on.
			eff.Adopts = append(eff.Adopts, param(rel.Arg))
		}
	}
	if ad, ok := o.rules.Adopters[name]; ok && ad.Check(sig) == nil {
		eff.Adopts = append(eff.Adopts, param(ad.Arg))
		// os.NewFile: the owned handle it hands out is the one it adopts,
		// which it releases when it is released.
		for i := range eff.Acquires {
			if acq := &eff.Acquires[i]; !acq.Borrowed && acq.Result >= 0 && acq.Part.Kind == ownership.Whole {
				acq.Owns, acq.Adoptee = true, param(ad.Arg)
			}
		}
	}
	for _, ch := range o.rules.Changes[name] {
		if ch.Check(sig) == nil && decide(ch.Cond) == holds {
			eff.Changes = append(eff.Changes, ownership.Change{Operand: param(ch.Arg), Resource: ch.Resource, Rule: o.releaserRef(name)})
		}
	}
	if runsAtExit[name] {
		eff.AtExit = []ownership.Operand{param(0)}
	}
	if errorTests[name] {
		eff.NonNilIfTrue = []ownership.Operand{ownership.Arg(0)}
	}
	if errIfNilReceiver[name] && o.goos() != "plan9" {
		eff.ErrIfInvalid = []ownership.Operand{param(rules.Receiver)}
	}
	_, eff.NoReturn = o.rules.NoReturn[name]
	if _, ok := o.rules.UseFuncs[name]; ok {
		eff.UseOnly = decide(o.rules.UseConds[name]) == holds
	}
	if fn.Pkg() != nil {
		if _, ok := o.rules.UsePackages[fn.Pkg().Path()]; ok {
			eff.UseOnly, eff.Acts = true, true
		}
	}
	return eff, perCall
}

// fieldIndex returns the index of the named field of the struct that a
// pointer of type ptr points to, or -1.
func fieldIndex(ptr types.Type, name string) int {
	p, ok := ptr.Underlying().(*types.Pointer)
	if !ok {
		return -1
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok {
		return -1
	}
	for i := range st.NumFields() {
		if st.Field(i).Name() == name {
			return i
		}
	}
	return -1
}

// fromSummary turns a summary into effects.
func (o *Oracle) fromSummary(name string, sig *types.Signature, invoke bool, sum *Summary) ownership.Effects {
	var eff ownership.Effects
	if sum.Closes != "" {
		eff.Releases = o.addRelease(eff.Releases, operandOf(sig, invoke, rules.Receiver), nil, sum.Closes, name)
	}
	for _, s := range sum.Sources {
		res := o.rules.Resources[s.Resource]
		if s.Closer != "" {
			res = o.ownerResource(s.Resource, s.Closer)
		}
		if res == nil {
			continue // a resource these rules do not define
		}
		if s.inField() {
			if acq, ok := o.fieldAcquire(name, sig, invoke, s, res); ok {
				eff.Acquires = append(eff.Acquires, acq)
			}
			continue
		}
		acq := ownership.Acquire{
			Result: s.Result, Out: ownership.NoOperand,
			Borrowed: s.Borrowed, NoLeak: s.NoLeak,
			// Go closers are commonly idempotent (they zero the field,
			// or keep a closed flag): a second Close is no mistake.
			ReleaseAgainOK: s.Closer != "" || res.ReleaseAgainOK,
			ErrGate:        lastIsError(sig),
			Resource:       s.Resource,
			Rule:           o.sourceRef(&Source{Func: name, Origin: s.Origin, Resource: res, Note: s.Note, Out: s.Out}),
		}
		if s.Out.IsParam() {
			acq.Result, acq.Out = ownership.NoResult, operandOf(sig, invoke, s.Out)
		}
		if s.Field != "" {
			// ino, err := getIno(dir): the handle is in field
			// s.Field of the struct the result points to.
			n := -1
			if s.Result >= 0 && int(s.Result) < sig.Results().Len() {
				n = fieldIndex(sig.Results().At(int(s.Result)).Type(), s.Field)
			}
			if n < 0 {
				continue
			}
			acq.Part = ownership.Part{Kind: ownership.Field, N: n}
			o.Source(acq.Rule).Part = "field " + s.Field
		}
		acq.Success = s.Success
		if s.Field == "" && !s.Out.IsParam() {
			acq.NoneIf = s.NoneIf.resultEquals()
		}
		if s.WithErr && acq.ErrGate {
			// Returned live with an error on some path: where the
			// error is not nil, the handle may be held all the same.
			acq.ValidErr = anyErr
		}
		eff.Acquires = append(eff.Acquires, acq)
	}
	for _, p := range sum.Passes {
		pass := ownership.Pass{
			Operand: operandOf(sig, invoke, p.Param), Result: ownership.ResultAt(p.Result),
			Err: ownership.NoResult, ErrOperand: ownership.NoOperand, Holds: p.Holds,
		}
		if p.Err >= 0 {
			pass.Err = ownership.ResultAt(p.Err)
		}
		if p.ErrParam.IsParam() || p.ErrParam == rules.Receiver {
			pass.ErrOperand = operandOf(sig, invoke, p.ErrParam)
		}
		eff.Passes = append(eff.Passes, pass)
	}
	for _, p := range sum.NonNilIfTrue {
		eff.NonNilIfTrue = append(eff.NonNilIfTrue, operandOf(sig, invoke, p))
	}
	for _, p := range sum.NilIfNil {
		eff.NilIfNil = append(eff.NilIfNil, operandOf(sig, invoke, p))
	}
	for _, p := range sum.Params {
		op := operandOf(sig, invoke, p.Param)
		if p.UseOnly {
			eff.Uses = append(eff.Uses, op)
			if p.Changer != "" {
				eff.Changes = append(eff.Changes, ownership.Change{Operand: op, Resource: p.ChangeRes, Rule: o.changerRef(name, p.Changer)})
			}
			continue
		}
		if p.Adopts {
			eff.Adopts = append(eff.Adopts, op)
			continue
		}
		for _, res := range p.Releases {
			eff.Releases = o.addRelease(eff.Releases, op, nil, res, name)
		}
	}
	o.ownerUse(sig, invoke, &eff)
	return eff
}

// dialedType returns the dynamic type of the connection that a dial
// function of package net (pkg) returns for network, the value of its
// network argument, if that is a constant that fixes it (networkConn):
// *net.TCPConn for "tcp". Else nil.
func dialedType(pkg *types.Package, network ssa.Value) types.Type {
	k, ok := network.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String || pkg == nil {
		return nil
	}
	name := networkConn(constant.StringVal(k.Value))
	if name == "" {
		return nil
	}
	tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		return nil
	}
	return types.NewPointer(tn.Type())
}

// addRelease adds resource res to the release of operand op, or of value
// v when it is not nil (a native procedure's argument; op is then
// ownership.ByValue), by function name.
func (o *Oracle) addRelease(rels []ownership.Release, op ownership.Operand, v ssa.Value, res, name string) []ownership.Release {
	for i := range rels {
		if rels[i].Operand == op && rels[i].Value == v {
			rels[i].Resources = append(rels[i].Resources, res)
			return rels
		}
	}
	return append(rels, ownership.Release{Operand: op, Value: v, Resources: []string{res}, Rule: o.releaserRef(name)})
}

var errorType = types.Universe.Lookup("error").Type()

// anyErr is the ValidErr of a summary's source that the function may
// return live with an error: no particular error value is known to be
// one the handle is valid with, but a non-nil error does not rule it out.
func anyErr(ssa.Value) bool { return false }

func lastIsError(sig *types.Signature) bool {
	n := sig.Results().Len()
	return n > 0 && types.Identical(sig.Results().At(n-1).Type(), errorType)
}

// Relevant reports whether the package's code refers to a function that
// can acquire, release or take a handle: one that a rule names so, a
// native procedure's call, or an imported function with a summary; or
// whether it exports a function with a handle-like parameter and calls
// a function that only uses handles (unix.SetNonblock), for the summary
// that says the parameter is only used. Only then is it worth building
// the package's SSA.
//
// A call of a `uses` package that is not a platform package (fmt, log,
// strconv, errors; see platform) is such a use only in a package that
// imports a platform package, whose handle types it may take: otherwise
// every package that exports a function with an integer parameter and
// formats an error would be relevant, most of the standard library, for
// summaries that matter only where a handle is passed to a function that
// does nothing with it but format it. (Within a relevant package, the
// summaries still count those calls as uses.)
//
// An imported summary that only passes a parameter through (Passes, as
// internal/abi.Escape, (time.Duration).Nanoseconds or (*abi.Type).Common
// have) makes no package relevant by itself: it acquires, releases and
// uses nothing, and gives back the handle it was given, so it matters only
// where a handle comes from somewhere else, a rule or a summary that makes
// the package relevant anyway. Without this, reflect, testing and the
// packages that call them would be built for nothing under go vet and
// golangci-lint, which analyze every dependency.
func Relevant(pass *analysis.Pass, rs *rules.Set) bool {
	var sum Summary
	uses, formats := false, false
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		name := fn.Origin().FullName()
		if _, native := procCalls[name]; native || rs.Knows(name)&rules.Handles != 0 {
			return true
		}
		if fn.Pkg() != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn.Origin(), &sum) && sum.Handles() && !sum.passesOnly() {
			return true
		}
		if rs.Knows(name)&rules.KnownUse != 0 {
			uses = true
		} else if path := rules.PkgPath(name); fn.Pkg() != pass.Pkg {
			if _, ok := rs.UsePackages[path]; ok {
				if platform(rs, path) {
					uses = true
				} else {
					formats = true
				}
			}
		}
	}
	if formats && !uses {
		uses = slices.ContainsFunc(pass.Pkg.Imports(), func(p *types.Package) bool { return platform(rs, p.Path()) })
	}
	return uses && exportsHandleParam(pass.Pkg) || passRelevant(pass)
}

// platform reports whether the package with the given path is a `uses`
// package of rs that rules of rs name sources, releasers or adopters of:
// a platform package (x/sys/windows, syscall, x/sys/unix), whose
// functions act on the handles passed to them, as opposed to a package of
// functions that only format or inspect values (fmt, log, log/slog,
// strconv, errors).
func platform(rs *rules.Set, path string) bool {
	_, uses := rs.UsePackages[path]
	return uses && rs.PackageKnows(path)&rules.Handles != 0
}

// exportsHandleParam reports whether pkg has an exported function or
// method with a parameter that could be a handle.
func exportsHandleParam(pkg *types.Package) bool {
	hasParam := func(sig *types.Signature) bool {
		for i := range sig.Params().Len() {
			if handleLike(sig.Params().At(i).Type()) {
				return true
			}
		}
		return false
	}
	return exportsFunc(pkg, hasParam)
}

// exportsFunc reports whether pkg has an exported function, or an
// exported method of an exported named type, whose signature satisfies
// ok.
func exportsFunc(pkg *types.Package, ok func(*types.Signature) bool) bool {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			if obj.Exported() && ok(obj.Type().(*types.Signature)) {
				return true
			}
		case *types.TypeName:
			if named, isNamed := types.Unalias(obj.Type()).(*types.Named); isNamed && obj.Exported() {
				for i := range named.NumMethods() {
					if m := named.Method(i); m.Exported() && ok(m.Type().(*types.Signature)) {
						return true
					}
				}
			}
		}
	}
	return false
}
