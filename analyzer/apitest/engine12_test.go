package apitest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestEngineShapes checks the shapes of issue 12 on the real x/sys: false
// alarms of deferred closures, boxed handles and recover branches (quiet
// functions), and leaks and double releases the engine missed (want).
func TestEngineShapes(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./engine12")
	run(t, "linux", analyzer.Analyzer, "./engine12fd")
}

// TestEngineMessages checks the two messages of issue 12 where they are
// met, with their related positions: a closure called twice names its two
// calls (the report at the second, the other release at the first, not
// both at the CloseHandle inside the closure), and a defer in a loop is
// the same defer on a later iteration, with no related position that is
// the report's own.
func TestEngineMessages(t *testing.T) {
	var twice, again int
	for _, r := range run(t, "windows", analyzer.Analyzer, "./engine12") {
		fset := r.Action.Package.Fset
		for _, d := range r.Action.Diagnostics {
			if d.Category != "double-release" {
				continue
			}
			pos := fset.Position(d.Pos)
			src, err := os.ReadFile(pos.Filename)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			text := func(line int) string { return strings.TrimSpace(lines[line-1]) }
			switch {
			case strings.HasPrefix(text(pos.Line), "done() //"):
				twice++
				if len(d.Related) != 1 {
					t.Errorf("%v: closure called twice: %d related positions, want 1", pos, len(d.Related))
					continue
				}
				other := fset.Position(d.Related[0].Pos)
				if text(other.Line) != "done()" || other.Line >= pos.Line {
					t.Errorf("%v: closure called twice: the other release is at %v (%q), want the first call done()", pos, other, text(other.Line))
				}
			case strings.HasPrefix(text(pos.Line), "defer windows.CloseHandle(h) //"):
				again++
				if !strings.Contains(d.Message, "again on each later iteration of the loop") {
					t.Errorf("%v: defer in a loop: message %q does not say it is the same defer on a later iteration", pos, d.Message)
				}
				for _, rel := range d.Related {
					if fset.Position(rel.Pos).Line == pos.Line {
						t.Errorf("%v: defer in a loop: a related position %q names the report's own line", pos, rel.Message)
					}
				}
			}
		}
	}
	if twice != 1 || again != 1 {
		t.Errorf("found %d reports of the closure called twice and %d of the defer in a loop, want 1 each", twice, again)
	}
}
