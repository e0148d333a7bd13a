// Package holders has handles that travel inside a struct of the package
// (issue 18, patterns 1 and 7): a same-package function returns a new
// struct holding a handle in a field, and the struct type has no closer
// (fsnotify's getIno returning *inode); helpers that only read the
// struct's fields are uses, not hand-ons; a struct passed by pointer to a
// call that only uses its arguments keeps the handles in its fields.
package holders

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc/mgr"
)

// An inode holds an open directory handle; no method or helper of the
// package closes it on every path, so it is no owner type.
type inode struct {
	handle windows.Handle
	volume uint32
	index  uint64
}

// getIno returns a new inode holding the handle (fsnotify v1.5.4).
func getIno(path *uint16) (ino *inode, err error) {
	h, err := windows.CreateFile(path, windows.FILE_LIST_DIRECTORY, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return nil, err
	}
	var fi windows.ByHandleFileInformation
	if err = windows.GetFileInformationByHandle(h, &fi); err != nil {
		windows.CloseHandle(h)
		return nil, err
	}
	ino = &inode{
		handle: h,
		volume: fi.VolumeSerialNumber,
		index:  uint64(fi.FileIndexHigh)<<32 | uint64(fi.FileIndexLow),
	}
	return ino, nil
}

type watch struct {
	ino  *inode
	mask uint32
}

type watchMap map[uint32]map[uint64]*watch

// get only reads the inode's fields: a use.
func (m watchMap) get(ino *inode) *watch {
	if i := m[ino.volume]; i != nil {
		return i[ino.index]
	}
	return nil
}

// set reads the inode and keeps the watch, which holds it.
func (m watchMap) set(ino *inode, w *watch) {
	i := m[ino.volume]
	if i == nil {
		i = make(map[uint64]*watch)
		m[ino.volume] = i
	}
	i[ino.index] = w
}

type watcher struct {
	watches watchMap
	port    windows.Handle
	last    *inode
	keep    func(*inode)
}

var errNoWatch = errors.New("no such watch")

// remWatch never closes the inode's handle (fsnotify's remWatch).
func (w *watcher) remWatch(path *uint16) error {
	ino, err := getIno(path) // want `handle from holders.getIno \(windows.CreateFile\) \(field handle\) is not closed on every path`
	if err != nil {
		return err
	}
	wt := w.watches.get(ino)
	if wt == nil {
		return errNoWatch
	}
	wt.mask = 0
	return nil
}

// remWatchFixed closes it (fsnotify v1.6.0).
func (w *watcher) remWatchFixed(path *uint16) error {
	ino, err := getIno(path)
	if err != nil {
		return err
	}
	wt := w.watches.get(ino)
	windows.CloseHandle(ino.handle)
	if wt == nil {
		return errNoWatch
	}
	wt.mask = 0
	return nil
}

// addWatch closes the handle on the paths where the inode is not kept,
// and keeps it in a new watch stored in the map on the others: quiet.
func (w *watcher) addWatch(path *uint16) error {
	ino, err := getIno(path)
	if err != nil {
		return err
	}
	if wt := w.watches.get(ino); wt != nil {
		windows.CloseHandle(ino.handle)
		return nil
	}
	if _, err := windows.CreateIoCompletionPort(ino.handle, w.port, 0, 0); err != nil {
		windows.CloseHandle(ino.handle)
		return err
	}
	wt := &watch{ino: ino}
	w.watches.set(ino, wt)
	return nil
}

// addWatchLeak forgets to close the handle when the completion port
// cannot be set up.
func (w *watcher) addWatchLeak(path *uint16) error {
	ino, err := getIno(path) // want `handle from holders.getIno \(windows.CreateFile\) \(field handle\) is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := windows.CreateIoCompletionPort(ino.handle, w.port, 0, 0); err != nil {
		return err
	}
	w.watches.set(ino, &watch{ino: ino})
	return nil
}

// volumeOf tests the inode, not the error: a nil inode holds no handle,
// quiet.
func volumeOf(path *uint16) uint32 {
	ino, _ := getIno(path)
	if ino == nil {
		return 0
	}
	defer windows.CloseHandle(ino.handle)
	return ino.volume
}

// lookup returns the inode: the caller's to close.
func lookup(path *uint16) (*inode, error) {
	ino, err := getIno(path)
	if err != nil {
		return nil, err
	}
	return ino, nil
}

// peek loses the inode that lookup returns: lookup is a source of the
// handle in its field too.
func peek(path *uint16) uint32 {
	ino, err := lookup(path) // want `handle from holders.lookup \(windows.CreateFile\) \(field handle\) is not closed on every path`
	if err != nil {
		return 0
	}
	return ino.volume
}

// remember stores the inode in the watcher: handed on.
func (w *watcher) remember(path *uint16) error {
	ino, err := getIno(path)
	if err != nil {
		return err
	}
	w.last = ino
	return nil
}

var lastIno *inode

// rememberGlobal stores it in a global: handed on.
func rememberGlobal(path *uint16) error {
	ino, err := getIno(path)
	if err != nil {
		return err
	}
	lastIno = ino
	return nil
}

// passOn hands the inode to a function value: unknown code.
func (w *watcher) passOn(path *uint16) error {
	ino, err := getIno(path)
	if err != nil {
		return err
	}
	w.keep(ino)
	return nil
}

// closeIno closes the inode of its second parameter.
func (w *watcher) closeIno(ino *inode) {
	windows.CloseHandle(ino.handle)
	ino.handle = windows.InvalidHandle
}

// closedByHelper closes the handle through a helper: quiet.
func (w *watcher) closedByHelper(path *uint16) (uint32, error) {
	ino, err := getIno(path)
	if err != nil {
		return 0, err
	}
	v := ino.volume
	w.closeIno(ino)
	return v, nil
}

// startRead closes the handle on some paths only (fsnotify's startRead,
// when nothing is watched any more): not a use, the inode is handed on.
func (w *watcher) startRead(ino *inode, mask uint32) error {
	if mask == 0 {
		return windows.CloseHandle(ino.handle)
	}
	return windows.CancelIo(ino.handle)
}

// restart hands the inode to startRead: quiet.
func (w *watcher) restart(path *uint16, mask uint32) error {
	ino, err := getIno(path)
	if err != nil {
		return err
	}
	return w.startRead(ino, mask)
}

// keepSome keeps the inode on some paths: not a use.
func (w *watcher) keepSome(ino *inode) uint32 {
	if ino.volume == 0 {
		w.last = ino
	}
	return ino.volume
}

// probe hands the inode to keepSome: quiet.
func (w *watcher) probe(path *uint16) (uint32, error) {
	ino, err := getIno(path)
	if err != nil {
		return 0, err
	}
	return w.keepSome(ino), nil
}

// fileType uses the handle in the inode through a system call only: a use.
func fileType(ino *inode) (uint32, error) {
	return windows.GetFileType(ino.handle)
}

// typeOf uses the inode through fileType and loses it.
func typeOf(path *uint16) (uint32, error) {
	ino, err := getIno(path) // want `handle from holders.getIno \(windows.CreateFile\) \(field handle\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	return fileType(ino)
}

// handleOf returns the handle itself, taken out of the inode: a source
// of the handle for its callers.
func handleOf(path *uint16) (windows.Handle, error) { // want handleOf:"owned handle r0"
	ino, err := getIno(path)
	if err != nil {
		return 0, err
	}
	return ino.handle, nil
}

// sizeOf loses the handle from handleOf.
func sizeOf(path *uint16) (uint32, error) {
	h, err := handleOf(path) // want `handle from holders.handleOf \(windows.CreateFile\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	return windows.GetFileType(h)
}

// either closes whichever inode it opened, through a variable set on two
// paths: quiet.
func either(a, b *uint16, first bool) error {
	var ino *inode
	var err error
	if first {
		ino, err = getIno(a)
	} else {
		ino, err = getIno(b)
	}
	if err != nil {
		return err
	}
	return windows.CloseHandle(ino.handle)
}

// A menuItemInfo is a MENUITEMINFO of the package's own (fyne.io/systray).
type menuItemInfo struct {
	Size, Mask uint32
	SubMenu    windows.Handle
	TypeData   *uint16
}

var (
	moduser32          = windows.NewLazySystemDLL("user32.dll")
	modvmcompute       = windows.NewLazySystemDLL("vmcompute.dll")
	procCreateMenu     = moduser32.NewProc("CreateMenu")
	procGetGUIThread   = moduser32.NewProc("GetGUIThreadInfo")
	procHcsAttachStuff = modvmcompute.NewProc("HcsAttachHandle")
)

// subMenu passes the struct holding the menu, by pointer, to a procedure
// that x/sys/windows wraps (windows.GetGUIThreadInfo), which only uses
// its arguments; when that fails, the menu leaks (systray's
// convertToSubMenu, with SetMenuItemInfoW).
func subMenu(tid uint32) (windows.Handle, error) { // want subMenu:"owned hmenu r0"
	res, _, err := procCreateMenu.Call() // want `hmenu from user32.dll!CreateMenu is not closed on every path`
	if res == 0 {
		return 0, err
	}
	menu := windows.Handle(res)
	mi := menuItemInfo{Mask: 4, SubMenu: menu}
	mi.Size = uint32(unsafe.Sizeof(mi))
	if r, _, err := procGetGUIThread.Call(uintptr(tid), uintptr(unsafe.Pointer(&mi))); r == 0 {
		return 0, err
	}
	return menu, nil
}

// subMenuKept passes the struct to a procedure that no rule names, and
// that x/sys does not wrap: it may keep the menu, quiet.
func subMenuKept() (windows.Handle, error) {
	res, _, err := procCreateMenu.Call()
	if res == 0 {
		return 0, err
	}
	mi := menuItemInfo{Mask: 4, SubMenu: windows.Handle(res)}
	if r, _, err := procHcsAttachStuff.Call(uintptr(unsafe.Pointer(&mi))); r != 0 {
		return 0, err
	}
	return 0, nil
}

// A request holds an event for an I/O control.
type request struct {
	code  uint32
	event windows.Handle
}

// control passes the request to windows.DeviceIoControl, of a uses
// package, by pointer, and loses the event when the call fails.
func control(dev windows.Handle) error {
	ev, err := windows.CreateEvent(nil, 0, 0, nil) // want `handle from windows.CreateEvent is not closed on every path`
	if err != nil {
		return err
	}
	req := request{code: 1, event: ev}
	var n uint32
	if err := windows.DeviceIoControl(dev, 0x1234, (*byte)(unsafe.Pointer(&req)), uint32(unsafe.Sizeof(req)), nil, 0, &n, nil); err != nil {
		return err
	}
	return windows.CloseHandle(ev)
}

// describe only reads the request: a use.
func describe(r *request) uint32 { return r.code }

// controlHelper passes the request to describe and loses the event.
func controlHelper() uint32 {
	ev, err := windows.CreateEvent(nil, 0, 0, nil) // want `handle from windows.CreateEvent is not closed on every path`
	if err != nil {
		return 0
	}
	req := &request{code: 1, event: ev}
	return describe(req)
}

var pending []*request

// queue keeps the request: not a use.
func queue(r *request) { pending = append(pending, r) }

// controlQueued passes the request to queue: quiet.
func controlQueued() error {
	ev, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return err
	}
	queue(&request{code: 2, event: ev})
	return nil
}

// wait waits on the request's event and closes it on every path: the
// request is the helper's to close (it is passed, not a first parameter).
func (w *watcher) wait(r *request) error {
	_, err := windows.WaitForSingleObject(r.event, windows.INFINITE)
	windows.CloseHandle(r.event)
	return err
}

// controlWaited closes the event through wait: quiet.
func (w *watcher) controlWaited() error {
	ev, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return err
	}
	r := &request{code: 3, event: ev}
	return w.wait(r)
}

// readAsync keeps the event in an Overlapped, plain data of x/sys/windows
// (a type with no methods), passed by pointer to windows.ReadFile, which
// only uses it; the event leaks when the read fails.
func readAsync(h windows.Handle, buf []byte) (uint32, error) {
	ev, err := windows.CreateEvent(nil, 1, 0, nil) // want `handle from windows.CreateEvent is not closed on every path`
	if err != nil {
		return 0, err
	}
	ov := windows.Overlapped{HEvent: ev}
	var n uint32
	if err := windows.ReadFile(h, buf, &n, &ov); err != nil && err != windows.ERROR_IO_PENDING {
		return 0, err
	}
	if err := windows.GetOverlappedResult(h, &ov, &n, true); err != nil {
		windows.CloseHandle(ev)
		return 0, err
	}
	windows.CloseHandle(ov.HEvent)
	return n, nil
}

// readAsyncFixed closes the event on every path.
func readAsyncFixed(h windows.Handle, buf []byte) (uint32, error) {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(ev)
	ov := windows.Overlapped{HEvent: ev}
	var n uint32
	if err := windows.ReadFile(h, buf, &n, &ov); err != nil && err != windows.ERROR_IO_PENDING {
		return 0, err
	}
	err = windows.GetOverlappedResult(h, &ov, &n, true)
	return n, err
}

var inflight []*windows.Overlapped

// readKept keeps the Overlapped in a global: handed on, quiet.
func readKept(h windows.Handle, buf []byte) error {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return err
	}
	ov := &windows.Overlapped{HEvent: ev}
	inflight = append(inflight, ov)
	return windows.ReadFile(h, buf, nil, ov)
}

// service starts a service whose handle it stores in a mgr.Service, a
// struct of another package with methods (Close releases the handle): the
// store hands the handle on, quiet.
func service(m windows.Handle, name *uint16) error {
	h, err := windows.OpenService(m, name, windows.SERVICE_ALL_ACCESS)
	if err != nil {
		return err
	}
	s := &mgr.Service{Name: "x", Handle: h}
	return s.Start()
}
