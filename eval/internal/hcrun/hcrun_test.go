package hcrun

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	out := `{
  "q": {"handlecheck": {"error": "analysis skipped due to errors in package"}},
  "p": {"handlecheck": [{"posn": "/a/p.go:3:4", "message": "leak!", "category": "leak",
                         "related": [{"posn": "/a/p.go:5:1", "message": "returned here"}]}],
        "ctrlflow": [{"posn": "/a/p.go:1:1", "message": "not ours", "category": "x"}]}
}`
	diags, errs, err := Parse([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []Diagnostic{{Package: "p", Category: "leak", Posn: "/a/p.go:3:4", Message: "leak!",
		Related: []Related{{Posn: "/a/p.go:5:1", Message: "returned here"}}}}
	if fmt.Sprint(diags) != fmt.Sprint(want) {
		t.Errorf("diagnostics = %v, want %v", diags, want)
	}
	if len(errs) != 1 || errs[0] != (Error{Package: "q", Analyzer: "handlecheck", Message: "analysis skipped due to errors in package"}) {
		t.Errorf("errors = %v", errs)
	}
	for _, bad := range []string{"not json", `{"p": {"handlecheck": 7}}`} {
		if _, _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s): no error", bad)
		}
	}
}

func TestRun(t *testing.T) {
	base := filepath.Join(t.TempDir(), "x")
	m, err := Run("", []string{"HCRUN_X=42"}, time.Minute, base, "sh", "-c", `echo out $HCRUN_X; echo err >&2; exit 3`)
	if err != nil {
		t.Fatal(err)
	}
	if m.ExitCode != 3 || m.TimedOut {
		t.Errorf("exit %d, timed out %v; want 3, false", m.ExitCode, m.TimedOut)
	}
	if out, _ := os.ReadFile(base + ".stdout"); string(out) != "out 42\n" {
		t.Errorf("stdout %q", out)
	}
	if out, _ := os.ReadFile(base + ".stderr"); string(out) != "err\n" {
		t.Errorf("stderr %q", out)
	}
	if m.MaxRSSKiB <= 0 {
		t.Errorf("MaxRSSKiB = %d, want > 0", m.MaxRSSKiB)
	}

	// A child that outlives the timeout is killed with its whole group.
	m, err = Run("", nil, 200*time.Millisecond, base, "sh", "-c", `sleep 30 & wait`)
	if err != nil {
		t.Fatal(err)
	}
	if !m.TimedOut || m.ExitCode != -1 || m.WallS > 10 {
		t.Errorf("timed-out run: %+v", m)
	}
	if _, err := Run("", nil, time.Minute, base, "/nonexistent/tool"); err == nil || !strings.Contains(err.Error(), "nonexistent") {
		t.Errorf("Run of a missing command: error %v", err)
	}
}

func TestPosn(t *testing.T) {
	for _, tc := range []struct {
		in        string
		file      string
		line, col int
	}{
		{"/a/b.go:3:4", "/a/b.go", 3, 4},
		{`C:\a\b.go:10:2`, `C:\a\b.go`, 10, 2},
		{"b.go:3", "b.go:3", 0, 0},
		{"-", "-", 0, 0},
		{"b.go:x:4", "b.go:x:4", 0, 0},
	} {
		if f, l, c := SplitPosn(tc.in); f != tc.file || l != tc.line || c != tc.col {
			t.Errorf("SplitPosn(%q) = %q, %d, %d; want %q, %d, %d", tc.in, f, l, c, tc.file, tc.line, tc.col)
		}
	}
	if !PosnLess("a.go:9:1", "a.go:10:1") || PosnLess("a.go:10:1", "a.go:9:1") || !PosnLess("a.go:3:2", "a.go:3:10") || !PosnLess("a.go:99:1", "b.go:1:1") {
		t.Error("PosnLess does not order by file, then line and column as numbers")
	}
}
