package firstcontact_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// binary is handlecheck built for this machine by TestMain.
var binary string

// mixed is cmd/handlecheck's module of Linux files, Windows files, files
// for every platform, a Windows-only package and a package that imports
// golang.org/x/sys/windows without a build constraint.
var mixed, _ = filepath.Abs(filepath.Join("..", "testdata", "mixed"))

func TestMain(m *testing.M) {
	var dir string
	var err error
	binary, dir, err = testenv.BuildBinary("handlecheck-firstcontact", "..")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
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
	return testenv.Run(t, dir, env, binary, args...)
}

// runAt runs a command in dir, offline, and returns its output (standard
// output and error together) and exit code.
func runAt(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	return testenv.RunCombined(t, dir, env, name, args...)
}

// findings parses -json output into "file:line category" strings, with
// file relative to dir.
func findings(t *testing.T, out, dir string) []string {
	t.Helper()
	return testenv.Findings(t, out, dir)
}
