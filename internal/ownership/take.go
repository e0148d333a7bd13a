package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A take is a handle a method takes over from a field of its receiver:
// it loads the field (load) and then clears it or puts another value
// there (store), so the value loaded is no longer the receiver's but the
// function's (npipe's AcceptPipe: handle := l.handle; ...; l.handle = 0).
type take struct {
	load  *ssa.UnOp
	store *ssa.Store
}

// takes lists the handles fn takes over from its receiver's fields. A
// load is taken by a store into the same field of the receiver that it
// dominates, when every use of the loaded value, but comparisons
// (handle == 0), comes after that store: a value used before the field
// is cleared (CloseHandle(l.handle); l.handle = 0) is the receiver's
// while it is used. One store per load, the first of those it dominates
// when they are nested, and neither in a loop (a store run again would
// clear a field that no longer holds the value). A store of the loaded
// value itself puts it back: no take.
func takes(fn *ssa.Function) []take {
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return nil
	}
	recv := fn.Params[0]
	if _, ok := recv.Type().Underlying().(*types.Pointer); !ok {
		return nil
	}
	var loads []*ssa.UnOp
	stores := make(map[int][]*ssa.Store)
	for _, r := range *recv.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok || fa.X != recv {
			continue
		}
		for _, u := range *fa.Referrers() {
			switch u := u.(type) {
			case *ssa.UnOp:
				if u.Op == token.MUL && isInteger(u.Type()) {
					loads = append(loads, u)
				}
			case *ssa.Store:
				if u.Addr == fa {
					stores[fa.Field] = append(stores[fa.Field], u)
				}
			}
		}
	}
	var out []take
	for _, ld := range loads {
		if inCycle(ld.Block()) {
			continue
		}
		var first *ssa.Store
		for _, st := range stores[ld.X.(*ssa.FieldAddr).Field] {
			if Unconvert(st.Val) == ld || inCycle(st.Block()) || !comesBefore(ld, st) {
				continue
			}
			if first == nil || comesBefore(st, first) {
				first = st
			}
		}
		if first == nil || !usedAfter(ld, first) {
			continue
		}
		out = append(out, take{load: ld, store: first})
	}
	return out
}

// isInteger reports whether t is an integer type, possibly named: a
// handle, not a Go pointer.
func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// comesBefore reports whether instruction a dominates instruction b: a's
// block dominates b's, and in one block a comes first.
func comesBefore(a, b ssa.Instruction) bool {
	if a.Block() != b.Block() {
		return a.Block().Dominates(b.Block())
	}
	for _, instr := range a.Block().Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// inCycle reports whether block b can be reached from itself.
func inCycle(b *ssa.BasicBlock) bool { return reaches(b, b) }

// usedAfter reports whether every use of v (through conversions), but a
// comparison, comes after store st, and one does: a phi's use is at the
// end of the edge's predecessor.
func usedAfter(v ssa.Value, st *ssa.Store) bool {
	after := false
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.BinOp:
				if r.Op == token.EQL || r.Op == token.NEQ || r.Op == token.LSS || r.Op == token.LEQ || r.Op == token.GTR || r.Op == token.GEQ {
					continue
				}
			case *ssa.Convert, *ssa.ChangeType:
				if !walk(r.(ssa.Value)) {
					return false
				}
				continue
			case *ssa.Phi:
				for i, e := range r.Edges {
					if e == v && !st.Block().Dominates(r.Block().Preds[i]) {
						return false
					}
				}
				after = true
				continue
			}
			if !comesBefore(st, r) {
				return false
			}
			after = true
		}
		return true
	}
	return walk(v) && after
}
