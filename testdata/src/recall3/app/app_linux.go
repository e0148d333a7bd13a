// Package app calls recall3's Listen, whose fact says the descriptor may
// be live with a non-nil error, from another package.
package app

import (
	"golang.org/x/sys/unix"

	"handlecheck.test/recall3"
)

func serve(sa unix.Sockaddr) error {
	fd, err := recall3.Listen(sa) // want `fd from recall3.Listen \(unix.Socket\) is not closed on every path \(it is valid with some errors, too\)`
	if err != nil {
		return err
	}
	return unix.Close(fd)
}

func serveFixed(sa unix.Sockaddr) error {
	fd, err := recall3.ListenFixed(sa)
	if err != nil {
		return err
	}
	return unix.Close(fd)
}
