package recall

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// src is parsed for real; the findings the tests score are made up, since
// they test the scorer, not the analyzer.
const src = `package p

import "os"

// Open opens.
func Open() (*os.File, error) { // line 6
	f, err := os.Open("x")
	if err != nil {
		return nil, err
	}
	go func() {
		f.Close() // line 12: a closure belongs to Open
	}()
	return f, nil
} // line 15

type T struct{}

func (t *T) Close() error { // line 19
	return nil
}

type G[K any, V any] struct{}

func (g G[K, V]) Get() {} // line 25

func (T) Value() {} // line 27

var x = func() {} // line 29: no declaration around it
`

func writeSrc(t *testing.T) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "p_windows.go")
	if err := os.WriteFile(name, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestEnclosing(t *testing.T) {
	file := writeSrc(t)
	fs := NewFuncs()
	for _, tc := range []struct {
		line int
		want string
	}{
		{1, ""},
		{5, ""}, // the doc comment is not the function's
		{6, "Open"},
		{12, "Open"},
		{15, "Open"},
		{16, ""},
		{19, "T.Close"},
		{20, "T.Close"},
		{25, "G.Get"},
		{27, "T.Value"},
		{29, ""},
		{1000, ""},
	} {
		got, err := fs.Enclosing(file, tc.line)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("Enclosing(line %d) = %q, want %q", tc.line, got, tc.want)
		}
	}
	if _, err := fs.Enclosing(filepath.Join(t.TempDir(), "missing.go"), 1); err == nil {
		t.Error("Enclosing of a missing file: no error")
	}
	names, err := fs.Declared(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(names, " "), "Open T.Close G.Get T.Value"; got != want {
		t.Errorf("Declared = %q, want %q", got, want)
	}
}

func TestInFunction(t *testing.T) {
	file := writeSrc(t)
	at := func(line int) string { return fmt.Sprintf("%s:%d:3", file, line) }
	findings := []Finding{
		{Package: "p", Category: "leak", Posn: at(7), Message: "file from os.Open is not closed"},
		{Package: "p [p.test]", Category: "leak", Posn: at(12), Message: "handle from windows.DuplicateHandle is not closed"},
		{Package: "p", Category: "double-release", Posn: at(8), Message: "double release"},
		{Package: "p", Category: "leak", Posn: at(20), Message: "in Close"},
		{Package: "q", Category: "leak", Posn: at(7), Message: "another package"},
		{Package: "p", Category: "leak", Posn: at(29), Message: "outside any declaration"},
	}
	fs := NewFuncs()
	for _, tc := range []struct {
		fn, category, message string
		want                  []int // indexes into findings
	}{
		{"Open", "leak", "", []int{0, 1}},
		{"Open", "leak", "DuplicateHandle", []int{1}},
		{"Open", "double-release", "", []int{2}},
		{"Open", "wrong-releaser", "", nil},
		{"(*T).Close", "leak", "", []int{3}},
		{"T.Close", "leak", "", []int{3}},
		{"(T).Close", "leak", "", []int{3}},
		{"Close", "leak", "", nil}, // a method is not a function of that name
		{"G.Get", "leak", "", nil},
	} {
		got, err := fs.InFunction(findings, "p", tc.fn, tc.category, tc.message)
		if err != nil {
			t.Fatal(err)
		}
		var want []Finding
		for _, i := range tc.want {
			want = append(want, findings[i])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("InFunction(%s, %s, %q) = %v, want %v", tc.fn, tc.category, tc.message, got, want)
		}
	}
	if _, err := fs.InFunction([]Finding{{Package: "p", Category: "leak", Posn: "nowhere"}}, "p", "Open", "leak", ""); err == nil {
		t.Error("InFunction with a bad position: no error")
	}
}

func TestSplitPosn(t *testing.T) {
	for _, tc := range []struct {
		in   string
		file string
		line int
		ok   bool
	}{
		{"/a/b.go:12:5", "/a/b.go", 12, true},
		{"/a/b.go:12", "/a/b.go", 12, true},
		{`C:\a\b.go:7:1`, `C:\a\b.go`, 7, true},
		{"/a/b.go", "", 0, false},
		{"/a/b.go:x:1", "/a/b.go:x", 1, true}, // file:line, the file named "/a/b.go:x"
		{"/a/b.go:1:x", "", 0, false},
	} {
		file, line, ok := SplitPosn(tc.in)
		if file != tc.file || line != tc.line || ok != tc.ok {
			t.Errorf("SplitPosn(%q) = %q, %d, %v, want %q, %d, %v", tc.in, file, line, ok, tc.file, tc.line, tc.ok)
		}
	}
}

func TestParseJSON(t *testing.T) {
	out := `{
  "p": {"handlecheck": [{"posn": "/a/p.go:3:4", "message": "leak!", "category": "leak"}],
        "ctrlflow": [{"posn": "/a/p.go:1:1", "message": "not ours", "category": "x"}]},
  "q": {"handlecheck": {"error": "analysis skipped due to errors in package"}}
}`
	fs, errs, err := ParseJSON([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Finding{{Package: "p", Category: "leak", Posn: "/a/p.go:3:4", Message: "leak!"}}; fmt.Sprint(fs) != fmt.Sprint(want) {
		t.Errorf("findings = %v, want %v", fs, want)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "q: handlecheck: analysis skipped") {
		t.Errorf("errors = %q", errs)
	}
	if _, _, err := ParseJSON([]byte("not json")); err == nil {
		t.Error("ParseJSON of bad output: no error")
	}
}

func TestLoad(t *testing.T) {
	good := `{"id": "a", "module": "m.io/x", "buggy": "v1.0.0", "fixed": "v1.0.1", "package": "m.io/x/p",
	  "function": "F", "category": "leak", "goos": "linux", "pattern": "direct", "api": "os.Open", "fix": "https://x"}`
	for _, tc := range []struct {
		json, err string
	}{
		{"[" + good + "]", ""},
		{"[" + good + "," + good + "]", "duplicate id"},
		{"[" + strings.Replace(good, `"leak"`, `"leaks"`, 1) + "]", `category "leaks"`},
		{"[" + strings.Replace(good, `"direct"`, `"9"`, 1) + "]", `pattern "9"`},
		{"[" + strings.Replace(good, `"m.io/x/p"`, `"m.io/xy"`, 1) + "]", "not in module"},
		{"[" + strings.Replace(good, `"fix": "https://x"`, `"fix": ""`, 1) + "]", "are required"},
		{"{", "unexpected end"},
	} {
		name := filepath.Join(t.TempDir(), "cases.json")
		os.WriteFile(name, []byte(tc.json), 0o666)
		cases, err := Load(name)
		switch {
		case tc.err == "" && (err != nil || len(cases) != 1):
			t.Errorf("Load(%s) = %d cases, %v", tc.json, len(cases), err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Load(%s): error %v, want %q", tc.json, err, tc.err)
		}
	}
}

// TestCasesFile checks the benchmark's own cases file.
func TestCasesFile(t *testing.T) {
	cases, err := Load("cases.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 25 {
		t.Errorf("%d cases, want at least 25", len(cases))
	}
}
