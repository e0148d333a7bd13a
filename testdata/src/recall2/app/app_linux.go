// Package app passes descriptors to package helpers' functions.
package app

import (
	"golang.org/x/sys/unix"

	"handlecheck.test/recall2/helpers"
)

func listenTuned() (int, error) { // want listenTuned:"owned fd r0"
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0) // want `fd from unix.Socket is not closed on every path`
	if err != nil {
		return -1, err
	}
	if err := helpers.Tune(fd); err != nil {
		return -1, err // leaks fd: Tune only used it
	}
	return fd, nil
}

func listenTunedFixed() (int, error) { // want listenTunedFixed:"owned fd r0"
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	if err := helpers.Tune(fd); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

func listenKept() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	return helpers.Keep(fd) // Keep stores it on success: handed on
}
