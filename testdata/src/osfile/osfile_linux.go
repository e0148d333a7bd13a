package osfile

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// findSignalLeak: on Linux FindProcess opens a pidfd (pidfd_open), which
// the Process keeps until Release or Wait.
func findSignalLeak(pid int) bool {
	p, err := os.FindProcess(pid) // want `process from os.FindProcess is not closed on every path`
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// findReleased releases it.
func findReleased(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	defer p.Release()
	return p.Signal(syscall.Signal(0)) == nil
}

// adoptedLeak: os.NewFile adopts the descriptor of unix.Open, and the new
// File is leaked when Stat fails.
func adoptedLeak(path string) (*os.File, error) { // want adoptedLeak:"owned file r0"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), path) // want `file from os.NewFile is not closed on every path`
	if _, err := f.Stat(); err != nil {
		return nil, err // leaks f (and so fd)
	}
	return f, nil
}

// fdClosed closes the descriptor Fd lends: a borrowed release.
func fdClosed(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Close(int(f.Fd())) // want `unix.Close closes a borrowed handle from \(\*os.File\).Fd`
}
