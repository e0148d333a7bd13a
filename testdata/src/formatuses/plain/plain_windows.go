// Package plain formats integers and imports no platform package: it
// calls no function that acquires, releases or acts on a handle, so its
// SSA is not built and its functions have no summaries, though Describe
// has an integer parameter and calls fmt, which only uses its arguments.
package plain

import "fmt"

// Describe only formats v.
func Describe(v uintptr) string {
	return fmt.Sprintf("value %#x", v)
}
