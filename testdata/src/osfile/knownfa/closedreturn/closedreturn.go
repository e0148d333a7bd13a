// Package closedreturn holds correct code that handlecheck reports today
// (see TestOSFileKnownFalseAlarms): a File returned after its Close was
// deferred.
package closedreturn

import "os"

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
