package unixfd

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// dupListener is ishidawataru/sctp's FileListener (sctp_linux.go:259, set
// H's misses #13): the raw fcntl(F_DUPFD_CLOEXEC) makes a descriptor that
// the SetNonblock error return drops.
func dupListener(file *os.File) (int, error) { // want dupListener:"owned fd r0"
	r1, _, errno := syscall.Syscall(syscall.SYS_FCNTL, file.Fd(), syscall.F_DUPFD_CLOEXEC, 0) // want `fd from syscall.Syscall is not closed on every path`
	if errno != 0 {
		return -1, os.NewSyscallError("fcntl", errno)
	}
	if err := syscall.SetNonblock(int(r1), false); err != nil {
		return -1, os.NewSyscallError("fcntl", err)
	}
	return int(r1), nil
}

// dupClosed closes the duplicate on the error return: quiet, and so is the
// errno return, where there is no descriptor.
func dupClosed(file *os.File) (int, error) { // want dupClosed:"owned fd r0"
	r1, _, errno := unix.Syscall(unix.SYS_FCNTL, file.Fd(), unix.F_DUPFD, 0)
	if errno != 0 {
		return -1, errno
	}
	if err := unix.SetNonblock(int(r1), false); err != nil {
		unix.Close(int(r1))
		return -1, err
	}
	return int(r1), nil
}

// getFlags is fcntl(F_GETFL) through the raw call: flags, no descriptor.
func getFlags(file *os.File) (uintptr, error) {
	r1, _, errno := syscall.RawSyscall(syscall.SYS_FCNTL, file.Fd(), syscall.F_GETFL, 0)
	if errno != 0 {
		return 0, errno
	}
	return r1, nil
}
