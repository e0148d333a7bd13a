package ownership

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// runBlock applies block b's instructions from index i to element e and
// hands the result to b's successors.
func (t *tracker) runBlock(b *ssa.BasicBlock, i int, e elem, enqueue func(*ssa.BasicBlock, elem)) {
	count(WorkBlocks, 1)
	t.lostAt = token.NoPos
	entry := e.entry
	e.entry = 0
	for ; i < len(b.Instrs); i++ {
		instr := b.Instrs[i]
		if t.src != nil && instr == t.src.Instr && e.st != stNone && !t.detached {
			// The acquisition runs again while an earlier instance is
			// alive: that one goes on, from here, in its slots only.
			if old, ok := t.reacquired(e); ok {
				old.entry = entry
				t.runBlock(b, i+1, old, enqueue)
			}
			t.lostAt = token.NoPos
		}
		t.curPos = instr.Pos()
		t.curCall, _ = instr.(*ssa.Call)
		var alive bool
		if e, alive = t.step(instr, e); !alive {
			return
		}
	}
	if e.st == stNone {
		return // the acquisition is not on this path
	}
	var learn [2]learned
	sent := -1 // the branch on which a select sends the instance
	if ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
		sent = t.selectSent(e, ifInstr.Cond)
		if entry > 0 {
			learn[2-entry] = invalid // the edge taken into b fixes the test
		} else if b == t.onceHeader() {
			learn[0] = invalid // a second iteration of a loop that runs once
		} else if dead := t.deadBranch(e, ifInstr.Cond); dead >= 0 {
			learn[dead] = invalid
		} else if dead := t.nilVarBranch(e, ifInstr); dead >= 0 {
			learn[dead] = invalid
		} else if e.st == stHeld {
			learn = t.branches(e, ifInstr.Cond)
		}
	}
	for si, succ := range b.Succs {
		out := e
		if si < len(learn) {
			var valid bool
			if out, valid = learn[si].apply(out); !valid {
				continue // the handle is not valid on this edge
			}
		}
		if si == sent {
			if _, kept := t.handOn(out); !kept {
				continue // sent on the channel: no longer ours
			}
		}
		in := t.enter(succ, b, out)
		if br := t.a.tab.entryBranch(succ, b); br >= 0 {
			in.entry = int8(br + 1)
		}
		enqueue(succ, in)
	}
}

// selectSent returns the branch of an If on cond on which the current
// instance e is sent on a channel, or -1: cond is go/ssa's test that a
// select chose case k (idx == k on the select's index), and case k sends
// a value that carries e (case ch <- f, case ch <- pair). The send happens
// only where that case is chosen: on the other cases' branches the
// instance is still held, as before the select.
func (t *tracker) selectSent(e elem, cond ssa.Value) int {
	c, ok := cond.(*ssa.BinOp)
	if !ok {
		return -1
	}
	x, y := c.X, c.Y
	if _, isConst := x.(*ssa.Const); isConst {
		x, y = y, x
	}
	idx, ok1 := x.(*ssa.Extract)
	k, ok2 := y.(*ssa.Const)
	if !ok1 || !ok2 || idx.Index != 0 || k.Value == nil || k.Value.Kind() != constant.Int {
		return -1
	}
	sel, ok := idx.Tuple.(*ssa.Select)
	i, exact := constant.Int64Val(k.Value)
	if !ok || !exact || i < 0 || i >= int64(len(sel.States)) {
		return -1
	}
	if st := sel.States[i]; st.Dir != types.SendOnly || !t.carries(e, st.Send) {
		return -1
	}
	return branchIf(c.Op, token.EQL)
}

// entryBranch returns the branch that the If ending block b takes
// whenever b is entered from pred, or -1: the If tests a comparison of
// constants and phis of b whose edges from pred are constants, as the
// first test of a loop of constant bounds does (for i := 0; i < 3; i++:
// entered from before the loop, i is 0, and the loop runs at least once).
// Computed once per edge.
func (tb *table) entryBranch(b, pred *ssa.BasicBlock) int {
	if len(b.Preds) < 2 {
		return -1 // no phis: a constant test is deadBranch's
	}
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return -1
	}
	c, ok := ifInstr.Cond.(*ssa.BinOp)
	if !ok || c.Block() != b {
		return -1
	}
	key := [2]*ssa.BasicBlock{b, pred}
	if br, ok := tb.entries[key]; ok {
		return br
	}
	br := -1
	pi := tb.predIndex(b, pred)
	at := func(v ssa.Value) ssa.Value {
		if phi, ok := v.(*ssa.Phi); ok && phi.Block() == b && pi >= 0 {
			return phi.Edges[pi]
		}
		return v
	}
	if pi >= 0 {
		if dead := constBranch(tb, &ssa.BinOp{Op: c.Op, X: at(c.X), Y: at(c.Y)}); dead >= 0 {
			br = 1 - dead
		}
	}
	if tb.entries == nil {
		tb.entries = make(map[[2]*ssa.BasicBlock]int)
	}
	tb.entries[key] = br
	return br
}

// reacquired returns the earlier instance e after its acquisition ran
// again, or reports that it is lost: the acquisition's values and the
// variable it writes to now denote the new instance.
func (t *tracker) reacquired(e elem) (elem, bool) {
	if t.passesOld(e) {
		return t.handOn(e)
	}
	e.stale = true
	if t.outCell != nil {
		e = t.setBit(e, t.outCell, false)
		e = t.lateBits(e, t.late, false)
	}
	if e.bits.empty() {
		if t.heldish(e) {
			t.heldAtEnd = true
			t.leaks = append(t.leaks, leak{pos: t.src.Pos(), lost: true})
		}
		return e, false
	}
	return e, true
}

// passesOld reports whether the acquisition, run again while instance e
// is held in field t.part of the struct it acquires into (minio's listen
// calling w.rotate() in a loop, rotate a source of w.f), passes that
// struct, and so e, to a callee that may read the field: it may release
// what it holds first (rotate closes the old w.f), so e is handed on to
// the call, not overwritten. A callee that only stores into the field
// overwrites e (see mayReadField).
func (t *tracker) passesOld(e elem) bool {
	if t.outCell == nil || t.part.Kind != Field || e.st != stHeld || !t.holds(e, t.outCell) {
		return false
	}
	call, ok := t.src.Instr.(*ssa.Call)
	if !ok {
		return false
	}
	acq := t.src.Acquire
	fn := call.Call.StaticCallee()
	if fn == nil || !acq.Out.IsArg() || acq.OutValue != nil {
		return true // a dynamic call, or another operand: it may
	}
	return mayReadField(fn, int(acq.Out), t.part.N)
}

// mayReadField reports whether fn may read field f of the struct its
// parameter i points to: unless fn's body uses the parameter only to
// store into field f or to reach its other fields (open: p.f = f), the
// pointer may get to code that reads it.
func mayReadField(fn *ssa.Function, i, f int) bool {
	if len(fn.Blocks) == 0 || i >= len(fn.Params) {
		return true
	}
	for _, r := range *fn.Params[i].Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			return true
		}
		if fa.Field != f {
			continue
		}
		for _, u := range *fa.Referrers() {
			if st, ok := u.(*ssa.Store); !ok || st.Addr != fa {
				return true
			}
		}
	}
	return false
}

// deadBranch returns the branch of an If on cond that no path of the
// engine's takes, or -1: the false branch of a constant true (if
// runtime.GOOS != "windows"), the recover() != nil branch (a panic path,
// which the engine does not follow: Panic ends a path), and the branch of
// a comma-ok type assertion of the boxed handle that its dynamic type
// rules out.
func (t *tracker) deadBranch(e elem, cond ssa.Value) int {
	switch c := cond.(type) {
	case *ssa.Const:
		if c.Value != nil && c.Value.Kind() == constant.Bool {
			if constant.BoolVal(c.Value) {
				return 1
			}
			return 0
		}
	case *ssa.UnOp:
		if c.Op == token.NOT {
			if d := t.deadBranch(e, c.X); d >= 0 {
				return 1 - d
			}
		}
		if c == t.first.test {
			// A close-once closure's first run: the flag is open.
			if t.first.open {
				return 1
			}
			return 0
		}
	case *ssa.BinOp:
		if d := t.assumedBranch(c); d >= 0 {
			return d
		}
		if d := constBranch(t.a.tab, c); d >= 0 {
			return d
		}
		x, y := c.X, c.Y
		if isRecover(y) {
			x, y = y, x
		}
		if k, ok := y.(*ssa.Const); ok && k.IsNil() && isRecover(x) {
			return branchIf(c.Op, token.NEQ) // recover() != nil: a panic
		}
	case *ssa.Phi:
		return t.flagBranch(e, c) // if didOpen { fd.Close() }
	case *ssa.Extract:
		ta, ok := c.Tuple.(*ssa.TypeAssert)
		if !ok || c.Index != 1 || !t.cur(e, ta, roleAssert) {
			break
		}
		dyn := dynamicType(ta.X)
		if dyn == nil {
			dyn = t.acquiredType(ta.X)
		}
		if dyn == nil {
			break
		}
		if iface, isIface := ta.AssertedType.Underlying().(*types.Interface); isIface && types.Implements(dyn, iface) || types.Identical(dyn, ta.AssertedType) {
			return 1 // the assertion of the boxed handle succeeds
		}
		return 0
	}
	return -1
}

// constBranch returns the branch of an If on c, a comparison of two
// constants, that is never taken, or -1. An error variable declared
// outside a block that declares its own (raddr, err := ...; c, err =
// Dial(...) in a switch case) and tested after it holds nil there:
// its test compares nil with nil, and the acquisition's error is not it.
func constBranch(tb *table, c *ssa.BinOp) int {
	x, y := c.X, c.Y
	if tb.isNil(x) && tb.isNil(y) {
		switch c.Op {
		case token.EQL:
			return 1
		case token.NEQ:
			return 0
		}
		return -1
	}
	kx, ok1 := x.(*ssa.Const)
	ky, ok2 := y.(*ssa.Const)
	if !ok1 || !ok2 || kx.Value == nil || ky.Value == nil {
		return -1
	}
	switch c.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		if kx.Value.Kind() != ky.Value.Kind() && (kx.Value.Kind() == constant.String || ky.Value.Kind() == constant.String || kx.Value.Kind() == constant.Bool || ky.Value.Kind() == constant.Bool) {
			return -1
		}
		if constant.Compare(kx.Value, c.Op, ky.Value) {
			return 1
		}
		return 0
	}
	return -1
}

// isNil reports whether v is nil on every path: the constant, or a phi
// of nils (a variable that every path left nil). The answer for a phi is
// kept: every branch on a variable asks it, and a variable that N
// sequential ifs assign is a chain of N phis, which a walk that did not
// keep it would follow once per branch (O(N²) over the function).
func (tb *table) isNil(v ssa.Value) bool {
	phi, ok := v.(*ssa.Phi)
	if !ok {
		return isNilConst(v)
	}
	if r, ok := tb.nils[phi]; ok {
		return r
	}
	seen := make(map[*ssa.Phi]bool)
	r := tb.phiNil(phi, seen)
	if r {
		// Every phi the walk met has only nils and phis of the walk
		// among its edges: all are nil.
		for p := range seen {
			tb.nils[p] = true
		}
	}
	return r
}

// phiNil is isNil for a phi not yet answered, seen the phis on the walk
// (taken to be nil, as a cycle of phis with nothing else on it is). A
// phi found not nil is kept as such, whatever the walk assumed: one of
// its edges reaches a value that is not nil.
func (tb *table) phiNil(phi *ssa.Phi, seen map[*ssa.Phi]bool) bool {
	seen[phi] = true
	// The edges that are no phi first: they answer at once, and a
	// variable assigned on one side of an if (last = h) is one.
	for _, e := range phi.Edges {
		if _, isPhi := e.(*ssa.Phi); !isPhi && !isNilConst(e) {
			tb.nils[phi] = false
			return false
		}
	}
	for _, e := range phi.Edges {
		p, isPhi := e.(*ssa.Phi)
		if !isPhi || seen[p] {
			continue
		}
		if r, ok := tb.nils[p]; ok && r {
			continue
		}
		if _, ok := tb.nils[p]; ok || !tb.phiNil(p, seen) {
			tb.nils[phi] = false
			return false
		}
	}
	return true
}

// isNilConst reports whether v is the constant nil.
func isNilConst(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// assumedBranch returns the branch of an If on c, a test of the captured
// error variable the summary makes an assumption about (t.errIs), that
// the assumption rules out, or -1.
func (t *tracker) assumedBranch(c *ssa.BinOp) int {
	if t.errIs.v == nil {
		return -1
	}
	x := c.X
	if k, ok := x.(*ssa.Const); ok && k.IsNil() {
		x = c.Y
	}
	load, ok := x.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || load.X != t.errIs.v {
		return -1
	}
	nonNil := NonNilBranch(c, load)
	if nonNil >= 0 && t.errIs.nonNil {
		return 1 - nonNil
	}
	return nonNil
}

// NonNilBranch returns the branch of an If on c on which v is not nil: 0
// for v != nil, 1 for v == nil (either way round), -1 if c is no such
// test of v.
func NonNilBranch(c *ssa.BinOp, v ssa.Value) int {
	x, y := c.X, c.Y
	if y == v {
		x, y = y, x
	}
	k, isConst := y.(*ssa.Const)
	if x != v || !isConst || !k.IsNil() {
		return -1
	}
	return branchIf(c.Op, token.NEQ)
}

// isRecover reports whether v is the result of a call of recover().
func isRecover(v ssa.Value) bool {
	c, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := c.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "recover"
}

// dynamicType returns the dynamic type of interface value v when v boxes
// a value of known type (var x any = h), else nil.
func dynamicType(v ssa.Value) types.Type {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			return x.X.Type()
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return nil
		}
	}
}

// acquiredType returns the dynamic type of v when v is the handle result
// of the acquiring call itself (converted to another interface at most)
// and the call fixes that type (Acquire.Dynamic), else nil.
func (t *tracker) acquiredType(v ssa.Value) types.Type {
	if t.src == nil || t.detached || t.src.Acquire.Dynamic == nil || t.src.Acquire.Result < 0 {
		return nil
	}
	for {
		ci, ok := v.(*ssa.ChangeInterface)
		if !ok {
			break
		}
		v = ci.X
	}
	call, ok := t.src.Instr.(*ssa.Call)
	if !ok {
		return nil
	}
	if ex, ok := v.(*ssa.Extract); ok && ex.Tuple == call && ex.Index == int(t.src.Acquire.Result) ||
		v == call && t.src.Acquire.Result == 0 {
		return t.src.Acquire.Dynamic
	}
	return nil
}

// enter computes the phis of succ along the edge from pred: all at once,
// from the element as it leaves pred.
func (t *tracker) enter(succ, pred *ssa.BasicBlock, e elem) elem {
	pi := t.a.tab.predIndex(succ, pred)
	out := e
	flags := false // succ has a boolean phi, perhaps a flag
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		count(WorkPhis, 1)
		if isBool(phi.Type()) {
			flags = true
		}
		if info, tracked := t.info(phi); tracked && info.root == phi && pi >= 0 {
			in := t.cur(e, phi.Edges[pi], info.role)
			switch {
			case in:
			case info.role == roleHandle:
				// if err == nil { c = &countingConn{c, n} }; return c, err:
				// on this edge the phi is a struct of the function that
				// holds the handle, boxed as the handle's interface.
				in = t.cur(e, phi.Edges[pi], roleAggCell, roleAgg)
			case info.role == roleAggCell || info.role == roleAgg:
				// The same phi, discovered from the struct first.
				in = t.cur(e, phi.Edges[pi], roleHandle)
			}
			out = t.setBit(out, phi, in)
		}
	}
	if pi >= 0 && (flags || !out.flags.empty()) {
		out.flags = t.enterFlags(succ, out)
	}
	if !out.nilVars.empty() {
		out.nilVars = t.enterNilVars(succ, out)
	}
	return out
}

// step applies one instruction. It returns false when the element ends:
// the path ends, or the handle is handed on and no longer ours to track.
func (t *tracker) step(instr ssa.Instruction, e elem) (elem, bool) {
	count(WorkInstrs, 1)
	if t.src != nil && instr == t.src.Instr && !t.detached {
		st := stHeld
		switch {
		case t.src.Acquire.Borrowed:
			st = stBorrowed
		case t.earlyMaybe && t.early == nil && t.earlyOnErr == nil:
			st = stMaybe
		}
		e := elem{st: st, bits: t.bits(t.outCell), pending: t.early, onErr: t.earlyOnErr}
		e = t.lateBits(e, t.late, true)
		if st == stHeld {
			e.raw = t.rawEarly
		}
		return e, true
	}
	if e.st == stNone {
		return e, true
	}
	if t.rawDef != nil && instr == t.rawDef {
		e.rawGone = true
	}
	switch x := instr.(type) {
	case *ssa.UnOp:
		if _, isSlot := t.slotOf(x); isSlot && x.Op == token.MUL {
			return t.setBit(e, x, t.cur(e, x.X, roleCell, roleErrCell, roleAggCell)), true
		}
	case *ssa.RunDefers:
		e.nilVars = "" // the deferred calls may write them
	case *ssa.Store:
		e.nilVars = t.storeNilVar(e, x)
		if fa, ok := x.Addr.(*ssa.FieldAddr); ok && e.st == stHeld && t.cur(e, x.Val, roleHandle) {
			if _, local := fa.X.(*ssa.Alloc); local && !slices.Contains(t.wrapped, x) {
				t.wrapped = append(t.wrapped, x) // &Watcher{h: h}
			}
		}
		if info, ok := t.info(x.Addr); ok && info.role == roleAggPtr {
			return e, true // pi := new(T): the variable holds our struct
		}
		if info, ok := t.info(x.Addr); ok && info.role == roleClosure {
			return e, true // cleanup := func() {...}, followed in the variable
		}
		if info, ok := t.info(x.Addr); ok && (info.role == roleCell || info.role == roleErrCell || info.role == roleAggCell) {
			if _, isSlot := t.slotOf(info.root); isSlot {
				return t.setBit(e, info.root, t.cur(e, x.Val, valueRole(info.role))), true
			}
		}
		if p, ok := x.Addr.(*ssa.Parameter); ok && t.cur(e, x.Val, roleHandle) {
			set(&t.outParams, slices.Index(t.fn.Params, p)) // *out = h
		}
		if fa, ok := x.Addr.(*ssa.FieldAddr); ok && t.holder != nil && fa.Field != t.part.N && t.wrapFields[fa.Field] && ownAlloc(fa.X) == t.holder && t.wrapperValue(x.Val) {
			return e, true // tty.bin = bufio.NewReader(in): the holder holds a reader of it too
		}
		if t.recvWrapStore(e, x) {
			return e, true // sb.Writer = bufio.NewWriterSize(sb.file, n)
		}
		if t.carries(e, x.Val) {
			if call := varargsCall(x); call != nil && t.passesVararg(call, x.Val) {
				return e, true
			}
			return t.handOn(e)
		}
	case *ssa.Call:
		return t.call(x.Common(), x.Pos(), e, false)
	case *ssa.Defer:
		return t.call(x.Common(), x.Call.Pos(), e, true)
	case *ssa.Go:
		if slices.ContainsFunc(operands(&x.Call), func(v ssa.Value) bool { return t.carries(e, v) }) {
			// go w.readEvents(), go loop(fd), go func() { ... f ... }():
			// the goroutine owns the handle from here on, unless it only
			// reads the struct that holds it (go w.poll(), w.Close
			// closing w.fd).
			t.toGo = t.toGo || e.st == stHeld && !t.goUses(x, e)
			return t.handOn(e)
		}
	case *ssa.MapUpdate:
		if t.carries(e, x.Key) || t.carries(e, x.Value) {
			return t.handOn(e)
		}
	case *ssa.Send:
		if t.carries(e, x.X) {
			return t.handOn(e)
		}
	case *ssa.Return:
		t.noteNoneIf(e, x)
		if t.returnsCapturing(e, x) {
			// return f, cleanup, nil, where cleanup := func() { f.Close() }:
			// the caller releases f by calling cleanup, or keeps both.
			return t.handOn(e)
		}
		returned := false
		var in []int
		for i, v := range x.Results {
			if t.carries(e, v) {
				returned = true
				in = append(in, i)
				if t.cur(e, v, roleHandle) && !t.closedAtExit(e) && !t.wrapperValue(v) {
					set(&t.returned, i) // the result is the handle itself
				}
			}
		}
		if returned {
			t.returnAfter(e, x)
		}
		if returned && t.returnsAgg(e, x, in) {
			set(&t.aggRets, in[0])
		}
		if returned && t.entry != nil && t.holder != nil && e.st == stHeld && len(in) == 1 && ownAlloc(retValue(x, in[0])) == t.holder {
			// return &T{h: h}, nil of a parameter: a new T wraps it.
			set(&t.wrapRets, in[0])
			t.handedOn = true
			return e, false
		}
		if returned {
			if e.st == stHeld && e.onErr == nil && !t.closedAtExit(e) && t.entry == nil && t.withError(e, x, in) {
				t.errReturns = append(t.errReturns, x.Pos())
				for _, i := range in {
					set(&t.withErr, i)
				}
			}
			return t.handOn(e)
		}
		if e.onErr != nil && e.st == stHeld && t.releasedOnError(e, x) {
			return e, false
		}
		if t.recvHeldAt(e, x) {
			return e, false // in the caller's struct
		}
		t.exit(e, x)
		return e, false
	case *ssa.Panic:
		return e, false
	}
	return e, true
}

// returnAfter reports return ret, which returns the current instance e
// itself, when e is released by the time the caller gets it: released
// before, or by a deferred call (defer windows.CloseHandle(h); return h,
// nil). The caller gets a number that may name another object by then.
// Go objects that keep their closed state (an *os.File) are left out, as
// their methods are in acts: the caller's use fails with an error.
func (t *tracker) returnAfter(e elem, ret *ssa.Return) {
	if e.site == nil || e.site.rel == nil || t.src == nil || t.src.Acquire.ReleaseAgainOK || !t.closedAtExit(e) {
		return
	}
	for _, v := range ret.Results {
		if t.cur(e, v, roleHandle) && !t.wrapperValue(v) {
			t.a.report(Finding{Kind: UseAfterRelease, Pos: ret.Pos(), Source: t.src, Returned: true,
				Other: e.site.pos, OtherRelease: e.site.rel, OtherDeferred: e.site.deferred})
			return
		}
	}
}

// returnsAgg reports whether return ret, which returns the current
// instance e in results in, returns it held in field t.part of the struct
// that the acquiring call's result points to, that pointer itself (ino,
// err := getIno(dir); ...; return ino, nil), or of the struct the
// function stored it in (return &inode{handle: h}, nil).
func (t *tracker) returnsAgg(e elem, ret *ssa.Return, in []int) bool {
	if t.entry != nil || t.detached || t.part.Kind != Field || e.st != stHeld || t.closedAtExit(e) || len(in) != 1 {
		return false
	}
	if t.holder != nil {
		return ownAlloc(retValue(ret, in[0])) == t.holder
	}
	call, ok := t.src.Instr.(*ssa.Call)
	if !ok || t.src.Acquire.Result < 0 {
		return false
	}
	v := result(call, int(t.src.Acquire.Result), resultCount(call))
	return v != nil && Unconvert(retValue(ret, in[0])) == v
}

// releasedOnError reports whether, at return ret, the close-on-error
// closure of held instance e (e.onErr) may release it: the named error
// result is not nil there, or not known to be nil, and the closure's
// variable, if it reads one, still holds the instance. Where it is
// known to be nil, the closure does nothing and the handle is held.
func (t *tracker) releasedOnError(e elem, ret *ssa.Return) bool {
	if c := e.onErr.cell; c != nil && !t.holds(e, c) {
		return false // it releases what the variable holds now
	}
	res := namedErr(t.fn)
	if res == nil {
		return true
	}
	switch returnedErr(ret, res) {
	case errNil:
		return false
	case errSet:
		t.released = append(t.released, e.onErr)
	}
	return true // errUnknown: perhaps; nothing is reported
}

// closedAtExit reports whether the instance e is released by the time the
// function returns: released, or released by a deferred call (defer
// f.Close(); return f, nil). The caller then gets a closed handle, which
// is nothing to close: the function is no source for it.
func (t *tracker) closedAtExit(e elem) bool {
	switch e.st {
	case stReleased:
		return true
	case stDeferred:
		return !t.heldish(e) // not a deferred closure's variable that no longer holds it
	case stHeld:
		// A closure deferred before the acquisition releases what its
		// variable holds at exit: this instance, if it is still there.
		return e.pending != nil && t.holds(e, e.pending.cell)
	}
	return false
}

// handOn ends the caller's duty for an owned handle. A borrowed handle stays
// borrowed wherever it goes.
func (t *tracker) handOn(e elem) (elem, bool) { return t.handOnBy(e, false) }

// handOnBy is handOn, by adoption or another way.
func (t *tracker) handOnBy(e elem, adopt bool) (elem, bool) {
	if e.st == stBorrowed {
		return e, true
	}
	if e.st == stHeld {
		t.handedOn = true
		t.handedOther = t.handedOther || !adopt
	}
	return e, false
}

// exit records a return reached with the handle held, and runs a pending
// deferred closure.
func (t *tracker) exit(e elem, ret *ssa.Return) {
	if e.defUse != nil && e.defRel != nil && t.holds(e, e.defUse.cell) {
		// The deferred literal reads the released handle from its
		// variable.
		t.useAfter(*e.defUse, e.defRel)
	}
	if p := e.pending; p != nil {
		inCell := t.holds(e, p.cell)
		switch {
		case inCell && e.st == stReleased && e.site.once != nil && e.site.once == p.once:
			// A close-once closure released it: the deferred call of it
			// does nothing.
		case inCell && e.st == stReleased && e.site != p:
			// The variable still holds the handle released explicitly:
			// the deferred closure releases it again.
			t.a.report(Finding{
				Kind: DoubleRelease, Pos: e.site.pos, Source: t.src,
				Release: e.site.rel, Deferred: e.site.deferred,
				Other: p.pos, OtherRelease: p.rel, OtherDeferred: true,
			})
		case inCell && e.st == stHeld:
			// A closure deferred before the acquisition releases what
			// the variable holds now: this handle.
			t.released = append(t.released, p)
			return
		case t.heldish(e):
			// The closure releases what the variable holds now, which
			// is no longer this handle.
			e.st = stHeld
		}
	}
	if e.st != stHeld {
		return
	}
	t.heldAtEnd = true
	pos := ret.Pos()
	if !pos.IsValid() {
		pos = closingBrace(t.fn)
	}
	t.leaks = append(t.leaks, leak{pos: pos, validErr: e.err == errNonNil || e.err == errIsValid})
}

// closingBrace is the position of fn's closing brace, for an implicit return.
func closingBrace(fn *ssa.Function) token.Pos {
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		if s.Body != nil {
			return s.Body.Rbrace
		}
	case *ast.FuncLit:
		return s.Body.Rbrace
	}
	return fn.Pos()
}

// call applies a call, deferred or not.
func (t *tracker) call(c *ssa.CallCommon, pos token.Pos, e elem, deferred bool) (elem, bool) {
	if in := t.entry; in != nil && in.inner != nil && t.cur(e, c.Value, roleClosure) && t.vals.root(c.Value) == in.value {
		// The captured closure called: cleanup().
		fn := in.inner.value.(*ssa.FreeVar).Parent()
		return t.apply(e, t.summarize(fn, *in.inner), pos, deferred, nil, nil)
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok && t.carries(e, mc) {
		return t.callClosure(mc, c, pos, e, deferred)
	}
	if mc := closureOf(c.Value); mc != nil && t.carries(e, c.Value) {
		// A call of what a variable holding one closure holds:
		// closeF(), where another closure captures closeF.
		return t.callClosure(mc, c, pos, e, deferred)
	}
	if fn := literal(c.Value); fn != nil {
		if k := slices.IndexFunc(c.Args, func(v ssa.Value) bool { return t.cur(e, v, roleHandle) }); k >= 0 {
			return t.callLiteral(fn, k, pos, e, deferred)
		}
	}
	eff := t.a.oracle.Effects(c)
	if eff.NoReturn && !deferred {
		return e, false
	}
	t.checkUse(c, pos, e, eff, deferred)
	if deferred && e.st == stHeld && e.defUse == nil && t.acts(c, e, eff) {
		e.defUse = t.internUse(use{pos: pos, call: c, deferred: true})
	}
	// The operands released or overwritten here: not handed on.
	var doneRoom [4]Operand
	done := doneRoom[:0]
	for i := range eff.Releases {
		rel := &eff.Releases[i]
		v := rel.Value
		if v == nil {
			v = OperandValue(c, rel.Operand)
		}
		if v != nil && (t.cur(e, v, roleHandle) || rel.Part.Kind != Whole && rel.Part == t.part && t.cur(e, v, roleAggCell)) {
			done = append(done, rel.Operand)
			e = t.release(e, t.intern(site{pos: pos, rel: rel, deferred: deferred}))
		} else if rel.Part.Kind == Whole && t.isRaw(e, v) {
			e = t.releaseRaw(e, t.intern(site{pos: pos, rel: rel, deferred: deferred, raw: true}))
		}
	}
	for _, op := range eff.Adopts {
		if v := OperandValue(c, op); v != nil && t.carries(e, v) {
			if e.st == stHeld {
				t.adopted = true
			}
			return t.handOnBy(e, true)
		}
	}
	for _, acq := range eff.Acquires {
		if v := OperandValue(c, acq.Out); acq.Out.IsArg() && acq.OutValue == nil && acq.Part.Kind == Whole && v != nil && t.cur(e, v, roleCell) {
			done = append(done, acq.Out) // another acquisition overwrites the variable
			info, _ := t.info(v)
			e = t.setBit(e, info.root, false)
			if t.curCall != nil && t.curCall.Common() == c {
				// return h, open(&h): the statement reads h after the call
				e = t.lateBits(e, t.lateLoads(t.curCall, info.root), false)
			}
		}
	}
	if eff.UseOnly {
		return e, true
	}
	for i, v := range c.Args {
		if !slices.Contains(done, Arg(i)) && !slices.Contains(eff.Uses, Arg(i)) && t.carries(e, v) && !t.usesField(c, i, v, e) && !t.passes(c, v, e) {
			return t.handOn(e)
		}
	}
	if c.IsInvoke() && !slices.Contains(done, Recv) && !slices.Contains(eff.Uses, Recv) && t.carries(e, c.Value) {
		return t.handOn(e)
	}
	return e, true
}

// goUses reports whether go statement g hands the current instance e to
// the goroutine only in structs that the function it runs only uses
// (usesField): the goroutine reads the handle and never releases it.
func (t *tracker) goUses(g *ssa.Go, e elem) bool {
	c := &g.Call
	if t.carries(e, c.Value) {
		return false // a closure that captures it, a method value bound to it
	}
	for i, v := range c.Args {
		if t.carries(e, v) && !t.usesField(c, i, v, e) {
			return false
		}
	}
	return true
}

// passes reports whether the call returns v, the current instance, as it
// is (a Pass): the result is the handle, which stays the caller's.
func (t *tracker) passes(c *ssa.CallCommon, v ssa.Value, e elem) bool {
	if !t.cur(e, v, roleHandle) {
		return false
	}
	_, ok := t.passOf(c, v)
	return ok
}

// usesField reports whether the call only uses the struct that argument
// i, v, is or points to, which holds the current instance in field
// t.part: the Oracle is a FieldOracle that says so of the callee (a
// helper of the package that only reads the field: watches.get(ino)).
func (t *tracker) usesField(c *ssa.CallCommon, i int, v ssa.Value, e elem) bool {
	fo, ok := t.a.oracle.(FieldOracle)
	if !ok || t.part.Kind != Field || !t.cur(e, v, roleAgg, roleAggCell) {
		return false
	}
	st, agg := StructOf(v.Type()), t.aggStruct()
	if st == nil || agg == nil || t.part.N >= st.NumFields() || !types.Identical(st, agg) {
		return false // seen through another struct type (unsafe.Pointer)
	}
	return fo.UsesField(c, Arg(i), t.part.N)
}

// aggStruct returns the struct type of the aggregate that holds the
// handle in field t.part, or nil: the struct the function allocated and
// stored it in, the parameter summarized, the variable an out-parameter
// acquisition writes, or the result of the acquiring call.
func (t *tracker) aggStruct() *types.Struct {
	switch {
	case t.holder != nil:
		return StructOf(t.holder.Type())
	case t.recv != nil:
		return StructOf(t.recv.param.Type())
	case t.entry != nil:
		return StructOf(t.entry.value.Type())
	case t.outCell != nil:
		return StructOf(t.outCell.Type())
	case t.src != nil && t.src.Acquire.Result >= 0:
		if call, ok := t.src.Instr.(*ssa.Call); ok {
			if res := call.Call.Signature().Results(); int(t.src.Acquire.Result) < res.Len() {
				return StructOf(res.At(int(t.src.Acquire.Result)).Type())
			}
		}
	}
	return nil
}

// StructOf returns the struct type that t is or points to, or nil.
func StructOf(t types.Type) *types.Struct {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, _ := t.Underlying().(*types.Struct)
	return st
}

// checkUse reports what a call does with the current instance that its
// status forbids: a borrowed handle passed where its object is changed,
// and a released one passed to code that acts on it (the call is not a
// release of it: that is a DoubleRelease).
func (t *tracker) checkUse(c *ssa.CallCommon, pos token.Pos, e elem, eff Effects, deferred bool) {
	if t.a.quiet && e.st == stHeld {
		// Summarizing a parameter: a change of its object makes the
		// function a changer of that parameter for its callers.
		for i := range eff.Changes {
			ch := &eff.Changes[i]
			v := ch.Value
			if v == nil {
				v = OperandValue(c, ch.Operand)
			}
			if v != nil && t.cur(e, v, roleHandle) && !slices.Contains(t.changes, ch) {
				t.changes = append(t.changes, ch)
			}
		}
		return
	}
	if e.raw != nil && !e.raw.deferred && (e.st == stHeld || e.st == stDeferred) && t.acts(c, e, eff) {
		// The number the handle holds was released directly.
		t.useAfter(use{pos: pos, call: c, deferred: deferred}, e.raw)
	}
	if e.st == stHeld {
		if t.entry != nil && !deferred && t.firstUse == nil && t.acts(c, e, eff) {
			// Inside a function literal: its callers learn that it acts
			// on the handle (see summary.use).
			t.firstUse = t.internUse(use{pos: pos, call: c})
		}
		return
	}
	if e.st != stBorrowed && (e.st != stReleased || e.site == nil || e.site.deferred) {
		// A use before a deferred release runs before it; a deferred use
		// registered after a deferred release runs before it too.
		return
	}
	for i := range eff.Changes {
		ch := &eff.Changes[i]
		v := ch.Value
		if v == nil {
			v = OperandValue(c, ch.Operand)
		}
		if v != nil && e.st == stBorrowed && (ch.Resource == "" || ch.Resource == t.src.Acquire.Resource) && t.cur(e, v, roleHandle) {
			t.a.report(Finding{Kind: BorrowedChange, Pos: pos, Source: t.src, Change: ch, Call: c, Deferred: deferred})
			return
		}
	}
	if e.st == stReleased && t.acts(c, e, eff) {
		t.useAfter(use{pos: pos, call: c, deferred: deferred}, e.site)
	}
}

// acts reports whether a call acts on the current instance: it passes the
// handle where the callee uses it (any argument of a call that acts, or
// one its rules or summary say it uses), and is not a release of it (a
// second release is a DoubleRelease). A handle whose releases are
// idempotent (ReleaseAgainOK) is acted on only by a call that takes a
// handle out of it.
func (t *tracker) acts(c *ssa.CallCommon, e elem, eff Effects) bool {
	for _, rel := range eff.Releases {
		v := rel.Value
		if v == nil {
			v = OperandValue(c, rel.Operand)
		}
		if v != nil && t.cur(e, v, roleHandle) {
			return false
		}
	}
	if t.src != nil && t.src.Acquire.ReleaseAgainOK {
		// A Go object that keeps its closed state (an *os.File, an owner
		// type, a net.Conn): its methods, and helpers that call them,
		// fail on it with an error (os.ErrClosed), not on a reused
		// number. Taking its number out of it ((*os.File).Fd, a
		// borrowed handle) still uses it: the number is invalid, or
		// another object's by now. A call that makes a new owned handle
		// of it ((*net.conn).File's dup) fails with that error too.
		if !slices.ContainsFunc(eff.Acquires, func(a Acquire) bool { return a.Borrowed }) {
			return false
		}
	}
	all := eff.Acts || len(eff.Acquires) > 0 || len(eff.Changes) > 0
	for i, v := range c.Args {
		if (all || slices.Contains(eff.Uses, Arg(i))) && t.cur(e, v, roleHandle) {
			return true
		}
	}
	return false
}

// useAfter reports use u of a handle that release s released before it.
func (t *tracker) useAfter(u use, s *site) {
	t.a.report(Finding{Kind: UseAfterRelease, Pos: u.pos, Source: t.src, Call: u.call, Deferred: u.deferred, Via: u.via,
		Other: s.pos, OtherRelease: s.rel, OtherDeferred: s.deferred, OtherRaw: s.raw})
}

// isRaw reports whether v is, converted at most, the raw handle that the
// acquisition adopted (tracker.raw), on a path where its value has not
// changed since: e is the current instance, and the instruction that
// defines it has not run again.
func (t *tracker) isRaw(e elem, v ssa.Value) bool {
	return t.raw != nil && v != nil && !e.stale && !e.rawGone && Unconvert(v) == t.raw
}

// releaseRaw applies a direct release at s of the raw handle that the
// acquisition adopted. The handle still holds that number and releases
// it when it is released itself: released already, or released later
// (release), that is a DoubleRelease. Otherwise the handle stays
// held: a File dropped with its descriptor closed this way is left to
// its finalizer, which closes the number again, and is a leak as before.
func (t *tracker) releaseRaw(e elem, s *site) elem {
	t.rawReleased = true
	switch e.st {
	case stHeld:
		if e.raw == nil {
			e.raw = s
			return e
		}
		t.doubleRelease(e.raw, s)
	case stReleased, stDeferred:
		if e.pending != nil && e.site == e.pending {
			return e // what the deferred closure releases is decided at exit
		}
		t.doubleRelease(e.site, s)
		if e.st == stDeferred && e.raw == nil {
			e.raw = s // uses before the deferred release use a released number
		}
	}
	return e
}

// doubleRelease reports two releases of the current instance, at first
// and then at second on the path: the explicit one when the other is
// deferred (it runs first), else the second.
func (t *tracker) doubleRelease(first, second *site) {
	if second.deferred && !first.deferred {
		// Report the explicit release; the deferred one is the other.
		first, second = second, first
	}
	t.a.report(Finding{
		Kind: DoubleRelease, Pos: second.pos, Source: t.src,
		Release: second.rel, Deferred: second.deferred, Raw: second.raw,
		Other: first.pos, OtherRelease: first.rel, OtherDeferred: first.deferred, OtherRaw: first.raw,
		Again: first == second,
	})
}

// release applies a release of the current instance at s.
func (t *tracker) release(e elem, s *site) elem {
	t.released = append(t.released, s)
	if e.defUse != nil && e.st == stHeld {
		// A deferred use registered before: it runs after this release
		// (an explicit one, or a deferred one, which runs first).
		if e.defUse.cell == nil {
			t.useAfter(*e.defUse, s)
			e.defUse = nil
		} else {
			e.defRel = s // decided at exit
		}
	}
	if s.rel.Part.Kind != Whole && e.st != stHeld {
		// An owner type's closer may test a closed flag or an owned
		// one: only that it ends the duty is relied on.
		return e
	}
	switch e.st {
	case stBorrowed:
		t.a.report(Finding{Kind: BorrowedRelease, Pos: s.pos, Source: t.src, Release: s.rel, Deferred: s.deferred})
		return e
	case stHeld:
		// A closer (Part) releases whatever its field holds.
		if s.rel.Part.Kind == Whole && !slices.Contains(s.rel.Resources, t.src.Acquire.Resource) {
			t.a.report(Finding{Kind: WrongReleaser, Pos: s.pos, Source: t.src, Release: s.rel, Deferred: s.deferred})
		}
		if e.raw != nil {
			// The raw handle it holds was released directly before.
			t.doubleRelease(e.raw, s)
			e.raw = nil
		}
		e.st = stReleased
		if s.deferred {
			e.st = stDeferred
		}
		e.site = s
	case stMaybe:
		return e // what the deferred closure does is not known: report nothing
	case stDeferred, stReleased:
		if e.pending != nil && e.site == e.pending && !s.deferred {
			// The deferred closure decides at exit; remember this release.
			e.st, e.site = stReleased, s
			return e
		}
		t.doubleRelease(e.site, s)
	}
	return e
}

// operands returns every value a call passes on: its arguments, and the
// receiver or closure it calls.
func operands(c *ssa.CallCommon) []ssa.Value {
	return append([]ssa.Value{c.Value}, c.Args...)
}

// OperandValue returns operand op of a call, or nil.
func OperandValue(c *ssa.CallCommon, op Operand) ssa.Value {
	if op == Recv {
		if c.IsInvoke() {
			return c.Value
		}
		return nil
	}
	if op.IsArg() && int(op) < len(c.Args) {
		return c.Args[op]
	}
	return nil
}

// passesVararg reports whether storing v into the variadic array of call
// keeps the handle ours: the callee only uses it, or releases it
// (procCloseHandle.Call(uintptr(h))), which the call itself then applies.
func (t *tracker) passesVararg(call *ssa.CallCommon, v ssa.Value) bool {
	eff := t.a.oracle.Effects(call)
	if eff.UseOnly {
		return true
	}
	for _, rel := range eff.Releases {
		if rel.Value == v {
			return true
		}
	}
	return false
}

// varargsCall returns the call a store feeds when it fills the implicit
// array of a variadic call (fmt.Println(h)), or nil.
func varargsCall(s *ssa.Store) *ssa.CallCommon {
	ia, ok := s.Addr.(*ssa.IndexAddr)
	if !ok {
		return nil
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var call *ssa.CallCommon
	for _, r := range *arr.Referrers() {
		switch r := r.(type) {
		case *ssa.IndexAddr:
		case *ssa.Slice:
			refs := *r.Referrers()
			if len(refs) != 1 || call != nil {
				return nil
			}
			ci, ok := refs[0].(ssa.CallInstruction)
			if !ok || len(ci.Common().Args) == 0 || ci.Common().Args[len(ci.Common().Args)-1] != r {
				return nil
			}
			call = ci.Common()
		default:
			return nil
		}
	}
	return call
}

// learned is what a branch of an If tells about the acquisition.
type learned uint8

const (
	nothing    learned = iota
	invalid            // the handle is not valid: its error is non-nil, or it equals an invalid value
	errNonNil          // the error is not nil (for Acquire.ValidErr)
	errNotOne          // the error is none of those the handle is valid with
	errIsValid         // the error is one the handle is valid with
)

// apply applies what a branch tells to an element, and reports whether the
// handle can still be valid there.
func (l learned) apply(e elem) (elem, bool) {
	switch l {
	case invalid:
		return e, false
	case errNonNil:
		if e.err == errNotOne {
			return e, false
		}
		if e.err == nothing {
			e.err = errNonNil
		}
	case errNotOne:
		if e.err == errNonNil {
			return e, false
		}
		if e.err == nothing {
			e.err = errNotOne
		}
	case errIsValid:
		e.err = errIsValid
	}
	return e, true
}

// branches says what each branch of an If whose condition is cond tells
// about the current instance.
func (t *tracker) branches(e elem, cond ssa.Value) [2]learned {
	validErr := t.src.Acquire.ValidErr
	on := func(b int, l, other learned) [2]learned {
		var out [2]learned
		if b >= 0 {
			out[b], out[1-b] = l, other
		}
		return out
	}
	// nonNil: the error is non-nil on branch b, and is target there
	// (target is nil when not known).
	nonNil := func(b int, target ssa.Value) [2]learned {
		switch {
		case validErr == nil:
			return on(b, invalid, nothing)
		case target == nil:
			return on(b, errNonNil, nothing)
		case validErr(target):
			return on(b, errIsValid, errNotOne)
		}
		return on(b, invalid, nothing) // err == ERROR_ACCESS_DENIED
	}
	if l, ok := t.tagBranches(e, cond); ok {
		return l // f == NotArchive: no handle there
	}
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.NOT {
			l := t.branches(e, c.X)
			return [2]learned{l[1], l[0]}
		}
	case *ssa.BinOp:
		x, y, op := c.X, c.Y, c.Op
		if t.cur(e, y, roleErr, roleHandle, roleOk, roleAggCell) {
			x, y, op = y, x, Mirror(op)
		}
		if t.cur(e, x, roleErr) && isNonNil(y) {
			return nonNil(branchIf(op, token.EQL), y) // err == io.EOF: err is not nil
		}
		if t.cur(e, x, roleHandle) && (op == token.EQL || op == token.NEQ) && t.otherHandle(y) {
			// sfd != rfd: two handles the function acquired are
			// different numbers while ours is held.
			return on(branchIf(op, token.EQL), invalid, nothing)
		}
		k, ok := y.(*ssa.Const)
		if !ok {
			break
		}
		switch {
		case t.cur(e, x, roleErr) && (k.IsNil() || isZeroErrno(k)):
			b := branchIf(op, token.NEQ)
			if validErr != nil && b >= 0 && e.err == errNonNil {
				return on(1-b, invalid, nothing) // err == nil contradicts the path
			}
			return nonNil(b, nil)
		case t.cur(e, x, roleHandle):
			return on(invalidTest(op, k), invalid, nothing)
		case k.IsNil() && t.holder == nil && t.cur(e, x, roleAggCell):
			// ino == nil, of the struct a call returned the handle in:
			// no struct, no handle.
			return on(branchIf(op, token.EQL), invalid, nothing)
		case t.cur(e, x, roleOk) && k.Value != nil:
			return on(failedBranch(t.src.Acquire.Success, x.Type(), op, k.Value), invalid, nothing)
		}
	case *ssa.Extract:
		// errno, ok := err.(syscall.Errno): ok only for a non-nil err.
		if ta, isTA := c.Tuple.(*ssa.TypeAssert); isTA && ta.CommaOk && c.Index == 1 && t.cur(e, ta.X, roleErr) {
			return nonNil(0, nil)
		}
		// errno, ok := errors.AsType[syscall.Errno](err): the same, for
		// an error test whose last result is its bool.
		if call, isCall := c.Tuple.(*ssa.Call); isCall && c.Index == resultCount(call)-1 {
			for _, op := range t.a.oracle.Effects(&call.Call).NonNilIfTrue {
				if v := OperandValue(&call.Call, op); v != nil && t.nilWithErr(e, v) {
					return nonNil(0, nil)
				}
			}
		}
	case *ssa.Call:
		eff := t.a.oracle.Effects(&c.Call)
		// FAILED(hr): the comparison it makes.
		if cmp := eff.Compares; cmp != nil {
			if v := OperandValue(&c.Call, cmp.Operand); v != nil && t.cur(e, v, roleOk) {
				return on(failedBranch(t.src.Acquire.Success, cmp.Type, cmp.Op, cmp.Value), invalid, nothing)
			}
		}
		// errors.Is(err, ERROR_ACCESS_DENIED): true only for a non-nil err.
		for _, op := range eff.NonNilIfTrue {
			if v := OperandValue(&c.Call, op); v != nil && t.cur(e, v, roleErr) {
				var target ssa.Value
				if len(c.Call.Args) > 1 && isNonNil(c.Call.Args[1]) {
					target = c.Call.Args[1]
				}
				return nonNil(0, target)
			}
			// os.IsNotExist(errors.Cause(err)): the wrapper is nil where
			// err is, so err is not nil either; what it is, the test of
			// the wrapper's result does not say.
			if v := OperandValue(&c.Call, op); v != nil && t.nilWithErr(e, v) {
				return nonNil(0, nil)
			}
		}
	}
	return [2]learned{}
}

// otherHandle reports whether v, which the tracker does not follow, holds
// a handle of another acquisition of the function on every path, or an
// invalid value: a handle result of a call the Oracle says acquires one,
// a phi of such values, or a load of a variable that only such values are
// stored into (a closure's captured variable included). The engine takes
// such a handle to be alive where it is compared with the tracked one,
// which is held, so the two differ. The value of a handle released
// before the tracked one was acquired could be equal; the engine does
// not tell that apart.
func (t *tracker) otherHandle(v ssa.Value) bool {
	if _, ours := t.info(v); ours {
		return false // the tracked handle, or an earlier instance of it
	}
	if _, isConst := Unconvert(v).(*ssa.Const); isConst {
		return false // a validity test (invalidTest)
	}
	return t.isAcquired(v, make(map[ssa.Value]bool))
}

func (t *tracker) isAcquired(v ssa.Value, seen map[ssa.Value]bool) bool {
	v = Unconvert(v)
	if seen[v] {
		return true // a cycle of phis adds no other value
	}
	seen[v] = true
	if len(seen) > 64 {
		return false
	}
	returns := func(call *ssa.Call, i int) bool {
		for _, acq := range t.a.oracle.Effects(&call.Call).Acquires {
			if acq.Result == ResultAt(i) && acq.Out == NoOperand && acq.Part.Kind == Whole {
				return true
			}
		}
		return false
	}
	switch x := v.(type) {
	case *ssa.Const:
		return x.Value != nil && x.Value.Kind() == constant.Int && isInvalidValue(x)
	case *ssa.Call:
		return resultCount(x) == 1 && returns(x, 0)
	case *ssa.Extract:
		call, ok := x.Tuple.(*ssa.Call)
		return ok && returns(call, x.Index)
	case *ssa.Phi:
		for _, edge := range x.Edges {
			if !t.isAcquired(edge, seen) {
				return false
			}
		}
		return len(x.Edges) > 0
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return t.storedAcquired(x.X, seen)
		}
	}
	return false
}

// storedAcquired reports whether variable cell (a local variable, or a
// closure's captured one) is only loaded, captured, and stored values
// that isAcquired.
func (t *tracker) storedAcquired(cell ssa.Value, seen map[ssa.Value]bool) bool {
	switch x := cell.(type) {
	case *ssa.FreeVar:
		fn := x.Parent()
		k := slices.Index(fn.FreeVars, x)
		refs := fn.Referrers()
		if k < 0 || refs == nil || len(*refs) == 0 {
			return false
		}
		for _, r := range *refs {
			mc, ok := r.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || k >= len(mc.Bindings) || !t.storedAcquired(mc.Bindings[k], seen) {
				return false
			}
		}
		return t.onlyLoaded(x, seen)
	case *ssa.Alloc:
		return t.onlyLoaded(x, seen)
	}
	return false
}

// onlyLoaded reports whether the referrers of cell only load it, capture
// it in a closure that does not store to it, or store values that
// isAcquired into it.
func (t *tracker) onlyLoaded(cell ssa.Value, seen map[ssa.Value]bool) bool {
	refs := cell.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
		case *ssa.Store:
			if x.Addr != cell || !t.isAcquired(x.Val, seen) {
				return false
			}
		case *ssa.MakeClosure:
			fn := x.Fn.(*ssa.Function)
			for k, b := range x.Bindings {
				if b == cell && (k >= len(fn.FreeVars) || !t.onlyLoaded(fn.FreeVars[k], seen)) {
					return false
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// Fails reports whether the call failed, by success test s, when its
// status, of type typ, is the constant k.
func (s Success) Fails(typ types.Type, k constant.Value) bool {
	return s != NoSuccessGate && failedBranch(s, typ, token.EQL, k) == 0
}

// failedBranch returns the branch of "x op k" on which the acquiring call
// failed by success test succ, x being its status result (converted) of
// type typ: the branch whose values are all failures. It is -1 when
// neither is.
//
// The values are those of typ: a status in an unsigned type (the uintptr
// from SyscallN) with succ SuccessNonNegative is read as an int32, and so
// is k when it fits in 32 bits (E_FAIL as 0x80004005); ordered comparisons
// of such a status say nothing.
func failedBranch(succ Success, typ types.Type, op token.Token, k constant.Value) int {
	k = constant.ToInt(k)
	if k.Kind() != constant.Int {
		return -1
	}
	b, ok := typ.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsInteger == 0 {
		return -1
	}
	unsigned := b.Info()&types.IsUnsigned != 0
	if succ == SuccessNonNegative && unsigned {
		if op != token.EQL && op != token.NEQ {
			return -1
		}
		if u, exact := constant.Uint64Val(k); exact && u <= 0xffffffff {
			k = constant.MakeInt64(int64(int32(uint32(u))))
		}
	}
	// holdsSuccess reports whether "x op k" holds for some value x with
	// which the call succeeded.
	holdsSuccess := func(op token.Token) bool {
		switch succ {
		case SuccessZero: // x == 0
			return constant.Compare(constant.MakeInt64(0), op, k)
		case SuccessNonNegative: // 0 <= x
			switch op {
			case token.EQL, token.LEQ:
				return constant.Sign(k) >= 0
			case token.LSS:
				return constant.Sign(k) > 0
			}
		case SuccessNonzero: // x != 0; for an unsigned type 1 <= x
			switch {
			case op == token.EQL:
				return constant.Sign(k) != 0
			case unsigned && op == token.LSS:
				return constant.Compare(k, token.GTR, constant.MakeInt64(1))
			case unsigned && op == token.LEQ:
				return constant.Sign(k) > 0
			}
		}
		return true // NEQ, GTR, GEQ: some large x
	}
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return -1
	}
	if !holdsSuccess(op) {
		return 0
	}
	if !holdsSuccess(Negate(op)) {
		return 1
	}
	return -1
}

// isNonNil reports whether v is an interface value that cannot be nil: a
// value just boxed, or a package-level error variable (io.EOF).
func isNonNil(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return true
	case *ssa.UnOp:
		_, global := v.X.(*ssa.Global)
		return v.Op == token.MUL && global
	}
	return false
}

// invalidTest returns the branch of "h op k" on which h is invalid, or -1.
func invalidTest(op token.Token, k *ssa.Const) int {
	if k.Value == nil {
		if k.IsNil() {
			return branchIf(op, token.EQL)
		}
		return -1
	}
	if k.Value.Kind() != constant.Int {
		return -1
	}
	switch op {
	case token.EQL, token.NEQ:
		if isInvalidValue(k) {
			return branchIf(op, token.EQL) // h == InvalidHandle, h != 0
		}
	case token.LSS, token.GEQ: // fd < 0, fd >= 0
		if constant.Sign(k.Value) == 0 {
			return branchIf(op, token.LSS)
		}
	case token.LEQ, token.GTR: // fd <= -1, fd > -1
		if i, exact := constant.Int64Val(k.Value); exact && i == -1 {
			return branchIf(op, token.LEQ)
		}
		// r <= 0, r > 0 of an unsigned value (a native procedure's
		// uintptr result) are r == 0, r != 0.
		if constant.Sign(k.Value) == 0 && isUnsigned(k.Type()) {
			return branchIf(op, token.LEQ)
		}
	}
	return -1
}

// isZeroErrno reports whether k is the 0 of an integer error type (a raw
// system call's syscall.Errno): err != 0 tests it as err != nil does.
func isZeroErrno(k *ssa.Const) bool {
	if k.Value == nil || k.Value.Kind() != constant.Int || constant.Sign(k.Value) != 0 {
		return false
	}
	_, isNamed := k.Type().(*types.Named)
	return isNamed && types.Implements(k.Type(), errorInterface)
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isUnsigned reports whether t is an unsigned integer type.
func isUnsigned(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsUnsigned != 0
}

// branchIf returns 0 (the true branch) if op is want, 1 if it is want's
// negation, else -1.
func branchIf(op, want token.Token) int {
	switch {
	case op == want:
		return 0
	case op == Negate(want):
		return 1
	}
	return -1
}

// Negate returns the comparison that is true where op is false, or
// token.ILLEGAL if op is no comparison.
func Negate(op token.Token) token.Token {
	switch op {
	case token.EQL:
		return token.NEQ
	case token.NEQ:
		return token.EQL
	case token.LSS:
		return token.GEQ
	case token.GEQ:
		return token.LSS
	case token.LEQ:
		return token.GTR
	case token.GTR:
		return token.LEQ
	}
	return token.ILLEGAL
}

// Mirror returns the comparison of y and x that is op of x and y.
func Mirror(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.GTR:
		return token.LSS
	case token.LEQ:
		return token.GEQ
	case token.GEQ:
		return token.LEQ
	}
	return op
}

// isInvalidValue reports whether k is a value no valid handle has: 0, -1,
// or all ones (windows.InvalidHandle).
func isInvalidValue(k *ssa.Const) bool {
	v := k.Value
	if constant.Sign(v) == 0 {
		return true
	}
	if i, exact := constant.Int64Val(v); exact && i == -1 {
		return true
	}
	if u, exact := constant.Uint64Val(v); exact {
		return u == 1<<64-1 || (u == 1<<32-1 && isUint32(k.Type()))
	}
	return false
}

func isUint32(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Uint32
}

// sortFindings orders findings by position, then kind.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Pos != b.Pos {
			return int(a.Pos - b.Pos)
		}
		return int(a.Kind) - int(b.Kind)
	})
}

// withError reports whether return ret, which gives the held handle in
// results in, gives with it an error that may be non-nil (issue 18,
// pattern 3): the function's last result is an error, not among in, and
// what ret returns there is a call's error, a non-nil error value or a
// boxed one, not known to be nil on the way (no dominating err != nil
// test sends the path here on its nil side), and not the acquiring
// call's own error (with which the handle is invalid, or valid by the
// API's design). Callers that check the error first never see the
// handle. Phis and variables are not followed: nothing is said of them.
func (t *tracker) withError(e elem, ret *ssa.Return, in []int) bool {
	n := len(ret.Results)
	if n < 2 || !isErrorType(ret.Results[n-1].Type()) || slices.Contains(in, n-1) {
		return false
	}
	v := ret.Results[n-1]
	if t.cur(e, v, roleErr) {
		return false
	}
	switch x := v.(type) {
	case *ssa.Call, *ssa.MakeInterface:
	case *ssa.Extract:
		if _, call := x.Tuple.(*ssa.Call); !call {
			return false
		}
	case *ssa.UnOp:
		if !isNonNil(x) {
			return false // a variable: not followed
		}
	default:
		return false
	}
	if c, ok := v.(*ssa.Call); ok && t.keepsErrNil(e, c, 0) {
		return false // return f, errors.WithStack(err): nil where f is live
	}
	return !knownNil(v, ret.Block())
}

// returnsCapturing reports whether return ret gives the handle of e in
// one result and, in another, a closure that captures it (or the variable
// holding it): a cleanup function that releases it (func prepare() (conn
// *net.UnixConn, cleanup func(), err error), whose cleanup closes conn).
// The caller's duty is then to call the closure, not to release the
// handle: the function is no source of it.
func (t *tracker) returnsCapturing(e elem, ret *ssa.Return) bool {
	if len(ret.Results) < 2 || !slices.ContainsFunc(ret.Results, func(v ssa.Value) bool { return t.carries(e, v) }) {
		return false
	}
	for _, v := range ret.Results {
		if _, isFunc := v.Type().Underlying().(*types.Signature); !isFunc {
			continue
		}
		for _, mc := range returnedClosures(v) {
			if slices.ContainsFunc(mc.Bindings, func(b ssa.Value) bool { return t.carries(e, b) }) {
				return true
			}
		}
	}
	return false
}

// returnedClosures returns the closures that func value v may be: v
// itself, or each closure stored in the variable v is loaded from.
func returnedClosures(v ssa.Value) []*ssa.MakeClosure {
	switch x := v.(type) {
	case *ssa.MakeClosure:
		return []*ssa.MakeClosure{x}
	case *ssa.UnOp:
		a, ok := x.X.(*ssa.Alloc)
		if !ok || x.Op != token.MUL {
			return nil
		}
		var out []*ssa.MakeClosure
		for _, r := range *a.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == a {
				if mc, ok := st.Val.(*ssa.MakeClosure); ok {
					out = append(out, mc)
				}
			}
		}
		return out
	}
	return nil
}

// nilWithErr reports whether error v is nil wherever the acquiring call's
// error is: that error itself, or a wrapper of it that keeps a nil error
// nil (keepsErrNil).
func (t *tracker) nilWithErr(e elem, v ssa.Value) bool {
	if t.cur(e, v, roleErr) {
		return true
	}
	c, ok := v.(*ssa.Call)
	return ok && t.keepsErrNil(e, c, 0)
}

// keepsErrNil reports whether call c's error result is nil wherever the
// acquiring call's error is: c wraps that error (or such a wrapper of
// it) in a function that keeps a nil error nil (Effects.NilIfNil).
func (t *tracker) keepsErrNil(e elem, c *ssa.Call, depth int) bool {
	for _, op := range t.a.oracle.Effects(&c.Call).NilIfNil {
		v := OperandValue(&c.Call, op)
		if v != nil && t.cur(e, v, roleErr) {
			return true
		}
		if inner, ok := v.(*ssa.Call); ok && depth < 4 && t.keepsErrNil(e, inner, depth+1) {
			return true
		}
	}
	return false
}

// knownNil reports whether error v is nil wherever block b runs: an
// edge out of an If on v == nil (or v != nil), on its nil side, dominates b.
func knownNil(v ssa.Value, b *ssa.BasicBlock) bool {
	for blk := b; blk != nil; blk = blk.Idom() {
		if len(blk.Preds) != 1 {
			continue
		}
		pred := blk.Preds[0]
		ifInstr, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		c, ok := ifInstr.Cond.(*ssa.BinOp)
		if !ok || c.Op != token.EQL && c.Op != token.NEQ {
			continue
		}
		x, y := c.X, c.Y
		if y == v {
			x, y = y, x
		}
		k, isConst := y.(*ssa.Const)
		if x != v || !isConst || !k.IsNil() {
			continue
		}
		nilSide := 0 // v == nil: the true branch
		if c.Op == token.NEQ {
			nilSide = 1
		}
		if pred.Succs[nilSide] == blk {
			return true
		}
	}
	return false
}
