package analyzer

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// Summary is the fact handlecheck exports for a function that hands out
// handles or does something with handles passed to it, so that its callers,
// in this package and in every importing one, treat it as a rule would.
// Its fields are exported for gob, which go vet uses to pass facts between
// packages.
type Summary struct {
	Sources []SummarySource
	Params  []SummaryParam
	// Closes, on a method, names the type that owns a handle and that the
	// method releases (its receiver): the type is a resource of its own,
	// named by its full name, and this method is its releaser.
	Closes string
}

// SummarySource: the function hands out a handle, as Source rules do.
type SummarySource struct {
	Result   int // result index, or -1
	Out      int // pointer parameter, receiver not counted, or -1
	Resource string
	Borrowed bool
	NoLeak   bool
	Origin   string // the API the handle comes from, full name
	Note     string
	// Closer, for a result that is a type owning a handle (Resource is
	// then the type's full name), is the method that releases it.
	Closer string
}

// SummaryParam: what the function does with a handle passed as Param
// (receiver not counted; -1 is the receiver).
type SummaryParam struct {
	Param int
	// Releases lists the resources it releases on every path where the
	// parameter is valid; Releaser is the release function it calls.
	Releases []string
	Releaser string
	// UseOnly: it keeps no copy and does not release it on every path.
	UseOnly bool
}

// AFact marks Summary as an analysis.Fact.
func (*Summary) AFact() {}

// String is short, for tests: "owned token r0; releases a0 handle|token".
func (s *Summary) String() string {
	var parts []string
	for _, src := range s.Sources {
		kind := "owned"
		if src.Borrowed {
			kind = "borrowed"
		}
		where := fmt.Sprintf("r%d", src.Result)
		if src.Out >= 0 {
			where = fmt.Sprintf("out%d", src.Out)
		}
		if src.Closer != "" {
			where += " closed by " + src.Closer[strings.LastIndex(src.Closer, ".")+1:]
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", kind, src.Resource, where))
	}
	if s.Closes != "" {
		parts = append(parts, "closes "+s.Closes)
	}
	for _, p := range s.Params {
		arg := fmt.Sprintf("a%d", p.Param)
		if p.Param < 0 {
			arg = "recv"
		}
		if p.UseOnly {
			parts = append(parts, "uses "+arg)
		} else {
			parts = append(parts, fmt.Sprintf("releases %s %s", arg, strings.Join(p.Releases, "|")))
		}
	}
	return strings.Join(parts, "; ")
}

func (s *Summary) empty() bool { return len(s.Sources) == 0 && len(s.Params) == 0 && s.Closes == "" }

// equal reports whether two summaries say the same, for the fixed point.
func (s *Summary) equal(t *Summary) bool { return s.String() == t.String() }

// summarize computes the summary of fn from the engine's result on it and
// from tracking each of its parameters that could hold a handle.
func summarize(fn *ssa.Function, res ownership.Result, o *oracle) *Summary {
	sum := new(Summary)
	method := fn.Signature.Recv() != nil
	// ruleIndex turns an index into fn.Params into a rule-style index.
	ruleIndex := func(i int) int {
		if method {
			return i - 1 // the receiver becomes -1
		}
		return i
	}
	if own := o.closers[fn]; own != nil {
		sum.Closes = own.name
	}
	for _, ex := range res.Exports {
		info := ex.Source.Acquire.Rule.(*sourceInfo)
		s := SummarySource{
			Result: ex.Result, Out: -1,
			Resource: ex.Source.Acquire.Resource, Borrowed: ex.Source.Acquire.Borrowed,
			NoLeak: ex.Source.Acquire.NoLeak, Origin: info.origin, Note: info.note,
		}
		if ex.Field >= 0 {
			// return &Watcher{h: h}: an owned source of Watcher, if
			// Watcher's closer releases that field.
			own := o.ownerOf(fn.Signature.Results().At(ex.Result).Type())
			if own == nil || own.field != ex.Field || s.Borrowed || s.NoLeak || o.closers[fn] != nil {
				continue
			}
			s.Resource, s.Closer = own.name, own.closer.FullName()
		} else if o.isOwner(info.resource) {
			s.Closer = info.resource.Release[0].Func // an owner type's, handed on
		}
		if ex.Param >= 0 {
			if method && ex.Param == 0 {
				continue // written through the receiver: not a result
			}
			s.Result, s.Out = -1, ruleIndex(ex.Param)
		}
		if !slices.Contains(sum.Sources, s) {
			sum.Sources = append(sum.Sources, s)
		}
	}
	// Two sources for one result that disagree (owned here, borrowed
	// there) say nothing reliable.
	sum.Sources = slices.DeleteFunc(sum.Sources, func(s SummarySource) bool {
		return slices.ContainsFunc(sum.Sources, func(t SummarySource) bool {
			return t.Result == s.Result && t.Out == s.Out && (t.Borrowed != s.Borrowed || t.Resource != s.Resource)
		})
	})
	if !callsReleaser(fn, o) {
		return sum
	}
	for i, p := range fn.Params {
		if !handleLike(p.Type()) {
			continue
		}
		use := ownership.SummarizeParam(fn, i, o)
		switch {
		case len(use.Releases) > 0:
			sp := SummaryParam{Param: ruleIndex(i), Releaser: use.Releases[0].Rule.(*releaserInfo).name}
			sp.Releases = use.Releases[0].Resources
			for _, r := range use.Releases[1:] {
				sp.Releases = slices.DeleteFunc(slices.Clone(sp.Releases), func(res string) bool { return !slices.Contains(r.Resources, res) })
			}
			if len(sp.Releases) > 0 {
				sum.Params = append(sum.Params, sp)
			}
		case use.UseOnly:
			sum.Params = append(sum.Params, SummaryParam{Param: ruleIndex(i), UseOnly: true})
		}
	}
	return sum
}

// callsReleaser reports whether fn calls a function that releases
// something: only then is it worth summarizing its parameters.
func callsReleaser(fn *ssa.Function, o *oracle) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok && len(o.Effects(c.Common()).Releases) > 0 {
				return true
			}
		}
	}
	return false
}

// handleLike reports whether a value of type t could be a handle: an
// integer, uintptr or pointer-sized type, possibly named.
func handleLike(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// sccs returns the strongly connected components of the static call graph
// of funcs, callees before callers (Tarjan's algorithm).
func sccs(funcs []*ssa.Function) [][]*ssa.Function {
	index := make(map[*ssa.Function]int)
	low := make(map[*ssa.Function]int)
	onStack := make(map[*ssa.Function]bool)
	local := make(map[*ssa.Function]bool, len(funcs))
	for _, fn := range funcs {
		local[fn] = true
	}
	var stack []*ssa.Function
	var out [][]*ssa.Function
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		index[fn] = len(index)
		low[fn] = index[fn]
		stack = append(stack, fn)
		onStack[fn] = true
		for _, callee := range callees(fn) {
			if !local[callee] {
				continue
			}
			if _, seen := index[callee]; !seen {
				visit(callee)
				low[fn] = min(low[fn], low[callee])
			} else if onStack[callee] {
				low[fn] = min(low[fn], index[callee])
			}
		}
		if low[fn] == index[fn] {
			var scc []*ssa.Function
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				scc = append(scc, top)
				if top == fn {
					break
				}
			}
			out = append(out, scc)
		}
	}
	for _, fn := range funcs {
		if _, seen := index[fn]; !seen {
			visit(fn)
		}
	}
	return out
}

// callees returns the functions fn calls statically, in order.
func callees(fn *ssa.Function) []*ssa.Function {
	var out []*ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if callee := c.Common().StaticCallee(); callee != nil {
					out = append(out, callee)
				}
			}
		}
	}
	return out
}
