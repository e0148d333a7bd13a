// Package recall2 has helpers of the same package that only use a
// descriptor passed to them (issue 18, pattern 2): ioctls through
// unix.Syscall, socket options, non-blocking mode. Passing a descriptor to
// them is a use; the caller still owns it.
package recall2

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

type config struct {
	rows, cols uint16
}

// setupFd only uses fd, as pkg/term's helpers do.
func setupFd(cfg *config, fd uintptr) error {
	ws := unix.Winsize{Row: cfg.rows, Col: cfg.cols}
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, fd, unix.TIOCSWINSZ, uintptr(unsafe.Pointer(&ws))); errno != 0 {
		return errno
	}
	if err := unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1); err != nil {
		return err
	}
	return unix.SetNonblock(int(fd), true)
}

// exclusive only uses fd, through another helper that does.
func exclusive(fd int) error {
	if err := unix.IoctlSetInt(fd, unix.TIOCEXCL, 0); err != nil {
		return err
	}
	return setupFd(&config{rows: 24, cols: 80}, uintptr(fd))
}

func openTerm(path string, cfg *config) (int, error) { // want openTerm:"owned fd r0"
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY, 0) // want `fd from unix.Open is not closed on every path`
	if err != nil {
		return -1, err
	}
	if err := setupFd(cfg, uintptr(fd)); err != nil {
		return -1, err // leaks fd
	}
	return fd, nil
}

func openTermFixed(path string, cfg *config) (int, error) { // want openTermFixed:"owned fd r0"
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return -1, err
	}
	if err := setupFd(cfg, uintptr(fd)); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

func openExclusive(path string) (int, error) { // want openExclusive:"owned fd r0"
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY, 0) // want `fd from unix.Open is not closed on every path`
	if err != nil {
		return -1, err
	}
	if err := exclusive(fd); err != nil {
		return -1, err // leaks fd
	}
	return fd, nil
}

// The helpers below keep the descriptor on some path: a descriptor passed
// to them is handed on, and the callers are quiet.

var open = map[int]bool{}

func register(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		return err
	}
	open[fd] = true
	return nil
}

type conn struct{ fd int }

func wrap(fd int) (*conn, error) {
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, err
	}
	return &conn{fd: fd}, nil
}

func watch(fd int) {
	unix.SetNonblock(fd, true)
	go func() {
		buf := make([]byte, 1)
		unix.Read(fd, buf)
		unix.Close(fd)
	}()
}

func openRegistered(path string) error {
	fd, err := unix.Open(path, unix.O_RDWR, 0)
	if err != nil {
		return err
	}
	return register(fd)
}

func openWrapped(path string) (*conn, error) {
	fd, err := unix.Open(path, unix.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	return wrap(fd)
}

func openWatched(path string) error {
	fd, err := unix.Open(path, unix.O_RDWR, 0)
	if err != nil {
		return err
	}
	watch(fd)
	return nil
}
