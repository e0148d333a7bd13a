package effects

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// A method that acquires a handle into a field of its receiver (glog's
// rotateFile storing create's file in sb.file; issue 18, patterns 1 and
// 7) is a source of the handle in that field: a SummarySource with Result
// ownership.NoResult, Out the receiver (rules.Receiver) or a pointer
// parameter, and Field the field's name. A caller that allocated the
// struct (sb := &syncBuffer{...}; sb.rotateFile(now)) follows the handle
// in it, as a struct it stored the handle in itself; on any other struct
// (a parameter, a global, a field) the call is followed as before.

// inField reports whether s is a source of the handle in field s.Field of
// the struct that parameter s.Out points to.
func (s SummarySource) inField() bool {
	return s.Result == ownership.NoResult && s.Field != ""
}

// fieldSources returns the sources of handles that fn, a function of this
// package, leaves in a field of the struct its receiver or a pointer
// parameter points to (res.FieldExports): owned handles, in a struct
// whose releaser fn is not. (The field may be an interface, net.Conn:
// the engine saw the handle stored in it.)
func (o *Oracle) fieldSources(fn *ssa.Function, res ownership.Result) []SummarySource {
	if o.closers[fn] != nil {
		return nil
	}
	method := fn.Signature.Recv() != nil
	var out []SummarySource
	for _, ex := range res.FieldExports {
		acq := ex.Source.Acquire
		if acq.Borrowed || acq.NoLeak || ex.Param < 0 || int(ex.Param) >= len(fn.Params) {
			continue
		}
		st := ownership.StructOf(fn.Params[ex.Param].Type())
		if st == nil || int(ex.Field) >= st.NumFields() {
			continue
		}
		p := rules.ParamAt(int(ex.Param))
		if method {
			p = rules.ParamAt(int(ex.Param) - 1) // the receiver becomes rules.Receiver
		}
		info := o.Source(acq.Rule)
		s := SummarySource{
			Result: ownership.NoResult, Out: p, Resource: acq.Resource,
			Origin: info.Origin, Note: info.Note, WithErr: ex.WithErr,
			Field: st.Field(int(ex.Field)).Name(),
		}
		if o.isOwner(info.Resource) {
			continue // a handle of an owner type in a field: not followed
		}
		if i := slices.IndexFunc(out, func(t SummarySource) bool { t.WithErr = s.WithErr; return t == s }); i >= 0 {
			out[i].WithErr = out[i].WithErr || s.WithErr // c.conn, err = net.Dial(...) in two branches
			continue
		}
		out = append(out, s)
	}
	return out
}

// fieldAcquire returns the acquisition a call of the function called name,
// of signature sig, makes by source s (s.inField()): the handle is in that
// field of the struct operand s.Out points to, where the call's error is
// nil and, for s.WithErr, perhaps where it is not.
func (o *Oracle) fieldAcquire(name string, sig *types.Signature, invoke bool, s SummarySource, res *rules.Resource) (ownership.Acquire, bool) {
	var ptr types.Type
	switch {
	case s.Out == rules.Receiver && sig.Recv() != nil:
		ptr = sig.Recv().Type()
	case s.Out.IsParam() && int(s.Out) < sig.Params().Len():
		ptr = sig.Params().At(int(s.Out)).Type()
	default:
		return ownership.Acquire{}, false
	}
	n := fieldIndex(ptr, s.Field)
	if n < 0 {
		return ownership.Acquire{}, false
	}
	acq := ownership.Acquire{
		Result: ownership.NoResult, Out: operandOf(sig, invoke, s.Out),
		Part:           ownership.Part{Kind: ownership.Field, N: n},
		ErrGate:        lastIsError(sig),
		ReleaseAgainOK: res.ReleaseAgainOK,
		Resource:       s.Resource,
		Rule:           o.sourceRef(&Source{Func: name, Origin: s.Origin, Resource: res, Note: s.Note, Out: rules.NoParam, Part: "field " + s.Field}),
	}
	if s.WithErr && acq.ErrGate {
		// Left in the field with an error on some path: where the
		// error is not nil, the handle may be held all the same.
		acq.ValidErr = anyErr
	}
	return acq, true
}

// storesNew reports whether fn stores into field f of the struct its first
// parameter points to a value other than a constant: it replaces the
// handle there (glog's rotateFile closes the old file and stores a new
// one), and so is no releaser of the struct, whatever it releases first.
func storesNew(fn *ssa.Function, f int) bool {
	p := fn.Params[0]
	for _, r := range *p.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok || fa.X != p || fa.Field != f {
			continue
		}
		for _, u := range *fa.Referrers() {
			if st, ok := u.(*ssa.Store); ok && st.Addr == fa {
				if _, isConst := ownership.Unconvert(st.Val).(*ssa.Const); !isConst {
					return true
				}
			}
		}
	}
	return false
}
