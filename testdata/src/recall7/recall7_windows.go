// Package recall7 has owner types as real code writes them (issue 18,
// pattern 7): a closer that releases through another method, guarded by
// a closed flag; a constructor that wraps a handle passed in; a helper
// closer; constructors built on them.
package recall7

import (
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	modkernel32    = windows.NewLazySystemDLL("kernel32.dll")
	modvmcompute   = windows.NewLazySystemDLL("vmcompute.dll")
	procCancelIoEx = modkernel32.NewProc("CancelIoEx")
	procHcsAttach  = modvmcompute.NewProc("HcsAttachHandle")
)

// cancelIoEx is a //sys wrapper of a procedure no rule names, which
// x/sys/windows wraps as windows.CancelIoEx (a uses package): it only
// uses h.
func cancelIoEx(h windows.Handle, o *windows.Overlapped) error {
	r1, _, e1 := syscall.SyscallN(procCancelIoEx.Addr(), uintptr(h), uintptr(unsafe.Pointer(o)))
	if r1 == 0 {
		return e1
	}
	return nil
}

// hcsAttach calls a procedure that x/sys does not wrap: what it does with
// h is not known, so h is handed on there.
func hcsAttach(h windows.Handle) error {
	r1, _, e1 := syscall.SyscallN(procHcsAttach.Addr(), uintptr(h))
	if r1 != 0 {
		return e1
	}
	return nil
}

// attach hands the event to hcsAttach: quiet.
func attach() error {
	h, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return err
	}
	return hcsAttach(h)
}

// cancel only uses the event through cancelIoEx, and loses it.
func cancel() error {
	h, err := windows.CreateEvent(nil, 0, 0, nil) // want `handle from windows.CreateEvent is not closed on every path`
	if err != nil {
		return err
	}
	return cancelIoEx(h, nil)
}

// A sock owns its socket handle; Close releases it through closeHandle,
// once.
type sock struct {
	handle  windows.Handle
	mu      sync.Mutex
	closing bool
}

// makeSock wraps a handle passed in: on success the sock it returns owns it.
func makeSock(h windows.Handle) (*sock, error) { // want makeSock:"owned handlecheck.test/recall7.sock r0 closed by Close; adopts a0"
	s := &sock{handle: h}
	if err := windows.SetHandleInformation(h, windows.HANDLE_FLAG_INHERIT, 0); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *sock) closeHandle() { // want closeHandle:"closes handlecheck.test/recall7.sock"
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closing {
		s.closing = true
		_ = cancelIoEx(s.handle, nil)
		windows.Closesocket(s.handle)
		s.handle = 0
	}
}

// Close releases through closeHandle.
func (s *sock) Close() error { // want Close:"closes handlecheck.test/recall7.sock"
	s.closeHandle()
	return nil
}

// newSock is a source of sock through makeSock.
func newSock() (*sock, error) { // want newSock:"owned handlecheck.test/recall7.sock r0 closed by Close"
	fd, err := windows.Socket(windows.AF_INET, windows.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	s, err := makeSock(fd)
	if err != nil {
		windows.Closesocket(fd)
		return nil, err
	}
	return s, nil
}

type Listener struct{ s *sock }

// Listen loses the sock when Bind or Listen fails (go-winio's ListenHvsock).
func Listen(sa windows.Sockaddr) (*Listener, error) {
	s, err := newSock() // want `recall7.sock from recall7.newSock is not closed on every path: release it with \(\*recall7.sock\).Close`
	if err != nil {
		return nil, err
	}
	if err := windows.Bind(s.handle, sa); err != nil {
		return nil, err
	}
	if err := windows.Listen(s.handle, 16); err != nil {
		return nil, err
	}
	return &Listener{s: s}, nil
}

// ListenFixed closes it.
func ListenFixed(sa windows.Sockaddr) (*Listener, error) {
	s, err := newSock()
	if err != nil {
		return nil, err
	}
	if err := windows.Bind(s.handle, sa); err != nil {
		s.Close()
		return nil, err
	}
	if err := windows.Listen(s.handle, 16); err != nil {
		s.closeHandle()
		return nil, err
	}
	return &Listener{s: s}, nil
}

// A dir owns its handle; a helper releases it.
type dir struct {
	h    windows.Handle
	name string
}

func closeDir(d *dir) { // want closeDir:"closes handlecheck.test/recall7.dir"
	windows.CloseHandle(d.h)
}

// Close releases through the helper.
func (d *dir) Close() error { // want Close:"closes handlecheck.test/recall7.dir"
	closeDir(d)
	return nil
}

// openDir sets the field after other calls, and returns through named
// results.
func openDir(name string) (d *dir, err error) { // want openDir:"owned handlecheck.test/recall7.dir r0 closed by Close"
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	d = &dir{name: name}
	d.h, err = windows.CreateFile(p, windows.FILE_LIST_DIRECTORY, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// stat forgets the dir.
func stat(name string) (uint32, error) {
	d, err := openDir(name) // want `recall7.dir from recall7.openDir \(windows.CreateFile\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	var fi windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(d.h, &fi); err != nil {
		return 0, err
	}
	d.Close()
	return fi.FileAttributes, nil
}

// statFixed closes it on every path.
func statFixed(name string) (uint32, error) {
	d, err := openDir(name)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var fi windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(d.h, &fi); err != nil {
		return 0, err
	}
	return fi.FileAttributes, nil
}

// A watcher releases its port only when it is done with a watch: a method
// that releases on some paths and is not named as a closer does not make
// the type an owner.
type watcher struct {
	port windows.Handle
	n    int
}

func (w *watcher) remove() {
	w.n--
	if w.n == 0 {
		windows.CloseHandle(w.port)
	}
}

func newWatcher() (*watcher, error) {
	port, err := windows.CreateIoCompletionPort(windows.InvalidHandle, 0, 0, 0)
	if err != nil {
		return nil, err
	}
	return &watcher{port: port}, nil
}

// useWatcher hands the watcher to remove, which releases its port on
// some paths: quiet.
func useWatcher() error {
	w, err := newWatcher()
	if err != nil {
		return err
	}
	w.n++
	w.remove()
	return nil
}

// dropWatcher drops the watcher, port and all: newWatcher is a source of
// the handle in its field port (the type is no owner).
func dropWatcher() error {
	w, err := newWatcher() // want `handle from recall7.newWatcher \(windows.CreateIoCompletionPort\) \(field port\) is not closed on every path`
	if err != nil {
		return err
	}
	w.n++
	return nil
}

var (
	modkernel32b                  = windows.NewLazySystemDLL("kernel32.dll")
	procQueryFullProcessImageName = modkernel32b.NewProc("QueryFullProcessImageNameW")
)

func queryName(h windows.Handle) (string, error) {
	var buf [260]uint16
	n := uint32(len(buf))
	r1, _, e1 := syscall.SyscallN(procQueryFullProcessImageName.Addr(), uintptr(h), 1, uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)))
	if r1 == 0 {
		return "", e1
	}
	return windows.UTF16ToString(buf[:n]), nil
}

// checkProcess returns p, or closes it in the deferred function when it
// returns 0 (hcsshim's uvm checkProcess): quiet.
func checkProcess(pid uint32, want string) (p windows.Handle, err error) { // want checkProcess:"owned handle r0"
	p, err = windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return 0, err
	}
	defer func(opened windows.Handle) {
		if p == 0 {
			windows.Close(opened)
		}
	}(p)
	name, err := queryName(p)
	if err != nil {
		return 0, err
	}
	if name == want {
		return p, nil
	}
	return 0, nil
}
