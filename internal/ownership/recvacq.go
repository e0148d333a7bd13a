package ownership

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A method that acquires a handle into a field of its receiver (glog's
// rotateFile: f, err := create(...); sb.file = f; ...; return err), or a
// function into a field of the struct a pointer parameter points to, hands
// the handle to its caller there: the caller's struct holds it from the
// call on (issue 18, patterns 1 and 7). The tracker follows the parameter
// as it follows a struct the function allocated (holderOf): a store of the
// handle into field F of it makes the parameter the handle's holder, whose
// loads of F are the handle, and a return reached with the handle held
// there is no leak but a FieldExport. Its callers then see the call as an
// acquisition into that field of its operand (Acquire.Out and Part), which
// they follow only in a struct they allocated.

// A FieldExport says that on return field Field of the struct that
// parameter Param points to holds Source's handle, which the function
// acquired: on every return whose error result may be nil (the store
// dominates it, and no path releases the handle or hands it on), and with
// WithErr on some return whose error may be non-nil too (rotateFile's
// failed header write).
type FieldExport struct {
	Source  *Source
	Param   Param
	Field   FieldIndex
	WithErr bool
}

// recvHolder is what a tracker knows of the parameter that holds its
// handle, once a store put the handle in it.
type recvHolder struct {
	param *ssa.Parameter
	store *ssa.Store
	// rets are the returns reached with the handle held in the field;
	// withErr, whether one of them returns an error that may be non-nil.
	rets    []*ssa.Return
	withErr bool
	// wrapFields are the parameter's other fields that get a value
	// holding the handle (sb.Writer = bufio.NewWriterSize(sb.file, n)).
	wrapFields map[int]bool
}

// recvHolderOf returns the parameter that store st, of the tracker's value
// v (the handle itself), puts the handle in, when the handle is whole, the
// tracker follows an acquisition of the function (not a parameter or a
// closure's capture) and holds it in no struct yet, and the parameter
// points to a struct type of the function's package: from there on the
// parameter holds it. One parameter and field per handle; another store
// of it hands it on.
func (t *tracker) recvHolderOf(v ssa.Value, st *ssa.Store) *ssa.Parameter {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok || t.src == nil || t.entry != nil || t.src.Call == nil || t.src.Taken != nil || t.src.Acquire.Part.Kind != Whole ||
		t.src.Acquire.Borrowed || t.src.Acquire.NoLeak || t.holder != nil || t.fn.Parent() != nil {
		return nil
	}
	p, ok := fa.X.(*ssa.Parameter)
	if !ok || !slices.Contains(t.fn.Params, p) || !ownParamType(p, t.fn) {
		return nil
	}
	if info, ok := t.info(v); !ok || info.role != roleHandle || t.wrapperValue(v) {
		return nil
	}
	if t.recv != nil {
		if t.recv.param == p && t.recv.store == st {
			return p
		}
		return nil
	}
	if _, seen := t.info(p); seen {
		return nil
	}
	t.recv = &recvHolder{param: p, store: st}
	t.part = Part{Kind: Field, N: fa.Field}
	return p
}

// ownParamType reports whether parameter p points to a struct type
// declared in fn's package, not generic.
func ownParamType(p *ssa.Parameter, fn *ssa.Function) bool {
	ptr, ok := p.Type().(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.TypeArgs().Len() > 0 || fn.Pkg == nil || named.Obj().Pkg() != fn.Pkg.Pkg {
		return false
	}
	_, isStruct := named.Underlying().(*types.Struct)
	return isStruct
}

// recvSlot reports whether slot v is the parameter that holds the handle:
// its bit stays set when nothing reads it any more, since the caller's
// struct outlives the call.
func (t *tracker) recvSlot(v ssa.Value) bool {
	return t.recv != nil && v == ssa.Value(t.recv.param)
}

// recvWrapStore reports whether store st puts a value that holds the
// handle (bufio.NewWriterSize(sb.file, n)) into another field of the
// parameter that holds it: the parameter holds a reader of it too.
func (t *tracker) recvWrapStore(e elem, st *ssa.Store) bool {
	if t.recv == nil || !t.holds(e, t.recv.param) {
		return false
	}
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok || fa.X != t.recv.param || fa.Field == t.part.N || !t.wrapperValue(st.Val) {
		return false
	}
	set(&t.recv.wrapFields, fa.Field)
	return true
}

// recvHeldAt records return ret, reached with the handle held in the
// parameter, and reports whether it did.
func (t *tracker) recvHeldAt(e elem, ret *ssa.Return) bool {
	if t.recv == nil || e.st != stHeld || !t.holds(e, t.recv.param) || t.closedAtExit(e) {
		return false
	}
	if !slices.Contains(t.recv.rets, ret) {
		t.recv.rets = append(t.recv.rets, ret)
	}
	if t.recvMayErr(e, ret) {
		t.recv.withErr = true
	}
	return true
}

// recvMayErr reports whether ret returns, as its last result, an error
// that may be non-nil: a call's error or a non-nil value, not known to be
// nil on the way, and not the acquiring call's own.
func (t *tracker) recvMayErr(e elem, ret *ssa.Return) bool {
	n := len(ret.Results)
	if n == 0 || !isErrorType(ret.Results[n-1].Type()) {
		return false
	}
	v := retValue(ret, n-1)
	if t.cur(e, v, roleErr) {
		// The acquiring call's own error: with it the handle may be held
		// where the callee leaves it in the field with an error too.
		return t.src.Acquire.ValidErr != nil
	}
	if !likelyErr(v) {
		return false
	}
	if c, ok := v.(*ssa.Call); ok && t.keepsErrNil(e, c, 0) {
		return false
	}
	return !knownNil(v, ret.Block())
}

// likelyErr reports whether v, an error, is one that is commonly non-nil
// where it is returned: a call's result (errors.New, fmt.Errorf, the
// error of the call just tested), or a non-nil value.
func likelyErr(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Call:
		return true
	case *ssa.Extract:
		_, call := x.Tuple.(*ssa.Call)
		return call
	}
	return isNonNil(v)
}

// A fieldCand is a tracker's candidate FieldExport, with the blocks where
// the handle went into the field and the returns reached with it there.
type fieldCand struct {
	FieldExport
	ok     bool // the handle went nowhere else (see fieldCand)
	stores []*ssa.BasicBlock
	rets   []*ssa.Return
}

// fieldCand returns the tracker's candidate, if the handle went into a
// parameter's field: ok if it went there on every path where it was held,
// and nowhere else (no leak, release, other hand-off, return, goroutine
// or deferred closure).
func (t *tracker) fieldCand() (fieldCand, bool) {
	r := t.recv
	if r == nil {
		return fieldCand{}, false
	}
	c := fieldCand{
		FieldExport: FieldExport{Source: t.src, Param: Param(slices.Index(t.fn.Params, r.param)), Field: FieldIndex(t.part.N), WithErr: r.withErr},
		rets:        r.rets,
	}
	if r.store != nil {
		c.stores = []*ssa.BasicBlock{r.store.Block()}
	} else if t.src.Instr != nil {
		c.stores = []*ssa.BasicBlock{t.src.Instr.Block()} // c.dial(): a callee's store
	}
	c.ok = len(r.rets) > 0 && !t.giveUp && !t.handedOn && !t.toGo && !t.adopted && len(t.leaks) == 0 && len(t.released) == 0 &&
		len(t.returned) == 0 && len(t.outParams) == 0 && len(t.aggRets) == 0 && len(t.errReturns) == 0 &&
		t.early == nil && t.earlyOnErr == nil && !t.earlyMaybe
	return c, true
}

// fieldExports returns the FieldExports of fn's candidates, grouped by
// parameter and field (c.conn, err = net.Dial(...) in three branches):
// each of a group's acquisitions went into the field and nowhere else,
// and every return that a path from the entry reaches without passing
// one of their stores returns an error (likelyErr) without a handle.
func fieldExports(fn *ssa.Function, cands []fieldCand) []FieldExport {
	type key struct {
		p Param
		f FieldIndex
	}
	groups := make(map[key][]fieldCand)
	var order []key
	for _, c := range cands {
		k := key{c.Param, c.Field}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out []FieldExport
	for _, k := range order {
		g := groups[k]
		var stores []*ssa.BasicBlock
		var rets []*ssa.Return
		ok := true
		for _, c := range g {
			ok = ok && c.ok
			stores = append(stores, c.stores...)
			rets = append(rets, c.rets...)
		}
		if !ok {
			continue
		}
		for _, b := range bypassed(fn, stores) {
			ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !isRet {
				continue
			}
			n := len(ret.Results)
			if slices.Contains(rets, ret) || n == 0 || !isErrorType(ret.Results[n-1].Type()) || !likelyErr(retValue(ret, n-1)) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for _, c := range g {
			out = append(out, c.FieldExport)
		}
	}
	return out
}

// bypassed returns the blocks of fn that a path from its entry reaches
// without passing one of blocks.
func bypassed(fn *ssa.Function, blocks []*ssa.BasicBlock) []*ssa.BasicBlock {
	if len(fn.Blocks) == 0 || slices.Contains(blocks, fn.Blocks[0]) {
		return nil
	}
	seen := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	out := []*ssa.BasicBlock{fn.Blocks[0]}
	for i := 0; i < len(out); i++ {
		for _, s := range out[i].Succs {
			if !seen[s] && !slices.Contains(blocks, s) {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// recvSeed makes parameter out of the function, which a call writes a
// handle into field t.part of (c.dial(display), dial a source of c.conn),
// the handle's holder, and reports whether it did.
func (t *tracker) recvSeed(out ssa.Value) bool {
	p, ok := Unconvert(out).(*ssa.Parameter)
	if !ok || t.entry != nil || t.src.Call == nil || t.src.Taken != nil || t.src.Acquire.Borrowed || t.src.Acquire.NoLeak || t.fn.Parent() != nil ||
		!slices.Contains(t.fn.Params, p) || !ownParamType(p, t.fn) {
		return false
	}
	if _, seen := t.info(p); seen {
		return false
	}
	t.recv = &recvHolder{param: p}
	t.outCell = p
	t.add(p, roleAggCell, p, true)
	return true
}
