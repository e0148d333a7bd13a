// Package lib has an exported type whose Open method acquires a File into
// its receiver: the fact goes to importing packages.
package lib

import "os"

// Log is a log file.
type Log struct {
	f    *os.File
	Name string
}

// Open opens l.Name into l.f.
func (l *Log) Open() error { // want Open:"owned file recv field f"
	f, err := os.OpenFile(l.Name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	l.f = f
	return nil
}

// Write writes to the file.
func (l *Log) Write(p []byte) (int, error) { return l.f.Write(p) }

// Close closes it.
func (l *Log) Close() error { return l.f.Close() } // want Close:"closes handlecheck.test/recvacqx/lib.Log"
