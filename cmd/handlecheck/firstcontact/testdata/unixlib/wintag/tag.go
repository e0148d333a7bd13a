//go:build windows

// Package wintag is Windows code, by its build constraint rather than its
// name, that does not type-check: a real error, not a package that does
// not support Windows.
package wintag

import "golang.org/x/sys/windows"

// Elevated calls a method that windows.Token lacks.
func Elevated(tok windows.Token) bool {
	return tok.IsAdministrator()
}
