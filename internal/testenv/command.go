package testenv

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

// offline is the environment every command of the tests runs with: no
// network, and go.mod updated as needed.
var offline = []string{"GOPROXY=off", "GOFLAGS=-mod=mod"}

// Run runs name in dir, offline, with env added, and returns its standard
// output, its standard error and its exit code. A command that cannot run
// fails the test.
func Run(t *testing.T, dir string, env []string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t, dir, env, &out, &errOut, name, args...)
	return out.String(), errOut.String(), code
}

// RunCombined is Run with standard output and error together.
func RunCombined(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	code := run(t, dir, env, &out, &out, name, args...)
	return out.String(), code
}

func run(t *testing.T, dir string, env []string, stdout, stderr *bytes.Buffer, name string, args ...string) int {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append(slices.Clone(offline), env...)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	t.Fatalf("%s: %v", filepath.Base(name), err)
	return 0
}

// Findings parses handlecheck's -json output into sorted
// "file:line category" strings, with file relative to dir.
func Findings(t *testing.T, out, dir string) []string {
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

// BuildBinary builds the command in pkg (a directory or an import path)
// for this machine into a new temporary directory named after prefix, for
// a TestMain: it returns the binary and the directory, which the caller
// removes. The error carries the build's output.
func BuildBinary(prefix, pkg string) (bin, dir string, err error) {
	dir, err = os.MkdirTemp("", prefix)
	if err != nil {
		return "", "", err
	}
	bin = filepath.Join(dir, "handlecheck")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, dir, nil
}
