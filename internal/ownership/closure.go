package ownership

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A summary says what a function literal does to one handle it captures or
// receives as a parameter, computed by tracking the handle inside it.
type summary struct {
	released []*site // its releases of the handle
	all      bool    // it releases the handle on every path, and keeps no copy
	handedOn bool    // on some path it hands the handle on
}

type summaryKey struct {
	fn    *ssa.Function
	value ssa.Value
	st    status
}

// summarize tracks a handle inside fn from its entry. Findings inside fn
// (a borrowed handle released, a double release) are reported on the way.
func (t *tracker) summarize(fn *ssa.Function, seed entrySeed) *summary {
	key := summaryKey{fn, seed.value, seed.st}
	if s, ok := t.summaries[key]; ok {
		return s
	}
	if t.depth >= maxDepth {
		return &summary{handedOn: true}
	}
	sub := newTracker(t.a, fn, t.src, &seed)
	sub.depth = t.depth + 1
	sub.summaries = t.summaries
	sub.run()
	s := &summary{
		released: sub.released,
		handedOn: sub.handedOn || sub.giveUp,
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
		if r == roleClosure {
			return t.handOn(e) // a closure inside a closure: not followed
		}
		var cell ssa.Value
		if r == roleCell && deferred {
			cell = info.root
		}
		return t.apply(e, t.summarize(fn, entrySeed{value: fn.FreeVars[k], role: r, st: summaryStatus(e.st)}), pos, deferred, cell)
	}
	return e, true
}

// callLiteral applies a call (or defer) of a function literal that receives
// the current instance as parameter k.
func (t *tracker) callLiteral(fn *ssa.Function, k int, pos token.Pos, e elem, deferred bool) (elem, bool) {
	if k >= len(fn.Params) {
		return t.handOn(e)
	}
	return t.apply(e, t.summarize(fn, entrySeed{value: fn.Params[k], role: roleHandle, st: summaryStatus(e.st)}), pos, deferred, nil)
}

// apply applies a summary to the caller's element, for a call at pos. cell
// is the variable a deferred closure reads the handle from, if it does.
func (t *tracker) apply(e elem, s *summary, pos token.Pos, deferred bool, cell ssa.Value) (elem, bool) {
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
		rs := t.intern(site{pos: at, rel: first.rel, deferred: deferred || first.deferred, cell: cell})
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
