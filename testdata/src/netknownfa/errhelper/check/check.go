// Package check has an error test of its own: true only for a non-nil
// error.
package check

import (
	"errors"
	"syscall"
)

// NotSupported reports whether err says the system call is not supported.
func NotSupported(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EPERM))
}
