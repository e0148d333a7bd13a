package effects

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// A fieldUseKey is a question UsesField answers: does fn only use field
// of the struct its parameter param is or points to?
type fieldUseKey struct {
	fn    *ssa.Function
	param int
	field int
}

// UsesField implements ownership.FieldOracle: call c only uses field f of
// the struct that operand op is or points to when the callee is a
// function of this package that, tracked from its entry with the handle
// in that field of that parameter, keeps neither the struct nor the
// handle on any path (no store, return, escaping closure, adoption or
// call of code that is not known to only use them) and releases it on
// none: a helper that reads the struct's fields (watches.get(ino)), or
// makes system calls with the handle. The answer is computed when the
// engine first asks, from the summaries known then, and forgotten when
// a summary changes.
func (o *Oracle) UsesField(c *ssa.CallCommon, op ownership.Operand, f int) bool {
	if direct := boundCall(c); direct != nil {
		c, op = direct, op+1 // f := x.get; f(ino): ino is the method's argument 1
	}
	if c.IsInvoke() || !op.IsArg() || int(op) >= len(c.Args) {
		return false
	}
	fn := c.StaticCallee()
	if fn == nil || fn.Origin() != nil || wrapper(fn) || fn.Blocks == nil || fn.Pkg == nil || fn.Pkg.Pkg != o.pass.Pkg {
		return false
	}
	i := int(op)
	if i >= len(fn.Params) {
		return false
	}
	pt, at := ownership.StructOf(fn.Params[i].Type()), ownership.StructOf(c.Args[i].Type())
	if pt == nil || at == nil || !types.Identical(pt, at) || f < 0 || f >= pt.NumFields() {
		return false
	}
	k := fieldUseKey{fn, i, f}
	if uses, ok := o.fieldUses[k]; ok {
		return uses // false while it is being computed: a recursive helper
	}
	o.fieldUses[k] = false
	use := ownership.SummarizeField(fn, ownership.Param(i), f, o)
	uses := use.UseOnly && !use.SomePaths && len(use.Changes) == 0
	o.fieldUses[k] = uses
	return uses
}
