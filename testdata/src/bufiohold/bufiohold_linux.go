// Package bufiohold has Files wrapped in a reader that holds them and only
// reads through them (bufio.NewReader, io.LimitReader): the call is no
// hand-off, the File stays the caller's, and the reader carries it (issue
// 18, mattn/go-tty v0.0.4's open).
package bufiohold

import (
	"bufio"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// TTY is go-tty's shape.
type TTY struct {
	in      *os.File
	bin     *bufio.Reader
	out     *os.File
	termios unix.Termios
}

// open is go-tty v0.0.4's: in leaks where OpenFile fails, both where
// IoctlGetTermios does.
func open(path string) (*TTY, error) {
	tty := new(TTY)
	in, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	tty.in = in
	tty.bin = bufio.NewReader(in)
	out, err := os.OpenFile(path, unix.O_WRONLY, 0) // want `file from os.OpenFile is not closed on every path`
	if err != nil {
		return nil, err
	}
	tty.out = out
	termios, err := unix.IoctlGetTermios(int(tty.in.Fd()), unix.TCGETS)
	if err != nil {
		return nil, err
	}
	tty.termios = *termios
	return tty, nil
}

// openReaderFirst stores the reader before the File: the same leak.
func openReaderFirst(path string) (*TTY, error) {
	tty := new(TTY)
	in, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	tty.bin = bufio.NewReader(in)
	tty.in = in
	if _, err := unix.IoctlGetTermios(int(tty.in.Fd()), unix.TCGETS); err != nil {
		return nil, err
	}
	return tty, nil
}

// openFixed closes in and out on every failure: quiet.
func openFixed(path string) (*TTY, error) {
	tty := new(TTY)
	in, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	tty.in = in
	tty.bin = bufio.NewReader(in)
	out, err := os.OpenFile(path, unix.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, err
	}
	tty.out = out
	if _, err := unix.IoctlGetTermios(int(tty.in.Fd()), unix.TCGETS); err != nil {
		in.Close()
		out.Close()
		return nil, err
	}
	return tty, nil
}

// firstLine reads through the reader and leaks the File.
func firstLine(path string) (string, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return "", err
	}
	return bufio.NewReader(f).ReadString('\n')
}

// firstLineClosed closes it, after reading through a scanner: quiet.
func firstLineClosed(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(f)
	sc.Scan()
	line := sc.Text()
	if err := sc.Err(); err != nil {
		f.Close()
		return "", err
	}
	f.Close()
	return line, nil
}

// firstLineDeferred defers the close: quiet.
func firstLineDeferred(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
}

type lineReader struct {
	r *bufio.Reader
}

// newLineReader returns the reader inside a returned struct: handed on,
// quiet (and no source: no caller can close the reader).
func newLineReader(path string) (*lineReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &lineReader{r: bufio.NewReader(f)}, nil
}

// newReader returns the reader: handed on, quiet, no source.
func newReader(path string) (*bufio.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return bufio.NewReader(f), nil
}

var kept *bufio.Reader

func keep(r *bufio.Reader) { kept = r }

// keepReader passes the reader to a function that keeps it: handed on,
// quiet.
func keepReader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	keep(bufio.NewReader(f))
	return nil
}

// writeAll writes through a bufio.Writer and leaks the File where Flush
// fails.
func writeAll(path string, b []byte) error {
	f, err := os.Create(path) // want `file from os.Create is not closed on every path`
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.Write(b)
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// wrapParam wraps a File passed to it: its summary says the result holds
// the File, which stays the caller's, as with bufio.NewReader itself.
func wrapParam(f *os.File) *bufio.Reader { return bufio.NewReader(f) } // want wrapParam:"returns a0 held in r0"

// viaWrapParam reads a line through the helper and never closes f.
func viaWrapParam(path string) (string, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return "", err
	}
	return wrapParam(f).ReadString('\n')
}

// viaWrapParamClosed closes f after reading through the helper.
func viaWrapParamClosed(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return wrapParam(f).ReadString('\n')
}

// viaWrapParamReturned returns the reader, which holds f: handed on.
func viaWrapParamReturned(path string) (*bufio.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return wrapParam(f), nil
}

// limitParam wraps its File as an io.Reader that only reads through it.
func limitParam(f *os.File, n int64) io.Reader { return io.LimitReader(f, n) } // want limitParam:"returns a0 held in r0"

// viaLimitParam stats f after wrapping it and leaks it where Stat fails.
func viaLimitParam(path string) (io.Reader, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	r := limitParam(f, 512)
	if _, err := f.Stat(); err != nil {
		return nil, err
	}
	return r, nil
}

// wrapKept wraps f and keeps it in a global too: the File is handed on.
func wrapKept(f *os.File) *bufio.Reader {
	lastFile = f
	return bufio.NewReader(f)
}

var lastFile *os.File

func viaWrapKept(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	return wrapKept(f).ReadString('\n')
}

// wrapClosing closes the File it wraps on error: it releases on some
// path, so f is handed on.
func wrapClosing(f *os.File) *bufio.Reader {
	if _, err := f.Stat(); err != nil {
		f.Close()
		return nil
	}
	return bufio.NewReader(f)
}

func viaWrapClosing(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	return wrapClosing(f).ReadString('\n')
}

// openReaderOnly keeps only the reader in the struct, which dies when
// the Stat fails: the File leaks there.
func openReaderOnly(path string) (*lineReader, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	lr := &lineReader{r: bufio.NewReader(f)}
	if _, err := f.Stat(); err != nil {
		return nil, err
	}
	return lr, nil
}
