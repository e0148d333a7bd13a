// Package useafterfd uses descriptors after their release: the descriptor
// of (*os.File).Fd after f.Close(), and a unix.Open descriptor after
// unix.Close; and, staying quiet, other methods of a closed *os.File
// (which report os.ErrClosed) and a descriptor used before its close.
package useafterfd

import (
	"os"

	"golang.org/x/sys/unix"
)

func FdAfterClose(name string) (uintptr, error) { // want FdAfterClose:`borrowed fd r0`
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	f.Close()
	return f.Fd(), nil // want `use after release: \(\*os.File\).Fd uses the file from os.Open after \(\*os.File\).Close released it on line 18`
}

func StatAfterClose(name string) error {
	fd, err := unix.Open(name, unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	unix.Close(fd)
	var st unix.Stat_t
	return unix.Fstat(fd, &st) // want `use after release: unix.Fstat uses the fd from unix.Open after unix.Close released it on line 27`
}

// ---- Right -------------------------------------------------------------------

// A closed *os.File's other methods fail with os.ErrClosed: not a use of
// a reused number.
func NameAfterClose(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	f.Close()
	_, err = f.Stat()
	return f.Name(), err
}

func StatThenClose(name string) error {
	fd, err := unix.Open(name, unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	var st unix.Stat_t
	err = unix.Fstat(fd, &st)
	unix.Close(fd)
	return err
}

// A descriptor opened, used and closed on each iteration: each use is of
// that iteration's descriptor.
func EachIteration(names []string) error {
	for _, name := range names {
		fd, err := unix.Open(name, unix.O_RDONLY, 0)
		if err != nil {
			return err
		}
		var st unix.Stat_t
		err = unix.Fstat(fd, &st)
		unix.Close(fd)
		if err != nil {
			return err
		}
	}
	return nil
}

// A deferred unlock registered before the close on the error path: it
// runs after that close, on a number that may name another file.
func LockedRead(name string, buf []byte) (int, error) {
	fd, err := unix.Open(name, unix.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	if err := unix.Flock(fd, unix.LOCK_SH); err != nil {
		unix.Close(fd)
		return 0, err
	}
	defer unix.Flock(fd, unix.LOCK_UN) // want `use after release: the deferred unix.Flock uses the fd from unix.Open after unix.Close released it on line (89|92)`
	n, err := unix.Read(fd, buf)
	if err != nil {
		unix.Close(fd)
		return 0, err
	}
	return n, unix.Close(fd)
}

// The unlock deferred after the close runs before it.
func LockedReadDeferred(name string, buf []byte) (int, error) {
	fd, err := unix.Open(name, unix.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	if err := unix.Flock(fd, unix.LOCK_SH); err != nil {
		return 0, err
	}
	defer unix.Flock(fd, unix.LOCK_UN)
	return unix.Read(fd, buf)
}

// The descriptor of f.Fd(), kept in a variable, used after f.Close(): the
// number may name another file by now (and a closed file has no
// finalizer, so this is not a keepalive finding).
func SavedFdAfterClose(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	fd := int(f.Fd())
	f.Close()
	var st unix.Stat_t
	return unix.Fstat(fd, &st) // want `use after release: unix.Fstat uses the descriptor from f.Fd\(\) after \(\*os.File\).Close released it on line 118: the number may name another file by now; close f after the descriptor's last use`
}

// Closed on an error path only, which returns: the use is not after it.
func SavedFdClosedOnError(f *os.File, check func() error) error {
	fd := int(f.Fd())
	if err := check(); err != nil {
		f.Close()
		return err
	}
	return unix.Flock(fd, unix.LOCK_EX)
}

// Each iteration takes the descriptor again after the previous close.
func SavedFdEachIteration(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		fd := int(f.Fd())
		err = unix.Flock(fd, unix.LOCK_SH)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
