// Package embedclose holds handles closed through a Close method that
// their type promotes from a field it embeds, on the real os and net
// (analyzed as built for linux, with the opt-in rules/net/net.yaml). A
// *net.TCPConn embeds net.conn by value: c.Close() calls (*net.conn).Close
// on &c.conn, the same connection. It was reported as a leak. A struct
// that embeds an *os.File (type wrapped struct{ *os.File }) closes the
// File through the same promotion. The neighbours leave a path unclosed.
package embedclose

import (
	"net"
	"os"
)

// dialTCP closes the *net.TCPConn with its promoted Close, deferred.
func dialTCP(raddr *net.TCPAddr) error {
	c, err := net.DialTCP("tcp", nil, raddr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte("ping"))
	return err
}

// dialUnix closes on both paths.
func dialUnix(raddr *net.UnixAddr) error {
	c, err := net.DialUnix("unix", nil, raddr)
	if err != nil {
		return err
	}
	if _, err := c.Write([]byte("ping")); err != nil {
		c.Close()
		return err
	}
	return c.Close()
}

// listenUDP leaks the *net.UDPConn when SetReadBuffer fails.
func listenUDP(laddr *net.UDPAddr) error {
	c, err := net.ListenUDP("udp", laddr) // want `conn from net.ListenUDP is not closed on every path`
	if err != nil {
		return err
	}
	if err := c.SetReadBuffer(1 << 20); err != nil {
		return err
	}
	return c.Close()
}

// listenTCP closes its *net.TCPListener (a Close of its own).
func listenTCP(laddr *net.TCPAddr) error {
	l, err := net.ListenTCP("tcp", laddr)
	if err != nil {
		return err
	}
	defer l.Close()
	c, err := l.AcceptTCP()
	if err != nil {
		return err
	}
	return c.Close()
}

// wrapped embeds an *os.File: its Close is the File's.
type wrapped struct{ *os.File }

// openWrapped closes the File through the struct that embeds it.
func openWrapped(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	w := &wrapped{f}
	defer w.Close()
	_, err = w.Stat()
	return err
}

// openWrappedLeak leaks the File when Stat fails.
func openWrappedLeak(path string) error {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	w := wrapped{File: f}
	if _, err := w.Stat(); err != nil {
		return err
	}
	return w.Close()
}
