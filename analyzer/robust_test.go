package analyzer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
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
// golang.org/x/sys, for windows and linux: no panic, no internal error,
// every package loads, and the JSON output parses. Tests are included for
// x/sys and for the standard packages whose tests call the system
// (import syscall, internal/syscall/... or x/sys): there the tests hold
// handle code. The test variants of all of std would cost three times as
// much (and 7 GB) for type-checking code that calls no handle API: on a
// loaded 2-core machine, go test ./... then ran out of its 10 minutes.
func TestWholeStdAndXSys(t *testing.T) {
	if testing.Short() {
		t.Skip("analyzes all of std and x/sys twice (a minute or two)")
	}
	bin := buildCommand(t)
	for _, goos := range []string{"windows", "linux"} {
		t.Run(goos, func(t *testing.T) {
			runJSON(t, bin, "-goos="+goos, "-test=false", "std", "golang.org/x/sys/...")
			runJSON(t, bin, append([]string{"-goos=" + goos, "golang.org/x/sys/..."}, systemTests(t, goos)...)...)
		})
	}
}

// systemTests lists the standard packages whose tests, as built for goos,
// import syscall, internal/syscall/... or x/sys.
func systemTests(t *testing.T, goos string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}", "std")
	cmd.Env = append(os.Environ(), "GOOS="+goos)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list std: %v", err)
	}
	var pkgs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			if imp == "syscall" || strings.HasPrefix(imp, "internal/syscall/") || strings.Contains(imp, "golang.org/x/sys/") {
				pkgs = append(pkgs, f[0])
				break
			}
		}
	}
	if len(pkgs) < 10 || !slices.Contains(pkgs, "os") || !slices.Contains(pkgs, "syscall") {
		t.Fatalf("std packages whose tests call the system, for %s: %v; want os, syscall and more", goos, pkgs)
	}
	return pkgs
}

// runJSON runs the command with -json and args, and checks that it exits
// 0 and the JSON parses, without internal errors or panics. It stops the
// command a minute before the test's deadline, with a message instead of
// the test binary's panic.
func runJSON(t *testing.T, bin string, args ...string) {
	t.Helper()
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
		defer cancel()
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-json"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("handlecheck %s did not finish before the test deadline (%s spent)", strings.Join(args, " "), time.Since(start).Round(time.Second))
	}
	if err != nil {
		t.Fatalf("handlecheck %s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr.String())
	}
	t.Logf("handlecheck %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Second))
	for _, bad := range []string{"internal error", "panic"} {
		if strings.Contains(stdout.String()+stderr.String(), bad) {
			t.Errorf("output mentions %q:\n%s", bad, stderr.String())
		}
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	// {"pkg": {"handlecheck": [diagnostics] or {"error": "..."}}}
	for pkg, byAnalyzer := range tree {
		for name, v := range byAnalyzer {
			var e struct{ Error string }
			if json.Unmarshal(v, &e) == nil && e.Error != "" {
				t.Errorf("%s: %s: %s", pkg, name, e.Error)
			}
		}
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
