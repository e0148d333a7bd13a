// Package recall1u has descriptors and files kept in fields of a local
// struct variable (issue 18, pattern 1), as runc's newProcessComm: when a
// later step fails, the struct dies holding what the earlier ones made.
package recall1u

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

func newSockPair(name string) (parent, child *os.File, err error) { // want newSockPair:"owned file r0; owned file r1"
	fds, err := unix.Socketpair(unix.AF_LOCAL, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[1]), name+"-p"), os.NewFile(uintptr(fds[0]), name+"-c"), nil
}

type comm struct {
	initParent, initChild *os.File
	logParent, logChild   *os.File
}

// newComm loses the socket pair when os.Pipe fails.
func newComm() (*comm, error) {
	var c comm
	var err error
	c.initParent, c.initChild, err = newSockPair("init") // want `file from recall1u.newSockPair \(os.NewFile\) is not closed on every path`
	if err != nil {
		return nil, fmt.Errorf("init pipe: %w", err)
	}
	c.logParent, c.logChild, err = os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("log pipe: %w", err)
	}
	return &c, nil
}

// newCommFixed closes the pair in a deferred closure when it fails.
func newCommFixed() (_ *comm, retErr error) {
	var c comm
	var err error
	c.initParent, c.initChild, err = newSockPair("init")
	if err != nil {
		return nil, fmt.Errorf("init pipe: %w", err)
	}
	defer func() {
		if retErr != nil {
			c.initParent.Close()
			c.initChild.Close()
		}
	}()
	c.logParent, c.logChild, err = os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("log pipe: %w", err)
	}
	return &c, nil
}

type poller struct {
	fd     int
	events uint32
}

// pollOnce keeps the descriptor in a local struct value, uses it, and
// never closes it.
func pollOnce(path string) (uint32, error) {
	var p poller
	var err error
	p.fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) // want `fd from unix.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(p.fd, &st); err != nil {
		return 0, err
	}
	return st.Mode, nil
}

// pollOnceFixed closes it.
func pollOnceFixed(path string) (uint32, error) {
	var p poller
	var err error
	p.fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(p.fd)
	var st unix.Stat_t
	if err := unix.Fstat(p.fd, &st); err != nil {
		return 0, err
	}
	return st.Mode, nil
}

// openPoller returns the struct by value: handed on.
func openPoller(path string) (poller, error) {
	p := poller{events: unix.POLLIN}
	var err error
	p.fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	return p, err
}

var pollers = map[string]*poller{}

// register keeps the struct in a map: handed on.
func register(path string) error {
	p := &poller{}
	var err error
	p.fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	pollers[path] = p
	return nil
}

// loop makes a struct per iteration and drops it: each one leaks.
func loop(paths []string) {
	for _, path := range paths {
		p := &poller{}
		var err error
		p.fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) // want `fd from unix.Open is not closed on every path`
		if err != nil {
			continue
		}
		_ = p
	}
}

type proc struct {
	stdin, stdout *os.File
	ch            chan struct{}
}

func (p *proc) Close() error { // want Close:"closes handlecheck.test/recall1u.proc"
	if p.stdin != nil {
		p.stdin.Close()
	}
	if p.stdout != nil {
		p.stdout.Close()
	}
	return nil
}

// startProc keeps one end of each pipe in the struct, which a closure
// deferred before closes when the function fails (hcsshim's test
// process host): quiet.
func startProc(in, out bool) (_ *proc, err error) {
	p := &proc{ch: make(chan struct{})}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	var stdin, stdout *os.File
	if in {
		stdin, p.stdin, err = os.Pipe()
		if err != nil {
			return nil, err
		}
		defer stdin.Close()
	}
	if out {
		p.stdout, stdout, err = os.Pipe()
		if err != nil {
			return nil, err
		}
		defer stdout.Close()
	}
	if _, err := stdin.Stat(); err != nil {
		return nil, err
	}
	return p, nil
}

type stdio interface{ Stdio() *os.File }

func (p *proc) Stdio() *os.File { return p.stdout }

// newStdio returns the struct as an interface: handed on.
func newStdio() (stdio, error) {
	p := &proc{}
	var err error
	if p.stdout, p.stdin, err = os.Pipe(); err != nil {
		return nil, err
	}
	return p, nil
}
