package ownership

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// onceHeader returns the header of the loop around the acquisition when
// that loop runs at most once, else nil: an element of the tracker that
// reaches the header's test then does so on a second iteration, and the
// test sends it out of the loop. (Every element a tracker propagates has
// passed the acquisition; see seed.) Without it a loop bounded to one
// iteration by a dominating length check, as in
//
//	if len(e.listeners) > 1 {
//		return -1, errors.New("unsupported")
//	}
//	for _, ln := range e.listeners {
//		fd, err = ln.dup()
//	}
//	return
//
// reads as one whose next iteration overwrites the handle. The result is
// computed once per acquiring block (see loopOnce).
func (t *tracker) onceHeader() *ssa.BasicBlock {
	if t.src == nil || t.entry != nil || t.src.Instr == nil {
		return nil
	}
	b := t.src.Instr.Block()
	if b == nil || b.Parent() != t.fn {
		return nil
	}
	if h, ok := t.a.onceLoops[b]; ok {
		return h
	}
	if t.a.onceLoops == nil {
		t.a.onceLoops = make(map[*ssa.BasicBlock]*ssa.BasicBlock)
	}
	h := loopOnce(b)
	t.a.onceLoops[b] = h
	return h
}

// loopOnce returns the header of the loop that block b is in when every
// path from b back to b passes through that header's test, and the test
// fails on its second evaluation since the loop was entered: the loop goes
// over a slice or map x (a range loop, or a counter from 0 tested against
// len(x)) that a branch dominating the loop bounds to at most one element
// (if len(x) > 1 { return }, len(x) != 1, len(x) >= 2, ...). Else nil.
//
// Two loads of the same field of the same pointer are taken to be the same
// x (the check and the loop each load e.listeners); neither a store to the
// field between them nor an insertion into the map by a call in the loop
// is looked for; an insertion or store by the loop's own code is.
func loopOnce(b *ssa.BasicBlock) *ssa.BasicBlock {
	fn := b.Parent()
	scc := cycleThrough(b)
	if scc == nil || scc[fn.Blocks[0]] {
		return nil
	}
	// The loop's single entry, its header.
	var h *ssa.BasicBlock
	for blk := range scc {
		for _, p := range blk.Preds {
			if !scc[p] {
				if h != nil && h != blk {
					return nil
				}
				h = blk
			}
		}
	}
	if h == nil || h == b || reachesAvoiding(b, b, h, scc) {
		return nil
	}
	test, ok := h.Instrs[len(h.Instrs)-1].(*ssa.If)
	if !ok || !scc[h.Succs[0]] || scc[h.Succs[1]] {
		return nil
	}
	x := loopCollection(test.Cond, h, scc)
	if x == nil {
		return nil
	}
	load, _ := x.(*ssa.UnOp)
	for blk := range scc {
		for _, instr := range blk.Instrs {
			switch instr := instr.(type) {
			case *ssa.MapUpdate:
				if sameValue(instr.Map, x) {
					return nil // may add an element to iterate over
				}
			case *ssa.Store:
				if load != nil && load.Op == token.MUL && sameAddr(instr.Addr, load.X) {
					return nil // x = append(x, ...)
				}
			}
		}
	}
	if !boundedToOne(h, x) {
		return nil
	}
	return h
}

// cycleThrough returns the blocks on cycles through b (its strongly
// connected component), or nil if b is on none.
func cycleThrough(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	fwd := reach(b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Succs })
	bwd := reach(b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Preds })
	if !fwd[b] {
		return nil
	}
	scc := make(map[*ssa.BasicBlock]bool)
	for x := range fwd {
		if bwd[x] {
			scc[x] = true
		}
	}
	return scc
}

// reach returns the blocks reached from b in one or more steps of next.
func reach(b *ssa.BasicBlock, next func(*ssa.BasicBlock) []*ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	seen := make(map[*ssa.BasicBlock]bool)
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		for _, y := range next(x) {
			if !seen[y] {
				seen[y] = true
				work = append(work, y)
			}
		}
	}
	return seen
}

// reachesAvoiding reports whether a path of one or more steps inside in
// leads from `from` to `to` without passing through avoid.
func reachesAvoiding(from, to, avoid *ssa.BasicBlock, in map[*ssa.BasicBlock]bool) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	work := []*ssa.BasicBlock{from}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		for _, y := range x.Succs {
			if y == to {
				return true
			}
			if y != avoid && in[y] && !seen[y] {
				seen[y] = true
				work = append(work, y)
			}
		}
	}
	return false
}

// loopCollection returns x when cond, the test of loop header h (the loop
// is scc), holds only while the loop has run fewer iterations than x has
// elements: the ok of a range over map x, or i < len(x) for a counter i
// that starts at 0 or more and grows on every way round. Else nil.
func loopCollection(cond ssa.Value, h *ssa.BasicBlock, scc map[*ssa.BasicBlock]bool) ssa.Value {
	switch c := cond.(type) {
	case *ssa.Extract:
		next, ok := c.Tuple.(*ssa.Next)
		if !ok || c.Index != 0 || next.IsString || next.Block() != h {
			return nil
		}
		r, ok := next.Iter.(*ssa.Range)
		if !ok || scc[r.Block()] {
			return nil
		}
		return r.X
	case *ssa.BinOp:
		i, n := c.X, c.Y
		switch c.Op {
		case token.LSS:
		case token.GTR:
			i, n = n, i
		default:
			return nil
		}
		x := lenOf(n)
		if x == nil || !counts(i, h, scc) {
			return nil
		}
		return x
	}
	return nil
}

// counts reports whether v, tested in loop header h (the loop is scc),
// is a counter that is at least 0 on the first test and grows by 1 or
// more on every way round: v is p + off for a phi p of h and a constant
// off >= 0 (range loops test p + 1), p comes in from outside the loop as a
// constant c with c + off >= 0, and round the loop as p or v plus a
// constant.
func counts(v ssa.Value, h *ssa.BasicBlock, scc map[*ssa.BasicBlock]bool) bool {
	p, off := addConst(v)
	phi, ok := p.(*ssa.Phi)
	if !ok || phi.Block() != h || off < 0 {
		return false
	}
	for i, edge := range phi.Edges {
		if !scc[h.Preds[i]] {
			if c, ok := intConst(edge); !ok || c+off < 0 {
				return false
			}
			continue
		}
		// The next test sees edge + off.
		switch base, step := addConst(edge); {
		case base == p && step >= 1: // i++
		case base == v && step+off >= 1: // the tested p + 1, carried round
		default:
			return false
		}
	}
	return true
}

// addConst splits v into x + k for an integer constant k (k = 0 when v is
// no such sum).
func addConst(v ssa.Value) (ssa.Value, int64) {
	if b, ok := v.(*ssa.BinOp); ok && b.Op == token.ADD {
		if k, ok := intConst(b.Y); ok {
			return b.X, k
		}
		if k, ok := intConst(b.X); ok {
			return b.Y, k
		}
	}
	return v, 0
}

// intConst returns the value of an integer constant that fits an int64.
func intConst(v ssa.Value) (int64, bool) {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(k.Value)
}

// lenOf returns x when v is len(x), else nil.
func lenOf(v ssa.Value) ssa.Value {
	call, ok := v.(*ssa.Call)
	if !ok || len(call.Call.Args) != 1 {
		return nil
	}
	if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "len" {
		return nil
	}
	return call.Call.Args[0]
}

// boundedToOne reports whether a branch that dominates block h says
// len(x) <= 1: an edge out of an If on len(x) compared with a constant
// into a block that has no other predecessor and dominates h.
func boundedToOne(h *ssa.BasicBlock, x ssa.Value) bool {
	for d := h.Idom(); d != nil; d = d.Idom() {
		test, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		for si, s := range d.Succs {
			if len(s.Preds) == 1 && s.Dominates(h) && lenAtMostOne(test.Cond, si == 0, x) {
				return true
			}
		}
	}
	return false
}

// lenAtMostOne reports whether cond, known to be holds (or, if !holds,
// not to hold), compares len(x) with a constant in a way that bounds it
// to 1 or less.
func lenAtMostOne(cond ssa.Value, holds bool, x ssa.Value) bool {
	c, ok := cond.(*ssa.BinOp)
	if !ok {
		return false
	}
	op := c.Op
	n, k := c.X, c.Y
	if _, isConst := n.(*ssa.Const); isConst {
		n, k = k, n
		op = Mirror(op)
	}
	v, ok := intConst(k)
	if lx := lenOf(n); !ok || lx == nil || !sameValue(lx, x) {
		return false
	}
	if !holds {
		op = Negate(op)
	}
	switch op {
	case token.LSS:
		return v <= 2 // len(x) < 2
	case token.LEQ, token.EQL:
		return v <= 1 // len(x) <= 1, len(x) == 1
	}
	return false
}

// sameValue reports whether a and b are the same value, taking two loads
// of the same field (or element of a global) through the same pointer to
// be the same.
func sameValue(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.UnOp:
		b, ok := b.(*ssa.UnOp)
		return ok && a.Op == token.MUL && b.Op == token.MUL && sameAddr(a.X, b.X)
	case *ssa.ChangeType:
		b, ok := b.(*ssa.ChangeType)
		return ok && sameValue(a.X, b.X)
	}
	return false
}

// sameAddr reports whether a and b are the same address: the same value,
// or the same field of the same pointer.
func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	return ok1 && ok2 && fa.Field == fb.Field && sameValue(fa.X, fb.X)
}
