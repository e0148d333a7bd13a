// Package knownfa holds correct code that handlecheck reports today: each
// function is quiet by intent, and analyzer/osfile_test.go skips the
// package until the engine can tell (see the skip message there).
package knownfa

import "os"

// closeTwice closes f in a defer and once more explicitly, to see the
// error of the write-back. Go (*os.File).Close: "Close will return an
// error if it has already been called." A second Close is harmless.
func closeTwice(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// waitThenRelease waits and releases. Go (*os.Process).Release: "Release
// only needs to be called if Process.Wait is not." After Wait it does
// nothing.
func waitThenRelease(name string) error {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{})
	if err != nil {
		return err
	}
	defer p.Release()
	_, err = p.Wait()
	return err
}

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

// existsOK treats an existing file as success (as hcsshim's
// writeFileIfNotExists does). Go os.IsExist: "IsExist returns a boolean
// indicating whether its argument is known to report that a file or
// directory already exists." It is true only for a non-nil error, so f is
// not open on that return.
func existsOK(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if os.IsExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(data)
	return err
}
