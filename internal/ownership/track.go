package ownership

import (
	"go/constant"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// role is what a tracked value stands for.
type role uint8

const (
	roleHandle  role = iota + 1 // the handle itself, or a conversion of it
	roleErr                     // the acquiring call's error result
	roleCell                    // address of a local variable holding the handle
	roleErrCell                 // address of a local variable holding the error
	roleClosure                 // a closure that captures the handle
	roleAgg                     // an aggregate (struct, array) whose Part is the handle
	roleAggCell                 // address of memory holding such an aggregate (or a slice of it)
	roleOk                      // the acquiring call's success result (Acquire.Success)
)

// valInfo says what a value stands for. root is the value whose identity
// decides whether this one denotes the current instance: the seed (always
// current where defined) or a slot (phi, load, variable) whose bit in the
// element says so.
type valInfo struct {
	role role
	root ssa.Value
}

// status is the status of the current instance of a handle.
type status uint8

const (
	stNone     status = iota // not yet acquired on this path
	stHeld                   // owned and not yet released or handed on
	stReleased               // released by an explicit call
	stDeferred               // a deferred call will release it
	stBorrowed               // borrowed: must never be released
	stMaybe                  // a deferred closure may release it at exit: nothing is reported
)

// site is a release, interned per tracker so that elements stay comparable.
type site struct {
	pos      token.Pos
	rel      *Release
	deferred bool
	// cell, for a deferred closure that reads the handle from a captured
	// variable: the closure releases whatever that variable holds at exit.
	cell ssa.Value
}

// elem is one element of the abstract state.
type elem struct {
	st   status
	bits uint64 // slots that denote the current instance
	site *site  // the release that set stReleased or stDeferred
	// pending is a deferred closure that releases the handle through a
	// captured variable; whether it releases this instance is decided at
	// exit, by what the variable holds then.
	pending *site
	// err is what the path knows of the acquiring call's error, for an
	// acquisition whose handle is valid with some errors (nothing,
	// errNonNil, errNotOne or errIsValid). With errNonNil the handle is
	// held only if the error is one it is valid with.
	err learned
}

// maxSlots bounds the path-dependent values one handle may flow through;
// past it the handle is not tracked (no findings, never a false one).
const maxSlots = 64

// maxElems bounds the distinct elements per block; past it the handle is
// given up, again without findings.
const maxElems = 256

// maxDepth bounds how deeply closures and function literals are followed.
const maxDepth = 8

// entrySeed starts a tracker at a function's entry, for a closure's captured
// variable or a function literal's parameter.
type entrySeed struct {
	value ssa.Value // *ssa.FreeVar (roleCell) or *ssa.Parameter (roleHandle)
	role  role
	st    status
}

// A tracker follows one handle through one function.
type tracker struct {
	a     *analysis
	fn    *ssa.Function
	src   *Source
	entry *entrySeed
	depth int

	vals  map[ssa.Value]valInfo
	slots map[ssa.Value]uint
	// outCell is the variable an out-parameter acquisition writes to.
	outCell ssa.Value
	// pending are values added behind discover's back, still to visit.
	pending []ssa.Value
	giveUp  bool

	sites     map[site]*site
	summaries map[summaryKey]*summary

	// Where the handle goes to the function's caller.
	returned  map[int]bool // result indices
	outParams map[int]bool // indices into fn.Params
	// wrapped are stores of the held handle into a field of a struct the
	// function allocates: &Watcher{h: h}.
	wrapped []*ssa.Store

	// What the run found, for the caller of a closure.
	leaks     []leak  // exits reached with the handle held
	released  []*site // releases of the handle
	handedOn  bool
	heldAtEnd bool
}

// leak is an exit reached with the handle held.
type leak struct {
	pos      token.Pos
	validErr bool
}

func newTracker(a *analysis, fn *ssa.Function, src *Source, entry *entrySeed) *tracker {
	return &tracker{
		a: a, fn: fn, src: src, entry: entry,
		vals:      make(map[ssa.Value]valInfo),
		slots:     make(map[ssa.Value]uint),
		sites:     make(map[site]*site),
		returned:  make(map[int]bool),
		outParams: make(map[int]bool),
		summaries: make(map[summaryKey]*summary),
	}
}

// track runs a tracker for an acquisition and reports its leak, if any.
func (a *analysis) track(t *tracker) {
	t.run()
	if len(t.leaks) == 0 || t.giveUp || t.src.Acquire.NoLeak {
		return
	}
	other := t.leaks[0]
	for _, l := range t.leaks[1:] {
		if l.pos < other.pos || l.pos == other.pos && !l.validErr {
			other = l
		}
	}
	a.report(Finding{Kind: Leak, Pos: t.src.Pos(), Source: t.src, Other: other.pos, ValidErr: other.validErr,
		Unreleased: len(t.released) == 0 && !t.handedOn && len(t.returned) == 0 && len(t.outParams) == 0})
}

// run discovers the values that may carry the handle, then propagates
// elements through the blocks.
func (t *tracker) run() {
	start, startIdx, init := t.seed()
	if start == nil || t.giveUp {
		return
	}
	live := t.liveness(start)
	type item struct {
		b *ssa.BasicBlock
		e elem
	}
	type visit struct {
		b int
		e elem
	}
	visited := make(map[visit]bool)
	perBlock := make(map[int]int)
	var work []item
	enqueue := func(b *ssa.BasicBlock, e elem) {
		// An element that is no longer held (and waits on no deferred
		// closure) can only matter where the handle is used again.
		if e.st != stHeld && e.pending == nil && !live(b) {
			return
		}
		v := visit{b.Index, e}
		if visited[v] {
			return
		}
		if perBlock[b.Index] >= maxElems {
			t.giveUp = true
			return
		}
		visited[v] = true
		perBlock[b.Index]++
		work = append(work, item{b, e})
	}

	// The first visit may start mid-block, at the acquisition.
	t.runBlock(start, startIdx, init, enqueue)
	for len(work) > 0 && !t.giveUp {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		t.runBlock(it.b, 0, it.e, enqueue)
	}
}

// liveness returns a test of whether a use of the handle can be reached
// from a block without acquiring it anew: the blocks that reach a use,
// found by a backward search from the uses.
//
// When the handle lives only in SSA values, every use is dominated by the
// acquisition or by a tracked phi, and outside those subtrees a use can be
// reached only through the acquisition, which starts a new instance. The
// search then stays inside the subtrees, so it costs what the handle's own
// region costs, not the function. A handle kept in a variable can be loaded
// anywhere, and its search is not bounded that way.
func (t *tracker) liveness(start *ssa.BasicBlock) func(*ssa.BasicBlock) bool {
	roots := []*ssa.BasicBlock{start}
	bounded := t.entry == nil
	for v := range t.slots {
		if phi, ok := v.(*ssa.Phi); ok {
			roots = append(roots, phi.Block())
		} else {
			bounded = false
		}
	}
	inside := func(b *ssa.BasicBlock) bool {
		if !bounded {
			return true
		}
		for _, r := range roots {
			if r.Dominates(b) {
				return true
			}
		}
		return false
	}
	live := make(map[*ssa.BasicBlock]bool)
	var work []*ssa.BasicBlock
	mark := func(b *ssa.BasicBlock) {
		if b != nil && !live[b] && inside(b) {
			live[b] = true
			work = append(work, b)
		}
	}
	for v := range t.vals {
		if refs := v.Referrers(); refs != nil {
			for _, r := range *refs {
				if r.Parent() == t.fn {
					mark(r.Block())
				}
			}
		}
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range b.Preds {
			mark(p)
		}
	}
	return func(b *ssa.BasicBlock) bool { return live[b] }
}

// seed computes the tracked values and where propagation starts.
func (t *tracker) seed() (*ssa.BasicBlock, int, elem) {
	if e := t.entry; e != nil {
		t.add(e.value, e.role, e.value)
		if e.role == roleCell || e.role == roleAggCell {
			t.slot(e.value)
		}
		t.discover()
		if len(t.fn.Blocks) == 0 {
			return nil, 0, elem{}
		}
		return t.fn.Blocks[0], 0, elem{st: e.st, bits: t.bit(e.value)}
	}
	call := t.src.Instr.(*ssa.Call)
	acq := t.src.Acquire
	n := resultCount(call)
	out := acq.OutValue
	if out == nil && acq.Out.IsArg() && int(acq.Out) < len(call.Call.Args) {
		out = call.Call.Args[acq.Out]
	}
	switch {
	case acq.Result >= 0:
		if v := result(call, acq.Result, n); v != nil {
			r := roleHandle
			if acq.Part.Kind != Whole {
				r = roleAgg
			}
			t.add(v, r, v)
		}
	case out != nil && acq.Part.Kind != Whole:
		base, ok := aggCell(out)
		if !ok {
			return nil, 0, elem{} // not memory of ours: not followed
		}
		t.outCell = base
		t.add(base, roleAggCell, base)
		t.slot(base)
	case out != nil:
		cell, ok := localCell(out)
		if !ok {
			// Written straight into memory that outlives us; perhaps the
			// caller's, through a pointer parameter.
			if p, ok := Unconvert(out).(*ssa.Parameter); ok {
				t.outParams[slices.Index(t.fn.Params, p)] = true
			}
			return nil, 0, elem{}
		}
		t.outCell = cell
		t.add(cell, roleCell, cell)
		t.slot(cell)
	}
	if acq.ErrGate && n > 0 {
		if v := result(call, n-1, n); v != nil {
			t.add(v, roleErr, v)
		}
	}
	if acq.Success != NoSuccessGate && n > 0 {
		if v := result(call, 0, n); v != nil {
			t.add(v, roleOk, v)
		}
	}
	t.discover()
	b := call.Block()
	for i, instr := range b.Instrs {
		if instr == call {
			return b, i, elem{st: stNone}
		}
	}
	return nil, 0, elem{}
}

// exports lists where the handle went to the function's caller.
func (t *tracker) exports() []Export {
	var out []Export
	for i := range t.returned {
		out = append(out, Export{Source: t.src, Result: i, Param: NoParam, Field: -1})
	}
	for i := range t.outParams {
		out = append(out, Export{Source: t.src, Result: -1, Param: Param(i), Field: -1})
	}
	slices.SortFunc(out, func(a, b Export) int { return (a.Result-b.Result)*1000 + int(a.Param-b.Param) })
	return append(out, t.wrapperExports()...)
}

// wrapperExports lists the structs that the function allocates, stores the
// handle in, and returns: each store must dominate every return of its
// struct, so the struct returned always holds the handle.
func (t *tracker) wrapperExports() []Export {
	var out []Export
	for _, st := range t.wrapped {
		fa := st.Addr.(*ssa.FieldAddr)
		alloc := fa.X
		result, ok := -1, true
		for _, b := range t.fn.Blocks {
			ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !isRet {
				continue
			}
			for i, v := range ret.Results {
				if Unconvert(v) != alloc {
					continue
				}
				if !st.Block().Dominates(b) || (result >= 0 && result != i) {
					ok = false
				}
				result = i
			}
		}
		if ok && result >= 0 {
			out = append(out, Export{Source: t.src, Result: result, Param: NoParam, Field: fa.Field})
		}
	}
	return out
}

// resultCount returns the number of results of call.
func resultCount(call *ssa.Call) int {
	return call.Call.Signature().Results().Len()
}

// result returns the value of result i of call, or nil if it is unused.
func result(call *ssa.Call, i, n int) ssa.Value {
	if n == 1 {
		if i == 0 {
			return call
		}
		return nil
	}
	for _, r := range *call.Referrers() {
		if x, ok := r.(*ssa.Extract); ok && x.Index == i {
			return x // go/ssa extracts each index at most once
		}
	}
	return nil
}

// localCell returns the local variable a pointer operand addresses, looking
// through pointer conversions.
func localCell(v ssa.Value) (ssa.Value, bool) {
	a, ok := Unconvert(v).(*ssa.Alloc)
	return a, ok
}

// aggCell returns the memory an operand that points to an aggregate
// addresses, when it is the function's own: a local variable (&pi, p[:])
// or a slice it made (make([]int, 2)).
func aggCell(v ssa.Value) (ssa.Value, bool) {
	v = Unconvert(v)
	if s, ok := v.(*ssa.Slice); ok {
		v = Unconvert(s.X)
	}
	switch v.(type) {
	case *ssa.Alloc, *ssa.MakeSlice:
		return v, true
	}
	return nil, false
}

// Unconvert looks through conversions: uintptr(unsafe.Pointer(&tok)) is
// &tok.
func Unconvert(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		default:
			return v
		}
	}
}

func (t *tracker) add(v ssa.Value, r role, root ssa.Value) bool {
	if _, ok := t.vals[v]; ok {
		return false
	}
	t.vals[v] = valInfo{role: r, root: root}
	return true
}

// slot gives v a bit; too many slots give the handle up.
func (t *tracker) slot(v ssa.Value) {
	if _, ok := t.slots[v]; ok {
		return
	}
	if len(t.slots) == maxSlots {
		t.giveUp = true
		return
	}
	t.slots[v] = uint(len(t.slots))
}

func (t *tracker) bit(v ssa.Value) uint64 {
	if i, ok := t.slots[v]; ok {
		return 1 << i
	}
	return 0
}

// discover closes the tracked values over the ways a value can carry the
// handle, in any order: conversions, phis, variables and closures. Which of
// them denote the current instance on a path is decided during propagation.
func (t *tracker) discover() {
	work := make([]ssa.Value, 0, len(t.vals))
	for v := range t.vals {
		work = append(work, v)
	}
	for len(work) > 0 && !t.giveUp {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		work = append(work, t.pending...)
		t.pending = t.pending[:0]
		info := t.vals[v]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			if nv, nr, root := t.derive(v, info, r); nv != nil && t.add(nv, nr, root) {
				if root == nv {
					t.slot(nv)
				}
				work = append(work, nv)
			}
		}
	}
}

// derive says what instruction r, which uses v, makes of it.
func (t *tracker) derive(v ssa.Value, info valInfo, r ssa.Instruction) (ssa.Value, role, ssa.Value) {
	switch info.role {
	case roleOk:
		switch x := r.(type) {
		case *ssa.ChangeType, *ssa.Convert:
			return x.(ssa.Value), roleOk, info.root
		}
	case roleAgg:
		return t.deriveAgg(v, info, r)
	case roleAggCell:
		return t.deriveAggCell(info, r)
	case roleHandle, roleErr:
		switch x := r.(type) {
		case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
			return x.(ssa.Value), info.role, info.root
		case *ssa.TypeAssert:
			if !x.CommaOk {
				return x, info.role, info.root
			}
		case *ssa.Phi:
			return x, info.role, x
		case *ssa.Store:
			if x.Val == v {
				if cell, ok := x.Addr.(*ssa.Alloc); ok {
					return cell, cellRole(info.role), cell
				}
				if fa, ok := x.Addr.(*ssa.FieldAddr); ok && info.role == roleErr {
					// s, so.Err = syscall.Socket(...): the field holds the error.
					return t.fieldCell(fa), roleErrCell, t.fieldCell(fa)
				}
			}
		case *ssa.MakeClosure:
			if info.role == roleHandle {
				return x, roleClosure, info.root
			}
		}
	case roleClosure:
		switch x := r.(type) {
		case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
			// return func() { h.Close() } as a named func type
			return x.(ssa.Value), roleClosure, info.root
		}
	case roleCell, roleErrCell:
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op == token.MUL {
				return x, valueRole(info.role), x
			}
		case *ssa.ChangeType, *ssa.Convert:
			return x.(ssa.Value), info.role, info.root
		case *ssa.MakeClosure:
			if info.role == roleCell {
				return x, roleClosure, info.root
			}
		}
	}
	return nil, 0, nil
}

// isPart reports whether a field or index selects the acquisition's Part.
func (t *tracker) isPart(kind PartKind, index ssa.Value, field int) bool {
	p := t.src.Acquire.Part
	if p.Kind != kind {
		return false
	}
	if kind == Field {
		return field == p.N
	}
	k, ok := index.(*ssa.Const)
	if !ok || k.Value == nil {
		return false
	}
	i, exact := constant.Int64Val(constant.ToInt(k.Value))
	return exact && i == int64(p.N)
}

// deriveAgg says what r makes of v, an aggregate value whose Part is the
// handle.
func (t *tracker) deriveAgg(v ssa.Value, info valInfo, r ssa.Instruction) (ssa.Value, role, ssa.Value) {
	switch x := r.(type) {
	case *ssa.Field:
		if t.isPart(Field, nil, x.Field) {
			return x, roleHandle, info.root
		}
	case *ssa.Index:
		if t.isPart(Elem, x.Index, 0) {
			return x, roleHandle, info.root
		}
		if _, isConst := x.Index.(*ssa.Const); !isConst {
			t.giveUp = true // fd[i]: which element is not known
		}
	case *ssa.ChangeType:
		return x, roleAgg, info.root
	case *ssa.Phi:
		return x, roleAgg, x
	case *ssa.Store:
		if x.Val == v {
			if cell, ok := x.Addr.(*ssa.Alloc); ok {
				return cell, roleAggCell, cell
			}
		}
	}
	return nil, 0, nil
}

// deriveAggCell says what r makes of memory holding an aggregate whose Part
// is the handle.
func (t *tracker) deriveAggCell(info valInfo, r ssa.Instruction) (ssa.Value, role, ssa.Value) {
	switch x := r.(type) {
	case *ssa.FieldAddr:
		if t.isPart(Field, nil, x.Field) {
			return x, roleCell, info.root // &pi.Process
		}
	case *ssa.IndexAddr:
		if t.isPart(Elem, x.Index, 0) {
			return x, roleCell, info.root // &p[0]
		}
		if _, isConst := x.Index.(*ssa.Const); !isConst {
			t.giveUp = true // range p, p[i]: which element is not known
		}
	case *ssa.Slice, *ssa.ChangeType, *ssa.Convert:
		return x.(ssa.Value), roleAggCell, info.root
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return x, roleAgg, x // a copy of the whole aggregate
		}
	case *ssa.MakeClosure:
		t.giveUp = true // captured: not followed
	}
	return nil, 0, nil
}

// fieldCell returns the one FieldAddr that stands for field fa.Field of
// fa.X in this function, and makes every other address of that field an
// alias of it, so that stores and loads through any of them meet.
func (t *tracker) fieldCell(fa *ssa.FieldAddr) ssa.Value {
	for _, b := range t.fn.Blocks {
		for _, instr := range b.Instrs {
			if o, ok := instr.(*ssa.FieldAddr); ok && sameBase(o.X, fa.X) && o.Field == fa.Field {
				if info, seen := t.vals[o]; seen {
					return info.root
				}
			}
		}
	}
	for _, b := range t.fn.Blocks {
		for _, instr := range b.Instrs {
			if o, ok := instr.(*ssa.FieldAddr); ok && o != fa && sameBase(o.X, fa.X) && o.Field == fa.Field {
				t.vals[o] = valInfo{role: roleErrCell, root: fa}
				t.pending = append(t.pending, o)
			}
		}
	}
	return fa
}

// sameBase reports whether two struct pointers are the same: the same
// value, or loads of the same variable (f.err in a closure loads f anew
// each time).
func sameBase(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	return ok1 && ok2 && la.Op == token.MUL && lb.Op == token.MUL && la.X == lb.X
}

func cellRole(r role) role {
	if r == roleErr {
		return roleErrCell
	}
	return roleCell
}

func valueRole(r role) role {
	switch r {
	case roleErrCell:
		return roleErr
	case roleAggCell:
		return roleAgg
	}
	return roleHandle
}

// cur reports whether v denotes the current instance in element e, in one
// of the given roles.
func (t *tracker) cur(e elem, v ssa.Value, roles ...role) bool {
	info, ok := t.vals[v]
	if !ok {
		return false
	}
	match := false
	for _, r := range roles {
		match = match || info.role == r
	}
	if !match {
		return false
	}
	if _, isSlot := t.slots[info.root]; isSlot {
		return e.bits&t.bit(info.root) != 0
	}
	return true
}

// carries reports whether v carries the current instance: the handle, its
// variable, or a closure capturing either.
func (t *tracker) carries(e elem, v ssa.Value) bool {
	return t.cur(e, v, roleHandle, roleCell, roleClosure, roleAgg, roleAggCell)
}

func (t *tracker) setBit(e elem, slot ssa.Value, on bool) elem {
	if on {
		e.bits |= t.bit(slot)
	} else {
		e.bits &^= t.bit(slot)
	}
	return e
}

func (t *tracker) intern(s site) *site {
	if p, ok := t.sites[s]; ok {
		return p
	}
	p := &s
	t.sites[s] = p
	return p
}
