package analyzer_test

import (
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
