// Package cleanupvar holds functions that release their handles through a
// cleanup closure held in a local variable: a deferred closure calls it
// when err is not nil, and on success the function returns the closure
// to its caller, which holds the handles through it (StackExchange/wmi's
// coinitService shape). The handles are released on every failing path
// and handed on with the closure on success. The neighbours neither run
// the cleanup nor hand it on, and leak.
package cleanupvar

import (
	"os"

	"golang.org/x/sys/unix"
)

// open2 opens two files, closed by cleanup on failure, handed on with it.
func open2(a, b string) (*os.File, func(), error) {
	var f, g *os.File
	cleanup := func() {
		if g != nil {
			g.Close()
		}
		if f != nil {
			f.Close()
		}
	}
	var err error
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	f, err = os.Open(a)
	if err != nil {
		return nil, nil, err
	}
	g, err = os.Open(b)
	if err != nil {
		return nil, nil, err
	}
	return g, cleanup, nil
}

// open2Named is open2 with a named error result.
func open2Named(a, b string) (_ *os.File, _ func(), err error) {
	var f, g *os.File
	cleanup := func() {
		if g != nil {
			g.Close()
		}
		if f != nil {
			f.Close()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	f, err = os.Open(a)
	if err != nil {
		return nil, nil, err
	}
	g, err = os.Open(b)
	if err != nil {
		return nil, nil, err
	}
	return g, cleanup, nil
}

// open2Leak drops the cleanup on success: both files leak. (Its error
// is a named result, which the engine decides at each return; with a
// local err, as a directly deferred closure, it says nothing.)
func open2Leak(a, b string) (_ *os.File, err error) {
	var f, g *os.File
	cleanup := func() {
		if g != nil {
			g.Close()
		}
		if f != nil {
			f.Close()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	f, err = os.Open(a) // want `not closed on every path`
	if err != nil {
		return nil, err
	}
	g, err = os.Open(b) // want `not closed on every path`
	if err != nil {
		return nil, err
	}
	return nil, nil
}

// fds is open2 with x/sys/unix descriptors.
func fds(a, b string) (int, func(), error) {
	fd1, fd2 := -1, -1
	cleanup := func() {
		if fd2 >= 0 {
			unix.Close(fd2)
		}
		if fd1 >= 0 {
			unix.Close(fd1)
		}
	}
	var err error
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	fd1, err = unix.Open(a, unix.O_RDONLY, 0)
	if err != nil {
		return -1, nil, err
	}
	fd2, err = unix.Open(b, unix.O_RDONLY, 0)
	if err != nil {
		return -1, nil, err
	}
	return fd2, cleanup, nil
}

// fdsLeak drops the cleanup on success: both descriptors leak.
func fdsLeak(a, b string) (err error) {
	fd1, fd2 := -1, -1
	cleanup := func() {
		if fd2 >= 0 {
			unix.Close(fd2)
		}
		if fd1 >= 0 {
			unix.Close(fd1)
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	fd1, err = unix.Open(a, unix.O_RDONLY, 0) // want `not closed on every path`
	if err != nil {
		return err
	}
	fd2, err = unix.Open(b, unix.O_RDONLY, 0) // want `not closed on every path`
	if err != nil {
		return err
	}
	return nil
}

// A holder keeps a cleanup.
type holder struct{ cleanup func() }

// openInto hands the cleanup, and the file it captures, to p.
func openInto(p *holder, a string) (err error) {
	var f *os.File
	cleanup := func() {
		if f != nil {
			f.Close()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	f, err = os.Open(a)
	if err != nil {
		return err
	}
	p.cleanup = cleanup
	return nil
}

// openCalled runs the cleanup itself on failure, after the defer.
func openCalled(a string) (_ func(), err error) {
	f, err := os.Open(a)
	if err != nil {
		return nil, err
	}
	cleanup := func() { f.Close() }
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	if _, err = f.Stat(); err != nil {
		return nil, err
	}
	return cleanup, nil
}

// openCalledLeak drops it on success.
func openCalledLeak(a string) (err error) {
	f, err := os.Open(a) // want `not closed on every path`
	if err != nil {
		return err
	}
	cleanup := func() { f.Close() }
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	if _, err = f.Stat(); err != nil {
		return err
	}
	return nil
}
