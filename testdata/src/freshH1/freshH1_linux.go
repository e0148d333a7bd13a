// Package freshH1 holds the false alarm of the first-contact run of set H
// (eval/fresh), reduced: os.NewFile of the descriptor that a
// syscall.RawConn lends to its callback ("guaranteed to remain valid
// while f executes but not after f returns") is no File of the caller's,
// and closing it, as a leak's advice said, would close the connection's
// descriptor. The File is as borrowed as the descriptor it wraps:
// closing it is a borrowed release. The neighbours that must stay
// reported are marked.
package freshH1

import (
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// listener is what fileListener returns: a descriptor of its own, dup'ed.
type listener struct{ fd int }

func (l *listener) Close() error { return syscall.Close(l.fd) } // want Close:"closes handlecheck.test/freshH1.listener"

// fileListener is ishidawataru/sctp's FileListener (sctp_linux.go:259):
// it dups file's descriptor and keeps the copy.
func fileListener(file *os.File) (*listener, error) { // want fileListener:"owned handlecheck.test/freshH1.listener r0 closed by Close"
	r1, _, errno := syscall.Syscall(syscall.SYS_FCNTL, file.Fd(), syscall.F_DUPFD_CLOEXEC, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("fcntl", errno)
	}
	if err := syscall.SetNonblock(int(r1), false); err != nil {
		syscall.Close(int(r1))
		return nil, os.NewSyscallError("fcntl", err)
	}
	return &listener{fd: int(r1)}, nil
}

// nameFromFd is ishidawataru/sctp TestSCTPListenerNameFromFd
// (sctp_linux_test.go:177): os.NewFile wraps the descriptor Control lends
// to its callback. That is a defect of its own (the File's cleanup may
// close the listener's descriptor), but no leak of a File to close. The
// keepalive finding stays: fileListener uses file.Fd() in fcntl after the
// File's last use.
func nameFromFd(ln *net.TCPListener) (*listener, error) {
	raw, err := ln.SyscallConn()
	if err != nil {
		return nil, err
	}
	var fln *listener
	raw.Control(func(fd uintptr) {
		fln, err = fileListener(os.NewFile(uintptr(fd), "listener")) // want `call runtime.KeepAlive\(os.NewFile\(uintptr\(fd\), "listener"\)\) after this call of freshH1.fileListener`
	})
	return fln, err
}

// readFile wraps the descriptor that Read lends in a File, with the
// conversion a uintptr-to-int-and-back round trip takes.
func readFile(c syscall.RawConn) (n int, err error) {
	buf := make([]byte, 8)
	c.Read(func(fd uintptr) bool {
		f := os.NewFile(uintptr(int(fd)), "conn")
		n, err = f.Read(buf)
		return err != syscall.EAGAIN
	})
	return n, err
}

// ownerFd wraps the descriptor an *os.File owns: a borrowed handle too.
func ownerFd(f *os.File) (os.FileInfo, error) {
	return os.NewFile(f.Fd(), f.Name()).Stat()
}

// closeWrapped closes a File made of a borrowed descriptor: that closes
// the descriptor the listener's connection still uses (and its own
// *os.File, later, closes the number again).
func closeWrapped(c syscall.RawConn) error {
	return c.Control(func(fd uintptr) {
		f := os.NewFile(fd, "conn")
		defer f.Close() // want `the deferred \(\*os.File\).Close closes the file from os.NewFile, which wraps a borrowed handle: it closes the handle its owner still uses`
		f.Sync()
	})
}

// closeOwnerFd closes a second File of an *os.File's descriptor.
func closeOwnerFd(f *os.File) {
	g := os.NewFile(f.Fd(), f.Name())
	g.Close() // want `\(\*os.File\).Close closes the file from os.NewFile, which wraps a borrowed handle`
}

// writeClose closes the descriptor that Write lends: the neighbour that
// must stay reported, as a release of a borrowed handle.
func writeClose(c syscall.RawConn) error {
	return c.Write(func(fd uintptr) bool {
		unix.Close(int(fd)) // want `unix.Close closes a borrowed handle from \(syscall.RawConn\).Write \(the fd parameter of its callback\)`
		return true
	})
}

type conn struct{ closed bool }

// shut is passed to Control as a method value: its fd is lent too.
func (c *conn) shut(fd uintptr) { // want shut:"releases a0 handle|token|fd"
	syscall.Close(int(fd)) // want `syscall.Close closes a borrowed handle from \(syscall.RawConn\).Control \(the fd parameter of its callback\)`
	c.closed = true
}

// shutdown is passed to Control as a function.
func shutdown(fd uintptr) {
	unix.Shutdown(int(fd), unix.SHUT_RDWR) // only uses it
}

func control(raw syscall.RawConn, c *conn) {
	raw.Control(c.shut)
	raw.Control(shutdown)
}

// socketFile is the owned neighbour that must stay reported: os.NewFile
// adopts a descriptor of unix.Socket, and the File leaks when SetNonblock
// fails.
func socketFile() (*os.File, error) { // want socketFile:"owned file r0"
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "socket") // want `file from os.NewFile is not closed on every path`
	if err := unix.SetNonblock(int(f.Fd()), true); err != nil {
		return nil, err
	}
	return f, nil
}
