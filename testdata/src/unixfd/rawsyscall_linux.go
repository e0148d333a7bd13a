package unixfd

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// perfOpen calls perf_event_open(2) by number, as code that predates
// unix.PerfEventOpen does; the descriptor leaks where SetNonblock fails.
func perfOpen(attr *unix.PerfEventAttr) (int, error) { // want perfOpen:"owned fd r0"
	fd, _, errno := unix.Syscall6(unix.SYS_PERF_EVENT_OPEN, uintptr(unsafe.Pointer(attr)), 0, ^uintptr(0), ^uintptr(0), unix.PERF_FLAG_FD_CLOEXEC, 0) // want `fd from unix.Syscall6 is not closed on every path`
	if errno != 0 {
		return -1, errno
	}
	if err := unix.SetNonblock(int(fd), true); err != nil {
		return -1, err
	}
	return int(fd), nil
}

// perfOpenClosed closes it there: quiet, and the errno return holds no
// descriptor.
func perfOpenClosed(attr *syscall.RawSockaddr, pid int) (int, error) { // want perfOpenClosed:"owned fd r0"
	fd, _, errno := syscall.Syscall6(syscall.SYS_PERF_EVENT_OPEN, uintptr(unsafe.Pointer(attr)), uintptr(pid), ^uintptr(0), ^uintptr(0), 0, 0)
	if errno != 0 {
		return -1, errno
	}
	if err := syscall.SetNonblock(int(fd), true); err != nil {
		syscall.Close(int(fd))
		return -1, err
	}
	return int(fd), nil
}

// openatRaw opens through openat(2) by number and never closes the file.
func openatRaw(dir int, path string) error {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return err
	}
	fd, _, errno := syscall.Syscall(syscall.SYS_OPENAT, uintptr(dir), uintptr(unsafe.Pointer(p)), syscall.O_RDONLY|syscall.O_CLOEXEC) // want `fd from syscall.Syscall is not closed on every path`
	if errno != 0 {
		return errno
	}
	var st syscall.Stat_t
	return syscall.Fstat(int(fd), &st)
}

// openatRawClosed closes it with a defer: quiet.
func openatRawClosed(dir int, path string) error {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	fd, _, errno := unix.Syscall6(unix.SYS_OPENAT, uintptr(dir), uintptr(unsafe.Pointer(p)), unix.O_RDONLY|unix.O_CLOEXEC, 0, 0, 0)
	if errno != 0 {
		return errno
	}
	defer unix.Close(int(fd))
	var st unix.Stat_t
	return unix.Fstat(int(fd), &st)
}

// bpfMapCreate: bpf(BPF_MAP_CREATE) returns a map descriptor, which the
// error return after it drops.
func bpfMapCreate(attr unsafe.Pointer, size uintptr) (int, error) { // want bpfMapCreate:"owned fd r0"
	fd, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_MAP_CREATE, uintptr(attr), size) // want `fd from unix.Syscall is not closed on every path`
	if errno != 0 {
		return -1, errno
	}
	if err := unix.SetNonblock(int(fd), false); err != nil {
		return -1, err
	}
	return int(fd), nil
}

// bpfUpdate: bpf(BPF_MAP_UPDATE_ELEM) returns zero, no descriptor: quiet.
func bpfUpdate(attr unsafe.Pointer, size uintptr) error {
	r1, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_MAP_UPDATE_ELEM, uintptr(attr), size)
	if errno != 0 {
		return errno
	}
	if r1 != 0 {
		return unix.EINVAL
	}
	return nil
}

// bpfProgLoad: the program descriptor is returned to the caller: quiet.
func bpfProgLoad(attr unsafe.Pointer, size uintptr) (int, error) { // want bpfProgLoad:"owned fd r0"
	fd, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_LOAD, uintptr(attr), size)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}
