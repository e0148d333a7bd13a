package ownership

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// TestOwnVals checks a tracker's own values across the switch from the
// slice to the map: every value set is found with its own info, before
// and after, and a value never set is not.
func TestOwnVals(t *testing.T) {
	var o ownVals
	vals := make([]ssa.Value, 20)
	for i := range vals {
		vals[i] = ssa.NewConst(nil, types.Typ[types.Int]) // distinct pointers
	}
	for i, v := range vals {
		o.set(v, valInfo{role: role(i % 4), root: vals[i/2]})
		for j, w := range vals[:i+1] {
			info, ok := o.get(w)
			if !ok || info.role != role(j%4) || info.root != vals[j/2] || o.root(w) != vals[j/2] {
				t.Fatalf("after %d values, value %d: got %v, %v", i+1, j, info, ok)
			}
		}
		if _, ok := o.get(vals[len(vals)-1]); ok != (i == len(vals)-1) {
			t.Fatalf("after %d values, the last one found: %v", i+1, ok)
		}
	}
}

// TestBlockSet checks that a block set holds the blocks it lists, of its
// own function only (live's sets are shared by all the trackers of one
// Analyze, and a closure's tracker runs in the closure's blocks).
func TestBlockSet(t *testing.T) {
	const src = `package p

func f(c bool) int {
	if c {
		return 1
	}
	return 2
}

func g(c bool) int {
	if c {
		return 3
	}
	return 4
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{}, fset, types.NewPackage("p", "p"), []*ast.File{file}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, g := pkg.Func("f"), pkg.Func("g")
	if len(f.Blocks) != 3 || len(g.Blocks) != 3 {
		t.Fatalf("got %d and %d blocks, want 3 each", len(f.Blocks), len(g.Blocks))
	}
	s := blockSet{f, []int32{0, 2}}
	for _, b := range f.Blocks {
		if got, want := s.has(b), b.Index != 1; got != want {
			t.Errorf("f's block %d: has %v, want %v", b.Index, got, want)
		}
	}
	for _, b := range g.Blocks {
		if s.has(b) {
			t.Errorf("g's block %d: in f's set", b.Index)
		}
	}
}
