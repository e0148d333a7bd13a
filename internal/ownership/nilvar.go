package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A nil variable is a local variable whose address is taken, so that
// go/ssa keeps it in an Alloc and not in phis, but that nothing writes
// behind the function's back before it returns, and that an If tests
// against nil. rclone's setXattr (backend/local/xattr.go):
//
//	fd, err = o.fs.openFile(o.path, os.O_RDONLY, 0)
//	if os.IsPermission(err) {
//		if wfd, werr := o.fs.openFile(o.path, os.O_WRONLY, 0); werr == nil {
//			fd, err = wfd, nil
//		}
//	}
//	if err != nil {
//		return ...
//	}
//	defer fs.CheckClose(fd, &err)
//
// err is the named result, whose address the deferred CheckClose takes.
// wfd is held only after `err = nil`, and the If reads err back from the
// variable: a phi of nil on that edge would be decided where it enters
// (entryBranch), a variable is not. An element that passes a store of
// nil into such a variable carries that in elem.nilVars, until a store
// of anything else; an If on a load of it against nil, in its own block
// after the last store there, then takes the nil branch only.
//
// Nothing writes the variable behind the function's back when every use
// of its address is a store into it, a load, or an operand of a deferred
// call (directly, or captured by a function literal that is only
// deferred): a deferred call runs at the function's exit, after the last
// If, and RunDefers forgets what elements know of the variables.

// nilVarIndex returns a's index among the function's nil variables, or
// -1.
func (tb *table) nilVarIndex(a *ssa.Alloc) int {
	if k, ok := tb.nilVars[a]; ok {
		return k
	}
	if tb.nilVars == nil {
		tb.nilVars = make(map[*ssa.Alloc]int)
	}
	k := -1
	if tests := nilVarTests(a); len(tests) > 0 && writtenOnlyHere(a) && len(tb.nilVarLive) < maxSlots {
		k = len(tb.nilVarLive)
		tb.nilVarLive = append(tb.nilVarLive, reachingBlocks(tests))
	}
	tb.nilVars[a] = k
	return k
}

// writtenOnlyHere reports whether a's address goes nowhere that may
// write it before the function returns: stores into it, loads, and
// deferred calls (or function literals only deferred) that take it.
func writtenOnlyHere(a *ssa.Alloc) bool {
	for _, r := range *a.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != a || x.Val == a {
				return false // &err stored away
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
		case *ssa.Defer:
		case *ssa.MakeClosure:
			if !onlyDeferred(x) {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// onlyDeferred reports whether function literal mc is only deferred
// (defer func() { ... }()).
func onlyDeferred(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		d, ok := r.(*ssa.Defer)
		if !ok || d.Call.Value != mc || d.Call.IsInvoke() {
			return false
		}
	}
	return true
}

// nilVarTests returns the blocks that end in an If on a load of a
// compared with nil (nilVarLoad).
func nilVarTests(a *ssa.Alloc) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	for _, r := range *a.Referrers() {
		load, ok := r.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			continue
		}
		for _, u := range *load.Referrers() {
			c, ok := u.(*ssa.BinOp)
			if !ok || NonNilBranch(c, load) < 0 {
				continue
			}
			for _, cu := range *c.Referrers() {
				if i, ok := cu.(*ssa.If); ok && nilVarLoad(i) == load {
					out = append(out, i.Block())
				}
			}
		}
	}
	return out
}

// nilVarLoad returns the load of a variable that If i compares with nil,
// when the value it loaded is what the variable holds at the If: the
// load, the comparison and the If are in one block, and no store into
// the variable comes between. Else nil.
func nilVarLoad(i *ssa.If) *ssa.UnOp {
	c, ok := i.Cond.(*ssa.BinOp)
	if !ok || c.Block() != i.Block() {
		return nil
	}
	x := c.X
	if isNilConst(x) {
		x = c.Y
	}
	load, ok := x.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || load.Block() != i.Block() || NonNilBranch(c, load) < 0 {
		return nil
	}
	a, ok := load.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	after := false
	for _, instr := range i.Block().Instrs {
		if instr == load {
			after = true
		}
		if st, ok := instr.(*ssa.Store); ok && after && st.Addr == a {
			return nil
		}
	}
	return load
}

// reachingBlocks returns the blocks from whose start one of blocks can
// be reached (those included).
func reachingBlocks(blocks []*ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	in := make(map[*ssa.BasicBlock]bool)
	work := append([]*ssa.BasicBlock(nil), blocks...)
	for _, b := range blocks {
		in[b] = true
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range b.Preds {
			if !in[p] {
				in[p] = true
				work = append(work, p)
			}
		}
	}
	return in
}

// storeNilVar returns e's nil variables after store st: st's variable
// holds nil now if st stores the constant nil, and is not known to
// otherwise.
func (t *tracker) storeNilVar(e elem, st *ssa.Store) bitset {
	a, ok := st.Addr.(*ssa.Alloc)
	if !ok {
		return e.nilVars
	}
	k := t.a.tab.nilVarIndex(a)
	if k < 0 {
		return e.nilVars
	}
	return e.nilVars.with(uint(k), isNilConst(st.Val))
}

// enterNilVars returns e's nil variables as e comes into block succ:
// those that an If of theirs can still be reached from.
func (t *tracker) enterNilVars(succ *ssa.BasicBlock, e elem) bitset {
	out := e.nilVars
	for k := range e.nilVars.all() {
		if !t.a.tab.nilVarLive[k][succ] {
			out = out.with(k, false)
		}
	}
	return out
}

// nilVarBranch returns the branch of If i that element e does not take
// because the variable the If tests against nil holds nil on e's path,
// or -1.
func (t *tracker) nilVarBranch(e elem, i *ssa.If) int {
	if e.nilVars.empty() {
		return -1
	}
	load := nilVarLoad(i)
	if load == nil {
		return -1
	}
	k, ok := t.a.tab.nilVars[load.X.(*ssa.Alloc)]
	if !ok || k < 0 || !e.nilVars.has(uint(k)) {
		return -1
	}
	return NonNilBranch(i.Cond.(*ssa.BinOp), load)
}
