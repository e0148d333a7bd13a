package analyzer

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"
)

// buildSSA builds the package in SSA form, as the buildssa pass does, and
// returns its source functions (with their function literals) in source
// order. handlecheck builds SSA itself so that packages that cannot acquire
// a handle skip the cost, and so that its imports are created with only the
// members the package refers to (see createImports).
func buildSSA(pass *analysis.Pass) []*ssa.Function {
	prog := ssa.NewProgram(pass.Fset, 0)
	prog.SetNoReturn(pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs).NoReturn)
	createImports(prog, pass.Pkg, pass.TypesInfo)
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var funcs []*ssa.Function
	var add func(*ssa.Function)
	add = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			if fn := prog.FuncValue(obj); fn != nil {
				add(fn)
			}
		}
	}
	// Function literals in package-level variable initializers belong to
	// the synthetic init function.
	if init := pkg.Func("init"); init != nil {
		for _, anon := range init.AnonFuncs {
			add(anon)
		}
	}
	return funcs
}

// createImports creates the SSA package of each direct import of pkg with
// only the members that pkg's code refers to (info.Uses): its package-level
// functions and variables and the methods of its named types, all without
// bodies, as from export data. What ssa.Program.CreatePackage makes of an
// import from its types alone is every member of its scope, with every
// method of every named type: for golang.org/x/sys/windows, thousands of
// functions, globals and constants per importing package. The SSA
// builder asks a created package only for the functions and variables that
// the code names (a constant's value comes from the type checker); methods
// it does not find it creates on demand, as for an indirect import's.
//
// The members are given to CreatePackage as a file of bodyless
// declarations whose identifiers info defines as the real objects, so
// that the functions' objects, and with them the facts of their
// summaries, are those of the type checker. A function declared without
// a body is built as one from export data: parameters only.
func createImports(prog *ssa.Program, pkg *types.Package, info *types.Info) {
	imports := pkg.Imports()
	decls := make(map[*types.Package][]types.Object, len(imports))
	for _, p := range imports {
		decls[p] = nil
	}
	seen := make(map[types.Object]bool)
	for _, obj := range info.Uses {
		p := obj.Pkg()
		if _, direct := decls[p]; !direct || p == nil {
			continue
		}
		switch o := obj.(type) {
		case *types.Func:
			o = o.Origin()
			if recv := o.Signature().Recv(); recv != nil {
				if types.IsInterface(recv.Type()) {
					continue // an interface method has no function
				}
			} else if p.Scope().Lookup(o.Name()) != o {
				continue
			}
			obj = o
		case *types.Var:
			if p.Scope().Lookup(o.Name()) != o {
				continue // a field
			}
		default:
			continue // constants, types, package names: not members the builder asks for
		}
		if !seen[obj] {
			seen[obj] = true
			decls[p] = append(decls[p], obj)
		}
	}
	defs := &types.Info{Defs: make(map[*ast.Ident]types.Object, len(seen))}
	for _, p := range imports {
		objs := decls[p]
		// Sorted, so that the members are created in the same order on
		// every run.
		slices.SortFunc(objs, func(a, b types.Object) int {
			return cmp.Or(cmp.Compare(a.Pos(), b.Pos()), cmp.Compare(a.Id(), b.Id()))
		})
		file := &ast.File{Name: ast.NewIdent(p.Name())}
		for _, obj := range objs {
			id := ast.NewIdent(obj.Name())
			defs.Defs[id] = obj
			if _, ok := obj.(*types.Func); ok {
				file.Decls = append(file.Decls, &ast.FuncDecl{Name: id, Type: &ast.FuncType{}})
			} else {
				file.Decls = append(file.Decls, &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{id}}}})
			}
		}
		prog.CreatePackage(p, []*ast.File{file}, defs, true)
	}
}
