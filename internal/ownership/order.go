package ownership

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Evaluation order within a statement.
//
// The spec orders a statement's function calls, method calls and
// communication operations lexically, and leaves the other operands
// unordered against them: in
//
//	return uintptr(h), windows.DuplicateHandle(p, src, p, &h, 0, true, windows.DUPLICATE_SAME_ACCESS)
//
// nothing says whether h is read before or after the call writes it.
// go/ssa reads it first, as it evaluates operands left to right; gc runs
// the statement's calls first, into temporaries, and reads the plain
// operands after them (cmd/compile/internal/walk/order.go), so the
// compiled return gives the duplicate (rclone's writeTestDup). The engine
// follows gc: a load of the variable that a call writes a handle through,
// in the same simple statement and before the call in go/ssa's order,
// whose value (converted at most) no instruction takes before the call,
// is what the call wrote. Uses of it before the call (a call that reads
// h first, same(h), or arithmetic on it) keep go/ssa's order, which is
// gc's too there.

// lateLoads returns the loads of the variable cell (the handle's
// variable, or the aggregate whose part it is) that the statement of call
// reads after call (see above): the slots that take the handle call
// writes through cell.
func (t *tracker) lateLoads(call *ssa.Call, cell ssa.Value) []ssa.Value {
	b := call.Block()
	j := slices.Index(b.Instrs, ssa.Instruction(call))
	if j <= 0 {
		return nil
	}
	stmt := simpleStmtAt(t.fn, call.Pos())
	if stmt == nil {
		return nil
	}
	var late []ssa.Value
	for i := j - 1; i >= 0; i-- {
		instr := b.Instrs[i]
		if p := instr.Pos(); p.IsValid() && !within(stmt, p) {
			break // an earlier statement's
		}
		if ld, ok := instr.(*ssa.UnOp); ok && t.loadOf(ld, cell) && readAfter(ld, call) {
			late = append(late, ld)
		}
	}
	return late
}

// loadOf reports whether ld is a load of the handle from cell, with a
// slot of its own, placed in its statement: of the variable itself, or
// of the address of the handle's part of the aggregate in it.
func (t *tracker) loadOf(ld *ssa.UnOp, cell ssa.Value) bool {
	if ld.Op != token.MUL || !ld.Pos().IsValid() || !unorderedType(ld.Type()) {
		return false
	}
	info, ok := t.info(ld.X)
	if !ok || info.role != roleCell || info.root != cell {
		return false
	}
	_, slot := t.slotOf(ld)
	return slot
}

// unorderedType reports whether gc reads an operand of type typ where the
// statement is evaluated, after its calls, in every use readAfter allows:
// an integer, a pointer or an interface. A struct or array boxed into an
// interface is copied to a temporary where it appears.
func unorderedType(typ types.Type) bool {
	switch typ.Underlying().(type) {
	case *types.Basic, *types.Pointer, *types.Interface:
		return true
	}
	return false
}

// readAfter reports whether every use of load, looking through
// conversions, comes after call, which follows it in its block: no
// instruction takes its value before call does its work, nor call itself
// (DuplicateHandle(p, h, p, &h, ...) reads h as it is before the call).
func readAfter(load *ssa.UnOp, call *ssa.Call) bool {
	b := call.Block()
	j := slices.Index(b.Instrs, ssa.Instruction(call))
	var after func(v ssa.Value, depth int) bool
	after = func(v ssa.Value, depth int) bool {
		if depth > 4 {
			return false
		}
		for _, r := range *v.Referrers() {
			if _, debug := r.(*ssa.DebugRef); debug || r.Block() != b || slices.Index(b.Instrs, r) > j {
				continue
			}
			switch r := r.(type) {
			case *ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.ChangeInterface:
				if !after(r.(ssa.Value), depth+1) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return after(load, 0)
}

// simpleStmtAt returns the simple statement of fn's body that pos is in,
// if it is one whose operands gc evaluates after its calls: a return, an
// assignment (= or :=), a var declaration, a call, a go or defer
// statement, a send. Anything else (an if, whose range holds its body; pos
// in a function literal; no syntax) is nil.
func simpleStmtAt(fn *ssa.Function, pos token.Pos) ast.Stmt {
	body := funcBody(fn)
	if body == nil || !pos.IsValid() {
		return nil
	}
	var in ast.Stmt
	lit := false
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || lit || !within(n, pos) {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			lit = true
			return false
		case ast.Stmt:
			in = n
		}
		return true
	})
	if lit {
		return nil
	}
	switch s := in.(type) {
	case *ast.ReturnStmt, *ast.DeclStmt, *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt, *ast.SendStmt:
		return s
	case *ast.AssignStmt:
		if s.Tok == token.ASSIGN || s.Tok == token.DEFINE {
			return s
		}
	}
	return nil
}

// funcBody returns the body of fn's syntax: a declaration's or literal's,
// or a range-over-func loop's for its yield function.
func funcBody(fn *ssa.Function) *ast.BlockStmt {
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return s.Body
	case *ast.FuncLit:
		return s.Body
	case *ast.RangeStmt:
		return s.Body
	}
	return nil
}

// within reports whether pos is in n's source range.
func within(n ast.Node, pos token.Pos) bool {
	return n.Pos() <= pos && pos < n.End()
}

// lateBits returns e with the bits of the slots late (lateLoads) set to on.
func (t *tracker) lateBits(e elem, late []ssa.Value, on bool) elem {
	for _, ld := range late {
		e = t.setBit(e, ld, on)
	}
	return e
}
