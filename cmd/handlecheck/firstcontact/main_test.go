package firstcontact_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// binary is handlecheck built for this machine by TestMain.
var binary string

// mixed is cmd/handlecheck's module of Linux files, Windows files, files
// for every platform, a Windows-only package and a package that imports
// golang.org/x/sys/windows without a build constraint.
var mixed, _ = filepath.Abs(filepath.Join("..", "testdata", "mixed"))

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "handlecheck-firstcontact")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "handlecheck")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", binary, "..")
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// handlecheck runs the binary in dir, offline, and returns its standard
// output, its standard error and its exit code.
func handlecheck(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"GOPROXY=off", "GOFLAGS=-mod=mod"}, env...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("handlecheck: %v", err)
	}
	return out.String(), errOut.String(), code
}

// runAt runs a command in dir, offline, and returns its output (standard
// output and error together) and exit code.
func runAt(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"GOPROXY=off", "GOFLAGS=-mod=mod"}, env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	}
	t.Fatalf("%s: %v", name, err)
	return "", 0
}

// findings parses -json output into "file:line category" strings, with
// file relative to dir.
func findings(t *testing.T, out, dir string) []string {
	t.Helper()
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	var got []string
	for _, byAnalyzer := range tree {
		var diags []struct{ Posn, Category string }
		if err := json.Unmarshal(byAnalyzer["handlecheck"], &diags); err != nil {
			t.Fatalf("not a list of diagnostics: %s", byAnalyzer["handlecheck"])
		}
		for _, d := range diags {
			file, rest, _ := strings.Cut(d.Posn, ".go:")
			rel, _ := filepath.Rel(dir, file+".go")
			line, _, _ := strings.Cut(rest, ":")
			got = append(got, filepath.ToSlash(rel)+":"+line+" "+d.Category)
		}
	}
	slices.Sort(got)
	return got
}
