// Package freshL1 holds set L's false alarm (eval/fresh/set-L.md):
// github.com/restic/restic v0.10.0, internal/backend/local/local.go:92,
// (*Local).Save. The file is opened again only where b.IsNotExist(err),
// which is os.IsNotExist(errors.Cause(err)) with restic's own Cause: a
// wrapper that keeps a nil error nil, so the test is true only for a
// failed first open, and there is no file to overwrite.
package freshL1

import (
	"io"
	"os"
	"path/filepath"

	pkgerrors "github.com/pkg/errors"

	"handlecheck.test/freshL1/errors"
)

// Local is restic's local backend, reduced.
type Local struct{ Path string }

// IsNotExist is restic's: an error test of err through Cause.
func (b *Local) IsNotExist(err error) bool { // want IsNotExist:"true only for a non-nil a0"
	return os.IsNotExist(errors.Cause(err))
}

// Save is restic's, reduced: quiet.
func (b *Local) Save(name string, rd io.Reader) error { // want Save:"uses a1"
	filename := filepath.Join(b.Path, name)

	// create new file
	f, err := os.OpenFile(filename, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0600)

	if b.IsNotExist(err) {
		// error is caused by a missing directory, try to create it
		mkdirErr := os.MkdirAll(filepath.Dir(filename), 0700)
		if mkdirErr == nil {
			// try again
			f, err = os.OpenFile(filename, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0600)
		}
	}

	if err != nil {
		return pkgerrors.Wrap(err, "OpenFile")
	}

	// save data, then sync
	_, err = io.Copy(f, rd)
	if err != nil {
		_ = f.Close()
		return pkgerrors.Wrap(err, "Write")
	}

	if err = f.Sync(); err != nil {
		_ = f.Close()
		return pkgerrors.Wrap(err, "Sync")
	}

	return f.Close()
}

// create opens name, making its directory where the first open says it
// is missing: the test inline, through github.com/pkg/errors' Cause,
// which keeps a nil error nil too. Quiet.
func create(name string) (*os.File, error) { // want create:"owned file r0"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0600)
	if os.IsNotExist(pkgerrors.Cause(err)) {
		if mkdirErr := os.MkdirAll(filepath.Dir(name), 0700); mkdirErr == nil {
			f, err = os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0600)
		}
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// orNotExist gives os.ErrNotExist for a nil error.
func orNotExist(err error) error {
	if err == nil {
		return os.ErrNotExist
	}
	return errors.Cause(err)
}

// createAgain opens name a second time where the first open succeeded
// too (orNotExist(nil) is not-exist): the first file leaks.
func createAgain(name string) (*os.File, error) { // want createAgain:"owned file r0"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0600) // want `file from os.OpenFile is not closed on every path`
	if os.IsNotExist(orNotExist(err)) {
		f, err = os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0600)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// createOf tests the cause of another error, which says nothing of the
// first open's: the first file leaks where it succeeded.
func createOf(name string, prev error) (*os.File, error) { // want createOf:"owned file r0"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0600) // want `file from os.OpenFile is not closed on every path`
	if os.IsNotExist(errors.CauseOf(err, prev)) {
		f, err = os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0600)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}
