// Package freshL4 is minio's rotating log writer (set L:
// github.com/minio/minio v0.0.0-20260212201848-7aac2a2c5b7c,
// internal/logger/logrotate.go:112): rotate closes the file in its
// receiver's field f, then opens the next one into it, so it is a source
// of w.f; listen calls it on its own receiver in an endless loop. Each
// call closes the previous file before it stores the next: nothing leaks.
package freshL4

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

type Options struct {
	Directory       string
	MaximumFileSize int64
	FileNameFunc    func() string
}

type Writer struct {
	opts Options
	f    *os.File
	pr   *io.PipeReader
	pw   *io.PipeWriter
}

func (w *Writer) Write(p []byte) (int, error) { return w.pw.Write(p) }

func (w *Writer) Close() error { // want Close:"closes handlecheck.test/freshL4.Writer"
	w.pw.CloseWithError(nil)
	if w.f != nil {
		if err := w.closeCurrentFile(); err != nil {
			return err
		}
	}
	return nil
}

// listen rotates its own receiver's file in an endless loop: quiet, each
// rotate closes the file that the one before left in w.f.
func (w *Writer) listen() {
	for {
		var r io.Reader = w.pr
		if w.opts.MaximumFileSize > 0 {
			r = io.LimitReader(w.pr, w.opts.MaximumFileSize)
		}
		if _, err := io.Copy(w.f, r); err != nil {
			fmt.Fprintf(os.Stderr, "unable to write to log file %v: %v\n", w.f.Name(), err)
		}
		if err := w.rotate(); err != nil {
			fmt.Fprintf(os.Stderr, "unable to rotate log file %v: %v\n", w.f.Name(), err)
		}
	}
}

func (w *Writer) closeCurrentFile() error { // want closeCurrentFile:"closes handlecheck.test/freshL4.Writer"
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("unable to close current log file: %w", err)
	}
	return nil
}

// rotate closes the old file in w.f, and stores the new one there.
func (w *Writer) rotate() error { // want rotate:"owned file recv field f"
	if w.f != nil {
		if err := w.closeCurrentFile(); err != nil {
			return err
		}
	}
	path := filepath.Join(w.opts.Directory, w.opts.FileNameFunc())
	f, err := newFile(path)
	if err != nil {
		return fmt.Errorf("unable to create new file at %v: %w", path, err)
	}
	w.f = f
	return nil
}

// NewDir allocates the writer, rotates it once and hands it to listen's
// goroutine and to its caller: quiet.
func NewDir(opts Options) (io.WriteCloser, error) {
	if err := os.MkdirAll(opts.Directory, os.ModePerm); err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	w := &Writer{opts: opts, pw: pw, pr: pr}
	if w.f == nil {
		if err := w.rotate(); err != nil {
			return nil, fmt.Errorf("Failed to create log file: %w", err)
		}
	}
	go w.listen()
	return w, nil
}

// newDropped drops the writer after a rotate that succeeded: the file in
// w.f leaks.
func newDropped(opts Options) error {
	w := &Writer{opts: opts}
	if err := w.rotate(); err != nil { // want `file from \(\*freshL4.Writer\).rotate \(os.OpenFile\) \(field f\) is not closed on every path`
		return err
	}
	if w.f.Name() == "" {
		return fmt.Errorf("no name")
	}
	return nil
}

func newFile(path string) (*os.File, error) { // want newFile:"owned file r0"
	return os.OpenFile(path, os.O_WRONLY|os.O_TRUNC|os.O_CREATE|os.O_SYNC, 0o666)
}

// plain is a receiver whose open does not close the old file first.
type plain struct{ f *os.File }

func (p *plain) open(name string) error { // want open:"owned file recv field f"
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	p.f = f
	return nil
}

// reopenAll opens into p.f in a loop without closing: open only stores
// into p.f, so each file it stores overwrites the one before, which
// leaks.
func (p *plain) reopenAll(names []string) {
	for _, n := range names {
		if err := p.open(n); err != nil { // want `file from \(\*freshL4.plain\).open \(os.Open\) \(field f\) is not closed on every path`
			continue
		}
	}
}
