// Package check has error tests of its own: true only for a non-nil
// error. It has no other handle code; its facts say which are tests.
package check

import (
	"errors"
	"syscall"
)

// NotSupported reports whether err says the system call is not supported.
func NotSupported(err error) bool { // want NotSupported:"true only for a non-nil a0"
	return err != nil && (errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EPERM))
}

// IsNotSupported is testenv.SyscallIsNotSupported's shape: it returns an
// unexported helper's test.
func IsNotSupported(err error) bool { // want IsNotSupported:"true only for a non-nil a0"
	return notSupported(err)
}

func notSupported(err error) bool {
	if err == nil {
		return false
	}
	if errno, ok := errors.AsType[syscall.Errno](err); ok {
		switch errno {
		case syscall.EPERM, syscall.EROFS:
			return true
		}
	}
	return errors.Is(err, errors.ErrUnsupported)
}

// Denied tests err with two error tests, without a nil test of its own.
func Denied(err error) bool { // want Denied:"true only for a non-nil a0"
	return errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)
}

// Done is true for a nil error too: it is no error test.
func Done(err error) bool {
	return err == nil || errors.Is(err, syscall.EEXIST)
}
