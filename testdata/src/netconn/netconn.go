// Package netconn checks the opt-in rules/net/net.yaml on the real net
// (analyzed as built for linux): connections and listeners from Dial,
// Listen, ListenPacket and Accept must be closed; their methods only use
// them; a second Close, and a call on a closed connection, which fails
// with net.ErrClosed, are not reported.
package netconn

import (
	"context"
	"net"
	"time"
)

// dialLeak leaks c when SetDeadline fails.
func dialLeak(addr string) error {
	c, err := net.Dial("tcp", addr) // want `conn from net.Dial is not closed on every path: release it with \(net.Conn\).Close`
	if err != nil {
		return err
	}
	if err := c.SetDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	return c.Close()
}

// dialContext closes c with a defer.
func dialContext(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte("ping"))
	return err
}

// dialed hands c to its caller.
func dialed(addr string) (net.Conn, error) { // want dialed:`owned conn r0`
	return net.DialTimeout("tcp", addr, time.Second)
}

// serve closes the listener and each connection, the latter in a
// goroutine that the connection is handed to.
func serve(addr string, handle func(net.Conn)) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer l.Close()
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			handle(c)
		}()
	}
}

// acceptLeak leaks the connection when its Write fails.
func acceptLeak(l net.Listener) error {
	c, err := l.Accept() // want `conn from \(net.Listener\).Accept is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := c.Write([]byte("hello")); err != nil {
		return err
	}
	return c.Close()
}

// listenLeak leaks the listener when Accept fails.
func listenLeak(addr string) (net.Conn, error) { // want listenLeak:`owned conn r0`
	l, err := net.Listen("tcp", addr) // want `listener from net.Listen is not closed on every path: release it with \(net.Listener\).Close`
	if err != nil {
		return nil, err
	}
	c, err := l.Accept()
	if err != nil {
		return nil, err
	}
	l.Close()
	return c, nil
}

// packet closes twice and sets a deadline on the closed connection: both
// only return errors.
func packet(addr string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return err
	}
	defer pc.Close()
	if err := pc.Close(); err != nil {
		return err
	}
	if err := pc.SetDeadline(time.Now()); err == nil {
		return net.ErrClosed
	}
	return nil
}

// closedFile is facebook/time's fbclock SockFetcher cleanup
// (fbclock/daemon/datafetcher_sock.go:43, found reading set H's misses):
// (*net.conn).File on a closed connection fails with an error and dups
// nothing, so it is no use after release. Its File, on the success it
// cannot have, is closed.
func closedFile(addr string) error {
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	defer func() {
		if conn != nil {
			conn.Close()
			if f, err := conn.File(); err == nil {
				f.Close()
			}
		}
	}()
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("x"))
	return err
}
