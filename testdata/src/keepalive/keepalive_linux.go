// Package keepalive uses the descriptor of an *os.File in a system call
// after the file's last use, when its finalizer may close the descriptor
// during the call; and, staying quiet, the shapes that keep the file
// reachable: a deferred Close, a later use, runtime.KeepAlive, a file
// stored, returned or kept by a callee, and SyscallConn.
package keepalive

import (
	"net"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"handlecheck.test/keepalive/lib"
)

// The file is dead once Fd has returned: the ioctl may run on a closed
// (or reused) number. (It also leaks: the finalizer is its only Close.)
func Size(name string) (uint64, error) {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	var size uint64
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size))); errno != 0 { // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by unix.Syscall: f is not used after it, so its finalizer may close the descriptor first`
		return 0, errno
	}
	return size, nil
}

// Converted to int, and used by an x/sys/unix wrapper and syscall.
func Lock(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0) // want `file from os.OpenFile is not closed on every path`
	if err != nil {
		return err
	}
	fd := int(f.Fd())
	if err := unix.Flock(fd, unix.LOCK_EX); err != nil {
		return err
	}
	return syscall.Fsync(fd) // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by syscall.Fsync`
}

// A descriptor of a dup from (*net.TCPConn).File, set by a local helper.
func NoDelay(c *net.TCPConn) error {
	f, err := c.File() // want `file from \(\*net.conn\).File is not closed on every path`
	if err != nil {
		return err
	}
	return setOpt(int(f.Fd())) // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by keepalive.setOpt`
}

func setOpt(fd int) error {
	return unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
}

// A helper that takes the file and uses its descriptor after its last
// use of it: its caller's file is dead after the call.
func ioctl(f *os.File, req uint) (int, error) {
	return unix.IoctlGetInt(int(f.Fd()), req)
}

func Queued(name string) (int, error) {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	return ioctl(f, unix.TIOCINQ) // want `call runtime.KeepAlive\(f\) after this call of keepalive.ioctl, which uses f.Fd\(\) in a system call`
}

// golang/go#14910: the descriptor is taken once and used in a loop that
// never reads f: "bad file descriptor" after a GC. The uses all reach one
// another; the first is reported.
func SoError(c *net.UDPConn) error {
	f, err := c.File() // want `file from \(\*net.conn\).File is not closed on every path`
	c.Close()
	if err != nil {
		return err
	}
	s := int(f.Fd())
	for {
		if _, err := syscall.GetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_ERROR); err != nil { // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by syscall.GetsockoptInt`
			return err
		}
		runtime.GC()
	}
}

// x/sys/unix's ExampleFlock: the lock call is followed by another f.Fd(),
// so f is live there; the unlock is its last use.
func LockWork(work func()) {
	f, _ := os.Create("example.lock") // want `file from os.Create is not closed on every path`
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		panic(err)
	}
	work()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_UN); err != nil { // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by unix.Flock`
		panic(err)
	}
}

// A function of another package whose summary says it uses the
// descriptor.
func LockLib(name string) error {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	return lib.Lock(int(f.Fd())) // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by lib.Lock`
}

// ---- Right -------------------------------------------------------------------

// A deferred Close keeps f reachable until the function returns.
func SizeDeferred(name string) (uint64, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var size uint64
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size))); errno != 0 {
		return 0, errno
	}
	return size, nil
}

// A later Close on every path: f is live at the call.
func SizeClosed(name string) (uint64, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	var size uint64
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
	f.Close()
	if errno != 0 {
		return 0, errno
	}
	return size, nil
}

// A later use on one path only still keeps f live at the call: Go's
// liveness keeps a variable that some path reads.
func SizeClosedOnSuccess(name string) (uint64, error) {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	var size uint64
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size))); errno != 0 {
		return 0, errno
	}
	return size, f.Close()
}

// runtime.KeepAlive after the last use.
func SizeKeepAlive(name string) (uint64, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	var size uint64
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
	runtime.KeepAlive(f)
	if errno != 0 {
		return 0, errno
	}
	return size, nil
}

type device struct{ f *os.File }

var opened *os.File

// A file stored in a struct, in a global, or returned is reachable from
// there.
func OpenDevice(name string) (*device, uint64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	d := &device{f: f}
	var size uint64
	unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
	return d, size, nil
}

func OpenGlobal(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	opened = f
	return unix.Flock(int(f.Fd()), unix.LOCK_SH)
}

func OpenLocked(name string) (*os.File, error) { // want OpenLocked:"owned file r0"
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_SH); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// A file handed to a function that may keep it.
func Register(name string, keep func(*os.File)) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	keep(f)
	return unix.Flock(int(f.Fd()), unix.LOCK_SH)
}

// In a loop, the next iteration's Fd reads f: it is live at the call.
func LockRetry(f0 string) error {
	f, err := os.Open(f0) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	for {
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != unix.EINTR {
			return err
		}
	}
}

// SyscallConn's Control keeps the file alive while it runs.
func SizeControl(name string) (size uint64, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	rc.Control(func(fd uintptr) {
		unix.Syscall(unix.SYS_IOCTL, fd, unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
	})
	return size, nil
}

// A parameter's file is its caller's: the caller may keep it (and most
// do), so a helper alone is not reported.
func ParamSize(f *os.File) (uint64, error) { // want ParamSize:"uses a0"
	var size uint64
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size))); errno != 0 {
		return 0, errno
	}
	return size, nil
}

// The caller of the helper closes its file after the call.
func QueuedClosed(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return ioctl(f, unix.TIOCINQ)
}

// Printing the number does not use it.
func PrintFd(name string) {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return
	}
	println(f.Fd())
}

// The standard files are globals, never finalized.
func StdinQueued() (int, error) {
	return unix.IoctlGetInt(int(os.Stdin.Fd()), unix.TIOCINQ)
}

// A finding accepted by a directive.
func SizeIgnored(name string) (uint64, error) {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	var size uint64
	//handlecheck:ignore keepalive the device node lives in a global table
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
	if errno != 0 {
		return 0, errno
	}
	return size, nil
}
