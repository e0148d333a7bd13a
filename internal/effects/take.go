package effects

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// SetFuncs gives the Oracle the package's functions, whose stores Taken
// reads.
func (o *Oracle) SetFuncs(funcs []*ssa.Function) { o.funcs = funcs }

// Taken implements ownership.TakeOracle: a handle loaded from field fa of
// a struct of this package, by a method that then clears the field, is
// the function's own when every handle the package's functions store in
// that field (l.handle = h, &PipeListener{handle: h}) is an owned
// acquisition of one resource: the result of a call that a rule or a
// summary says hands one out. A field that no acquisition is stored in,
// or a borrowed one (GetCurrentProcess), or handles of two resources,
// holds nothing Taken follows. The record names the field: "taken from
// l.handle".
func (o *Oracle) Taken(fa *ssa.FieldAddr) (ownership.Acquire, bool) {
	tn := structType(fa.X.Type())
	if tn == nil || tn.Pkg() != o.pass.Pkg {
		return ownership.Acquire{}, false
	}
	var found *ownership.Acquire
	for _, fn := range o.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				to, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || to.Field != fa.Field || structType(to.X.Type()) != tn {
					continue
				}
				acq, ok := o.acquisitionOf(ownership.Unconvert(st.Val))
				switch {
				case !ok:
					continue
				case acq.Borrowed || found != nil && found.Resource != acq.Resource:
					return ownership.Acquire{}, false
				case found == nil:
					found = &acq
				}
			}
		}
	}
	if found == nil {
		return ownership.Acquire{}, false
	}
	rec := *o.Source(found.Rule)
	rec.Out, rec.Part = rules.NoParam, "taken from "+fa.X.Name()+"."+tn.Type().Underlying().(*types.Struct).Field(fa.Field).Name()
	return ownership.Acquire{
		Result: ownership.NoResult, Out: ownership.NoOperand,
		Resource: found.Resource, NoLeak: found.NoLeak, ReleaseAgainOK: found.ReleaseAgainOK,
		Rule: o.sourceRef(&rec),
	}, true
}

// acquisitionOf returns the acquisition that v, a call's result, is: a
// whole handle that the call hands out in that result.
func (o *Oracle) acquisitionOf(v ssa.Value) (ownership.Acquire, bool) {
	var call *ssa.Call
	i := 0
	switch x := v.(type) {
	case *ssa.Call:
		call = x
	case *ssa.Extract:
		c, ok := x.Tuple.(*ssa.Call)
		if !ok {
			return ownership.Acquire{}, false
		}
		call, i = c, x.Index
	default:
		return ownership.Acquire{}, false
	}
	for _, acq := range o.Effects(call.Common()).Acquires {
		if acq.Result == ownership.ResultAt(i) && acq.Part.Kind == ownership.Whole && acq.Out == ownership.NoOperand && acq.OutValue == nil {
			return acq, true
		}
	}
	return ownership.Acquire{}, false
}

var _ ownership.TakeOracle = (*Oracle)(nil)
