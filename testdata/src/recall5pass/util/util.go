// Package util has pass-through helpers for package recall5pass: each
// returns the value passed to it, so the handle a caller passes in comes
// back out and is the caller's still. Their summaries cross the package
// boundary as facts. Keep is no pass-through: it stores its argument.
package util

import "os"

// Must returns v, panicking on a non-nil err.
func Must[T any](v T, err error) T { // want Must:"returns a0 as r0"
	if err != nil {
		panic(err)
	}
	return v
}

// MustFile is Must for *os.File, not generic.
func MustFile(f *os.File, err error) *os.File { // want MustFile:"returns a0 as r0"
	if err != nil {
		panic(err)
	}
	return f
}

var kept []any

// Keep returns v, and keeps it too: a handle passed to it is handed on.
func Keep[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	kept = append(kept, v)
	return v
}

// Check panics on a non-nil err, which may be an error or a bool (as
// samber/lo's MustChecker takes it).
func Check(err any, messageArgs ...any) {
	switch e := err.(type) {
	case nil:
	case bool:
		if !e {
			panic(messageArgs)
		}
	case error:
		panic(e)
	}
}

// MustAny is samber/lo's Must: the error is of type any.
func MustAny[T any](val T, err any, messageArgs ...any) T { // want MustAny:"returns a0 as r0"
	Check(err, messageArgs...)
	return val
}

// Must1 is samber/lo's Must1, an alias that returns MustAny's result: it
// passes val through MustAny.
func Must1[T any](val T, err any, messageArgs ...any) T { // want Must1:"returns a0 as r0"
	return MustAny(val, err, messageArgs...)
}

// KeepVia returns what Keep returns: Keep keeps its argument, so KeepVia
// passes nothing through.
func KeepVia[T any](v T, err error) T {
	return Keep(v, err)
}
