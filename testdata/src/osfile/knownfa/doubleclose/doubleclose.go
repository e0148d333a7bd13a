// Package doubleclose holds correct code that handlecheck reports today
// (see TestOSFileKnownFalseAlarms): a second release of an *os.File or an
// *os.Process, which both guard against.
package doubleclose

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
