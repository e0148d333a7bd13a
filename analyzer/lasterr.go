package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/internal/ownership"
)

// lastErrorOnly reports whether the acquisition src is a native
// procedure's call that the code judges by its last error alone: the
// call's error result is compared or tested with errors.Is, and its first
// result (the handle, or the status that says whether the call failed) is
// compared with nothing. x/sys documents that error as always non-nil and
// says callers must inspect the primary return value to decide whether an
// error occurred; a successful call may leave a last error set, and the
// code then drops a live handle. A leak found there reads like a false
// alarm on the error path, so its message says why.
func lastErrorOnly(o *effects.Oracle, src *ownership.Source) bool {
	call, ok := src.Instr.(*ssa.Call)
	if !ok || !o.IsNativeCall(call.Common()) {
		return false
	}
	tuple, ok := call.Type().(*types.Tuple)
	if !ok || tuple.Len() < 2 {
		return false
	}
	var first, lastErr ssa.Value
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok {
			switch ex.Index {
			case 0:
				first = ex
			case tuple.Len() - 1:
				lastErr = ex
			}
		}
	}
	return lastErr != nil && judged(lastErr, true) && (first == nil || !judged(first, false))
}

// judged reports whether v, or a copy of it (a conversion, a phi, a
// variable it is stored in), is compared with another value, or, if
// errorTests, passed to errors.Is or errors.As.
func judged(v ssa.Value, errorTests bool) bool {
	seen := make(map[ssa.Value]bool)
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if seen[v] || v.Referrers() == nil {
			return false
		}
		seen[v] = true
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.BinOp:
				switch ref.Op {
				case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
					return true
				}
			case *ssa.Convert, *ssa.ChangeType, *ssa.ChangeInterface, *ssa.MakeInterface, *ssa.Phi:
				if walk(ref.(ssa.Value)) {
					return true
				}
			case *ssa.Store:
				if ref.Val == v {
					if alloc, ok := ref.Addr.(*ssa.Alloc); ok && loadedJudged(alloc, walk) {
						return true
					}
				}
			case *ssa.Call:
				if errorTests {
					if f := ref.Call.StaticCallee(); f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "errors" && (f.Name() == "Is" || f.Name() == "As") {
						return true
					}
				}
			}
		}
		return false
	}
	return walk(v)
}

// loadedJudged reports whether a load of the variable alloc is judged by
// walk.
func loadedJudged(alloc *ssa.Alloc, walk func(ssa.Value) bool) bool {
	for _, ref := range *alloc.Referrers() {
		if load, ok := ref.(*ssa.UnOp); ok && load.Op == token.MUL && walk(load) {
			return true
		}
	}
	return false
}
