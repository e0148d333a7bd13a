package analyzer

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// oracle answers the engine's questions about calls: from the rules, then
// from the summaries of imported packages' functions (facts), then from the
// summaries of this package's functions computed so far. It serves one pass.
type oracle struct {
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
	err         error // the first rule found not to fit its function

	// Types that own a handle: this package's and imported ones (nil for
	// a type found not to be one), this package's closers, and resources
	// made for imported owners.
	owners   map[*types.TypeName]*owner
	closers  map[*ssa.Function]*owner
	ownerRes map[string]*rules.Resource

	globals   map[*ssa.Global]ssa.Value // what the package initializer stores
	goosDone  bool
	goosValue string
}

// sourceInfo is an Acquire's Rule: where a handle comes from, for messages.
type sourceInfo struct {
	name     string // the function called, full name
	origin   string // the API the handle comes from (name itself for a rule)
	resource *rules.Resource
	note     string
	out      int    // the pointer parameter written (receiver not counted), or -1
	part     string // the part of the result or out that is the handle: "field Thread", "element 1"
}

// releaserInfo is a Release's Rule.
type releaserInfo struct {
	name string // the function called, full name
}

func newOracle(rs *rules.Set, pass *analysis.Pass) *oracle {
	return &oracle{
		rules: rs, pass: pass,
		effects:      make(map[*types.Func]ownership.Effects),
		local:        make(map[*ssa.Function]*Summary),
		localEffects: make(map[*ssa.Function]ownership.Effects),
		callEffects:  make(map[*ssa.CallCommon]ownership.Effects),
		owners:       make(map[*types.TypeName]*owner),
		closers:      make(map[*ssa.Function]*owner),
		ownerRes:     make(map[string]*rules.Resource),
	}
}

// setLocal records the summary of a function of this package.
func (o *oracle) setLocal(fn *ssa.Function, sum *Summary) {
	o.local[fn] = sum
	delete(o.localEffects, fn)
}

// Effects implements ownership.Oracle.
func (o *oracle) Effects(c *ssa.CallCommon) ownership.Effects {
	obj := callee(c)
	if obj == nil {
		if b, ok := c.Value.(*ssa.Builtin); ok {
			return ownership.Effects{UseOnly: b.Name() != "append"}
		}
		if fn := c.StaticCallee(); fn != nil {
			return o.fromLocal(fn) // a function literal
		}
		return ownership.Effects{} // a function value: unknown
	}
	if eff, ok := o.effects[obj]; ok {
		return eff
	}
	if eff, ok := o.callEffects[c]; ok {
		return eff
	}
	name := obj.FullName()
	if how, ok := procCalls[name]; ok && (!how.trap || len(c.Args) > 0 && addrOf(c.Args[0]) != nil) {
		// A procedure's call; syscall.Syscall(SYS_IOCTL, ...) on Unix is
		// a system call, which the rules for syscall describe.
		eff := o.nativeEffects(c, how)
		o.callEffects[c] = eff
		return eff
	}
	if o.hasRule(name) || obj.Pkg() != o.pass.Pkg {
		eff, perCall := o.compute(obj, c)
		if perCall {
			o.callEffects[c] = eff
		} else {
			o.effects[obj] = eff
		}
		return eff
	}
	if fn := c.StaticCallee(); fn != nil {
		return o.fromLocal(fn)
	}
	return ownership.Effects{}
}

func (o *oracle) hasRule(name string) bool {
	_, src := o.rules.Sources[name]
	_, ad := o.rules.Adopters[name]
	_, use := o.rules.UseFuncs[name]
	_, nr := o.rules.NoReturn[name]
	return src || ad || use || nr || len(o.rules.Releasers[name]) > 0
}

// fromLocal returns the effects of a function of this package.
func (o *oracle) fromLocal(fn *ssa.Function) ownership.Effects {
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
	o.localEffects[fn] = eff
	return eff
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

// operandOf maps a rule-style parameter index (or rules.Receiver) of a
// function with signature sig to an ownership.Operand.
func operandOf(sig *types.Signature, invoke bool, i int) ownership.Operand {
	switch {
	case i == rules.Receiver && invoke:
		return ownership.Recv
	case i == rules.Receiver:
		return 0
	case sig.Recv() != nil && !invoke:
		return i + 1
	}
	return i
}

// compute derives the effects of a function of another package, or of one
// that a rule names, at call c: from the rules, else from its summary fact.
// perCall says the effects depend on c (a rule has conditions on its
// arguments).
func (o *oracle) compute(fn *types.Func, c *ssa.CallCommon) (eff ownership.Effects, perCall bool) {
	name := fn.FullName()
	sig := fn.Type().(*types.Signature)
	invoke := c.IsInvoke()
	param := func(i int) ownership.Operand { return operandOf(sig, invoke, i) }
	at := condArgs{pkg: fn.Pkg(), arg: func(i int) ssa.Value {
		if i < 0 || i >= sig.Params().Len() {
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
		if !o.check(src.Check(sig)) || decide(src.Cond) != holds {
			continue
		}
		acq := ownership.Acquire{
			Result: src.Result, Out: -1,
			Borrowed: src.Borrowed,
			ErrGate:  !src.NoErrorGate && lastIsError(sig),
			NoLeak:   src.Resource.NoLeak,
			Resource: src.Resource.Name,
		}
		info := &sourceInfo{name: name, origin: name, resource: src.Resource, note: src.Note, out: src.Out}
		if src.Out >= 0 {
			acq.Result, acq.Out = -1, param(src.Out)
		}
		if src.Out >= 0 && len(o.rules.Sources[name]) > 1 {
			info.part = sig.Params().At(src.Out).Name() // CreatePipe's readhandle or writehandle
		}
		if src.Field != "" {
			acq.Part = ownership.Part{Kind: ownership.Field, N: fieldIndex(sig.Params().At(src.Out).Type(), src.Field)}
			info.part = "field " + src.Field
		}
		if src.Index >= 0 {
			acq.Part = ownership.Part{Kind: ownership.Elem, N: src.Index}
			info.part = fmt.Sprintf("element %d", src.Index)
		}
		if len(src.ValidErrs) > 0 && acq.ErrGate {
			acq.ValidErr = o.validErr(src.ValidErrs, fn.Pkg())
		}
		acq.Rule = info
		eff.Acquires = append(eff.Acquires, acq)
	}
	for _, rel := range o.rules.Releasers[name] {
		if !o.check(rel.Check(sig)) {
			continue
		}
		switch decide(rel.Cond) {
		case holds:
			eff.Releases = addRelease(eff.Releases, param(rel.Arg), nil, rel.Resource.Name, name)
		case unknown:
			// DuplicateHandle with options not known here may close its
			// source: the handle counts as handed on.
			eff.Adopts = append(eff.Adopts, param(rel.Arg))
		}
	}
	if ad, ok := o.rules.Adopters[name]; ok && o.check(ad.Check(sig)) {
		eff.Adopts = append(eff.Adopts, param(ad.Arg))
	}
	if errorTests[name] {
		eff.NonNilIfTrue = []ownership.Operand{0}
	}
	_, eff.NoReturn = o.rules.NoReturn[name]
	_, eff.UseOnly = o.rules.UseFuncs[name]
	if fn.Pkg() != nil {
		if _, ok := o.rules.UsePackages[fn.Pkg().Path()]; ok {
			eff.UseOnly = true
		}
	}
	if !o.hasRule(name) && fn.Pkg() != nil && fn.Pkg() != o.pass.Pkg {
		var sum Summary
		if o.pass.ImportObjectFact(fn, &sum) {
			fact := o.fromSummary(name, sig, invoke, &sum)
			fact.UseOnly = eff.UseOnly
			return fact, false
		}
	}
	if fn.Pkg() != o.pass.Pkg {
		o.ownerUse(sig, invoke, &eff)
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
func (o *oracle) fromSummary(name string, sig *types.Signature, invoke bool, sum *Summary) ownership.Effects {
	var eff ownership.Effects
	if sum.Closes != "" {
		eff.Releases = addRelease(eff.Releases, operandOf(sig, invoke, rules.Receiver), nil, sum.Closes, name)
	}
	for _, s := range sum.Sources {
		res := o.rules.Resources[s.Resource]
		if s.Closer != "" {
			res = o.ownerResource(s.Resource, s.Closer)
		}
		if res == nil {
			continue // a resource these rules do not define
		}
		acq := ownership.Acquire{
			Result: s.Result, Out: -1,
			Borrowed: s.Borrowed, NoLeak: s.NoLeak,
			// Go closers are commonly idempotent (they zero the field,
			// or keep a closed flag): a second Close is no mistake.
			ReleaseAgainOK: s.Closer != "",
			ErrGate:        lastIsError(sig),
			Resource:       s.Resource,
			Rule:           &sourceInfo{name: name, origin: s.Origin, resource: res, note: s.Note, out: s.Out},
		}
		if s.Out >= 0 {
			acq.Result, acq.Out = -1, operandOf(sig, invoke, s.Out)
		}
		eff.Acquires = append(eff.Acquires, acq)
	}
	for _, p := range sum.Params {
		op := operandOf(sig, invoke, p.Param)
		if p.UseOnly {
			eff.Uses = append(eff.Uses, op)
			continue
		}
		for _, res := range p.Releases {
			eff.Releases = addRelease(eff.Releases, op, nil, res, name)
		}
	}
	o.ownerUse(sig, invoke, &eff)
	return eff
}

// addRelease adds resource res to the release of operand op, or of value
// v when it is not nil (a native procedure's argument).
func addRelease(rels []ownership.Release, op ownership.Operand, v ssa.Value, res, name string) []ownership.Release {
	for i := range rels {
		if rels[i].Operand == op && rels[i].Value == v {
			rels[i].Resources = append(rels[i].Resources, res)
			return rels
		}
	}
	return append(rels, ownership.Release{Operand: op, Value: v, Resources: []string{res}, Rule: &releaserInfo{name: name}})
}

// check records the first error of a rule that does not fit its function.
func (o *oracle) check(err error) bool {
	if err != nil && o.err == nil {
		o.err = err
	}
	return err == nil
}

// errorTests are functions that return true only for a non-nil error
// (their first argument); a handle whose acquiring call's error passes one
// is not valid on that branch.
var errorTests = map[string]bool{
	"errors.Is":                true,
	"errors.As":                true,
	"github.com/pkg/errors.Is": true,
	"github.com/pkg/errors.As": true,
	"golang.org/x/xerrors.Is":  true,
	"golang.org/x/xerrors.As":  true,
}

var errorType = types.Universe.Lookup("error").Type()

func lastIsError(sig *types.Signature) bool {
	n := sig.Results().Len()
	return n > 0 && types.Identical(sig.Results().At(n-1).Type(), errorType)
}
