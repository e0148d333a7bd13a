// Package ownersfile has owner types whose handle field is an *os.File
// (vishvananda/netlink's NetlinkSocket), and one whose methods release
// different *os.File fields (hcsshim's legacyLayerWriter), which is no
// owner type.
package ownersfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// Sock owns the socket in file; fd is a copy of its descriptor.
type Sock struct {
	fd   int32
	file *os.File
}

func (s *Sock) Close() { // want Close:"closes handlecheck.test/ownersfile.Sock"
	s.file.Close()
}

func (s *Sock) SetTimeout(sec int64) error {
	tv := unix.Timeval{Sec: sec}
	return unix.SetsockoptTimeval(int(s.fd), unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
}

// Open is a constructor of Sock (netlink's getNetlinkSocket).
func Open(protocol int) (*Sock, error) { // want Open:"owned handlecheck.test/ownersfile.Sock r0 closed by Close; uses a0"
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, protocol)
	if err != nil {
		return nil, err
	}
	s := &Sock{
		fd:   int32(fd),
		file: os.NewFile(uintptr(fd), "netlink"),
	}
	return s, nil
}

// leak does not close s when SetTimeout fails, before the defer
// (netlink's nl_linux.go:556).
func leak(protocol int) error {
	s, err := Open(protocol) // want `ownersfile.Sock from ownersfile.Open \(os.NewFile\) is not closed on every path: release it with \(\*ownersfile.Sock\).Close`
	if err != nil {
		return err
	}
	if err := s.SetTimeout(1); err != nil {
		return err
	}
	defer s.Close()
	return nil
}

func closed(protocol int) error {
	s, err := Open(protocol)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.SetTimeout(1)
}

// writer has three *os.File fields: CloseRoots releases root and
// destRoot, reset (and so Close) releases current. No method releases
// them all, so writer is no owner type, and reset is no mere use of it.
type writer struct {
	root     *os.File
	destRoot *os.File
	current  *os.File
}

func (w *writer) CloseRoots() {
	if w.root != nil {
		w.root.Close()
		w.root = nil
	}
	if w.destRoot != nil {
		w.destRoot.Close()
		w.destRoot = nil
	}
}

func (w *writer) reset() error {
	defer func() {
		if w.current != nil {
			w.current.Close()
			w.current = nil
		}
	}()
	return nil
}

func (w *writer) Close() error {
	return w.reset()
}

// resetCloses puts a file in current and has reset close it (hcsshim's
// Test_legacyLayerWriter_reset_ClosesFileOnFlushError).
func resetCloses(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := &writer{current: f}
	if err := w.reset(); err != nil {
		f.Close()
		return err
	}
	return nil
}

// Watch owns the descriptor in fd; id is a key into a table (hcsshim's
// hcs/v2 System and its notificationID), an integer that rearm hands on
// but does not release: Watch stays an owner type.
type Watch struct {
	fd int
	id uint64
}

func (w *Watch) Close() error { // want Close:"closes handlecheck.test/ownersfile.Watch"
	return unix.Close(w.fd)
}

var watches = map[uint64]bool{}

func forget(id uint64) { delete(watches, id) }

// rearm closes a descriptor of its own and hands w.id on.
func (w *Watch) rearm(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	unix.Close(fd)
	forget(w.id)
	return nil
}

func NewWatch(path string) (*Watch, error) { // want NewWatch:"owned handlecheck.test/ownersfile.Watch r0 closed by Close"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return &Watch{fd: fd, id: uint64(fd)}, nil
}

func watchLeak(path string) error {
	w, err := NewWatch(path) // want `ownersfile.Watch from ownersfile.NewWatch \(unix.Open\) is not closed on every path`
	if err != nil {
		return err
	}
	if err := w.rearm(path); err != nil {
		return err
	}
	return w.Close()
}

// pipe has two *os.File fields; CloseRead and CloseWrite release one
// each, Close both (hcsshim's devNullConnection): Close closes the whole
// value, so pipe is an owner type.
type pipe struct {
	read  *os.File
	write *os.File
}

func (p *pipe) Close() error { // want Close:"closes handlecheck.test/ownersfile.pipe"
	err1 := p.read.Close()
	err2 := p.write.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

func (p *pipe) CloseRead() error { // want CloseRead:"closes handlecheck.test/ownersfile.pipe"
	return p.read.Close()
}

func (p *pipe) CloseWrite() error {
	return p.write.Close()
}

func newPipe() (*pipe, error) { // want newPipe:"owned handlecheck.test/ownersfile.pipe r0 closed by Close"
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	return &pipe{read: r, write: w}, nil
}

func pipeLeak(b []byte) error {
	p, err := newPipe() // want `ownersfile.pipe from ownersfile.newPipe \(os.Pipe\) is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := p.write.Write(b); err != nil {
		return err
	}
	p.CloseWrite()
	return p.Close()
}

// Pending is google/renameio/v2's PendingFile (tempfile.go): it embeds the
// *os.File, and Cleanup closes it unless CloseAtomicallyReplace already
// did (flags), then removes the temporary file. gokrazy's createFile
// (update.go:160) defers f.Cleanup(): found by set H's rerun after
// *os.File fields made PendingFile an owner type.
type Pending struct {
	*os.File
	path   string
	done   bool
	closed bool
}

func (t *Pending) Cleanup() error { // want Cleanup:"closes handlecheck.test/ownersfile.Pending"
	if t.done {
		return nil
	}
	var closeErr error
	if !t.closed {
		closeErr = t.File.Close()
	}
	if err := os.Remove(t.Name()); err != nil {
		return err
	}
	t.done = true
	return closeErr
}

func (t *Pending) CloseAtomicallyReplace() error { // want CloseAtomicallyReplace:"closes handlecheck.test/ownersfile.Pending"
	if err := t.Sync(); err != nil {
		return err
	}
	t.closed = true
	if err := t.File.Close(); err != nil {
		return err
	}
	if err := os.Rename(t.Name(), t.path); err != nil {
		return err
	}
	t.done = true
	return nil
}

func NewPending(path string) (*Pending, error) { // want NewPending:"owned handlecheck.test/ownersfile.Pending r0 closed by Cleanup"
	f, err := os.CreateTemp("", "pending")
	if err != nil {
		return nil, err
	}
	return &Pending{File: f, path: path}, nil
}

// createFile defers Cleanup: quiet.
func createFile(path string, b []byte) error {
	f, err := NewPending(path)
	if err != nil {
		return err
	}
	defer f.Cleanup()
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.CloseAtomicallyReplace()
}

// pendingLeak is gokrazy/breakglass's scp (scp.go:121): no Cleanup, and
// the write's error return drops the file.
func pendingLeak(path string, b []byte) error {
	f, err := NewPending(path) // want `ownersfile.Pending from ownersfile.NewPending \(os.CreateTemp\) is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.CloseAtomicallyReplace()
}
