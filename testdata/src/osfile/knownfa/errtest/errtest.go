// Package errtest holds correct code that handlecheck reports today (see
// TestOSFileKnownFalseAlarms): an error tested with os.IsExist or
// os.IsNotExist.
package errtest

import "os"

// existsOK treats an existing file as success (as hcsshim's
// writeFileIfNotExists and os.CreateTemp do). Go os.IsExist: "IsExist
// returns a boolean indicating whether its argument is known to report
// that a file or directory already exists." It is true only for a non-nil
// error, so f is not open on that return.
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

// missingOK: the same with os.IsNotExist (as os.removeAll does).
func missingOK(path string) (int64, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
