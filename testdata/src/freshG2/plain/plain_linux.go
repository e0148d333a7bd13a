// Package plain is the control of freshG2: the Watcher without the
// goroutine, whose Close closes the descriptor itself. It owns the
// descriptor, and NewWatcher is its source.
package plain

import (
	"os"
	"syscall"
)

// A Watcher owns fd.
type Watcher struct {
	fd       int
	isClosed bool
}

// NewWatcher is a source of Watcher.
func NewWatcher() (*Watcher, error) { // want NewWatcher:"owned handlecheck.test/freshG2/plain.Watcher r0 closed by Close"
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	return &Watcher{fd: fd}, nil
}

// Close closes the descriptor.
func (w *Watcher) Close() error { // want Close:"closes handlecheck.test/freshG2/plain.Watcher"
	if w.isClosed {
		return nil
	}
	w.isClosed = true
	return syscall.Close(w.fd)
}

// AddWatch uses the descriptor.
func (w *Watcher) AddWatch(path string, flags uint32) error { // want AddWatch:"uses a1"
	_, err := syscall.InotifyAddWatch(w.fd, path, flags)
	return err
}

// A Poller is read by a goroutine that only reads its descriptor; its
// Close closes it.
type Poller struct {
	fd     int
	Events chan int
}

// NewPoller starts p.poll, which only uses p: still a source of Poller.
func NewPoller() (*Poller, error) { // want NewPoller:"owned handlecheck.test/freshG2/plain.Poller r0 closed by Close"
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	p := &Poller{fd: fd, Events: make(chan int)}
	go p.poll()
	return p, nil
}

// poll reads the descriptor and never closes it.
func (p *Poller) poll() {
	var buf [64]byte
	for {
		n, err := syscall.Read(p.fd, buf[:])
		if err != nil {
			return
		}
		p.Events <- n
	}
}

// Close closes the descriptor.
func (p *Poller) Close() error { // want Close:"closes handlecheck.test/freshG2/plain.Poller"
	return syscall.Close(p.fd)
}

// A Ref is released by its Release when the last reference goes, through
// destroy, declared first: the closer named is the exported one.
type Ref struct {
	fd   int
	refs int
}

// NewRef is a source of Ref, closed by Release.
func NewRef() (*Ref, error) { // want NewRef:"owned handlecheck.test/freshG2/plain.Ref r0 closed by Release"
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	return &Ref{fd: fd, refs: 1}, nil
}

func (r *Ref) destroy() { // want destroy:"closes handlecheck.test/freshG2/plain.Ref"
	syscall.Close(r.fd)
}

// Release drops a reference.
func (r *Ref) Release() { // want Release:"closes handlecheck.test/freshG2/plain.Ref"
	r.refs--
	if r.refs == 0 {
		r.destroy()
	}
}

// A Hidden is released only by its unexported destroy (Shutdown calls
// it on some paths): an owner type of this package, whose constructor is
// no source for importers, who could not call destroy.
type Hidden struct {
	fd   int
	busy bool
}

// NewHidden has no fact.
func NewHidden() (*Hidden, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	return &Hidden{fd: fd}, nil
}

func (h *Hidden) destroy() { // want destroy:"closes handlecheck.test/freshG2/plain.Hidden"
	syscall.Close(h.fd)
}

// Shutdown destroys h unless it is busy.
func (h *Hidden) Shutdown() {
	if !h.busy {
		h.destroy()
	}
}

// hiddenLeak, in the package, may call destroy: reported.
func hiddenLeak() {
	h, err := NewHidden() // want `plain.Hidden from plain.NewHidden \(syscall.InotifyInit1\) is not closed on every path: release it with \(\*plain.Hidden\).destroy`
	if err != nil {
		return
	}
	_ = h
}
