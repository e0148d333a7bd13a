package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/rules"
)

var root = filepath.Join("..", "..", "..")

// TestUpToDate regenerates rules_win32.yaml from the committed
// win32api.txt, rules.yaml and the x/sys of go.mod, and fails while the
// committed file differs. It does not need the metadata snapshot; what it
// cannot check is that win32api.txt matches the snapshot (TestExtract).
func TestUpToDate(t *testing.T) {
	want, err := generateFrom(root)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, outFile, handlecheck.Win32Rules, want, "go run ./internal/cmd/win32rules")
}

// TestExtract re-extracts win32api.txt from the snapshot that
// HANDLECHECK_WIN32METADATA names (a git directory of
// github.com/microsoft/win32metadata at the commit win32api.txt records).
func TestExtract(t *testing.T) {
	dir := os.Getenv("HANDLECHECK_WIN32METADATA")
	if dir == "" {
		t.Skip("HANDLECHECK_WIN32METADATA is not set: win32api.txt is not checked against the metadata (only rules_win32.yaml against win32api.txt, by TestUpToDate)")
	}
	committed, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(factsFile)))
	if err != nil {
		t.Fatal(err)
	}
	ft, err := parseFacts(factsFile, committed)
	if err != nil {
		t.Fatal(err)
	}
	got, err := extractFacts(dir, ft.commit)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, factsFile, committed, got, "go run ./internal/cmd/win32rules -metadata="+dir+" -extract")
}

func diff(t *testing.T, name string, got, want []byte, cmd string) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		gl, wl := "(end of file)", "(end of file)"
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s is out of date: run `%s` from the module root\nfirst difference, line %d:\n  committed: %s\n  generated: %s", name, cmd, i+1, gl, wl)
		}
	}
}

// TestDefaultsLoad merges the three default files as the analyzer does.
func TestDefaultsLoad(t *testing.T) {
	var files []*rules.File
	for _, f := range handlecheck.DefaultFiles {
		pf, err := rules.Parse(f.Name, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, pf)
	}
	set, err := rules.Merge(files...)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for fn := range set.Sources {
		if rules.IsNative(fn) {
			n++
		}
	}
	if n < 500 {
		t.Errorf("only %d native procedures have source rules; want the metadata's hundreds", n)
	}
}

// TestInStep checks that rules.yaml's hand-written native rules say what
// its rules on the x/sys and syscall functions that call the same
// procedure say, carried over mechanically: same resource, out and
// success, owned or borrowed. A hand-written native rule that disagrees
// (or an x/sys rule changed without its native twin) fails.
func TestInStep(t *testing.T) {
	g := newTestGenerator(t)
	checked := 0
	for proc, hand := range g.hand.Sources {
		derived := g.xsysSources[proc]
		if !rules.IsNative(proc) || len(derived) == 0 {
			continue
		}
		key := func(resource string, out rules.Param, success string, borrowed bool) string {
			return nativeRule{resource: resource, out: out, success: success, borrowed: borrowed}.key()
		}
		var hk, dk []string
		for _, s := range hand {
			if len(s.When) > 0 {
				t.Errorf("%s: a hand-written native rule with a condition: compare it by hand", proc)
			}
			hk = append(hk, key(s.Resource.Name, s.Out, s.Success, s.Borrowed))
		}
		for _, r := range derived {
			dk = append(dk, key(r.resource, r.out, r.success, r.borrowed))
		}
		if strings.Join(hk, "|") != strings.Join(dk, "|") {
			t.Errorf("%s: rules.yaml says %v, its x/sys callers' rules carried over say %v (%s)", proc, hk, dk, derived[0].comment)
		}
		checked++
	}
	t.Logf("%d hand-written native procedures compared with x/sys's rules carried over", checked)
	if checked < 10 {
		t.Errorf("only %d hand-written native rules compared with x/sys's; want all of rules.yaml's", checked)
	}
	// Every hand-written native release rule on a procedure that x/sys
	// calls matches an x/sys release rule carried over.
	for name, res := range g.hand.Resources {
		for _, rel := range res.Release {
			if !rules.IsNative(rel.Func) {
				continue
			}
			found, called := false, false
			for fn, w := range g.in.wrappers {
				if w.proc != rel.Func {
					continue
				}
				called = true
				for _, r := range g.hand.Releasers[fn] {
					if r.Resource == res && w.args[r.Arg] == rel.Arg {
						found = true
					}
				}
			}
			if called && !found {
				t.Errorf("%s releases %s, but no x/sys or syscall releaser of %s calls it with that argument", rel.Func, name, name)
			}
		}
	}
}

func newTestGenerator(t *testing.T) *generator {
	t.Helper()
	dir, version, err := xsysDir(root)
	if err != nil {
		t.Fatal(err)
	}
	ws, consts, err := xsysTables(map[string]string{"golang.org/x/sys/windows": filepath.Join(dir, "windows"), "golang.org/x/sys/windows/registry": filepath.Join(dir, "windows", "registry")})
	if err != nil {
		t.Fatal(err)
	}
	f, err := rules.Parse("rules.yaml", handlecheck.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	hand, err := rules.Merge(f)
	if err != nil {
		t.Fatal(err)
	}
	g := &generator{in: inputs{wrappers: ws, consts: consts, xsys: version}, hand: hand, stats: map[string]int{},
		xsysSources: map[string][]nativeRule{}, releases: map[string][]nativeRelease{}, newRes: map[string]bool{},
		resComment: map[string]string{}, closeRes: map[string]string{}}
	g.deriveXsys()
	return g
}

// TestXsysTable checks the table reader on x/sys itself: CreateFile's
// parameters are the procedure's arguments in order and its result the
// return value; OpenProcessToken's token is argument 2 and a BOOL;
// RegOpenKeyEx returns a status; LoadLibrary forwards to _LoadLibrary.
func TestXsysTable(t *testing.T) {
	g := newTestGenerator(t)
	for _, c := range []struct {
		fn, proc string
		arg      [2]rules.Param // Go parameter -> native argument
		ret      bool
		success  string
	}{
		{"golang.org/x/sys/windows.CreateFile", "kernel32.dll!CreateFileW", [2]rules.Param{6, 6}, true, ""},
		{"golang.org/x/sys/windows.OpenProcessToken", "advapi32.dll!OpenProcessToken", [2]rules.Param{2, 2}, false, "nonzero"},
		{"golang.org/x/sys/windows.RegOpenKeyEx", "advapi32.dll!RegOpenKeyExW", [2]rules.Param{4, 4}, false, "zero"},
		{"golang.org/x/sys/windows.LoadLibrary", "kernel32.dll!LoadLibraryW", [2]rules.Param{-1, -1}, true, ""},
		{"golang.org/x/sys/windows.CertFindCertificateInStore", "crypt32.dll!CertFindCertificateInStore", [2]rules.Param{5, 5}, true, ""},
	} {
		w := g.in.wrappers[c.fn]
		if w == nil {
			t.Errorf("%s: not read", c.fn)
			continue
		}
		if w.proc != c.proc {
			t.Errorf("%s calls %s, want %s", c.fn, w.proc, c.proc)
		}
		if c.arg[0] >= 0 && w.args[c.arg[0]] != c.arg[1] {
			t.Errorf("%s: parameter %d is argument %d, want %d", c.fn, c.arg[0], w.args[c.arg[0]], c.arg[1])
		}
		if w.ret[0] != c.ret {
			t.Errorf("%s: result 0 is the return value: %v, want %v", c.fn, w.ret[0], c.ret)
		}
		if c.success != "" && w.success != c.success {
			t.Errorf("%s: success %q, want %q", c.fn, w.success, c.success)
		}
	}
}
