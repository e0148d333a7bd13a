// Package dyntype holds a type assertion of a connection whose dynamic
// type its network fixes (std net/http/transport_test.go:6474 with the
// net rules): net.Dial("tcp", ...) returns a *net.TCPConn, and the path
// where the assertion fails does not exist.
package dyntype

import (
	"errors"
	"net"
)

// dialTCP returns the *net.TCPConn of a "tcp" Dial.
func dialTCP(addr string) (*net.TCPConn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil, errors.New("not TCP")
	}
	return tc, nil
}
