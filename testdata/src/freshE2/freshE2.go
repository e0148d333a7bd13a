// Package freshE2 is the false alarm of set E's first contact that the
// engine got wrong (eval/fresh/triage-E.yaml): github.com/diskfs/go-diskfs
// v1.9.4, filesystem/iso9660 OpenFile, which returns os.OpenFile's file
// when the filesystem has a workspace and an in-memory File when it has
// none; tests that discard what a read-only filesystem's OpenFile returns
// hold no descriptor.
package freshE2

import (
	"errors"
	"io"
	"os"
)

type File interface {
	io.ReadWriter
	Close() error
}

type memFile struct{ data []byte }

func (m *memFile) Read(p []byte) (int, error)  { return copy(p, m.data), nil }
func (m *memFile) Write(p []byte) (int, error) { return len(p), nil }
func (m *memFile) Close() error                { return nil }

type FileSystem struct{ workspace string }

// OpenFile is iso9660's shape: an owned file on one path, an in-memory
// value on the other. Callers cannot tell which they got.
func (fsm *FileSystem) OpenFile(p string, flag int) (File, error) {
	var f File
	var err error
	if fsm.workspace == "" {
		f = &memFile{}
	} else {
		f, err = os.OpenFile(fsm.workspace+p, flag, 0o644)
		if err != nil {
			return nil, errors.New("target file does not exist")
		}
	}
	return f, nil
}

// orStdin returns os.Stdin for "-": not owned on that path.
func orStdin(p string) (*os.File, error) {
	if p == "-" {
		return os.Stdin, nil
	}
	return os.Open(p)
}

// Always returns an owned file on every successful path: its callers
// must close it.
func Always(p string, create bool) (*os.File, error) { // want Always:"owned file r0; owned file r0"
	var f *os.File
	var err error
	if create {
		f, err = os.Create(p)
	} else {
		f, err = os.Open(p)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// captured keeps the file in a variable a deferred closure reads: still
// owned on every successful path.
func captured(p string) (f *os.File, err error) { // want captured:"owned file r0"
	defer func() {
		if err != nil && f != nil {
			f.Close()
		}
	}()
	f, err = os.Open(p)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func discardRead(fs *FileSystem) error {
	if _, err := fs.OpenFile("/BOOT1.IMG", os.O_RDONLY); err == nil {
		return errors.New("expected an error")
	}
	return nil
}

func discardStdin() bool {
	_, err := orStdin("-")
	return err == nil
}

func leakAlways(p string) bool {
	_, err := Always(p, false) // want `file from freshE2.Always \(os.Create\) is not closed on every path`
	return err == nil
}

func leakCaptured(p string) bool {
	_, err := captured(p) // want `file from freshE2.captured \(os.Open\) is not closed on every path`
	return err == nil
}
