package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata", "src"))

// binary is handlecheck built for this machine by TestMain.
var binary string

func TestMain(m *testing.M) {
	var dir string
	var err error
	binary, dir, err = testenv.BuildBinary("handlecheck-cmd-test", ".")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The binary's runs share a cache of their own, never the user's:
	// the tests that run the same packages twice run them warm.
	os.Setenv("HANDLECHECK_CACHE", filepath.Join(dir, "cache"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build returns the handlecheck binary.
func build(t *testing.T) string {
	t.Helper()
	return binary
}

// runIn runs a command in the test module, offline, and returns its output
// and exit code.
func runIn(t *testing.T, env []string, name string, args ...string) (string, int) {
	t.Helper()
	return runAt(t, testdata, env, name, args...)
}

// runAt runs a command in dir, offline, and returns its output (standard
// output and error together) and exit code.
func runAt(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	return testenv.RunCombined(t, dir, env, name, args...)
}

// TestGoVet runs the built binary as go vet's tool over Windows code.
func TestGoVet(t *testing.T) {
	bin := build(t)
	out, code := runIn(t, []string{"GOOS=windows"}, "go", "vet", "-vettool="+bin, "./leak", "./handedon")
	if code == 0 {
		t.Fatalf("go vet exited 0; output:\n%s", out)
	}
	for _, want := range []string{
		"leak_windows.go:15:9: token from windows.OpenProcessToken is not closed on every path: release it with (windows.Token).Close or windows.CloseHandle",
		"leak_windows.go:25:12: handle from windows.OpenProcess is not closed on every path",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet output lacks %q; output:\n%s", want, out)
		}
	}
	if strings.Contains(out, "handedon_windows.go") {
		t.Errorf("go vet reported a false alarm in handedon:\n%s", out)
	}
}

// TestStandaloneJSON runs the binary standalone with -json and -goos.
func TestStandaloneJSON(t *testing.T) {
	bin := build(t)
	out, code := runIn(t, nil, bin, "-goos=windows", "-json", "./double", "./borrowed")
	if code != 0 {
		t.Fatalf("exit %d; output:\n%s", code, out)
	}
	// {"pkg": {"handlecheck": [{"posn": ..., "message": ..., "category": ...}]}}
	var tree map[string]map[string][]struct {
		Posn     string `json:"posn"`
		Message  string `json:"message"`
		Category string `json:"category"`
	}
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	count := map[string]int{}
	for _, byAnalyzer := range tree {
		for _, d := range byAnalyzer["handlecheck"] {
			count[d.Category]++
		}
	}
	if count["double-release"] == 0 || count["borrowed-release"] == 0 {
		t.Errorf("categories = %v, want double-release and borrowed-release; output:\n%s", count, out)
	}
}

// TestBadRules checks that a broken rules file stops the run with its
// position.
func TestBadRules(t *testing.T) {
	bin := build(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("owned:\n  - func: os.Open\n    resorce: handle\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := runIn(t, nil, bin, "-goos=windows", "-rules="+bad, "./leak")
	if code != 1 || !strings.Contains(out, bad+":3:5: ") {
		t.Errorf("exit %d, want 1 and an error at %s:3:5; output:\n%s", code, bad, out)
	}
}

// TestGoVetRulesErrorOnce checks that under go vet a rules error is
// reported in full once, not once per package: a rules file that does not
// load, which every package meets, and a rule that does not fit the
// function it names, which every package that imports that function's
// meets. The other packages, and those that import a failed package, say
// in one line where it was reported (not "could not import"); and the run
// fails the second time too: go vet must not cache the packages as
// analyzed.
func TestGoVetRulesErrorOnce(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":    "module example.com/m\n\ngo 1.22\n",
		"a/a.go":    "package a\n\nimport \"strings\"\n\nfunc A() string { return strings.ToUpper(\"a\") }\n",
		"b/b.go":    "package b\n\nimport \"example.com/m/a\"\n\nfunc B() string { return a.A() }\n",
		"c/c.go":    "package c\n\nimport \"example.com/m/b\"\n\nfunc C() string { return b.B() }\n",
		"d/d.go":    "package d\n\nfunc D() int { return 1 }\n",
		"bad.yaml":  "resources:\n  - name: x\n    bogus: 1\n",
		"decl.yaml": "resources:\n  - name: x\n    release:\n      - func: syscall.Close\nowned:\n  - func: example.com/m/a.A\n    resource: x\n    result: 3\n",
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		rules, error string
		others       int // the packages that say where it was reported
	}{
		{"bad.yaml", `bad.yaml:3:5: unknown key "bogus" in resource`, 3},                   // a, b, c, d meet it
		{"decl.yaml", `decl.yaml:6:11: result: 3 is not a result of example.com/m/a.A`, 2}, // a declares A; b and c import it
	} {
		for run := 1; run <= 2; run++ {
			out, code := runAt(t, dir, nil, "go", "vet", "-vettool="+binary, "-rules="+c.rules, "./...")
			full := strings.Count(out, c.error)
			once := strings.Count(out, "handlecheck: the rules have errors, reported once, under example.com/m/")
			if code == 0 || full != 1 || once != c.others || strings.Contains(out, "could not import") {
				t.Errorf("%s, run %d: exit %d, the error in full %d times, the one-line reference %d times; want exit 1, once and %d times; output:\n%s",
					c.rules, run, code, full, once, c.others, out)
			}
		}
	}
}
