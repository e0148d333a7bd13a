package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/sarif/sariftest"
	"github.com/handlecheck/handlecheck/internal/testenv"
)

// mixed is a module with Linux files, Windows files, files for every
// platform, a Windows-only package, a package that imports
// golang.org/x/sys/windows without a build constraint, and a suppressed
// leak in a common file that only the Linux build has.
var mixed, _ = filepath.Abs(filepath.Join("testdata", "mixed"))

// handlecheck runs the binary in dir and returns its standard
// output, its standard error and its exit code.
func handlecheck(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return testenv.Run(t, dir, env, binary, args...)
}

type jsonDiag struct {
	Posn, Message, Category string
}

// findings parses -json output into "file:line category" strings, with
// file relative to dir.
func findings(t *testing.T, out, dir string) []string {
	t.Helper()
	return testenv.Findings(t, out, dir)
}

// TestWindowsToo checks that a run without -goos on a non-Windows machine
// analyzes the Windows files too, reports a finding in a file built on
// both platforms once, does not count packages that build only for Windows
// as errors, and does not call a directive stale that one platform uses.
func TestWindowsToo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("analyzes a non-Windows GOOS and windows: this machine is windows")
	}
	out, errOut, code := handlecheck(t, mixed, []string{"GOOS=linux"}, "-json", "-rules=rules.yaml", "./...")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	want := []string{
		"both/common.go:12 leak",
		"both/fd_linux.go:7 leak",
		"both/tok_windows.go:8 leak",
		"winimport/reg.go:13 wrong-releaser",
		"winonly/svc_windows.go:9 leak",
	}
	if got := findings(t, out, mixed); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(out, `"suggested_fixes"`) || !strings.Contains(out, `defer Release(s)`) {
		t.Errorf("-json lacks the suggested fix for the leak in common.go:\n%s", out)
	}

	// -goos fixes one platform. For Windows alone, the directive in
	// perplatform suppresses nothing: the leak it is for is Linux's.
	out, _, _ = handlecheck(t, mixed, []string{"GOOS=linux"}, "-json", "-goos=windows", "-rules=rules.yaml", "./...")
	want = []string{
		"both/common.go:12 leak",
		"both/tok_windows.go:8 leak",
		"perplatform/common.go:9 directive",
		"winimport/reg.go:13 wrong-releaser",
		"winonly/svc_windows.go:9 leak",
	}
	if got := findings(t, out, mixed); !slices.Equal(got, want) {
		t.Errorf("-goos=windows findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSARIF checks -sarif=FILE against the SARIF 2.1.0 schema, and its
// repository-relative paths.
func TestSARIF(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.sarif")
	_, errOut, code := handlecheck(t, mixed, []string{"GOOS=linux"}, "-sarif="+file, "-rules=rules.yaml", "./...")
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "winonly/svc_windows.go:9:12: handle from windows.OpenProcess") {
		t.Errorf("-sarif=FILE did not print the findings as text too:\n%s", errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(data); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v\n%s", err, data)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
					}
				}
				RelatedLocations    []json.RawMessage
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range log.Runs[0].Results {
		a := r.Locations[0].PhysicalLocation.ArtifactLocation
		got = append(got, a.URIBaseID+" "+a.URI+" "+r.RuleID)
		if r.RuleID == "leak" && len(r.RelatedLocations) == 0 {
			t.Errorf("leak in %s has no related location", a.URI)
		}
		if len(r.PartialFingerprints) == 0 {
			t.Errorf("result in %s has no fingerprint", a.URI)
		}
	}
	want := []string{
		"%SRCROOT% both/common.go leak",
		"%SRCROOT% both/fd_linux.go leak",
		"%SRCROOT% both/tok_windows.go leak",
		"%SRCROOT% winimport/reg.go wrong-releaser",
		"%SRCROOT% winonly/svc_windows.go leak",
	}
	if !slices.Equal(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// -sarif alone writes the log to standard output.
	out, _, code := handlecheck(t, mixed, []string{"GOOS=linux"}, "-sarif", "-goos=linux", "./both")
	if err := sariftest.Validate([]byte(out)); err != nil || code != 3 {
		t.Errorf("-sarif: exit %d, validation: %v\n%s", code, err, out)
	}
}

// TestBaseline records today's findings, then checks that they stay
// suppressed when lines are added above them, and that a new one is
// reported.
func TestBaseline(t *testing.T) {
	dir := testenv.CopyDir(t, mixed)
	env := []string{"GOOS=linux"}
	args := func(first string) []string { return []string{first, "-goos=windows", "-rules=rules.yaml", "./both"} }
	_, errOut, code := handlecheck(t, dir, env, args("-write-baseline=baseline.json")...)
	if code != 0 || !strings.Contains(errOut, "recorded 2 findings") {
		t.Fatalf("-write-baseline: exit %d\n%s", code, errOut)
	}
	_, errOut, code = handlecheck(t, dir, env, args("-baseline=baseline.json")...)
	if code != 0 || errOut != "" {
		t.Fatalf("-baseline on unchanged code: exit %d, want 0\n%s", code, errOut)
	}

	// Lines added above the Windows leak move it.
	tok := filepath.Join(dir, "both", "tok_windows.go")
	edit(t, tok, "package both\n", "package both\n\n// Lines added above the leak\n// move it down.\n")
	_, errOut, code = handlecheck(t, dir, env, args("-baseline=baseline.json")...)
	if code != 0 || errOut != "" {
		t.Fatalf("-baseline after lines were added: exit %d, want 0\n%s", code, errOut)
	}
	out, _, _ := handlecheck(t, dir, env, args("-json")...)
	if got := findings(t, out, dir); !slices.Contains(got, "both/tok_windows.go:11 leak") {
		t.Fatalf("the leak did not move to line 11: %v", got)
	}

	// A second leak in a new function is new.
	edit(t, tok, "// Elevated leaks", `// Admin leaks too.
func Admin() bool {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return false
	}
	member, _ := tok.IsMember(nil)
	return member
}

// Elevated leaks`)
	_, errOut, code = handlecheck(t, dir, env, args("-baseline=baseline.json")...)
	if code != 3 || strings.Count(errOut, "is not closed on every path") != 1 || !strings.Contains(errOut, "tok_windows.go:11:") {
		t.Errorf("-baseline with a new leak: exit %d, want 3 and the one new leak (line 11):\n%s", code, errOut)
	}
}

// TestWindowsErrors checks that Windows files that do not compile are
// reported, although the package builds for this machine.
func TestWindowsErrors(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("analyzes a non-Windows GOOS and windows: this machine is windows")
	}
	dir := testenv.CopyDir(t, mixed)
	edit(t, filepath.Join(dir, "both", "tok_windows.go"), "return tok.IsElevated()", "return tok.IsMember(nil)")
	_, errOut, code := handlecheck(t, dir, []string{"GOOS=linux"}, "./both")
	if code != 1 || !strings.Contains(errOut, "tok_windows.go:11:") {
		t.Errorf("exit %d, want 1 and the type error in tok_windows.go; stderr:\n%s", code, errOut)
	}
}

// TestGoVetRelativeRules checks that under go vet a relative -rules path
// is relative to the module root, although go vet runs the tool in each
// package's directory.
func TestGoVetRelativeRules(t *testing.T) {
	out, code := runAt(t, mixed, []string{"GOOS=linux"}, "go", "vet", "-vettool="+binary, "-rules=rules.yaml", "./both")
	if code == 0 || !strings.Contains(out, "common.go:12:7: slot from both.Acquire is not closed on every path") {
		t.Errorf("exit %d, want the rules file's finding; output:\n%s", code, out)
	}
}

// TestFlagConflicts checks flags that do not combine.
func TestFlagConflicts(t *testing.T) {
	for _, args := range [][]string{
		{"-sarif", "-json", "./both"},
		{"-baseline=a", "-write-baseline=b", "./both"},
		{"-sarif=x.sarif", "-fix", "./both"},
	} {
		_, errOut, code := handlecheck(t, mixed, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s lacks %q", file, old)
	}
	if err := os.WriteFile(file, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}
