// Package unixfd checks Linux descriptors from golang.org/x/sys/unix,
// syscall and os.
package unixfd

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func openLeak(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) // want `fd from unix.Open is not closed on every path: release it with unix.Close`
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 64)
	n, err := unix.Read(fd, buf)
	if err != nil {
		return nil, err // leaks fd
	}
	unix.Close(fd)
	return buf[:n], nil
}

func socketLeak() error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0) // want `fd from unix.Socket is not closed`
	if err != nil {
		return err
	}
	return unix.Connect(fd, &unix.SockaddrUnix{Name: "/run/x.sock"})
}

func syscallOpen(path string) error {
	fd, err := syscall.Open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	return syscall.Fstat(fd, &st)
}

func negativeFdTest(path string) {
	fd, _ := unix.Open(path, unix.O_RDONLY, 0)
	if fd < 0 {
		return
	}
	unix.Close(fd)
}

func adopt(path string) (*os.File, error) { // want adopt:"owned file r0"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

func closeFd(f *os.File) {
	unix.Close(int(f.Fd())) // want `unix.Close closes a borrowed handle from \(\*os.File\).Fd`
}

func doubleClose(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	unix.Close(fd) // want `double release`
}

func eventfd() (int, error) { // want eventfd:"owned fd r0"
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		return -1, err
	}
	return fd, nil
}

type status struct{ Err error }

// The error is kept in a struct field and tested there (the standard
// library's net/internal/socktest does this).
func errInField(so *status) (int, error) { // want errInField:"owned fd r0"
	fd, err := 0, error(nil)
	fd, so.Err = syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if so.Err != nil {
		return -1, so.Err
	}
	if fd == 1 {
		syscall.Close(fd)
		return -1, err
	}
	return fd, nil
}

var probe struct {
	err error
}

// The same in a package-level struct (syscall.LoadConnectEx).
func errInGlobal() {
	var s int
	s, probe.err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if probe.err != nil {
		return
	}
	defer unix.Close(s)
}

// syscallLeak leaks a syscall.Open descriptor. The advice names no
// syscall.CloseHandle, its releaser under GOOS=windows, which does not
// exist on Linux.
func syscallLeak(path string) {
	fd, err := syscall.Open(path, syscall.O_RDONLY, 0) // want `fd from syscall.Open is not closed on every path: release it with syscall.Close or unix.Close$`
	if err != nil {
		return
	}
	println(fd)
}
