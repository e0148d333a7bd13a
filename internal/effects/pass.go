package effects

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// This file finds the pass-through helpers (issue 18, pattern 5): a
// function that returns a parameter as it is, and keeps it no other way,
// such as
//
//	func must[T any](v T, err error) T {
//		if err != nil {
//			panic(err)
//		}
//		return v
//	}
//
// A handle passed there stays the caller's, and comes back as the result:
// f := must(os.Open(p)) is the File of os.Open, which the caller must
// close. Without this, passing it to must would hand it on.
//
// Parameter i passes to result r when
//   - every return gives, as result r, the parameter (converted at most),
//     or the one result of a call that passes the parameter through
//     (samber/lo's Must1 returns Must(val, err, messageArgs...)), or a
//     constant (nil, an invalid handle), and the parameter at least once;
//   - the function keeps it no other way: a parameter that may hold a Go
//     handle is followed by retains (no escape, returned in r only); any
//     other (an integer handle, an error) may only be compared,
//     converted, returned as r, or passed to calls that only use it;
//   - when the function has an error result (other than r), every return
//     that gives the parameter gives a nil error there, or the error
//     parameter as it is (func check(f *os.File, err error) (*os.File,
//     error) { return f, err }): where the error result is not nil, the
//     handle result is a constant, or the error of the call that made the
//     handle is not nil.

// SummaryPass: the function returns parameter Param as its result Result,
// and keeps it no other way (see pass.go).
type SummaryPass struct {
	Param  rules.Param
	Result int
	// Err, when not -1, is the function's error result: not nil only
	// where Result is a constant or, when ErrParam is not
	// rules.NoParam, where that error parameter is not nil.
	Err      int
	ErrParam rules.Param
	// Holds: the result is not the parameter but a reader or writer
	// that holds it and only reads or writes through it (func
	// wrap(f *os.File) *bufio.Reader { return bufio.NewReader(f) }; see
	// holdingPasses): the handle stays the caller's.
	Holds bool
}

// passes returns the pass-through parameters of fn, a function of this
// package.
func (o *Oracle) passes(fn *ssa.Function) []SummaryPass {
	if fn.Blocks == nil || fn.Recover != nil || fn.Signature.Results().Len() == 0 ||
		strings.HasPrefix(fn.Name(), "_Cgo_") || strings.HasPrefix(fn.Name(), "_cgo") {
		return nil // cgo's own helpers (_Cgo_ptr returns its argument) say nothing of handles
	}
	var rets []*ssa.Return
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, ret)
		}
	}
	if len(rets) == 0 {
		return nil
	}
	ruleIndex := func(i int) rules.Param {
		if fn.Signature.Recv() != nil {
			return rules.ParamAt(i - 1)
		}
		return rules.ParamAt(i)
	}
	errRes := -1
	if lastIsError(fn.Signature) {
		errRes = fn.Signature.Results().Len() - 1
	}
	var out []SummaryPass
	for i, p := range fn.Params {
		r := o.passedAs(rets, p)
		if r < 0 || !o.onlyPassed(fn, i, r) {
			continue
		}
		sp := SummaryPass{Param: ruleIndex(i), Result: r, Err: -1, ErrParam: rules.NoParam}
		if errRes >= 0 && errRes != r {
			errParam := -1
			ok := true
			for _, ret := range rets {
				if o.passedOn(ret.Results[r], p) {
					ok = false // through a call, whose error is not followed
					break
				}
				if ownership.Unconvert(ret.Results[r]) != p {
					continue // a constant
				}
				ev := ret.Results[errRes]
				if k, isConst := ev.(*ssa.Const); isConst && k.IsNil() {
					continue
				}
				q, isParam := ev.(*ssa.Parameter)
				k := paramIndex(fn, q)
				if !isParam || k < 0 || errParam >= 0 && errParam != k {
					ok = false
					break
				}
				errParam = k
			}
			if !ok {
				continue
			}
			sp.Err = errRes
			if errParam >= 0 {
				sp.ErrParam = ruleIndex(errParam)
			}
		}
		out = append(out, sp)
	}
	return append(out, o.holdingPasses(fn, out, ruleIndex)...)
}

// holdingPasses returns the parameters of fn, Go handles (an *os.File),
// that fn returns held by a reader or writer and keeps no other way,
// never releasing them: every result that may hold the parameter is one
// result, of a holder type whose methods only read or write through it
// (*bufio.Reader, *io.LimitedReader...: holderTypes) or of an interface
// of io's reading and writing methods only (io.Reader). A helper such as
//
//	func wrapParam(f *os.File) *bufio.Reader { return bufio.NewReader(f) }
//
// then leaves f the caller's, as bufio.NewReader itself does, and its
// result carries f: wrapParam(f).ReadString('\n') uses f. Plain passes
// (in) are not repeated.
func (o *Oracle) holdingPasses(fn *ssa.Function, in []SummaryPass, ruleIndex func(int) rules.Param) []SummaryPass {
	var out []SummaryPass
	for i, p := range fn.Params {
		if !o.goHandleParam(p.Type()) || slices.ContainsFunc(in, func(sp SummaryPass) bool { return sp.Param == ruleIndex(i) }) {
			continue
		}
		r := o.retains(fn, i)
		if r.escapes || len(r.results) == 0 || slices.ContainsFunc(r.results, func(k int) bool { return k != r.results[0] }) {
			continue
		}
		if !holderResult(fn.Signature.Results().At(r.results[0]).Type()) {
			continue
		}
		out = append(out, SummaryPass{Param: ruleIndex(i), Result: r.results[0], Err: -1, ErrParam: rules.NoParam, Holds: true})
	}
	return out
}

// holderResult reports whether a result of type t that holds a handle
// only reads or writes through it: a pointer to one of holderTypes, or a
// non-empty interface of ioMethods only (io.Reader, io.ReadSeeker).
func holderResult(t types.Type) bool {
	if it, ok := t.Underlying().(*types.Interface); ok {
		if it.NumMethods() == 0 {
			return false
		}
		for m := range it.Methods() {
			if !ioMethods[m.Name()] || m.Name() == "Stat" {
				return false
			}
		}
		return true
	}
	if _, ok := t.Underlying().(*types.Pointer); !ok {
		return false
	}
	tn := structType(t)
	return tn != nil && holderTypes[fullTypeName(tn)]
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

// passedAs returns the one result that every return gives as p, as the
// result of a call that passes p through, or as a constant, p at least
// once; else -1.
func (o *Oracle) passedAs(rets []*ssa.Return, p *ssa.Parameter) int {
	found := -1
	for r := range rets[0].Results {
		some := false
		all := true
		for _, ret := range rets {
			switch v := ownership.Unconvert(ret.Results[r]); {
			case v == p, o.passedOn(v, p):
				some = true
			case isConst(v):
			default:
				all = false
			}
		}
		if some && all {
			if found >= 0 {
				return -1 // returned in two results
			}
			found = r
		}
	}
	return found
}

// passedOn reports whether v is the one result of a call that passes p,
// given as it is (converted at most), through to it: a plain pass, not a
// holder's.
func (o *Oracle) passedOn(v ssa.Value, p *ssa.Parameter) bool {
	c, ok := ownership.Unconvert(v).(*ssa.Call)
	if !ok || c.Call.Signature().Results().Len() != 1 {
		return false
	}
	for _, ps := range o.Effects(&c.Call).Passes {
		if ps.Holds || !ps.Operand.IsArg() || ps.Result != ownership.ResultAt(0) {
			continue
		}
		if k := int(ps.Operand); k < len(c.Call.Args) && ownership.Unconvert(c.Call.Args[k]) == p {
			return true
		}
	}
	return false
}

func isConst(v ssa.Value) bool {
	_, ok := v.(*ssa.Const)
	return ok
}

// onlyPassed reports whether fn keeps its parameter i no other way than
// by returning it as result r.
func (o *Oracle) onlyPassed(fn *ssa.Function, i, r int) bool {
	p := fn.Params[i]
	if canHold(p.Type()) {
		ret := o.retains(fn, i)
		if ret.escapes {
			return false
		}
		for _, k := range ret.results {
			if k != r {
				return false
			}
		}
		return true
	}
	return o.onlyUsedValue(p, r, 0)
}

// onlyUsedValue reports whether v, a value that holds no Go handle (an
// integer handle, an error), is only compared, converted, returned as
// result r, or passed to calls that only use it.
func (o *Oracle) onlyUsedValue(v ssa.Value, r, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > 8 {
		return refs == nil
	}
	for _, instr := range *refs {
		switch x := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
			switch x.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			default:
				return false
			}
		case *ssa.ChangeType, *ssa.Convert:
			if !o.onlyUsedValue(x.(ssa.Value), r, depth+1) {
				return false
			}
		case *ssa.Return:
			for k, res := range x.Results {
				if res == v && k != r {
					return false
				}
			}
		case *ssa.Call:
			if !o.onlyUsedBy(&x.Call, v) {
				return false
			}
		case *ssa.Panic:
		default:
			return false
		}
	}
	return true
}

// onlyUsedBy reports whether call c only uses v, wherever v is among its
// operands.
func (o *Oracle) onlyUsedBy(c *ssa.CallCommon, v ssa.Value) bool {
	if c.Value == v {
		return false
	}
	eff := o.Effects(c)
	for k, a := range c.Args {
		if a != v {
			continue
		}
		op := ownership.Arg(k)
		if kept(eff, op) {
			return false
		}
		if !eff.UseOnly && !containsOp(eff.Uses, op) {
			return false
		}
	}
	return true
}

func containsOp(ops []ownership.Operand, op ownership.Operand) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// exportsPassCandidate reports whether pkg exports a function or method
// that could pass a handle through: one of its parameters has the type
// of one of its results, and that type is a type parameter, a pointer to
// a named type of another package (*os.File), or a named integer type of
// another package (windows.Handle). Such a package is worth analyzing
// for the pass-through summaries alone (Relevant).
func exportsPassCandidate(pkg *types.Package) bool {
	candidate := func(sig *types.Signature) bool {
		for i := range sig.Params().Len() {
			t := sig.Params().At(i).Type()
			if !passType(pkg, t) {
				continue
			}
			for j := range sig.Results().Len() {
				if types.Identical(t, sig.Results().At(j).Type()) {
					return true
				}
			}
		}
		return false
	}
	return exportsFunc(pkg, candidate)
}

// passType reports whether a parameter of type t, declared in pkg, could
// be a handle passed through (exportsPassCandidate).
func passType(pkg *types.Package, t types.Type) bool {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		return mayBeHandle(tp.Constraint(), 0)
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	} else if !handleLike(t) {
		return false
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg() != pkg
}

// mayBeHandle reports whether a type parameter constrained by c may be
// instantiated with a handle: an integer or a pointer type, or an
// interface. A constraint whose every term is of another kind (~[]E,
// ~map[K]V, ~string: slices.Clip, maps.Clone) cannot.
func mayBeHandle(c types.Type, depth int) bool {
	iface, ok := c.Underlying().(*types.Interface)
	if !ok {
		return handleTerm(c)
	}
	if depth > 8 || iface.NumEmbeddeds() == 0 {
		return true // methods only, any, comparable
	}
	for i := range iface.NumEmbeddeds() {
		var ok bool
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			for j := range e.Len() {
				ok = ok || handleTerm(e.Term(j).Type())
			}
		default:
			ok = mayBeHandle(e, depth+1)
		}
		if !ok {
			return false // the type set is within this term's
		}
	}
	return true
}

// handleTerm reports whether a term of a constraint may be a handle's type.
func handleTerm(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsInteger != 0
	case *types.Pointer:
		return true
	case *types.Interface:
		return mayBeHandle(u, 1)
	}
	_, isParam := t.(*types.TypeParam)
	return isParam
}

// passRelevant is the part of Relevant for pass-through helpers.
func passRelevant(pass *analysis.Pass) bool { return exportsPassCandidate(pass.Pkg) }
