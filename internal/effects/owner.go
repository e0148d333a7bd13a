package effects

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// An owner is a type that owns a handle: a struct with a handle field
// that one of its methods (the closer, Close) releases. The type is a
// resource of its own, named by its full name; the closer is its
// releaser, and a function that returns a new value of it holding an owned
// handle is its source.
type owner struct {
	name     string // the type's full name
	field    int    // the handle's field; -1 for an imported owner
	closer   *types.Func
	closerFn *ssa.Function // the closer, for an owner of this package
}

// maxOwnerRounds bounds how many times FindOwners looks again: a closer
// that releases through another method or helper is found once that one
// is.
const maxOwnerRounds = 4

// FindOwners finds the owner types this package declares, among funcs.
// A function releases a type's handle when it releases the field on some
// path and keeps it on none (on every path, or on some if its name says
// it closes: only when a closed flag is not set):
// a method of the type, or a function whose first parameter points to it
// (a helper: closeFile(f)), directly or through another such function
// (Close calling f.closeHandle()). Each one is a releaser of the type
// (Closes); the closer named in messages is the method named Close if
// there is one, else another method, else a helper.
//
// It reports whether it found any releaser it had not found before. Run
// again once the package's functions have summaries, it finds closers
// that release through a helper known only by its summary (one that only
// uses the handle: cancelIoEx(f.handle, nil)); the summaries are then
// computed again.
func (o *Oracle) FindOwners(funcs []*ssa.Function) bool {
	if o.goOnly == nil {
		o.goOnly = goroutines(funcs)
	}
	before := len(o.closers)
	for range maxOwnerRounds {
		changed := false
		for _, fn := range funcs {
			if o.closers[fn] == nil && o.findCloser(fn) {
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	o.dropShared(funcs)
	found := len(o.closers) != before
	// What calls do was looked up without summaries, or before a type
	// was an owner (whose other methods only use their receiver): look
	// again from here on.
	clear(o.localEffects)
	clear(o.callEffects)
	clear(o.fieldUses)
	return found
}

// findCloser makes fn a releaser of the owner type its receiver or first
// parameter points to, if it is one, and reports whether it did.
func (o *Oracle) findCloser(fn *ssa.Function) bool {
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	tn := o.ownerCandidate(fn)
	if tn == nil || tn.Pkg() != o.pass.Pkg || !o.callsReleaser(fn) {
		return false
	}
	st := tn.Type().Underlying().(*types.Struct)
	own := o.owners[tn]
	for i := range st.NumFields() {
		if !o.handleField(st.Field(i).Type()) || own != nil && own.field != i {
			continue
		}
		if storesNew(fn, i) {
			continue // rotateFile: it replaces the handle it releases
		}
		use := ownership.SummarizeField(fn, 0, i, o)
		if len(use.Releases) == 0 && !(use.UseOnly && use.SomePaths && closerName(fn.Name())) {
			continue
		}
		if own == nil {
			own = &owner{name: fullTypeName(tn), field: i, closer: obj, closerFn: fn}
			o.owners[tn] = own
		} else if closerRank(obj) < closerRank(own.closer) {
			own.closer, own.closerFn = obj, fn
		}
		o.closers[fn] = own
		delete(o.localEffects, fn)
		return true
	}
	return false
}

// ownerCandidate returns the struct type that fn takes by pointer as its
// first parameter, when fn may be a releaser of it (a closer) or a
// function that shares its fields: not a function literal, not generic,
// not run only as a goroutine. Else nil.
func (o *Oracle) ownerCandidate(fn *ssa.Function) *types.TypeName {
	if len(fn.Params) == 0 || fn.Parent() != nil || fn.TypeParams().Len() > 0 || o.goOnly[fn] {
		return nil
	}
	if _, ptr := fn.Params[0].Type().Underlying().(*types.Pointer); !ptr {
		return nil
	}
	return structType(fn.Params[0].Type())
}

// handleField reports whether a struct field of type t may hold a handle
// that the struct owns: an integer (see handleLike), or one of the rules'
// Go handle types (an *os.File: see goHandleTypes).
func (o *Oracle) handleField(t types.Type) bool {
	return handleLike(t) || containsType(o.goHandleTypes(), t)
}

// dropShared undoes the owner types that another function than a
// releaser may release a handle field of: one that takes the struct by
// pointer first (an ownerCandidate, as findCloser's), calls a releaser (itself
// or in a function literal of its own), and releases a handle field
// other than the owned one, or hands on (SummarizeField: not UseOnly) one
// of a Go handle type (an *os.File; not an integer, most often an id),
// unless a releaser releases all those fields too. That struct holds
// handles no one method closes, and its other methods are not mere uses
// of it (as ownerUse takes them): hcsshim's
// legacyLayerWriter has four *os.File fields; CloseRoots releases root
// and destRoot, and reset, in a deferred closure, the file a caller put
// in currentFile.
func (o *Oracle) dropShared(funcs []*ssa.Function) {
	if len(o.closers) == 0 {
		return
	}
	shared := make(map[*owner][]int) // the fields other functions release or hand on
	for _, fn := range funcs {
		if o.closers[fn] != nil {
			continue
		}
		tn := o.ownerCandidate(fn)
		own := o.owners[tn]
		if own == nil || own.field < 0 || !o.reachesReleaser(fn) {
			continue
		}
		st := tn.Type().Underlying().(*types.Struct)
		for i := range st.NumFields() {
			t := st.Field(i).Type()
			if i == own.field || !o.handleField(t) {
				continue
			}
			// An integer field handed on is most often no handle (an
			// id, a count): only its release counts.
			use := ownership.SummarizeField(fn, 0, i, o)
			if (len(use.Releases) > 0 || !use.UseOnly && containsType(o.goHandleTypes(), t)) && !slices.Contains(shared[own], i) {
				shared[own] = append(shared[own], i)
			}
		}
	}
	// A closer that releases them all as well closes the whole value
	// (devNullConnection's Close, besides CloseRead and CloseWrite).
	drop := make(map[*owner]bool)
	for own, fields := range shared {
		drop[own] = true
		for fn, c := range o.closers {
			if c == own && !slices.ContainsFunc(fields, func(i int) bool { return len(ownership.SummarizeField(fn, 0, i, o).Releases) == 0 }) {
				drop[own] = false
				break
			}
		}
	}
	for tn, own := range o.owners {
		if drop[own] {
			delete(o.owners, tn)
		}
	}
	for fn, own := range o.closers {
		if drop[own] {
			delete(o.closers, fn)
			delete(o.localEffects, fn)
		}
	}
}

// reachesReleaser reports whether fn, or a function literal in it, calls
// a releaser (see callsReleaser).
func (o *Oracle) reachesReleaser(fn *ssa.Function) bool {
	if o.callsReleaser(fn) {
		return true
	}
	for _, anon := range fn.AnonFuncs {
		if o.reachesReleaser(anon) {
			return true
		}
	}
	return false
}

// goroutines returns the unexported functions and methods among funcs
// that run only as goroutines: every reference to one in the package is the function a go
// statement runs (go w.readEvents(), f := w.readEvents; go f()), or a
// call in a function literal that runs only so (go func() {
// w.readEvents() }()). Such a method (k8s.io/utils inotify's readEvents,
// which closes w.fd once Close signals it) is the goroutine that owns the
// handle, not a closer that a caller could call; nor is such a function
// (go readLoop(w)) a helper that closes.
func goroutines(funcs []*ssa.Function) map[*ssa.Function]bool {
	type ref struct {
		goes bool          // the function a go statement runs
		in   *ssa.Function // else the function literal that calls it, if any
	}
	refs := make(map[*ssa.Function][]ref)
	invoked := make(map[string]bool) // the names of methods called through an interface
	add := func(v ssa.Value, r ref) {
		if fn := target(v); fn != nil {
			refs[fn] = append(refs[fn], r)
		}
	}
	for _, fn := range funcs {
		var in *ssa.Function
		if fn.Parent() != nil {
			in = fn
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case ssa.CallInstruction:
					c := x.Common()
					if c.IsInvoke() {
						invoked[c.Method.Name()] = true
					} else {
						_, goes := x.(*ssa.Go)
						add(c.Value, ref{goes: goes, in: in})
					}
					for _, a := range c.Args {
						add(a, ref{})
					}
				case *ssa.MakeClosure:
					// Its calls count where they are; any other use
					// may call it anywhere.
					for _, r := range *x.Referrers() {
						if call, ok := r.(ssa.CallInstruction); !ok || call.Common().Value != x {
							add(x, ref{})
							break
						}
					}
				default:
					for _, op := range instr.Operands(nil) {
						add(*op, ref{})
					}
				}
			}
		}
	}
	memo := make(map[*ssa.Function]bool)
	var only func(fn *ssa.Function) bool
	only = func(fn *ssa.Function) bool {
		if v, ok := memo[fn]; ok {
			return v
		}
		memo[fn] = false // a cycle of literals: not only
		v := len(refs[fn]) > 0
		for _, r := range refs[fn] {
			v = v && (r.goes || r.in != nil && only(r.in))
		}
		memo[fn] = v
		return v
	}
	out := make(map[*ssa.Function]bool)
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		if ok && fn.Parent() == nil && !obj.Exported() && !(fn.Signature.Recv() != nil && invoked[obj.Name()]) && only(fn) {
			out[fn] = true
		}
	}
	return out
}

// target returns the declared function that v, a function value, runs
// (see Declared): a function (or literal) itself, a closure of a
// literal, or the method a bound method value (w.readEvents) or a method
// expression calls.
func target(v ssa.Value) *ssa.Function {
	switch x := v.(type) {
	case *ssa.Function:
		return Declared(x)
	case *ssa.MakeClosure:
		return Declared(x.Fn.(*ssa.Function))
	}
	return nil
}

// closerName reports whether a function's name says it closes, for one
// that releases the handle on some paths only: closeHandle, Close (if
// !f.closing.swap(true) { ... }); a method that releases the handle when
// it is done with it (remWatch) does not make the type an owner.
func closerName(name string) bool {
	name = strings.ToLower(name)
	return strings.Contains(name, "close") || strings.Contains(name, "release") || name == "cleanup"
}

// closerRank orders the releasers of an owner type for the one to name:
// the method Close, another exported method, an unexported one, an
// exported helper function, an unexported one. Importing packages can
// call only the exported ones (see Oracle.Fact).
func closerRank(f *types.Func) int {
	rank := 0
	switch sig := f.Type().(*types.Signature); {
	case sig.Recv() != nil && f.Name() == "Close":
		return 0
	case sig.Recv() == nil:
		rank = 2
	}
	if !f.Exported() {
		rank++
	}
	return rank + 1
}

// ownerOf returns the owner type that t is or points to, if any: one of
// this package (found by FindOwners) or of another, whose closer carries a
// summary fact that says so.
func (o *Oracle) ownerOf(t types.Type) *owner {
	tn := structType(t)
	if tn == nil {
		return nil
	}
	if own, ok := o.owners[tn]; ok || tn.Pkg() == o.pass.Pkg {
		return own
	}
	var own *owner
	if named, ok := types.Unalias(tn.Type()).(*types.Named); ok && tn.Pkg() != nil {
		name := fullTypeName(tn)
		for i := range named.NumMethods() {
			m := named.Method(i)
			var sum Summary
			if o.pass.ImportObjectFact(m, &sum) && sum.Closes == name && (own == nil || closerRank(m) < closerRank(own.closer)) {
				own = &owner{name: name, field: -1, closer: m}
			}
		}
	}
	o.owners[tn] = own
	return own
}

// ownerResource returns the resource of the owner type named name, whose
// closer is closer (a full name), for a summary's source: one per name.
func (o *Oracle) ownerResource(name, closer string) *rules.Resource {
	if res, ok := o.ownerRes[name]; ok {
		return res
	}
	res := &rules.Resource{Name: name}
	res.Release = []*rules.Releaser{{Func: closer, Arg: rules.Receiver, Resource: res}}
	o.ownerRes[name] = res
	return res
}

// ownerUse makes the receiver of a method of an owner type (other than
// its closer) a use: w.Add(path) neither releases nor keeps w.
func (o *Oracle) ownerUse(sig *types.Signature, invoke bool, eff *ownership.Effects) {
	recv := sig.Recv()
	if recv == nil || o.ownerOf(recv.Type()) == nil {
		return
	}
	op := operandOf(sig, invoke, rules.Receiver)
	for _, rel := range eff.Releases {
		if rel.Operand == op {
			return
		}
	}
	eff.Uses = append(eff.Uses[:len(eff.Uses):len(eff.Uses)], op)
}

// structType returns the declared struct type that t is or points to.
func structType(t types.Type) *types.TypeName {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.TypeArgs().Len() > 0 {
		return nil
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return nil
	}
	return named.Obj()
}

// fullTypeName is a type's name as resources spell it: "path.Name".
func fullTypeName(tn *types.TypeName) string {
	if tn.Pkg() == nil {
		return tn.Name()
	}
	return tn.Pkg().Path() + "." + tn.Name()
}

// isOwner reports whether res is an owner type's resource rather than one
// the rules define.
func (o *Oracle) isOwner(res *rules.Resource) bool { return o.ownerRes[res.Name] == res }
