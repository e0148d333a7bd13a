package ownership

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A ResultEquals is "result Result of the call equals constant Value":
// where it holds, the call handed out no handle (Acquire.NoneIf). pulumi's
// ReadSourceArchiveWithWD returns (Format, io.ReadCloser, error) and opens
// the file only where the format it detected is not NotArchive, so its
// file is none where r0 == NotArchive, and a caller's f == NotArchive
// branch has nothing to close.
//
// The function computes it of itself (Export.NoneIf): every return that
// gives the handle in its result gives in result Result a constant other
// than Value, a value that a test dominating the return found to differ
// from it (if format != NotArchive { ...; return format, f, err }), or
// the tag of an acquisition whose own NoneIf says so (return
// a.ReadSourceArchiveWithWD(wd), passed on). Only integer, string and
// boolean results are tags.
type ResultEquals struct {
	Result ResultIndex
	Value  constant.Value
}

// tagType reports whether a result of type t can be a tag: an integer,
// string or boolean, whose constants compare exactly.
func tagType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsInteger|types.IsString|types.IsBoolean) != 0
}

// sameConst reports whether constants a and b are equal, and whether
// that is known: constants of different kinds are not compared.
func sameConst(a, b constant.Value) (equal, known bool) {
	if a == nil || b == nil || a.Kind() != b.Kind() || a.Kind() == constant.Unknown {
		return false, false
	}
	return constant.Compare(a, token.EQL, b), true
}

// untag strips the conversions that keep a tag's value (a named type and
// its underlying one).
func untag(v ssa.Value) ssa.Value {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			return v
		}
		v = ct.X
	}
}

// edgeFact says what taking branch b (0 true, 1 false) of an If on cond
// tells of a value: v == k (eq) or v != k. ok is false when it tells
// nothing of this form. A boolean v tested as it is, is v == true on the
// true branch and v == false on the false one.
func edgeFact(cond ssa.Value, b int) (v ssa.Value, k constant.Value, eq, ok bool) {
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.NOT {
			return edgeFact(c.X, 1-b)
		}
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			return nil, nil, false, false
		}
		x, y := c.X, c.Y
		if _, isConst := x.(*ssa.Const); isConst {
			x, y = y, x
		}
		kc, isConst := y.(*ssa.Const)
		if !isConst || kc.Value == nil {
			return nil, nil, false, false
		}
		return untag(x), kc.Value, (c.Op == token.EQL) == (b == 0), true
	case *ssa.Const:
		return nil, nil, false, false
	}
	if t, isBasic := cond.Type().Underlying().(*types.Basic); isBasic && t.Info()&types.IsBoolean != 0 {
		return untag(cond), constant.MakeBool(b == 0), true, true
	}
	return nil, nil, false, false
}

// dominatingFacts calls f with each fact that an edge out of an If tells
// on every path to block b: an edge into a block with that one
// predecessor, the block dominating b.
func dominatingFacts(b *ssa.BasicBlock, f func(v ssa.Value, k constant.Value, eq bool)) {
	for blk := b; blk != nil; blk = blk.Idom() {
		if len(blk.Preds) != 1 {
			continue
		}
		pred := blk.Preds[0]
		ifInstr, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
		if !ok || pred.Succs[0] == pred.Succs[1] {
			continue
		}
		branch := 0
		if pred.Succs[1] == blk {
			branch = 1
		}
		if v, k, eq, ok := edgeFact(ifInstr.Cond, branch); ok {
			f(v, k, eq)
		}
	}
}

// differs reports whether v is known to differ from constant c wherever
// block b runs: v is another constant, or a dominating test found it
// not c, or equal to another constant.
func differs(v ssa.Value, c constant.Value, b *ssa.BasicBlock) bool {
	v = untag(v)
	if k, ok := v.(*ssa.Const); ok {
		equal, known := sameConst(k.Value, c)
		return known && !equal
	}
	found := false
	dominatingFacts(b, func(x ssa.Value, k constant.Value, eq bool) {
		if x != v || found {
			return
		}
		equal, known := sameConst(k, c)
		found = known && equal != eq // x != c, or x == k with k != c
	})
	return found
}

// tagCandidates returns the (result, constant) pairs of fn that could be
// a NoneIf of one of its handle results, in order: the constants its
// returns give in a tag result, then those that tests dominating a
// return compare the value it returns there with. Computed once per
// function.
func (a *analysis) tagCandidates() []ResultEquals {
	if a.tagsKnown {
		return a.tags
	}
	a.tagsKnown = true
	res := a.fn.Signature.Results()
	var rets []*ssa.Return
	for _, b := range a.fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && len(ret.Results) == res.Len() {
			rets = append(rets, ret)
		}
	}
	add := func(j int, k constant.Value) {
		for _, c := range a.tags {
			if equal, known := sameConst(c.Value, k); c.Result == ResultAt(j) && known && equal {
				return
			}
		}
		a.tags = append(a.tags, ResultEquals{Result: ResultAt(j), Value: k})
	}
	for j := range res.Len() {
		if !tagType(res.At(j).Type()) {
			continue
		}
		for _, ret := range rets {
			if k, ok := untag(ret.Results[j]).(*ssa.Const); ok && k.Value != nil {
				add(j, k.Value)
			}
		}
	}
	for j := range res.Len() {
		if !tagType(res.At(j).Type()) {
			continue
		}
		for _, ret := range rets {
			v := untag(ret.Results[j])
			dominatingFacts(ret.Block(), func(x ssa.Value, k constant.Value, _ bool) {
				if x == v {
					add(j, k)
				}
			})
		}
	}
	return a.tags
}

// noteNoneIf narrows, at return ret reached by element e, the NoneIf
// candidates of each result that carries the handle there to those that
// hold at ret (see ResultEquals). A detached element's return keeps
// none: the continuation it runs in is shared by the acquisitions of its
// class, and what is known of it is kept simple.
func (t *tracker) noteNoneIf(e elem, ret *ssa.Return) {
	if t.entry != nil || t.src == nil || t.src.Instr == nil || t.fn != t.a.fn || len(ret.Results) < 2 || len(t.a.tagCandidates()) == 0 {
		return // no tag: no NoneIf to narrow
	}
	for i, v := range ret.Results {
		if !t.carries(e, v) {
			continue
		}
		old, seen := t.noneIf[i]
		if !seen {
			old = t.a.tagCandidates()
		}
		var kept []ResultEquals
		if !t.detached {
			for _, c := range old {
				if c.Result != ResultAt(i) && t.tagHolds(e, ret, c) {
					kept = append(kept, c)
				}
			}
		}
		if t.noneIf == nil {
			t.noneIf = make(map[int][]ResultEquals)
		}
		t.noneIf[i] = kept
	}
}

// tagHolds reports whether at return ret, reached by element e, the
// value returned in result c.Result is known not to be c.Value: it
// differs, or it is the acquiring call's own tag of that constant.
func (t *tracker) tagHolds(e elem, ret *ssa.Return, c ResultEquals) bool {
	v := ret.Results[c.Result]
	if n := t.src.Acquire.NoneIf; n != nil && t.cur(e, v, roleTag) {
		if equal, known := sameConst(n.Value, c.Value); known && equal {
			return true
		}
	}
	return differs(v, c.Value, ret.Block())
}

// noneIfOf returns the NoneIf of result i, the first candidate that held
// at every return giving the handle there, or nil.
func (t *tracker) noneIfOf(i int) *ResultEquals {
	if cs := t.noneIf[i]; len(cs) > 0 {
		c := cs[0]
		return &c
	}
	return nil
}

// tagBranches says what each branch of an If on cond tells of the
// current instance through the acquisition's tag (Acquire.NoneIf), and
// whether cond is a test of it: on the branch where the tag equals the
// constant, there is no handle.
func (t *tracker) tagBranches(e elem, cond ssa.Value) ([2]learned, bool) {
	if t.src == nil || t.src.Acquire.NoneIf == nil {
		return [2]learned{}, false
	}
	n := t.src.Acquire.NoneIf
	for b := range 2 {
		v, k, eq, ok := edgeFact(cond, b)
		if !ok || !eq || !t.cur(e, v, roleTag) {
			continue
		}
		if equal, known := sameConst(k, n.Value); known && equal {
			var out [2]learned
			out[b] = invalid
			return out, true
		}
	}
	return [2]learned{}, false
}
