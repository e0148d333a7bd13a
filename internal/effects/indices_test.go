package effects

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestIndexSpacesDoNotMix type-checks code that mixes the index spaces of
// the rules (rules.Param, rules.ResultIndex) and of the engine
// (ownership.Operand, ownership.Param, ownership.ResultIndex,
// ownership.FieldIndex) and checks that every mix-up is a type error, and
// that the same code with the named constructors compiles. It fails if
// one of them becomes a plain int or an alias again.
func TestIndexSpacesDoNotMix(t *testing.T) {
	const head = `package p

import (
	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

var (
	src rules.Source
	rel rules.Releaser
	tst rules.Test
	ad  rules.Adopter
	acq ownership.Acquire
	ex  ownership.Export
	n   int
)

`
	// Each line is one mix-up that must not compile.
	mixups := []string{
		`var _ ownership.Operand = rel.Arg`,         // a rule's parameter is not a call operand (the receiver shifts them)
		`var _ ownership.Param = src.Out`,           // nor an index into Function.Params
		`var _ ownership.Operand = tst.Arg`,         // a test's argument either
		`var _ int = ad.Arg`,                        // nor a plain int
		`var _ rules.Param = n`,                     // and an int is not a rule's parameter
		`var _ ownership.ResultIndex = src.Result`,  // the rules' result index is not the engine's
		`var _ rules.ResultIndex = ex.Result`,       // nor the other way
		`var _ rules.Param = rules.ResultIndex(0)`,  // a result is not a parameter
		`var _ = src.Out == rules.NoResult`,         // Out compared with the result sentinel
		`var _ ownership.Operand = ex.Param`,        // Function.Params index is not an operand
		`var _ ownership.ResultIndex = ex.Field`,    // a field is not a result
		`var _ = acq.Result == ownership.NoOperand`, // the result sentinel is not the operand one
		`var _ = acq.Out == ownership.NoResult`,
		`var _ = ex.Field == -1 && ex.Result == ownership.NoParam`,
		// None of them is a plain int.
		`var _ int = acq.Result`,
		`var _ ownership.ResultIndex = n`,
		`var _ int = ex.Field`,
		`var _ rules.ResultIndex = n`,
		`var _ ownership.Operand = n`,
		`var _ ownership.Param = n`,
		`var _ int = tst.Arg`,
	}
	// The same intents, spelled with the named constructors and sentinels.
	fine := []string{
		`var _ rules.Param = rules.ParamAt(n)`,
		`var _ = rel.Arg == rules.Receiver || src.Out == rules.NoParam || src.Result == rules.NoResult`,
		`var _ = tst.Arg.IsParam()`,
		`var _ ownership.ResultIndex = ownership.ResultAt(int(src.Result))`,
		`var _ = acq.Result == ownership.NoResult && acq.Out == ownership.NoOperand && ex.Field == ownership.NoField`,
		`var _ ownership.Operand = ownership.Arg(int(rel.Arg) + 1)`,
	}

	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName | packages.NeedImports | packages.NeedDeps},
		"github.com/handlecheck/handlecheck/rules", "github.com/handlecheck/handlecheck/internal/ownership")
	if err != nil {
		t.Fatal(err)
	}
	byPath := make(map[string]*types.Package)
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("%s: %v", p.PkgPath, p.Errors)
		}
		byPath[p.PkgPath] = p.Types
	}
	imp := importerFunc(func(path string) (*types.Package, error) {
		if p, ok := byPath[path]; ok {
			return p, nil
		}
		return importer.Default().Import(path)
	})
	check := func(lines []string) map[int]string {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", head+strings.Join(lines, "\n")+"\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		errs := make(map[int]string)
		conf := types.Config{Importer: imp, Error: func(err error) {
			te := err.(types.Error)
			errs[fset.Position(te.Pos).Line] = te.Msg
		}}
		conf.Check("p", fset, []*ast.File{f}, nil)
		return errs
	}
	first := strings.Count(head, "\n") + 1
	errs := check(mixups)
	for i, line := range mixups {
		if _, ok := errs[first+i]; !ok {
			t.Errorf("compiles, but mixes two index spaces: %s", line)
		}
		delete(errs, first+i)
	}
	for l, msg := range errs {
		t.Errorf("line %d: unexpected error %s", l, msg)
	}
	for l, msg := range check(fine) {
		t.Errorf("%s: %s", fine[l-first], msg)
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
