package useafterfd

import (
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// udpConnFD is the shape of real helpers ("returns the underlying socket
// fd for sendmmsg batching"): the deferred Close closes the dup that
// File made before the caller gets its number.
func udpConnFD(conn *net.UDPConn) (int, error) { // want udpConnFD:`borrowed fd r0`
	f, err := conn.File()
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return int(f.Fd()), nil
}

func SendOne(conn *net.UDPConn, b []byte) error {
	fd, err := udpConnFD(conn)
	if err != nil {
		return err
	}
	_, err = unix.Write(fd, b) // want `use after release: unix.Write uses the descriptor that useafterfd.udpConnFD returns, f.Fd\(\) of a file that the deferred \(\*os.File\).Close on line 18 closes before it returns`
	return err
}

// rawFd closes the file between taking its number and returning it.
func rawFd(name string) uintptr { // want rawFd:`borrowed fd r0`
	f, err := os.Open(name)
	if err != nil {
		return ^uintptr(0)
	}
	fd := f.Fd()
	f.Close()
	return fd
}

func StatRaw(name string) (unix.Stat_t, error) {
	var st unix.Stat_t
	err := unix.Fstat(int(rawFd(name)), &st) // want `use after release: unix.Fstat uses the descriptor that useafterfd.rawFd returns, f.Fd\(\) of a file that \(\*os.File\).Close on line 38 closes before it returns`
	return st, err
}

// Quiet: a probe of the next free descriptor returns a closed number on
// purpose, and its callers only compare it.
func nextFD() int { // want nextFD:`borrowed fd r0`
	f, err := os.Open(os.DevNull)
	if err != nil {
		return -1
	}
	defer f.Close()
	return int(f.Fd())
}

func Leaks(work func()) bool {
	before := nextFD()
	work()
	return nextFD() != before
}

// Quiet: the file is returned with its number and stays open.
func openWithFd(name string) (*os.File, uintptr, error) { // want openWithFd:`owned file r0; borrowed fd r1`
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	return f, f.Fd(), nil
}

func StatOpen(name string) (unix.Stat_t, error) {
	var st unix.Stat_t
	f, fd, err := openWithFd(name)
	if err != nil {
		return st, err
	}
	defer f.Close()
	return st, unix.Fstat(int(fd), &st)
}
