package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// deferFix returns the fix for a leak that no path releases or hands on:
// "defer <releaser>(h)" right after the acquisition, or after its error
// check. It offers nothing when the code's shape leaves any doubt: the
// handle not in a variable, no error check right after an error-gated
// acquisition, a variable scoped to an if, or no releaser that fits the
// handle's type and the file's imports.
func (r *reporter) deferFix(f ownership.Finding, src *effects.Source) []analysis.SuggestedFix {
	call := r.calls[f.Pos]
	file := r.fileOf(f.Pos)
	if call == nil || file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.End())
	stmt, block := enclosingStmt(path)
	if stmt == nil {
		return nil
	}
	handle, errName := r.handleAndErr(stmt, call, src, f.Source.Acquire.Result)
	if handle == nil {
		return nil
	}
	after := stmt
	switch s := stmt.(type) {
	case *ast.IfStmt:
		// if err := F(&tok); err != nil { ... } or if F(&tok) != nil { ... }
		if s.Else != nil || !checksErr(s.Cond, errName, call) {
			return nil
		}
	case *ast.AssignStmt:
		if f.Source.Acquire.ErrGate {
			i := slices.Index(block.List, stmt)
			if i+1 >= len(block.List) {
				return nil
			}
			next, ok := block.List[i+1].(*ast.IfStmt)
			if !ok || next.Init != nil || next.Else != nil || !checksErr(next.Cond, errName, nil) {
				return nil
			}
			after = next
		}
	default:
		return nil
	}
	text := r.releaseCall(file, handle, src)
	if text == "" {
		return nil
	}
	indent := strings.Repeat("\t", r.pass.Fset.Position(stmt.Pos()).Column-1)
	return []analysis.SuggestedFix{{
		Message: "release it with defer " + text,
		TextEdits: []analysis.TextEdit{{
			Pos: after.End(), End: after.End(),
			NewText: []byte("\n" + indent + "defer " + text),
		}},
	}}
}

// enclosingStmt returns the statement of a block that contains the call.
func enclosingStmt(path []ast.Node) (ast.Stmt, *ast.BlockStmt) {
	for i, n := range path {
		if b, ok := n.(*ast.BlockStmt); ok && i > 0 {
			if s, ok := path[i-1].(ast.Stmt); ok {
				return s, b
			}
			return nil, nil
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return nil, nil
		}
	}
	return nil, nil
}

// handleAndErr finds the variable that holds the handle and the name of
// the error variable ("" if none) in the acquiring statement.
func (r *reporter) handleAndErr(stmt ast.Stmt, call *ast.CallExpr, src *effects.Source, result ownership.ResultIndex) (*ast.Ident, string) {
	var assign *ast.AssignStmt
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		assign = s
	case *ast.IfStmt:
		if !src.Out.IsParam() {
			return nil, "" // h scoped to the if: no place for a defer
		}
		assign, _ = s.Init.(*ast.AssignStmt)
	}
	var handle *ast.Ident
	if src.Out.IsParam() {
		if int(src.Out) >= len(call.Args) {
			return nil, ""
		}
		u, ok := ast.Unparen(call.Args[src.Out]).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return nil, ""
		}
		handle, _ = u.X.(*ast.Ident)
	} else if assign != nil && len(assign.Rhs) == 1 && ast.Unparen(assign.Rhs[0]) == call && result >= 0 && int(result) < len(assign.Lhs) {
		handle, _ = assign.Lhs[result].(*ast.Ident)
	}
	if handle == nil || handle.Name == "_" {
		return nil, ""
	}
	errName := ""
	if assign != nil && len(assign.Rhs) == 1 && ast.Unparen(assign.Rhs[0]) == call {
		if id, ok := assign.Lhs[len(assign.Lhs)-1].(*ast.Ident); ok && types.Identical(r.pass.TypesInfo.TypeOf(id), types.Universe.Lookup("error").Type()) {
			errName = id.Name
		}
	}
	return handle, errName
}

// checksErr reports whether cond is "err != nil", or "call != nil" for the
// acquiring call itself.
func checksErr(cond ast.Expr, errName string, call *ast.CallExpr) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return false
	}
	if id, ok := b.Y.(*ast.Ident); !ok || id.Name != "nil" {
		return false
	}
	if id, ok := b.X.(*ast.Ident); ok && errName != "" && id.Name == errName {
		return true
	}
	return call != nil && ast.Unparen(b.X) == call
}

// releaseCall spells a call that releases handle, in the file's terms: a
// method of the handle's own type, or a function of an imported package
// (or of this one) whose first parameter accepts it.
func (r *reporter) releaseCall(file *ast.File, handle *ast.Ident, src *effects.Source) string {
	typ := r.pass.TypesInfo.TypeOf(handle)
	if typ == nil {
		return ""
	}
	rank := r.rank(src)
	rels := slices.Clone(src.Resource.Release)
	slices.SortStableFunc(rels, func(a, b *rules.Releaser) int { return rank(rules.PkgPath(a.Func)) - rank(rules.PkgPath(b.Func)) })
	for _, rel := range rels {
		dot := strings.LastIndex(rel.Func, ".")
		name := rel.Func[dot+1:]
		if rules.IsMethod(rel.Func) {
			if rel.Arg == rules.Receiver && rel.Func[:dot] == "("+types.TypeString(typ, nil)+")" {
				return handle.Name + "." + name + "()"
			}
			continue
		}
		if rel.Arg != 0 {
			continue
		}
		pkg, qual := r.importOf(file, rules.PkgPath(rel.Func))
		if pkg == nil {
			continue
		}
		fn, ok := pkg.Scope().Lookup(name).(*types.Func)
		if !ok {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.Params().Len() != 1 || !types.AssignableTo(typ, sig.Params().At(0).Type()) {
			continue
		}
		return qual + name + "(" + handle.Name + ")"
	}
	return ""
}

// importOf returns the package with the given path as the file sees it,
// and the qualifier to write before its names ("" for this package).
func (r *reporter) importOf(file *ast.File, path string) (*types.Package, string) {
	if path == r.pass.Pkg.Path() {
		return r.pass.Pkg, ""
	}
	for _, spec := range file.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || p != path {
			continue
		}
		for _, pkg := range r.pass.Pkg.Imports() {
			if pkg.Path() != path {
				continue
			}
			switch {
			case spec.Name == nil:
				return pkg, pkg.Name() + "."
			case spec.Name.Name != "_" && spec.Name.Name != ".":
				return pkg, spec.Name.Name + "."
			}
		}
	}
	return nil, ""
}

// fileOf returns the syntax of the file that contains pos.
func (r *reporter) fileOf(pos token.Pos) *ast.File {
	for _, f := range r.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
