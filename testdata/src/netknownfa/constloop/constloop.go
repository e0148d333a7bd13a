// Package constloop holds a loop of constant bounds, which runs at least
// once, that releases the handle (std net/error_test.go:782, server_test.go:63
// and :145 with the net rules). Entered from before the loop, the loop's
// first test compares constants: the path where it never runs does not
// exist.
package constloop

import (
	"os"

	"golang.org/x/sys/unix"
)

// closeEach closes f in the first iteration of a loop that runs three
// times: later Closes only return errors.
func closeEach(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	for i := 0; i < 3; i++ {
		f.Close()
	}
}

// closeRange ranges over a constant and closes fd in the first
// iteration: entered from before the loop, the body's test of the index
// compares constants (0 == 0).
func closeRange(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	for i := range 2 {
		if i == 0 {
			unix.Close(fd)
			return
		}
	}
}

// neverRuns has a loop whose first test is false: it never closes f.
func neverRuns(path string) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return
	}
	for i := 3; i < 3; i++ {
		f.Close()
	}
}

// closeBounded closes f in a loop bounded by a parameter, which may be 0.
func closeBounded(path string, n int) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return
	}
	for i := 0; i < n; i++ {
		f.Close()
	}
}

// closeLater closes f in the second iteration only, after a return the
// first iteration may take.
func closeLater(path string, stop bool) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return
	}
	for i := 0; i < 2; i++ {
		if i == 0 && stop {
			return
		}
		f.Close()
	}
}
