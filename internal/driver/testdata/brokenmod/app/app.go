// Package app imports a package that does not type-check.
package app

import (
	"handlecheck.test/brokenmod/bad"
	"handlecheck.test/brokenmod/lib"
)

// Leak leaks the descriptor from lib.Open.
func Leak() string {
	fd, err := lib.Open("/etc/hosts")
	if err != nil {
		return ""
	}
	_ = fd
	return bad.Open()
}
