// Package errors is a reduced copy of restic's internal/errors
// (github.com/restic/restic v0.10.0, internal/errors/errors.go): its
// Cause unwraps in a loop, each step taken only where a comma-ok type
// assertion of the error it holds succeeded, so a nil error is returned
// as it came.
package errors

import "net/url"

// Cause is restic's: it keeps a nil error nil.
func Cause(err error) error { // want Cause:"nil error for a nil a0"
	type Causer interface {
		Cause() error
	}

	for {
		// unwrap *url.Error
		if urlErr, ok := err.(*url.Error); ok {
			err = urlErr.Err
			continue
		}

		// if err is a Causer, return the cause for this error.
		if c, ok := err.(Causer); ok {
			err = c.Cause()
			continue
		}

		break
	}

	return err
}

// Unwrapper is the method Chain asserts.
type Unwrapper interface{ Unwrap() error }

// CauseOf steps through cause's chain while it holds err: the step is
// taken where the assertion of another value succeeded, so a nil err can
// come out non-nil. No wrapper that keeps nil nil.
func CauseOf(err, cause error) error {
	for {
		if u, ok := cause.(Unwrapper); ok {
			err, cause = u.Unwrap(), nil
			continue
		}
		break
	}
	return err
}

// Default gives url.Error's Err, which may be anything, for a nil err
// after the first round: no wrapper that keeps nil nil either.
func Default(err error, def *url.Error) error {
	for {
		if _, ok := err.(*url.Error); ok {
			err = def.Err
			continue
		}
		if err == nil && def != nil {
			err, def = def, nil
			continue
		}
		break
	}
	return err
}
