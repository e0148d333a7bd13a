package rules

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrorList is the error that Parse and Merge return: every problem found,
// in the order found, one "file:line:col: message" per line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find the first *Error in l.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// err returns l as an error, or nil if l is empty.
// User returns the errors of l at positions the user wrote, leaving out
// those in builtin files: a default rule for a function of an older
// version of its package (golang.org/x/sys of 2019, where unix.Signalfd
// had no result) does not fit it, is not the user's mistake, and is left
// out where it does not fit. A non-list error is returned as it is.
func User(err error) error {
	var l ErrorList
	if !errors.As(err, &l) {
		return err
	}
	var user ErrorList
	for _, e := range l {
		if !e.Pos.Builtin {
			user = append(user, e)
		}
	}
	return user.err()
}

func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// maxErrors is the most errors Parse reports for one file.
const maxErrors = 20

// errorSink collects a file's errors up to maxErrors.
type errorSink struct {
	errs ErrorList
	full bool
}

func (s *errorSink) add(pos Pos, format string, args ...any) {
	switch {
	case s.full:
	case len(s.errs) == maxErrors:
		s.errs = append(s.errs, Errorf(pos, "too many errors"))
		s.full = true
	default:
		e := Errorf(pos, format, args...)
		e.Msg = oneLine(e.Msg)
		s.errs = append(s.errs, e)
	}
}

// oneLine keeps a message on one line, so that each line of an ErrorList is
// one error.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// quote quotes s for a message, shortening it if it is long.
func quote(s string) string {
	const max = 64
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "..."
}
