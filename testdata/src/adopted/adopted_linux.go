// Package adopted: os.NewFile adopts a descriptor, and the File it returns
// owns it and closes it on Close. Closing the descriptor directly as well
// closes the number twice: the second close may close a descriptor that
// another goroutine got in between.
package adopted

import (
	"io"
	"net"
	"os"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// fakeUDP is the shape of xray-core's FakeUDP (proxy/dokodemo): the File
// is closed by a defer, and the error path closes its descriptor too.
func fakeUDP() (net.PacketConn, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "udp")
	defer f.Close()
	c, err := net.FilePacketConn(f)
	if err != nil {
		syscall.Close(fd) // want `double release: syscall.Close releases the handle that os.NewFile adopted, which the file from os.NewFile owns and releases itself, and the deferred \(\*os.File\).Close on line 25 releases it again: release only the file`
		return nil, err
	}
	return c, nil
}

// closeBoth closes the descriptor and then the File, in a row.
func closeBoth(fd int) { // want closeBoth:"adopts a0"
	f := os.NewFile(uintptr(fd), "x")
	syscall.Close(fd)
	f.Close() // want `double release: \(\*os.File\).Close releases the file from os.NewFile and so the handle that os.NewFile adopted, which syscall.Close on line 37 already released: release only the file`
}

// fileFirst closes the File and then its descriptor.
func fileFirst(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), path)
	_, err = io.ReadAll(f)
	f.Close()
	if err != nil {
		unix.Close(fd) // want `double release: unix.Close releases the handle that os.NewFile adopted, which the file from os.NewFile owns and releases itself, already released by \(\*os.File\).Close on line 49: release only the file`
	}
	return err
}

// deferredRaw defers the descriptor's close, which runs after the File's.
func deferredRaw(fd int) error { // want deferredRaw:"releases a0 fd"
	defer unix.Close(fd)
	f := os.NewFile(uintptr(fd), "x")
	_, err := f.Stat()
	f.Close() // want `double release: \(\*os.File\).Close releases the file from os.NewFile and so the handle that os.NewFile adopted, and the deferred unix.Close on line 58 releases that handle again: release only the file`
	return err
}

// rawTwice closes the adopted descriptor twice, the File aside.
func rawTwice(fd int) *os.File { // want rawTwice:"owned file r0; adopts a0"
	f := os.NewFile(uintptr(fd), "x")
	unix.Close(fd)
	unix.Close(fd) // want `double release: unix.Close releases the handle that os.NewFile adopted \(the file from os.NewFile owns it\), already released by unix.Close on line 68`
	return f
}

// fdAfterRaw takes the number out of a File whose descriptor is closed.
func fdAfterRaw(fd int) uintptr { // want fdAfterRaw:"borrowed fd r0; adopts a0"
	f := os.NewFile(uintptr(fd), "x")
	defer f.Close()
	unix.Close(fd) // want `double release`
	return f.Fd()  // want `use after release: \(\*os.File\).Fd uses the file from os.NewFile after unix.Close on line 77 released the handle it owns \(os.NewFile adopted it\)`
}

// ---- Quiet: the shapes real code uses ---------------------------------------

// nilThenDefer: NewFile returns nil only for an invalid descriptor, and
// then the File owns nothing: closing the descriptor there is right.
func nilThenDefer(dir int, name string) ([]byte, error) {
	fd, err := syscall.Openat(dir, name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	file := os.NewFile(uintptr(fd), name)
	if file == nil {
		syscall.Close(fd)
		return nil, syscall.EBADF
	}
	defer file.Close()
	return io.ReadAll(file)
}

// nilThenRawUses: after the nil test the code keeps using the descriptor
// (it only reads it) and closes the File on its error paths.
func nilThenRawUses(path string) (*os.File, error) { // want nilThenRawUses:"owned file r0"
	fd, err := syscall.Open(path, syscall.O_RDWR|syscall.O_CREAT|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	file := os.NewFile(uintptr(fd), path)
	if file == nil {
		syscall.Close(fd)
		return nil, syscall.EBADF
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		file.Close()
		return nil, syscall.EINVAL
	}
	if err := syscall.Flock(fd, syscall.LOCK_EX); err != nil {
		file.Close()
		return nil, err
	}
	return file, nil
}

type tunDevice struct {
	name string
	file *os.File
}

// nilThenStored: a TUN device's File, kept in the struct returned.
func nilThenStored(path string) (*tunDevice, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	file := os.NewFile(uintptr(fd), path)
	if file == nil {
		unix.Close(fd)
		return nil, unix.EBADF
	}
	return &tunDevice{name: path, file: file}, nil
}

// pairConn: net.FileConn dups the descriptor; the File is closed at once,
// and the descriptor only through it.
func pairConn() (net.Conn, *os.File, error) { // want pairConn:"owned file r1"
	fds, err := unix.Socketpair(unix.AF_LOCAL, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	client := os.NewFile(uintptr(fds[0]), "client")
	conn, err := net.FileConn(client)
	client.Close()
	if err != nil {
		unix.Close(fds[1])
		return nil, nil, err
	}
	return conn, os.NewFile(uintptr(fds[1]), "server"), nil
}

// bothDeferred: two Files over a socket pair, each closed once by a defer.
func bothDeferred() (net.Conn, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	ours := os.NewFile(uintptr(fds[0]), "ours")
	theirs := os.NewFile(uintptr(fds[1]), "theirs")
	defer ours.Close()
	defer theirs.Close()
	return net.FileConn(ours)
}

// setAside: the File goes where this function cannot follow it (a
// package variable), and only then is the descriptor closed.
func setAside(fd int) { // want setAside:"adopts a0"
	f := os.NewFile(uintptr(fd), "x")
	setAsideFiles = append(setAsideFiles, f)
	unix.Close(fd)
}

var setAsideFiles []*os.File

// clearFinalizer: runtime.SetFinalizer only uses its object (a uses rule),
// and clearing the *os.File's finalizer does not clear the one os sets on
// the File's inner object, which closes fd again once f is collected: f is
// dropped, a leak.
func clearFinalizer(fd int) { // want clearFinalizer:"adopts a0"
	f := os.NewFile(uintptr(fd), "x") // want `file from os.NewFile is not closed on every path`
	runtime.SetFinalizer(f, nil)
	unix.Close(fd)
}

// closedBeforeAdoption: the descriptor is closed on the path where no
// File was made of it.
func closedBeforeAdoption(path string) (*os.File, error) { // want closedBeforeAdoption:"owned file r0"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.Fadvise(fd, 0, 0, unix.FADV_SEQUENTIAL); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// otherIteration: the descriptor closed directly is a later iteration's,
// not the one that the File kept from an earlier iteration holds.
func otherIteration(paths []string) *os.File { // want otherIteration:"owned file r0"
	var keep *os.File
	for _, p := range paths {
		fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		if keep == nil {
			keep = os.NewFile(uintptr(fd), p)
			continue
		}
		unix.Close(fd)
	}
	return keep
}

// dropped: the descriptor is closed directly and the File is dropped. Its
// finalizer closes the number again when the File is collected: it is
// reported as before, as a File that is not closed.
func dropped(fd int) { // want dropped:"adopts a0"
	f := os.NewFile(uintptr(fd), "x") // want `file from os.NewFile is not closed on every path`
	_ = f.Name()
	unix.Close(fd)
}
