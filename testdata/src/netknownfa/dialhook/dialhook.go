// Package dialhook holds std net/http/transport_test.go:6474's shape with
// the net rules: a DialContext hook of an http.Transport asserts the
// connection it dials to a *net.TCPConn. The Transport calls the hook with
// network "tcp" only, so the assertion never fails; the hook's network is
// a parameter, which the engine cannot tie to the Transport's calls.
package dialhook

import (
	"context"
	"fmt"
	"net"
	"net/http"
)

// transport dials through a hook that wants a *net.TCPConn.
func transport() *http.Transport {
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			tc, ok := conn.(*net.TCPConn)
			if !ok {
				return nil, fmt.Errorf("%s/%s does not provide a *net.TCPConn", network, addr)
			}
			return tc, nil
		},
	}
}
