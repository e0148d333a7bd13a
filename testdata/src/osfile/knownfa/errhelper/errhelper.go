// Package errhelper holds correct code that handlecheck once reported
// (see TestOSFileFalseAlarms): an error checked by a helper of the
// package that returns true only for a non-nil error. Only lenient, a
// helper that is true for a nil error too, leaves its caller's leak
// reported.
package errhelper

import (
	"fmt"
	"os"
	"testing"
)

// failed returns true only when err is not nil.
func failed(err error, what string) bool {
	if err != nil {
		fmt.Println(what, err)
		return true
	}
	return false
}

func open(path string) ([]byte, error) {
	f, err := os.Open(path)
	if failed(err, "open") {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 16)
	n, err := f.Read(buf)
	return buf[:n], err
}

// errEndsTest is std's os/root_test.go helper: it returns true only for a
// non-nil err, since the other path to "return true" ends the test.
func errEndsTest(t *testing.T, err error, wantError bool, format string, args ...any) bool {
	t.Helper()
	if wantError {
		if err == nil {
			op := fmt.Sprintf(format, args...)
			t.Fatalf("%v = nil; want error", op)
		}
		return true
	} else {
		if err != nil {
			op := fmt.Sprintf(format, args...)
			t.Fatalf("%v = %v; want success", op, err)
		}
		return false
	}
}

func openInRoot(t *testing.T, root *os.Root, name string, wantError bool) {
	f, err := root.Open(name)
	if errEndsTest(t, err, wantError, "root.Open(%q)", name) {
		return
	}
	defer f.Close()
	if _, err := f.Stat(); err != nil {
		t.Error(err)
	}
}

// isFailure returns err != nil itself.
func isFailure(err error) bool { return err != nil }

func openDirect(path string) (int64, error) {
	f, err := os.Open(path)
	if isFailure(err) {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// lenient is the neighbour: it is true for a nil error too, when quiet
// is set, so the file is open on that branch.
func lenient(err error, quiet bool) bool {
	if quiet {
		return true
	}
	return err != nil
}

func openLenient(path string, quiet bool) error {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if lenient(err, quiet) {
		return err
	}
	return f.Close()
}
