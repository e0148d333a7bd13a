// Package freshB1 holds a false-alarm class met while triaging the
// first-contact run of set B (eval/fresh), reduced from insomniacslk/dhcp
// v0.0.0-20260901064844-234b97448fae dhcpv4/client4/client.go (Exchange).
// Every function here but exchangeLeak and guardedByParam is correct: none
// must be reported.
package freshB1

import (
	"log"

	"golang.org/x/sys/unix"
)

// rawSocket is dhcp's makeRawSocket, fixed: the socket is closed when a
// socket option cannot be set, and -1 returned.
func rawSocket() (int, error) { // want rawSocket:"owned fd r0"
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW)
	if err != nil {
		return -1, err
	}
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_HDRINCL, 1); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// exchange is dhcp's Exchange, fixed: the send socket is closed when the
// receive socket cannot be made; afterwards one deferred closure closes
// both, the second only if it is a different descriptor.
func exchange(bcast bool) error {
	var sfd int
	var err error
	if bcast {
		sfd, err = rawSocket()
	} else {
		sfd, err = rawSocket()
	}
	if err != nil {
		return err
	}
	rfd, err := rawSocket()
	if err != nil {
		unix.Close(sfd)
		return err
	}
	defer func() {
		if err := unix.Close(sfd); err != nil {
			log.Printf("unix.Close(sendFd) failed: %v", err)
		}
		if sfd != rfd {
			unix.Close(rfd)
		}
	}()
	_, err = unix.Write(sfd, []byte("discover"))
	return err
}

// twoInOneDefer: one deferred closure closes two captured descriptors,
// unconditionally.
func twoInOneDefer() error {
	sfd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_RAW)
	if err != nil {
		return err
	}
	rfd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_RAW)
	if err != nil {
		unix.Close(sfd)
		return err
	}
	defer func() {
		unix.Close(sfd)
		unix.Close(rfd)
	}()
	_, err = unix.Write(sfd, []byte("x"))
	return err
}

// guardedClose: no closure; the second descriptor is closed only if it
// differs from the first, which is always so for two live descriptors.
func guardedClose() error {
	sfd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_RAW)
	if err != nil {
		return err
	}
	rfd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_RAW)
	if err != nil {
		unix.Close(sfd)
		return err
	}
	unix.Close(sfd)
	if sfd != rfd {
		unix.Close(rfd)
	}
	return nil
}

// exchangeLeak is the neighbour that must stay reported, dhcp's real
// shape: the send socket leaks when the receive socket cannot be made.
func exchangeLeak() error {
	sfd, err := rawSocket() // want `fd from freshB1.rawSocket \(unix.Socket\) is not closed on every path`
	if err != nil {
		return err
	}
	rfd, err := rawSocket()
	if err != nil {
		return err
	}
	defer func() {
		unix.Close(sfd)
		unix.Close(rfd)
	}()
	_, err = unix.Write(sfd, []byte("discover"))
	return err
}

// guardedByParam is the neighbour of guardedClose that must stay
// reported: target is no handle the function acquired, so fd may equal it,
// and on that branch fd is not closed.
func guardedByParam(target int) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_RAW) // want `fd from unix.Socket is not closed on every path`
	if err != nil {
		return err
	}
	if fd != target {
		unix.Close(fd)
	}
	return nil
}
