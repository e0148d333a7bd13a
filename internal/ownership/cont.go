package ownership

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A contClass is a class of acquisitions whose detached elements behave
// alike: what follows from an instance that only slots denote does not
// depend on which acquisition of the class it came from.
type contClass struct {
	resource   string
	againOK    bool
	callee     ssa.Value // the acquiring function (or method)
	calleeName string
	once       *ssa.BasicBlock // the header of a loop that runs once (onceHeader)
}

// A continuation is what follows from a detached element: its leaks,
// releases and returns with an error reduced to the first of each (all
// that a tracker reads of them), so that applying it costs O(1).
type continuation struct {
	leaks     []leak // at most two: see firstLeaks
	released  []*site
	handedOn  bool
	heldAtEnd bool
	toGo      bool
	returned  []int
	withErr   []int
	untagged  []int       // results returned with no NoneIf kept (noteNoneIf)
	errRets   []token.Pos // at most one, the first
	outParams []int
	wrapped   []*ssa.Store
	giveUp    bool
	why       string
}

// merge adds what o says to c.
func (c *continuation) merge(o *continuation) {
	if c == o {
		return
	}
	if len(o.leaks) > 0 {
		c.leaks = firstLeaks(append(slices.Clip(c.leaks), o.leaks...))
	}
	if len(c.released) == 0 {
		c.released = o.released
	}
	c.handedOn = c.handedOn || o.handedOn
	c.toGo = c.toGo || o.toGo
	c.heldAtEnd = c.heldAtEnd || o.heldAtEnd
	c.returned = union(c.returned, o.returned)
	c.withErr = union(c.withErr, o.withErr)
	c.untagged = union(c.untagged, o.untagged)
	c.outParams = union(c.outParams, o.outParams)
	if len(o.errRets) > 0 && (len(c.errRets) == 0 || o.errRets[0] < c.errRets[0]) {
		c.errRets = o.errRets
	}
	c.wrapped = union(c.wrapped, o.wrapped)
	if o.giveUp && !c.giveUp {
		c.giveUp, c.why = true, o.why
	}
}

// union returns the elements of a and b, a first; a is not changed.
func union[T comparable](a, b []T) []T {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(slices.Clip(a), x)
		}
	}
	return a
}

// A contGraph computes the continuations of one class's detached
// elements: its nodes are detached elements entering blocks, its edges
// what one block makes of them, and a node's continuation is what the
// nodes it reaches do. Each node's block is run once per function, by one
// detached tracker, whichever acquisition first reached it; the
// continuations are joined over the graph's strongly connected components
// (Tarjan's algorithm), so that handles which pass one another's
// elements (sequential ifs storing into one variable in a loop) share
// every block they have in common, loops included.
type contGraph struct {
	sub   *tracker
	nodes map[contNodeKey]*contNode
	stack []*contNode
	next  int
	// sites are the detached tracker's releases by place.
	sites map[site]*site
	// perBlock counts the nodes per block that other nodes lead to, for
	// the maxElems budget (a node is an element as propagate counts
	// them).
	perBlock map[int]int
	succs    []contSucc // see visit
	arena    *nodeArena // where the nodes are made
}

// contSucc is a node a visited node leads to: element e entering block b.
type contSucc struct {
	b *ssa.BasicBlock
	e elem
}

// A contNodeKey names a node: a block and the element entering it, with
// its release left out (see nodeKey).
type contNodeKey struct {
	b int
	e elem
}

// nodeKey returns the key of the node for element e entering block b.
// As in propagate, elements that differ only in which release released
// the handle are one: what follows from them differs only in the
// release a message names as the other one, and the first element's is
// kept. Without that, handles of different acquisitions deferred at
// different places, carried out of a loop nest in one variable (h, err =
// open(); defer close(h) at each level), would each run every block
// from their loop out, O(depth²) over the nest.
func nodeKey(b *ssa.BasicBlock, e elem) contNodeKey {
	if e.site != e.pending {
		e.site = nil
	}
	return contNodeKey{b.Index, e}
}

type contNode struct {
	index, low int
	onStack    bool
	// res is the node's continuation, or its component's root's: nil
	// while nothing follows from the node (most nodes), and while own is
	// false the continuation of a node it reaches, shared until add
	// changes it.
	res *continuation
	own bool
}

// add merges continuation o into n's.
func (n *contNode) add(o *continuation) {
	switch {
	case o == nil || o == n.res:
	case n.res == nil:
		n.res, n.own = o, false
	default:
		if !n.own {
			c := *n.res // merge appends to clipped slices: c shares nothing it changes
			n.res, n.own = &c, true
		}
		n.res.merge(o)
	}
}

// noCont is the continuation of a node from which nothing follows. It is
// never changed (add copies a continuation it does not own).
var noCont = &continuation{}

// continuation returns what follows from detached element e, of
// tracker t, entering block b.
func (a *analysis) continuation(t *tracker, b *ssa.BasicBlock, e elem) *continuation {
	k := contClass{resource: t.src.Acquire.Resource, againOK: t.src.Acquire.ReleaseAgainOK, once: t.onceHeader()}
	if c := t.src.Call; c.IsInvoke() {
		k.calleeName = c.Method.FullName()
	} else {
		k.callee = c.Value
	}
	g, ok := a.conts[k]
	if !ok {
		sub := newTracker(a, t.fn, t.src, nil)
		sub.detached = true
		sub.outCell = t.outCell
		g = a.scratch.newGraph(sub)
		a.conts[k] = g
	}
	e = g.norm(e)
	key := nodeKey(b, e)
	n, ok := g.nodes[key]
	if !ok {
		n = g.visit(key, b, e, false)
	}
	if n.res == nil {
		return noCont
	}
	return n.res
}

// norm returns e with its releases replaced by the graph's own, by place.
func (g *contGraph) norm(e elem) elem {
	one := func(s *site) *site {
		if s == nil {
			return nil
		}
		k := site{pos: s.pos, deferred: s.deferred, cell: s.cell}
		if p, ok := g.sites[k]; ok {
			return p
		}
		p := g.sub.intern(*s)
		g.sites[k] = p
		return p
	}
	e.site, e.pending, e.onErr = one(e.site), one(e.pending), one(e.onErr)
	return e
}

// visit runs node key's block and, depth first, the nodes it leads to;
// counted says another node leads to it.
func (g *contGraph) visit(key contNodeKey, b *ssa.BasicBlock, e elem, counted bool) *contNode {
	n := g.arena.new()
	n.index, n.low, n.onStack = g.next, g.next, true
	g.next++
	g.nodes[key] = n
	if counted {
		g.perBlock[key.b]++
	}
	g.stack = append(g.stack, n)

	// The successors go on g.succs, shared by the nested visits: this
	// visit's are those from first on.
	first := len(g.succs)
	t := g.sub
	t.runBlock(b, 0, e, func(b *ssa.BasicBlock, e elem) {
		e.bits = t.liveBits(e, b)
		if t.unreachable(e, b) {
			if t.heldish(e) {
				t.heldAtEnd = true
				t.leaks = append(t.leaks, leak{pos: t.lostAt, lost: true})
			}
			return
		}
		if !t.needed(e, b) {
			return
		}
		e = g.norm(e)
		if _, seen := g.nodes[nodeKey(b, e)]; !seen && g.perBlock[b.Index] >= maxElems {
			t.giveUpFor("more than %d states in one block", maxElems)
			return
		}
		g.succs = append(g.succs, contSucc{b, e})
	})
	n.res, n.own = g.harvest(), true

	last := len(g.succs)
	for i := first; i < last; i++ {
		s := g.succs[i] // a copy: the nested visits may grow g.succs
		key := nodeKey(s.b, s.e)
		m, seen := g.nodes[key]
		if !seen {
			m = g.visit(key, s.b, s.e, true)
			n.low = min(n.low, m.low)
		} else if m.onStack {
			n.low = min(n.low, m.index)
		}
		if !m.onStack {
			n.add(m.res) // m's component is complete
		}
	}
	g.succs = g.succs[:first]
	if n.low == n.index {
		// n roots a component: every node of it reaches every other.
		i := len(g.stack) - 1
		for g.stack[i] != n {
			i--
		}
		comp := g.stack[i:]
		g.stack = g.stack[:i]
		for _, m := range comp {
			n.add(m.res)
		}
		for _, m := range comp {
			m.onStack = false
			if m != n {
				m.res, m.own = n.res, false
			}
		}
	}
	return n
}

// harvest returns what the detached tracker found while running one
// block (nil if nothing), and clears it for the next.
func (g *contGraph) harvest() *continuation {
	t := g.sub
	if len(t.leaks) == 0 && len(t.released) == 0 && !t.handedOn && !t.toGo && !t.heldAtEnd && len(t.returned) == 0 &&
		len(t.withErr) == 0 && len(t.noneIf) == 0 && len(t.outParams) == 0 && len(t.errReturns) == 0 && len(t.wrapped) == 0 && !t.giveUp {
		return nil
	}
	c := &continuation{}
	c.leaks = firstLeaks(t.leaks)
	if len(t.released) > 0 {
		c.released = t.released[:1:1]
	}
	c.handedOn, c.heldAtEnd, c.toGo = t.handedOn, t.heldAtEnd, t.toGo
	for i := range t.returned {
		c.returned = append(c.returned, i)
	}
	for i := range t.withErr {
		c.withErr = append(c.withErr, i)
	}
	for i := range t.noneIf {
		c.untagged = append(c.untagged, i)
	}
	for i := range t.outParams {
		c.outParams = append(c.outParams, i)
	}
	if len(t.errReturns) > 0 {
		c.errRets = []token.Pos{slices.Min(t.errReturns)}
	}
	c.wrapped = t.wrapped
	c.giveUp, c.why = t.giveUp, t.why

	t.leaks, t.released, t.errReturns, t.wrapped = nil, nil, nil, nil
	t.handedOn, t.heldAtEnd, t.toGo, t.giveUp, t.why = false, false, false, false, ""
	clear(t.returned)
	clear(t.withErr)
	clear(t.noneIf)
	clear(t.outParams)
	return c
}
