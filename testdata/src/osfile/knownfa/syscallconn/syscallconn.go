// Package syscallconn holds correct code that handlecheck once reported
// (see TestOSFileFalseAlarms): a File whose SyscallConn error is returned
// without closing it. (*os.File).SyscallConn fails only for a nil File,
// which holds nothing. Only statLeak, which returns on an error of Stat,
// stays reported.
package syscallconn

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

type sysSocket struct {
	f  *os.File
	rc syscall.RawConn
}

// listenPacket is mdlayher/raw's (raw_linux.go:86, at
// v0.0.0-20210412142147-51b895745faf): the socket is closed when
// SetNonblock fails; the File made of it goes into the result.
func listenPacket(name string) (*sysSocket, error) {
	sock, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(sock, true); err != nil {
		unix.Close(sock)
		return nil, err
	}
	f := os.NewFile(uintptr(sock), name)
	sc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	return &sysSocket{f: f, rc: sc}, nil
}

// statLeak is the neighbour: Stat's error is not about a nil File.
func statLeak(path string) (int64, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), f.Close()
}
