// Package perplatform has a leak in a file built on every platform, that
// only Linux's build of the package makes a leak.
package perplatform

// Use leaks the slot that open hands out on Linux. On Windows, open hands
// out nothing and the directive suppresses nothing: in a run that covers
// both, it is not stale.
func Use() {
	//handlecheck:ignore leak the slot lives as long as the process
	s := open()
	_ = s
}
