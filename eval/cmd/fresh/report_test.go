package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testReport() *Report {
	f := func(posn, msg string) Finding { return Finding{Posn: posn, Category: "leak", Message: msg} }
	return &Report{Set: "T", Modules: []*Result{{
		Module:   Module{Module: "example.com/m", Version: "v1.0.0"},
		Selected: "v1.0.0",
		Runs: []*Run{
			{GOOS: "windows", Findings: []Finding{f("a.go:3:1", "x"), f("b_windows.go:7:2", "y")}},
			{GOOS: "linux", Findings: []Finding{f("a.go:3:1", "x"), f("c_linux.go:9:4", "z")}},
		},
	}}}
}

func renderWith(t *testing.T, triage string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	tf, md := filepath.Join(dir, "triage.yaml"), filepath.Join(dir, "set.md")
	if err := os.WriteFile(tf, []byte(triage), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := render(md, tf, testReport()); err != nil {
		return "", err
	}
	out, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	return string(out), nil
}

// TestPrecision: a finding both GOOS report counts once, verdicts match by
// module, file:line and category, and precision counts every verdict but
// false.
func TestPrecision(t *testing.T) {
	out, err := renderWith(t, `
- {module: example.com/m, at: "a.go:3", category: leak, verdict: bug, reason: r1}
- {module: example.com/m, at: "b_windows.go:7", category: leak, verdict: test, reason: r2}
- {module: example.com/m, at: "c_linux.go:9", category: leak, verdict: "false", reason: r3}
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"3 findings: 2 true (1 bugs, 1 in tests, 0 in example programs, 0 contract violations), 1 false alarms, 0 untriaged.",
		"**First-contact precision: 2/3 = 66.7%.**",
		"| `a.go:3:1` | windows, linux | leak | bug | r1 |",
		"| **false alarm** | r3 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// TestUntriagedAndStale: a finding without a verdict blocks the figure, and
// a verdict that matches no finding is listed.
func TestUntriagedAndStale(t *testing.T) {
	out, err := renderWith(t, `
- {module: example.com/m, at: "a.go:3", category: leak, verdict: bug, reason: r1}
- {module: example.com/m, at: "a.go:4", category: leak, verdict: bug, reason: moved}
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"not computed, 2 findings are untriaged",
		"- example.com/m `a.go:4` leak (bug): no such finding in this run",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// TestBadVerdict: a verdict outside the list, or without a reason, is an
// error naming the entry.
func TestBadVerdict(t *testing.T) {
	for _, triage := range []string{
		`- {module: example.com/m, at: "a.go:3", category: leak, verdict: maybe, reason: r}`,
		`- {module: example.com/m, at: "a.go:3", category: leak, verdict: bug}`,
	} {
		if _, err := renderWith(t, triage); err == nil || !strings.Contains(err.Error(), "entry 0 (example.com/m a.go:3)") {
			t.Errorf("%s: got error %v, want one naming entry 0", triage, err)
		}
	}
}
