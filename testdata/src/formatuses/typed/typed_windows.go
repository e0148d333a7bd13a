// Package typed formats handles and imports x/sys/windows, a platform
// package: its calls of fmt count as uses of the handles passed to it, and
// its SSA is built for the summaries that say so.
package typed

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// Describe only formats h.
func Describe(h windows.Handle) string { // want Describe:"uses a0"
	return fmt.Sprintf("handle %#x", uintptr(h))
}
