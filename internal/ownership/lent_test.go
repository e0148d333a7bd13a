package ownership_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// lendOracle is fakeOracle with wrap(h) int, an owned source that adopts
// its argument (as os.NewFile does), and with parameter 0 of f lent to it
// when lent is set (as a RawConn.Control callback's fd is).
type lendOracle struct{ lent bool }

var wrapEffects = ownership.Effects{
	Acquires: []ownership.Acquire{{Result: 0, Out: ownership.NoOperand, Resource: "fd"}},
	Adopts:   []ownership.Operand{ownership.Arg(0)},
}

func (o lendOracle) Effects(c *ssa.CallCommon) ownership.Effects {
	if fn := c.StaticCallee(); fn != nil && fn.Name() == "wrap" {
		return wrapEffects
	}
	return fakeOracle{}.Effects(c)
}

func (o lendOracle) Lent(fn *ssa.Function) []ownership.Lent {
	if !o.lent || fn.Name() != "f" {
		return nil
	}
	return []ownership.Lent{{Param: 0, Acquire: ownership.Acquire{Result: ownership.NoResult, Out: ownership.NoOperand, Borrowed: true, Resource: "fd"}}}
}

// TestLent: a lent parameter is borrowed from the function's entry, and
// an adopting source of a borrowed handle (a lent parameter, or a
// borrowed result, converted at most) hands out nothing owned: what it
// makes is borrowed too (Wraps), and closing it is a BorrowedRelease.
func TestLent(t *testing.T) {
	for _, c := range []struct {
		name, fn string
		lent     bool
		want     []ownership.Kind
	}{
		{"lent/release", "func f(fd int) { close(fd) }", true, []ownership.Kind{ownership.BorrowedRelease}},
		{"lent/use", "func f(fd int) { use(fd) }", true, nil},
		{"lent/wrap", "func f(fd int) { h := wrap(int(uint(fd))); use(h) }", true, nil},
		{"borrowed/wrap", "func f(fd int) { h := wrap(borrow()); use(h) }", false, nil},
		{"lent/wrap/close", "func f(fd int) { h := wrap(fd); close(h) }", true, []ownership.Kind{ownership.BorrowedRelease}},
		{"borrowed/wrap/close", "func f(fd int) { h := wrap(borrow()); close(h) }", false, []ownership.Kind{ownership.BorrowedRelease}},
		// The neighbours: a parameter not lent, and an owned handle
		// adopted, make an owned handle that leaks.
		{"param/wrap", "func f(fd int) { h := wrap(fd); use(h) }", false, []ownership.Kind{ownership.Leak}},
		{"owned/wrap", "func f(fd int) { g, err := open(); if err != nil { return }; h := wrap(g); use(h) }", true, []ownership.Kind{ownership.Leak}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := ownership.Analyze(build(t, prelude+"func wrap(int) int\n"+c.fn+"\n"), lendOracle{lent: c.lent})
			var got []ownership.Kind
			for _, f := range res.Findings {
				got = append(got, f.Kind)
				if wraps := strings.Contains(c.fn, "close(h)"); f.Kind == ownership.BorrowedRelease && f.Source.Acquire.Wraps != wraps {
					t.Errorf("borrowed release of a source with Wraps %v, want %v", f.Source.Acquire.Wraps, wraps)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %v, want %v", got, c.want)
			}
		})
	}
}
