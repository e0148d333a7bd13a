// Package app uses lib's owner type from another package.
package app

import "handlecheck.test/owners/lib"

func leak(path string) error {
	f, err := lib.Open(path) // want `lib.File from lib.Open \(windows.CreateFile\) is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := f.Read(make([]byte, 8)); err != nil {
		return err // leaks f
	}
	return f.Close()
}

func closed(path string) error {
	f, err := lib.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Read(make([]byte, 8))
	return err
}

// Close methods are commonly idempotent (hcsshim's regstate.Key.Close
// zeroes its key after closing it): a second Close of an owner type is not
// reported.
func twice(path string) error {
	f, err := lib.Open(path)
	if err != nil {
		return err
	}
	f.Close()
	return f.Close()
}

type server struct{ f *lib.File }

// Kept in a struct: the struct's owner closes it.
func (s *server) keep(path string) error {
	f, err := lib.Open(path)
	if err != nil {
		return err
	}
	s.f = f
	return nil
}

// Returned: the caller's.
func open(path string) (*lib.File, error) { // want open:"owned handlecheck.test/owners/lib.File r0 closed by Close"
	return lib.Open(path)
}

// A wrapper's callers get the same duty.
func viaWrapper(path string) {
	open(path) // want `lib.File from app.open \(windows.CreateFile\) is not closed on every path`
}

// NewPair is not a source: nothing to report.
func pair() {
	lib.NewPair()
}
