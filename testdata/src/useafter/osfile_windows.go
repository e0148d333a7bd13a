package useafter

import (
	"os"

	"golang.org/x/sys/windows"
)

// The handle of f.Fd(), kept in a variable, used after f.Close().
func FileTypeAfterClose(name string) (uint32, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	h := windows.Handle(f.Fd())
	f.Close()
	return windows.GetFileType(h) // want `use after release: windows.GetFileType uses the descriptor from f.Fd\(\) after \(\*os.File\).Close released it on line 16`
}

// Used before the close: quiet.
func FileTypeThenClose(name string) (uint32, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	h := windows.Handle(f.Fd())
	t, err := windows.GetFileType(h)
	f.Close()
	return t, err
}
