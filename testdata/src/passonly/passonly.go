// Package passonly calls pass-through helpers of another package
// (recall5pass/util.Must, whose fact says only "returns a0 as r0") and has
// no handle code of its own: no rule's function, no summary that acquires,
// releases or uses a handle. The helper's fact alone does not make it worth
// building SSA for (TestPassThroughAloneNotRelevant).
package passonly

import (
	"strconv"
	"time"

	"handlecheck.test/recall5pass/util"
)

// Double parses s, panicking on an error.
func Double(s string) int {
	return 2 * util.Must(strconv.Atoi(s))
}

// Seconds is d's seconds, through (time.Duration).Nanoseconds, another
// function that passes its receiver through.
func Seconds(d time.Duration) int64 {
	return d.Nanoseconds() / 1e9
}
