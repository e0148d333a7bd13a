package analyzer_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

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
