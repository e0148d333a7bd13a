package ownership

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A summary says what a function literal does to one handle it captures or
// receives as a parameter, computed by tracking the handle inside it.
type summary struct {
	released []*site // its releases of the handle
	all      bool    // it releases the handle on every path, and keeps no copy
	handedOn bool    // on some path it hands the handle on
	// use is a call inside it that acts on the handle while the handle is
	// held there (the first one found), or nil.
	use *use
}

type summaryKey struct {
	fn    *ssa.Function
	value ssa.Value
	st    status
	errIs errAssumption
	via   ssa.Value // the seed's inner seed value, for a captured closure
	first flagAssumption
}

// An errAssumption is what a closure's summary takes a captured error
// variable (the named error result of the function that defers it) to
// hold at exit: nil, non-nil, or nothing assumed.
type errAssumption struct {
	v      *ssa.FreeVar
	nonNil bool
}

// summarize tracks a handle inside fn from its entry. Findings inside fn
// (a borrowed handle released, a double release) are reported on the way.
func (t *tracker) summarize(fn *ssa.Function, seed entrySeed) *summary {
	return t.summarizeIf(fn, seed, errAssumption{}, flagAssumption{})
}

// summarizeIf is summarize with an assumption about a captured error
// variable, whose tests against nil then take one branch only, or about
// what a close-once closure's test of its flag reads (its first run).
func (t *tracker) summarizeIf(fn *ssa.Function, seed entrySeed, errIs errAssumption, first flagAssumption) *summary {
	key := summaryKey{fn, seed.value, seed.st, errIs, nil, first}
	if seed.inner != nil {
		key.via = seed.inner.value
	}
	if s, ok := t.summaries[key]; ok {
		return s
	}
	if t.depth >= maxDepth {
		return &summary{handedOn: true}
	}
	sub := newTracker(t.a, fn, t.src, &seed)
	sub.part, sub.holder = t.part, t.holder
	sub.depth = t.depth + 1
	sub.summaries = t.summaries
	sub.errIs, sub.first = errIs, first
	sub.run()
	s := &summary{
		released: sub.released,
		handedOn: sub.handedOn || sub.giveUp,
		use:      sub.firstUse,
	}
	s.all = len(s.released) > 0 && !sub.heldAtEnd && !s.handedOn
	t.summaries[key] = s
	return s
}

// callClosure applies a call (or defer) of a closure that captures the
// current instance.
func (t *tracker) callClosure(mc *ssa.MakeClosure, c *ssa.CallCommon, pos token.Pos, e elem, deferred bool) (elem, bool) {
	fn := mc.Fn.(*ssa.Function)
	if isBoundMethod(fn) && len(mc.Bindings) == 1 {
		// A method value (f := tok.Close): a call of the method on the
		// bound receiver.
		direct := &ssa.CallCommon{Value: fn, Args: append([]ssa.Value{mc.Bindings[0]}, c.Args...)}
		return t.call(direct, pos, e, deferred)
	}
	for k, b := range mc.Bindings {
		if !t.carries(e, b) || k >= len(fn.FreeVars) {
			continue
		}
		info, _ := t.info(b)
		r := info.role
		seed := entrySeed{value: fn.FreeVars[k], role: r, st: summaryStatus(e.st)}
		if r == roleClosure {
			// A closure that calls a closure held in a variable:
			// defer func() { if err != nil { cleanup() } }(). What the
			// inner one captures decides, as if it were captured here.
			inner, innerInfo, ok := t.innerSeed(b, e)
			if !ok {
				return t.handOn(e) // not followed
			}
			seed.inner = &inner
			r, info = inner.role, innerInfo
		}
		var cell ssa.Value
		if r == roleCell && deferred {
			// The closure releases, at exit, what the variable holds
			// then; unless the variable is this iteration's own, which
			// holds this handle.
			if !t.a.perIteration(info.root, mc) {
				cell = info.root
			}
		}
		s := t.summarize(fn, seed)
		if !s.all && len(s.released) > 0 && !s.handedOn && r == roleCell && seed.inner == nil {
			if once := t.closeOnce(mc, b); once != nil {
				if first := t.summarizeIf(fn, seed, errAssumption{}, flagAssumption{test: once.test, open: once.open}); first.all {
					return t.callOnce(e, first, once.cell, pos, deferred, cell)
				}
			}
		}
		if deferred && e.st == stHeld && e.onErr == nil && !s.all && len(s.released) > 0 && !s.handedOn {
			if site := t.onError(mc, seed, cell); site != nil {
				e.onErr = site // released at exit where the named error result is not nil
				return e, true
			}
		}
		if len(s.released) == 0 && !s.handedOn {
			// It only reads the variable (if p == 0); the handle may
			// come in as an argument too: defer func(h Handle) {...}(p).
			if j := slices.IndexFunc(c.Args, func(v ssa.Value) bool { return t.cur(e, v, roleHandle) }); j >= 0 {
				return t.callLiteral(fn, j, pos, e, deferred)
			}
		}
		return t.apply(e, s, pos, deferred, cell, nil)
	}
	return e, true
}

// callOnce applies a call (or defer) of a close-once closure with flag
// variable flag, whose first run does what s says (it releases the
// handle). Once it has released the handle on the path, a call of it does
// nothing; run while its deferred call is pending, it releases the handle
// then, and the deferred call does nothing.
func (t *tracker) callOnce(e elem, s *summary, flag *ssa.Alloc, pos token.Pos, deferred bool, cell ssa.Value) (elem, bool) {
	ran := e.site
	if ran == nil || ran.once != flag || e.st != stReleased && e.st != stDeferred {
		return t.apply(e, s, pos, deferred, cell, flag)
	}
	if e.st == stDeferred && !deferred {
		rs := t.intern(site{pos: pos, rel: ran.rel, once: flag})
		t.released = append(t.released, rs)
		e.st, e.site = stReleased, rs
	}
	return e, true
}

// innerSeed returns the seed, in the closure that b is, of the binding of
// it that carries the current instance, and what that binding stands for:
// a closure that captures b does to the handle what calling b does. It is
// false when b is no closure literal, or carries the handle only through
// another closure.
func (t *tracker) innerSeed(b ssa.Value, e elem) (entrySeed, valInfo, bool) {
	mc := closureOf(b)
	if mc == nil || t.depth+1 >= maxDepth {
		return entrySeed{}, valInfo{}, false
	}
	fn := mc.Fn.(*ssa.Function)
	if isBoundMethod(fn) {
		return entrySeed{}, valInfo{}, false
	}
	for k, v := range mc.Bindings {
		if !t.carries(e, v) || k >= len(fn.FreeVars) {
			continue
		}
		info, _ := t.info(v)
		if info.role == roleClosure {
			return entrySeed{}, valInfo{}, false
		}
		return entrySeed{value: fn.FreeVars[k], role: info.role, st: summaryStatus(e.st)}, info, true
	}
	return entrySeed{}, valInfo{}, false
}

// onError returns the release of a closure deferred by the tracked
// function that releases the handle (seed) exactly when the function's
// named error result is not nil at exit, the close-on-error cleanup:
//
//	defer func() {
//		if retErr != nil {
//			f.Close()
//		}
//	}()
//
// Which it does is decided at each return (see returnedErr). It is nil
// when the closure is not of that kind. cell is the variable the closure
// reads the handle from, if it does.
func (t *tracker) onError(mc *ssa.MakeClosure, seed entrySeed, cell ssa.Value) *site {
	res := namedErr(t.fn)
	if res == nil {
		return nil
	}
	fn := mc.Fn.(*ssa.Function)
	k := slices.Index(mc.Bindings, ssa.Value(res))
	if k < 0 || k >= len(fn.FreeVars) {
		return nil
	}
	onErr := t.summarizeIf(fn, seed, errAssumption{v: fn.FreeVars[k], nonNil: true}, flagAssumption{})
	onNil := t.summarizeIf(fn, seed, errAssumption{v: fn.FreeVars[k]}, flagAssumption{})
	if !onErr.all || len(onNil.released) > 0 || onNil.handedOn {
		return nil
	}
	first := onErr.released[0]
	return t.intern(site{pos: first.pos, rel: first.rel, deferred: true, cell: cell})
}

// namedErr returns the variable of fn's named error result, its last,
// when every return of fn returns what that variable holds (a function
// with defers and named results), else nil.
func namedErr(fn *ssa.Function) *ssa.Alloc {
	res := fn.Signature.Results()
	if res.Len() == 0 || res.At(res.Len()-1).Name() == "" || !isErrorType(res.At(res.Len()-1).Type()) {
		return nil
	}
	var cell *ssa.Alloc
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		load, ok := ret.Results[len(ret.Results)-1].(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			return nil
		}
		a, ok := load.X.(*ssa.Alloc)
		if !ok || cell != nil && a != cell {
			return nil
		}
		cell = a
	}
	return cell
}

// isErrorType reports whether t is the error interface.
func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// returnedErr says what ret, a return of a function with a named error
// result held in variable res, leaves in it for its deferred calls: the
// value stored last before the deferred calls run, classified as nil,
// non-nil (a value just boxed, a package-level error variable, one the
// path tested non-nil) or not known.
func returnedErr(ret *ssa.Return, res *ssa.Alloc) errValue {
	b := ret.Block()
	i := len(b.Instrs) - 1
	for ; i >= 0; i-- {
		if _, ok := b.Instrs[i].(*ssa.RunDefers); ok {
			break
		}
	}
	for i--; i >= 0; i-- {
		st, ok := b.Instrs[i].(*ssa.Store)
		if !ok || st.Addr != res {
			continue
		}
		switch v := st.Val.(type) {
		case *ssa.Const:
			if v.IsNil() {
				return errNil
			}
		default:
			if isNonNil(v) || testedNonNil(v, b) {
				return errSet
			}
		}
		return errUnknown
	}
	return errUnknown
}

// errValue is what returnedErr found.
type errValue uint8

const (
	errUnknown errValue = iota
	errNil
	errSet
)

// testedNonNil reports whether every path to block b took the branch of
// an If on which v is not nil: if err != nil { return err }.
func testedNonNil(v ssa.Value, b *ssa.BasicBlock) bool {
	for d := b; d != nil; d = d.Idom() {
		for _, p := range d.Preds {
			ifInstr, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
			if !ok || len(d.Preds) != 1 || p.Succs[0] == p.Succs[1] {
				continue
			}
			if bin, ok := ifInstr.Cond.(*ssa.BinOp); ok {
				if br := NonNilBranch(bin, v); br >= 0 && p.Succs[br] == d {
					return true
				}
			}
		}
	}
	return false
}

// callLiteral applies a call (or defer) of a function literal that receives
// the current instance as parameter k.
func (t *tracker) callLiteral(fn *ssa.Function, k int, pos token.Pos, e elem, deferred bool) (elem, bool) {
	if k >= len(fn.Params) {
		return t.handOn(e)
	}
	return t.apply(e, t.summarize(fn, entrySeed{value: fn.Params[k], role: roleHandle, st: summaryStatus(e.st)}), pos, deferred, nil, nil)
}

// apply applies a summary to the caller's element, for a call at pos. cell
// is the variable a deferred closure reads the handle from, if it does;
// once, the flag variable of a close-once closure (see callOnce).
func (t *tracker) apply(e elem, s *summary, pos token.Pos, deferred bool, cell ssa.Value, once *ssa.Alloc) (elem, bool) {
	if s.use != nil {
		u := *s.use
		u.deferred, u.via, u.cell = deferred, pos, cell
		switch {
		case e.st == stReleased && e.site != nil && !e.site.deferred && (cell == nil || t.holds(e, cell)):
			// (A deferred literal reading a variable acts on what it
			// holds at exit: taken to be what it holds now.)
			t.useAfter(u, e.site)
		case deferred && e.st == stHeld && e.defUse == nil && len(s.released) == 0 && !s.handedOn:
			e.defUse = t.internUse(u)
		}
	}
	switch {
	case e.st == stBorrowed:
		return e, true // its releases were reported inside
	case s.all:
		first := s.released[0]
		at := first.pos
		if !deferred && pos.IsValid() {
			// A closure called twice releases twice: name the calls, not
			// twice the release inside it.
			at = pos
		}
		rs := t.intern(site{pos: at, rel: first.rel, deferred: deferred || first.deferred, cell: cell, once: once})
		if cell != nil && e.pending == nil {
			return t.deferThroughCell(e, rs), true
		}
		return t.release(e, rs), true
	case deferred && len(s.released) > 0 && !s.handedOn && e.st == stHeld:
		// Released at exit on some paths (a close-on-error cleanup): the
		// handle may still be returned, but is never reported.
		e.st = stMaybe
		return e, true
	case len(s.released) > 0 || s.handedOn:
		return t.handOn(e)
	}
	return e, true
}

// deferThroughCell registers a deferred closure that releases the handle
// through variable s.cell when the function returns.
func (t *tracker) deferThroughCell(e elem, s *site) elem {
	t.released = append(t.released, s)
	e.pending = s
	if e.st == stHeld {
		e.st, e.site = stDeferred, s
	}
	return e
}

// summaryStatus is the status a function literal sees the handle in.
func summaryStatus(st status) status {
	if st == stBorrowed {
		return stBorrowed
	}
	return stHeld
}

// literal returns the function literal a call calls directly, if any.
func literal(v ssa.Value) *ssa.Function {
	switch x := v.(type) {
	case *ssa.Function:
		if x.Parent() != nil {
			return x
		}
	case *ssa.MakeClosure:
		if fn := x.Fn.(*ssa.Function); !isBoundMethod(fn) {
			return fn
		}
	}
	return nil
}

func isBoundMethod(fn *ssa.Function) bool {
	return strings.HasPrefix(fn.Synthetic, "bound method wrapper")
}
