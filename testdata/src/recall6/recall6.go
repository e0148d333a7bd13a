// Package recall6 passes an *os.File to helpers of the same package that
// only read it through an io.Reader parameter, as cilium/ebpf's kallsyms
// package did (issue 18, pattern 6): the helper wraps the reader in a
// bufio.Scanner held by a struct of its own and reads it to the end, and
// keeps nothing. The File stays the caller's to close.
package recall6

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// reader is a line reader over an io.Reader, as kallsyms' reader.
type reader struct {
	s    *bufio.Scanner
	line []byte
	err  error
}

func newReader(r io.Reader) *reader {
	return &reader{s: bufio.NewScanner(r)}
}

func (r *reader) Line() bool {
	for r.s.Scan() {
		line := r.s.Bytes()
		if len(line) == 0 {
			continue
		}
		r.line = line
		return true
	}
	if err := r.s.Err(); err != nil {
		r.err = err
	}
	return false
}

func (r *reader) Text() string { return string(r.line) }

func (r *reader) Err() error { return r.err }

func parse(r *reader) (string, bool) {
	fields := strings.Fields(r.Text())
	if len(fields) < 3 {
		return "", false
	}
	return fields[2], true
}

// assign reads symbols from f: it only uses f.
func assign(f io.Reader, symbols map[string]bool) error {
	if len(symbols) == 0 {
		return nil
	}
	r := newReader(f)
	for r.Line() {
		name, ok := parse(r)
		if !ok {
			continue
		}
		if _, requested := symbols[name]; requested {
			symbols[name] = true
		}
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("reading symbols: %w", err)
	}
	return nil
}

// AssignLeak is kallsyms.AssignAddresses before the fix: the File is
// never closed.
func AssignLeak(symbols map[string]bool) error {
	f, err := os.Open("/proc/kallsyms") // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	if err := assign(f, symbols); err != nil {
		return fmt.Errorf("loading symbols: %w", err)
	}
	return nil
}

// AssignClosed is the fixed version.
func AssignClosed(symbols map[string]bool) error {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return err
	}
	defer f.Close()
	if err := assign(f, symbols); err != nil {
		return fmt.Errorf("loading symbols: %w", err)
	}
	return nil
}

// CountLines only reads f, through bufio.NewReader and an io.Reader
// method: its fact says so, and its callers still own f.
func CountLines(f *os.File) (int, error) { // want CountLines:"uses a0"
	br := bufio.NewReader(f)
	n := 0
	for {
		_, err := br.ReadString('\n')
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// CountLeak leaks f after CountLines.
func CountLeak(path string) (int, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	return CountLines(f)
}

// readHeader reads through the io.Reader interface's own Read.
func readHeader(r io.Reader) ([]byte, error) {
	b := make([]byte, 16)
	n, err := r.Read(b)
	return b[:n], err
}

// HeaderClosed closes f after the read.
func HeaderClosed(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readHeader(f)
}

// HeaderLeak does not.
func HeaderLeak(path string) ([]byte, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	return readHeader(f)
}

// Helpers that keep the reader, or may close it: the File passed to them
// is handed on, and nothing is reported at their callers.

var lastReader *reader

// keepGlobal stores the reader, which holds f, in a global.
func keepGlobal(f io.Reader) {
	lastReader = newReader(f)
}

// keepReturned returns the reader that holds f.
func keepReturned(f io.Reader) *reader {
	r := newReader(f)
	r.Line()
	return r
}

// keepGoroutine reads f in a goroutine that outlives it.
func keepGoroutine(f io.Reader, done chan<- int) {
	go func() {
		n, _ := io.Copy(io.Discard, f)
		done <- int(n)
	}()
}

// closeIt may close f through the io.Closer it asserts.
func closeIt(f io.Reader) {
	if c, ok := f.(io.Closer); ok {
		c.Close()
	}
}

// keepChan sends f on a channel.
func keepChan(f io.Reader, ch chan<- io.Reader) {
	ch <- f
}

// keepField stores the bufio.Reader in a struct it did not allocate.
type holder struct{ br *bufio.Reader }

func (h *holder) keepField(f io.Reader) {
	h.br = bufio.NewReader(f)
}

// resetInto hands f to another's bufio.Reader through Reset.
func resetInto(br *bufio.Reader, f io.Reader) {
	br.Reset(f)
}

func KeptGlobal(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	keepGlobal(f)
	return nil
}

func KeptReturned(path string) (*reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return keepReturned(f), nil
}

func KeptGoroutine(path string, done chan<- int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	keepGoroutine(f, done)
	return nil
}

func Closed(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	closeIt(f)
	return nil
}

func KeptChan(path string, ch chan<- io.Reader) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	keepChan(f, ch)
	return nil
}

func KeptField(path string, h *holder) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	h.keepField(f)
	return nil
}

func KeptReset(path string, br *bufio.Reader) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	resetInto(br, f)
	return nil
}

// openExport returns the File twice, as go/internal/gccgoimporter's
// openExportFile does: as the reader and as the closer to close. Either
// result releases it, so neither is a source.
func openExport(path string) (reader io.ReadSeeker, closer io.Closer, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}

func readMagic(r io.Reader) (string, error) {
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	return string(b[:]), nil
}

// ExportClosed closes the File through the closer.
func ExportClosed(path string) (string, error) {
	r, closer, err := openExport(path)
	if err != nil {
		return "", err
	}
	defer closer.Close()
	return readMagic(r)
}
