package effects

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// This file decides whether a function keeps a Go handle passed to it: an
// *os.File (or another pointer type that a release rule closes through a
// method), or a non-empty interface such a type implements (an io.Reader
// the caller fills with a File). A function that keeps no copy of it and
// never releases it only uses it: the caller still owns it. The engine's
// own parameter tracking (ownership.SummarizeParam) answers this for
// integer handles; for these parameters the question is one of escape,
// answered by following the values that may hold the parameter (its
// carriers) through the function's SSA, conservatively: any use not
// listed below keeps it.
//
// A carrier only uses the parameter when it is
//   - copied, converted to another interface or pointer type, asserted,
//     indexed, sliced, loaded from or compared;
//   - stored into a variable or struct the function allocated (which
//     becomes a carrier) or into a carrier's memory;
//   - passed to a call that only uses that operand (a uses rule, a
//     summary, a builtin such as len), to a function of this package that
//     keeps no copy of it (this analysis, recursively), or as receiver to
//     a method of io's reader and writer interfaces (Read, Write, Seek...);
//   - passed to a function of this package that returns it (newReader(r)
//     returning &reader{s: bufio.NewScanner(r)}), or to a constructor of
//     holderCtors (bufio's, io.LimitReader, io.NewSectionReader), whose
//     result holds it and whose methods only read or write through it:
//     the result is a carrier then;
//   - returned, by a function this package calls (its caller decides).
//
// Values of a type that cannot hold a pointer (numbers, strings, byte
// slices, structs of those) are no carriers, and neither are values of
// type error: an error describes a failure, it does not own the File.

// holderCtors are the constructors whose result holds argument 0, an
// io.Reader or io.Writer, and only reads, writes or seeks through it,
// never closing it or handing it elsewhere: those of bufio (Go bufio:
// "NewReader returns a new Reader whose buffer has the default size";
// Scanner "provides a convenient interface for reading data"),
// io.LimitReader (its *LimitedReader's Read reads through R) and
// io.NewSectionReader (a *SectionReader's Read, ReadAt and Seek call
// ReadAt on r). The caller keeps the handle (holderEffects).
var holderCtors = map[string]bool{
	"bufio.NewReader":     true,
	"bufio.NewReaderSize": true,
	"bufio.NewWriter":     true,
	"bufio.NewWriterSize": true,
	"bufio.NewScanner":    true,
	"io.LimitReader":      true,
	"io.NewSectionReader": true,
}

// holderTypes are the types of those results whose methods only use the
// receiver ((*io.SectionReader).Outer, which returns the argument, is
// none of them: a call of it hands the handle on).
var holderTypes = map[string]bool{
	"bufio.Reader":     true,
	"bufio.Writer":     true,
	"bufio.Scanner":    true,
	"io.LimitedReader": true,
	"io.SectionReader": true,
}

// holderEffects returns the effects of a call of a holder constructor
// (its result holds argument 0: a Pass that Holds) or of a method of a
// holder type (it uses its receiver), for a static call of fn.
func holderEffects(fn *types.Func) (ownership.Effects, bool) {
	name := fn.Origin().FullName()
	if holderCtors[name] {
		return ownership.Effects{Passes: []ownership.Pass{{
			Operand: ownership.Arg(0), Result: ownership.ResultAt(0),
			Err: ownership.NoResult, ErrOperand: ownership.NoOperand, Holds: true,
		}}}, true
	}
	if holderMethod(fn) {
		return ownership.Effects{Uses: []ownership.Operand{ownership.Arg(0)}}, true
	}
	return ownership.Effects{}, false
}

// holderMethod reports whether fn is a method of one of holderTypes that
// only uses its receiver: any but (*io.SectionReader).Outer, which
// returns the reader the holder holds.
func holderMethod(fn *types.Func) bool {
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil || fn.Origin().FullName() == "(*io.SectionReader).Outer" {
		return false
	}
	tn := structType(recv.Type())
	return tn != nil && holderTypes[fullTypeName(tn)]
}

// ioMethods are the methods of io's interfaces that read, write or seek
// through their receiver (io.Reader, io.Writer, io.ReaderAt, io.WriterAt,
// io.Seeker, io.ByteReader and kin, io.StringWriter) and fs.File's Stat:
// called through an interface, they act on the object and keep nothing.
var ioMethods = map[string]bool{
	"Read": true, "Write": true, "ReadAt": true, "WriteAt": true, "Seek": true,
	"ReadByte": true, "UnreadByte": true, "ReadRune": true, "UnreadRune": true,
	"WriteByte": true, "WriteRune": true, "WriteString": true, "Stat": true,
}

// retention is what a function does with one parameter: keeps it
// (escapes), or at most returns it in some results.
type retention struct {
	escapes bool
	results []int // the results that may hold it
}

type retainKey struct {
	fn *ssa.Function
	i  int
}

// goHandleTypes returns the pointer types that a release rule closes
// through a method ((*os.File).Close: *os.File), among the packages that
// this package imports, directly or not.
func (o *Oracle) goHandleTypes() []types.Type {
	if o.handleTypes != nil {
		return *o.handleTypes
	}
	pkgs := make(map[string]*types.Package)
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if _, ok := pkgs[p.Path()]; ok {
			return
		}
		pkgs[p.Path()] = p
		for _, q := range p.Imports() {
			visit(q)
		}
	}
	visit(o.pass.Pkg)
	var ts []types.Type
	for name := range o.rules.Releasers {
		// "(*os.File).Close"
		if !strings.HasPrefix(name, "(*") {
			continue
		}
		end := strings.Index(name, ").")
		if end < 0 {
			continue
		}
		full := name[2:end]
		dot := strings.LastIndex(full, ".")
		if dot < 0 {
			continue
		}
		p := pkgs[full[:dot]]
		if p == nil {
			continue
		}
		tn, ok := p.Scope().Lookup(full[dot+1:]).(*types.TypeName)
		if !ok {
			continue
		}
		t := types.NewPointer(tn.Type())
		if !containsType(ts, t) {
			ts = append(ts, t)
		}
	}
	o.handleTypes = &ts
	return ts
}

func containsType(ts []types.Type, t types.Type) bool {
	for _, u := range ts {
		if types.Identical(t, u) {
			return true
		}
	}
	return false
}

// goHandleParam reports whether a parameter of type t may be a Go handle
// (one of goHandleTypes, or a non-empty interface one of them implements).
func (o *Oracle) goHandleParam(t types.Type) bool {
	hts := o.goHandleTypes()
	if containsType(hts, t) {
		return true
	}
	it, ok := t.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return false
	}
	for _, h := range hts {
		if types.Implements(h, it) {
			return true
		}
	}
	return false
}

// retains computes what fn, a function of this package, does with its
// parameter i. A function still being computed (recursion) keeps it.
func (o *Oracle) retains(fn *ssa.Function, i int) retention {
	key := retainKey{fn, i}
	if r, ok := o.retained[key]; ok {
		return r
	}
	o.retained[key] = retention{escapes: true}
	r := o.computeRetention(fn, i)
	o.retained[key] = r
	return r
}

func (o *Oracle) computeRetention(fn *ssa.Function, i int) retention {
	if fn.Blocks == nil || i >= len(fn.Params) || fn.Recover != nil {
		return retention{escapes: true}
	}
	var res retention
	carriers := make(map[ssa.Value]bool)
	var work []ssa.Value
	add := func(v ssa.Value) {
		if v != nil && !carriers[v] && canHold(v.Type()) {
			carriers[v] = true
			work = append(work, v)
		}
	}
	add(fn.Params[i])
	for len(work) > 0 && !res.escapes {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			if !o.retainStep(v, instr, carriers, add, &res) {
				res.escapes = true
				break
			}
		}
	}
	if res.escapes {
		return retention{escapes: true}
	}
	return res
}

// retainStep follows one use of carrier v by instr; it returns false if
// the use may keep it.
func (o *Oracle) retainStep(v ssa.Value, instr ssa.Instruction, carriers map[ssa.Value]bool, add func(ssa.Value), res *retention) bool {
	switch x := instr.(type) {
	case *ssa.DebugRef, *ssa.If, *ssa.BinOp:
		return true
	case *ssa.ChangeType, *ssa.ChangeInterface, *ssa.MakeInterface, *ssa.TypeAssert,
		*ssa.Phi, *ssa.Slice, *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Field, *ssa.Index,
		*ssa.Extract, *ssa.Lookup, *ssa.Range, *ssa.Next, *ssa.SliceToArrayPointer:
		add(x.(ssa.Value))
		return true
	case *ssa.UnOp:
		switch x.Op.String() {
		case "*":
			add(x)
			return true
		case "<-":
			return false
		}
		return true
	case *ssa.Store:
		if x.Val != v {
			return true // a store into a carrier's memory
		}
		if carriers[x.Addr] {
			return true
		}
		if a, ok := rootAlloc(x.Addr); ok {
			add(a)
			return true
		}
		return false
	case *ssa.Return:
		for k, r := range x.Results {
			if r == v {
				res.results = append(res.results, k)
			}
		}
		return true
	case *ssa.Call:
		return o.retainCall(v, x, add)
	}
	return false
}

// retainCall follows carrier v passed to call c.
func (o *Oracle) retainCall(v ssa.Value, c *ssa.Call, add func(ssa.Value)) bool {
	com := c.Common()
	if com.IsInvoke() {
		if com.Value != v || !ioMethods[com.Method.Name()] {
			return false
		}
		for _, a := range com.Args {
			if a == v {
				return false
			}
		}
		return true
	}
	if b, ok := com.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap", "print", "println", "delete":
			return true
		case "append":
			add(c)
			return true
		}
		return false
	}
	callee := com.StaticCallee()
	if callee == nil || len(callee.FreeVars) > 0 {
		return false // a function value, or a closure
	}
	var ops []int
	for k, a := range com.Args {
		if a == v {
			ops = append(ops, k)
		}
	}
	if obj, ok := callee.Object().(*types.Func); ok {
		name := obj.Origin().FullName()
		if holderCtors[name] {
			if len(ops) != 1 || ops[0] != 0 {
				return false
			}
			add(c)
			return true
		}
		if holderMethod(obj) {
			return len(ops) == 1 && ops[0] == 0
		}
	}
	eff := o.Effects(com)
	if len(eff.Releases) > 0 || len(eff.Adopts) > 0 || len(eff.Acquires) > 0 {
		for _, k := range ops {
			if ownership.OperandValue(com, ownership.Arg(k)) == v && kept(eff, ownership.Arg(k)) {
				return false
			}
		}
	}
	if eff.UseOnly {
		return true
	}
	// An instance (must[T] called in a generic body) has no package; its
	// origin has, and stands for it.
	callee = Declared(callee)
	local := callee.Pkg != nil && callee.Pkg.Pkg == o.pass.Pkg && callee.Blocks != nil
	for _, k := range ops {
		if slices.Contains(eff.Uses, ownership.Arg(k)) {
			continue
		}
		if !local {
			return false
		}
		r := o.retains(callee, k)
		if r.escapes {
			return false
		}
		for _, ri := range r.results {
			if callee.Signature.Results().Len() == 1 {
				add(c)
				continue
			}
			if refs := c.Referrers(); refs != nil {
				for _, u := range *refs {
					if ex, ok := u.(*ssa.Extract); ok && ex.Index == ri {
						add(ex)
					}
				}
			}
		}
	}
	return true
}

// kept reports whether eff releases, adopts or writes an acquisition
// through operand op.
func kept(eff ownership.Effects, op ownership.Operand) bool {
	for _, r := range eff.Releases {
		if r.Operand == op {
			return true
		}
	}
	for _, a := range eff.Acquires {
		if a.Out == op {
			return true
		}
	}
	return slices.Contains(eff.Adopts, op)
}

// rootAlloc returns the local variable or new struct that addr is an
// address into (&x, &x.f, &x[i], following fields and array elements).
func rootAlloc(addr ssa.Value) (*ssa.Alloc, bool) {
	for {
		switch a := addr.(type) {
		case *ssa.Alloc:
			return a, true
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			if _, ok := a.X.Type().Underlying().(*types.Pointer); !ok {
				return nil, false // an element of a slice: its array is elsewhere
			}
			addr = a.X
		default:
			return nil, false
		}
	}
}

// canHold reports whether a value of type t may hold a pointer to a Go
// handle: not a number, string, byte slice, error, or a struct or array
// of those.
func canHold(t types.Type) bool {
	return canHoldDepth(t, 0)
}

func canHoldDepth(t types.Type, depth int) bool {
	if depth > 8 {
		return true
	}
	if types.Identical(t, errorType) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Slice:
		return canHoldDepth(u.Elem(), depth+1)
	case *types.Array:
		return canHoldDepth(u.Elem(), depth+1)
	case *types.Pointer:
		// A pointer to a named type may be the handle itself (*os.File).
		if _, named := types.Unalias(u.Elem()).(*types.Named); named {
			return true
		}
		return canHoldDepth(u.Elem(), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			if canHoldDepth(u.Field(i).Type(), depth+1) {
				return true
			}
		}
		return false
	case *types.Tuple:
		for i := range u.Len() {
			if canHoldDepth(u.At(i).Type(), depth+1) {
				return true
			}
		}
		return false
	}
	return true
}
