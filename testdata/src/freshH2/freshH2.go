// Package freshH2 holds a false alarm of the opt-in net rules' first
// contact on set H (EVALUATION.md, session 11), with os.Open in place of
// net.DialUnix: facebook/time cmd/ptpcheck/checker/ptp4l.go:70 and
// ptp4l_test.go:521. preparePTP4lConn returns its conn together with a
// cleanup closure that closes it (it captures the named result); the
// caller that calls cleanup releases the conn.
package freshH2

import "os"

// openWithCleanup is preparePTP4lConn's shape. On the Stat failure the
// named result is set to nil before cleanup can see it: the file leaks
// (reported, a true finding of the same run, ptp4l.go:54).
func openWithCleanup(p string) (f *os.File, cleanup func(), err error) {
	if p == "" {
		cleanup = func() {}
		return nil, cleanup, os.ErrInvalid
	}
	cleanup = func() {
		if f != nil {
			f.Close()
		}
	}
	f, err = os.Open(p) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, cleanup, err
	}
	if _, err := f.Stat(); err != nil {
		return nil, cleanup, err
	}
	return
}

// Prepare is PrepareMgmtClient: quiet, its caller gets cleanup.
func Prepare(p string) (*os.File, func(), error) {
	f, cleanup, err := openWithCleanup(p)
	if err != nil {
		return nil, cleanup, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, cleanup, err
	}
	return f, cleanup, nil
}

// Use calls cleanup: quiet.
func Use(p string) error {
	f, cleanup, err := openWithCleanup(p)
	defer cleanup()
	if err != nil {
		return err
	}
	_, err = f.Seek(0, 0)
	return err
}

// openPlain returns no cleanup: its callers own the file.
func openPlain(p string) (*os.File, func(), error) { // want openPlain:"owned file r0"
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	return f, func() {}, nil
}

func UsePlain(p string) error {
	f, _, err := openPlain(p) // want `file from freshH2.openPlain \(os.Open\) is not closed on every path`
	if err != nil {
		return err
	}
	_, err = f.Seek(0, 0)
	return err
}
