// Package lib declares types that own a handle: their Close releases it,
// and their constructors hand out a new one.
package lib

import "golang.org/x/sys/windows"

// A File owns the handle h.
type File struct {
	name string
	h    windows.Handle
}

// Open is a constructor: an owned source of File.
func Open(path string) (*File, error) { // want Open:"owned handlecheck.test/owners/lib.File r0 closed by Close"
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	return &File{name: path, h: h}, nil
}

// Read uses the handle.
func (f *File) Read(b []byte) (int, error) {
	var n uint32
	err := windows.ReadFile(f.h, b, &n, nil)
	return int(n), err
}

// Close releases it.
func (f *File) Close() error { // want Close:"closes handlecheck.test/owners/lib.File"
	return windows.CloseHandle(f.h)
}

// Size opens a File and forgets to close it when Read fails.
func Size(path string) (int, error) {
	f, err := Open(path) // want `lib.File from lib.Open \(windows.CreateFile\) is not closed on every path: release it with \(\*lib.File\).Close`
	if err != nil {
		return 0, err
	}
	n, err := f.Read(make([]byte, 16))
	if err != nil {
		return 0, err
	}
	return n, f.Close()
}

// A Pair keeps its handle in a struct it does not close itself: not an
// owner type.
type Pair struct {
	h windows.Handle
}

// NewPair is therefore no source.
func NewPair() (*Pair, error) {
	h, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return nil, err
	}
	return &Pair{h: h}, nil
}
