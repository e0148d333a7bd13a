package effects

import (
	"go/constant"
	"go/token"
	"go/types"
	"testing"

	"github.com/handlecheck/handlecheck/internal/ownership"
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
		"Field":    func(s *Summary) { s.Sources[0].Field = "handle" },
		"NoneIf":   func(s *Summary) { s.Sources[0].NoneIf = SummaryNoneIf{Result: 1, Value: "0"} },
	} {
		s := base()
		change(s)
		if base().Equal(s) || s.Equal(base()) {
			t.Errorf("summaries that differ in %s are Equal", name)
		}
	}
}

// TestSummaryNoneIf checks that a NoneIf's constant, spelled in the fact
// as its exact string, reads back as the same constant, and what is no
// integer, string or boolean reads as nothing.
func TestSummaryNoneIf(t *testing.T) {
	for _, k := range []constant.Value{
		constant.MakeInt64(0), constant.MakeInt64(-1), constant.MakeUint64(1<<64 - 1),
		constant.MakeString(""), constant.MakeString("a \"b\"\n"), constant.MakeBool(true), constant.MakeBool(false),
	} {
		n := summaryNoneIf(&ownership.ResultEquals{Result: 2, Value: k})
		got := n.resultEquals()
		if got == nil || got.Result != 2 || got.Value.Kind() != k.Kind() || !constant.Compare(got.Value, token.EQL, k) {
			t.Errorf("%s reads back as %v", k.ExactString(), got)
		}
	}
	for _, s := range []string{"", "1.5", "x", `"unterminated`} {
		if got := (SummaryNoneIf{Value: s}).resultEquals(); got != nil {
			t.Errorf("%q reads as %v, want nothing", s, got.Value)
		}
	}
	sum := &Summary{Sources: []SummarySource{{Result: 1, Out: rules.NoParam, Resource: "file", NoneIf: SummaryNoneIf{Result: 0, Value: "0"}}}}
	if got, want := sum.String(), "owned file r1 (none if r0 == 0)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestSummaryFieldSource checks how a source of a handle in a field of
// the struct a result points to reads, and that it stays out of the
// function's fact, as its callers in other packages do not follow it.
func TestSummaryFieldSource(t *testing.T) {
	sum := &Summary{Sources: []SummarySource{
		{Result: 0, Out: rules.NoParam, Resource: "handle", Field: "handle"},
		{Result: 1, Out: rules.NoParam, Resource: "handle"},
	}}
	if got, want := sum.String(), "owned handle r0 field handle; owned handle r1"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	fact := new(Oracle).Fact(nil, types.NewFunc(token.NoPos, nil, "Open", nil), sum)
	if got, want := fact.String(), "owned handle r1"; got != want {
		t.Errorf("fact: %q, want %q", got, want)
	}
	if len(sum.Sources) != 2 {
		t.Errorf("Fact changed the summary: %v", sum)
	}
}
