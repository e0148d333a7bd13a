package rules

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// A default rule that does not fit the version of its package in the
// build list (golang.org/x/sys of 2019, where unix.Signalfd had no result)
// must not stop the run; the same rule in a user's file must.
func TestBuiltinMisfitIsNotAnError(t *testing.T) {
	const src = `package unix
func Signalfd(fd int, sigmask *int, flags int) {}
`
	fset := token.NewFileSet()
	f, err := goparser.ParseFile(fset, "unix.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("golang.org/x/sys/unix", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const rulesText = `resources:
  - name: fd
    release:
      - func: golang.org/x/sys/unix.Close
owned:
  - func: golang.org/x/sys/unix.Signalfd
    resource: fd
`
	for _, tc := range []struct {
		parse   func(string, []byte) (*File, error)
		wantErr bool
	}{
		{Parse, true},
		{ParseBuiltin, false},
	} {
		file, err := tc.parse("rules.yaml", []byte(rulesText))
		if err != nil {
			t.Fatal(err)
		}
		set, err := Merge(file)
		if err != nil {
			t.Fatal(err)
		}
		all := set.CheckDeclared(pkg, "linux", true)
		if all == nil || !strings.Contains(all.Error(), "rules.yaml:6:") {
			t.Fatalf("CheckDeclared: want the misfit reported at rules.yaml:6, got %v", all)
		}
		if got := User(all); (got != nil) != tc.wantErr {
			t.Errorf("%s: User(%v) = %v, want error: %v", map[bool]string{true: "user file", false: "builtin file"}[tc.wantErr], all, got, tc.wantErr)
		}
	}
}
