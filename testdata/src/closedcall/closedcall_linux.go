// Package closedcall holds calls on a handle after its release, on the
// real os and x/sys/unix (analyzed as built for linux). A Go object that
// keeps its closed state (an *os.File, an *os.Process) fails such a call
// with an error (os.ErrClosed, "process already released"), through its
// methods or a helper of the code that calls them: no number is reused,
// and code that checks the error of a call it knows may fail on a closed
// File is right. Those were reported as uses after release through the
// helper's summary. The neighbours are real: a descriptor number passed
// to a helper after unix.Close (another open may have been given that
// number), and the number taken out of a closed File.
package closedcall

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// sync syncs f, through its methods only.
func sync(f *os.File) error {
	if _, err := f.Stat(); err != nil {
		return err
	}
	return f.Sync()
}

// closeThenSync closes f and checks that syncing it now fails.
func closeThenSync(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := sync(f); !errors.Is(err, os.ErrClosed) {
		return errors.New("sync of a closed file did not fail")
	}
	return nil
}

// signal signals p.
func signal(p *os.Process) error { return p.Signal(os.Interrupt) }

// releaseThenSignal releases p, then signals it: an error, nothing else.
func releaseThenSignal(name string) error {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{})
	if err != nil {
		return err
	}
	p.Release()
	if err := signal(p); err == nil {
		return errors.New("signal of a released process did not fail")
	}
	return nil
}

// fstat reads fd's status.
func fstat(fd int) error {
	var st unix.Stat_t
	return unix.Fstat(fd, &st)
}

// closeThenFstat passes the number of a closed descriptor to a helper.
func closeThenFstat(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	unix.Close(fd)
	return fstat(fd) // want `use after release: closedcall.fstat uses the fd from unix.Open after unix.Close released it`
}

// closeThenFd takes the number out of a closed File.
func closeThenFd(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	f.Close()
	return fstat(int(f.Fd())) // want `use after release: \(\*os.File\).Fd uses the file from os.Open after \(\*os.File\).Close released it`
}
