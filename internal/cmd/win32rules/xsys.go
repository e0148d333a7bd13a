package main

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/handlecheck/handlecheck/rules"
)

// A wrapper is a Go function of a generated zsyscall_windows.go that calls
// one native procedure:
//
//	func CreateFile(name *uint16, ..., templatefile Handle) (handle Handle, err error) {
//		r0, _, e1 := syscall.SyscallN(procCreateFileW.Addr(), uintptr(unsafe.Pointer(name)), ...)
//		handle = Handle(r0)
//		if handle == InvalidHandle {
//
// Go parameter k is native argument args[k] when it is passed as it is
// (through conversions); Go result k is the procedure's return value when
// ret[k].
type wrapper struct {
	fn      string // full name, golang.org/x/sys/windows.CreateFile
	proc    string // rules.NativeName: kernel32.dll!CreateFileW
	args    map[rules.Param]rules.Param
	ret     map[rules.ResultIndex]bool
	success string // for out rules: "nonzero" (if r1 == 0 { err }), "zero" (if r0 != 0 { err }), or ""
}

// xsysTables parses the zsyscall_windows.go files of the packages in dirs
// (import path -> directory) and returns their wrappers by full name.
// It also collects the integer constants of those packages, by full name,
// for `when` tests that name one.
func xsysTables(dirs map[string]string) (map[string]*wrapper, map[string]string, error) {
	wrappers := make(map[string]*wrapper)
	consts := make(map[string]string)
	paths := make([]string, 0, len(dirs))
	for p := range dirs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, pkg := range paths {
		dir := dirs[pkg]
		fset := token.NewFileSet()
		file := filepath.Join(dir, "zsyscall_windows.go")
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return nil, nil, err
		}
		ws := parseZsyscall(pkg, f)
		// Hand-written functions that forward to a generated wrapper:
		// windows.CreatePseudoConsole in syscall_windows.go.
		others, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return nil, nil, err
		}
		for _, o := range others {
			base := filepath.Base(o)
			if base == "zsyscall_windows.go" || strings.HasSuffix(base, "_test.go") || !forWindows(base) {
				continue
			}
			of, err := parser.ParseFile(fset, o, nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, nil, err
			}
			for _, d := range of.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv != nil || fd.Body == nil {
					continue
				}
				name := pkg + "." + fd.Name.Name
				if _, dup := ws[name]; dup {
					continue
				}
				if w := parseForward(pkg, fd, ws); w != nil {
					w.fn = name
					ws[name] = w
				}
			}
		}
		for name, w := range ws {
			wrappers[name] = w
		}
		if err := packageConsts(pkg, dir, consts); err != nil {
			return nil, nil, err
		}
	}
	return wrappers, consts, nil
}

// forWindows reports whether a file name builds for windows by its
// suffix (build constraints inside are not read: a forward of a generated
// wrapper that only another GOOS has would not type-check there anyway).
func forWindows(base string) bool {
	name := strings.TrimSuffix(base, ".go")
	for _, goos := range []string{"linux", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "aix", "plan9", "js", "wasip1", "zos", "dragonfly", "illumos", "ios", "android", "hurd"} {
		if strings.HasSuffix(name, "_"+goos) || strings.Contains(name, "_"+goos+"_") {
			return false
		}
	}
	return true
}

// parseZsyscall reads the procedure table and the wrappers of one file.
func parseZsyscall(pkg string, f *ast.File) map[string]*wrapper {
	dlls := make(map[string]string)  // modkernel32 -> kernel32.dll
	procs := make(map[string]string) // procCreateFileW -> kernel32.dll!CreateFileW
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				call, ok := vs.Values[i].(*ast.CallExpr)
				if !ok {
					continue
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewProc" {
					if mod, ok := sel.X.(*ast.Ident); ok {
						if lit := firstString(call); lit != "" {
							procs[name.Name] = mod.Name + "\x00" + lit
						}
					}
					continue
				}
				if lit := firstString(call); lit != "" && strings.HasPrefix(name.Name, "mod") {
					dlls[name.Name] = lit
				}
			}
		}
	}
	for v, mp := range procs {
		mod, proc, _ := strings.Cut(mp, "\x00")
		if dll, ok := dlls[mod]; ok {
			procs[v] = rules.NativeName(dll, proc)
		} else {
			delete(procs, v)
		}
	}

	out := make(map[string]*wrapper)
	forwards := make(map[string]*ast.FuncDecl)
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || fd.Body == nil {
			continue
		}
		name := pkg + "." + fd.Name.Name
		if w := parseWrapper(fd, procs); w != nil {
			w.fn = name
			out[name] = w
		} else {
			forwards[name] = fd
		}
	}
	// func LoadLibrary(libname string) (...) { ...; return _LoadLibrary(_p0) }
	for name, fd := range forwards {
		if w := parseForward(pkg, fd, out); w != nil {
			w.fn = name
			out[name] = w
		}
	}
	return out
}

// firstString returns the first string literal in call's arguments, at
// any depth (NewLazyDLL(sysdll.Add("kernel32.dll"))).
func firstString(call *ast.CallExpr) string {
	var s string
	ast.Inspect(call, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && s == "" {
			s, _ = strconv.Unquote(lit.Value)
		}
		return s == ""
	})
	return s
}

// params returns the index of each named parameter (or result) of fl.
func params(fl *ast.FieldList) map[string]int {
	m := make(map[string]int)
	i := 0
	if fl == nil {
		return m
	}
	for _, field := range fl.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, n := range field.Names {
			m[n.Name] = i
			i++
		}
	}
	return m
}

// strip removes conversions and parentheses: uintptr(unsafe.Pointer(x)) is x.
func strip(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.CallExpr:
			if len(x.Args) != 1 || !isConversion(x.Fun) {
				return e
			}
			e = x.Args[0]
		default:
			return e
		}
	}
}

// isConversion reports whether fun, called with one argument, converts it:
// a basic or exported type name (uintptr(x), Handle(r0), DevInfo(r0)), a
// package's type (unsafe.Pointer(p), windows.Handle(r0)) or a pointer type
// ((*CertContext)(unsafe.Pointer(r0))). Generated wrappers call nothing
// else with one argument but errnoErr(e1), which is lower case.
func isConversion(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name == "uintptr" || strings.HasPrefix(f.Name, "uint") || strings.HasPrefix(f.Name, "int") || ast.IsExported(f.Name)
	case *ast.SelectorExpr:
		return ast.IsExported(f.Sel.Name) && f.Sel.Name != "Errno" && f.Sel.Name != "NTStatus"
	case *ast.ParenExpr:
		_, ok := f.X.(*ast.StarExpr)
		return ok
	case *ast.StarExpr:
		return true
	}
	return false
}

// parseWrapper reads a function whose body calls a procedure of procs
// through syscall.SyscallN or syscall.SyscallK, or returns nil.
func parseWrapper(fd *ast.FuncDecl, procs map[string]string) *wrapper {
	in, outs := params(fd.Type.Params), params(fd.Type.Results)
	var w *wrapper
	var r0 string // the variable the return value is assigned to
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if w != nil {
			return false
		}
		var lhs ast.Expr // the variable the return value goes to, if any
		var call *ast.CallExpr
		switch st := n.(type) {
		case *ast.AssignStmt:
			if len(st.Rhs) != 1 {
				return true
			}
			call, _ = st.Rhs[0].(*ast.CallExpr)
			lhs = st.Lhs[0]
		case *ast.ExprStmt: // syscall.SyscallN(procClosePseudoConsole.Addr(), ...)
			call, _ = st.X.(*ast.CallExpr)
		}
		if call == nil {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !strings.HasPrefix(sel.Sel.Name, "Syscall") || len(call.Args) == 0 {
			return true
		}
		addr, ok := call.Args[0].(*ast.CallExpr)
		if !ok {
			return true
		}
		asel, ok := addr.Fun.(*ast.SelectorExpr)
		if !ok || asel.Sel.Name != "Addr" {
			return true
		}
		pv, ok := asel.X.(*ast.Ident)
		if !ok || procs[pv.Name] == "" {
			return true
		}
		args := call.Args[1:]
		if sel.Sel.Name != "SyscallN" && len(args) > 0 {
			args = args[1:] // the argument count of Syscall, Syscall6, ...
		}
		w = &wrapper{proc: procs[pv.Name], args: make(map[rules.Param]rules.Param), ret: make(map[rules.ResultIndex]bool)}
		for j, a := range args {
			if id, ok := strip(a).(*ast.Ident); ok {
				if k, ok := in[id.Name]; ok {
					w.args[rules.ParamAt(k)] = rules.ParamAt(j)
				}
			}
		}
		if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
			r0 = id.Name
		}
		return false
	})
	if w == nil {
		return nil
	}
	if r0 == "" {
		return w
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			// handle = Handle(r0)
			if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
				if id, ok := n.Lhs[0].(*ast.Ident); ok {
					if r, ok := strip(n.Rhs[0]).(*ast.Ident); ok && r.Name == r0 {
						if k, ok := outs[id.Name]; ok {
							w.ret[rules.ResultAt(k)] = true
						}
					}
				}
			}
		case *ast.IfStmt:
			// if r1 == 0 { err = ... } / if r0 != 0 { err = ... }
			be, ok := n.Cond.(*ast.BinaryExpr)
			if !ok || w.success != "" {
				return true
			}
			x := strip(be.X)
			if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.AND {
				x = strip(b.X) // r1&0xff == 0: a BOOLEAN
			}
			id, ok := x.(*ast.Ident)
			if !ok || id.Name != r0 || !isZero(be.Y) {
				return true
			}
			switch be.Op {
			case token.EQL:
				w.success = "nonzero"
			case token.NEQ:
				w.success = "zero"
			}
		}
		return true
	})
	return w
}

func isZero(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.INT && lit.Value == "0"
}

// parseForward reads a function that ends in `return _X(args...)` for a
// wrapper _X and maps its parameters through.
func parseForward(pkg string, fd *ast.FuncDecl, ws map[string]*wrapper) *wrapper {
	if len(fd.Body.List) == 0 {
		return nil
	}
	ret, ok := fd.Body.List[len(fd.Body.List)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	if !ok {
		return nil
	}
	id, ok := call.Fun.(*ast.Ident)
	if !ok {
		return nil
	}
	inner := ws[pkg+"."+id.Name]
	if inner == nil {
		return nil
	}
	in := params(fd.Type.Params)
	w := &wrapper{proc: inner.proc, args: make(map[rules.Param]rules.Param), ret: inner.ret, success: inner.success}
	for m, a := range call.Args {
		if aid, ok := strip(a).(*ast.Ident); ok {
			if k, ok := in[aid.Name]; ok {
				if j, ok := inner.args[rules.ParamAt(m)]; ok {
					w.args[rules.ParamAt(k)] = j
				}
			}
		}
	}
	return w
}

// packageConsts adds the integer constants with literal values (or simple
// constant expressions of literals) declared in the package's .go files.
func packageConsts(pkg, dir string, consts map[string]string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("%s: %v", file, err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if v, ok := constInt(vs.Values[i]); ok {
						consts[pkg+"."+n.Name] = v
					}
				}
			}
		}
	}
	return nil
}

// constInt evaluates an integer literal, possibly converted or negated.
func constInt(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.INT {
			return "", false
		}
		v := constant.MakeFromLiteral(x.Value, x.Kind, 0)
		return v.ExactString(), v.Kind() == constant.Int
	case *ast.ParenExpr:
		return constInt(x.X)
	case *ast.CallExpr:
		if len(x.Args) == 1 && isConversion(x.Fun) {
			return constInt(x.Args[0])
		}
	case *ast.UnaryExpr:
		if x.Op == token.SUB {
			if v, ok := constInt(x.X); ok {
				return "-" + v, true
			}
		}
	}
	return "", false
}
