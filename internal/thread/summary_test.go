package thread

import (
	"slices"
	"testing"
)

// TestSummaryCall checks the order in which a summary's effects apply at
// a call: a helper that locks then impersonates is locked at its
// impersonation, and one that reverts then unlocks reverts first.
func TestSummaryCall(t *testing.T) {
	tests := []struct {
		sum  Summary
		ops  []Op
		text string
	}{
		{Summary{Lock: 1, Imp: true, ErrGate: true, Origin: "w.Imp"}, []Op{Lock, Impersonate}, "thread: locks; impersonates (error gate) w.Imp"},
		{Summary{Lock: -1, Revert: true, IgnoresErr: true, Origin: "w.Rev"}, []Op{Revert, Unlock}, "thread: unlocks; reverts (ignores error) w.Rev"},
		{Summary{NeedsLock: true, Origin: "w.Imp"}, nil, "thread: impersonates while it runs (needs lock) w.Imp"},
		{Summary{Lock: 1}, []Op{Lock}, "thread: locks"},
	}
	for _, tt := range tests {
		c := tt.sum.Call("p.f")
		if !slices.Equal(c.Ops, tt.ops) || !c.Summary || c.Name != "p.f" {
			t.Errorf("%+v: Call = %+v, want ops %v", tt.sum, c, tt.ops)
		}
		if got := tt.sum.String(); got != tt.text {
			t.Errorf("%+v: String = %q, want %q", tt.sum, got, tt.text)
		}
		if tt.sum.Empty() {
			t.Errorf("%+v: Empty", tt.sum)
		}
	}
	if c := (&Summary{Revert: true}).Call("p.f"); c.Origin != "p.f" {
		t.Errorf("Origin without one = %q, want the name", c.Origin)
	}
	if !(&Summary{}).Empty() {
		t.Errorf("zero Summary is not Empty")
	}
}
