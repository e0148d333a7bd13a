// Package unixparts holds descriptors handed out in arrays and behind
// conditions on constant arguments, against the real golang.org/x/sys/unix
// and syscall (GOOS=linux).
package unixparts

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// Pipe2 writes two descriptors into p: the write end leaks on an error.
func pipeLeak() (int, error) { // want pipeLeak:"owned fd r0"
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil { // want `fd from unix.Pipe2 \(element 1\) is not closed on every path`
		return -1, err
	}
	if _, err := unix.Write(p[1], []byte("x")); err != nil {
		unix.Close(p[0])
		return -1, err // leaks p[1]
	}
	unix.Close(p[1])
	return p[0], nil
}

// Both ends adopted by os.NewFile: nothing to report.
func pipeFiles() (*os.File, *os.File, error) { // want pipeFiles:"owned file r0; owned file r1"
	p := make([]int, 2)
	if err := syscall.Pipe(p); err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(p[0]), "r"), os.NewFile(uintptr(p[1]), "w"), nil
}

// Closed in a loop: which element is not known, so nothing is reported.
func pipeLoop() error {
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return err
	}
	for _, fd := range p {
		unix.Close(fd)
	}
	return nil
}

// Socketpair returns the pair as an array: one end is closed twice.
func socketpairTwice() error {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fds[0])
	unix.Close(fds[1])
	return unix.Close(fds[1]) // want `double release: unix.Close releases the fd from unix.Socketpair \(element 1\) already released`
}

// A new signalfd (fd -1) is owned; updating an existing one is not a new
// descriptor.
func signalfd(mask *unix.Sigset_t) (int, error) { // want signalfd:"owned fd r0"
	fd, err := unix.Signalfd(-1, mask, unix.SFD_CLOEXEC) // want `fd from unix.Signalfd is not closed on every path`
	if err != nil {
		return -1, err
	}
	if _, err := unix.Signalfd(fd, mask, 0); err != nil {
		return -1, err // leaks fd
	}
	return fd, nil
}

// On Linux the handle StartProcess returns is not a handle at all.
func start(argv []string) (int, error) {
	pid, _, err := syscall.StartProcess(argv[0], argv, nil)
	return pid, err
}

// A raw system call only uses the descriptor: it still leaks.
func ioctlLeak(owner uintptr) error {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR, 0) // want `fd from unix.Open is not closed on every path`
	if err != nil {
		return err
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TUNSETOWNER, owner); errno != 0 {
		return errno // leaks fd
	}
	return unix.Close(fd)
}
