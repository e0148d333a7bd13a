package ownership

import (
	"go/constant"
	"go/token"
	"slices"

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
	h := t.a.loopOnce(b)
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
//
// What depends only on the loop (its strongly connected component) is
// computed once per function (see loops), so that N acquisitions in one
// loop cost O(blocks), not O(N × blocks).
func (a *analysis) loopOnce(b *ssa.BasicBlock) *ssa.BasicBlock {
	if !a.hasCollectionTests() {
		return nil // no loop's test can be one (loopCollection)
	}
	if a.loops == nil {
		a.loops = newLoops(&a.scratch.loops, a.fn)
	}
	c := a.loops.comp(b)
	if c == nil {
		return nil
	}
	if !c.decided {
		c.decided = true
		c.header = c.onceHeader(a.fn)
	}
	h := c.header
	if h == nil || h == b {
		return nil
	}
	// A cycle through b that avoids h: b is on a cycle of the loop
	// without h.
	if c.inner == nil {
		c.inner = components(&a.scratch.loops, c.blocks, func(x *ssa.BasicBlock) bool { return x != h && c.has(x) })
	}
	if c.inner.comp(b) != nil {
		return nil
	}
	return h
}

// loops holds the strongly connected components of a function's blocks
// (or of a part of them), each component one loop.
type loops struct {
	of    []*loop // by block index; nil for a block on no cycle
	inSet func(*ssa.BasicBlock) bool
}

// A loop is one strongly connected component with a cycle.
type loop struct {
	blocks []*ssa.BasicBlock
	of     *loops // the components it is one of: has(b) is of.of[b.Index] == c
	// decided: header is known: the loop's header when the loop runs at
	// most once (see loopOnce), else nil.
	decided bool
	header  *ssa.BasicBlock
	inner   *loops // the components of the loop without its header
}

func newLoops(ls *loopsScratch, fn *ssa.Function) *loops {
	return components(ls, fn.Blocks, func(*ssa.BasicBlock) bool { return true })
}

// has reports whether block b is one of c's: looked up in the array by
// block index that components fills, not in a map of c's blocks (the
// loop around a whole function holds all its blocks; issue 12).
func (c *loop) has(b *ssa.BasicBlock) bool {
	return b != nil && b.Index >= 0 && b.Index < len(c.of.of) && c.of.of[b.Index] == c && b.Parent() == c.blocks[0].Parent()
}

// comp returns the loop b is on, or nil.
func (l *loops) comp(b *ssa.BasicBlock) *loop {
	if b.Index < 0 || b.Index >= len(l.of) || !l.inSet(b) {
		return nil
	}
	return l.of[b.Index]
}

// loopsScratch is components' working memory, kept for its next call
// (in the analysis's scratch): by block index, each block's order of
// visit (0: not visited; else order + 1), low link and whether it is on
// the stack, all zero between calls; and its stacks, empty.
type loopsScratch struct {
	index, low []int
	onStack    []bool
	stack      []*ssa.BasicBlock
	frames     []frame
}

// A frame is a block components is visiting.
type frame struct {
	b *ssa.BasicBlock
	i int // next successor to visit
}

// reset empties ls's stacks, so that they keep no block alive.
func (ls *loopsScratch) reset() {
	clear(ls.stack[:cap(ls.stack)])
	ls.stack = ls.stack[:0]
	clear(ls.frames[:cap(ls.frames)])
	ls.frames = ls.frames[:0]
}

// components computes the strongly connected components of the subgraph
// of blocks that in admits (Tarjan's algorithm, without recursion), in
// the working memory ls.
func components(ls *loopsScratch, blocks []*ssa.BasicBlock, in func(*ssa.BasicBlock) bool) *loops {
	n := 0
	for _, b := range blocks {
		n = max(n, b.Index+1)
	}
	l := &loops{of: make([]*loop, n), inSet: in}
	count(WorkComponents, len(blocks))
	if len(ls.index) < n {
		ls.index, ls.low, ls.onStack = make([]int, n), make([]int, n), make([]bool, n)
	}
	index, low, onStack := ls.index, ls.low, ls.onStack
	defer func() {
		for _, b := range blocks { // only these were written
			index[b.Index], low[b.Index], onStack[b.Index] = 0, 0, false
		}
	}()
	stack := ls.stack[:0]
	frames := ls.frames[:0]
	defer func() { ls.stack, ls.frames = stack[:0], frames[:0] }()
	next := 1
	for _, root := range blocks {
		if !in(root) || index[root.Index] != 0 {
			continue
		}
		frames = append(frames[:0], frame{b: root})
		index[root.Index], low[root.Index] = next, next
		next++
		stack = append(stack, root)
		onStack[root.Index] = true
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			b := f.b
			if f.i < len(b.Succs) {
				s := b.Succs[f.i]
				f.i++
				if !in(s) {
					continue
				}
				if index[s.Index] == 0 {
					index[s.Index], low[s.Index] = next, next
					next++
					stack = append(stack, s)
					onStack[s.Index] = true
					frames = append(frames, frame{b: s})
				} else if onStack[s.Index] {
					low[b.Index] = min(low[b.Index], index[s.Index])
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				p := frames[len(frames)-1].b
				low[p.Index] = min(low[p.Index], low[b.Index])
			}
			if low[b.Index] != index[b.Index] {
				continue
			}
			// b roots a component: pop it.
			i := len(stack) - 1
			for stack[i] != b {
				i--
			}
			members := stack[i:]
			stack = stack[:i]
			for _, m := range members {
				onStack[m.Index] = false
			}
			if len(members) == 1 && !slices.Contains(b.Succs, b) {
				continue // on no cycle
			}
			members = slices.Clone(members) // only a loop's: most blocks are on none
			c := &loop{blocks: members, of: l}
			for _, m := range members {
				l.of[m.Index] = c
			}
		}
	}
	return l
}

// onceHeader returns the header of loop c when it runs at most once over a
// collection bounded to one element, else nil (see loopOnce).
func (c *loop) onceHeader(fn *ssa.Function) *ssa.BasicBlock {
	if c.has(fn.Blocks[0]) {
		return nil
	}
	// The loop's single entry, its header.
	var h *ssa.BasicBlock
	for _, blk := range c.blocks {
		for _, p := range blk.Preds {
			if !c.has(p) {
				if h != nil && h != blk {
					return nil
				}
				h = blk
			}
		}
	}
	if h == nil {
		return nil
	}
	test, ok := h.Instrs[len(h.Instrs)-1].(*ssa.If)
	if !ok || !c.has(h.Succs[0]) || c.has(h.Succs[1]) {
		return nil
	}
	x := loopCollection(test.Cond, h, c)
	if x == nil {
		return nil
	}
	load, _ := x.(*ssa.UnOp)
	for _, blk := range c.blocks {
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

// loopCollection returns x when cond, the test of loop header h (the loop
// is scc), holds only while the loop has run fewer iterations than x has
// elements: the ok of a range over map x, or i < len(x) for a counter i
// that starts at 0 or more and grows on every way round. Else nil.
func loopCollection(cond ssa.Value, h *ssa.BasicBlock, scc *loop) ssa.Value {
	switch c := cond.(type) {
	case *ssa.Extract:
		next, ok := c.Tuple.(*ssa.Next)
		if !ok || c.Index != 0 || next.IsString || next.Block() != h {
			return nil
		}
		r, ok := next.Iter.(*ssa.Range)
		if !ok || scc.has(r.Block()) {
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

// collectionTest reports whether cond may be a test loopCollection
// accepts: the ok of a Next, or a comparison with len of something. A
// function with no such If has no loop that runs at most once, and
// loopOnce then computes no loops.
func collectionTest(cond ssa.Value) bool {
	switch c := cond.(type) {
	case *ssa.Extract:
		next, ok := c.Tuple.(*ssa.Next)
		return ok && c.Index == 0 && !next.IsString
	case *ssa.BinOp:
		return c.Op == token.LSS && lenOf(c.Y) != nil || c.Op == token.GTR && lenOf(c.X) != nil
	}
	return false
}

// counts reports whether v, tested in loop header h (the loop is scc),
// is a counter that is at least 0 on the first test and grows by 1 or
// more on every way round: v is p + off for a phi p of h and a constant
// off >= 0 (range loops test p + 1), p comes in from outside the loop as a
// constant c with c + off >= 0, and round the loop as p or v plus a
// constant.
func counts(v ssa.Value, h *ssa.BasicBlock, scc *loop) bool {
	p, off := addConst(v)
	phi, ok := p.(*ssa.Phi)
	if !ok || phi.Block() != h || off < 0 {
		return false
	}
	for i, edge := range phi.Edges {
		if !scc.has(h.Preds[i]) {
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

// perIteration reports whether cell, the variable that closure mc
// captures, is a new variable each time mc's block runs again: that block
// is on a loop, every cycle through it passes through the block that
// makes the variable, and nothing stores to the variable after mc. A
// deferred closure then captures that iteration's variable (one declared
// in the loop's body, or Go 1.22's per-iteration loop variable), which
// later iterations do not write, and releases what it holds now:
//
//	for _, p := range ps {
//		f, err := os.Open(p)
//		...
//		defer func() { f.Close() }()
//	}
func (a *analysis) perIteration(cell ssa.Value, mc *ssa.MakeClosure) bool {
	b := mc.Block()
	var cb *ssa.BasicBlock
	switch x := cell.(type) {
	case *ssa.Alloc:
		cb = x.Block()
	case *ssa.Phi:
		// The three-clause loop's variable: the phi at the loop's head
		// merges the first iteration's variable and the copy each post
		// statement makes.
		cb = x.Block()
	}
	if cb == nil || b == nil || cb.Parent() != b.Parent() || !storedBefore(cell, mc) {
		return false
	}
	ls := a.loops
	if b.Parent() != a.fn {
		ls = newLoops(&a.scratch.loops, b.Parent())
	} else if ls == nil {
		a.loops = newLoops(&a.scratch.loops, a.fn)
		ls = a.loops
	}
	c := ls.comp(b)
	if c == nil || !c.has(cb) {
		return false
	}
	return components(&a.scratch.loops, c.blocks, func(x *ssa.BasicBlock) bool { return x != cb && c.has(x) }).comp(b) == nil
}

// storedBefore reports whether every store to variable v comes before
// instruction at: in a block that dominates at's, or earlier in its block.
func storedBefore(v ssa.Value, at ssa.Instruction) bool {
	b := at.Block()
	for _, r := range *v.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != v {
			continue
		}
		sb := st.Block()
		if sb == b {
			if slices.Index(b.Instrs, ssa.Instruction(st)) > slices.Index(b.Instrs, at) {
				return false
			}
		} else if !sb.Dominates(b) {
			return false
		}
	}
	return true
}
