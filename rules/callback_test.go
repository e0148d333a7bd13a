package rules

import (
	"go/ast"
	"go/importer"
	goparser "go/parser"
	"go/token"
	"go/types"
	"testing"
)

const callbackRules = `resources:
  - name: fd
    release:
      - func: syscall.Close
borrowed:
  - func: (syscall.RawConn).Control
    resource: fd
    callback: {arg: 0, param: 0}
    note: valid while the callback runs
  - func: (syscall.RawConn).Read
    resource: fd
    callback: {arg: 0, param: 0}
    goos: linux
`

func TestParseCallback(t *testing.T) {
	s := mustMerge(t, mustParse(t, "rules.yaml", callbackRules))
	fd := s.Resources["fd"]
	got := s.Callbacks["(syscall.RawConn).Control"]
	want := Callback{Func: "(syscall.RawConn).Control", Arg: 0, Param: 0, Resource: fd, Note: "valid while the callback runs", Pos: at(6, 11)}
	if len(got) != 1 || *got[0] != want {
		t.Errorf("Callbacks[Control] = %+v, want [%+v]", got, want)
	}
	if got := s.Callbacks["(syscall.RawConn).Read"]; len(got) != 1 || got[0].GOOS != "linux" {
		t.Errorf("Callbacks[Read] = %+v, want one for linux", got)
	}
	if len(s.Sources) != 0 {
		t.Errorf("Sources = %v, want none: a callback rule is no source of the call", s.Sources)
	}
	if k := s.Knows("(syscall.RawConn).Control"); k != KnownCallback {
		t.Errorf("Knows(Control) = %b, want KnownCallback", k)
	}

	// A later file's callback rules for a function replace the earlier ones.
	user := mustParse(t, "user.yaml", "borrowed:\n  - func: (syscall.RawConn).Control\n    resource: fd\n    callback: {arg: 0, param: 1}\n")
	s = mustMerge(t, mustParse(t, "rules.yaml", callbackRules), user)
	if got := s.Callbacks["(syscall.RawConn).Control"]; len(got) != 1 || got[0].Param != 1 || got[0].Pos.File != "user.yaml" {
		t.Errorf("Callbacks[Control] after user.yaml = %+v, want user.yaml's param 1", got)
	}

	// Its resource is resolved as a source's.
	bad := mustParse(t, "user.yaml", "borrowed:\n  - func: (syscall.RawConn).Control\n    resource: fdd\n    callback: {arg: 0, param: 0}\n")
	if _, err := Merge(bad); err == nil || err.Error() != `user.yaml:3:15: unknown resource "fdd"` {
		t.Errorf("Merge error = %v, want unknown resource at 3:15", err)
	}
}

// borrowedCallback wraps a borrowed rule's extra lines after func and
// resource, which are lines 2 and 3.
func borrowedCallback(extra string) string {
	return "borrowed:\n  - func: (syscall.RawConn).Control\n    resource: fd\n" + extra
}

func TestParseCallbackErrors(t *testing.T) {
	tests := []struct {
		name, data string
		pos        string // "line:col"
		msg        string // substring of the message
	}{
		{"owned", "owned:\n  - func: os.Open\n    resource: file\n    callback: {arg: 0, param: 0}\n", "4:5", "callback: only in a borrowed rule"},
		{"not a mapping", borrowedCallback("    callback: 0\n"), "4:15", "callback: want a mapping, got int \"0\""},
		{"missing param", borrowedCallback("    callback: {arg: 0}\n"), "4:15", "missing param in callback"},
		{"missing arg", borrowedCallback("    callback: {param: 0}\n"), "4:15", "missing arg in callback"},
		{"unknown key", borrowedCallback("    callback: {arg: 0, parm: 0}\n"), "4:24", `unknown key "parm" in callback (want arg, param)`},
		{"negative", borrowedCallback("    callback: {arg: -1, param: 0}\n"), "4:21", `arg: want a non-negative integer, got "-1"`},
		{"too large", borrowedCallback("    callback: {arg: 0, param: 2000}\n"), "4:31", `param: "2000" is too large`},
		{"with result", borrowedCallback("    callback: {arg: 0, param: 0}\n    result: 0\n"), "5:13", "result: not with callback"},
		{"with out", borrowedCallback("    out: 0\n    callback: {arg: 0, param: 0}\n"), "4:10", "out: not with callback"},
		{"with when", borrowedCallback("    callback: {arg: 0, param: 0}\n    when: [{arg: 0, equals: 0}]\n"), "5:11", "when: not with callback"},
		{"native", "borrowed:\n  - func: ws2_32.dll!WSAIoctl\n    resource: fd\n    callback: {arg: 0, param: 0}\n", "2:11", "native procedure"},
		{"no resource", "borrowed:\n  - func: (syscall.RawConn).Control\n    callback: {arg: 0, param: 0}\n", "2:5", "missing resource"},
		{"bad goos", borrowedCallback("    callback: {arg: 0, param: 0}\n    goos: linx\n"), "5:11", `goos: unknown GOOS "linx"`},
		{"duplicate", borrowedCallback("    callback: {arg: 0, param: 0}\n") + "  - func: (syscall.RawConn).Control\n    resource: fd\n    callback: {arg: 0, param: 0}\n",
			"5:11", "duplicate callback rule for (syscall.RawConn).Control (arg 0, param 0; first at line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantParseError(t, tt.data, tt.pos, tt.msg)
		})
	}
}

const callbackSrc = `package p

type RawConn interface {
	Control(f func(fd uintptr)) error
}

func Number(n int) {}
`

// TestCheckCallback checks callback rules against the declaration, as
// CheckDeclared does once the package is loaded.
func TestCheckCallback(t *testing.T) {
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "p.go", callbackSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("example.com/p", fset, []*ast.File{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, rule string
		want       string // "" for no error
	}{
		{"fits", "(example.com/p.RawConn).Control\n    resource: fd\n    callback: {arg: 0, param: 0}\n", ""},
		{"arg beyond", "(example.com/p.RawConn).Control\n    resource: fd\n    callback: {arg: 1, param: 0}\n",
			"rules.yaml:2:11: callback: arg 1 is not a parameter of (example.com/p.RawConn).Control (it has 1 parameter)"},
		{"param beyond", "(example.com/p.RawConn).Control\n    resource: fd\n    callback: {arg: 0, param: 1}\n",
			"rules.yaml:2:11: callback: param 1 is not a parameter of the function that (example.com/p.RawConn).Control takes as arg 0 (it has 1 parameter)"},
		{"not a function", "example.com/p.Number\n    resource: fd\n    callback: {arg: 0, param: 0}\n",
			"rules.yaml:2:11: callback: arg 0 names parameter n int, not a function"},
		{"other goos", "example.com/p.Number\n    resource: fd\n    callback: {arg: 0, param: 0}\n    goos: windows\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustMerge(t, mustParse(t, "rules.yaml", "borrowed:\n  - func: "+tt.rule+"resources:\n  - name: fd\n    release: [{func: example.com/p.Number}]\n"))
			err := s.CheckDeclared(pkg, "linux", true)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckDeclared: %v", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("CheckDeclared: %v\nwant %s", err, tt.want)
			}
		})
	}
}
