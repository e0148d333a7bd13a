package effects

import (
	"testing"

	"github.com/handlecheck/handlecheck/rules"
)

// TestSummaryEqual checks that Equal compares every field, including those
// String leaves out (NoLeak, Origin, Note, Releaser), which the fixed point
// over recursive functions relies on.
func TestSummaryEqual(t *testing.T) {
	base := func() *Summary {
		return &Summary{
			Sources: []SummarySource{{Result: 0, Out: rules.NoParam, Resource: "handle", Origin: "golang.org/x/sys/windows.CreateFile"}},
			Params:  []SummaryParam{{Param: 0, Releases: []string{"handle"}, Releaser: "golang.org/x/sys/windows.CloseHandle"}},
		}
	}
	if !base().Equal(base()) {
		t.Fatal("a summary is not Equal to its copy")
	}
	for name, change := range map[string]func(*Summary){
		"NoLeak":   func(s *Summary) { s.Sources[0].NoLeak = true },
		"Origin":   func(s *Summary) { s.Sources[0].Origin = "syscall.CreateFile" },
		"Note":     func(s *Summary) { s.Sources[0].Note = "a note" },
		"Releaser": func(s *Summary) { s.Params[0].Releaser = "syscall.CloseHandle" },
		"Releases": func(s *Summary) { s.Params[0].Releases = []string{"handle", "token"} },
		"UseOnly":  func(s *Summary) { s.Params[0].UseOnly = true },
		"Closes":   func(s *Summary) { s.Closes = "example.com/p.T" },
		"Sources":  func(s *Summary) { s.Sources = nil },
	} {
		s := base()
		change(s)
		if base().Equal(s) || s.Equal(base()) {
			t.Errorf("summaries that differ in %s are Equal", name)
		}
	}
}
