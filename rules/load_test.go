package rules

import (
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	goparser "go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"testing"
	"time"
)

const validRules = `# defaults
resources:
  - name: handle
    release:
      - func: golang.org/x/sys/windows.CloseHandle
      - func: (golang.org/x/sys/windows.Handle).Close
  - name: token
    release:
      - func: (golang.org/x/sys/windows.Token).Close
      - func: golang.org/x/sys/windows.CloseHandle
        arg: 0
owned:
  - func: golang.org/x/sys/windows.OpenProcessToken
    resource: token
    out: 2
  - func: golang.org/x/sys/windows.CreateEvent
    resource: handle
    error-gate: false
borrowed:
  - func: golang.org/x/sys/windows.GetCurrentProcessToken
    resource: token
    result: 0
    note: a pseudo-token the caller must not close
  - {func: golang.org/x/sys/windows.GetCurrentProcess, resource: handle, error-gate: true}
adopts:
  - func: os.NewFile
  - func: (*os.File).Adopt
    arg: 1
uses:
  - package: golang.org/x/sys/windows
  - func: fmt.Sprint
noreturn:
  - func: os.Exit
`

func mustParse(t *testing.T, name, data string) *File {
	t.Helper()
	f, err := Parse(name, []byte(data))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

func mustMerge(t *testing.T, files ...*File) *Set {
	t.Helper()
	s, err := Merge(files...)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	return s
}

func at(line, col int) Pos { return Pos{File: "rules.yaml", Line: line, Col: col} }

func TestParseValid(t *testing.T) {
	s := mustMerge(t, mustParse(t, "rules.yaml", validRules))

	handle, token := s.Resources["handle"], s.Resources["token"]
	if len(s.Resources) != 2 || handle == nil || token == nil {
		t.Fatalf("Resources = %v, want handle and token", s.Resources)
	}
	if handle.Pos != at(3, 11) {
		t.Errorf("handle.Pos = %v", handle.Pos)
	}
	wantRel := []Releaser{
		{Func: "golang.org/x/sys/windows.CloseHandle", Arg: 0, Resource: handle, Pos: at(5, 15)},
		{Func: "(golang.org/x/sys/windows.Handle).Close", Arg: Receiver, Resource: handle, Pos: at(6, 15)},
		{Func: "(golang.org/x/sys/windows.Token).Close", Arg: Receiver, Resource: token, Pos: at(9, 15)},
		{Func: "golang.org/x/sys/windows.CloseHandle", Arg: 0, Resource: token, Pos: at(10, 15)},
	}
	got := append(append([]*Releaser(nil), handle.Release...), token.Release...)
	if len(got) != len(wantRel) {
		t.Fatalf("got %d releasers, want %d", len(got), len(wantRel))
	}
	for i, r := range got {
		if !reflect.DeepEqual(*r, wantRel[i]) {
			t.Errorf("releaser %d = %+v, want %+v", i, *r, wantRel[i])
		}
	}
	if rels := s.Releasers["golang.org/x/sys/windows.CloseHandle"]; len(rels) != 2 || rels[0] != handle.Release[0] || rels[1] != token.Release[1] {
		t.Errorf("Releasers[CloseHandle] = %v", rels)
	}

	wantSrc := map[string]Source{
		"golang.org/x/sys/windows.OpenProcessToken": {Resource: token, Result: NoResult, Out: 2, Pos: at(13, 11)},
		"golang.org/x/sys/windows.CreateEvent":      {Resource: handle, Result: 0, Out: NoParam, NoErrorGate: true, Pos: at(16, 11)},
		"golang.org/x/sys/windows.GetCurrentProcessToken": {Resource: token, Borrowed: true, Result: 0, Out: NoParam,
			Note: "a pseudo-token the caller must not close", Pos: at(20, 11)},
		"golang.org/x/sys/windows.GetCurrentProcess": {Resource: handle, Borrowed: true, Result: 0, Out: NoParam, Pos: at(24, 12)},
	}
	if len(s.Sources) != len(wantSrc) {
		t.Errorf("got %d sources, want %d", len(s.Sources), len(wantSrc))
	}
	for fn, want := range wantSrc {
		want.Func, want.Index = fn, -1
		if got := s.Sources[fn]; len(got) != 1 || !reflect.DeepEqual(*got[0], want) {
			t.Errorf("Sources[%s] = %+v, want [%+v]", fn, got, want)
		}
	}

	wantAdopt := map[string]Adopter{
		"os.NewFile":       {Func: "os.NewFile", Arg: 0, Pos: at(26, 11)},
		"(*os.File).Adopt": {Func: "(*os.File).Adopt", Arg: 1, Pos: at(27, 11)},
	}
	if len(s.Adopters) != len(wantAdopt) {
		t.Errorf("got %d adopters, want %d", len(s.Adopters), len(wantAdopt))
	}
	for fn, want := range wantAdopt {
		if got := s.Adopters[fn]; got == nil || *got != want {
			t.Errorf("Adopters[%s] = %+v, want %+v", fn, got, want)
		}
	}
	checkPosMap(t, "UsePackages", s.UsePackages, map[string]Pos{"golang.org/x/sys/windows": at(30, 14)})
	checkPosMap(t, "UseFuncs", s.UseFuncs, map[string]Pos{"fmt.Sprint": at(31, 11)})
	checkPosMap(t, "NoReturn", s.NoReturn, map[string]Pos{"os.Exit": at(33, 11)})
}

// releasers lists the short names of res's release functions.
func releasers(res *Resource) string {
	var names []string
	for _, r := range res.Release {
		names = append(names, ShortName(r.Func))
	}
	return strings.Join(names, ", ")
}

func checkPosMap(t *testing.T, name string, got, want map[string]Pos) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
	for k, p := range want {
		if got[k] != p {
			t.Errorf("%s[%s] = %v, want %v", name, k, got[k], p)
		}
	}
}

// TestParseNativeUses: a uses rule may name a native procedure, with
// conditions on its arguments; a later file's rule for it replaces the
// earlier one, conditions and all.
func TestParseNativeUses(t *testing.T) {
	def := mustParse(t, "rules.yaml", `uses:
  - func: Gdi32.dll!SelectObject
  - {func: user32.dll!AppendMenuW, when: [{arg: 1, lacks-bits: 0x10}]}
  - {func: user32.dll!DrawIconEx, goos: windows}
`)
	s := mustMerge(t, def)
	checkPosMap(t, "UseFuncs", s.UseFuncs, map[string]Pos{
		"gdi32.dll!SelectObject": at(2, 11), "user32.dll!AppendMenuW": at(3, 12), "user32.dll!DrawIconEx": at(4, 12)})
	if c, ok := s.UseConds["gdi32.dll!SelectObject"]; ok {
		t.Errorf("SelectObject has conditions %+v, want none", c)
	}
	if c := s.UseConds["user32.dll!AppendMenuW"]; len(c.When) != 1 || c.When[0].Arg != 1 || c.When[0].Op != LacksBits || c.When[0].Value != "0x10" {
		t.Errorf("AppendMenuW conditions = %+v, want lacks-bits 0x10 on arg 1", c)
	}
	if c := s.UseConds["user32.dll!DrawIconEx"]; c.GOOS != "windows" || len(c.When) != 0 {
		t.Errorf("DrawIconEx conditions = %+v, want goos windows", c)
	}
	if k := s.Knows("user32.dll!AppendMenuW"); k != KnownUse {
		t.Errorf("Knows(AppendMenuW) = %v, want KnownUse", k)
	}
	user := mustParse(t, "user.yaml", "uses:\n  - func: user32.dll!AppendMenuW\n")
	s = mustMerge(t, def, user)
	if c, ok := s.UseConds["user32.dll!AppendMenuW"]; ok {
		t.Errorf("the user's unconditional rule left conditions %+v", c)
	}
	if s.UseFuncs["user32.dll!AppendMenuW"].File != "user.yaml" {
		t.Errorf("UseFuncs[AppendMenuW] = %v, want the user's", s.UseFuncs["user32.dll!AppendMenuW"])
	}
}

func TestParseEmpty(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n", "---\n", "\n\n", "resources:\nowned:\n", "owned: []\n", "~\n", "\ufeff# BOM\n"} {
		s := mustMerge(t, mustParse(t, "rules.yaml", data))
		if s.Resources == nil || s.Sources == nil || s.Releasers == nil || s.Adopters == nil ||
			s.UsePackages == nil || s.UseFuncs == nil || s.NoReturn == nil {
			t.Errorf("%q: Set has a nil map: %+v", data, s)
		}
		if n := len(s.Resources) + len(s.Sources) + len(s.Adopters) + len(s.UsePackages) + len(s.UseFuncs) + len(s.NoReturn); n != 0 {
			t.Errorf("%q: Set is not empty: %+v", data, s)
		}
	}
	if s := mustMerge(t); s.Sources == nil || s.NoReturn == nil {
		t.Errorf("Merge() has nil maps: %+v", s)
	}
}

const userRules = `resources:
  - name: token
    release:
      - func: golang.org/x/sys/windows.CloseHandle
      - func: example.com/tok.Free
  - name: key
    release:
      - func: golang.org/x/sys/windows.RegCloseKey
owned:
  - func: golang.org/x/sys/windows.GetCurrentProcessToken
    resource: token
  - func: golang.org/x/sys/windows.RegOpenKeyEx
    resource: key
    out: 4
adopts:
  - func: os.NewFile
    arg: 1
uses:
  - func: fmt.Sprint
noreturn:
  - func: os.Exit
  - func: log.Fatal
`

func TestMerge(t *testing.T) {
	defaults := mustParse(t, "rules.yaml", validRules)
	user := mustParse(t, "user.yaml", userRules)
	s := mustMerge(t, defaults, user)
	userAt := func(line, col int) Pos { return Pos{File: "user.yaml", Line: line, Col: col} }

	token := s.Resources["token"]
	if len(s.Resources) != 3 || token == nil || s.Resources["key"] == nil {
		t.Fatalf("Resources = %v, want handle, token, key", s.Resources)
	}
	if token.Pos != at(7, 11) {
		t.Errorf("token.Pos = %v, want the first definition's", token.Pos)
	}
	// CloseHandle is already a token releaser; Free extends the list.
	if got, want := releasers(token), "(windows.Token).Close, windows.CloseHandle, tok.Free"; got != want {
		t.Errorf("token releasers = %q, want %q", got, want)
	}
	if free := token.Release[2]; free.Resource != token || free.Pos != userAt(5, 15) {
		t.Errorf("Free = %+v", free)
	}
	if rels := s.Releasers["example.com/tok.Free"]; len(rels) != 1 || rels[0] != token.Release[2] {
		t.Errorf("Releasers[Free] = %v", rels)
	}
	if rels := s.Releasers["golang.org/x/sys/windows.CloseHandle"]; len(rels) != 2 {
		t.Errorf("Releasers[CloseHandle] has %d entries, want 2", len(rels))
	}

	// The user's owned rule replaces the default borrowed one.
	src := s.Sources["golang.org/x/sys/windows.GetCurrentProcessToken"][0]
	if src.Borrowed || src.Note != "" || src.Resource != token || src.Pos != userAt(10, 11) {
		t.Errorf("GetCurrentProcessToken = %+v, want the user's owned rule", src)
	}
	if src := s.Sources["golang.org/x/sys/windows.RegOpenKeyEx"][0]; src.Resource != s.Resources["key"] || src.Out != 4 || src.Result != -1 {
		t.Errorf("RegOpenKeyEx = %+v", src)
	}
	if src := s.Sources["golang.org/x/sys/windows.OpenProcessToken"][0]; src.Resource != token || src.Pos.File != "rules.yaml" {
		t.Errorf("OpenProcessToken = %+v, want the default rule on the merged token", src)
	}
	if a := s.Adopters["os.NewFile"]; a.Arg != 1 || a.Pos != userAt(16, 11) {
		t.Errorf("Adopters[os.NewFile] = %+v, want the user's", a)
	}
	checkPosMap(t, "UseFuncs", s.UseFuncs, map[string]Pos{"fmt.Sprint": userAt(19, 11)})
	checkPosMap(t, "NoReturn", s.NoReturn, map[string]Pos{"os.Exit": userAt(21, 11), "log.Fatal": userAt(22, 11)})

	// Merge leaves its files alone: the defaults merge the same again.
	again := mustMerge(t, defaults)
	if got := releasers(again.Resources["token"]); got != "(windows.Token).Close, windows.CloseHandle" {
		t.Errorf("defaults merged again: token releasers = %q", got)
	}
	if !again.Sources["golang.org/x/sys/windows.GetCurrentProcessToken"][0].Borrowed {
		t.Errorf("defaults merged again: GetCurrentProcessToken is not borrowed")
	}
}

func TestMergeErrors(t *testing.T) {
	defaults := mustParse(t, "rules.yaml", validRules)
	user := mustParse(t, "user.yaml", "owned:\n  - func: os.Open\n    resource: tokn\n  - func: os.Create\n    resource: file\n")
	_, err := Merge(defaults, user)
	want := "user.yaml:3:15: unknown resource \"tokn\"\nuser.yaml:5:15: unknown resource \"file\""
	if err == nil || err.Error() != want {
		t.Errorf("Merge error:\n%v\nwant:\n%s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Pos != (Pos{File: "user.yaml", Line: 3, Col: 15}) {
		t.Errorf("errors.As(*Error) = %v", e)
	}

	// A file may not use a resource that only a later file defines.
	tokenUser := mustParse(t, "user.yaml", "owned:\n  - func: os.Open\n    resource: token\n")
	if _, err := Merge(tokenUser, defaults); err == nil || !strings.HasPrefix(err.Error(), "user.yaml:3:15: unknown resource") {
		t.Errorf("Merge(user, defaults) error = %v, want unknown resource", err)
	}
}

// rule wraps one owned rule's extra lines after func and resource, which
// are lines 2 and 3.
func ownedRule(extra string) string {
	return "owned:\n  - func: os.Open\n    resource: file\n" + extra
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	tests := []struct {
		name, data string
		pos        string // "line:col"
		msg        string // substring of the message
	}{
		// Input that is not YAML.
		{"syntax", "owned: [\n", "2:1", "yaml: did not find expected node content"},
		{"syntax mapping", "owned: a: b\n", "1:9", "yaml: mapping values are not allowed"},
		{"tab", "owned:\n\t- func: os.Exit\n", "2:1", "yaml: found character that cannot start any token"},
		{"non-UTF-8", "noreturn:\n  - func: os.Ex\xffit\n", "2:16", "invalid UTF-8 byte 0xff"},
		{"UTF-16", "\xff\xfeo\x00", "1:1", "invalid UTF-8 byte 0xff"},
		{"control character", "noreturn:\n  - func: \x01\n", "2:11", "control character U+0001 is not allowed"},
		{"too large", strings.Repeat("#", maxFileSize+1), "1:1", "file is too large"},
		{"deep nesting", deep, "1:65", "exceeded max depth"},
		{"flow marks", "uses: [" + strings.Repeat("{package: a},", 5001) + "]", "1:", "too many flow collection marks"},
		{"two documents", "owned: []\n---\nborrowed: []\n", "2:1", "one YAML document, not several"},
		{"undefined alias", "owned: *a\n", "1:8", "yaml: unknown anchor 'a' referenced"},

		// Shape.
		{"top list", "- owned\n", "1:1", "rules file: want a mapping, got a list"},
		{"top scalar", "owned\n", "1:1", `rules file: want a mapping, got string "owned"`},
		{"unknown top key", "reources: []\n", "1:1", `unknown key "reources" at top level (want resources, owned, borrowed, adopts, uses, noreturn, impersonates, reverts, locks-thread, unlocks-thread, changes)`},
		{"non-string key", "1: x\n", "1:1", `want a string key at top level, got int "1"`},
		{"unknown key", ownedRule("    reslut: 0\n"), "4:5", `unknown key "reslut" in owned rule (want func, vtable, resource, out, result, field, index, error-gate, also-valid-with, when, goos, success, same-as)`},
		{"note under owned", ownedRule("    note: x\n"), "4:5", `unknown key "note" in owned rule`},
		{"error-gate under adopts", "adopts:\n  - func: os.NewFile\n    error-gate: false\n", "3:5", `unknown key "error-gate" in adopts rule (want func, arg)`},
		{"unknown key in release", "resources:\n  - name: file\n    release:\n      - func: os.Close\n        args: 0\n", "5:9", `unknown key "args" in release rule (want func, arg, when, goos)`},
		{"duplicate key", "owned:\n  - func: os.Open\n    func: os.Create\n", "3:5", `duplicate key "func" in owned rule (first at line 2)`},
		{"duplicate top key", "owned: []\nowned: []\n", "2:1", `duplicate key "owned" at top level (first at line 1)`},
		{"alias", "uses:\n  - &u {package: os}\n  - *u\n", "3:5", "uses rule: aliases are not supported"},
		{"merge key", "resources:\n  - name: file\n    <<: {release: [{func: os.Close}]}\n", "3:5", "merge keys (<<) are not supported"},
		{"alias value", "resources:\n  - name: &n file\n    release: [{func: os.Close}]\n  - name: *n\n", "4:11", "name: aliases are not supported"},

		// Types.
		{"list as mapping", "owned: {func: os.Open}\n", "1:8", "owned: want a list, got a mapping"},
		{"rule as string", "noreturn:\n  - os.Exit\n", "2:5", `noreturn rule: want a mapping, got string "os.Exit"`},
		{"string index", ownedRule("    out: two\n"), "4:10", `out: want a non-negative integer, got string "two"`},
		{"quoted index", ownedRule("    out: '2'\n"), "4:10", `out: want a non-negative integer, got string "2"`},
		{"negative index", ownedRule("    result: -1\n"), "4:13", `result: want a non-negative integer, got "-1"`},
		{"float index", ownedRule("    result: 1.5\n"), "4:13", `result: want a non-negative integer, got float "1.5"`},
		{"hex index", ownedRule("    out: 0x2\n"), "4:10", `out: want a non-negative integer, got "0x2"`},
		{"huge index", ownedRule("    out: !!int 99999999999999999999\n"), "4:10", `out: "99999999999999999999" is too large`},
		{"null index", ownedRule("    out:\n"), "4:9", "out: want a non-negative integer, got null"},
		{"list index", "adopts:\n  - func: os.NewFile\n    arg: [0]\n", "3:10", "arg: want a non-negative integer, got a list"},
		{"string error-gate", ownedRule("    error-gate: yes\n"), "4:17", `error-gate: want true or false, got string "yes"`},
		{"int error-gate", ownedRule("    error-gate: 0\n"), "4:17", `error-gate: want true or false, got int "0"`},
		{"null func", "noreturn:\n  - func:\n", "2:10", "func: want a string, got null"},
		{"int func", "noreturn:\n  - func: 12\n", "2:11", `func: want a string, got int "12"`},
		{"tagged func", "noreturn:\n  - func: !fn os.Exit\n", "2:11", `func: want a string, got value tagged "!fn"`},
		{"list note", "borrowed:\n  - func: os.Stdin\n    resource: file\n    note: [a]\n", "4:11", "note: want a string, got a list"},
		{"null release", "resources:\n  - name: file\n    release:\n", "3:13", "release: want a non-empty list, got null"},
		{"empty release", "resources:\n  - name: file\n    release: []\n", "3:14", "release: want a non-empty list"},

		// Fields and indexes.
		{"field without out", ownedRule("    field: Process\n"), "4:12", "field: needs out (the pointer to the struct that has the field)"},
		{"field with result", ownedRule("    result: 0\n    field: Process\n"), "5:12", "field: needs out"},
		{"field not identifier", ownedRule("    out: 1\n    field: a.b\n"), "5:12", `field: "a.b" is not a Go identifier`},
		{"field int", ownedRule("    out: 1\n    field: 3\n"), "5:12", `field: want a string, got int "3"`},
		{"field and index", ownedRule("    out: 1\n    field: P\n    index: 0\n"), "6:12", "field and index cannot both be given"},
		{"index and field", ownedRule("    out: 1\n    index: 0\n    field: P\n"), "6:12", "field and index cannot both be given"},
		{"same-as with out", ownedRule("    out: 1\n    same-as: 0\n"), "5:14", "same-as: only for a handle that is a result (out 1 is given)"},
		{"same-as string", ownedRule("    same-as: x\n"), "4:14", `same-as: want a non-negative integer, got string "x"`},
		{"same-as native", "owned:\n  - func: crypt32.dll!CertDuplicateCertificateContext\n    resource: file\n    same-as: 0\n", "4:14", "same-as: not for a native procedure or vtable slot"},
		{"index alone", ownedRule("    index: 0\n"), "4:12", "index: needs out (a slice or pointer to array parameter) or result (an array result)"},
		{"negative index", ownedRule("    out: 0\n    index: -1\n"), "5:12", `index: want a non-negative integer, got "-1"`},
		{"string index key", ownedRule("    result: 0\n    index: first\n"), "5:12", `index: want a non-negative integer, got string "first"`},

		// Conditions.
		{"when mapping", ownedRule("    when: {arg: 0, equals: 0}\n"), "4:11", "when: want a non-empty list of tests, got a mapping"},
		{"when null", ownedRule("    when:\n"), "4:10", "when: want a non-empty list of tests, got null"},
		{"when empty", ownedRule("    when: []\n"), "4:11", "when: want a non-empty list of tests"},
		{"when scalar test", ownedRule("    when: [0]\n"), "4:12", `when test: want a mapping, got int "0"`},
		{"test without arg", ownedRule("    when: [{equals: 0}]\n"), "4:12", "missing arg in when test"},
		{"test negative arg", ownedRule("    when: [{arg: -1, equals: 0}]\n"), "4:18", `arg: want a non-negative integer, got "-1"`},
		{"test without comparison", ownedRule("    when: [{arg: 0}]\n"), "4:12",
			"missing comparison in when test (want one of equals, not-equals, has-bits, lacks-bits, from)"},
		{"test with two comparisons", ownedRule("    when: [{arg: 0, equals: 0, not-equals: 1}]\n"), "4:44",
			"equals and not-equals cannot both be given: a test has one comparison"},
		{"unknown comparison", ownedRule("    when: [{arg: 0, equal: 0}]\n"), "4:21",
			`unknown key "equal" in when test (want arg, equals, not-equals, has-bits, lacks-bits, from)`},
		{"float value", ownedRule("    when: [{arg: 0, equals: 1.5}]\n"), "4:29", `equals: want an integer, nil, or the name of a constant, got float "1.5"`},
		{"bool value", ownedRule("    when: [{arg: 0, not-equals: true}]\n"), "4:33", `not-equals: want an integer, nil, or the name of a constant, got bool "true"`},
		{"null value", ownedRule("    when: [{arg: 0, equals: null}]\n"), "4:29", "equals: want an integer, nil, or the name of a constant, got null"},
		{"list value", ownedRule("    when: [{arg: 0, equals: [1]}]\n"), "4:29", "equals: want an integer, nil, or the name of a constant, got a list"},
		{"alias value", ownedRule("    when: [{arg: &a 0, equals: *a}]\n"), "4:32", "equals: aliases are not supported"},
		{"expression value", ownedRule("    when: [{arg: 0, has-bits: A|B}]\n"), "4:31", `has-bits: want an integer, nil, or the name of a constant, got "A|B"`},
		{"bad literal", ownedRule("    when: [{arg: 0, equals: 0x}]\n"), "4:29", `equals: want an integer, nil, or the name of a constant, got "0x"`},
		{"bad full name", ownedRule("    when: [{arg: 0, equals: a//b.C}]\n"), "4:29", `equals: invalid constant name "a//b.C": import path "a//b" has an empty element`},
		{"bad name after dot", ownedRule("    when: [{arg: 0, equals: os.1}]\n"), "4:29", `equals: invalid constant name "os.1": "1" is not a valid constant name`},
		{"nil bits", ownedRule("    when: [{arg: 0, has-bits: nil}]\n"), "4:31", "has-bits: want a bit mask, not nil"},
		{"negative bits", ownedRule("    when: [{arg: 0, lacks-bits: -4}]\n"), "4:33", `lacks-bits: want a non-negative bit mask, got "-4"`},
		{"zero bits", ownedRule("    when: [{arg: 0, lacks-bits: 0x0}]\n"), "4:33", "lacks-bits: 0 has no bits: the test always holds"},
		{"from scalar", ownedRule("    when: [{arg: 0, from: os.Getpid}]\n"), "4:27", `from: want a non-empty list of full names, got string "os.Getpid"`},
		{"from empty", ownedRule("    when: [{arg: 0, from: []}]\n"), "4:27", "from: want a non-empty list of full names"},
		{"from bad name", ownedRule("    when: [{arg: 0, from: [CurrentProcess]}]\n"), "4:28", `from: invalid function name "CurrentProcess": want <import path>.<function>`},
		{"from native", ownedRule("    when: [{arg: 0, from: [kernel32!GetCurrentProcess]}]\n"), "4:28", `from: invalid function name "kernel32!GetCurrentProcess"`},
		{"from int", ownedRule("    when: [{arg: 0, from: [1]}]\n"), "4:28", `from: want a string, got int "1"`},
		{"from twice", ownedRule("    when:\n      - arg: 0\n        from:\n          - os.Getpid\n          - os.Getpid\n"), "8:13",
			"from: os.Getpid is listed twice (first at line 7)"},
		{"duplicate test", ownedRule("    when:\n      - {arg: 0, equals: 0}\n      - {arg: 0, equals: 0}\n"), "6:26",
			"duplicate test {arg: 0, equals: 0} (first at line 5)"},
		{"duplicate from test", ownedRule("    when:\n      - {arg: 0, from: [os.A, os.B]}\n      - {arg: 0, from: [os.B, os.A]}\n"), "6:24",
			"duplicate test {arg: 0, from: [os.B, os.A]} (first at line 5)"},
		{"when in adopts", "adopts:\n  - func: os.NewFile\n    when: [{arg: 0, equals: 0}]\n", "3:5", `unknown key "when" in adopts rule (want func, arg)`},
		{"unknown goos", ownedRule("    goos: windos\n"), "4:11", `goos: unknown GOOS "windos" (want one of aix, android, darwin,`},
		{"goos case", ownedRule("    goos: Windows\n"), "4:11", `goos: unknown GOOS "Windows"`},
		{"goos list", ownedRule("    goos: [linux]\n"), "4:11", "goos: want a string, got a list"},
		{"release goos", "resources:\n  - name: file\n    release:\n      - {func: os.Close, goos: macos}\n", "4:32", `goos: unknown GOOS "macos"`},
		{"release when", "resources:\n  - name: file\n    release:\n      - {func: os.Close, when: [{arg: 0}]}\n", "4:33", "missing comparison in when test"},

		// Errors that leave the handle valid.
		{"also-valid-with scalar", ownedRule("    also-valid-with: syscall.EEXIST\n"), "4:22", `also-valid-with: want a non-empty list of full names, got string "syscall.EEXIST"`},
		{"also-valid-with empty", ownedRule("    also-valid-with: []\n"), "4:22", "also-valid-with: want a non-empty list of full names"},
		{"also-valid-with short name", ownedRule("    also-valid-with: [ERROR_ALREADY_EXISTS]\n"), "4:23",
			`also-valid-with: invalid constant or variable name "ERROR_ALREADY_EXISTS": want <import path>.<constant or variable>`},
		{"also-valid-with twice", ownedRule("    also-valid-with: [syscall.EEXIST, syscall.EEXIST]\n"), "4:39", "also-valid-with: syscall.EEXIST is listed twice (first at line 4)"},
		{"also-valid-with and no gate", ownedRule("    error-gate: false\n    also-valid-with: [syscall.EEXIST]\n"), "5:22",
			"also-valid-with and error-gate: false cannot both be given"},
		{"no gate and also-valid-with", ownedRule("    also-valid-with: [syscall.EEXIST]\n    error-gate: false\n"), "5:17",
			"also-valid-with and error-gate: false cannot both be given"},

		// Native procedures.
		{"success on a Go function's result 0", ownedRule("    success: zero\n"), "4:14", "success: tests result 0, the status; the handle must be another result or an out"},
		{"success word for a Go function", ownedRule("    out: 1\n    success: s_ok\n"), "5:14", `success: want zero (0 is success: S_OK exactly`},
		{"vtable and func", "owned:\n  - func: os.Open\n    vtable: (a/b.Vtbl).F\n    resource: file\n", "3:13", "func and vtable cannot both be given"},
		{"vtable pointer", "owned:\n  - {vtable: (*a/b.Vtbl).F, resource: file}\n", "2:14", `invalid vtable slot "(*a/b.Vtbl).F": a vtable slot is a field of the struct type, not of a pointer: drop the *`},
		{"vtable not a field", "owned:\n  - {vtable: a/b.Vtbl, resource: file}\n", "2:14", `invalid vtable slot "a/b.Vtbl": want (path.Type).Field`},
		{"vtable bad name", "owned:\n  - {vtable: (a/b.Vtbl).1F, resource: file}\n", "2:14", `invalid vtable slot "(a/b.Vtbl).1F": "1F" is not a valid field name`},
		{"vtable out without success", "owned:\n  - {vtable: (a/b.Vtbl).F, resource: file, out: 0}\n", "2:5",
			"missing success in owned rule for vtable slot (a/b.Vtbl).F with out (zero, non-negative or nonzero"},
		{"vtable result with success", "owned:\n  - {vtable: (a/b.Vtbl).F, resource: file, success: zero}\n", "2:53",
			"success: only with out; a vtable slot's result is the handle itself"},
		{"vtable result 1", "owned:\n  - {vtable: (a/b.Vtbl).F, resource: file, result: 1}\n", "2:52",
			"result: a vtable slot has one result"},
		{"vtable constant test", "owned:\n  - {vtable: (a/b.Vtbl).F, resource: file, when: [{arg: 0, equals: S_OK}]}\n", "2:",
			`equals: "S_OK" is not an integer literal`},
		{"success value", "owned:\n  - {func: advapi32!LogonUserW, resource: token, out: 5, success: true}\n", "2:67", `success: want a string, got bool "true"`},
		{"success word", "owned:\n  - {func: advapi32!LogonUserW, resource: token, out: 5, success: ok}\n", "2:67", `success: want zero (0 is success: S_OK exactly, STATUS_SUCCESS, ERROR_SUCCESS), non-negative (SUCCEEDED(hr), NT_SUCCESS(status)) or nonzero (a BOOL), got "ok"`},
		{"native out without success", "owned:\n  - func: advapi32.dll!LogonUserW\n    resource: token\n    out: 5\n", "2:5",
			"missing success in owned rule for native procedure advapi32.dll!LogonUserW with out (zero, non-negative or nonzero"},
		{"native result with success", "owned:\n  - {func: kernel32!OpenProcess, resource: handle, success: zero}\n", "2:61",
			"success: only with out; a native procedure's result is the handle itself"},
		{"native result 1", "owned:\n  - {func: kernel32!OpenProcess, resource: handle, result: 1}\n", "2:60",
			"result: a native procedure has one result, its return value (result: 0)"},
		{"native result index", "owned:\n  - {func: kernel32!OpenProcess, resource: handle, result: 0, index: 0}\n", "2:70",
			"index: a native procedure's result is not an array"},
		{"native without DLL", "owned:\n  - {func: '!OpenProcess', resource: handle}\n", "2:12", `invalid native procedure "!OpenProcess": missing DLL name before '!'`},
		{"native directory", "owned:\n  - {func: 'C:\\dlls\\!OpenProcess', resource: handle}\n", "2:12", "missing DLL name before '!'"},
		{"native without procedure", "owned:\n  - {func: kernel32.dll!, resource: handle}\n", "2:12", "missing procedure name after '!'"},
		{"native bad procedure", "owned:\n  - {func: kernel32.dll!Open-Process, resource: handle}\n", "2:12", `"Open-Process" is not a valid procedure name`},
		{"native ordinal", "owned:\n  - {func: 'kernel32.dll!#12', resource: handle}\n", "2:12", `"#12" is not a valid procedure name`},
		{"native two bangs", "owned:\n  - {func: a!b!C, resource: handle}\n", "2:12", "want <dll>!<procedure>, with one '!'"},
		{"native receiver", "owned:\n  - {func: (kernel32.dll!X).Y, resource: handle}\n", "2:12", "a native procedure has no receiver"},
		{"native bad DLL", "owned:\n  - {func: 'a<b.dll!X', resource: handle}\n", "2:12", `"a<b.dll" is not a DLL file name`},
		{"native DLL dot", "owned:\n  - {func: 'kernel32.!X', resource: handle}\n", "2:12", `"kernel32." is not a DLL file name`},
		{"native DLL space", "owned:\n  - {func: ' kernel32!X', resource: handle}\n", "2:12", `" kernel32" is not a DLL file name`},
		{"native release bad", "resources:\n  - name: file\n    release:\n      - func: kernel32!\n", "4:15", "missing procedure name after '!'"},
		{"native adopts", "adopts:\n  - func: kernel32.dll!CloseHandle\n", "2:11",
			`native procedure "kernel32.dll!CloseHandle" is not allowed in adopts rule (only in owned, borrowed, release, uses, changes and thread rules)`},
		{"uses when on func", "uses:\n  - {func: fmt.Sprint, when: [{arg: 0, equals: 0}]}\n", "2:30", "when in a uses rule is only for a native procedure"},
		{"uses when on package", "uses:\n  - {package: fmt, when: [{arg: 0, equals: 0}]}\n", "2:26", "when is only for a uses rule with func"},
		{"uses goos on package", "uses:\n  - {package: fmt, goos: windows}\n", "2:26", "goos is only for a uses rule with func"},
		{"native uses constant", "uses:\n  - {func: user32.dll!AppendMenuW, when: [{arg: 1, lacks-bits: MF_POPUP}]}\n", "2:64", "not an integer literal"},
		{"native uses bad", "uses:\n  - func: user32.dll!\n", "2:11", "missing procedure name after '!'"},
		{"duplicate native uses", "uses:\n  - func: gdi32.dll!SelectObject\n  - func: Gdi32!SelectObject\n", "3:11", "duplicate uses rule for gdi32.dll!SelectObject (first at line 2)"},
		{"native noreturn", "noreturn:\n  - func: kernel32.dll!ExitProcess\n", "2:11", `native procedure "kernel32.dll!ExitProcess" is not allowed in noreturn rule`},

		// Missing and conflicting keys.
		{"missing func", "owned:\n  - resource: file\n", "2:5", "missing func in owned rule"},
		{"missing resource", "borrowed:\n  - func: os.Stdin\n", "2:5", "missing resource in borrowed rule"},
		{"missing name", "resources:\n  - release: [{func: os.Close}]\n", "2:5", "missing name in resource"},
		{"missing release", "resources:\n  - name: file\n", "2:5", `missing release in resource "file"`},
		{"out and result", ownedRule("    out: 1\n    result: 0\n"), "5:13", "out and result cannot both be given"},
		{"result and out", ownedRule("    result: 0\n    out: 1\n"), "5:10", "out and result cannot both be given"},
		{"uses both", "uses:\n  - {package: os, func: os.Exit}\n", "2:5", "uses rule has both package and func"},
		{"uses neither", "uses:\n  - {}\n", "2:5", "missing package or func in uses rule"},

		// Names.
		{"space in func", "noreturn:\n  - func: os Exit\n", "2:11", `invalid function name "os Exit"`},
		{"trailing space", "noreturn:\n  - func: 'os.Exit '\n", "2:11", `"Exit " is not a valid function name`},
		{"no package", "noreturn:\n  - func: Exit\n", "2:11", "want <import path>.<function>"},
		{"package only", "noreturn:\n  - func: golang.org/x/sys/windows\n", "2:11", "want <import path>.<function>"},
		{"empty func", "noreturn:\n  - func: ''\n", "2:11", "empty function name"},
		{"no name", "noreturn:\n  - func: os.\n", "2:11", `invalid function name "os.": missing function name`},
		{"no method name", "noreturn:\n  - func: (*os.File).\n", "2:11", "missing method name"},
		{"keyword", "noreturn:\n  - func: os.func\n", "2:11", `"func" is not a valid function name`},
		{"empty path element", "noreturn:\n  - func: a//b.F\n", "2:11", `import path "a//b" has an empty element`},
		{"dot path element", "noreturn:\n  - func: ./x.F\n", "2:11", `import path element "." starts or ends with a dot`},
		{"bad path char", "noreturn:\n  - func: a$b.F\n", "2:11", `invalid character '$' in import path`},
		{"unclosed receiver", "noreturn:\n  - func: (*os.File.Close\n", "2:11", "missing ) after the receiver type"},
		{"receiver without package", "noreturn:\n  - func: (*File).Close\n", "2:11", "receiver: want <import path>.<type>"},
		{"method without dot", "noreturn:\n  - func: (*os.File)Close\n", "2:11", "want .<Method> after the receiver type"},
		{"double star", "noreturn:\n  - func: (**os.File).Close\n", "2:11", "invalid character '*' in import path"},
		{"bad package", "uses:\n  - package: golang.org//x\n", "2:14", `invalid package "golang.org//x": import path "golang.org//x" has an empty element`},
		{"package with name", "uses:\n  - package: os.Exit()\n", "2:14", `invalid character '(' in import path`},
		{"resource name", "resources:\n  - name: Handle\n    release: [{func: os.Close}]\n", "2:11", `invalid resource name "Handle"`},
		{"resource name digit", "owned:\n  - func: os.Open\n    resource: 1file\n", "3:15", `invalid resource name "1file"`},
		{"resource name underscore", "owned:\n  - func: os.Open\n    resource: a_b\n", "3:15", `invalid resource name "a_b"`},

		// Duplicates within a file.
		{"duplicate resource", "resources:\n  - name: file\n    release: [{func: os.Close}]\n  - name: file\n    release: [{func: os.Remove}]\n",
			"4:11", `duplicate resource "file" (first at line 2)`},
		{"duplicate releaser", "resources:\n  - name: file\n    release:\n      - func: os.Close\n      - func: os.Close\n        arg: 0\n",
			"5:15", "duplicate release rule for os.Close (arg 0) (first at line 4)"},
		{"duplicate method releaser", "resources:\n  - name: file\n    release:\n      - func: (*os.File).Close\n      - func: (*os.File).Close\n",
			"5:15", "duplicate release rule for (*os.File).Close (receiver) (first at line 4)"},
		{"owned and borrowed", "owned:\n  - func: os.Open\n    resource: file\nborrowed:\n  - func: os.Open\n    resource: file\n",
			"5:11", "duplicate rule for os.Open (first at line 2, as owned)"},
		{"duplicate owned", "owned:\n  - func: os.Open\n    resource: file\n  - func: os.Open\n    resource: file\n    result: 0\n",
			"4:11", "duplicate rule for os.Open (first at line 2, as owned)"},
		{"duplicate owned out", "owned:\n  - {func: os.Open, resource: file, out: 1}\n  - {func: os.Open, resource: file, out: 1, error-gate: false}\n",
			"3:12", "duplicate rule for os.Open (first at line 2, as owned)"},
		{"duplicate owned index", "owned:\n  - {func: os.Open, resource: file, out: 1, index: 0}\n  - {func: os.Open, resource: file, out: 1, index: 0}\n",
			"3:12", "duplicate rule for os.Open (first at line 2, as owned)"},
		{"duplicate owned field", "owned:\n  - {func: os.Open, resource: file, out: 1, field: A}\n  - {func: os.Open, resource: file, out: 1, field: A}\n",
			"3:12", "duplicate rule for os.Open (first at line 2, as owned)"},
		{"duplicate same conditions", "owned:\n  - {func: os.Open, resource: file, goos: linux, when: [{arg: 1, equals: 0}, {arg: 0, equals: nil}]}\n" +
			"borrowed:\n  - {func: os.Open, resource: file, goos: linux, when: [{arg: 0, equals: nil}, {arg: 1, equals: 0}]}\n",
			"4:12", "duplicate rule for os.Open (first at line 2, as owned)"},
		{"duplicate native", "owned:\n  - {func: advapi32!LogonUserW, resource: token, out: 5, success: nonzero}\n" +
			"  - {func: ADVAPI32.DLL!LogonUserW, resource: token, out: 5, success: zero}\n",
			"3:12", "duplicate rule for advapi32.dll!LogonUserW (first at line 2, as owned)"},
		{"duplicate conditional releaser", "resources:\n  - name: file\n    release:\n" +
			"      - {func: os.Close, goos: linux, when: [{arg: 1, has-bits: 0x4}]}\n" +
			"      - {func: os.Close, arg: 0, goos: linux, when: [{arg: 1, has-bits: 4}]}\n" +
			"      - {func: os.Close, arg: 0, goos: linux, when: [{arg: 1, has-bits: 0x4}]}\n",
			"6:16", "duplicate release rule for os.Close (arg 0) when {arg: 1, has-bits: 0x4} on linux (first at line 4)"},
		{"duplicate native releaser", "resources:\n  - name: file\n    release:\n      - func: kernel32!CloseHandle\n      - func: Kernel32.dll!CloseHandle\n",
			"5:15", "duplicate release rule for kernel32.dll!CloseHandle (arg 0) (first at line 4)"},
		{"duplicate adopts", "adopts:\n  - func: os.NewFile\n  - func: os.NewFile\n    arg: 1\n", "3:11", "duplicate adopts rule for os.NewFile (first at line 2)"},
		{"duplicate uses func", "uses:\n  - func: fmt.Sprint\n  - func: fmt.Sprint\n", "3:11", "duplicate uses rule for fmt.Sprint (first at line 2)"},
		{"duplicate uses package", "uses:\n  - package: fmt\n  - package: fmt\n", "3:14", "duplicate uses rule for package fmt (first at line 2)"},
		{"duplicate noreturn", "noreturn:\n  - func: os.Exit\n  - func: os.Exit\n", "3:11", "duplicate noreturn rule for os.Exit (first at line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantParseError(t, tt.data, tt.pos, tt.msg)
		})
	}
}

func TestParseManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("noreturn:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - func: bad%d\n", i)
	}
	_, err := Parse("rules.yaml", []byte(b.String()))
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != maxErrors+1 {
		t.Fatalf("got %d error lines, want %d:\n%v", len(lines), maxErrors+1, err)
	}
	for i, line := range lines[:maxErrors] {
		if want := fmt.Sprintf("rules.yaml:%d:11: invalid function name \"bad%d\"", i+2, i); !strings.HasPrefix(line, want) {
			t.Errorf("line %d = %q, want %q...", i, line, want)
		}
	}
	if want := "rules.yaml:22:11: too many errors"; lines[maxErrors] != want {
		t.Errorf("last line = %q, want %q", lines[maxErrors], want)
	}
}

// TestParseBounded checks that inputs that are slow or big for YAML
// parsers stay fast.
func TestParseBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	fill := func(unit string) string { return strings.Repeat(unit, maxFileSize/len(unit)) }
	inputs := map[string]string{
		"billion laughs": billionLaughs,
		"deep flow":      strings.Repeat("[", maxFileSize/2) + strings.Repeat("]", maxFileSize/2),
		"deep block":     fill("- "),
		"block list":     "uses:\n" + fill("- a\n"),
		"block mapping":  fill("a:\n"),
		"block null":     "x:\n" + fill("-\n"),
		"flow list":      "[" + strings.Repeat("a,", maxFlowMarks-1) + "a]\n" + fill("#"),
		"flow mappings":  "uses: [" + strings.Repeat("{},", maxFlowMarks/2-1) + "]\n" + fill("#"),
		"keys":           fill("? a\n"),
		"anchors":        "uses:\n" + fill("- &a a\n"),
		"aliases":        "uses:\n- &a a\n" + fill("- *a\n"),
		"rules":          "noreturn:\n" + fill("  - func: golang.org/x/sys/windows.ExitProcess\n"),
		"long scalar":    "noreturn:\n  - func: " + fill("x"),
		"long key":       fill("k") + ": 1\n",
	}
	for name, data := range inputs {
		data = data[:min(len(data), maxFileSize)]
		start := time.Now()
		_, err := Parse("rules.yaml", []byte(data))
		d := time.Since(start)
		t.Logf("%s: %v: %.80v", name, d, err)
		if d > 2*time.Second {
			t.Errorf("%s: Parse took %v", name, d)
		}
	}
}

const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

const checkSrc = `package windows

type Handle uintptr
type Token Handle

func OpenProcessToken(process Handle, access uint32, token *Token) error { return nil }
func GetCurrentProcessToken() Token                                     { return 0 }
func CloseHandle(h Handle) error                                        { return nil }
func (t Token) Close() error                                            { return nil }
func Exit(code int)                                                     {}
func Unnamed(uint32, *Token)                                            {}
func Pair() (Handle, error)                                             { return 0, nil }
func DupToken(t Token) Token                                            { return t }

type PToken *Token

func Named(t PToken) {}
`

// signatures type-checks checkSrc and returns its functions' signatures
// by name ("Close" for the method).
func signatures(t *testing.T) map[string]*types.Signature {
	t.Helper()
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "windows.go", checkSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	info := &types.Info{Defs: make(map[*ast.Ident]types.Object)}
	if _, err := conf.Check("golang.org/x/sys/windows", fset, []*ast.File{file}, info); err != nil {
		t.Fatal(err)
	}
	sigs := make(map[string]*types.Signature)
	for id, obj := range info.Defs {
		if fn, ok := obj.(*types.Func); ok {
			sigs[id.Name] = fn.Signature()
		}
	}
	return sigs
}

func TestCheck(t *testing.T) {
	sigs := signatures(t)
	pos := Pos{File: "rules.yaml", Line: 7, Col: 11}
	const pkg = "golang.org/x/sys/windows."
	tests := []struct {
		name string
		rule interface{ Check(*types.Signature) error }
		sig  string
		want string // "" for no error
	}{
		{"out", &Source{Func: pkg + "OpenProcessToken", Out: 2, Result: NoResult, Index: -1, Pos: pos}, "OpenProcessToken", ""},
		{"out named pointer", &Source{Func: pkg + "Named", Out: 0, Result: NoResult, Index: -1, Pos: pos}, "Named", ""},
		{"out unnamed", &Source{Func: pkg + "Unnamed", Out: 1, Result: NoResult, Index: -1, Pos: pos}, "Unnamed", ""},
		{"out of range", &Source{Func: pkg + "OpenProcessToken", Out: 5, Result: NoResult, Index: -1, Pos: pos}, "OpenProcessToken",
			"out: 5 is not a pointer parameter of golang.org/x/sys/windows.OpenProcessToken (it has 3 parameters)"},
		{"out not pointer", &Source{Func: pkg + "OpenProcessToken", Out: 1, Result: NoResult, Index: -1, Pos: pos}, "OpenProcessToken",
			"out: 1 names parameter access uint32, not a pointer"},
		{"out unnamed not pointer", &Source{Func: pkg + "Unnamed", Out: 0, Result: NoResult, Index: -1, Pos: pos}, "Unnamed",
			"out: 0 names a parameter of type uint32, not a pointer"},
		{"out no params", &Source{Func: pkg + "GetCurrentProcessToken", Out: 0, Result: NoResult, Index: -1, Pos: pos}, "GetCurrentProcessToken",
			"out: 0 is not a pointer parameter of golang.org/x/sys/windows.GetCurrentProcessToken (it has no parameters)"},
		{"result", &Source{Func: pkg + "GetCurrentProcessToken", Out: NoParam, Result: 0, Index: -1, Pos: pos}, "GetCurrentProcessToken", ""},
		{"result 1", &Source{Func: pkg + "Pair", Out: NoParam, Result: 1, Index: -1, Pos: pos}, "Pair", ""},
		{"result of range", &Source{Func: pkg + "GetCurrentProcessToken", Out: NoParam, Result: 1, Index: -1, Pos: pos}, "GetCurrentProcessToken",
			"result: 1 is not a result of golang.org/x/sys/windows.GetCurrentProcessToken (it has 1 result)"},
		{"no results", &Source{Func: pkg + "Exit", Out: NoParam, Result: 0, Index: -1, Pos: pos}, "Exit",
			"result: 0 is not a result of golang.org/x/sys/windows.Exit (it has no results)"},
		{"same-as", &Source{Func: pkg + "DupToken", Out: NoParam, Result: 0, Index: -1, AddsRef: true, SameAs: 0, Pos: pos}, "DupToken", ""},
		{"same-as out of range", &Source{Func: pkg + "DupToken", Out: NoParam, Result: 0, Index: -1, AddsRef: true, SameAs: 1, Pos: pos}, "DupToken",
			"same-as: 1 is not a parameter of golang.org/x/sys/windows.DupToken (it has 1 parameter)"},
		{"same-as other type", &Source{Func: pkg + "Pair", Out: NoParam, Result: 0, Index: -1, AddsRef: true, SameAs: 0, Pos: pos}, "Pair",
			"same-as: 0 is not a parameter of golang.org/x/sys/windows.Pair (it has no parameters)"},
		{"same-as type mismatch", &Source{Func: pkg + "CloseHandle", Out: NoParam, Result: 0, Index: -1, AddsRef: true, SameAs: 0, Pos: pos}, "CloseHandle",
			"same-as: parameter h windows.Handle is not of the type of a result of type error"},
		{"releaser", &Releaser{Func: pkg + "CloseHandle", Arg: 0, Pos: pos}, "CloseHandle", ""},
		{"releaser receiver", &Releaser{Func: "(" + pkg + "Token).Close", Arg: Receiver, Pos: pos}, "Close", ""},
		{"releaser out of range", &Releaser{Func: pkg + "CloseHandle", Arg: 1, Pos: pos}, "CloseHandle",
			"arg: 1 is not a parameter of golang.org/x/sys/windows.CloseHandle (it has 1 parameter)"},
		{"releaser method arg", &Releaser{Func: "(" + pkg + "Token).Close", Arg: 0, Pos: pos}, "Close",
			"arg: 0 is not a parameter of (golang.org/x/sys/windows.Token).Close (it has no parameters)"},
		{"releaser no receiver", &Releaser{Func: pkg + "CloseHandle", Arg: Receiver, Pos: pos}, "CloseHandle",
			"golang.org/x/sys/windows.CloseHandle is not a method"},
		{"adopter", &Adopter{Func: pkg + "OpenProcessToken", Arg: 2, Pos: pos}, "OpenProcessToken", ""},
		{"adopter out of range", &Adopter{Func: pkg + "Exit", Arg: 3, Pos: pos}, "Exit",
			"arg: 3 is not a parameter of golang.org/x/sys/windows.Exit (it has 1 parameter)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := sigs[tt.sig]
			if sig == nil {
				t.Fatalf("no signature %s", tt.sig)
			}
			wantCheck(t, tt.rule.Check(sig), pos, tt.want)
		})
	}
}

// TestCheckParsed checks rules as Parse builds them, with default args.
func TestCheckParsed(t *testing.T) {
	sigs := signatures(t)
	s := mustMerge(t, mustParse(t, "rules.yaml", `resources:
  - name: token
    release:
      - func: (golang.org/x/sys/windows.Token).Close
      - func: golang.org/x/sys/windows.CloseHandle
owned:
  - func: golang.org/x/sys/windows.OpenProcessToken
    resource: token
    out: 2
borrowed:
  - func: golang.org/x/sys/windows.GetCurrentProcessToken
    resource: token
`))
	for _, r := range s.Resources["token"].Release {
		name := strings.TrimPrefix(ShortName(r.Func), "(windows.Token).")
		if err := r.Check(sigs[strings.TrimPrefix(name, "windows.")]); err != nil {
			t.Errorf("%s: %v", r.Func, err)
		}
	}
	for fn, srcs := range s.Sources {
		for _, src := range srcs {
			if err := src.Check(sigs[strings.TrimPrefix(ShortName(fn), "windows.")]); err != nil {
				t.Errorf("%s: %v", fn, err)
			}
		}
	}
}

// wantCheck checks the error of a Check: none when want is empty, else an
// *Error at pos whose message starts with want.
func wantCheck(t *testing.T, err error, pos Pos, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("Check: %v", err)
	case want == "":
	case err == nil:
		t.Errorf("Check succeeded, want %q", want)
	default:
		e, ok := err.(*Error)
		if !ok || e.Pos != pos || !strings.HasPrefix(e.Msg, want) {
			t.Errorf("Check: %T %v\nwant *Error %v: %s", err, err, pos, want)
		}
	}
}

// wantParseError checks that Parse of data fails with an *Error whose
// first line is at rules.yaml:pos and says msg, and returns no File.
func wantParseError(t *testing.T, data, pos, msg string) {
	t.Helper()
	f, err := Parse("rules.yaml", []byte(data))
	if err == nil {
		t.Fatalf("Parse succeeded, want error %s: %s", pos, msg)
	}
	if f != nil {
		t.Errorf("Parse returned a File with an error")
	}
	first := strings.SplitN(err.Error(), "\n", 2)[0]
	if !strings.HasPrefix(first, "rules.yaml:"+pos) || !strings.Contains(first, msg) {
		t.Errorf("error:\n%v\nwant rules.yaml:%s: ...%s...", err, pos, msg)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("error is not an *Error: %T", err)
	}
}
