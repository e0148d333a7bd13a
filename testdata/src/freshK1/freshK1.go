// Package freshK1 holds set K's false alarm (eval/fresh/triage-K.yaml):
// tonistiigi/fsutil fs.go:94, `rc, err := os.Open(p); return rc,
// errors.WithStack(err)`. The error is non-nil only where os.Open failed,
// and then there is no file: github.com/pkg/errors' wrappers keep a nil
// error nil ("If err is nil, WithStack returns nil"), which their summary
// facts say (effects.Summary.NilIfNil).
package freshK1

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pkg/errors"
)

type fs struct{ root string }

// Open is fsutil's: quiet.
func (fs *fs) Open(p string) (io.ReadCloser, error) { // want Open:"owned file r0"
	rc, err := os.Open(filepath.Join(fs.root, p))
	return rc, errors.WithStack(err)
}

// OpenWrapped: errors.Wrap keeps a nil error nil too.
func OpenWrapped(p string) (*os.File, error) { // want OpenWrapped:"owned file r0"
	f, err := os.Open(p)
	return f, errors.Wrap(err, "open")
}

// Wrap is a wrapper of this package that keeps a nil error nil; being
// exported, its fact says so.
func Wrap(err error) error { // want Wrap:"nil error for a nil a0"
	if err == nil {
		return nil
	}
	return fmt.Errorf("freshK1: %w", err)
}

// wrapEither returns nil or its argument, through a phi.
func wrapEither(err error, quiet bool) error {
	var out error
	if err != nil && !quiet {
		out = fmt.Errorf("freshK1: %w", err)
	}
	return out
}

func OpenLocal(p string) (*os.File, error) { // want OpenLocal:"owned file r0"
	f, err := os.Open(p)
	return f, Wrap(err)
}

func OpenNested(p string) (*os.File, error) { // want OpenNested:"owned file r0"
	f, err := os.Open(p)
	return f, errors.WithStack(Wrap(err))
}

func OpenPhi(p string, quiet bool) (*os.File, error) { // want OpenPhi:"owned file r0"
	f, err := os.Open(p)
	return f, wrapEither(err, quiet)
}

// wrapAlways never gives nil: no wrapper of a nil error.
func wrapAlways(err error) error {
	return fmt.Errorf("freshK1: %v", err)
}

// OpenErrorf returns a non-nil error with the live file, always.
func OpenErrorf(p string) (*os.File, error) { // want OpenErrorf:"owned file r0 \\(also with an error\\)"
	f, err := os.Open(p) // want `file from os.Open is returned together with an error that may be non-nil`
	return f, fmt.Errorf("open %s: %w", p, err)
}

func OpenAlways(p string) (*os.File, error) { // want OpenAlways:"owned file r0 \\(also with an error\\)"
	f, err := os.Open(p) // want `file from os.Open is returned together with an error that may be non-nil`
	return f, wrapAlways(err)
}

// OpenStat wraps Stat's error, not Open's: the file is live with it.
func OpenStat(p string) (*os.File, error) { // want OpenStat:"owned file r0 \\(also with an error\\)"
	f, err := os.Open(p) // want `file from os.Open is returned together with an error that may be non-nil`
	if err != nil {
		return nil, err
	}
	_, err = f.Stat()
	return f, errors.WithStack(err)
}
