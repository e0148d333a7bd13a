package effects

import (
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// A verdict is what a rule's conditions say of one call.
type verdict int

const (
	holds   verdict = iota // every condition holds
	fails                  // some condition is known not to hold
	unknown                // some condition depends on a value not known here
)

// condArgs gives the value of a rule's argument i at one call (nil when it
// has none), and the package whose constants unqualified names denote.
type condArgs struct {
	arg func(i rules.Param) ssa.Value
	pkg *types.Package
}

// eval decides a rule's conditions at one call.
func (o *Oracle) eval(c rules.Cond, at condArgs) verdict {
	if c.GOOS != "" && c.GOOS != o.goos() {
		return fails
	}
	v := holds
	for _, t := range c.When {
		switch o.test(t, at) {
		case fails:
			return fails
		case unknown:
			v = unknown
		}
	}
	return v
}

// test decides one condition. Equals, HasBits, LacksBits and From hold only
// for an argument shown to satisfy them: a constant, or the result of a
// named call. NotEquals holds unless the argument is that constant.
func (o *Oracle) test(t rules.Test, at condArgs) verdict {
	arg := at.arg(t.Arg)
	if arg == nil {
		return unknown
	}
	arg = ownership.Unconvert(arg)
	if t.Op == rules.From {
		if fromCall(arg, t.Funcs) {
			return holds
		}
		return unknown
	}
	k, isConst := arg.(*ssa.Const)
	want, wantNil, err := t.Resolve(at.pkg)
	if err != nil {
		return fails // reported by CheckDeclared, or by Parse for a native procedure
	}
	if !isConst {
		if t.Op == rules.NotEquals {
			return holds
		}
		return unknown
	}
	var ok bool
	switch {
	case wantNil || k.Value == nil:
		eq := wantNil && k.IsNil()
		ok = eq == (t.Op == rules.Equals)
		if t.Op == rules.HasBits || t.Op == rules.LacksBits {
			return unknown
		}
	default:
		got := constant.ToInt(k.Value)
		want = constant.ToInt(want)
		if got.Kind() != constant.Int || want.Kind() != constant.Int {
			return unknown
		}
		switch t.Op {
		case rules.Equals:
			ok = constant.Compare(got, token.EQL, want)
		case rules.NotEquals:
			ok = !constant.Compare(got, token.EQL, want)
		case rules.HasBits:
			ok = constant.Compare(constant.BinaryOp(got, token.AND, want), token.EQL, want)
		case rules.LacksBits:
			ok = constant.Sign(constant.BinaryOp(got, token.AND, want)) == 0
		}
	}
	if ok {
		return holds
	}
	return fails
}

// fromCall reports whether v is a result of a call to one of funcs.
func fromCall(v ssa.Value, funcs []string) bool {
	if x, ok := v.(*ssa.Extract); ok {
		v = x.Tuple
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	obj := callee(call.Common())
	if obj == nil {
		return false
	}
	name := obj.FullName()
	for _, f := range funcs {
		if f == name {
			return true
		}
	}
	return false
}

// GOOS returns the GOOS the package was type-checked for (see goos), or
// "" when it is not known.
func (o *Oracle) GOOS() string { return o.goos() }

// goos returns the GOOS the package was type-checked for: the value of
// runtime.GOOS (a constant) when runtime is among the imports, as it is
// when packages are loaded from source; else (under go vet, where imports
// come from export data) the GOOS in the name of a file that declares an
// object of an imported package (syscall's exec_windows.go). It is ""
// when neither says.
func (o *Oracle) goos() string {
	if o.goosDone {
		return o.goosValue
	}
	o.goosDone = true
	seen := make(map[*types.Package]bool)
	var visited []*types.Package // in the order visited
	work := []*types.Package{o.pass.Pkg}
	for len(work) > 0 {
		p := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		if p.Path() == "runtime" {
			if k, ok := p.Scope().Lookup("GOOS").(*types.Const); ok && k.Val().Kind() == constant.String {
				o.goosValue = constant.StringVal(k.Val())
				return o.goosValue
			}
		}
		if p != o.pass.Pkg {
			visited = append(visited, p)
		}
		work = append(work, p.Imports()...)
	}
	// No runtime: the file names, only now (a package's names are sorted
	// for the look).
	for _, p := range visited {
		if o.goosValue = o.fileGOOS(p); o.goosValue != "" {
			break
		}
	}
	return o.goosValue
}

// fileGOOS returns the GOOS named by the file name of an object that
// package p declares (name_GOOS.go, name_GOOS_GOARCH.go), or "".
func (o *Oracle) fileGOOS(p *types.Package) string {
	scope := p.Scope()
	for _, name := range scope.Names() {
		if goos := nameGOOS(o.pass.Fset.Position(scope.Lookup(name).Pos()).Filename); goos != "" {
			return goos
		}
	}
	return ""
}

// nameGOOS returns the GOOS that a file name names (name_GOOS.go,
// name_GOOS_GOARCH.go, name_GOOS_test.go), or "".
func nameGOOS(file string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(file), ".go"), "_test")
	parts := strings.Split(base, "_")
	for i := len(parts) - 1; i >= 1 && i >= len(parts)-2; i-- {
		if knownGOOS[parts[i]] {
			return parts[i]
		}
	}
	return ""
}

// validErr returns a test of whether a value an error is compared with is
// one of the errors named (a constant or variable, by full name), or nil if
// none resolves from pkg.
func (o *Oracle) validErr(names []string, pkg *types.Package) func(ssa.Value) bool {
	var objs []types.Object
	for _, n := range names {
		if obj := rules.LookupObject(pkg, n); obj != nil {
			objs = append(objs, obj)
		}
	}
	if len(objs) == 0 {
		return nil
	}
	return func(v ssa.Value) bool {
		for _, obj := range objs {
			switch obj := obj.(type) {
			case *types.Const:
				// err == ERROR_ALREADY_EXISTS boxes the constant.
				mi, ok := v.(*ssa.MakeInterface)
				if !ok {
					continue
				}
				k, ok := mi.X.(*ssa.Const)
				if ok && k.Value != nil && types.Identical(k.Type(), obj.Type()) && constant.Compare(k.Value, token.EQL, obj.Val()) {
					return true
				}
			case *types.Var:
				if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
					if g, ok := load.X.(*ssa.Global); ok && g.Object() == obj {
						return true
					}
				}
			}
		}
		return false
	}
}
