package rules

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"
)

// Resolve returns the value that t compares its argument with, for a call
// of a function of package pkg: the value of an integer literal, of the
// constant that an identifier names in pkg's scope, or of the constant
// that a full name ("golang.org/x/sys/windows.DUPLICATE_CLOSE_SOURCE")
// names in pkg or in a package it imports, directly or not. isNil reports
// the value nil (v is then nil). A From test has no value: Resolve returns
// nil, false, nil.
//
// The bits of HasBits and LacksBits must be a non-zero, non-negative
// integer. The error is an *Error at t.Pos.
func (t Test) Resolve(pkg *types.Package) (v constant.Value, isNil bool, err error) {
	switch {
	case t.Op == From:
		return nil, false, nil
	case t.Value == "nil":
		if t.Op == HasBits || t.Op == LacksBits {
			return nil, false, Errorf(t.Pos, "%s: want a bit mask, not nil", t.Op)
		}
		return nil, true, nil
	case isIntLiteral(t.Value):
		lit, neg := strings.CutPrefix(t.Value, "-")
		v = constant.MakeFromLiteral(lit, token.INT, 0)
		if neg {
			v = constant.UnaryOp(token.SUB, v, 0)
		}
	case t.Value == "":
		return nil, false, Errorf(t.Pos, "%s: no value", t.Op)
	default:
		if pkg == nil {
			return nil, false, Errorf(t.Pos, "%s: no package to look up %s in", t.Op, t.Value)
		}
		var obj types.Object
		if token.IsIdentifier(t.Value) {
			obj = pkg.Scope().Lookup(t.Value)
			if obj == nil {
				return nil, false, Errorf(t.Pos, "%s: %s is not declared in package %s", t.Op, t.Value, pkg.Path())
			}
		} else {
			obj = LookupObject(pkg, t.Value)
			if obj == nil {
				return nil, false, Errorf(t.Pos, "%s: %s is not declared in package %s or the packages it imports", t.Op, t.Value, pkg.Path())
			}
		}
		c, ok := obj.(*types.Const)
		if !ok {
			return nil, false, Errorf(t.Pos, "%s: %s is a %s, not a constant", t.Op, t.Value, objectKind(obj))
		}
		v = c.Val()
	}
	if t.Op == HasBits || t.Op == LacksBits {
		switch {
		case v.Kind() != constant.Int:
			return nil, false, Errorf(t.Pos, "%s: %s is %s, not an integer bit mask", t.Op, t.Value, v.ExactString())
		case constant.Sign(v) < 0:
			return nil, false, Errorf(t.Pos, "%s: %s is negative (%s), not a bit mask", t.Op, t.Value, v.ExactString())
		case constant.Sign(v) == 0:
			return nil, false, Errorf(t.Pos, "%s: %s is 0, which has no bits: the test always holds", t.Op, t.Value)
		}
	}
	return v, false, nil
}

// objectKind names the kind of obj for messages: "variable", "function".
func objectKind(obj types.Object) string {
	switch obj.(type) {
	case *types.Const:
		return "constant"
	case *types.Var:
		return "variable"
	case *types.Func:
		return "function"
	case *types.TypeName:
		return "type"
	case *types.PkgName:
		return "package name"
	case *types.Builtin:
		return "builtin"
	case *types.Nil:
		return "nil"
	}
	return "declaration"
}

// LookupObject returns the package-level object that full names, looked up
// in pkg and in the packages pkg imports, directly or not, or nil if there
// is none. full is a full name as go/types prints it:
// "golang.org/x/sys/windows.ERROR_ALREADY_EXISTS", or for a method
// "(golang.org/x/sys/windows.Token).Close" or "(*os.File).Fd".
func LookupObject(pkg *types.Package, full string) types.Object {
	if pkg == nil {
		return nil
	}
	method := ""
	name := full
	ptr := false
	if IsMethod(full) {
		end := strings.Index(full, ")")
		if end < 0 || !strings.HasPrefix(full[end+1:], ".") {
			return nil
		}
		name, method = full[1:end], full[end+2:]
		name, ptr = strings.CutPrefix(name, "*")
	}
	dot := strings.LastIndex(name, ".")
	if dot <= 0 || strings.Contains(name[dot:], "/") {
		return nil
	}
	path, ident := name[:dot], name[dot+1:]
	p := findPackage(pkg, path)
	if p == nil {
		return nil
	}
	obj := p.Scope().Lookup(ident)
	if method == "" || obj == nil {
		return obj
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return nil
	}
	var t types.Type = tn.Type()
	if ptr {
		t = types.NewPointer(t)
	}
	m, _, _ := types.LookupFieldOrMethod(t, false, p, method)
	if f, ok := m.(*types.Func); ok && f.FullName() == full {
		return f
	}
	return nil
}

// LookupPackage returns the package of path among pkg and the packages it
// imports, directly or not, or nil if it is not loaded.
func LookupPackage(pkg *types.Package, path string) *types.Package {
	if pkg == nil {
		return nil
	}
	return findPackage(pkg, path)
}

// findPackage returns the package of path among pkg and its imports,
// transitively, or nil.
func findPackage(pkg *types.Package, path string) *types.Package {
	seen := map[*types.Package]bool{pkg: true}
	queue := []*types.Package{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p.Path() == path {
			return p
		}
		for _, imp := range p.Imports() {
			if !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return nil
}
