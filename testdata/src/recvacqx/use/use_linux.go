// Package use calls lib.Log's Open on Logs it allocates.
package use

import (
	"errors"

	"handlecheck.test/recvacqx/lib"
)

var logs []*lib.Log

// dropped drops l where the check fails.
func dropped(name string, ok bool) error {
	l := &lib.Log{Name: name}
	if err := l.Open(); err != nil { // want `file from \(\*lib.Log\).Open \(os.OpenFile\) \(field f\) is not closed on every path`
		return err
	}
	if !ok {
		return errors.New("not ok")
	}
	logs = append(logs, l)
	return nil
}

// closed closes it with the type's closer where the check fails: quiet.
func closed(name string, ok bool) error {
	l := &lib.Log{Name: name}
	if err := l.Open(); err != nil {
		return err
	}
	if !ok {
		l.Close()
		return errors.New("not ok")
	}
	logs = append(logs, l)
	return nil
}

// deferred defers the closer: quiet.
func deferred(name string, p []byte) error {
	l := &lib.Log{Name: name}
	if err := l.Open(); err != nil {
		return err
	}
	defer l.Close()
	_, err := l.Write(p)
	return err
}
