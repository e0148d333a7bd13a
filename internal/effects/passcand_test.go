package effects

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// TestPassCandidateConstraints checks which generic functions make a
// package worth analyzing for pass-through summaries alone: a type
// parameter that may be a handle (an integer, a pointer, an interface,
// unconstrained) is a candidate; one whose every term is a slice, a map or
// a string (slices.Clip, maps.Clone) is not, as no handle can be of that
// type.
func TestPassCandidateConstraints(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"func Must[T any](v T, err error) T { return v }", true},
		{"func Max[T comparable](v T) T { return v }", true},
		{"type Int interface{ ~int | ~uintptr }; func N[I Int](n I) I { return n }", true},
		{"func P[Q ~*int](q Q) Q { return q }", true},
		{"func S[T interface{ ~[]byte | ~uintptr }](v T) T { return v }", true},
		{"type Stringer interface{ String() string }; func St[T Stringer](v T) T { return v }", true},
		{"func Clip[S ~[]E, E any](s S) S { return s }", false},
		{"func Clone[M ~map[K]V, K comparable, V any](m M) M { return m }", false},
		{"func Str[S ~string](s S) S { return s }", false},
		{"type Ordered interface{ ~int | ~string }; func Keys[S ~[]E, E Ordered](s S) S { return s }", false},
		{"func unexported[T any](v T) T { return v }", false},
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", "package p\n"+tc.src+"\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := (&types.Config{Importer: importer.Default()}).Check("example.com/p", fset, []*ast.File{f}, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if got := exportsPassCandidate(pkg); got != tc.want {
			t.Errorf("%s: exportsPassCandidate = %v, want %v", tc.src, got, tc.want)
		}
	}
}
