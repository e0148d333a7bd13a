package ownership_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// TestTransitions runs the engine with the fake oracle (no rules, no x/sys)
// on one small function per state transition and per kind of edge. A
// trailing comment "// leak", "// double", "// borrowed" or "// wrong"
// marks the line where a finding of that kind must be reported; no other
// finding may be.
func TestTransitions(t *testing.T) {
	for _, c := range []struct {
		name, body string
		givenUp    int
		exports    int
	}{
		// held: not released on the path that returns.
		{name: "held/leak", body: `
	h, err := open() // leak
	if err != nil {
		return
	}
	use(h)`},
		// held → released.
		{name: "released", body: `
	h, err := open()
	if err != nil {
		return
	}
	close(h)`},
		// released → released again.
		{name: "released/double", body: `
	h, err := open()
	if err != nil {
		return
	}
	close(h)
	close(h) // double`},
		// held → release deferred → released again.
		{name: "deferred/double", body: `
	h, err := open()
	if err != nil {
		return
	}
	defer close(h)
	close(h) // double`},
		{name: "deferred", body: `
	h, err := open()
	if err != nil {
		return
	}
	defer close(h)
	use(h)`},
		// a defer in a loop of a handle acquired before it: the same
		// defer again on a later iteration (and a leak if the loop does
		// not run).
		{name: "deferred/loop", body: `
	h, err := open() // leak
	if err != nil {
		return
	}
	for range c {
		defer close(h) // double
	}`},
		// borrowed: never to be released.
		{name: "borrowed/release", body: `
	h := borrow()
	use(h)
	close(h) // borrowed`},
		{name: "borrowed/unreleased", body: `
	h := borrow()
	use(h)`},
		// a release by a function that releases another resource.
		{name: "held/wrong", body: `
	h, err := open()
	if err != nil {
		return
	}
	closeSock(h) // wrong`},
		// handed on: a function the oracle does not know takes it over.
		{name: "handedon", body: `
	h, err := open()
	if err != nil {
		return
	}
	keep(h)`},
		// given up: an element picked by a variable index.
		{name: "givenup", givenUp: 1, body: `
	p, err := openPair()
	if err != nil {
		return
	}
	close(p[len(c)])`},
		// error test edge: the handle is not valid where err != nil.
		{name: "edge/error", body: `
	h, err := open()
	if err == nil {
		close(h)
	}`},
		// validity test edge: nor where it equals an invalid value.
		{name: "edge/validity", body: `
	h, _ := open()
	if h < 0 {
		return
	}
	close(h)`},
		// defer edge, through a closure registered before the
		// acquisition that reads the variable at exit.
		{name: "edge/defer-before", body: `
	var h int
	defer func() {
		if h >= 0 {
			close(h)
		}
	}()
	var err error
	h, err = open()
	if err != nil {
		return
	}`},
		// closure edges: a closure that releases its capture, called
		// once and twice.
		{name: "edge/closure", body: `
	h, err := open()
	if err != nil {
		return
	}
	done := func() { close(h) }
	done()`},
		{name: "edge/closure-twice", body: `
	h, err := open()
	if err != nil {
		return
	}
	done := func() { close(h) }
	done()
	done() // double`},
		// phi edges: x denotes the handle on one edge only.
		{name: "edge/phi", body: `
	h, err := open() // leak
	if err != nil {
		return
	}
	x := h
	if len(c) > 0 {
		x = -1
	}
	close(x)`},
		{name: "edge/phi-both", body: `
	h, err := open()
	if err != nil {
		return
	}
	x := -1
	if len(c) > 0 {
		x = h
	} else {
		x = h
	}
	close(x)`},
		// the acquisition runs again while the earlier handle is held.
		{name: "reacquired/loop", body: `
	h := -1
	for range c {
		var err error
		h, err = open() // leak
		if err != nil {
			return
		}
	}
	if h >= 0 {
		close(h)
	}`},
		{name: "reacquired/closed", body: `
	for range c {
		h, err := open()
		if err != nil {
			continue
		}
		close(h)
	}`},
		// a loop that a dominating length check bounds to one iteration
		// does not run the acquisition again (gnet Engine.Dup).
		{name: "reacquired/once", body: `
	if len(c) > 1 {
		return
	}
	h := -1
	for range c {
		var err error
		h, err = open()
		if err != nil {
			return
		}
	}
	if h >= 0 {
		close(h)
	}`},
		{name: "reacquired/once-counted", body: `
	if 2 <= len(c) {
		return
	}
	h := -1
	for i := 0; i < len(c); i++ {
		var err error
		h, err = open()
		if err != nil {
			continue
		}
	}
	if h >= 0 {
		close(h)
	}`},
		// the check does not dominate the loop, or bounds it to two.
		{name: "reacquired/once-not-dominating", body: `
	if len(c) > 1 {
		keep(0)
	}
	h := -1
	for range c {
		var err error
		h, err = open() // leak
		if err != nil {
			return
		}
	}
	if h >= 0 {
		close(h)
	}`},
		{name: "reacquired/twice", body: `
	if len(c) > 2 {
		return
	}
	h := -1
	for range c {
		var err error
		h, err = open() // leak
		if err != nil {
			return
		}
	}
	if h >= 0 {
		close(h)
	}`},
		// the counter starts at -1: two iterations.
		{name: "reacquired/once-from-minus-one", body: `
	if len(c) > 1 {
		return
	}
	h := -1
	for i := -1; i < len(c); i++ {
		var err error
		h, err = open() // leak
		if err != nil {
			return
		}
	}
	if h >= 0 {
		close(h)
	}`},
		// an outer loop runs the bounded one again.
		{name: "reacquired/once-nested", body: `
	h := -1
	for range 2 {
		if len(c) > 1 {
			return
		}
		for range c {
			var err error
			h, err = open() // leak
			if err != nil {
				return
			}
		}
	}
	if h >= 0 {
		close(h)
	}`},
		// a recover() branch is a panic path, not followed.
		{name: "edge/recover", body: `
	h, err := open()
	if err != nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			close(h)
		}
	}()
	close(h)`},
		// a comma-ok type assertion of the boxed handle.
		{name: "edge/assert", body: `
	h, err := open()
	if err != nil {
		return
	}
	var x any = h
	if v, ok := x.(int); ok {
		close(v)
	}`},
		// a pass: the call returns the handle as it is, which stays
		// ours; its result is the handle.
		{name: "pass/leak", body: `
	h := pass(open()) // leak
	use(h)`},
		{name: "pass/released", body: `
	h := pass(open())
	close(h)`},
		{name: "pass/double", body: `
	h, err := open()
	g := pass(h, err)
	close(g)
	close(h) // double`},
		// a pass with an error result: non-nil only with the handle's
		// own error, so the error edge holds for it too.
		{name: "pass/error-edge", body: `
	h, err := check(open())
	if err != nil {
		return
	}
	close(h)`},
		// with another call's error, the pass does not hold: the
		// handle is handed on (else closing both would be a double
		// release).
		{name: "pass/other-error", body: `
	h, err := open()
	if err != nil {
		return
	}
	g, _ := check(h, errOf())
	close(g)
	close(h)`},
		// a flag set to a constant with the acquisition: the If on it
		// sends the instance to the constant's branch only (flag.go).
		{name: "flag", body: `
	h, mine := borrow(), false
	if c[0] {
		var err error
		h, err = open()
		if err != nil {
			return
		}
		mine = true
	}
	use(h)
	if mine {
		close(h)
	}`},
		{name: "flag/leak", body: `
	h, mine := borrow(), false
	if c[0] {
		var err error
		h, err = open() // leak
		if err != nil {
			return
		}
		mine = true
	}
	use(h)
	if !mine {
		close(h) // borrowed
	}`},
		// exported: returned to the caller.
		{name: "exported", exports: 1, body: `
	h, err := open()
	if err != nil {
		return
	}
	sink = h`},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := prelude + "func keep(int)\n\nvar sink int\n\nfunc f(c []bool) {" + c.body + "\n}\n"
			if c.exports > 0 {
				src = prelude + "func f(c []bool) int {" + strings.Replace(strings.ReplaceAll(c.body, "\t\treturn\n", "\t\treturn -1\n"), "sink = h", "return h", 1) + "\n}\n"
			}
			fn := build(t, src)
			res := ownership.Analyze(fn, fakeOracle{})
			var got, want []string
			for _, f := range res.Findings {
				got = append(got, fmt.Sprintf("%d %v", fn.Prog.Fset.Position(f.Pos).Line, f.Kind))
			}
			for i, line := range strings.Split(src, "\n") {
				for kind, mark := range map[ownership.Kind]string{ownership.Leak: "// leak", ownership.DoubleRelease: "// double",
					ownership.BorrowedRelease: "// borrowed", ownership.WrongReleaser: "// wrong"} {
					if strings.HasSuffix(line, mark) {
						want = append(want, fmt.Sprintf("%d %v", i+1, kind))
					}
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings %q, want %q", got, want)
			}
			if len(res.GivenUp) != c.givenUp {
				t.Errorf("%d handles given up, want %d", len(res.GivenUp), c.givenUp)
			}
			if len(res.Exports) != c.exports {
				t.Errorf("%d exports, want %d", len(res.Exports), c.exports)
			}
		})
	}
}
