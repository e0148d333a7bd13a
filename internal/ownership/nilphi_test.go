package ownership_test

import (
	"fmt"
	"testing"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// TestNilPhi checks that a test of a variable every path left nil is
// dead, through a cycle of phis (a loop that assigns it nil), and that
// one path that stores a non-nil error there makes it live: the quiet
// case must not leak, its neighbour leaks on the err != nil return.
func TestNilPhi(t *testing.T) {
	const body = `func f(c []bool) {
	var err error
	for _, x := range c {
		if x {
			err = %s
		}
	}
	h, e := open()
	if e != nil {
		return
	}
	if err != nil {
		return
	}
	close(h)
}
`
	for _, c := range []struct {
		name, value string
		leaks       int
	}{{"nil", "nil", 0}, {"errOf", "errOf()", 1}} {
		src := prelude + fmt.Sprintf(body, c.value)
		res := ownership.Analyze(build(t, src), fakeOracle{})
		if len(res.Findings) != c.leaks || len(res.GivenUp) != 0 {
			t.Errorf("%s: got %d findings and %d given up, want %d leaks and none", c.name, len(res.Findings), len(res.GivenUp), c.leaks)
		}
		for _, f := range res.Findings {
			if f.Kind != ownership.Leak {
				t.Errorf("%s: got a %v, want a leak", c.name, f.Kind)
			}
		}
	}
}
