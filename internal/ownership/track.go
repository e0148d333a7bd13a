package ownership

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// role is what a tracked value stands for.
type role uint8

const (
	roleHandle   role = iota + 1 // the handle itself, or a conversion of it
	roleErr                      // the acquiring call's error result
	roleCell                     // address of a local variable holding the handle
	roleErrCell                  // address of a local variable holding the error
	roleClosure                  // a closure that captures the handle
	roleAgg                      // an aggregate (struct, array) whose Part is the handle
	roleAggCell                  // address of memory holding such an aggregate (or a slice of it)
	roleOk                       // the acquiring call's success result (Acquire.Success)
	roleAssert                   // a comma-ok type assertion of the boxed handle: v, ok := x.(T)
	roleAssertOk                 // its ok result
	roleAggPtr                   // a variable holding a pointer to such memory: pi := new(T), captured
	roleTag                      // the acquiring call's result that says whether there is a handle (Acquire.NoneIf)
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

// site is a release, interned (table.sites) so that elements stay
// comparable.
type site struct {
	pos      token.Pos
	rel      *Release
	deferred bool
	// cell, for a deferred closure that reads the handle from a captured
	// variable: the closure releases whatever that variable holds at exit.
	cell ssa.Value
	// raw: the call releases the raw handle that the acquisition adopted
	// (Acquire.Owns), not the handle itself.
	raw bool
	// once, for a call of a close-once closure: its flag's variable. Once
	// it has released the handle, a call of it does nothing (once.go).
	once *ssa.Alloc
}

// elem is one element of the abstract state. It is a map key (visited,
// contGraph.nodes) and is copied at every step: its one-byte fields come
// last, together (80 bytes on 64-bit platforms, where it took 112).
type elem struct {
	bits bitset // slots that denote the current instance
	site *site  // the release that set stReleased or stDeferred
	// pending is a deferred closure that releases the handle through a
	// captured variable; whether it releases this instance is decided at
	// exit, by what the variable holds then.
	pending *site
	// onErr is a deferred closure that releases the handle at exit where
	// the function's named error result is not nil (see onError).
	onErr *site
	// defUse is a deferred call that acts on the handle, registered while
	// it was held: a release after it on the path (explicit, or deferred
	// later and so run first) makes it a use after release.
	defUse *use
	// defRel is the release after defUse, when defUse reads the handle
	// from a captured variable at exit (use.cell): whether it is a use
	// after release is decided at exit, by what the variable holds then.
	defRel *site
	// raw is a direct release of the raw handle that the acquisition
	// adopted (Acquire.Owns), on this path, while the handle was held:
	// the handle still holds that number and releases it again.
	raw *site
	// flags is what the path knows of the function's flags (see
	// flag.go): bit flagBit(k, v) says flag k is v.
	flags bitset
	// nilVars is what the path knows of the function's nil variables
	// (see nilvar.go): bit k says variable k holds nil.
	nilVars bitset
	st      status
	// stale: the acquisition ran again on this path, so its own values
	// (the seed and what is computed from it) denote a newer instance;
	// this one lives on only in slots.
	stale bool
	// rawGone: the instruction that defines the adopted raw handle
	// (tracker.raw) ran again on this path, so its value is another
	// handle now.
	rawGone bool
	// err is what the path knows of the acquiring call's error, for an
	// acquisition whose handle is valid with some errors (nothing,
	// errNonNil, errNotOne or errIsValid). With errNonNil the handle is
	// held only if the error is one it is valid with.
	err learned
	// entry, when not 0, is 1 + the only branch that the If ending the
	// block the element enters takes: the edge it came in by fixes the
	// test (see entryBranch). It holds for that block only.
	entry int8
}

// A use is a call that acts on the handle: where it is, the call, and
// whether it is deferred. Through a function literal, the call is the one
// inside it, and via the call (or defer) of the literal.
type use struct {
	pos      token.Pos
	call     *ssa.CallCommon
	deferred bool
	via      token.Pos
	// cell, for a deferred function literal that reads the handle from a
	// captured variable: the literal acts on what it holds at exit.
	cell ssa.Value
}

// maxSlots is the budget of path-dependent values one handle may flow
// through; past it the handle is given up (no findings, never a false one)
// and counted in Result.GivenUp. Loads used right away in their own block
// take no slot, so the budget is spent on phis, variables and loads that
// outlive their block. An element's slots are a sparse set (bitset), so
// the budget costs nothing until it is used; it is as large as a slot
// index in two bytes allows. (It was 4,096, which one variable
// reassigned at each level of a loop nest 5,000 deep, one phi per level,
// exceeds.)
const maxSlots = 1 << 16

// A bitset keeps a slot index in two bytes.
var _ [1<<16 - maxSlots]struct{}

// maxElems is the budget of distinct elements per block (elements that
// differ only in which release released the handle count once); past it
// the handle is given up, again without findings, and counted.
const maxElems = 256

// maxDepth bounds how deeply closures and function literals are followed.
const maxDepth = 8

// entrySeed starts a tracker at a function's entry, for a closure's captured
// variable or a function literal's parameter.
type entrySeed struct {
	value ssa.Value // *ssa.FreeVar (roleCell) or *ssa.Parameter (roleHandle)
	role  role
	st    status
	// inner, for a captured closure (roleClosure): the seed, in the
	// closure's own function, of what it captures; a call of value does
	// what that function does to it.
	inner *entrySeed
}

// A tracker follows one handle through one function.
type tracker struct {
	a     *analysis
	fn    *ssa.Function
	src   *Source
	entry *entrySeed
	depth int

	vals ownVals // the tracker's own values; see table
	// part is the part of an aggregate that the handle is, in the
	// aggregate roles: the acquisition's Part, or for a whole handle
	// stored in a field of a struct the function allocated (holder), that
	// field.
	part   Part
	holder *ssa.Alloc
	// holderWrap: field t.part of the holder holds a value that holds the
	// handle (a Pass that Holds: bufio.NewReader(f)), not the handle;
	// wrapFields are the holder's fields that hold such values.
	holderWrap bool
	wrapFields map[int]bool
	// outCell is the variable an out-parameter acquisition writes to;
	// late, the loads of it that the acquiring statement reads after the
	// call (lateLoads: return uintptr(h), DuplicateHandle(..., &h, ...)).
	outCell ssa.Value
	late    []ssa.Value
	giveUp  bool
	why     string // why the handle was given up
	// detached: the tracker runs a continuation (see detach): its
	// elements are all stale, and its acquisition is a call like others.
	detached bool
	// early is a deferred closure, registered before the acquisition,
	// that releases what a variable the handle is stored in holds at exit.
	early *site
	// earlyOnErr is such a closure that releases it where the named
	// error result is not nil at exit (if retErr != nil && f != nil {
	// f.Close() }); earlyMaybe, one that releases it on some other paths
	// only: the handle then starts as stMaybe.
	earlyOnErr *site
	earlyMaybe bool
	// errIs is what a closure's summary assumes its captured error
	// variable holds (see summarizeIf).
	errIs errAssumption
	// first, in the summary of a close-once closure's first run, is what
	// its test of the flag reads (see once.go).
	first flagAssumption
	// seedVals are the tracker's own values rooted at the seed (the
	// seed and the values computed from it), rooted the others per root
	// (most trackers have none); seedLive and liveIn cache their
	// liveness.
	seedVals      []ssa.Value
	rooted        map[ssa.Value][]ssa.Value
	seedLive      blockSet
	seedLiveKnown bool
	liveIn        map[ssa.Value]blockSet
	fresh         []ssa.Value // values added, still to walk
	// lostAt is where the instruction being stepped through made the
	// current held instance unreachable, if it did.
	lostAt token.Pos
	curPos token.Pos
	// curCall is the call being stepped through, if the instruction is
	// one.
	curCall *ssa.Call

	summaries map[summaryKey]*summary

	// Where the handle goes to the function's caller.
	returned map[int]bool // result indices
	// errReturns are the returns that give the held handle together with
	// an error that may be non-nil (not the acquisition's own); withErr,
	// the results it is returned in there.
	errReturns []token.Pos
	withErr    map[int]bool
	// noneIf maps each result that returns the handle to the NoneIf
	// candidates that held at every return giving it there so far (see
	// noteNoneIf).
	noneIf map[int][]ResultEquals
	// wrapRets, for a parameter: the results it is returned in, held by
	// the struct it was stored in (holder).
	wrapRets map[int]bool
	// aggRets are the results that return, with the handle held in
	// field t.part, the struct the acquiring call's result points to
	// (return ino, nil after ino, err := getIno(dir)), or the struct the
	// function allocated and stored it in (holder: return &inode{handle:
	// h}, nil).
	aggRets   map[int]bool
	outParams map[int]bool // indices into fn.Params
	// wrapped are stores of the held handle into a field of a struct the
	// function allocates: &Watcher{h: h}.
	wrapped []*ssa.Store
	// recv is the parameter whose field holds the handle (recvacq.go).
	recv *recvHolder

	// What the run found, for the caller of a closure.
	leaks     []leak  // exits reached with the handle held
	released  []*site // releases of the handle
	handedOn  bool
	heldAtEnd bool
	// toGo: on some path a go statement hands the held handle, or the
	// struct that holds it, to the goroutine it starts (go w.readEvents()).
	toGo bool
	// adopted: on some path a callee takes ownership of the held handle;
	// handedOther: on some path it is handed on another way.
	adopted, handedOther bool
	// changes, when summarizing a parameter: the calls that change the
	// object of the held handle.
	changes []*Change
	// firstUse, when tracking a handle inside a function literal: a call
	// that acts on it while it is held (see summary.use).
	firstUse *use
	// raw, for an acquisition that owns the raw handle it adopted
	// (Acquire.Owns): that operand's value, unconverted; rawDef, the
	// instruction that defines it, if any. rawReleased: on some path the
	// raw handle is released directly.
	raw         ssa.Value
	rawDef      ssa.Instruction
	rawReleased bool
	rawLiveIn   *blockSet // where raw is live, once computed
	// rawEarly is a deferred direct release of raw registered before
	// the acquisition on every path to it (earlyRawRelease).
	rawEarly *site
}

// leak is an exit reached with the handle held, or a place where the held
// handle became unreachable (lost).
type leak struct {
	pos      token.Pos
	validErr bool
	lost     bool
}

func newTracker(a *analysis, fn *ssa.Function, src *Source, entry *entrySeed) *tracker {
	var part Part
	if src != nil {
		part = src.Acquire.Part
	}
	return &tracker{
		part: part,
		a:    a, fn: fn, src: src, entry: entry,
		summaries: make(map[summaryKey]*summary), // shared with closures' trackers
		// The other maps are made when first written (set, live,
		// addRooted): most trackers write few of them, and a function
		// has a tracker per acquisition.
	}
}

// reuseTracker returns the scratch's tracker for acquisition src, as
// newTracker makes one: Analyze runs one acquisition's tracker at a time,
// and once it has its findings and exports nothing refers to the tracker,
// so the next reuses it, and the room of its few own values, seed values,
// values to walk and summaries (a function has a tracker per
// acquisition; issue 12). A slice grown past maxPropKept is left to the
// collector.
func (s *scratch) reuseTracker(a *analysis, fn *ssa.Function, src *Source) *tracker {
	t := s.tracker
	if t == nil {
		t = newTracker(a, fn, src, nil)
		s.tracker = t
		return t
	}
	few, seedVals, fresh, summaries := keptRoom(t.vals.few), keptRoom(t.seedVals), keptRoom(t.fresh), keptSummaries(t.summaries)
	*t = tracker{part: src.Acquire.Part, a: a, fn: fn, src: src, vals: ownVals{few: few},
		seedVals: seedVals, fresh: fresh, summaries: summaries}
	return t
}

// emptyTracker empties the scratch's tracker, keeping its room, so that
// it keeps no value of the function alive.
func (s *scratch) emptyTracker() {
	if t := s.tracker; t != nil {
		few, seedVals, fresh, summaries := keptRoom(t.vals.few), keptRoom(t.seedVals), keptRoom(t.fresh), keptSummaries(t.summaries)
		*t = tracker{vals: ownVals{few: few}, seedVals: seedVals, fresh: fresh, summaries: summaries}
	}
}

// keptRoom returns s emptied, or nil when it has room for more than
// maxPropKept elements.
func keptRoom[S ~[]E, E any](s S) S {
	if cap(s) > maxPropKept {
		return nil
	}
	return emptied(s)
}

// keptSummaries returns m emptied, or a new map when m held more than
// maxPropKept summaries (emptying a map costs its room).
func keptSummaries(m map[summaryKey]*summary) map[summaryKey]*summary {
	switch {
	case len(m) > maxPropKept:
		return make(map[summaryKey]*summary)
	case len(m) > 0: // clear costs the map's room even when it is empty
		clear(m)
	}
	return m
}

// set adds k to the set *m, making it if it is nil.
func set[K comparable](m *map[K]bool, k K) {
	if *m == nil {
		*m = make(map[K]bool)
	}
	(*m)[k] = true
}

// track runs a tracker for an acquisition and reports its leak, if any.
func (a *analysis) track(t *tracker) {
	count(WorkTrackers, 1)
	t.run()
	if t.giveUp {
		a.givenUp = append(a.givenUp, GiveUp{Source: t.src, Reason: t.why})
		return
	}
	if len(t.errReturns) > 0 && !t.src.Acquire.NoLeak {
		a.report(Finding{Kind: Leak, Pos: t.src.Pos(), Source: t.src, Other: slices.Min(t.errReturns), WithErr: true})
	}
	if len(t.leaks) == 0 || t.src.Acquire.NoLeak {
		return
	}
	// The related position: the first leaking place that has one (a
	// return, or where the handle became unreachable).
	other := t.leaks[0]
	for _, l := range t.leaks[1:] {
		switch {
		case !other.pos.IsValid():
			other = l
		case !l.pos.IsValid():
		case before(l, other):
			other = l
		}
	}
	a.report(Finding{Kind: Leak, Pos: t.src.Pos(), Source: t.src, Other: other.pos, ValidErr: other.validErr, Lost: other.lost,
		Unreleased: len(t.released) == 0 && !t.rawReleased && !t.handedOn && len(t.returned) == 0 && len(t.outParams) == 0 && t.early == nil && t.earlyOnErr == nil && !t.earlyMaybe})
}

// run discovers the values that may carry the handle, then propagates
// elements through the blocks.
func (t *tracker) run() {
	start, startIdx, init := t.seed()
	if start == nil || t.giveUp {
		return
	}
	t.propagate(start, startIdx, init)
}

// propagate runs element init from instruction startIdx of block start,
// and every element it leads to, through the blocks.
func (t *tracker) propagate(start *ssa.BasicBlock, startIdx int, init elem) {
	pm := t.a.scratch.getProp()
	defer t.a.scratch.putProp(pm)
	visited, perBlock := pm.visited, pm.perBlock
	work := pm.work
	defer func() { pm.work = work[:0] }()
	enqueue := func(b *ssa.BasicBlock, e elem) {
		count(WorkEnqueues, 1)
		e.bits = t.liveBits(e, b)
		if t.unreachable(e, b) {
			if t.heldish(e) {
				// The handle is still held, and nothing that denotes it
				// can be used any more: it leaks here.
				// Where: the instruction that dropped its last value, or
				// the acquisition when it ran again. Where the last value
				// just went out of use at a block's entry there is no
				// better place to name than none (the acquisition itself
				// would read as if it leaked there).
				pos := t.lostAt
				if !t.detached && e.stale {
					pos = t.src.Pos()
				}
				t.heldAtEnd = true
				t.leaks = append(t.leaks, leak{pos: pos, lost: true})
			}
			return
		}
		// An element that is no longer held (and waits on no deferred
		// closure) can only matter where the handle is used again.
		if !t.needed(e, b) {
			return
		}
		if t.detach(b, e) {
			return
		}
		// Elements that differ only in which release released the handle
		// behave alike: the first one's release is kept for messages.
		key := e
		if key.site != nil && key.site != key.pending {
			key.site = nil
		}
		v := propVisit{b.Index, key}
		if visited[v] {
			return
		}
		if perBlock[b.Index] >= maxElems {
			t.giveUpFor("more than %d states in one block", maxElems)
			return
		}
		visited[v] = true
		perBlock[b.Index]++
		work = append(work, propItem{b, e})
	}

	// The first visit may start mid-block, at the acquisition.
	t.runBlock(start, startIdx, init, enqueue)
	for len(work) > 0 && !t.giveUp {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		t.runBlock(it.b, 0, it.e, enqueue)
	}
}

// nearestReturn returns the position of the return nearest to block b
// (breadth first over its successors), or of the function's closing
// brace for an implicit one; NoPos if no return is reachable.
func nearestReturn(b *ssa.BasicBlock) token.Pos {
	seen := map[*ssa.BasicBlock]bool{b: true}
	queue := []*ssa.BasicBlock{b}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if ret, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
			if pos := ret.Pos(); pos.IsValid() {
				return pos
			}
			return closingBrace(x.Parent())
		}
		for _, s := range x.Succs {
			if !seen[s] {
				seen[s] = true
				queue = append(queue, s)
			}
		}
	}
	return token.NoPos
}

// reaches reports whether a path of one or more edges leads from block
// from to block to.
func reaches(from, to *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := slices.Clone(from.Succs)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == to {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, x.Succs...)
		}
	}
	return false
}

// detach hands element e, entering block b, to the continuation its key
// names, computed once per function, if e is detached: nothing but its
// slots can denote it from b on (the acquisition's own values are not
// used from b on without running it again). Handles that merge through a
// loop-carried variable then share one propagation around the loop
// instead of one each. (A part of an aggregate is not detached: its
// values depend on the part.) It reports whether it took e.
func (t *tracker) detach(b *ssa.BasicBlock, e elem) bool {
	if t.detached || t.entry != nil || t.src == nil || t.src.Taken != nil || t.src.Acquire.ValidErr != nil || t.part.Kind != Whole || e.pending != nil || e.onErr != nil || e.defUse != nil || e.raw != nil || e.bits.empty() || t.rawLive(e, b) {
		return false
	}
	if !e.stale && t.live(nil, b) {
		return false
	}
	e.stale = true
	out := t.a.continuation(t, b, e)
	for _, l := range out.leaks {
		if !l.pos.IsValid() {
			// Nothing denotes the handle at some block from b on: where
			// the acquisition cannot run again from b, every path
			// returns with it held (name the nearest return); else it is
			// lost where the acquisition runs again.
			l.pos = t.src.Pos()
			if !reaches(b, t.src.Instr.Block()) {
				if ret := nearestReturn(b); ret.IsValid() {
					l.pos, l.lost = ret, false
				}
			}
		}
		t.leaks = append(t.leaks, l)
	}
	t.released = append(t.released, out.released...)
	t.handedOn = t.handedOn || out.handedOn
	t.toGo = t.toGo || out.toGo
	t.heldAtEnd = t.heldAtEnd || out.heldAtEnd
	for _, i := range out.returned {
		set(&t.returned, i)
	}
	for _, i := range out.withErr {
		set(&t.withErr, i)
	}
	for _, i := range out.untagged {
		if t.noneIf == nil {
			t.noneIf = make(map[int][]ResultEquals)
		}
		t.noneIf[i] = nil // returned from a detached element: no NoneIf
	}
	t.errReturns = append(t.errReturns, out.errRets...)
	for _, i := range out.outParams {
		set(&t.outParams, i)
	}
	for _, w := range out.wrapped {
		if !slices.Contains(t.wrapped, w) {
			t.wrapped = append(t.wrapped, w)
		}
	}
	if out.giveUp {
		t.giveUpFor("%s", out.why)
	}
	return true
}

// before reports whether leak l is to be named in place of other, both
// with a position: it comes first, or at the same place it is not the
// valid-error case.
func before(l, other leak) bool {
	return l.pos < other.pos || l.pos == other.pos && !l.validErr
}

// firstLeaks returns, of leaks, the ones track may name: the first of
// those with a position and the first of those without (which the
// continuation's user places at its acquisition), as track chooses.
func firstLeaks(leaks []leak) []leak {
	var with, without []leak
	for _, l := range leaks {
		p := &with
		if !l.pos.IsValid() {
			p = &without
		}
		if len(*p) == 0 || before(l, (*p)[0]) {
			*p = append((*p)[:0], l)
		}
	}
	return append(with, without...)
}

// giveUpFor gives the handle up, saying why.
func (t *tracker) giveUpFor(format string, args ...any) {
	if !t.giveUp {
		t.giveUp = true
		t.why = fmt.Sprintf(format, args...)
	}
}

// heldish reports whether e is an instance the function still has to
// release: held, or waiting on a deferred closure that reads a variable
// which no longer holds it.
func (t *tracker) heldish(e elem) bool {
	return e.st == stHeld || e.pending != nil && e.st == stDeferred && e.site == e.pending && !t.holds(e, e.pending.cell)
}

// holds reports whether slot v denotes e's instance.
func (t *tracker) holds(e elem, v ssa.Value) bool {
	i, ok := t.slotOf(v)
	return ok && e.bits.has(i)
}

// unreachable reports whether nothing can denote instance e from block b
// on: no slot holds it, and its own values are out of reach (a newer
// instance took them over, or none is used from b on).
func (t *tracker) unreachable(e elem, b *ssa.BasicBlock) bool {
	if !e.bits.empty() || t.src == nil || t.entry != nil {
		return false
	}
	if e.pending != nil && e.st != stDeferred {
		return false
	}
	return e.stale || t.lostAt.IsValid() && !t.live(nil, b)
}

// needed reports whether element e, entering block b, can still matter:
// it is held or waits on a deferred closure, or a value that denotes it is
// used from b on.
func (t *tracker) needed(e elem, b *ssa.BasicBlock) bool {
	if e.st == stHeld || e.pending != nil || e.defUse != nil || t.rawLive(e, b) {
		return true
	}
	if !e.stale && t.live(nil, b) {
		return true
	}
	for i := range e.bits.all() {
		if t.live(t.a.tab.slotVals[i], b) {
			return true
		}
	}
	return false
}

// liveBits drops from e's bits the slots whose value no use can read from
// block b on before it is defined again: a phi or load left behind, or a
// variable no longer loaded. Elements that differ only in such history
// then meet. The variable a pending or close-on-error deferred closure
// reads at exit stays.
func (t *tracker) liveBits(e elem, b *ssa.BasicBlock) bitset {
	out := e.bits
	for i := range e.bits.all() {
		v := t.a.tab.slotVals[i]
		if !t.live(v, b) && !t.recvSlot(v) && (e.pending == nil || v != e.pending.cell) && (e.onErr == nil || v != e.onErr.cell) && (e.defUse == nil || v != e.defUse.cell) {
			out = out.with(i, false)
		}
	}
	return out
}

// usesOf appends to out the blocks where a value root roots is used; a
// phi uses its edge value at the end of the predecessor.
func (t *tracker) usesOf(out []*ssa.BasicBlock, root ssa.Value) []*ssa.BasicBlock {
	tab := t.a.tab
	for _, v := range t.rootedBy(root) {
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		// A phi is a referrer once per edge v is on; its edges are added
		// at the first (phiGen marks the phis done, for this v, that
		// have v on several edges).
		tab.usesGen++
		count(WorkReferrers, len(*refs))
		for _, r := range *refs {
			if r.Block() == nil {
				continue
			}
			if phi, ok := r.(*ssa.Phi); ok {
				if tab.phiGen[phi] == tab.usesGen {
					continue
				}
				n := len(out)
				out = tab.predsOn(out, phi, v)
				if len(out)-n > 1 {
					tab.phiGen[phi] = tab.usesGen
				}
				continue
			}
			out = append(out, r.Block())
		}
	}
	return out
}

// A blockSet is a set of blocks of function fn, as their indices in
// increasing order: the sets live computes are a few blocks each, so a
// slice searched costs less than a map per set.
type blockSet struct {
	fn  *ssa.Function
	idx []int32
}

func (s blockSet) has(b *ssa.BasicBlock) bool {
	_, ok := slices.BinarySearch(s.idx, int32(b.Index))
	return ok && b.Parent() == s.fn
}

// live reports whether a value of root (nil: the seed's values) may be
// used on a path from the start of block b that does not pass its
// definition again: for a phi, its block (entered with the new value,
// which enter has already computed); for a load, its block; for the seed,
// the acquisition's block. A variable is memory: any load may read it.
func (t *tracker) live(root ssa.Value, b *ssa.BasicBlock) bool {
	if root == nil {
		if !t.seedLiveKnown {
			t.seedLive, t.seedLiveKnown = t.computeLive(nil), true
		}
		return t.seedLive.has(b)
	}
	cache := t.liveIn
	if t.a.tab.shared(root) {
		cache = t.a.tab.liveIn
	}
	in, ok := cache[root]
	if !ok {
		in = t.computeLive(root)
		if cache == nil {
			t.liveIn = make(map[ssa.Value]blockSet)
			cache = t.liveIn
		}
		cache[root] = in
	}
	return in.has(b)
}

// rawLive reports whether the raw handle that the acquisition adopted
// (tracker.raw) may be released directly from block b on, on the path of
// instance e: a use of its value, converted at most, is reachable from b
// without defining it again.
func (t *tracker) rawLive(e elem, b *ssa.BasicBlock) bool {
	if t.raw == nil || e.stale || e.rawGone {
		return false
	}
	if t.rawLiveIn == nil {
		var def *ssa.BasicBlock
		_, markDef := t.raw.(*ssa.Phi)
		if t.rawDef != nil {
			def = t.rawDef.Block()
		}
		seen := make(map[*ssa.BasicBlock]bool)
		var work []*ssa.BasicBlock
		mark := func(b *ssa.BasicBlock) {
			if b == nil || b.Parent() != t.fn || b == def && !markDef || seen[b] {
				return
			}
			seen[b] = true
			if b != def {
				work = append(work, b)
			}
		}
		for _, v := range conversionsOf(t.raw) {
			for _, r := range *v.Referrers() {
				mark(r.Block())
			}
		}
		for len(work) > 0 {
			x := work[len(work)-1]
			work = work[:len(work)-1]
			for _, p := range x.Preds {
				mark(p)
			}
		}
		in := make([]int32, 0, len(seen))
		for x := range seen {
			in = append(in, int32(x.Index))
		}
		slices.Sort(in)
		t.rawLiveIn = &blockSet{t.fn, in}
	}
	return t.rawLiveIn.has(b)
}

// conversionsOf returns v and the values converted from it (ChangeType,
// Convert), transitively: those that Unconvert takes back to v.
func conversionsOf(v ssa.Value) []ssa.Value {
	out := []ssa.Value{v}
	for i := 0; i < len(out); i++ {
		refs := out[i].Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch x := r.(type) {
			case *ssa.ChangeType:
				out = append(out, x)
			case *ssa.Convert:
				out = append(out, x)
			}
		}
	}
	return out
}

func (t *tracker) computeLive(root ssa.Value) blockSet {
	count(WorkLive, 1)
	var def *ssa.BasicBlock // entering it redefines the root
	markDef := false        // whether def itself may be live
	switch x := root.(type) {
	case nil:
		if t.src != nil && t.entry == nil {
			def = t.src.Instr.Block()
			if t.src.Taken != nil {
				def = t.src.Taken.Block() // the load, not the store, defines it
			}
		}
	case *ssa.Phi:
		def, markDef = x.Block(), true
	case *ssa.UnOp:
		def = x.Block()
	}
	// The uses, then the walk's work list, in one buffer that every call
	// reuses (computeLive does not nest); the blocks marked live so far
	// are those whose blockGen is this call's number, liveGen.
	tab := t.a.tab
	tab.liveGen++
	if n := len(t.fn.Blocks); len(tab.blockGen) < n {
		tab.blockGen = make([]uint32, n)
	}
	var in []int32
	uses := t.usesOf(tab.blockBuf[:0], root)
	work := uses[len(uses):]
	mark := func(b *ssa.BasicBlock) {
		if b == def && !markDef || tab.blockGen[b.Index] == tab.liveGen {
			return
		}
		tab.blockGen[b.Index] = tab.liveGen
		count(WorkLiveMarked, 1)
		in = append(in, int32(b.Index))
		if b != def {
			work = append(work, b)
		}
	}
	for _, u := range uses {
		if u.Parent() == t.fn {
			mark(u)
		}
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range b.Preds {
			mark(p)
		}
	}
	if cap(work) > cap(uses) {
		tab.blockBuf = work[:0]
	} else {
		tab.blockBuf = uses[:0]
	}
	slices.Sort(in)
	return blockSet{t.fn, slices.Clip(in)}
}

// seed computes the tracked values and where propagation starts.
func (t *tracker) seed() (*ssa.BasicBlock, int, elem) {
	if e := t.entry; e != nil {
		t.add(e.value, e.role, e.value, e.role == roleCell || e.role == roleAggCell || e.role == roleAggPtr)
		t.discover()
		if len(t.fn.Blocks) == 0 {
			return nil, 0, elem{}
		}
		return t.fn.Blocks[0], 0, elem{st: e.st, bits: t.bits(e.value)}
	}
	if ld := t.src.Taken; ld != nil {
		// h := l.handle; l.handle = 0: held from the store on.
		t.add(ld, roleHandle, ld, false)
		t.discover()
		st := t.src.Instr
		return st.Block(), slices.Index(st.Block().Instrs, st), elem{st: stNone}
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
		if v := result(call, int(acq.Result), n); v != nil {
			r := roleHandle
			if acq.Part.Kind != Whole {
				r = roleAgg
				if _, ptr := v.Type().Underlying().(*types.Pointer); ptr {
					// A pointer to a struct that holds the handle in a
					// field: ino, err := getIno(dir) (a summary's source).
					r = roleAggCell
				}
			}
			t.add(v, r, v, false)
		}
	case out != nil && acq.Part.Kind != Whole:
		base, ok := aggCell(out)
		if !ok && t.recvSeed(out) {
			break // c.dial(): the struct the caller passed holds it
		}
		if !ok {
			return nil, 0, elem{} // not memory of ours: not followed
		}
		t.outCell = base
		t.add(base, roleAggCell, base, true)
	case out != nil:
		cell, ok := localCell(out)
		if !ok {
			// Written straight into memory that outlives us; perhaps the
			// caller's, through a pointer parameter.
			if p, ok := Unconvert(out).(*ssa.Parameter); ok {
				set(&t.outParams, slices.Index(t.fn.Params, p))
			}
			return nil, 0, elem{}
		}
		t.outCell = cell
		t.add(cell, roleCell, cell, true)
	}
	if acq.ErrGate && n > 0 {
		if v := result(call, n-1, n); v != nil {
			t.add(v, roleErr, v, false)
		}
	}
	if acq.Success != NoSuccessGate && n > 0 {
		if v := result(call, 0, n); v != nil {
			t.add(v, roleOk, v, false)
		}
	}
	if tag := acq.NoneIf; tag != nil && n > 1 && tag.Result != acq.Result {
		if v := result(call, int(tag.Result), n); v != nil {
			t.add(v, roleTag, v, false) // not if it has another role already
		}
	}
	t.discover()
	if t.outCell != nil {
		t.late = t.lateLoads(call, t.outCell)
	}
	if !acq.Borrowed {
		t.early, t.earlyOnErr, t.earlyMaybe = t.earlyDefer(call)
	}
	b := call.Block()
	for i, instr := range b.Instrs {
		if instr == call {
			return b, i, elem{st: stNone}
		}
	}
	return nil, 0, elem{}
}

// exports lists where the handle went to the function's caller. A
// handle that a go statement hands to the goroutine it starts, on some
// path, went nowhere: the goroutine owns it (NewWatcher's go
// w.readEvents(), which closes w.fd once Close signals it), and a caller
// cannot tell whether what it got is its own to release.
func (t *tracker) exports() []Export {
	if t.toGo {
		return nil
	}
	var out []Export
	for i := range t.returned {
		if t.entry == nil && t.src != nil && t.src.Instr != nil && t.sometimesOther(i) {
			continue
		}
		out = append(out, Export{Source: t.src, Result: ResultAt(i), Param: NoParam, Field: NoField, WithErr: t.withErr[i], NoneIf: t.noneIfOf(i)})
	}
	for i := range t.outParams {
		out = append(out, Export{Source: t.src, Result: NoResult, Param: Param(i), Field: NoField})
	}
	for i := range t.aggRets {
		if t.holderWrap {
			break // the struct holds a reader of the handle, which no caller can close
		}
		if (t.holder == nil || t.holderAlways(i)) && !t.otherStruct(i) {
			out = append(out, Export{Source: t.src, Result: ResultAt(i), Param: NoParam, Field: FieldIndex(t.part.N), Held: true})
		}
	}
	slices.SortFunc(out, func(a, b Export) int { return int(a.Result-b.Result)*1000 + int(a.Param-b.Param) })
	return append(out, t.wrapperExports()...)
}

// otherStruct reports whether result i, which returns the struct that
// holds the handle on some path (aggRets), returns on another successful
// path (its error result, if any, a nil constant) a pointer that is
// neither that struct nor an owned acquisition: maybeShared returning
// &syscall.Overlapped{HEvent: sharedEvent} on one path and one holding a
// new event on the other. The caller cannot tell which it got, so the
// field is not exported as owned.
func (t *tracker) otherStruct(i int) bool {
	var mine ssa.Value
	if call, ok := t.src.Instr.(*ssa.Call); ok && t.holder == nil && t.src.Acquire.Result >= 0 {
		mine = result(call, int(t.src.Acquire.Result), resultCount(call))
	}
	sig := t.fn.Signature.Results()
	errLast := sig.Len() > 0 && isErrorType(sig.At(sig.Len()-1).Type())
	seen := map[ssa.Value]bool{}
	var other func(v ssa.Value) bool
	other = func(v ssa.Value) bool {
		v = Unconvert(v)
		if seen[v] {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Const:
			return false
		case *ssa.Phi:
			return slices.ContainsFunc(x.Edges, other)
		case *ssa.Extract:
			if c, ok := x.Tuple.(*ssa.Call); ok && t.ownedAcquisition(c, x.Index) {
				return false
			}
		case *ssa.Call:
			if t.ownedAcquisition(x, 0) {
				return false
			}
		}
		if t.holder != nil {
			return ownAlloc(v) != t.holder
		}
		return v != mine
	}
	return successReturns(t.fn, i, errLast, other)
}

// sometimesOther reports whether result i, which returns the handle on
// some path, returns on another successful path a value that is no owned
// handle at all: a variable, a parameter, a global (os.Stdin) or a value
// the function made (go-diskfs's iso9660 OpenFile returns os.OpenFile's
// file with a workspace and an in-memory File without one). The caller
// cannot tell which it got, so the result is not exported as owned (the
// handle is handed on, as a struct's is by holderAlways). A return whose
// error result is not a nil constant does not count: it may be a failure.
func (t *tracker) sometimesOther(i int) bool {
	derived := map[ssa.Value]bool{}
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if derived[v] {
			return
		}
		derived[v] = true
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.Extract, *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface,
				*ssa.FieldAddr, *ssa.Field, *ssa.IndexAddr, *ssa.Index, *ssa.UnOp:
				walk(r.(ssa.Value))
			}
		}
	}
	call, ok := t.src.Instr.(*ssa.Call)
	if !ok || t.src.Acquire.Out != NoOperand || t.src.Acquire.OutValue != nil {
		return false // a handle written through a pointer: not followed here
	}
	walk(call)
	sig := t.fn.Signature.Results()
	errLast := sig.Len() > 0 && isErrorType(sig.At(sig.Len()-1).Type())
	seen := map[ssa.Value]bool{}
	var foreign func(v ssa.Value) bool
	foreign = func(v ssa.Value) bool {
		v = unbox(v)
		if seen[v] {
			return false
		}
		seen[v] = true
		if derived[v] {
			return false
		}
		// A phi is foreign when one of its edges is (walk stops at phis).
		switch x := v.(type) {
		case *ssa.Const:
			return false
		case *ssa.Phi:
			for _, e := range x.Edges {
				if foreign(e) {
					return true
				}
			}
			return false
		case *ssa.Extract:
			if c, ok := x.Tuple.(*ssa.Call); ok {
				if t.ownedAcquisition(c, x.Index) {
					return false
				}
				if in := t.passed(c, x.Index); in != nil {
					return foreign(in)
				}
			}
		case *ssa.Call:
			if t.ownedAcquisition(x, 0) {
				return false
			}
			if in := t.passed(x, 0); in != nil {
				return foreign(in)
			}
		case *ssa.UnOp:
			// A load of a local variable (one a closure captures): what
			// was stored in it.
			if a, ok := x.X.(*ssa.Alloc); ok && x.Op == token.MUL {
				for _, r := range *a.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == a && foreign(st.Val) {
						return true
					}
				}
				return false
			}
		}
		return true
	}
	return successReturns(t.fn, i, errLast, foreign)
}

// successReturns reports whether some return of fn gives, in result i,
// a value for which pred is true, counting only the successful returns
// (a nil constant error) when errLast.
func successReturns(fn *ssa.Function, i int, errLast bool, pred func(ssa.Value) bool) bool {
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || i >= len(ret.Results) {
			continue
		}
		if errLast {
			if c, ok := ret.Results[len(ret.Results)-1].(*ssa.Const); !ok || !c.IsNil() {
				continue
			}
		}
		if pred(ret.Results[i]) {
			return true
		}
	}
	return false
}

// ownedAcquisition reports whether result i of call c is an owned handle
// the rules or a summary know of.
func (t *tracker) ownedAcquisition(c *ssa.Call, i int) bool {
	for _, acq := range t.a.oracle.Effects(c.Common()).Acquires {
		if !acq.Borrowed && acq.Result == ResultAt(i) {
			return true
		}
	}
	return false
}

// passed returns the operand that call c returns as it is in result i
// (Effects.Passes: must(os.Open(p))), or nil.
func (t *tracker) passed(c *ssa.Call, i int) ssa.Value {
	for _, p := range t.a.oracle.Effects(c.Common()).Passes {
		if p.Result == ResultAt(i) {
			return OperandValue(c.Common(), p.Operand)
		}
	}
	return nil
}

// wrapperExports lists the structs that the function allocates, stores the
// handle in, and returns: each store must dominate every return of its
// struct, so the struct returned always holds the handle; and no go
// statement may get the struct (the store may have handed the handle on,
// so the engine did not follow the struct there).
func (t *tracker) wrapperExports() []Export {
	var out []Export
	for _, st := range t.wrapped {
		fa := st.Addr.(*ssa.FieldAddr)
		alloc := fa.X
		if t.goGets(alloc, fa.Field) {
			continue
		}
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
			out = append(out, Export{Source: t.src, Result: ResultAt(result), Param: NoParam, Field: FieldIndex(fa.Field)})
		}
	}
	return out
}

// goGets reports whether a go statement of the function gets the struct
// that alloc allocates, which holds the handle in field f: as an
// argument or the receiver of a method (go w.readEvents()), bound in a
// method value (fn := w.readEvents; go fn()), or captured by the function
// literal it runs (go func() { w.loop() }()), directly or through the
// variable that holds it. An argument that the function run only uses
// (the Oracle's UsesField: go w.poll(), reading w.fd) does not count.
func (t *tracker) goGets(alloc ssa.Value, f int) bool {
	denotes := func(v ssa.Value) bool {
		v = Unconvert(v)
		if v == alloc || ownAlloc(v) == alloc {
			return true
		}
		cell, ok := v.(*ssa.Alloc)
		if !ok {
			return false
		}
		for _, r := range *cell.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cell && Unconvert(st.Val) == alloc {
				return true // the variable that holds it, captured
			}
		}
		return false
	}
	fo, _ := t.a.oracle.(FieldOracle)
	for _, b := range t.fn.Blocks {
		for _, instr := range b.Instrs {
			count(WorkScanned, 1)
			g, ok := instr.(*ssa.Go)
			if !ok {
				continue
			}
			if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok && slices.ContainsFunc(mc.Bindings, denotes) || denotes(g.Call.Value) {
				return true
			}
			for i, v := range g.Call.Args {
				if denotes(v) && (fo == nil || !fo.UsesField(&g.Call, Arg(i), f)) {
					return true
				}
			}
		}
	}
	return false
}

// holderAlways reports whether every return that gives the holder as
// result i comes after the acquisition: a struct allocated before it and
// returned on a path that did not acquire (if c { s.h, err = open() })
// holds no handle there.
func (t *tracker) holderAlways(i int) bool {
	acq := t.src.Instr.Block()
	for _, b := range t.fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if ok && i < len(ret.Results) && ownAlloc(retValue(ret, i)) == t.holder && !acq.Dominates(b) {
			return false
		}
	}
	return true
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
	if _, ok := v.(*ssa.MakeSlice); ok {
		return v, true
	}
	if a := ownAlloc(v); a != nil {
		return a, true
	}
	return nil, false
}

// retValue returns result i of ret as the function hands it out. With
// named results or a defer, go/ssa returns a load of the result's
// variable: the value is then the one last stored in it on the way to ret
// (through blocks with one predecessor), when no closure captures the
// variable and its address goes nowhere else, so that no deferred call
// can change it (c, err := inNetns(ns); defer c(); return getSocket(p)).
// Otherwise it is the load.
func retValue(ret *ssa.Return, i int) ssa.Value {
	v := ret.Results[i]
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return v
	}
	cell, ok := load.X.(*ssa.Alloc)
	if !ok || cell.Heap {
		return v
	}
	for _, r := range *cell.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != cell {
				return v
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return v
			}
		default:
			return v
		}
	}
	b, k := ret.Block(), slices.Index(ret.Block().Instrs, ssa.Instruction(load))
	for seen := 0; seen < 64; seen++ {
		for k--; k >= 0; k-- {
			if st, ok := b.Instrs[k].(*ssa.Store); ok && st.Addr == cell {
				return st.Val
			}
		}
		if len(b.Preds) != 1 {
			return v
		}
		b = b.Preds[0]
		k = len(b.Instrs)
	}
	return v
}

// ownAlloc returns the memory that pointer v addresses when the function
// allocated it: v itself (&T{}, new(T), a variable whose address is
// taken), or a load of a variable that holds only that allocation (pi :=
// new(T), kept in a variable because a closure captures it).
func ownAlloc(v ssa.Value) *ssa.Alloc {
	v = Unconvert(v)
	if a, ok := v.(*ssa.Alloc); ok {
		return a
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	cell, ok := load.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var inner *ssa.Alloc
	for _, r := range *cell.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			a, ok := r.Val.(*ssa.Alloc)
			if !ok || r.Addr != cell || inner != nil && inner != a {
				return nil
			}
			inner = a
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil
			}
		case *ssa.MakeClosure:
		default:
			return nil // its address goes elsewhere
		}
	}
	return inner
}

// ownType reports whether the struct a allocates is one whose fields the
// engine follows: of a type declared in fn's package, of no named type,
// or plain data of another package, a type with no methods
// (unix.EpollEvent, windows.Overlapped, windows.StartupInfo). The methods
// of another package's struct (mgr.Service, whose Close releases its
// Handle) are not linked to its fields, so a store into one of those
// hands the handle on.
func ownType(a *ssa.Alloc, fn *ssa.Function) bool {
	t := a.Type().Underlying().(*types.Pointer).Elem()
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return true
	}
	if fn.Pkg != nil && named.Obj().Pkg() == fn.Pkg.Pkg {
		return true
	}
	return named.TypeArgs().Len() == 0 && types.NewMethodSet(types.NewPointer(named)).Len() == 0
}

// deferredCapture reports whether a closure that the function defers
// captures struct a, or the variable that holds a pointer to it: a
// cleanup (defer func() { if err != nil { p.Close() } }()) that may run
// on any path, even when deferred before the handle is stored. Such a
// struct is not followed as a holder: the store hands the handle on.
func deferredCapture(a *ssa.Alloc) bool {
	deferred := func(v ssa.Value) bool {
		for _, r := range *v.Referrers() {
			mc, ok := r.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			for _, u := range *mc.Referrers() {
				if d, ok := u.(*ssa.Defer); ok && d.Call.Value == mc {
					return true
				}
			}
		}
		return false
	}
	if deferred(a) {
		return true
	}
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Val == a {
			if cell, ok := st.Addr.(*ssa.Alloc); ok && deferred(cell) {
				return true
			}
		}
	}
	return false
}

// holderOf returns the struct that store st, of the tracker's value v (the
// handle itself), puts the handle in, when the function allocated it and
// the handle is whole: the struct holds it from there on (pattern 1 of
// issue 18). One holder and field per handle; a second one is not
// followed: that store hands it on. v may be a load of a variable (the
// shared table's, walked by the first tracker only: job := &Job{handle:
// h} with h captured by a close-on-error closure, hcsshim's
// jobobject.Create); another tracker whose handle the variable holds then
// sees no holder, and the store hands its handle on.
func (t *tracker) holderOf(v ssa.Value, st *ssa.Store) *ssa.Alloc {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok || t.src == nil || t.src.Acquire.Part.Kind != Whole {
		return nil
	}
	if info, ok := t.info(v); !ok || info.role != roleHandle {
		return nil
	}
	base := ownAlloc(fa.X)
	if base == nil || deferredCapture(base) || !ownType(base, t.fn) {
		return nil
	}
	wrap := t.wrapperValue(v)
	if t.holder != nil {
		switch {
		case t.holder != base:
			return nil
		case t.part.N == fa.Field:
		case wrap:
			// tty.in = in; tty.bin = bufio.NewReader(in): the struct
			// already holds the handle, and the reader holds it too.
			set(&t.wrapFields, fa.Field)
		case t.holderWrap:
			// The handle itself in another field of the struct that holds
			// a reader of it: that field is the handle's, whichever store
			// is walked first. Walk the struct again for its loads.
			t.part, t.holderWrap = Part{Kind: Field, N: fa.Field}, false
			t.fresh = append(t.fresh, base)
		default:
			return nil
		}
		return base
	}
	if _, seen := t.info(base); seen {
		return nil // already the tracker's in another role
	}
	t.holder, t.part, t.holderWrap = base, Part{Kind: Field, N: fa.Field}, wrap
	if wrap {
		set(&t.wrapFields, fa.Field)
	}
	return base
}

// wrapperValue reports whether v, which carries the handle, is a value
// that holds it rather than the handle itself: the result of a Pass that
// Holds (bufio.NewReader(f)), converted or merged, or a field of the
// holder that such a value was stored in.
func (t *tracker) wrapperValue(v ssa.Value) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		v = unbox(v)
		if seen[v] {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Phi:
			return slices.ContainsFunc(x.Edges, walk)
		case *ssa.Extract:
			if c, ok := x.Tuple.(*ssa.Call); ok {
				return t.holdsResult(c, x.Index)
			}
		case *ssa.Call:
			return t.holdsResult(x, 0)
		case *ssa.UnOp:
			if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL && t.holder != nil {
				return t.wrapFields[fa.Field] && ownAlloc(fa.X) == t.holder
			}
		case *ssa.Field:
			return t.holder != nil && t.wrapFields[x.Field] && ownAlloc(x.X) == t.holder
		}
		return false
	}
	return walk(v)
}

// holdsResult reports whether result i of call c holds one of its
// operands (a Pass that Holds).
func (t *tracker) holdsResult(c *ssa.Call, i int) bool {
	for _, p := range t.a.oracle.Effects(&c.Call).Passes {
		if p.Holds && int(p.Result) == i {
			return true
		}
	}
	return false
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

// unbox returns v without its conversions and interface boxing
// (ChangeType, Convert, MakeInterface, ChangeInterface).
func unbox(v ssa.Value) ssa.Value {
	for {
		switch x := Unconvert(v).(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return x
		}
	}
}

// A table holds what one Analyze call knows about the values that carry
// handles through slots, shared by all its trackers: whether a phi, a load
// or a variable denotes a given handle depends on the path, and lives in
// each element's bits, but what is computed from it, where it is used and
// where it is live do not depend on the handle. Each acquisition then
// discovers only its own values, and a variable that N acquisitions write
// to is walked once, not N times.
type table struct {
	vals     map[ssa.Value]valInfo
	slots    map[ssa.Value]uint
	slotVals []ssa.Value
	rooted   map[ssa.Value][]ssa.Value // the values each shared root roots
	liveIn   map[ssa.Value]blockSet
	// edges and preds index phis and blocks with many predecessors (a
	// loop header that a switch of N cases continues to).
	edges map[*ssa.Phi]map[ssa.Value][]int
	preds map[*ssa.BasicBlock]map[*ssa.BasicBlock]int
	// flags indexes the boolean phis that flagIndex was asked about (-1:
	// not a flag); flagPhis and flagLive are per flag (see flag.go).
	flags    map[*ssa.Phi]int
	flagPhis []*ssa.Phi
	flagLive []map[*ssa.BasicBlock]bool
	// entries caches entryBranch, by block and predecessor.
	entries map[[2]*ssa.BasicBlock]int
	nils    map[*ssa.Phi]bool // see isNil
	// nilVars indexes the variables that nilVarIndex was asked about
	// (-1: not a nil variable); nilVarLive is per nil variable (see
	// nilvar.go).
	nilVars    map[*ssa.Alloc]int
	nilVarLive []map[*ssa.BasicBlock]bool
	// sites and uses intern the trackers' releases and uses: one map
	// for the function, not one per tracker (most trackers intern one
	// or two, and a function has a tracker per acquisition).
	sites map[site]*site
	uses  map[use]*use
	// blockBuf is computeLive's buffer. blockGen (by block index) marks
	// the blocks computeLive has marked in its current call, numbered
	// liveGen; phiGen, the phis usesOf has done for its current value,
	// numbered usesGen. Nothing is cleared between calls.
	blockBuf []*ssa.BasicBlock
	blockGen []uint32
	liveGen  uint32
	phiGen   map[*ssa.Phi]uint32
	usesGen  uint32
}

// predsOn appends to out the predecessors of phi's block on the edges
// that carry v.
func (tb *table) predsOn(out []*ssa.BasicBlock, phi *ssa.Phi, v ssa.Value) []*ssa.BasicBlock {
	preds := phi.Block().Preds
	if len(phi.Edges) > 8 {
		for _, j := range tb.edgesOf(phi)[v] {
			out = append(out, preds[j])
		}
		return out
	}
	for j, x := range phi.Edges {
		if x == v && j < len(preds) {
			out = append(out, preds[j])
		}
	}
	return out
}

// edgesOf returns, per value, the edges of phi it is on.
func (tb *table) edgesOf(phi *ssa.Phi) map[ssa.Value][]int {
	m, ok := tb.edges[phi]
	if !ok {
		m = make(map[ssa.Value][]int)
		for j, x := range phi.Edges {
			if j < len(phi.Block().Preds) {
				m[x] = append(m[x], j)
			}
		}
		tb.edges[phi] = m
	}
	return m
}

// predIndex returns the index of pred among b's predecessors, or -1.
func (tb *table) predIndex(b, pred *ssa.BasicBlock) int {
	if len(b.Preds) <= 8 {
		return slices.Index(b.Preds, pred)
	}
	m, ok := tb.preds[b]
	if !ok {
		m = make(map[*ssa.BasicBlock]int, len(b.Preds))
		for i := len(b.Preds) - 1; i >= 0; i-- {
			m[b.Preds[i]] = i // the first, as slices.Index
		}
		tb.preds[b] = m
	}
	if i, ok := m[pred]; ok {
		return i
	}
	return -1
}

func newTable() *table {
	return &table{
		vals:   make(map[ssa.Value]valInfo),
		slots:  make(map[ssa.Value]uint),
		rooted: make(map[ssa.Value][]ssa.Value),
		liveIn: make(map[ssa.Value]blockSet),
		phiGen: make(map[*ssa.Phi]uint32),
		edges:  make(map[*ssa.Phi]map[ssa.Value][]int),
		preds:  make(map[*ssa.BasicBlock]map[*ssa.BasicBlock]int),
		nils:   make(map[*ssa.Phi]bool),
		sites:  make(map[site]*site),
		uses:   make(map[use]*use),
	}
}

// shared reports whether root roots values in the shared table: it is a
// slot, and not an aggregate, whose parts depend on the acquisition.
func (tb *table) shared(root ssa.Value) bool {
	info, ok := tb.vals[root]
	return ok && info.root == root
}

// info returns what v stands for, if it is tracked.
func (t *tracker) info(v ssa.Value) (valInfo, bool) {
	if info, ok := t.vals.get(v); ok {
		return info, true
	}
	info, ok := t.a.tab.vals[v]
	return info, ok
}

// add records that v stands for r, rooted at root; slot says v is a slot
// (root == v). It reports whether v is new, and is to be walked.
func (t *tracker) add(v ssa.Value, r role, root ssa.Value, slot bool) bool {
	if old, ok := t.info(v); ok {
		if old.role == roleClosure && r == roleClosure && old.root != root {
			t.alsoRooted(v, root) // a closure that captures two handles
		}
		return false
	}
	tab := t.a.tab
	switch {
	case slot && r != roleAgg && r != roleAggCell && r != roleAggPtr, !slot && tab.shared(root):
		if slot {
			t.slot(v)
		}
		tab.vals[v] = valInfo{role: r, root: root}
		tab.rooted[root] = append(tab.rooted[root], v)
	default:
		if slot {
			t.slot(v)
		}
		t.vals.set(v, valInfo{role: r, root: root})
		t.addRooted(t.rootKey(root), v)
	}
	t.fresh = append(t.fresh, v)
	return true
}

// alsoRooted records closure v, and the conversions of it, among the
// values that root roots, when v is already known rooted at another: a
// closure that captures two handles is one value in the table, rooted at
// the first binding discovered, but its uses are uses of each. (Whether
// it carries an instance is asked of its bindings: see cur.)
func (t *tracker) alsoRooted(v, root ssa.Value) {
	tab := t.a.tab
	key := t.rootKey(root)
	if tab.shared(root) {
		key = root
	}
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if slices.Contains(t.rootedBy(key), v) {
			return
		}
		if tab.shared(key) {
			tab.rooted[key] = append(tab.rooted[key], v)
		} else {
			t.addRooted(key, v)
		}
		if refs := v.Referrers(); refs != nil {
			for _, r := range *refs {
				switch x := r.(type) {
				case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
					walk(x.(ssa.Value))
				}
			}
		}
	}
	walk(v)
}

// rootedBy returns the values root roots (nil: the seed's), in the
// shared table or the tracker's own.
func (t *tracker) rootedBy(root ssa.Value) []ssa.Value {
	switch {
	case root == nil:
		return t.seedVals
	case t.a.tab.shared(root):
		return t.a.tab.rooted[root]
	}
	return t.rooted[root]
}

// addRooted adds v to the tracker's own values rooted at key, a root
// key (see rootKey).
func (t *tracker) addRooted(key, v ssa.Value) {
	if key == nil {
		t.seedVals = append(t.seedVals, v)
		return
	}
	if t.rooted == nil {
		t.rooted = make(map[ssa.Value][]ssa.Value)
	}
	t.rooted[key] = append(t.rooted[key], v)
}

// ownVals are a tracker's own values and what each stands for: a few
// for most trackers (the acquisition's result and error), kept in a
// slice and searched, until there are more than 8, then in a map.
type ownVals struct {
	few  []ownVal
	many map[ssa.Value]valInfo
}

type ownVal struct {
	v    ssa.Value
	info valInfo
}

func (o *ownVals) get(v ssa.Value) (valInfo, bool) {
	if o.many != nil {
		info, ok := o.many[v]
		return info, ok
	}
	for _, x := range o.few {
		if x.v == v {
			return x.info, true
		}
	}
	return valInfo{}, false
}

// root returns the root of own value v, or nil.
func (o *ownVals) root(v ssa.Value) ssa.Value {
	info, _ := o.get(v)
	return info.root
}

// set records info for v, which has none yet.
func (o *ownVals) set(v ssa.Value, info valInfo) {
	if o.many == nil && len(o.few) < 8 {
		o.few = append(o.few, ownVal{v, info})
		return
	}
	if o.many == nil {
		o.many = make(map[ssa.Value]valInfo, 16)
		for _, x := range o.few {
			o.many[x.v] = x.info
		}
		o.few = nil
	}
	o.many[v] = info
}

// rootKey is the key of t.rooted under which a value of the tracker's
// own rooted at root is listed: root if it is a slot, else nil (the
// seed's values).
func (t *tracker) rootKey(root ssa.Value) ssa.Value {
	if _, isSlot := t.a.tab.slots[root]; isSlot {
		return root
	}
	return nil
}

// slot gives v a bit; past the function's budget, the handle is given up.
func (t *tracker) slot(v ssa.Value) {
	tab := t.a.tab
	if _, ok := tab.slots[v]; ok {
		return
	}
	if len(tab.slots) == maxSlots {
		t.giveUpFor("more than %d values carry handles in the function", maxSlots)
		return
	}
	tab.slots[v] = uint(len(tab.slots))
	tab.slotVals = append(tab.slotVals, v)
}

// slotOf returns v's slot, if it has one.
func (t *tracker) slotOf(v ssa.Value) (uint, bool) {
	i, ok := t.a.tab.slots[v]
	return i, ok
}

// bits returns the bitset with v's bit alone, if v is a slot.
func (t *tracker) bits(v ssa.Value) bitset {
	if i, ok := t.slotOf(v); ok {
		return bitset("").with(i, true)
	}
	return ""
}

// discover closes the tracked values over the ways a value can carry the
// handle, in any order: conversions, phis, variables and closures. Which of
// them denote the current instance on a path is decided during propagation.
// Values already in the shared table were walked by an earlier tracker.
func (t *tracker) discover() {
	for len(t.fresh) > 0 {
		v := t.fresh[len(t.fresh)-1]
		t.fresh = t.fresh[:len(t.fresh)-1]
		info, _ := t.info(v)
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			if nv, nr, root := t.derive(v, info, r); nv != nil {
				t.add(nv, nr, root, root == nv)
			}
			if call, ok := r.(*ssa.Call); ok && info.role == roleHandle {
				// h := check(os.Open(p)) returns (*os.File, error):
				// its error is the handle's too.
				if p, ok := t.passOf(&call.Call, v); ok && p.Err != NoResult {
					if ev := result(call, int(p.Err), resultCount(call)); ev != nil {
						t.add(ev, roleErr, info.root, false)
					}
				}
			}
		}
	}
}

// passOf returns the Pass of call c that returns v, which denotes the
// handle or its error, as it is: the result then denotes it too.
func (t *tracker) passOf(c *ssa.CallCommon, v ssa.Value) (Pass, bool) {
	for _, p := range t.a.oracle.Effects(c).Passes {
		if OperandValue(c, p.Operand) != v {
			continue
		}
		if p.Holds && t.entry != nil {
			continue // a parameter or captured handle: kept, as before
		}
		if p.Err != NoResult && p.ErrOperand != NoOperand && !sameTupleErr(v, OperandValue(c, p.ErrOperand)) {
			return Pass{}, false // its error may be some other call's
		}
		return p, true
	}
	return Pass{}, false
}

// sameTupleErr reports whether ev, passed with handle h, is nil or the
// error result of the call whose result h is: check(os.Open(p)).
func sameTupleErr(h, ev ssa.Value) bool {
	if k, ok := ev.(*ssa.Const); ok && k.IsNil() {
		return true
	}
	x, ok := Unconvert(h).(*ssa.Extract)
	y, ok2 := ev.(*ssa.Extract)
	return ok && ok2 && x.Tuple == y.Tuple && y.Index == y.Tuple.Type().(*types.Tuple).Len()-1
}

// derive says what instruction r, which uses v, makes of it.
func (t *tracker) derive(v ssa.Value, info valInfo, r ssa.Instruction) (ssa.Value, role, ssa.Value) {
	switch info.role {
	case roleTag:
		if x, ok := r.(*ssa.ChangeType); ok {
			return x, roleTag, info.root // a named type's conversion keeps the value
		}
	case roleOk:
		switch x := r.(type) {
		case *ssa.ChangeType, *ssa.Convert:
			return x.(ssa.Value), roleOk, info.root
		case *ssa.Call:
			if t.errOfStatus(x, v) {
				return x, roleErr, info.root // status.Err()
			}
		}
	case roleAgg:
		return t.deriveAgg(v, info, r)
	case roleAggCell:
		return t.deriveAggCell(v, info, r)
	case roleAggPtr:
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op == token.MUL {
				return x, roleAggCell, info.root // pi.Thread loads pi
			}
		case *ssa.MakeClosure:
			return x, roleClosure, info.root
		}
	case roleHandle, roleErr:
		switch x := r.(type) {
		case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
			return x.(ssa.Value), info.role, info.root
		case *ssa.TypeAssert:
			if !x.CommaOk {
				return x, info.role, info.root
			}
			if info.role == roleHandle {
				return x, roleAssert, info.root // v, ok := x.(windows.Handle)
			}
		case *ssa.Phi:
			return x, info.role, x
		case *ssa.Store:
			if x.Val == v {
				if cell, ok := x.Addr.(*ssa.Alloc); ok {
					return cell, cellRole(info.role), cell
				}
				if fv, ok := x.Addr.(*ssa.FreeVar); ok && info.role == roleErr && onlyStoredLoaded(fv) {
					// fd, err = os.OpenFile(...) in a closure, err the
					// enclosing function's variable: the closure's loads
					// of it read the error until it stores another.
					return fv, roleErrCell, fv
				}
				if fa, ok := x.Addr.(*ssa.FieldAddr); ok && info.role == roleErr {
					// s, so.Err = syscall.Socket(...): the field holds the error.
					return t.fieldCell(fa), roleErrCell, t.fieldCell(fa)
				}
				if base := t.holderOf(v, x); base != nil {
					// g.handle, err = CreateFile(...): the struct g, which the
					// function allocated, holds the handle in that field.
					return base, roleAggCell, base
				}
				if p := t.recvHolderOf(v, x); p != nil {
					return p, roleAggCell, p // sb.file = f: the caller's struct holds it
				}
			}
		case *ssa.MakeClosure:
			if info.role == roleHandle {
				return x, roleClosure, info.root
			}
		case *ssa.FieldAddr:
			if info.role == roleHandle && isEmbeddedValue(x) {
				// c.Close() on a *net.TCPConn calls (*net.conn).Close on
				// &c.conn, the struct it embeds: the same object (so does
				// disp.Release() on an *ole.IDispatch, embedding ole.IUnknown).
				return x, roleHandle, info.root
			}
		case *ssa.Call:
			if p, ok := t.passOf(&x.Call, v); ok {
				if rv := result(x, int(p.Result), resultCount(x)); rv != nil {
					return rv, info.role, info.root // f := must(os.Open(p))
				}
			}
			if info.role == roleHandle {
				if errv := t.errIfInvalid(x, v); errv != nil {
					return errv, roleErr, info.root // rc, err := f.SyscallConn()
				}
			}
		}
	case roleAssert:
		if x, ok := r.(*ssa.Extract); ok {
			if x.Index == 0 {
				return x, roleHandle, info.root
			}
			return x, roleAssertOk, info.root
		}
	case roleClosure:
		switch x := r.(type) {
		case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
			// return func() { h.Close() } as a named func type
			return x.(ssa.Value), roleClosure, info.root
		case *ssa.Store:
			// cleanup := func() { f.Close() }, captured by another
			// closure: the variable, written once, is the closure.
			if a, ok := x.Addr.(*ssa.Alloc); ok && x.Val == v && storedClosure(a) != nil {
				return a, roleClosure, info.root
			}
		case *ssa.UnOp:
			if _, ptr := v.Type().Underlying().(*types.Pointer); ptr && x.Op == token.MUL {
				return x, roleClosure, info.root // cleanup() loads it
			}
		case *ssa.MakeClosure:
			if _, ptr := v.Type().Underlying().(*types.Pointer); ptr {
				// defer func() { if err != nil { cleanup() } }()
				return x, roleClosure, info.root
			}
		}
	case roleCell, roleErrCell:
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if v == info.root && usedAtOnce(x, v) {
					// tok.Close(): the load denotes what the variable
					// holds, which nothing changes before its uses.
					return x, valueRole(info.role), info.root
				}
				return x, valueRole(info.role), x
			}
		case *ssa.ChangeType, *ssa.Convert:
			return x.(ssa.Value), info.role, info.root
		case *ssa.MakeClosure:
			if info.role == roleCell {
				return x, roleClosure, info.root
			}
		case *ssa.Phi:
			if info.role == roleCell && allocPhi(x) {
				// for f, err := os.Open(p); ...; f, err = os.Open(q): the
				// per-iteration variable of Go 1.22, a new one each time
				// round the loop.
				return x, roleCell, x
			}
		}
	}
	return nil, 0, nil
}

// errOfStatus reports whether call, given the acquisition's status v,
// returns an error that is non-nil only where the status failed (by the
// acquisition's success test).
func (t *tracker) errOfStatus(call *ssa.Call, v ssa.Value) bool {
	if resultCount(call) != 1 || t.src.Acquire.Success == NoSuccessGate {
		return false
	}
	cmp := t.a.oracle.Effects(&call.Call).ErrIf
	return cmp != nil && OperandValue(&call.Call, cmp.Operand) == v &&
		failedBranch(t.src.Acquire.Success, cmp.Type, cmp.Op, cmp.Value) == 0
}

// errIfInvalid returns the error result of call when it is non-nil only
// where h, one of its operands, is no valid handle (Effects.ErrIfInvalid),
// else nil.
func (t *tracker) errIfInvalid(call *ssa.Call, h ssa.Value) ssa.Value {
	for _, op := range t.a.oracle.Effects(&call.Call).ErrIfInvalid {
		if OperandValue(&call.Call, op) == h {
			n := resultCount(call)
			if n > 0 && isErrorType(call.Call.Signature().Results().At(n-1).Type()) {
				return result(call, n-1, n)
			}
		}
	}
	return nil
}

// isPart reports whether a field or index selects the acquisition's Part.
func (t *tracker) isPart(kind PartKind, index ssa.Value, field int) bool {
	p := t.part
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
			t.giveUpFor("an element is selected by a variable index") // fd[i]
		}
	case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface:
		return x.(ssa.Value), roleAgg, info.root // return WindowsLogger{el, errs}, nil as an interface
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
func (t *tracker) deriveAggCell(v ssa.Value, info valInfo, r ssa.Instruction) (ssa.Value, role, ssa.Value) {
	switch x := r.(type) {
	case *ssa.Store:
		if cell, ok := x.Addr.(*ssa.Alloc); ok && x.Val == v {
			return cell, roleAggPtr, info.root // pi := new(T), kept in a variable
		}
	case *ssa.FieldAddr:
		if t.isPart(Field, nil, x.Field) {
			return x, roleCell, info.root // &pi.Process
		}
	case *ssa.IndexAddr:
		if t.isPart(Elem, x.Index, 0) {
			return x, roleCell, info.root // &p[0]
		}
		if _, isConst := x.Index.(*ssa.Const); !isConst {
			t.giveUpFor("an element is selected by a variable index") // range p, p[i]
		}
	case *ssa.Slice, *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
		return x.(ssa.Value), roleAggCell, info.root // return p, nil as an interface
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return x, roleAgg, x // a copy of the whole aggregate
		}
	case *ssa.Phi:
		return x, roleAggCell, x // ino = other on another path
	case *ssa.MakeClosure:
		// defer func() { CloseHandle(pi.Thread) }(): what the closure
		// does with the part is its summary's, where it is called.
		return x, roleClosure, info.root
	}
	return nil, 0, nil
}

// onlyStoredLoaded reports whether the closure whose captured variable fv
// is only stores into it and loads of it: it passes the variable's
// address to nothing (a call, another closure) that could write it
// between a store and a load.
func onlyStoredLoaded(fv *ssa.FreeVar) bool {
	return storesLoads(fv, func(*ssa.Store) bool { return true })
}

// storesLoads reports whether fv's only uses are loads of it and stores
// into it that ok accepts.
func storesLoads(fv *ssa.FreeVar, ok func(*ssa.Store) bool) bool {
	for _, r := range *fv.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != fv || !ok(x) {
				return false
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// fieldCell returns the one FieldAddr that stands for field fa.Field of
// fa.X in this function, and makes every other address of that field an
// alias of it, so that stores and loads through any of them meet.
func (t *tracker) fieldCell(fa *ssa.FieldAddr) ssa.Value {
	for _, b := range t.fn.Blocks {
		for _, instr := range b.Instrs {
			count(WorkScanned, 1)
			if o, ok := instr.(*ssa.FieldAddr); ok && sameBase(o.X, fa.X) && o.Field == fa.Field {
				if info, seen := t.info(o); seen {
					return info.root
				}
			}
		}
	}
	t.add(fa, roleErrCell, fa, true)
	for _, b := range t.fn.Blocks {
		for _, instr := range b.Instrs {
			count(WorkScanned, 1)
			if o, ok := instr.(*ssa.FieldAddr); ok && o != fa && sameBase(o.X, fa.X) && o.Field == fa.Field {
				t.add(o, roleErrCell, fa, false)
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
	info, ok := t.info(v)
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
	if info.role == roleClosure {
		if mc := closureOf(v); mc != nil {
			// The table roots a closure at one of the handles it
			// captures; it carries whichever its bindings carry.
			return slices.ContainsFunc(mc.Bindings, func(b ssa.Value) bool { return t.carries(e, b) })
		}
	}
	if i, isSlot := t.slotOf(info.root); isSlot {
		return e.bits.has(i)
	}
	return !e.stale
}

// closureOf returns the closure that v is, or is a conversion of, or that
// the variable v is (or v loads) holds, written once.
func closureOf(v ssa.Value) *ssa.MakeClosure {
	for {
		switch x := v.(type) {
		case *ssa.MakeClosure:
			return x
		case *ssa.Alloc:
			return storedClosure(x)
		case *ssa.UnOp:
			a, ok := x.X.(*ssa.Alloc)
			if !ok || x.Op != token.MUL {
				return nil
			}
			return storedClosure(a)
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return nil
		}
	}
}

// storedClosure returns the closure that variable a holds: the one value
// ever stored in it (cleanup := func() { ... }), also by the closures
// that capture it, or nil.
func storedClosure(a *ssa.Alloc) *ssa.MakeClosure {
	var mc *ssa.MakeClosure
	for _, r := range *a.Referrers() {
		if c, ok := r.(*ssa.MakeClosure); ok && assignsCaptured(c, a) {
			return nil
		}
		st, ok := r.(*ssa.Store)
		if !ok {
			continue
		}
		c, ok := st.Val.(*ssa.MakeClosure)
		if !ok || st.Addr != a || mc != nil {
			return nil
		}
		mc = c
	}
	return mc
}

// assignsCaptured reports whether closure mc may assign variable a, which
// it captures: its function does more with it than load it.
func assignsCaptured(mc *ssa.MakeClosure, a *ssa.Alloc) bool {
	fn := mc.Fn.(*ssa.Function)
	for k, b := range mc.Bindings {
		if b != a || k >= len(fn.FreeVars) {
			continue
		}
		for _, r := range *fn.FreeVars[k].Referrers() {
			if load, ok := r.(*ssa.UnOp); !ok || load.Op != token.MUL {
				return true // stored into, or passed on: not followed
			}
		}
	}
	return false
}

// carries reports whether v carries the current instance: the handle, its
// variable, or a closure capturing either.
func (t *tracker) carries(e elem, v ssa.Value) bool {
	return t.cur(e, v, roleHandle, roleCell, roleClosure, roleAgg, roleAggCell, roleAggPtr)
}

func (t *tracker) setBit(e elem, slot ssa.Value, on bool) elem {
	i, ok := t.slotOf(slot)
	if !ok {
		return e
	}
	if !on && e.bits.has(i) && t.heldish(e) {
		t.lostAt = t.curPos
	}
	e.bits = e.bits.with(i, on)
	return e
}

// internUse returns the one use equal to u.
func (t *tracker) internUse(u use) *use {
	tab := t.a.tab
	if p, ok := tab.uses[u]; ok {
		return p
	}
	p := &u
	tab.uses[u] = p
	return p
}

// intern returns the one site equal to s.
func (t *tracker) intern(s site) *site {
	tab := t.a.tab
	if p, ok := tab.sites[s]; ok {
		return p
	}
	p := &s
	tab.sites[s] = p
	return p
}

// A bitset is an immutable set of slot indices, kept comparable (so that
// elements can be map keys) as a string: the indices in increasing order,
// two bytes each (maxSlots fits). An element is denoted by few slots at a
// time, while a function may have thousands: a sparse set costs each
// operation O(bits set), where a dense one cost O(slots) (the quadratic
// part of a loop through which 4,000 handles pass one variable).
type bitset string

// find returns the position of i in s, in indices, and whether it is there.
func (s bitset) find(i uint) (int, bool) {
	lo, hi := 0, len(s)/2
	for lo < hi {
		m := (lo + hi) / 2
		switch x := s.at(m); {
		case x == i:
			return m, true
		case x < i:
			lo = m + 1
		default:
			hi = m
		}
	}
	return lo, false
}

// at returns the k-th index of s.
func (s bitset) at(k int) uint { return uint(s[2*k])<<8 | uint(s[2*k+1]) }

func (s bitset) has(i uint) bool {
	_, ok := s.find(i)
	return ok
}

func (s bitset) empty() bool { return s == "" }

// with returns s with bit i set or cleared.
func (s bitset) with(i uint, on bool) bitset {
	k, ok := s.find(i)
	if ok == on {
		return s
	}
	if !on {
		return s[:2*k] + s[2*k+2:]
	}
	return s[:2*k] + bitset([]byte{byte(i >> 8), byte(i)}) + s[2*k:]
}

// all yields the set bits, in increasing order.
func (s bitset) all() func(func(uint) bool) {
	return func(yield func(uint) bool) {
		for k := range len(s) / 2 {
			if !yield(s.at(k)) {
				return
			}
		}
	}
}

// usedAtOnce reports whether load, a load of variable cell, is used only
// later in its own block, directly or through conversions, with nothing in
// between that may store to the variable: no store to it and no call
// other than the use itself. It then denotes whatever the variable holds
// at its uses, and needs no slot of its own.
func usedAtOnce(load *ssa.UnOp, cell ssa.Value) bool {
	b := load.Block()
	if b == nil {
		return false
	}
	last := -1
	var uses func(v ssa.Value, depth int) bool
	uses = func(v ssa.Value, depth int) bool {
		refs := v.Referrers()
		if refs == nil || depth > 4 {
			return false
		}
		for _, r := range *refs {
			if r.Block() != b {
				return false
			}
			switch r := r.(type) {
			case *ssa.Phi:
				return false
			case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
				if !uses(r.(ssa.Value), depth+1) {
					return false
				}
			}
			last = max(last, slices.Index(b.Instrs, r))
		}
		return true
	}
	if !uses(load, 0) {
		return false
	}
	i := slices.Index(b.Instrs, ssa.Instruction(load))
	if i < 0 || last <= i {
		return false
	}
	for _, instr := range b.Instrs[i+1 : last] {
		switch x := instr.(type) {
		case *ssa.Store:
			if Unconvert(x.Addr) == cell {
				return false
			}
		case ssa.CallInstruction:
			return false
		}
	}
	return true
}

// earlyDefer returns the deferred closure, registered on every path before
// acq, that releases at exit what a variable of the handle holds then:
// var h windows.Handle; defer func() { windows.CloseHandle(h) }(); h, err = ...
// When such a closure releases it where the named error result is not
// nil (a close-on-error cleanup, as runc's mountFd has), it returns
// onErr instead; when it releases it on some other paths only, and keeps
// no copy, maybe.
func (t *tracker) earlyDefer(acq *ssa.Call) (early, onErr *site, maybe bool) {
	for _, d := range t.a.closureDefers() {
		if !precedes(d.instr, acq) {
			continue
		}
		mc := d.mc
		fn := mc.Fn.(*ssa.Function)
		for k, b := range mc.Bindings {
			info, ok := t.info(b)
			if !ok || k >= len(fn.FreeVars) {
				continue
			}
			seed := entrySeed{value: fn.FreeVars[k], role: roleCell, st: stHeld}
			if info.role == roleClosure {
				// It calls a closure held in a variable that captures
				// the handle's: cleanup := func() { f.Close() };
				// defer func() { if err != nil { cleanup() } }().
				inner, cell, ok := t.innerCell(b)
				if !ok {
					continue
				}
				seed.role, seed.inner = roleClosure, &inner
				info = valInfo{role: roleCell, root: cell}
			}
			// The struct whose field the acquisition writes, read by the
			// closure at exit: out := windows.DataBlob{};
			// defer func() { if out.Data != nil { LocalFree(...) } }()
			outField := info.role == roleAggCell && t.part.Kind == Field && info.root == t.outCell
			if outField {
				seed.role = roleAggCell
			}
			if info.role != roleCell && !outField || !t.storesInto(info.root) {
				continue
			}
			s := t.summarize(fn, seed)
			if s.all {
				first := s.released[0]
				return t.intern(site{pos: first.pos, rel: first.rel, deferred: true, cell: info.root}), nil, false
			}
			if len(s.released) > 0 && !s.handedOn {
				if site := t.onError(mc, seed, info.root); site != nil {
					return nil, site, false
				}
				maybe = true
			}
		}
	}
	return nil, nil, maybe
}

// innerCell returns the seed, in the closure that b is, of a variable it
// captures that the acquisition stores its handle in, and that variable.
func (t *tracker) innerCell(b ssa.Value) (entrySeed, ssa.Value, bool) {
	mc := closureOf(b)
	if mc == nil || t.depth+1 >= maxDepth {
		return entrySeed{}, nil, false
	}
	fn := mc.Fn.(*ssa.Function)
	if isBoundMethod(fn) {
		return entrySeed{}, nil, false
	}
	for k, v := range mc.Bindings {
		if info, ok := t.info(v); ok && info.role == roleCell && k < len(fn.FreeVars) && t.storesInto(info.root) {
			return entrySeed{value: fn.FreeVars[k], role: roleCell, st: stHeld}, info.root, true
		}
	}
	return entrySeed{}, nil, false
}

// storesInto reports whether the acquisition itself puts its handle in
// variable cell: it is the out-parameter, or one of its own values is
// stored there. (The shared table knows the variable as soon as any handle
// goes into it; this asks about this one.)
func (t *tracker) storesInto(cell ssa.Value) bool {
	if cell == t.outCell {
		return true
	}
	refs := cell.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			if info, own := t.vals.get(st.Val); own && info.role == roleHandle {
				if _, isSlot := t.slotOf(info.root); !isSlot {
					return true
				}
			}
		}
	}
	return false
}

// precedes reports whether d runs before instr on every path to instr.
func precedes(d, instr ssa.Instruction) bool {
	db, ib := d.Block(), instr.Block()
	if db == ib {
		return slices.Index(db.Instrs, d) < slices.Index(ib.Instrs, instr)
	}
	return db.Dominates(ib)
}

// An atExit is a closure the function runs at exit: deferred, or handed
// to a function that runs it after the function returns (Effects.AtExit).
type atExit struct {
	instr ssa.Instruction // the Defer or the Call
	mc    *ssa.MakeClosure
}

// closureDefers lists the function's defers of closures, and the closures
// it hands to be run at exit, computed once. Such a closure is a
// MakeClosure of one of the function's literals (a bound method's are
// left out), so a function without any has none, and its instructions
// are not walked again (issue 12: on a large function each walk pays
// again for fetching them from memory, where go/ssa leaves them a few to
// a page).
func (a *analysis) closureDefers() []atExit {
	if a.defers == nil {
		a.defers = []atExit{}
		if len(a.fn.AnonFuncs) == 0 {
			return a.defers
		}
		for _, b := range a.fn.Blocks {
			for _, instr := range b.Instrs {
				count(WorkScanned, 1)
				switch x := instr.(type) {
				case *ssa.Defer:
					if mc, ok := x.Call.Value.(*ssa.MakeClosure); ok && !isBoundMethod(mc.Fn.(*ssa.Function)) {
						a.defers = append(a.defers, atExit{x, mc})
					}
				case *ssa.Call:
					for _, op := range a.oracle.Effects(&x.Call).AtExit {
						if mc, ok := OperandValue(&x.Call, op).(*ssa.MakeClosure); ok && !isBoundMethod(mc.Fn.(*ssa.Function)) {
							a.defers = append(a.defers, atExit{x, mc})
						}
					}
				}
			}
		}
	}
	return a.defers
}

// hasCollectionTests reports whether some block of the function ends in
// an If whose condition collectionTest accepts (looked up once, in the
// blocks' last instructions only).
func (a *analysis) hasCollectionTests() bool {
	if !a.testsKnown {
		a.testsKnown = true
		for _, b := range a.fn.Blocks {
			count(WorkScanned, 1)
			if n := len(b.Instrs); n > 0 {
				if test, ok := b.Instrs[n-1].(*ssa.If); ok && collectionTest(test.Cond) {
					a.collectionTests = true
					break
				}
			}
		}
	}
	return a.collectionTests
}

// isEmbeddedValue reports whether fa addresses a field that its struct
// embeds by value (not a pointer): a method promoted from it acts on the
// struct that holds it.
func isEmbeddedValue(fa *ssa.FieldAddr) bool {
	st := StructOf(fa.X.Type())
	if st == nil || fa.Field >= st.NumFields() {
		return false
	}
	f := st.Field(fa.Field)
	_, ptr := f.Type().Underlying().(*types.Pointer)
	return f.Embedded() && !ptr
}

// allocPhi reports whether phi merges variables only (the loop variable
// of a three-clause for loop that a closure captures: one per iteration).
func allocPhi(phi *ssa.Phi) bool {
	for _, e := range phi.Edges {
		switch e.(type) {
		case *ssa.Alloc, *ssa.Phi:
		default:
			return false
		}
	}
	return true
}
