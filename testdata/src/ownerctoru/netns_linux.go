// Package ownerctoru has constructors of owner types on unix descriptors
// that real code writes: vishvananda/netlink v1.1.0's GetNetlinkSocketAt,
// which returns getNetlinkSocket's socket after a deferred call of a func
// value that executeInNetns returned (moby/ipvs's New drops it).
package ownerctoru

import (
	"runtime"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Sock owns fd (netlink v1.1.0's NetlinkSocket, whose Close swaps the
// field atomically).
type Sock struct {
	fd  int32
	lsa unix.SockaddrNetlink
}

func (s *Sock) Close() { // want Close:"closes handlecheck.test/ownerctoru.Sock"
	unix.Close(int(s.fd))
}

func (s *Sock) SetSendTimeout(sec int64) error {
	tv := unix.Timeval{Sec: sec}
	return unix.SetsockoptTimeval(int(s.fd), unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
}

func getSocket(protocol int) (*Sock, error) { // want getSocket:"owned handlecheck.test/ownerctoru.Sock r0 closed by Close"
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, protocol)
	if err != nil {
		return nil, err
	}
	s := &Sock{fd: int32(fd)}
	s.lsa.Family = unix.AF_NETLINK
	if err := unix.Bind(fd, &s.lsa); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return s, nil
}

// inNetns switches the thread's network namespace to ns and returns the
// function that switches it back (netlink's executeInNetns).
func inNetns(ns int) (func(), error) {
	var unlock func()
	restore := func() {
		if unlock != nil {
			unlock()
		}
	}
	if ns >= 0 {
		runtime.LockOSThread()
		unlock = runtime.UnlockOSThread
		if err := unix.Setns(ns, unix.CLONE_NEWNET); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

// GetSocketAt is a constructor of Sock: the deferred c() cannot reach the
// socket, made after c.
func GetSocketAt(ns, protocol int) (*Sock, error) { // want GetSocketAt:"owned handlecheck.test/ownerctoru.Sock r0 closed by Close; uses a0"
	c, err := inNetns(ns)
	if err != nil {
		return nil, err
	}
	defer c()
	return getSocket(protocol)
}

// New drops the socket when SetSendTimeout fails (moby/ipvs's New).
func New(ns int) (*Sock, error) { // want New:"owned handlecheck.test/ownerctoru.Sock r0 closed by Close; uses a0"
	s, err := GetSocketAt(ns, unix.NETLINK_GENERIC) // want `ownerctoru.Sock from ownerctoru.GetSocketAt \(unix.Socket\) is not closed on every path: release it with \(\*ownerctoru.Sock\).Close`
	if err != nil {
		return nil, err
	}
	if err := s.SetSendTimeout(1); err != nil {
		return nil, err
	}
	return s, nil
}

// ASock is netlink v1.1.0's NetlinkSocket as it is: Close swaps the
// field out atomically, so ASock is no owner type, and a function that
// returns a new one holding a socket is a source of the socket in its
// field fd, followed in this package.
type ASock struct {
	fd int32
}

func (s *ASock) Close() {
	fd := int(atomic.SwapInt32(&s.fd, -1))
	unix.Close(fd)
}

func getASocket(protocol int) (*ASock, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, protocol)
	if err != nil {
		return nil, err
	}
	return &ASock{fd: int32(fd)}, nil
}

// GetASocketAt passes getASocket's socket on after the deferred c():
// go/ssa returns its results through variables, which c cannot reach
// (set H's N4).
func GetASocketAt(ns, protocol int) (*ASock, error) { // want GetASocketAt:"uses a0; uses a1"
	c, err := inNetns(ns)
	if err != nil {
		return nil, err
	}
	defer c()
	return getASocket(protocol)
}

func newA(ns int) (*ASock, error) {
	s, err := GetASocketAt(ns, unix.NETLINK_GENERIC) // want `fd from ownerctoru.GetASocketAt \(unix.Socket\) \(field fd\) is not closed on every path: release it with unix.Close`
	if err != nil {
		return nil, err
	}
	if ns > 3 {
		return nil, unix.EINVAL
	}
	return s, nil
}

// closedAt closes the socket it returns, in a deferred call: no source.
func closedAt(ns, protocol int) (*ASock, error) {
	c, err := inNetns(ns)
	if err != nil {
		return nil, err
	}
	defer c()
	s, err := getASocket(protocol)
	if err != nil {
		return nil, err
	}
	defer unix.Close(int(s.fd))
	return s, nil
}

func dropClosed(ns int) error {
	s, err := closedAt(ns, unix.NETLINK_GENERIC)
	if err != nil {
		return err
	}
	if ns > 3 {
		return unix.EINVAL
	}
	_ = s
	return nil
}

// resetAt lets a deferred closure change the result it returns: the
// value returned is not known, and resetAt is no source.
func resetAt(protocol int) (s *ASock, err error) {
	defer func() {
		if err != nil {
			s = nil
		}
	}()
	return getASocket(protocol)
}

func dropReset(ns int) error {
	s, err := resetAt(ns)
	if err != nil {
		return err
	}
	if ns > 3 {
		return unix.EINVAL
	}
	_ = s
	return nil
}
