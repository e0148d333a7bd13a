package runtest_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/testenv"
)

func TestWindows(t *testing.T) {
	for _, pkg := range []string{"./leak", "./handedon", "./borrowed", "./double", "./wrong", "./flow"} {
		t.Run(pkg, func(t *testing.T) {
			run(t, "windows", analyzer.Analyzer, pkg)
		})
	}
}

// TestRuleDoesNotFit checks that a rule whose out index is not a pointer
// parameter of the real function stops the analysis with the rule's
// position, in the pass of the package that declares the function, and
// that each driver shows the error once: analysistest on the declaring
// package, the standalone command (whose packages fail for their failed
// prerequisite), and go vet, which analyzes the declaring package only for
// its facts and shows the error where an importing package is vetted.
func TestRuleDoesNotFit(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	rules := "owned:\n  - func: golang.org/x/sys/windows.OpenProcess\n    resource: handle\n    out: 1\n"
	if err := os.WriteFile(bad, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	want := bad + ":2:11: out: 1 names parameter inheritHandle bool, not a pointer"
	bin := ""
	if !testing.Short() {
		bin = buildCommand(t) // for this machine, before GOOS is set
	}
	t.Setenv("GOOS", "windows")
	var rec testenv.Recorder
	analysistest.Run(&rec, testdata, analyzer.New(analyzer.Config{RulesFiles: []string{bad}}), "golang.org/x/sys/windows")
	if !containsAll(rec.Errs, want) {
		t.Errorf("analysistest on x/sys/windows: want %q; got %q", want, rec.Errs)
	}
	if testing.Short() {
		return
	}
	for _, args := range [][]string{
		{bin, "-goos=windows", "-rules=" + bad, "./leak", "./double"},
		{"go", "vet", "-vettool=" + bin, "-rules=" + bad, "./leak", "./double"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = testdata
		cmd.Env = append(os.Environ(), "GOOS=windows", "GOPROXY=off", "GOFLAGS=-mod=mod")
		out, _ := cmd.CombinedOutput()
		n := strings.Count(string(out), want)
		if args[0] != "go" && n != 1 || args[0] == "go" && n == 0 {
			t.Errorf("%s: the error %q appears %d times; output:\n%s", strings.Join(args[:2], " "), want, n, out)
		}
	}
}

// TestDeterministic runs the analyzer three times over the same packages
// and requires the same diagnostics, related positions included, in the
// same order.
func TestDeterministic(t *testing.T) {
	t.Setenv("GOOS", "windows")
	var first string
	for i := range 3 {
		var b strings.Builder
		for _, r := range analysistest.Run(t, testdata, analyzer.Analyzer, "./double", "./flow", "./borrowed", "./summaries/app") {
			for _, d := range r.Action.Diagnostics {
				fmt.Fprintf(&b, "%v %s %s\n", r.Action.Package.Fset.Position(d.Pos), d.Category, d.Message)
				for _, rel := range d.Related {
					fmt.Fprintf(&b, "\t%v %s\n", r.Action.Package.Fset.Position(rel.Pos), rel.Message)
				}
			}
		}
		if i == 0 {
			first = b.String()
			if strings.Count(first, "\n") < 10 {
				t.Fatalf("too few diagnostics to compare:\n%s", first)
			}
		} else if b.String() != first {
			t.Fatalf("run %d differs from run 0:\n%s\nvs\n%s", i, b.String(), first)
		}
	}
}
