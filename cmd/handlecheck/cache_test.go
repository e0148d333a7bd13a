package main_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// TestCacheOutputs checks that a warm run prints what a cold one and a run
// without the cache print, byte for byte, in every output format: the
// findings of both platforms merged, the suppressions, the directive that
// only one platform uses.
func TestCacheOutputs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("analyzes a non-Windows GOOS and windows: this machine is windows")
	}
	cacheEnv := []string{"GOOS=linux", "HANDLECHECK_CACHE=" + t.TempDir()}
	for _, args := range [][]string{
		{"-rules=rules.yaml", "-c=1", "./..."},
		{"-json", "-rules=rules.yaml", "./..."},
		{"-sarif", "-rules=rules.yaml", "./..."},
		{"-goos=windows", "-rules=rules.yaml", "./..."},
	} {
		wantOut, wantErr, wantCode := handlecheck(t, mixed, []string{"GOOS=linux"}, append([]string{"-cache=false"}, args...)...)
		for _, run := range []string{"cold", "warm"} {
			out, errOut, code := handlecheck(t, mixed, cacheEnv, args...)
			if out != wantOut || errOut != wantErr || code != wantCode {
				t.Errorf("%s run of handlecheck %s: exit %d, stdout\n%s\nstderr\n%s\nwant exit %d, stdout\n%s\nstderr\n%s",
					run, strings.Join(args, " "), code, out, errOut, wantCode, wantOut, wantErr)
			}
		}
	}
}

// TestCacheRules checks that an edit of a rules file takes effect on the
// next run, and that -clean-cache removes the cache.
func TestCacheRules(t *testing.T) {
	dir := testenv.CopyDir(t, mixed)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	env := []string{"GOOS=linux", "HANDLECHECK_CACHE=" + cacheDir}
	args := []string{"-goos=windows", "-rules=rules.yaml", "./..."}
	_, before, _ := handlecheck(t, dir, env, args...)
	if !strings.Contains(before, "common.go:12:7: slot from both.Acquire is not closed") {
		t.Fatalf("the fixture's leak of a slot is not reported:\n%s", before)
	}
	rules := filepath.Join(dir, "rules.yaml")
	data, err := os.ReadFile(rules)
	if err != nil {
		t.Fatal(err)
	}
	// Acquire hands out a borrowed slot now: Forget leaks nothing.
	if err := os.WriteFile(rules, []byte(strings.Replace(string(data), "owned:", "borrowed:", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, want, wantCode := handlecheck(t, dir, env, append([]string{"-cache=false"}, args...)...)
	_, got, code := handlecheck(t, dir, env, args...)
	if got != want || code != wantCode {
		t.Errorf("after the rules edit, with the cache: exit %d\n%s\nwithout: exit %d\n%s", code, got, wantCode, want)
	}
	if strings.Contains(got, "slot from") || code != 3 || !strings.Contains(got, "token from windows.OpenProcessToken") {
		t.Errorf("the rules edit did not take effect as it should (exit %d):\n%s", code, got)
	}

	if _, err := os.Stat(cacheDir); err != nil {
		t.Fatalf("no cache after the runs: %v", err)
	}
	if _, errOut, code := handlecheck(t, dir, env, "-clean-cache"); code != 0 {
		t.Fatalf("-clean-cache: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(cacheDir); !os.IsNotExist(err) {
		t.Errorf("-clean-cache left %s (%v)", cacheDir, err)
	}
	// A directory that is no cache is not removed.
	if _, errOut, code := handlecheck(t, dir, []string{"HANDLECHECK_CACHE=" + dir}, "-clean-cache"); code != 1 || !strings.Contains(errOut, "does not look like a handlecheck cache") {
		t.Errorf("-clean-cache of the module's directory: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(rules); err != nil {
		t.Errorf("-clean-cache removed a directory that is no cache: %v", err)
	}
}
