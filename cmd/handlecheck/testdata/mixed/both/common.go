// Package both has files for Linux, for Windows and for every platform.
package both

// Acquire hands out a slot that the caller must release.
func Acquire() int { return 1 }

// Release releases a slot.
func Release(int) {}

// Forget leaks a slot on every platform (under the fixture's rules).
func Forget() {
	s := Acquire()
	_ = s
}
