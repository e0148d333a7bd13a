// Package freshL3 holds the false alarm of set L's first contact in rclone
// (github.com/rclone/rclone v1.76.0, vfs/vfstest/write_windows.go:21):
//
//	return uintptr(h), windows.DuplicateHandle(p, windows.Handle(oldfd), p, &h, 0, true, windows.DUPLICATE_SAME_ACCESS)
//
// The spec orders the calls of a statement, not the plain operands
// against them, and gc evaluates the calls first: the return gives the
// duplicated handle, which go/ssa's operand order (h loaded before the
// call) would drop. The neighbours read h in another statement, or in a
// call before the acquisition, or drop the result, and leak.
package freshL3

import (
	"golang.org/x/sys/windows"
)

// writeTestDup is rclone's: the handle is returned, the caller's to close.
func writeTestDup(oldfd uintptr) (uintptr, error) { // want writeTestDup:"owned handle r0"
	p := windows.CurrentProcess()
	var h windows.Handle
	return uintptr(h), windows.DuplicateHandle(p, windows.Handle(oldfd), p, &h, 0, true, windows.DUPLICATE_SAME_ACCESS)
}

// assigned reads h in an assignment beside the call: dup is the handle.
func assigned(src windows.Handle) error {
	p := windows.CurrentProcess()
	var h windows.Handle
	dup, err := h, windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS)
	if err != nil {
		return err
	}
	return windows.CloseHandle(dup)
}

// closeDup closes h whatever err says.
func closeDup(h windows.Handle, err error) error { // want closeDup:"releases a0"
	windows.CloseHandle(h)
	return err
}

// passedBeside passes h as an argument beside the call: closeDup closes
// the duplicate.
func passedBeside(src windows.Handle) error {
	p := windows.CurrentProcess()
	var h windows.Handle
	return closeDup(h, windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS))
}

// afterwards is the ordinary form: h read in the next statement.
func afterwards(src windows.Handle) (windows.Handle, error) { // want afterwards:"owned handle r0"
	p := windows.CurrentProcess()
	var h windows.Handle
	err := windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS)
	return h, err
}

// readBefore reads h in the statement before the call: r is still 0, and
// the duplicate leaks.
func readBefore(src windows.Handle) (uintptr, error) {
	p := windows.CurrentProcess()
	var h windows.Handle
	r := uintptr(h)
	err := windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS) // want `handle from windows.DuplicateHandle is not closed on every path`
	return r, err
}

// fileType returns the type of h's file.
func fileType(h windows.Handle) uint32 {
	t, _ := windows.GetFileType(h)
	return t
}

// calledBefore reads h in a call that the spec runs before the
// acquisition: fileType gets 0, and the duplicate leaks.
func calledBefore(src windows.Handle) (uint32, error) {
	p := windows.CurrentProcess()
	var h windows.Handle
	return fileType(h), windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS) // want `handle from windows.DuplicateHandle is not closed on every path`
}

// dropped drops the duplicate.
func dropped(src windows.Handle) error {
	p := windows.CurrentProcess()
	var h windows.Handle
	return windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS) // want `handle from windows.DuplicateHandle is not closed on every path`
}

// replaced duplicates into h again in the return: the return reads h
// after that call, so the first duplicate leaks.
func replaced(src windows.Handle) (windows.Handle, error) { // want replaced:"owned handle r0"
	p := windows.CurrentProcess()
	var h windows.Handle
	if err := windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil { // want `handle from windows.DuplicateHandle is not closed on every path`
		return 0, err
	}
	return h, windows.DuplicateHandle(p, src, p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS)
}
