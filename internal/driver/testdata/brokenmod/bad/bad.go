// Package bad does not type-check.
package bad

import "handlecheck.test/brokenmod/lib"

// Open returns a descriptor as the wrong type.
func Open() string {
	fd, _ := lib.Open("/etc/passwd")
	return fd
}
