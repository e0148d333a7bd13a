// Package holdersu has descriptors kept in plain data structs of
// x/sys/unix (types with no methods), which the engine follows as it
// follows the package's own structs: unix.EpollEvent passed by pointer to
// unix.EpollCtl, which only uses it.
package holdersu

import (
	"os"

	"golang.org/x/sys/unix"
)

// watchFd registers an eventfd with epoll; when that fails, the eventfd
// leaks (it was stored in the event, then the event died).
func watchFd(epfd int) (int, error) { // want watchFd:"owned fd r0"
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC) // want `fd from unix.Eventfd is not closed on every path`
	if err != nil {
		return -1, err
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, int(ev.Fd), &ev); err != nil {
		return -1, err
	}
	return fd, nil
}

// watchFdFixed closes it.
func watchFdFixed(epfd int) (int, error) { // want watchFdFixed:"owned fd r0"
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		return -1, err
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

type poller struct {
	events []unix.EpollEvent
}

// add keeps a copy of the event in the poller: handed on, quiet.
func (p *poller) add(epfd int) error {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		return err
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
	p.events = append(p.events, ev)
	return unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, fd, &ev)
}

// events only reads the event: a use.
func events(ev *unix.EpollEvent) uint32 { return ev.Events }

// eventFd returns the descriptor in the event: not a use.
func eventFd(ev *unix.EpollEvent) int { return int(ev.Fd) }

// fdOf hands the descriptor on through eventFd: quiet.
func fdOf() int {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		return -1
	}
	return eventFd(&unix.EpollEvent{Fd: int32(fd)})
}

// peek loses the descriptor after a helper that only reads the event.
func peek() int {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC) // want `fd from unix.Eventfd is not closed on every path`
	if err != nil {
		return -1
	}
	ev := &unix.EpollEvent{Fd: int32(fd)}
	return int(events(ev))
}

// A netlinkSocket keeps its descriptor in fd and in the File that adopts
// it (vishvananda/netlink's NetlinkSocket); Close closes the File, so it is
// an owner type of its field file.
type netlinkSocket struct {
	fd   int32
	file *os.File
}

func (s *netlinkSocket) Close() { s.file.Close() } // want Close:"closes handlecheck.test/holdersu.netlinkSocket"

// getSocket stores the descriptor in the struct, then hands it to
// os.NewFile: the struct returned is no source of the descriptor in its
// field fd, which the File owns; it is a source of netlinkSocket, for the
// File in its field file.
func getSocket() (*netlinkSocket, error) { // want getSocket:"owned handlecheck.test/holdersu.netlinkSocket r0 closed by Close"
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	s := &netlinkSocket{
		fd:   int32(fd),
		file: os.NewFile(uintptr(fd), "netlink"),
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// execute uses the descriptor in the field, then closes the socket: quiet.
func execute() error {
	s, err := getSocket()
	if err != nil {
		return err
	}
	defer s.Close()
	return unix.SetNonblock(int(s.fd), true)
}
