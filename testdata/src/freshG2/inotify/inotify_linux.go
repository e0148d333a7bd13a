// Package inotify is reduced from k8s.io/utils/inotify (v0.0.0-20261023123148-ca04ba58ecab,
// inotify_linux.go): NewWatcher hands the descriptor to the goroutine it
// starts, which closes it once Close has told it to. Close itself only
// signals: the caller's duty is to call it, which nothing here can check,
// so a Watcher is no handle the caller owns.
package inotify

import (
	"errors"
	"os"
	"syscall"
)

// A Watcher is read by the goroutine that NewWatcher starts.
type Watcher struct {
	fd       int
	isClosed bool
	done     chan bool
	Event    chan uint32
	Error    chan error
}

// NewWatcher hands fd to the go'd bound method w.readEvents: no source.
func NewWatcher() (*Watcher, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	w := &Watcher{fd: fd, done: make(chan bool, 1), Event: make(chan uint32), Error: make(chan error)}
	go w.readEvents()
	return w, nil
}

// Close only signals the reader goroutine.
func (w *Watcher) Close() error {
	if w.isClosed {
		return nil
	}
	w.isClosed = true
	w.done <- true
	return nil
}

// AddWatch uses the descriptor.
func (w *Watcher) AddWatch(path string, flags uint32) error { // want AddWatch:"uses a1"
	if w.isClosed {
		return errors.New("inotify instance already closed")
	}
	_, err := syscall.InotifyAddWatch(w.fd, path, flags)
	return err
}

// readEvents runs as a goroutine only, and closes the descriptor when
// it is told to or at EOF.
func (w *Watcher) readEvents() {
	var buf [syscall.SizeofInotifyEvent * 16]byte
	for {
		n, err := syscall.Read(w.fd, buf[:])
		var done bool
		select {
		case done = <-w.done:
		default:
		}
		if n == 0 || done {
			close(w.Event)
			if err := syscall.Close(w.fd); err != nil {
				w.Error <- os.NewSyscallError("close", err)
			}
			close(w.Error)
			return
		}
		if n < 0 {
			w.Error <- os.NewSyscallError("read", err)
			continue
		}
		w.Event <- uint32(n)
	}
}

// NewClosureWatcher runs readEvents in a function literal that captures
// w: no source.
func NewClosureWatcher() (*Watcher, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	w := &Watcher{fd: fd, done: make(chan bool, 1), Event: make(chan uint32), Error: make(chan error)}
	go func() { w.readEvents() }()
	return w, nil
}

// NewValueWatcher runs the method value w.readEvents: no source.
func NewValueWatcher() (*Watcher, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	w := &Watcher{fd: fd, done: make(chan bool, 1), Event: make(chan uint32), Error: make(chan error)}
	run := w.readEvents
	go run()
	return w, nil
}

// A Shared is closed by its Close, and by the goroutine that NewShared
// starts when the descriptor reaches EOF: an owner type, whose
// constructor hands the descriptor to that goroutine all the same.
type Shared struct {
	fd int
}

// NewShared passes s to readShared, which may close s.fd: no source.
func NewShared() (*Shared, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	s := &Shared{fd: fd}
	go readShared(s)
	return s, nil
}

// Close closes the descriptor.
func (s *Shared) Close() error { // want Close:"closes handlecheck.test/freshG2/inotify.Shared"
	return syscall.Close(s.fd)
}

// readShared runs as a goroutine only: no helper that closes a Shared.
func readShared(s *Shared) {
	var buf [64]byte
	if n, _ := syscall.Read(s.fd, buf[:]); n == 0 {
		syscall.Close(s.fd)
	}
}

// A Loop is closed by its Close, and its descriptor by the goroutine
// that NewLoop hands it to at EOF.
type Loop struct {
	fd int
}

// NewLoop passes the descriptor itself to readFd: no source.
func NewLoop() (*Loop, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	l := &Loop{fd: fd}
	go readFd(fd)
	return l, nil
}

// Close closes the descriptor.
func (l *Loop) Close() error { // want Close:"closes handlecheck.test/freshG2/inotify.Loop"
	return syscall.Close(l.fd)
}

// readFd closes fd at EOF.
func readFd(fd int) { // want readFd:"uses a0"
	var buf [64]byte
	if n, _ := syscall.Read(fd, buf[:]); n == 0 {
		syscall.Close(fd)
	}
}

// OnOpen, if set, is told of each new descriptor.
var OnOpen = func(fd int) {}

// NewNotified tells OnOpen of the descriptor, which may keep it (the
// engine follows it no further), then hands s to readShared: no source.
func NewNotified() (*Shared, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	s := &Shared{fd: fd}
	OnOpen(fd)
	go readShared(s)
	return s, nil
}

// A Starter's descriptor is closed by the goroutine its Start runs, not
// by a method a caller could call: it is no owner type.
type Starter struct {
	fd   int
	done chan bool
}

// NewStarter returns a Starter holding the descriptor: no source.
func NewStarter() (*Starter, error) {
	fd, errno := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if fd == -1 {
		return nil, os.NewSyscallError("inotify_init", errno)
	}
	return &Starter{fd: fd, done: make(chan bool, 1)}, nil
}

// Start runs s.run.
func (s *Starter) Start() { go s.run() }

// Stop signals it.
func (s *Starter) Stop() { s.done <- true }

// run runs as a goroutine only, and closes the descriptor when told to.
func (s *Starter) run() {
	<-s.done
	syscall.Close(s.fd)
}
