package rulesdoc_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/internal/rulesdoc"
	"github.com/handlecheck/handlecheck/rules"
)

// root is the module root, from this package's directory.
var root = filepath.Join("..", "..")

func reviewedData(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, rulesdoc.ReviewedName))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDocUpToDate(t *testing.T) {
	want, err := rulesdoc.Generate(handlecheck.DefaultRulesName, handlecheck.DefaultRules, reviewedData(t), handlecheck.DefaultFiles[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rulesdoc.DocName)))
	if err != nil {
		t.Fatalf("%v: run `%s` from the module root", err, rulesdoc.Command)
	}
	if !bytes.Equal(got, want) {
		gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gotLines), len(wantLines)) {
			g, w := line(gotLines, i), line(wantLines, i)
			if g != w {
				t.Fatalf("%s is out of date with rules.yaml and %s: run `%s` from the module root\nfirst difference, line %d:\n  committed: %s\n  generated: %s",
					rulesdoc.DocName, rulesdoc.ReviewedName, rulesdoc.Command, i+1, g, w)
			}
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

// TestEveryRuleCites checks that every owned, borrowed, adopts and release
// rule of rules.yaml has a citation: a comment above it, or above the rule
// before it in the same list.
func TestEveryRuleCites(t *testing.T) {
	f, err := rules.Parse(handlecheck.DefaultRulesName, handlecheck.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	s, err := rules.Merge(f)
	if err != nil {
		t.Fatal(err)
	}
	cites, err := rulesdoc.ReadCitations(handlecheck.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rulesdoc.Rows(s, cites) {
		if strings.TrimSpace(r.Citation) == "" || r.Kind == "borrowed" && strings.HasPrefix(r.Citation, "Note:") {
			t.Errorf("rules.yaml:%d: the %s rule for %s cites no documentation: add a comment above it", r.Line, r.Kind, r.Func)
		}
	}
}

func TestReadCitations(t *testing.T) {
	const yml = `owned:
  # ---- Section ----

  # Preamble paragraph.

  # MS A: "first
  # sentence."
  - func: a.A
    resource: r
  - func: a.B
    resource: r
  # MS C: "c."
  - func: a.C
    resource: r
`
	cites, err := rulesdoc.ReadCitations([]byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{8: `MS A: "first sentence."`, 10: `MS A: "first sentence."`, 13: `MS C: "c."`}
	for line, w := range want {
		if got := cites["owned"][line]; got != w {
			t.Errorf("line %d: got %q, want %q", line, got, w)
		}
	}
}

func TestParseReviewedRejects(t *testing.T) {
	for _, bad := range []string{
		"reviewed:\n  - kind: maybe\n    reason: r\n    funcs: [a.B]\n",
		"reviewed:\n  - kind: needs-schema\n    reason: r\n    funcs: [a.B]\n",
		"reviewed:\n  - kind: not-a-resource\n    schema: out-array\n    reason: r\n    funcs: [a.B]\n",
		"reviewed:\n  - kind: not-a-resource\n    funcs: [a.B]\n",
		"reviewed:\n  - kind: not-a-resource\n    reason: r\n",
		"reviewed:\n  - kind: not-a-resource\n    reason: r\n    funcs: [a.B, a.B]\n",
		"reviewed:\n  - kind: not-a-resource\n    reason: r\n    typo: x\n    funcs: [a.B]\n",
	} {
		if _, err := rulesdoc.ParseReviewed([]byte(bad)); err == nil {
			t.Errorf("ParseReviewed accepted:\n%s", bad)
		}
	}
}

func TestRowsConditions(t *testing.T) {
	const yml = `resources:
  # MS CloseHandle.
  - name: handle
    release:
      - func: golang.org/x/sys/windows.CloseHandle
      # MS DuplicateHandle.
      - func: golang.org/x/sys/windows.DuplicateHandle
        arg: 1
        goos: windows
        when:
          - {arg: 6, has-bits: golang.org/x/sys/windows.DUPLICATE_CLOSE_SOURCE}
          - {arg: 0, from: [golang.org/x/sys/windows.CurrentProcess, golang.org/x/sys/windows.GetCurrentProcess]}
      # MS CloseHandle.
      - func: kernel32!CloseHandle
owned:
  # MS CreatePipe.
  - {func: golang.org/x/sys/windows.CreatePipe, resource: handle, out: 1}
  - {func: golang.org/x/sys/windows.CreatePipe, resource: handle, out: 0}
  # MS CreateProcess.
  - {func: golang.org/x/sys/windows.CreateProcess, resource: handle, out: 9, field: Thread}
  # man socketpair(2).
  - {func: golang.org/x/sys/unix.Socketpair, resource: handle, result: 0, index: 1}
  # MS CreateEvent.
  - {func: golang.org/x/sys/windows.CreateEvent, resource: handle, when: [{arg: 3, not-equals: nil}], also-valid-with: [golang.org/x/sys/windows.ERROR_ALREADY_EXISTS]}
  # MS LogonUser.
  - {func: advapi32.dll!LogonUserW, resource: handle, out: 5, success: nonzero}
  # MS OpenProcess.
  - {func: kernel32!OpenProcess, resource: handle}
`
	f, err := rules.Parse("r.yaml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	s, err := rules.Merge(f)
	if err != nil {
		t.Fatal(err)
	}
	cites, err := rulesdoc.ReadCitations([]byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rulesdoc.Rows(s, cites) {
		got = append(got, strings.Join([]string{r.Func, r.Kind, r.Handle, r.Conditions, strings.Join(r.Releasers, ","), r.Citation}, " | "))
	}
	want := []string{
		"advapi32.dll!LogonUserW | owned | native arg 5 | succeeded when the return value is nonzero | windows.CloseHandle,kernel32.dll!CloseHandle | MS LogonUser.",
		"golang.org/x/sys/unix.Socketpair | owned | result 0, index 1 |  | windows.CloseHandle,kernel32.dll!CloseHandle | man socketpair(2).",
		"golang.org/x/sys/windows.CloseHandle | release | arg 0 |  |  | MS CloseHandle.",
		"golang.org/x/sys/windows.CreateEvent | owned | result 0 | arg 3 not-equals `nil`; also valid with `windows.ERROR_ALREADY_EXISTS` | windows.CloseHandle,kernel32.dll!CloseHandle | MS CreateEvent.",
		"golang.org/x/sys/windows.CreatePipe | owned | out 1 |  | windows.CloseHandle,kernel32.dll!CloseHandle | MS CreatePipe.",
		"golang.org/x/sys/windows.CreatePipe | owned | out 0 |  | windows.CloseHandle,kernel32.dll!CloseHandle | MS CreatePipe.",
		"golang.org/x/sys/windows.CreateProcess | owned | out 9, field Thread |  | windows.CloseHandle,kernel32.dll!CloseHandle | MS CreateProcess.",
		"golang.org/x/sys/windows.DuplicateHandle | release | arg 1 | arg 6 has-bits `windows.DUPLICATE_CLOSE_SOURCE`; arg 0 from `windows.CurrentProcess` or `windows.GetCurrentProcess`; GOOS windows |  | MS DuplicateHandle.",
		"kernel32.dll!CloseHandle | release | arg 0 |  |  | MS CloseHandle.",
		"kernel32.dll!OpenProcess | owned | return value |  | windows.CloseHandle,kernel32.dll!CloseHandle | MS OpenProcess.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
