package robust_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// bin is handlecheck, built by TestMain.
var bin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // the test skips: no binary needed
	}
	dir, err := os.MkdirTemp("", "handlecheck-robust")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "handlecheck")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/handlecheck").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
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
	// A crash prints "panic: " and goroutine traces; a message may say
	// "panic" as a word (the impersonation fix advises it).
	for _, bad := range []string{"internal error", "panic: ", "\ngoroutine "} {
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
