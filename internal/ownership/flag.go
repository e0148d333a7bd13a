package ownership

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A flag is a boolean phi that an If tests and that is a constant on some
// of its edges: didOpen in
//
//	fd, didOpen := mb.mfd, false
//	if fd == nil {
//		fd, err = os.OpenFile(...)
//		...
//		didOpen = true
//	}
//	...
//	if didOpen {
//		fd.Close()
//	}
//
// Where the paths meet, the handle's phi (fd) and the flag's are side by
// side. An instance that comes into that block in the handle's phi, on an
// edge where the flag is a constant, carries the flag's value in
// elem.flags, and a later If on the flag (or its negation) sends it to
// the branch of that value only. It is recorded only when the flag is the
// same constant on every edge of the handle's phi that may carry the
// instance (one whose value the tracker knows), so that instances coming
// in on different such edges stay one element; it is dropped where no If
// on the flag can be reached before the flag's block runs again.

// flagBit is the bit of elem.flags that says flag k is on (true) or not.
func flagBit(k int, on bool) uint {
	if on {
		return uint(2 * k)
	}
	return uint(2*k + 1)
}

// maxFlags keeps flagBit within a bitset's two bytes.
const maxFlags = maxSlots / 2

// flagIndex returns p's index among the function's flags, or -1.
func (tb *table) flagIndex(p *ssa.Phi) int {
	if k, ok := tb.flags[p]; ok {
		return k
	}
	if tb.flags == nil {
		tb.flags = make(map[*ssa.Phi]int)
	}
	k := -1
	if isFlag(p) && len(tb.flagPhis) < maxFlags {
		k = len(tb.flagPhis)
		tb.flagPhis = append(tb.flagPhis, p)
		tb.flagLive = append(tb.flagLive, flagLiveness(p))
	}
	tb.flags[p] = k
	return k
}

// isFlag reports whether p is a boolean phi with a constant edge that an
// If tests.
func isFlag(p *ssa.Phi) bool {
	if !isBool(p.Type()) {
		return false
	}
	hasConst := false
	for _, v := range p.Edges {
		if _, ok := v.(*ssa.Const); ok {
			hasConst = true
		}
	}
	return hasConst && len(flagTests(p)) > 0
}

// isBool reports whether t is a boolean type.
func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// flagTests returns the Ifs on p or on !p.
func flagTests(p *ssa.Phi) []*ssa.If {
	var out []*ssa.If
	for _, r := range *p.Referrers() {
		switch x := r.(type) {
		case *ssa.If:
			out = append(out, x)
		case *ssa.UnOp:
			if x.Op != token.NOT {
				continue
			}
			for _, r := range *x.Referrers() {
				if i, ok := r.(*ssa.If); ok {
					out = append(out, i)
				}
			}
		}
	}
	return out
}

// flagLiveness returns the blocks from whose start an If on flag p can be
// reached without running p's block again (p's block included).
func flagLiveness(p *ssa.Phi) map[*ssa.BasicBlock]bool {
	def := p.Block()
	in := make(map[*ssa.BasicBlock]bool)
	var work []*ssa.BasicBlock
	for _, i := range flagTests(p) {
		if b := i.Block(); !in[b] {
			in[b] = true
			work = append(work, b)
		}
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == def {
			continue
		}
		for _, pr := range b.Preds {
			if !in[pr] {
				in[pr] = true
				work = append(work, pr)
			}
		}
	}
	return in
}

// enterFlags returns e's flags as e, whose bits enter has computed,
// comes into block succ: those that still matter there, and those that
// succ's flags take on with the instance.
func (t *tracker) enterFlags(succ *ssa.BasicBlock, e elem) bitset {
	tb := t.a.tab
	out := e.flags
	for i := range e.flags.all() {
		k := int(i / 2)
		if tb.flagPhis[k].Block() == succ || !tb.flagLive[k][succ] {
			out = out.with(i, false)
		}
	}
	if e.bits.empty() {
		return out
	}
	for _, instr := range succ.Instrs {
		p, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		k := tb.flagIndex(p)
		if k < 0 {
			continue
		}
		for _, instr := range succ.Instrs {
			h, ok := instr.(*ssa.Phi)
			if !ok {
				break
			}
			if h == p || !t.holds(e, h) {
				continue
			}
			if on := t.flagOn(p, h); on >= 0 {
				out = out.with(flagBit(k, on == 1), true)
				break
			}
		}
	}
	return out
}

// flagOn returns the constant (0 false, 1 true) that flag takes on every
// edge on which phi h takes a value the tracker knows, or -1 if there is
// no such edge or the flag is not one constant on them.
func (t *tracker) flagOn(flag, h *ssa.Phi) int {
	k := -1
	for j, v := range h.Edges {
		if _, tracked := t.info(v); !tracked {
			continue
		}
		if j >= len(flag.Edges) {
			return -1
		}
		c, ok := flag.Edges[j].(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != constant.Bool {
			return -1
		}
		b := 0
		if constant.BoolVal(c.Value) {
			b = 1
		}
		if k >= 0 && k != b {
			return -1
		}
		k = b
	}
	return k
}

// flagBranch returns the branch of an If on flag p that element e does
// not take, by what e knows of p, or -1.
func (t *tracker) flagBranch(e elem, p *ssa.Phi) int {
	if e.flags.empty() {
		return -1
	}
	k, ok := t.a.tab.flags[p]
	switch {
	case !ok || k < 0:
	case e.flags.has(flagBit(k, true)):
		return 1 // true takes Succs[0]
	case e.flags.has(flagBit(k, false)):
		return 0
	}
	return -1
}
