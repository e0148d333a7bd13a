package ownership

import (
	"runtime"
	"sync"

	"golang.org/x/tools/go/ssa"
)

// scratch is the memory of one Analyze (or summarizeParam) call that no
// result keeps: the shared table's maps and buffers, the continuation
// graphs' maps and nodes, and the loop finder's arrays. It is kept in
// scratchFree for the next call, emptied, so that a run over many
// functions (and a benchmark over one) does not allocate them again for
// each: what a call allocates is then mostly what its results keep and
// what grows past the largest function analyzed before.
//
// Emptying is O(what the maps and buffers hold room for). A scratch
// grown by a function much larger than the next is left to the
// collector instead of being reused (see getScratch), so that a run of
// small functions after a large one does not pay for its room, and no
// scratch keeps a large function's memory for long.
type scratch struct {
	// blocks is the size, in blocks, of the largest function the scratch
	// served.
	blocks int
	tab    *table
	graphs []*contGraph // emptied graphs, to be handed out by newGraph
	nodes  nodeArena    // the graphs' nodes
	loops  loopsScratch // components' arrays
	conts  map[contClass]*contGraph
	// onceLoops is analysis.onceLoops.
	onceLoops map[*ssa.BasicBlock]*ssa.BasicBlock
	// props are propagate's maps, emptied; see getProp.
	props []*propMaps
	// tracker is the tracker Analyze runs for each acquisition in turn;
	// see reuseTracker.
	tracker *tracker
}

// propMaps are what one propagate call works in: the elements it has
// queued, by block, how many per block, and its work list.
type propMaps struct {
	visited  map[propVisit]bool
	perBlock map[int]int
	work     []propItem
}

type propVisit struct {
	b int
	e elem
}

type propItem struct {
	b *ssa.BasicBlock
	e elem
}

// maxPropKept is the most elements a propagate call may have queued for
// its maps to be kept for the next: emptying a map costs what it has
// room for, and most trackers queue a few elements, so that a large map
// kept would make each later small call pay for it.
const maxPropKept = 256

// getProp returns empty maps for a propagate call (which may nest: a
// closure's tracker runs inside its caller's block).
func (s *scratch) getProp() *propMaps {
	if pm, ok := pop(&s.props); ok {
		return pm
	}
	return &propMaps{visited: make(map[propVisit]bool), perBlock: make(map[int]int)}
}

// putProp keeps pm for the next propagate call, emptied, unless it grew
// past maxPropKept elements.
func (s *scratch) putProp(pm *propMaps) {
	if len(pm.visited) > maxPropKept {
		return
	}
	clear(pm.visited)
	clear(pm.perBlock)
	pm.work = emptied(pm.work)
	s.props = append(s.props, pm)
}

// scratchFree holds the scratches no call is using, at most
// runtime.GOMAXPROCS(0) of them (as many as calls can run at once). Not a
// sync.Pool, which the collector empties: a benchmark or a run that
// collects every few functions would then make a scratch again every few
// calls, at a cost that grows with the function, and with the cycles,
// which grow with the function too.
var scratchFree struct {
	sync.Mutex
	list []*scratch
}

// maxScratchGrowth bounds how many times larger than the function at
// hand (plus maxScratchSlack blocks) a reused scratch's last function
// may have been.
const (
	maxScratchGrowth = 4
	maxScratchSlack  = 1024
)

// getScratch returns an empty scratch for a function of n blocks.
func getScratch(n int) *scratch {
	scratchFree.Lock()
	s, ok := pop(&scratchFree.list)
	scratchFree.Unlock()
	if ok && s.blocks <= maxScratchGrowth*n+maxScratchSlack {
		s.blocks = max(s.blocks, n)
		return s
	}
	return &scratch{blocks: n, tab: newTable(), conts: make(map[contClass]*contGraph),
		onceLoops: make(map[*ssa.BasicBlock]*ssa.BasicBlock)}
}

// putScratch empties s, so that it keeps no value of the function it
// served alive, and keeps it for the next call.
func putScratch(s *scratch) {
	s.tab.reset()
	for _, g := range s.conts {
		g.reset()
		s.graphs = append(s.graphs, g)
	}
	clear(s.conts)
	clear(s.onceLoops)
	s.nodes.reset()
	s.loops.reset()
	s.emptyTracker()
	scratchFree.Lock()
	if len(scratchFree.list) < runtime.GOMAXPROCS(0) {
		scratchFree.list = append(scratchFree.list, s)
	}
	scratchFree.Unlock()
}

// newGraph returns an empty continuation graph for detached tracker sub.
func (s *scratch) newGraph(sub *tracker) *contGraph {
	g, ok := pop(&s.graphs)
	if !ok {
		g = &contGraph{nodes: make(map[contNodeKey]*contNode), sites: make(map[site]*site), perBlock: make(map[int]int)}
	}
	g.sub, g.arena = sub, &s.nodes
	return g
}

// reset empties g's maps and buffers, keeping their room.
func (g *contGraph) reset() {
	clear(g.nodes)
	clear(g.sites)
	clear(g.perBlock)
	g.stack = emptied(g.stack)
	g.succs = emptied(g.succs)
	g.sub, g.arena, g.next = nil, nil, 0
}

// reset empties tb's maps and buffers, keeping their room.
func (tb *table) reset() {
	clear(tb.vals)
	clear(tb.slots)
	tb.slotVals = emptied(tb.slotVals)
	clear(tb.rooted)
	clear(tb.liveIn)
	clear(tb.edges)
	clear(tb.preds)
	clear(tb.flags)
	tb.flagPhis = emptied(tb.flagPhis)
	tb.flagLive = emptied(tb.flagLive)
	clear(tb.entries)
	clear(tb.nils)
	clear(tb.nilVars)
	tb.nilVarLive = emptied(tb.nilVarLive)
	clear(tb.sites)
	clear(tb.uses)
	tb.blockBuf = emptied(tb.blockBuf)
	clear(tb.blockGen)
	tb.liveGen = 0
	clear(tb.phiGen)
	tb.usesGen = 0
}

// nodeArena hands out contNodes from chunks it keeps across calls.
type nodeArena struct {
	chunks [][]contNode
	used   int // nodes handed out, over all chunks
}

const nodeChunk = 256

// new returns a zero node.
func (ar *nodeArena) new() *contNode {
	i, j := ar.used/nodeChunk, ar.used%nodeChunk
	if i == len(ar.chunks) {
		ar.chunks = append(ar.chunks, make([]contNode, nodeChunk))
	}
	ar.used++
	return &ar.chunks[i][j]
}

// reset zeroes the nodes handed out, for the next call.
func (ar *nodeArena) reset() {
	for i := 0; i*nodeChunk < ar.used; i++ {
		clear(ar.chunks[i])
	}
	ar.used = 0
}

// pop removes and returns the last element of *s, if there is one,
// leaving no reference to it in the slice's array.
func pop[T any](s *[]T) (T, bool) {
	var zero T
	n := len(*s)
	if n == 0 {
		return zero, false
	}
	v := (*s)[n-1]
	(*s)[n-1] = zero
	*s = (*s)[:n-1]
	return v, true
}

// emptied returns s with no elements, its whole array zeroed (so that it
// keeps no value alive) and its room kept.
func emptied[S ~[]E, E any](s S) S {
	clear(s[:cap(s)])
	return s[:0]
}
