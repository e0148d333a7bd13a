package ownership

import (
	"go/constant"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A close-once closure releases a handle it captures the first time it
// runs and does nothing afterwards, guarded by a flag it captures too:
//
//	closed := false
//	closeF := func() {
//		if closed {
//			return
//		}
//		closed = true
//		f.Close()
//	}
//	defer closeF()
//	...
//	closeF() // before os.Remove: the deferred call then does nothing
//
// Its summary releases the handle on some paths only (the flag's test
// decides), so taken alone it would release on some paths of every call.
// Where the function it is made in follows the flag (closeOnce), each
// call is a release while the handle is held and nothing once the closure
// has released it (site.once): a second call is no double release, and a
// deferred one releases at exit what is still held.

// A onceFlag is the flag of a close-once closure: the variable (cell),
// the closure's load of it that its entry tests (test), and what that
// load reads while the closure has not run (open).
type onceFlag struct {
	cell *ssa.Alloc
	test *ssa.UnOp
	open bool
}

// A flagAssumption is what a close-once closure's summary takes its
// first load of the flag (test) to read: the summary of its first run.
type flagAssumption struct {
	test *ssa.UnOp
	open bool
}

// closeOnce returns the flag of mc, a closure the tracked function makes
// and calls with binding b carrying the handle, when mc is a close-once
// closure of the handle, else nil. It is one when:
//
//   - its entry block ends in a test of a load of a captured bool
//     variable (or of its negation); on the branch where the variable is
//     not the value it starts with, it returns at once, calling nothing;
//     on the other, the block first reached stores the other value;
//   - the closure stores only that other value into the variable, the
//     function that declares it only the one it starts with, where it
//     declares it, and no other closure assigns it;
//   - the variable is declared after the acquisition, outside any loop,
//     so that it is set to that constant once, after the handle is
//     acquired, and before the closure can run;
//   - b is the variable of the handle, assigned once, so that what one
//     run of the closure releases is the handle that a later run would.
//
// The caller also asks that the closure's first run (the summary that
// takes test to read open) release the handle on every path.
func (t *tracker) closeOnce(mc *ssa.MakeClosure, b ssa.Value) *onceFlag {
	fn := mc.Fn.(*ssa.Function)
	if len(fn.Blocks) == 0 || t.src == nil || t.src.Instr == nil || !assignedOnce(b) {
		return nil
	}
	test, openSucc, ok := flagTest(fn.Blocks[0])
	if !ok {
		return nil
	}
	fv := test.X.(*ssa.FreeVar)
	i := slices.Index(fn.FreeVars, fv)
	if i < 0 || i >= len(mc.Bindings) {
		return nil
	}
	cell, ok := mc.Bindings[i].(*ssa.Alloc)
	if !ok {
		return nil
	}
	open, ok := declaredOnce(cell, mc)
	if !ok || !t.declaredAfter(cell) {
		return nil
	}
	if !open {
		openSucc = 1 - openSucc // the test reads false while open
	}
	succs := fn.Blocks[0].Succs
	if !returnsAtOnce(succs[1-openSucc]) || !storesConst(succs[openSucc], fv, !open) || !onlyStores(fv, !open) {
		return nil
	}
	return &onceFlag{cell: cell, test: test, open: open}
}

// flagTest returns the load of a captured bool variable that the If
// ending block b tests, or its negation does, and the branch the If takes
// where the load reads true.
func flagTest(b *ssa.BasicBlock) (*ssa.UnOp, int, bool) {
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, 0, false
	}
	cond, onTrue := ifInstr.Cond, 0
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond, onTrue = not.X, 1
	}
	test, ok := cond.(*ssa.UnOp)
	if !ok || test.Op != token.MUL || test.Block() != b || !isBool(test.Type()) {
		return nil, 0, false
	}
	if _, ok := test.X.(*ssa.FreeVar); !ok {
		return nil, 0, false
	}
	return test, onTrue, true
}

// assignedOnce reports whether b is a variable stored into once, by the
// function that declares it, and assigned by none of the closures that
// capture it.
func assignedOnce(b ssa.Value) bool {
	a, ok := b.(*ssa.Alloc)
	if !ok {
		return false
	}
	stores := 0
	for _, r := range *a.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != a {
				return false // the variable's address stored away
			}
			stores++
		case *ssa.MakeClosure:
			if assignsCaptured(x, a) {
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
	return stores == 1
}

// declaredOnce returns the constant that flag variable cell is declared
// with, when that store is its function's only one, comes before closure
// mc is made, and no closure but mc assigns the variable.
func declaredOnce(cell *ssa.Alloc, mc *ssa.MakeClosure) (bool, bool) {
	var init *ssa.Store
	for _, r := range *cell.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != cell || init != nil {
				return false, false
			}
			init = x
		case *ssa.MakeClosure:
			if x != mc && assignsCaptured(x, cell) {
				return false, false
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false, false
			}
		case *ssa.DebugRef:
		default:
			return false, false
		}
	}
	if init == nil || !precedes(init, mc) {
		return false, false
	}
	return boolConst(init.Val)
}

// boolConst returns the value of v if it is a boolean constant.
func boolConst(v ssa.Value) (bool, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(c.Value), true
}

// declaredAfter reports whether variable cell is declared after the
// acquisition, in the function that acquires, outside any loop: it is
// created once, after the handle is.
func (t *tracker) declaredAfter(cell *ssa.Alloc) bool {
	b := cell.Block()
	if b == nil || b.Parent() != t.a.fn || t.src.Instr.Block() == nil || t.src.Instr.Parent() != t.a.fn || !precedes(t.src.Instr, cell) {
		return false
	}
	if t.a.loops == nil {
		t.a.loops = newLoops(&t.a.scratch.loops, t.a.fn)
	}
	return t.a.loops.comp(b) == nil
}

// returnsAtOnce reports whether block b returns, calling nothing first.
func returnsAtOnce(b *ssa.BasicBlock) bool {
	if len(b.Preds) != 1 {
		return false
	}
	for _, instr := range b.Instrs {
		switch instr.(type) {
		case ssa.CallInstruction:
			return false
		case *ssa.RunDefers:
			return false
		}
	}
	_, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
	return ok
}

// storesConst reports whether block b, entered from one block only,
// stores constant v into variable fv.
func storesConst(b *ssa.BasicBlock, fv *ssa.FreeVar, v bool) bool {
	if len(b.Preds) != 1 {
		return false
	}
	for _, instr := range b.Instrs {
		if st, ok := instr.(*ssa.Store); ok && st.Addr == fv {
			c, ok := boolConst(st.Val)
			return ok && c == v
		}
	}
	return false
}

// onlyStores reports whether the closure only loads fv and stores
// constant v into it.
func onlyStores(fv *ssa.FreeVar, v bool) bool {
	return storesLoads(fv, func(st *ssa.Store) bool {
		c, ok := boolConst(st.Val)
		return ok && c == v
	})
}
