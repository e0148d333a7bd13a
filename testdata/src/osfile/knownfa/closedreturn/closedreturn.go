// Package closedreturn holds correct code that handlecheck once reported
// (see TestOSFileFalseAlarms): a File returned after its Close was
// deferred. Only openTemp, the neighbour that returns an open File, is a
// source, and its caller's leak is reported.
package closedreturn

import (
	"os"
	"testing"
)

// closedTemp closes the file in a defer and returns it for its name (as
// hcsshim's ext4/dmverity tests do): what it returns is already closed,
// so it is not a source, and its callers have nothing to close.
func closedTemp(data []byte) (*os.File, error) {
	f, err := os.CreateTemp("", "x-*")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return nil, err
	}
	return f, nil
}

func useClosedTemp() (string, error) {
	f, err := closedTemp([]byte("x"))
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}

// tempFileWithContentLength is hcsshim's ext4/dmverity test helper: no
// error result, t.Fatalf on failure, the Close deferred.
func tempFileWithContentLength(t *testing.T, length int) *os.File {
	tmpFile, err := os.CreateTemp("", "")
	if err != nil {
		t.Fatalf("failed to create temp file")
	}
	defer tmpFile.Close()
	if _, err := tmpFile.Write(make([]byte, length)); err != nil {
		t.Fatalf("failed to write random bytes to temp file")
	}
	return tmpFile
}

func useTempFile(t *testing.T) string {
	tmpFile := tempFileWithContentLength(t, 4096)
	return tmpFile.Name()
}

// closedBeforeReturn closes the file explicitly and returns it.
func closedBeforeReturn(path string) (*os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return f, f.Close()
}

func useClosedBeforeReturn(path string) string {
	f, err := closedBeforeReturn(path)
	if err != nil {
		return ""
	}
	return f.Name()
}

// closedByEarlyDefer: a closure deferred before the File is assigned
// closes what its variable holds at exit, which is the File returned.
func closedByEarlyDefer(path string) (*os.File, error) {
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	var err error
	f, err = os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func useClosedByEarlyDefer(path string) string {
	f, err := closedByEarlyDefer(path)
	if err != nil {
		return ""
	}
	return f.Name()
}

// openTemp is the neighbour: the file is closed only on the error path,
// and returned open. It stays a source.
func openTemp(data []byte) (*os.File, error) { // want openTemp:"owned file r0"
	f, err := os.CreateTemp("", "x-*")
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func leakOpenTemp() (string, error) {
	f, err := openTemp([]byte("x")) // want `file from closedreturn.openTemp \(os.CreateTemp\) is not closed on every path`
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}
