// Package dyntype holds type assertions of connections whose dynamic type
// their network fixes (std net/http/transport_test.go:6474 with the net
// rules): net.Dial("tcp", ...) returns a *net.TCPConn, and the path where
// the assertion fails does not exist.
package dyntype

import (
	"context"
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

// dialUnix returns the *net.UnixConn of a "unix" DialContext.
func dialUnix(ctx context.Context, d *net.Dialer, path string) (*net.UnixConn, error) {
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, err
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return nil, errors.New("not unix")
	}
	return uc, nil
}

// dialWrong asserts a "udp" connection to a *net.TCPConn: the assertion
// always fails, and c leaks there.
func dialWrong(addr string) (*net.TCPConn, error) {
	c, err := net.Dial("udp", addr) // want `conn from net.Dial is not closed on every path`
	if err != nil {
		return nil, err
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil, errors.New("not TCP")
	}
	return tc, nil
}

// dialAny dials a network its caller names: the assertion may fail, and
// c leaks there.
func dialAny(network, addr string) (*net.TCPConn, error) {
	c, err := net.Dial(network, addr) // want `conn from net.Dial is not closed on every path`
	if err != nil {
		return nil, err
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil, errors.New("not TCP")
	}
	return tc, nil
}
