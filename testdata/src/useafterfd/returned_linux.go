package useafterfd

import (
	"os"

	"golang.org/x/sys/unix"
)

// The descriptor is closed by the deferred unix.Close before the caller
// gets it.
func OpenDir(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(fd)
	return fd, nil // want `use after release: the function returns the fd from unix.Open, which the deferred unix.Close on line 16 releases before the caller gets it`
}

// Quiet: a closed *os.File keeps its closed state, and the caller's use
// fails with os.ErrClosed (as for its methods).
func ClosedFile(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f, nil
}

// Quiet: the descriptor is used in the return statement, before the
// deferred close.
func DirMode(path string) (uint32, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	return st.Mode, unix.Fstat(fd, &st)
}
