package effects

// This file is the Go-coded API knowledge that the rules do not express:
// how native procedures are made and called, which functions test errors
// (a handle is not valid where its error passes one), and which GOOS
// values name files.

import (
	"strings"

	"github.com/handlecheck/handlecheck/rules"
)

// procCall says how a function calls a native procedure: its arguments
// start at operand first, spread (false) or in a variadic slice (true);
// the procedure is the receiver (operand 0) or the trap address (operand 0).
type procCall struct {
	first    int
	variadic bool
	trap     bool // operand 0 is an address (proc.Addr()), not a procedure
}

var procCalls = map[string]procCall{
	"(*golang.org/x/sys/windows.LazyProc).Call": {first: 1, variadic: true},
	"(*golang.org/x/sys/windows.Proc).Call":     {first: 1, variadic: true},
	"(*syscall.LazyProc).Call":                  {first: 1, variadic: true},
	"(*syscall.Proc).Call":                      {first: 1, variadic: true},
	"syscall.SyscallN":                          {first: 1, variadic: true, trap: true},
	"syscall.Syscall":                           {first: 2, trap: true},
	"syscall.Syscall6":                          {first: 2, trap: true},
	"syscall.Syscall9":                          {first: 2, trap: true},
	"syscall.Syscall12":                         {first: 2, trap: true},
	"syscall.Syscall15":                         {first: 2, trap: true},
	"syscall.Syscall18":                         {first: 2, trap: true},
}

// procMakers make a procedure from a DLL (operand 0) and a name (operand 1).
var procMakers = map[string]bool{
	"(*golang.org/x/sys/windows.LazyDLL).NewProc":  true,
	"(*golang.org/x/sys/windows.DLL).FindProc":     true,
	"(*golang.org/x/sys/windows.DLL).MustFindProc": true,
	"(*syscall.LazyDLL).NewProc":                   true,
	"(*syscall.DLL).FindProc":                      true,
	"(*syscall.DLL).MustFindProc":                  true,
}

// dllMakers load a DLL by name (operand 0).
var dllMakers = map[string]bool{
	"golang.org/x/sys/windows.NewLazySystemDLL": true,
	"golang.org/x/sys/windows.NewLazyDLL":       true,
	"golang.org/x/sys/windows.LoadDLL":          true,
	"golang.org/x/sys/windows.MustLoadDLL":      true,
	"syscall.NewLazyDLL":                        true,
	"syscall.LoadDLL":                           true,
	"syscall.MustLoadDLL":                       true,
}

// procAddrs return a procedure's address (operand 0 is the procedure).
var procAddrs = map[string]bool{
	"(*golang.org/x/sys/windows.LazyProc).Addr": true,
	"(*golang.org/x/sys/windows.Proc).Addr":     true,
	"(*syscall.LazyProc).Addr":                  true,
	"(*syscall.Proc).Addr":                      true,
}

// procAddrLookups return the address of a procedure of a loaded module
// (operand 0) by name (operand 1), as result 0.
var procAddrLookups = map[string]bool{
	"syscall.GetProcAddress":                  true,
	"golang.org/x/sys/windows.GetProcAddress": true,
}

// moduleLoaders load a module by name (operand 0) and return its handle as
// result 0.
var moduleLoaders = map[string]bool{
	"syscall.LoadLibrary":                    true,
	"golang.org/x/sys/windows.LoadLibrary":   true,
	"golang.org/x/sys/windows.LoadLibraryEx": true,
}

// errorTests are functions that return true only for a non-nil error
// (their first argument); a handle whose acquiring call's error passes one
// is not valid on that branch.
var errorTests = map[string]bool{
	"errors.Is":                true,
	"errors.As":                true,
	"errors.AsType":            true,
	"github.com/pkg/errors.Is": true,
	"github.com/pkg/errors.As": true,
	"golang.org/x/xerrors.Is":  true,
	"golang.org/x/xerrors.As":  true,
	// Go os: "IsExist returns a boolean indicating whether its argument is
	// known to report that a file or directory already exists"; each is
	// false for a nil error.
	"os.IsExist":      true,
	"os.IsNotExist":   true,
	"os.IsPermission": true,
	"os.IsTimeout":    true,
}

// dialNetworks are the dial functions of package net whose result, a
// net.Conn, has a dynamic type that their network argument fixes (the
// index is rule-style: the receiver not counted). Go net's dialSingle
// dials a resolved *TCPAddr with dialTCP, a *UDPAddr with dialUDP, an
// *IPAddr with dialIP and a *UnixAddr with dialUnix, which return a
// *TCPConn, *UDPConn, *IPConn and *UnixConn; DialContext returns that
// connection as it is (after setting its keep-alive).
var dialNetworks = map[string]rules.Param{
	"net.Dial":                  0,
	"net.DialTimeout":           0,
	"(*net.Dialer).Dial":        0,
	"(*net.Dialer).DialContext": 1,
}

// networkConn returns the name, in package net, of the connection type
// that a dial of network gives, or "" (Go net: "Known networks are
// "tcp", "tcp4" (IPv4-only), "tcp6" (IPv6-only), "udp", "udp4"
// (IPv4-only), "udp6" (IPv6-only), "ip", "ip4" (IPv4-only), "ip6"
// (IPv6-only), "unix", "unixgram" and "unixpacket""; an ip network
// names its protocol after a colon).
func networkConn(network string) string {
	switch network {
	case "tcp", "tcp4", "tcp6":
		return "TCPConn"
	case "udp", "udp4", "udp6":
		return "UDPConn"
	case "unix", "unixgram", "unixpacket":
		return "UnixConn"
	}
	for _, ip := range []string{"ip:", "ip4:", "ip6:"} {
		if strings.HasPrefix(network, ip) && len(network) > len(ip) {
			return "IPConn"
		}
	}
	return ""
}

// runsAtExit are functions that run their argument 0, a function, when
// the calling test ends, after the calling function returns: Go
// (*testing.T).Cleanup: "Cleanup registers a function to be called when
// the test (or subtest) and all its subtests complete." A closure passed
// there is a deferred call of the function that registers it.
var runsAtExit = map[string]bool{
	"(*testing.common).Cleanup": true,
	"(testing.TB).Cleanup":      true,
}

// errIfNilReceiver are methods whose error result is non-nil only where
// their receiver is nil: Go os (*File).SyscallConn returns f.checkValid's
// error, ErrInvalid for a nil File, and no other (but on plan9, where it
// always fails). A File that os.NewFile made of a valid descriptor is
// not nil, so that error path holds no File.
var errIfNilReceiver = map[string]bool{
	"(*os.File).SyscallConn": true,
}

// knownGOOS are the GOOS values that go/build recognizes in file names.
var knownGOOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
	"hurd": true, "illumos": true, "ios": true, "js": true, "linux": true, "nacl": true,
	"netbsd": true, "openbsd": true, "plan9": true, "solaris": true, "wasip1": true,
	"windows": true, "zos": true,
}
