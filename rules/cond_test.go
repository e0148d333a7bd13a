package rules

import (
	"go/ast"
	"go/constant"
	"go/importer"
	goparser "go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"testing"
)

const condRules = `resources:
  - name: handle
    release:
      - func: golang.org/x/sys/windows.CloseHandle
      - func: golang.org/x/sys/windows.DuplicateHandle
        arg: 1
        when:
          - {arg: 6, has-bits: DUPLICATE_CLOSE_SOURCE}
          - {arg: 0, from: [golang.org/x/sys/windows.CurrentProcess, golang.org/x/sys/windows.GetCurrentProcess]}
        goos: windows
      - func: Kernel32!CloseHandle
      - {func: golang.org/x/sys/windows.DuplicateHandle, arg: 1, when: [{arg: 6, has-bits: 1}]}
owned:
  - func: golang.org/x/sys/windows.CreatePipe
    resource: handle
    out: 0
  - func: golang.org/x/sys/windows.CreatePipe
    resource: handle
    out: 1
  - func: golang.org/x/sys/windows.CreateProcess
    resource: handle
    out: 9
    field: Process
  - func: golang.org/x/sys/unix.Pipe2
    resource: handle
    out: 0
    index: 1
  - func: golang.org/x/sys/unix.Socketpair
    resource: handle
    result: 0
    index: 1
  - func: golang.org/x/sys/windows.CreateEvent
    resource: handle
    when: [{arg: 3, not-equals: nil}]
    also-valid-with: [golang.org/x/sys/windows.ERROR_ALREADY_EXISTS]
  - func: golang.org/x/sys/windows.CreateEvent
    resource: handle
    when: [{arg: 3, equals: nil}]
  - func: golang.org/x/sys/unix.Signalfd
    resource: handle
    when: [{arg: 0, equals: -0x1}]
    goos: linux
  - func: advapi32.dll!LogonUserW
    resource: handle
    out: 5
    success: nonzero
  - func: C:\Windows\System32\KERNEL32!OpenProcess
    resource: handle
borrowed:
  - func: golang.org/x/sys/windows.GetModuleHandleEx
    resource: handle
    out: 2
    when: [{arg: 0, has-bits: 0x2}, {arg: 0, lacks-bits: GET_MODULE_HANDLE_EX_FLAG_PIN}]
    note: not counted
`

func TestParseConditions(t *testing.T) {
	s := mustMerge(t, mustParse(t, "rules.yaml", condRules))
	handle := s.Resources["handle"]
	const w = "golang.org/x/sys/windows."
	closeSource := Cond{
		When: []Test{
			{Arg: 6, Op: HasBits, Value: "DUPLICATE_CLOSE_SOURCE", Pos: at(8, 32)},
			{Arg: 0, Op: From, Funcs: []string{w + "CurrentProcess", w + "GetCurrentProcess"}, Pos: at(9, 28)},
		},
		GOOS: "windows",
	}
	wantRel := []Releaser{
		{Func: w + "CloseHandle", Resource: handle, Pos: at(4, 15)},
		{Func: w + "DuplicateHandle", Arg: 1, Resource: handle, Cond: closeSource, Pos: at(5, 15)},
		{Func: "kernel32.dll!CloseHandle", Resource: handle, Pos: at(11, 15)},
		{Func: w + "DuplicateHandle", Arg: 1, Resource: handle, Cond: Cond{When: []Test{{Arg: 6, Op: HasBits, Value: "1", Pos: at(12, 92)}}}, Pos: at(12, 16)},
	}
	if len(handle.Release) != len(wantRel) {
		t.Fatalf("got %d releasers, want %d", len(handle.Release), len(wantRel))
	}
	for i, r := range handle.Release {
		if !reflect.DeepEqual(*r, wantRel[i]) {
			t.Errorf("releaser %d = %+v\nwant %+v", i, *r, wantRel[i])
		}
	}
	if rels := s.Releasers["kernel32.dll!CloseHandle"]; len(rels) != 1 {
		t.Errorf("Releasers[kernel32.dll!CloseHandle] = %v", rels)
	}
	if rels := s.Releasers[w+"DuplicateHandle"]; len(rels) != 2 {
		t.Errorf("Releasers[DuplicateHandle] = %v", rels)
	}

	src := func(fn string, line int, s Source) Source {
		s.Func, s.Resource, s.Pos = fn, handle, at(line, 11)
		return s
	}
	wantSrc := map[string][]Source{
		w + "CreatePipe": {
			src(w+"CreatePipe", 14, Source{Result: NoResult, Out: 0, Index: -1}),
			src(w+"CreatePipe", 17, Source{Result: NoResult, Out: 1, Index: -1}),
		},
		w + "CreateProcess":                {src(w+"CreateProcess", 20, Source{Result: NoResult, Out: 9, Field: "Process", Index: -1})},
		"golang.org/x/sys/unix.Pipe2":      {src("golang.org/x/sys/unix.Pipe2", 24, Source{Result: NoResult, Out: 0, Index: 1})},
		"golang.org/x/sys/unix.Socketpair": {src("golang.org/x/sys/unix.Socketpair", 28, Source{Result: 0, Out: NoParam, Index: 1})},
		w + "CreateEvent": {
			src(w+"CreateEvent", 32, Source{Result: 0, Out: NoParam, Index: -1,
				ValidErrs: []string{w + "ERROR_ALREADY_EXISTS"},
				Cond:      Cond{When: []Test{{Arg: 3, Op: NotEquals, Value: "nil", Pos: at(34, 33)}}}}),
			src(w+"CreateEvent", 36, Source{Result: 0, Out: NoParam, Index: -1,
				Cond: Cond{When: []Test{{Arg: 3, Op: Equals, Value: "nil", Pos: at(38, 29)}}}}),
		},
		"golang.org/x/sys/unix.Signalfd": {src("golang.org/x/sys/unix.Signalfd", 39, Source{Result: 0, Out: NoParam, Index: -1,
			Cond: Cond{When: []Test{{Arg: 0, Op: Equals, Value: "-0x1", Pos: at(41, 29)}}, GOOS: "linux"}})},
		"advapi32.dll!LogonUserW":  {src("advapi32.dll!LogonUserW", 43, Source{Result: NoResult, Out: 5, Index: -1, Success: "nonzero"})},
		"kernel32.dll!OpenProcess": {src("kernel32.dll!OpenProcess", 47, Source{Result: 0, Out: NoParam, Index: -1})},
		w + "GetModuleHandleEx": {src(w+"GetModuleHandleEx", 50, Source{Borrowed: true, Result: NoResult, Out: 2, Index: -1, Note: "not counted",
			Cond: Cond{When: []Test{
				{Arg: 0, Op: HasBits, Value: "0x2", Pos: at(53, 31)},
				{Arg: 0, Op: LacksBits, Value: "GET_MODULE_HANDLE_EX_FLAG_PIN", Pos: at(53, 58)},
			}}})},
	}
	if len(s.Sources) != len(wantSrc) {
		t.Errorf("got %d functions with sources, want %d", len(s.Sources), len(wantSrc))
	}
	for fn, want := range wantSrc {
		got := s.Sources[fn]
		if len(got) != len(want) {
			t.Errorf("Sources[%s] has %d rules, want %d", fn, len(got), len(want))
			continue
		}
		for i := range want {
			if !reflect.DeepEqual(*got[i], want[i]) {
				t.Errorf("Sources[%s][%d] = %+v\nwant %+v", fn, i, *got[i], want[i])
			}
		}
	}
}

func TestMergeConditions(t *testing.T) {
	defaults := mustParse(t, "rules.yaml", condRules)
	user := mustParse(t, "user.yaml", `resources:
  - name: handle
    release:
      - {func: golang.org/x/sys/windows.DuplicateHandle, arg: 1, goos: windows, when: [{arg: 0, from: [golang.org/x/sys/windows.GetCurrentProcess, golang.org/x/sys/windows.CurrentProcess]}, {arg: 6, has-bits: DUPLICATE_CLOSE_SOURCE}]}
      - {func: golang.org/x/sys/windows.DuplicateHandle, arg: 1, goos: linux, when: [{arg: 6, has-bits: DUPLICATE_CLOSE_SOURCE}]}
owned:
  - {func: golang.org/x/sys/windows.CreatePipe, resource: handle, out: 1}
  - {func: golang.org/x/sys/windows.CreateEvent, resource: handle, error-gate: false}
`)
	s := mustMerge(t, defaults, user)
	// The first user releaser has the conditions of a default one in
	// another order: not added again. The second differs by its GOOS.
	if n := len(s.Releasers["golang.org/x/sys/windows.DuplicateHandle"]); n != 3 {
		t.Errorf("DuplicateHandle has %d release rules, want 3", n)
	}
	// The user's rules replace all the default rules of their functions.
	pipe := s.Sources["golang.org/x/sys/windows.CreatePipe"]
	if len(pipe) != 1 || pipe[0].Out != 1 || pipe[0].Pos.File != "user.yaml" {
		t.Errorf("CreatePipe = %v, want the user's one rule", pipe)
	}
	ev := s.Sources["golang.org/x/sys/windows.CreateEvent"]
	if len(ev) != 1 || !ev[0].NoErrorGate || ev[0].When != nil || ev[0].ValidErrs != nil {
		t.Errorf("CreateEvent = %+v, want the user's one rule", ev)
	}
	if n := len(s.Sources["advapi32.dll!LogonUserW"]); n != 1 {
		t.Errorf("LogonUserW has %d rules, want the default one", n)
	}
	// Merge leaves its files alone, and the Set shares no conditions with them.
	again := mustMerge(t, defaults)
	if n := len(again.Sources["golang.org/x/sys/windows.CreatePipe"]); n != 2 {
		t.Errorf("defaults merged again: CreatePipe has %d rules, want 2", n)
	}
	again.Sources["golang.org/x/sys/windows.CreateEvent"][0].When[0].Value = "changed"
	again.Resources["handle"].Release[1].When[1].Funcs[0] = "changed"
	third := mustMerge(t, defaults)
	if v := third.Sources["golang.org/x/sys/windows.CreateEvent"][0].When[0].Value; v != "nil" {
		t.Errorf("a Set shares its tests with the file: value %q", v)
	}
	if f := third.Resources["handle"].Release[1].When[1].Funcs[0]; f == "changed" {
		t.Errorf("a Set shares its from lists with the file")
	}
}

const condSrc = `package windows

import "example.com/errs"

type Handle uintptr

type ProcessInformation struct {
	Process Handle
	Thread  Handle
	inner
}

type inner struct{ Promoted Handle }

type Pair [2]int

const (
	DUPLICATE_CLOSE_SOURCE = 0x1
	NEG                    = -2
	ZERO                   = 0
	NAME                   = "x"
	ALIAS                  = errs.ERROR_ALREADY_EXISTS
)

var ErrVar = errs.ERROR_ALREADY_EXISTS

func CreateProcess(name *uint16, pi *ProcessInformation) error { return nil }
func Pipe2(p []int, flags int) error                          { return nil }
func PipeArr(p *[2]int) error                                 { return nil }
func Socketpair() (fd [2]int, err error)                      { return }
func Named() (p Pair)                                         { return }
func Open(name string, flags int) (Handle, error)             { return 0, nil }
func Vari(fds ...int)                                         {}
func CurrentProcess() Handle                                  { return 0 }
func (h Handle) Close() error                                 { return nil }
func (h *Handle) Reset()                                      {}
`

const errsSrc = `package errs

type Errno uintptr

const ERROR_ALREADY_EXISTS Errno = 183

var Sentinel error
`

// condPackage type-checks condSrc as golang.org/x/sys/windows, importing
// errsSrc as example.com/errs.
func condPackage(t *testing.T) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	check := func(path, src string, imp types.Importer) *types.Package {
		file, err := goparser.ParseFile(fset, path+".go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		conf := types.Config{Importer: imp}
		pkg, err := conf.Check(path, fset, []*ast.File{file}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return pkg
	}
	errs := check("example.com/errs", errsSrc, importer.Default())
	return check("golang.org/x/sys/windows", condSrc, importerFunc(func(path string) (*types.Package, error) {
		if path == "example.com/errs" {
			return errs, nil
		}
		return importer.Default().Import(path)
	}))
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func TestCheckFieldIndexWhen(t *testing.T) {
	pkg := condPackage(t)
	sig := func(name string) *types.Signature {
		if obj := LookupObject(pkg, name); obj != nil {
			return obj.(*types.Func).Signature()
		}
		return pkg.Scope().Lookup(name).(*types.Func).Signature()
	}
	pos := Pos{File: "rules.yaml", Line: 7, Col: 11}
	tpos := Pos{File: "rules.yaml", Line: 9, Col: 20}
	when := func(args ...Param) Cond {
		var c Cond
		for _, a := range args {
			c.When = append(c.When, Test{Arg: a, Op: Equals, Value: "0", Pos: tpos})
		}
		return c
	}
	tests := []struct {
		name string
		rule interface{ Check(*types.Signature) error }
		sig  string
		want string
		pos  Pos
	}{
		{"field", &Source{Func: "CreateProcess", Out: 1, Result: NoResult, Index: -1, Field: "Thread", Pos: pos}, "CreateProcess", "", pos},
		{"promoted field", &Source{Func: "CreateProcess", Out: 1, Result: NoResult, Index: -1, Field: "Promoted", Pos: pos}, "CreateProcess", "", pos},
		{"unexported field", &Source{Func: "CreateProcess", Out: 1, Result: NoResult, Index: -1, Field: "inner", Pos: pos}, "CreateProcess", "", pos},
		{"no such field", &Source{Func: "CreateProcess", Out: 1, Result: NoResult, Index: -1, Field: "Proc", Pos: pos}, "CreateProcess",
			"field: Proc is not a field of windows.ProcessInformation, which out 1 points to", pos},
		{"field of non-struct", &Source{Func: "CreateProcess", Out: 0, Result: NoResult, Index: -1, Field: "Process", Pos: pos}, "CreateProcess",
			"field: out 0 points to uint16, not a struct", pos},
		{"field of non-pointer", &Source{Func: "Pipe2", Out: 1, Result: NoResult, Index: -1, Field: "Process", Pos: pos}, "Pipe2",
			"out: 1 names parameter flags int, not a pointer", pos},
		{"index of slice", &Source{Func: "Pipe2", Out: 0, Result: NoResult, Index: 1, Pos: pos}, "Pipe2", "", pos},
		{"index of variadic", &Source{Func: "Vari", Out: 0, Result: NoResult, Index: 5, Pos: pos}, "Vari", "", pos},
		{"index of pointer to array", &Source{Func: "PipeArr", Out: 0, Result: NoResult, Index: 1, Pos: pos}, "PipeArr", "", pos},
		{"index out of array", &Source{Func: "PipeArr", Out: 0, Result: NoResult, Index: 2, Pos: pos}, "PipeArr",
			"index: 2 is out of bounds of [2]int (length 2), which out 0 names", pos},
		{"index of int", &Source{Func: "Pipe2", Out: 1, Result: NoResult, Index: 0, Pos: pos}, "Pipe2",
			"index: out 1 names parameter flags int, not a slice or a pointer to an array", pos},
		{"index of pointer to struct", &Source{Func: "CreateProcess", Out: 1, Result: NoResult, Index: 0, Pos: pos}, "CreateProcess",
			"index: out 1 names parameter pi *windows.ProcessInformation, not a slice or a pointer to an array", pos},
		{"index of array result", &Source{Func: "Socketpair", Out: NoParam, Result: 0, Index: 1, Pos: pos}, "Socketpair", "", pos},
		{"index of named array result", &Source{Func: "Named", Out: NoParam, Result: 0, Index: 0, Pos: pos}, "Named", "", pos},
		{"index out of array result", &Source{Func: "Socketpair", Out: NoParam, Result: 0, Index: 2, Pos: pos}, "Socketpair",
			"index: 2 is out of bounds of [2]int (length 2), which result 0 names", pos},
		{"index of error result", &Source{Func: "Socketpair", Out: NoParam, Result: 1, Index: 0, Pos: pos}, "Socketpair",
			"index: result 1 names result err error, not an array", pos},
		{"index of unnamed result", &Source{Func: "Open", Out: NoParam, Result: 0, Index: 0, Pos: pos}, "Open",
			"index: result 0 names a result of type windows.Handle, not an array", pos},
		{"when", &Source{Func: "Open", Out: NoParam, Result: 0, Index: -1, Cond: when(0, 1), Pos: pos}, "Open", "", pos},
		{"when arg out of range", &Source{Func: "Open", Out: NoParam, Result: 0, Index: -1, Cond: when(1, 2), Pos: pos}, "Open",
			"when: arg 2 is not a parameter of Open (it has 2 parameters)", tpos},
		{"releaser when", &Releaser{Func: "Pipe2", Arg: 0, Cond: when(1), Pos: pos}, "Pipe2", "", pos},
		{"releaser when out of range", &Releaser{Func: "Pipe2", Arg: 0, Cond: when(2), Pos: pos}, "Pipe2",
			"when: arg 2 is not a parameter of Pipe2 (it has 2 parameters)", tpos},
		{"releaser arg before when", &Releaser{Func: "Pipe2", Arg: 3, Cond: when(2), Pos: pos}, "Pipe2",
			"arg: 3 is not a parameter of Pipe2", pos},
		{"native source", &Source{Func: "advapi32.dll!LogonUserW", Out: 5, Result: NoResult, Index: 3, Field: "X", Cond: when(9), Pos: pos}, "", "", pos},
		{"native releaser", &Releaser{Func: "kernel32.dll!CloseHandle", Arg: 4, Cond: when(9), Pos: pos}, "", "", pos},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *types.Signature
			if tt.sig != "" {
				s = sig(tt.sig)
			}
			wantCheck(t, tt.rule.Check(s), tt.pos, tt.want)
		})
	}
}

func TestResolve(t *testing.T) {
	pkg := condPackage(t)
	pos := Pos{File: "rules.yaml", Line: 3, Col: 9}
	tests := []struct {
		op     TestOp
		value  string
		want   string // constant.Value.ExactString, or "nil"
		errMsg string
	}{
		{Equals, "0", "0", ""},
		{Equals, "-1", "-1", ""},
		{Equals, "-0x10", "-16", ""},
		{HasBits, "0x8000_0000", "2147483648", ""},
		{NotEquals, "0o17", "15", ""},
		{Equals, "18446744073709551615", "18446744073709551615", ""},
		{Equals, "nil", "nil", ""},
		{NotEquals, "nil", "nil", ""},
		{HasBits, "DUPLICATE_CLOSE_SOURCE", "1", ""},
		{Equals, "NEG", "-2", ""},
		{Equals, "NAME", `"x"`, ""},
		{Equals, "ALIAS", "183", ""},
		{Equals, "golang.org/x/sys/windows.DUPLICATE_CLOSE_SOURCE", "1", ""},
		{Equals, "example.com/errs.ERROR_ALREADY_EXISTS", "183", ""},
		{Equals, "unsafe.Sizeof", "", "equals: unsafe.Sizeof is not declared in package golang.org/x/sys/windows or the packages it imports"},
		{Equals, "NOSUCH", "", "equals: NOSUCH is not declared in package golang.org/x/sys/windows"},
		{Equals, "ErrVar", "", "equals: ErrVar is a variable, not a constant"},
		{Equals, "Open", "", "equals: Open is a function, not a constant"},
		{Equals, "Handle", "", "equals: Handle is a type, not a constant"},
		{Equals, "example.com/errs.Sentinel", "", "equals: example.com/errs.Sentinel is a variable, not a constant"},
		{Equals, "example.com/errs.NOSUCH", "", "is not declared in package golang.org/x/sys/windows or the packages it imports"},
		{Equals, "example.com/other.X", "", "is not declared in package golang.org/x/sys/windows or the packages it imports"},
		{HasBits, "nil", "", "has-bits: want a bit mask, not nil"},
		{LacksBits, "NEG", "", "lacks-bits: NEG is negative (-2), not a bit mask"},
		{HasBits, "-1", "", "has-bits: -1 is negative (-1), not a bit mask"},
		{HasBits, "ZERO", "", "has-bits: ZERO is 0, which has no bits: the test always holds"},
		{LacksBits, "NAME", "", `lacks-bits: NAME is "x", not an integer bit mask`},
		{Equals, "", "", "equals: no value"},
	}
	for _, tt := range tests {
		v, isNil, err := Test{Arg: 0, Op: tt.op, Value: tt.value, Pos: pos}.Resolve(pkg)
		got := "nil"
		if v != nil {
			got = v.ExactString()
		}
		switch {
		case tt.errMsg != "":
			e, ok := err.(*Error)
			if !ok || e.Pos != pos || !strings.Contains(e.Msg, tt.errMsg) {
				t.Errorf("%s %s: got %s, %v, %v; want *Error %v: %s", tt.op, tt.value, got, isNil, err, pos, tt.errMsg)
			}
		case err != nil:
			t.Errorf("%s %s: %v", tt.op, tt.value, err)
		case got != tt.want || isNil != (tt.want == "nil"):
			t.Errorf("%s %s = %s, isNil %v; want %s", tt.op, tt.value, got, isNil, tt.want)
		}
	}
	if v, isNil, err := (Test{Op: From, Funcs: []string{"os.Getpid"}}).Resolve(pkg); v != nil || isNil || err != nil {
		t.Errorf("from: Resolve = %v, %v, %v; want nothing", v, isNil, err)
	}
	if _, _, err := (Test{Op: Equals, Value: "X", Pos: pos}).Resolve(nil); err == nil {
		t.Errorf("Resolve(nil) of a name succeeded")
	}
	if v, _, err := (Test{Op: Equals, Value: "7", Pos: pos}).Resolve(nil); err != nil || constant.Compare(v, token.EQL, constant.MakeInt64(7)) != true {
		t.Errorf("Resolve(nil) of a literal = %v, %v", v, err)
	}
}

func TestLookupObject(t *testing.T) {
	pkg := condPackage(t)
	for full, want := range map[string]string{
		"golang.org/x/sys/windows.CurrentProcess":         "func golang.org/x/sys/windows.CurrentProcess() golang.org/x/sys/windows.Handle",
		"example.com/errs.ERROR_ALREADY_EXISTS":           "const example.com/errs.ERROR_ALREADY_EXISTS example.com/errs.Errno",
		"example.com/errs.Sentinel":                       "var example.com/errs.Sentinel error",
		"(golang.org/x/sys/windows.Handle).Close":         "func (golang.org/x/sys/windows.Handle).Close() error",
		"(*golang.org/x/sys/windows.Handle).Reset":        "func (*golang.org/x/sys/windows.Handle).Reset()",
		"(golang.org/x/sys/windows.Handle).Reset":         "",
		"(*golang.org/x/sys/windows.Handle).Close":        "",
		"(golang.org/x/sys/windows.Handle).Nope":          "",
		"(golang.org/x/sys/windows.CurrentProcess).Close": "",
		"golang.org/x/sys/windows.Nope":                   "",
		"example.com/other.X":                             "",
		"CurrentProcess":                                  "",
		"(golang.org/x/sys/windows.Handle.Close":          "",
		"(golang.org/x/sys/windows.Handle)Close":          "",
		"golang.org/x/sys/windows.inner":                  "type golang.org/x/sys/windows.inner struct{Promoted golang.org/x/sys/windows.Handle}",
	} {
		got := ""
		if obj := LookupObject(pkg, full); obj != nil {
			got = obj.String()
		}
		if got != want {
			t.Errorf("LookupObject(%s) = %q, want %q", full, got, want)
		}
	}
	if LookupObject(nil, "os.Exit") != nil {
		t.Error("LookupObject(nil) found something")
	}
}
