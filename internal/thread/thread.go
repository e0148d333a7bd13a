// Package thread follows what a function does to the OS thread its
// goroutine runs on: wiring the goroutine to the thread
// (runtime.LockOSThread), impersonating another identity on it
// (ImpersonateLoggedOnUser, ImpersonateSelf, SetThreadToken) and reverting
// (RevertToSelf). Windows impersonation belongs to the thread, and a
// goroutine that is not locked to its thread may move to another one:
//
//	          LockOSThread            impersonate
//	unlocked -------------> locked ---------------> impersonating
//	   ^  |                   ^                         |  |
//	   |  | impersonate       '--------- revert --------'  | UnlockOSThread
//	   |  v                                                v
//	   | NoLock                                         NoRevert
//	   |
//	   '--- UnlockOSThread after a revert whose error is ignored: RevertIgnored
//
// The analysis is a forward dataflow over one function's blocks. Its state
// is the lock depth relative to the function's entry (LockOSThread and
// UnlockOSThread nest), the impersonations that may be in effect, the
// reverts whose error was ignored since, and the calls deferred so far,
// which run (last first) at the function's rundefers. An impersonating
// call's failure edge (its error non-nil, a native procedure's BOOL zero)
// drops the impersonation. Functions summarize what they leave behind for
// their callers (Summary): a helper that locks, one that impersonates and
// returns impersonating (the caller must revert), one that reverts, and
// one that impersonates without locking (the caller must have locked).
//
// The package knows nothing of rules or diagnostics: an Oracle says what
// each call does, and Analyze returns neutral findings.
package thread

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Op is one thing a call does to the calling thread.
type Op uint8

const (
	Lock        Op = iota + 1 // runtime.LockOSThread: the goroutine is wired to its thread
	Revert                    // the thread takes back the process's identity
	Impersonate               // the thread takes another identity
	Unlock                    // runtime.UnlockOSThread
)

// A Call is what one call does to the calling thread, for the analysis
// and for messages.
type Call struct {
	// Ops apply in this order. Empty: the call does nothing to the thread.
	Ops []Op
	// Name is the function or procedure called; Origin, for a function
	// known by its summary, the API it ends in (else Name).
	Name, Origin string
	// NeedsLock: the call impersonates (in effect, or only while it
	// runs) without locking the thread itself; the caller must have
	// locked it.
	NeedsLock bool
	// ErrGate: the impersonation happens only where the call's last
	// result, an error, is nil. Native: only where its result 0, a BOOL,
	// is not zero.
	ErrGate, Native bool
	// SuccessZero, with Native: the result is 0 on success (an
	// RPC_STATUS, an HRESULT), not a BOOL.
	SuccessZero bool
	// IgnoresErr: the call reverts and ignores whether the revert failed.
	IgnoresErr bool
	// Summary: the call is known by its callee's Summary, which checked
	// its own impersonations' locks (see NeedsLock).
	Summary bool
	// Via, for a Summary call, are the functions between the callee and
	// Origin (Summary.Via).
	Via []string
}

func (c Call) has(op Op) bool { return slices.Contains(c.Ops, op) }

// An Oracle says what calls do to the calling thread.
type Oracle interface {
	Thread(c *ssa.CallCommon) Call
}

// Kind is a kind of finding.
type Kind uint8

const (
	// NoLock: an impersonation on a thread that is not locked on every
	// path before it. At the impersonating call.
	NoLock Kind = iota
	// NoRevert: an impersonation still in effect where the thread is
	// unlocked. At the impersonating call; Other is the unlock.
	NoRevert
	// RevertIgnored: a revert whose error is ignored, and the thread is
	// then unlocked. At the revert; Other is the unlock.
	RevertIgnored
)

// A Finding is one mistake.
type Finding struct {
	Kind Kind
	Pos  token.Pos
	Call Call // the call at Pos
	// Other is the unlock of NoRevert and RevertIgnored; OtherCall its
	// call, OtherDeferred whether it is deferred.
	Other         token.Pos
	OtherCall     Call
	OtherDeferred bool
	Deferred      bool // the call at Pos is deferred
	// Failed, for a RevertIgnored: the revert's error is checked, but
	// the path on which it failed reaches the unlock.
	Failed bool
	// Also, for a NoLock: the function's other impersonations reached
	// unlocked (one finding per function: one lock fixes them all), and
	// AlsoCalls their calls.
	Also      []token.Pos
	AlsoCalls []Call
}

// Summary is what a function leaves the calling thread in, for its
// callers. It is exported as an analysis fact by package analyzer: its
// fields are exported for gob.
type Summary struct {
	Lock   int  // +1: returns with the thread locked once more; -1: unlocked once more
	Imp    bool // returns impersonating on some path: the caller must revert
	Revert bool // reverts on every path
	// NeedsLock: it impersonates without locking, so the caller must
	// have locked the thread.
	NeedsLock  bool
	ErrGate    bool   // Imp only where its last result, an error, is nil
	IgnoresErr bool   // Revert ignores the revert's error
	Origin     string // the impersonating or reverting API it ends in
	// Via are the functions of this module between this one and Origin,
	// callee first (at most maxVia): the chain a message names.
	Via []string
}

// maxVia bounds Summary.Via.
const maxVia = 4

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

// String lists what s says, for tests: "thread: locks", "thread:
// impersonates (needs lock, error gate) golang.org/x/sys/windows.ImpersonateSelf".
func (s *Summary) String() string {
	var parts []string
	switch {
	case s.Lock > 0:
		parts = append(parts, "locks")
	case s.Lock < 0:
		parts = append(parts, "unlocks")
	}
	var flags []string
	if s.NeedsLock {
		flags = append(flags, "needs lock")
	}
	if s.ErrGate && s.Imp {
		flags = append(flags, "error gate")
	}
	if s.IgnoresErr && s.Revert {
		flags = append(flags, "ignores error")
	}
	what := ""
	switch {
	case s.Imp:
		what = "impersonates"
	case s.Revert:
		what = "reverts"
	case s.NeedsLock:
		what = "impersonates while it runs"
	}
	if what != "" {
		if len(flags) > 0 {
			what += " (" + strings.Join(flags, ", ") + ")"
		}
		what += " " + s.Origin
		if len(s.Via) > 0 {
			what += " via " + strings.Join(s.Via, ", ")
		}
		parts = append(parts, what)
	}
	return "thread: " + strings.Join(parts, "; ")
}

// Empty reports whether s says the function does nothing to the thread.
func (s *Summary) Empty() bool {
	return s.Lock == 0 && !s.Imp && !s.Revert && !s.NeedsLock
}

// Call returns the effect of a call of the function s summarizes, named
// name.
func (s *Summary) Call(name string) Call {
	c := Call{Name: name, Origin: s.Origin, NeedsLock: s.NeedsLock, ErrGate: s.ErrGate, IgnoresErr: s.IgnoresErr, Summary: true, Via: s.Via}
	if c.Origin == "" {
		c.Origin = name
	}
	if s.Lock > 0 {
		c.Ops = append(c.Ops, Lock)
	}
	if s.Revert {
		c.Ops = append(c.Ops, Revert)
	}
	if s.Imp {
		c.Ops = append(c.Ops, Impersonate)
	}
	if s.Lock < 0 {
		c.Ops = append(c.Ops, Unlock)
	}
	return c
}

// Options say how a function may be called.
type Options struct {
	// Internal: the function is called by code that may lock the thread
	// for it (it is not exported, and not a goroutine's start): an
	// impersonation without a lock is its callers' to check.
	Internal bool
	// Root: the function starts a goroutine (or the program: main,
	// init): no caller of its goroutine can lock the thread for it, nor
	// revert what it returns impersonating.
	Root bool
}

// Result is what Analyze found in one function.
type Result struct {
	Findings []Finding
	Summary  Summary
}

// maxSites bounds the impersonating calls and reverts of one function
// that the analysis follows (bitsets of one word).
const maxSites = 64

// a pending deferred call.
type pending struct {
	call    Call
	pos     token.Pos
	site    int  // the call's site, or -1
	results bool // the call has results (which a deferred call drops)
}

// state is the abstract state at a program point.
type state struct {
	depth int // lock depth relative to entry; mixed when paths disagree
	// imps are the impersonations that may be in effect (site bits);
	// ignored the reverts with an ignored error since the last
	// impersonation (site bits).
	imps, ignored uint64
	// checked are the reverts with a checked error that ran where an
	// impersonation may have been in effect, until their test; failed
	// those whose test the path took as failed (the identity stays).
	checked, failed uint64
	reverted        bool // a revert ran on every path, and no impersonation since
	defers          []pending
	defersKnown     bool // paths agree on the deferred calls
}

const mixed = -1 << 20

func (s state) join(t state) state {
	if s.depth != t.depth {
		s.depth = mixed
	}
	s.imps |= t.imps
	s.ignored |= t.ignored
	s.checked |= t.checked
	s.failed |= t.failed
	s.reverted = s.reverted && t.reverted
	if !s.defersKnown || !t.defersKnown || !sameDefers(s, t) {
		s.defers, s.defersKnown = nil, false
	}
	return s
}

func sameDefers(s, t state) bool {
	return slices.EqualFunc(s.defers, t.defers, func(a, b pending) bool { return a.pos == b.pos })
}

func (s state) equal(t state) bool {
	return s.depth == t.depth && s.imps == t.imps && s.ignored == t.ignored && s.checked == t.checked && s.failed == t.failed && s.reverted == t.reverted &&
		s.defersKnown == t.defersKnown && sameDefers(s, t)
}

// a site is an impersonating call or a revert.
type site struct {
	call     Call
	pos      token.Pos
	value    ssa.Value // the call's value, whose tests gate an impersonation
	deferred bool
}

type analysis struct {
	o        Oracle
	fn       *ssa.Function
	opts     Options
	sites    []site
	bySite   map[ssa.Instruction]int
	findings map[findingKey]Finding
	noLock   map[int]bool // impersonation sites reached unlocked
	gaveUp   bool

	exits     int
	exitDepth int
	handed    uint64 // impersonations in effect at some return
	revertAll bool
	ignoreAny bool
}

type findingKey struct {
	kind Kind
	pos  token.Pos
}

// Analyze follows fn's effect on the calling thread.
func Analyze(fn *ssa.Function, o Oracle, opts Options) Result {
	if fn.Blocks == nil {
		return Result{}
	}
	a := &analysis{o: o, fn: fn, opts: opts, bySite: make(map[ssa.Instruction]int),
		findings: make(map[findingKey]Finding), noLock: make(map[int]bool), revertAll: true}
	a.collect()
	if a.gaveUp || len(a.sites) == 0 && !a.anyOps() {
		return Result{}
	}
	a.run()
	if a.gaveUp {
		return Result{}
	}
	return a.result()
}

// collect numbers the impersonating calls and reverts of fn.
func (a *analysis) collect() {
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			c, v, deferred := callOf(instr)
			if c == nil {
				continue
			}
			call := a.o.Thread(c)
			if call.has(Impersonate) || call.has(Revert) || call.NeedsLock {
				if len(a.sites) == maxSites {
					a.gaveUp = true
					return
				}
				a.bySite[instr] = len(a.sites)
				a.sites = append(a.sites, site{call: call, pos: c.Pos(), value: v, deferred: deferred})
			}
		}
	}
}

// anyOps reports whether some call of fn locks or unlocks the thread.
func (a *analysis) anyOps() bool {
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			if c, _, _ := callOf(instr); c != nil && len(a.o.Thread(c).Ops) > 0 {
				return true
			}
		}
	}
	return false
}

// callOf returns the call of a call or defer instruction, with the call's
// value (nil for a defer) and whether it is deferred.
func callOf(instr ssa.Instruction) (*ssa.CallCommon, ssa.Value, bool) {
	switch instr := instr.(type) {
	case *ssa.Call:
		return instr.Common(), instr, false
	case *ssa.Defer:
		return instr.Common(), nil, true
	}
	return nil, nil, false
}

// run is the dataflow to a fixed point. Each block's entry state only
// grows (depth towards mixed, bits up, flags down), so it terminates.
func (a *analysis) run() {
	in := make(map[*ssa.BasicBlock][]state)
	in[a.fn.Blocks[0]] = []state{{defersKnown: true}}
	work := []*ssa.BasicBlock{a.fn.Blocks[0]}
	queued := map[*ssa.BasicBlock]bool{a.fn.Blocks[0]: true}
	for steps := 0; len(work) > 0; steps++ {
		if steps > 100*len(a.fn.Blocks)+1000 {
			a.gaveUp = true
			return
		}
		b := work[0]
		work = work[1:]
		queued[b] = false
		for _, v := range in[b] {
			s, ok := a.block(b, v)
			if !ok {
				continue
			}
			for i, succ := range b.Succs {
				var changed bool
				in[succ], changed = addVariant(in[succ], a.edge(b, i, s))
				if changed && !queued[succ] {
					queued[succ] = true
					work = append(work, succ)
				}
			}
		}
	}
}

// maxVariants bounds the states kept at a block's entry, one per list of
// deferred calls (a defer in one branch makes two): the impersonation
// and the revert deferred in the same branch stay together. Past the
// bound, states join, and the deferred calls are no longer known.
const maxVariants = 8

// addVariant joins s into the entry states vs: into the one with the same
// deferred calls, or as a new one. It reports whether vs changed.
func addVariant(vs []state, s state) ([]state, bool) {
	for i, v := range vs {
		if v.defersKnown == s.defersKnown && sameDefers(v, s) {
			j := v.join(s)
			if j.equal(v) {
				return vs, false
			}
			vs[i] = j
			return vs, true
		}
	}
	if len(vs) < maxVariants {
		return append(vs, s), true
	}
	last := len(vs) - 1
	j := vs[last].join(s)
	j.defers, j.defersKnown = nil, false
	if j.equal(vs[last]) {
		return vs, false
	}
	vs[last] = j
	return vs, true
}

// block applies b's instructions to s. It reports false when the path
// ends in b without reaching its successors (a panic, a return).
func (a *analysis) block(b *ssa.BasicBlock, s state) (state, bool) {
	for _, instr := range b.Instrs {
		switch instr := instr.(type) {
		case *ssa.Call:
			s = a.apply(s, a.o.Thread(instr.Common()), instr, instr.Pos(), false)
		case *ssa.Defer:
			call := a.o.Thread(instr.Common())
			if len(call.Ops) > 0 || call.NeedsLock {
				site := -1
				if i, ok := a.bySite[instr]; ok {
					site = i
				}
				results := instr.Common().Signature().Results().Len() > 0
				s.defers = append(slices.Clip(s.defers), pending{call: call, pos: instr.Pos(), site: site, results: results})
			}
		case *ssa.RunDefers:
			if s.defersKnown {
				for i := len(s.defers) - 1; i >= 0; i-- {
					d := s.defers[i]
					s = a.applyOps(s, d.call, d.site, d.pos, true, d.call.IgnoresErr || d.results)
				}
			} else {
				s.depth = mixed // what runs is not known; report nothing more
				s.imps, s.ignored, s.checked, s.failed = 0, 0, 0, 0
			}
			s.defers = nil
		case *ssa.Return:
			a.exit(s)
			return s, false
		case *ssa.Panic:
			return s, false
		}
	}
	return s, true
}

// apply applies a call (not deferred) to s.
func (a *analysis) apply(s state, call Call, instr ssa.Instruction, pos token.Pos, deferred bool) state {
	if len(call.Ops) == 0 && !call.NeedsLock {
		return s
	}
	site := -1
	if i, ok := a.bySite[instr]; ok {
		site = i
	}
	ignored := call.IgnoresErr || site >= 0 && ignoredResult(a.sites[site].value)
	return a.applyOps(s, call, site, pos, deferred, ignored)
}

// applyOps applies call's ops in order. site is the call's site, or -1;
// ignored says the call's revert error is ignored.
func (a *analysis) applyOps(s state, call Call, site int, pos token.Pos, deferred, ignored bool) state {
	if call.NeedsLock && site >= 0 {
		a.checkLock(s, site)
	}
	for _, op := range call.Ops {
		switch op {
		case Lock:
			if s.depth != mixed {
				s.depth++
			}
		case Revert:
			if !ignored && !deferred && site >= 0 && s.imps != 0 && a.sites[site].value != nil {
				s.checked |= 1 << site
			}
			s.imps, s.reverted = 0, true
			if ignored && site >= 0 {
				s.ignored |= 1 << site
			}
		case Impersonate:
			if site < 0 {
				continue
			}
			if !call.Summary {
				a.checkLock(s, site)
			}
			s.imps |= 1 << site
			s.ignored, s.checked, s.failed, s.reverted = 0, 0, 0, false
		case Unlock:
			if s.depth == mixed || s.depth <= 1 {
				a.unlocked(s, call, pos, deferred)
				s.imps, s.ignored, s.checked, s.failed = 0, 0, 0, 0
			}
			if s.depth != mixed {
				s.depth--
			}
		}
	}
	return s
}

// checkLock records an impersonation at site reached with the thread not
// locked on every path.
func (a *analysis) checkLock(s state, site int) {
	if s.depth == mixed || s.depth < 1 {
		a.noLock[site] = true
	}
}

// unlocked reports what is in effect where the thread is unlocked.
func (a *analysis) unlocked(s state, unlock Call, pos token.Pos, deferred bool) {
	for i := range a.sites {
		if s.imps&(1<<i) != 0 {
			a.report(Finding{Kind: NoRevert, Pos: a.sites[i].pos, Call: a.sites[i].call, Deferred: a.sites[i].deferred,
				Other: pos, OtherCall: unlock, OtherDeferred: deferred})
		}
		if s.ignored&(1<<i) != 0 {
			a.report(Finding{Kind: RevertIgnored, Pos: a.sites[i].pos, Call: a.sites[i].call, Deferred: a.sites[i].deferred,
				Other: pos, OtherCall: unlock, OtherDeferred: deferred})
		}
		if s.failed&(1<<i) != 0 {
			a.report(Finding{Kind: RevertIgnored, Pos: a.sites[i].pos, Call: a.sites[i].call, Failed: true,
				Other: pos, OtherCall: unlock, OtherDeferred: deferred})
		}
	}
}

func (a *analysis) report(f Finding) {
	k := findingKey{f.Kind, f.Pos}
	if _, dup := a.findings[k]; !dup {
		a.findings[k] = f
	}
}

// exit records the state at a return, after the deferred calls ran.
func (a *analysis) exit(s state) {
	if a.exits == 0 {
		a.exitDepth = s.depth
	} else if a.exitDepth != s.depth {
		a.exitDepth = mixed
	}
	a.exits++
	a.handed |= s.imps
	a.revertAll = a.revertAll && s.reverted
	a.ignoreAny = a.ignoreAny || s.ignored != 0
}

// edge returns the state on b's i'th outgoing edge: an impersonation
// tested as failed there is not in effect.
func (a *analysis) edge(b *ssa.BasicBlock, i int, s state) state {
	if s.imps == 0 && s.checked == 0 {
		return s
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return s
	}
	for j, st := range a.sites {
		if s.checked&(1<<j) == 0 {
			continue
		}
		switch failedEdge(ifi.Cond, st) {
		case i: // the revert failed: the thread keeps the identity
			s.checked &^= 1 << j
			s.failed |= 1 << j
		case 1 - i:
			s.checked &^= 1 << j
		}
	}
	for j, st := range a.sites {
		if s.imps&(1<<j) != 0 && st.value != nil && failedEdge(ifi.Cond, st) == i {
			s.imps &^= 1 << j
		}
	}
	return s
}

// failedEdge returns the index of the successor of an If on cond that is
// taken when the impersonation of st failed, or -1: cond compares the
// call's error with nil, or a native call's BOOL result with 0.
func failedEdge(cond ssa.Value, st site) int {
	bin, ok := cond.(*ssa.BinOp)
	if !ok || bin.Op != token.EQL && bin.Op != token.NEQ {
		return -1
	}
	x, y := unconvert(bin.X), unconvert(bin.Y)
	if _, isConst := x.(*ssa.Const); isConst {
		x, y = y, x
	}
	k, ok := y.(*ssa.Const)
	if !ok {
		return -1
	}
	isResult := func(v ssa.Value, i int) bool {
		v = stored(v)
		if ext, ok := v.(*ssa.Extract); ok {
			return ext.Tuple == st.value && ext.Index == i
		}
		return v == st.value && i == 0
	}
	var failIfEqual bool
	switch {
	case st.call.ErrGate && k.IsNil() && isResult(x, lastIndex(st.value)):
		failIfEqual = false // err == nil succeeded
	case st.call.Native && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) == 0 && isResult(x, 0):
		failIfEqual = !st.call.SuccessZero // a BOOL: r1 == 0 failed
	default:
		return -1
	}
	if (bin.Op == token.EQL) == failIfEqual {
		return 0
	}
	return 1
}

// stored returns, for a load of a local variable (one a function literal
// captures, as a deferred one that sets a named error result), the value
// stored into it last before the load in the load's block, with no call
// in between; else v.
func stored(v ssa.Value) ssa.Value {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return v
	}
	if _, ok := load.X.(*ssa.Alloc); !ok {
		return v
	}
	instrs := load.Block().Instrs
	i := slices.Index(instrs, ssa.Instruction(load))
	for i--; i >= 0; i-- {
		switch instr := instrs[i].(type) {
		case *ssa.Store:
			if instr.Addr == load.X {
				return instr.Val
			}
		case ssa.CallInstruction:
			return v
		}
	}
	return v
}

// lastIndex is the index of v's last result.
func lastIndex(v ssa.Value) int {
	if t, ok := v.Type().(*types.Tuple); ok {
		return t.Len() - 1
	}
	return 0
}

func unconvert(v ssa.Value) ssa.Value {
	for {
		switch c := v.(type) {
		case *ssa.Convert:
			v = c.X
		case *ssa.ChangeType:
			v = c.X
		default:
			return v
		}
	}
}

// ignoredResult reports whether call v has results (a revert's error or
// BOOL) and no code reads them: it has no referrers, or only extractions
// of results nobody reads.
func ignoredResult(v ssa.Value) bool {
	if v == nil {
		return false
	}
	if t, ok := v.Type().(*types.Tuple); ok && t.Len() == 0 {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		ext, ok := r.(*ssa.Extract)
		if !ok {
			return false
		}
		if rr := ext.Referrers(); rr != nil && len(*rr) > 0 {
			return false
		}
	}
	return true
}

func (a *analysis) result() Result {
	var res Result
	for _, f := range a.findings {
		res.Findings = append(res.Findings, f)
	}
	// The impersonations reached unlocked are this function's callers'
	// to lock for (it is internal, or returns impersonating), or this
	// function's: then one finding, at the first, names the others, and
	// the summary does not hand the duty on (callers would be told again
	// of the lock this function misses).
	var noLock *Finding
	for i, st := range a.sites {
		if !a.noLock[i] {
			continue
		}
		handed := a.handed&(1<<i) != 0
		if !a.opts.Root && (a.opts.Internal || handed) {
			res.Summary.NeedsLock = true
			a.origin(&res.Summary, st)
			continue
		}
		if noLock == nil {
			noLock = &Finding{Kind: NoLock, Pos: st.pos, Call: st.call, Deferred: st.deferred}
			continue
		}
		noLock.Also = append(noLock.Also, st.pos)
		noLock.AlsoCalls = append(noLock.AlsoCalls, st.call)
	}
	if noLock != nil {
		res.Findings = append(res.Findings, *noLock)
		res.Summary.NeedsLock = false
	}
	slices.SortFunc(res.Findings, func(x, y Finding) int {
		if x.Pos != y.Pos {
			return int(x.Pos - y.Pos)
		}
		return int(x.Kind) - int(y.Kind)
	})
	if a.exits == 0 {
		return res
	}
	sum := &res.Summary
	if a.exitDepth != mixed && a.exitDepth != 0 {
		sum.Lock = max(-1, min(1, a.exitDepth))
	}
	if a.handed != 0 {
		sum.Imp = true
		sum.ErrGate = lastIsError(a.fn.Signature)
		for i, st := range a.sites {
			if a.handed&(1<<i) != 0 {
				a.origin(sum, st)
			}
		}
	} else if a.revertAll && len(a.sites) > 0 {
		sum.Revert = true
		sum.IgnoresErr = a.ignoreAny
		for _, st := range a.sites {
			if st.call.has(Revert) {
				a.origin(sum, st)
			}
		}
	}
	return res
}

// origin sets sum's Origin and Via from site st, unless they are set.
func (a *analysis) origin(sum *Summary, st site) {
	if sum.Origin != "" {
		return
	}
	sum.Origin = st.call.Origin
	if st.call.Summary && st.call.Name != st.call.Origin {
		sum.Via = append([]string{st.call.Name}, st.call.Via...)
		if len(sum.Via) > maxVia {
			sum.Via = sum.Via[:maxVia]
		}
	}
}

func lastIsError(sig *types.Signature) bool {
	n := sig.Results().Len()
	return n > 0 && types.Identical(sig.Results().At(n-1).Type(), types.Universe.Lookup("error").Type())
}
