package apitest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestLeakRelated checks that a leak names, as its related position, a
// return that still holds the handle (the line marked "// held" in
// testdata/src/leakrelated), also when the handle's last value goes out
// of use before that return (an out parameter read by a method).
func TestLeakRelated(t *testing.T) {
	n := 0
	for _, r := range run(t, "windows", analyzer.Analyzer, "./leakrelated") {
		fset := r.Action.Package.Fset
		for _, d := range r.Action.Diagnostics {
			if d.Category != "leak" {
				continue
			}
			n++
			pos := fset.Position(d.Pos)
			if len(d.Related) != 1 {
				t.Errorf("%v: %d related positions, want 1 (a return that holds the handle)", pos, len(d.Related))
				continue
			}
			other := fset.Position(d.Related[0].Pos)
			src, err := os.ReadFile(other.Filename)
			if err != nil {
				t.Fatal(err)
			}
			line := strings.Split(string(src), "\n")[other.Line-1]
			if !strings.HasSuffix(line, "// held") {
				t.Errorf("%v: related position %v is %q, want the return marked // held", pos, other, strings.TrimSpace(line))
			}
		}
	}
	if n != 3 {
		t.Errorf("%d leaks reported, want 3", n)
	}
}
