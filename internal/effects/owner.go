package effects

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// An owner is a type that owns a handle: a struct with a handle field
// that one of its methods (the closer, Close) releases on every path. The
// type is a resource of its own, named by its full name; the closer is its
// releaser, and a function that returns a new value of it holding an owned
// handle is its source.
type owner struct {
	name     string // the type's full name
	field    int    // the handle's field; -1 for an imported owner
	closer   *types.Func
	closerFn *ssa.Function // the closer, for an owner of this package
}

// FindOwners finds the owner types this package declares, among the
// methods in funcs. A type with several closers keeps the one named Close,
// else the first.
func (o *Oracle) FindOwners(funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Signature.Recv() == nil || len(fn.Params) == 0 {
			continue
		}
		tn := structType(fn.Signature.Recv().Type())
		if tn == nil || tn.Pkg() != o.pass.Pkg {
			continue
		}
		if own := o.owners[tn]; own != nil && own.closer.Name() == "Close" {
			continue
		}
		st := tn.Type().Underlying().(*types.Struct)
		if !o.callsReleaser(fn) {
			continue
		}
		for i := range st.NumFields() {
			if !handleLike(st.Field(i).Type()) {
				continue
			}
			if use := ownership.SummarizeField(fn, 0, i, o); len(use.Releases) > 0 {
				if old := o.owners[tn]; old != nil {
					delete(o.closers, old.closerFn)
				}
				own := &owner{name: fullTypeName(tn), field: i, closer: obj, closerFn: fn}
				o.owners[tn] = own
				o.closers[fn] = own
				break
			}
		}
	}
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
			if o.pass.ImportObjectFact(m, &sum) && sum.Closes == name {
				own = &owner{name: name, field: -1, closer: m}
				break
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
