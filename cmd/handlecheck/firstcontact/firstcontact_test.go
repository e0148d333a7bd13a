package firstcontact_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// The tests in this file are a new user's first contact with the command
// (issue 16): the default run on single-platform code, the command line,
// and the text output.

// unixlib is a module with a library that does not support Windows (lib),
// a package of Linux files only (nix), Windows code by build constraint
// that does not type-check (wintag), and a package that builds only with a
// build tag (tagged).
var unixlib, _ = filepath.Abs(filepath.Join("testdata", "unixlib"))

var linux = []string{"GOOS=linux"}

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("analyzes a non-Windows GOOS and windows: this machine is windows")
	}
}

// findingLine matches a line that line-oriented tools (editors' problem
// matchers, reviewdog) take for a finding.
var findingLine = regexp.MustCompile(`(?m)^\S+?\.go:\d+:\d+: `)

// TestWindowsOnlyPattern checks that a pattern that matches only Windows
// packages, as a directory or an import path, analyzes them on Linux.
func TestWindowsOnlyPattern(t *testing.T) {
	skipOnWindows(t)
	for _, pattern := range []string{"./winonly/...", "handlecheck.test/mixed/winonly/..."} {
		_, errOut, code := handlecheck(t, mixed, linux, pattern)
		if code != 3 || !strings.Contains(errOut, "winonly/svc_windows.go:9:12: handle from windows.OpenProcess is not closed on every path") || strings.Contains(errOut, "matched no packages") {
			t.Errorf("handlecheck %s: exit %d, want 3 and the leak in svc_windows.go; stderr:\n%s", pattern, code, errOut)
		}
	}
	_, errOut, code := handlecheck(t, mixed, linux, "handlecheck.test/mixed/nosuch/...")
	if code != 1 || strings.TrimSpace(errOut) != "handlecheck: handlecheck.test/mixed/nosuch/... matched no packages" {
		t.Errorf("a pattern that matches nothing on either platform: exit %d, want 1 and one line; stderr:\n%s", code, errOut)
	}
}

// TestNoWindowsSupport checks that a library whose Windows build fails to
// type-check only in files that every platform compiles is analyzed for
// Linux, with no error: its Windows build is skipped, and -v says so. A
// type error in a file constrained to windows stays an error.
func TestNoWindowsSupport(t *testing.T) {
	skipOnWindows(t)
	_, errOut, code := handlecheck(t, unixlib, linux, "./lib")
	if code != 3 || !strings.HasPrefix(errOut, "lib/fd.go:11:13: fd from unix.Open is not closed on every path") || strings.Contains(errOut, "undefined") || strings.Contains(errOut, "skipped") {
		t.Errorf("exit %d, want 3, the Linux finding and no error; stderr:\n%s", code, errOut)
	}
	_, errOut, code = handlecheck(t, unixlib, linux, "-v", "./lib")
	want := "handlecheck: skipped the Windows build of handlecheck.test/unixlib/lib: it fails to type-check outside Windows-only files, so the package does not support Windows (lib/fd.go:11:18: undefined: unix.Open)\n"
	if code != 3 || !strings.HasPrefix(errOut, want) || strings.Count(errOut, "skipped") != 1 {
		t.Errorf("-v: exit %d, want 3 and, once:\n%sstderr:\n%s", code, want, errOut)
	}
	out, errOut, code := handlecheck(t, unixlib, linux, "-json", "-test=false", "./lib")
	if got := findings(t, out, unixlib); code != 0 || errOut != "" || !slices.Equal(got, []string{"lib/fd.go:11 leak"}) {
		t.Errorf("-json: exit %d, findings %v, stderr:\n%s", code, got, errOut)
	}

	// The type error in wintag is in a Windows-only file: an error, given
	// once, without Linux's "no files" for the package.
	_, errOut, code = handlecheck(t, unixlib, linux, "./wintag")
	want = `wintag/tag.go:12:13: tok.IsAdministrator undefined (type "golang.org/x/sys/windows".Token has no field or method IsAdministrator)` + "\n"
	if code != 1 || errOut != want {
		t.Errorf("exit %d, want 1 and only\n%sstderr:\n%s", code, want, errOut)
	}
}

// TestLinuxOnlyPattern checks that a pattern over Linux files only, which
// matches no package for Windows, gives no warning about Windows files.
func TestLinuxOnlyPattern(t *testing.T) {
	skipOnWindows(t)
	_, errOut, code := handlecheck(t, unixlib, linux, "./nix/...")
	if code != 3 || strings.Contains(errOut, "warning") || len(findingLine.FindAllString(errOut, -1)) != 1 || !strings.HasPrefix(errOut, "nix/fd_linux.go:8:14: fd from unix.Dup") {
		t.Errorf("exit %d, want 3 and the one finding, no warning; stderr:\n%s", code, errOut)
	}
}

// TestErrorsOnce checks that load errors are printed once, without go
// list's "-:" position, and that "help" is not a package.
func TestErrorsOnce(t *testing.T) {
	_, errOut, code := handlecheck(t, mixed, linux, "./nonexistent")
	if code != 1 || errOut != "stat nonexistent: directory not found\n" {
		t.Errorf("./nonexistent: exit %d, want 1 and one line; stderr:\n%s", code, errOut)
	}
	// -goos=windows over the library: the package, its test variant and
	// the test binary all meet the same type errors.
	_, errOut, code = handlecheck(t, unixlib, linux, "-goos=windows", "./lib")
	if code != 1 || strings.Count(errOut, "lib/fd.go:11:18: undefined: unix.Open\n") != 1 || !strings.Contains(errOut, "lib/fd_test.go:11:10: undefined: unix.Getpid") {
		t.Errorf("-goos=windows ./lib: exit %d, want 1 and each type error once; stderr:\n%s", code, errOut)
	}
	out, errOut, code := handlecheck(t, mixed, linux, "help")
	if code != 0 || !strings.Contains(out, "Usage: handlecheck [flags] packages") || errOut != "" {
		t.Errorf("help: exit %d, want 0 and the usage; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestBadGOOS checks that a misspelled -goos is a bad flag, in one line
// that gives the valid values.
func TestBadGOOS(t *testing.T) {
	_, errOut, code := handlecheck(t, mixed, nil, "-goos=windws", "./both")
	if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "handlecheck: -goos=windws: unknown GOOS; valid values: ") ||
		!strings.Contains(errOut, " linux,") || !strings.Contains(errOut, " windows") {
		t.Errorf("exit %d, want 2 and one line with the valid values; stderr:\n%s", code, errOut)
	}
}

// TestFix checks that -fix without -goos applies the fixes in Windows files
// too, says what it fixed and what remains, and exits 3 while findings
// remain and 0 when none do.
func TestFix(t *testing.T) {
	skipOnWindows(t)
	dir := testenv.CopyDir(t, mixed)
	_, errOut, code := handlecheck(t, dir, linux, "-rules=rules.yaml", "-fix", "./...")
	for _, want := range []string{
		"handlecheck: fixed both/common.go:12:7 [leak]: release it with defer Release(s)\n",
		"handlecheck: fixed both/tok_windows.go:8:12 [leak]: release it with defer tok.Close()\n",
		"handlecheck: fixed 2 of 5 findings in 2 files; 3 have no suggested fix\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-fix: stderr lacks %q", want)
		}
	}
	if code != 3 || len(findingLine.FindAllString(errOut, -1)) != 3 {
		t.Errorf("-fix: exit %d, want 3 and the 3 findings that remain; stderr:\n%s", code, errOut)
	}
	for file, want := range map[string]string{
		"both/common.go":      "\ts := Acquire()\n\tdefer Release(s)\n",
		"both/tok_windows.go": "\t}\n\tdefer tok.Close()\n\treturn tok.IsElevated()\n",
	} {
		if data, _ := os.ReadFile(filepath.Join(dir, file)); !strings.Contains(string(data), want) {
			t.Errorf("%s after -fix lacks %q:\n%s", file, want, data)
		}
	}
	if out, err := exec.Command("gofmt", "-l", dir).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("gofmt -l after -fix: %v %s", err, out)
	}
	out, _, _ := handlecheck(t, dir, linux, "-rules=rules.yaml", "-json", "./...")
	if got, want := findings(t, out, dir), []string{"both/fd_linux.go:7 leak", "winimport/reg.go:13 wrong-releaser", "winonly/svc_windows.go:9 leak"}; !slices.Equal(got, want) {
		t.Errorf("findings after -fix: %v, want %v", got, want)
	}
	_, errOut, code = handlecheck(t, dir, linux, "-rules=rules.yaml", "-fix", "./...")
	if code != 3 || !strings.Contains(errOut, "handlecheck: fixed 0 of 3 findings in 0 files; 3 have no suggested fix\n") {
		t.Errorf("-fix again: exit %d, want 3 and nothing fixed; stderr:\n%s", code, errOut)
	}

	// Every finding fixed: exit 0.
	dir = testenv.CopyDir(t, mixed)
	_, errOut, code = handlecheck(t, dir, linux, "-rules=rules.yaml", "-goos=windows", "-fix", "./both")
	if code != 0 || !strings.HasSuffix(errOut, "handlecheck: fixed 2 of 2 findings in 2 files; 0 have no suggested fix\n") {
		t.Errorf("-fix fixing everything: exit %d, want 0; stderr:\n%s", code, errOut)
	}
}

// TestDiff checks that -diff alone prints the fixes as a diff that git
// apply takes, and changes no file: applied, it gives what -fix writes.
func TestDiff(t *testing.T) {
	skipOnWindows(t)
	dir := testenv.CopyDir(t, mixed)
	out, errOut, code := handlecheck(t, dir, linux, "-rules=rules.yaml", "-diff", "./...")
	if code != 3 || !strings.Contains(errOut, "handlecheck: the diff fixes 2 of 5 findings in 2 files; 3 have no suggested fix\n") ||
		len(findingLine.FindAllString(errOut, -1)) != 3 {
		t.Errorf("-diff: exit %d, want 3, the summary and the 3 findings without a fix; stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"--- a/both/common.go\n+++ b/both/common.go\n@@ -10,5 +10,6 @@\n", "+\tdefer Release(s)\n", "+++ b/both/tok_windows.go\n", "+\tdefer tok.Close()\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("-diff output lacks %q:\n%s", want, out)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "both", "common.go")); strings.Contains(string(data), "defer") {
		t.Errorf("-diff changed common.go")
	}
	patch := filepath.Join(t.TempDir(), "fix.diff")
	if err := os.WriteFile(patch, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, code := runAt(t, dir, nil, "git", "apply", patch); code != 0 {
		t.Fatalf("git apply: exit %d\n%s\n%s", code, msg, out)
	}
	fixed := testenv.CopyDir(t, mixed)
	handlecheck(t, fixed, linux, "-rules=rules.yaml", "-fix", "./...")
	for _, file := range []string{"both/common.go", "both/tok_windows.go", "both/fd_linux.go"} {
		a, _ := os.ReadFile(filepath.Join(dir, file))
		b, _ := os.ReadFile(filepath.Join(fixed, file))
		if string(a) != string(b) {
			t.Errorf("%s: the diff applied gives\n%s\n-fix gives\n%s", file, a, b)
		}
	}
}

// TestVersion checks -version, go vet's -V=full and the SARIF log's tool
// version against the module version that the go command recorded in the
// binary.
func TestVersion(t *testing.T) {
	out, code := runAt(t, mixed, nil, "go", "version", "-m", binary)
	m := regexp.MustCompile(`(?m)^\tmod\tgithub\.com/handlecheck/handlecheck\t(\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("go version -m: exit %d\n%s", code, out)
	}
	want := m[1]
	if want == "(devel)" {
		want = "devel"
	}
	got, _, code := handlecheck(t, mixed, nil, "-version")
	if code != 0 || !strings.HasPrefix(got, "handlecheck "+want+" ") || !strings.Contains(got, runtime.Version()) {
		t.Errorf("-version: exit %d, %q, want handlecheck %s ... %s", code, got, want, runtime.Version())
	}
	data, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	got, _, code = handlecheck(t, mixed, nil, "-V=full")
	if full := fmt.Sprintf("handlecheck version %s buildID=%x\n", want, sha256.Sum256(data)); code != 0 || got != full {
		t.Errorf("-V=full: exit %d, %q, want %q", code, got, full)
	}
	got, _, _ = handlecheck(t, mixed, linux, "-sarif", "-goos=linux", "./both")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Name, Version string }
			}
		}
	}
	if err := json.Unmarshal([]byte(got), &log); err != nil || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Version != want {
		t.Errorf("SARIF tool version: %v %+v, want %s", err, log.Runs, want)
	}
}

// TestUsage checks the run without packages (the usage, exit 2) and that
// -h names what a new user looks for.
func TestUsage(t *testing.T) {
	out, errOut, code := handlecheck(t, mixed, nil)
	if code != 2 || out != "" || !strings.HasPrefix(errOut, "handlecheck: no packages given: name them, as in 'handlecheck ./...'\n") || !strings.Contains(errOut, "Usage:") {
		t.Errorf("no arguments: exit %d, want 2 and the usage on stderr; stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	out, _, code = handlecheck(t, mixed, nil, "-h")
	for _, want := range []string{"//handlecheck:ignore CATEGORY reason", "-rules FILE", "-tags TAG", "-fix", "-diff", "-version", "https://github.com/handlecheck/handlecheck"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("-h: exit %d, stdout lacks %q", code, want)
		}
	}
}

// TestTags checks that -tags reaches the go command.
func TestTags(t *testing.T) {
	_, errOut, code := handlecheck(t, unixlib, linux, "-goos=linux", "./tagged")
	if code != 1 || !strings.Contains(errOut, "build constraints exclude all Go files in tagged") {
		t.Errorf("without -tags: exit %d, want 1; stderr:\n%s", code, errOut)
	}
	_, errOut, code = handlecheck(t, unixlib, linux, "-goos=linux", "-tags=handlecheck_extra", "./tagged")
	if code != 3 || !strings.HasPrefix(errOut, "tagged/tagged.go:10:13: fd from unix.Open is not closed on every path") {
		t.Errorf("-tags=handlecheck_extra: exit %d, want 3 and the leak; stderr:\n%s", code, errOut)
	}
}

// TestTextOutput checks the text output: paths relative to the working
// directory, the category at the end of each finding, and related
// positions on indented lines that line-oriented tools do not take for
// findings.
func TestTextOutput(t *testing.T) {
	skipOnWindows(t)
	_, errOut, code := handlecheck(t, mixed, linux, "-rules=rules.yaml", "./...")
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, errOut)
	}
	var got []string
	for _, line := range findingLine.FindAllString(errOut, -1) {
		got = append(got, strings.TrimSuffix(line, ": "))
	}
	want := []string{"both/common.go:12:7", "both/fd_linux.go:7:13", "both/tok_windows.go:8:12", "winimport/reg.go:13:9", "winonly/svc_windows.go:9:12"}
	if !slices.Equal(got, want) {
		t.Errorf("finding lines at %v, want one per finding: %v; stderr:\n%s", got, want, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	category := regexp.MustCompile(` \[(leak|wrong-releaser)\]$`)
	related := regexp.MustCompile(`^\t\S.* \((both|winonly)/\w+\.go:\d+:\d+\)$`)
	for _, line := range lines {
		if findingLine.MatchString(line) && !category.MatchString(line) || !findingLine.MatchString(line) && !related.MatchString(line) {
			t.Errorf("line %q is neither a finding ending in its category nor a related position", line)
		}
	}
	wantPair := "both/fd_linux.go:7:13: fd from unix.Open is not closed on every path: release it with unix.Close [leak]\n" +
		"\tthe fd from unix.Open is still held when the function returns here (both/fd_linux.go:12:3)\n"
	if !strings.Contains(errOut, wantPair) {
		t.Errorf("stderr lacks\n%s", wantPair)
	}
	if strings.Contains(errOut, mixed) {
		t.Errorf("stderr has absolute paths:\n%s", errOut)
	}
}
