package analyzer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binDir    string
	binErr    error
)

// buildCommand builds cmd/handlecheck once per test run and returns it.
func buildCommand(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "handlecheck-bin"); binErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "handlecheck"), "../cmd/handlecheck").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "handlecheck")
}

// TestWholeStdAndXSys runs the command over the whole standard library and
// golang.org/x/sys, tests included, for windows and linux: no panic, no
// internal error, every package loads, and the JSON output parses.
func TestWholeStdAndXSys(t *testing.T) {
	if testing.Short() {
		t.Skip("analyzes all of std and x/sys twice (a few minutes)")
	}
	bin := buildCommand(t)
	for _, goos := range []string{"windows", "linux"} {
		t.Run(goos, func(t *testing.T) {
			cmd := exec.Command(bin, "-goos="+goos, "-json", "std", "golang.org/x/sys/...")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if err != nil {
				t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
			}
			for _, bad := range []string{"internal error", "panic"} {
				if strings.Contains(stdout.String()+stderr.String(), bad) {
					t.Errorf("output mentions %q:\n%s", bad, stderr.String())
				}
			}
			var tree map[string]map[string]json.RawMessage
			if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
				t.Fatalf("bad JSON: %v", err)
			}
			if len(tree) == 0 {
				// -json lists only packages with diagnostics or errors;
				// std for windows has some (see EVALUATION.md).
				t.Logf("no package with diagnostics")
			}
			for pkg, byAnalyzer := range tree {
				if e, ok := byAnalyzer["error"]; ok {
					t.Errorf("%s: %s", pkg, e)
				}
			}
		})
	}
}

// TestTypeErrors runs the command on a package that does not type-check:
// it exits 1 naming the error, and analyzes nothing there (a deliberate
// silence: go vet and golangci-lint do not run analyzers on such packages
// either).
func TestTypeErrors(t *testing.T) {
	bin := buildCommand(t)
	cmd := exec.Command(bin, "-goos=linux", "./typeerror")
	cmd.Dir = testdata
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 1 {
		t.Fatalf("err = %v, want exit status 1; output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "typeerror_linux.go:12") || strings.Contains(string(out), "panic") {
		t.Errorf("want the type error at typeerror_linux.go:12 and no panic; output:\n%s", out)
	}
}
