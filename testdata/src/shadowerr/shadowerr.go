// Package shadowerr holds error tests of an err variable that the
// acquisition never writes, on the real os and syscall (analyzed as built
// for linux). A switch case declares its own err (n, err := ...), the
// acquisition writes that one, and the test after the switch reads the
// outer err, which nothing assigned: nil. Its branch is never taken (the
// handle is not tested, and the code closes it after the test). It was
// read as a live branch, where the file leaked. The neighbour's outer
// err is assigned, and the branch leaks the file for real.
package shadowerr

import (
	"os"
	"strconv"
	"syscall"
)

// openNumbered opens p with its number in a switch case. (The test of
// the outer err is dead code: the error of os.Open goes to the inner
// err, and f is nil when os.Open fails, which Close reports.)
func openNumbered(paths []string) {
	var err error
	for i, p := range paths {
		var f *os.File
		switch i {
		case 0:
			n, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			f, err = os.Open(p + strconv.Itoa(n))
		}
		if err != nil {
			println(err.Error())
			continue
		}
		f.Close()
	}
}

// socketShadowed does the same with syscall.Socket in an if's block.
func socketShadowed(family int) error {
	var err error
	fd := -1
	if family != 0 {
		proto, err := strconv.Atoi("0")
		if err != nil {
			return err
		}
		fd, err = syscall.Socket(family, syscall.SOCK_STREAM, proto)
	}
	if err != nil {
		return err
	}
	if fd >= 0 {
		syscall.Close(fd)
	}
	return nil
}

// openChecked assigns the outer err: when Chmod fails, f leaks.
func openChecked(paths []string) {
	var err error
	for _, p := range paths {
		f, err2 := os.Open(p) // want `file from os.Open is not closed on every path`
		if err2 != nil {
			continue
		}
		err = os.Chmod(p, 0o600)
		if err != nil {
			continue
		}
		f.Close()
	}
	_ = err
}
