// Package deferbefore holds correct code that handlecheck reports today
// (see TestOSFileKnownFalseAlarms): a File closed by a deferred closure
// registered before the File is assigned.
package deferbefore

import "os"

// deferredBeforeOpen closes f in a deferred closure registered before f is
// assigned (as mime/multipart's readForm and runc's mountFd do): the
// closure runs at exit and sees the File.
func deferredBeforeOpen(path string, data []byte) error {
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	var err error
	f, err = os.Create(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}
