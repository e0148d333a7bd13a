// Package darwin checks that os.FindProcess is not a source outside linux
// and windows: on darwin findProcess returns newPIDProcess(pid), which
// holds no descriptor (exec_unix.go, pidfd_other.go).
package darwin

import (
	"os"
	"syscall"
)

// alive never releases the Process, which holds nothing here.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// started: a started process must still be waited for or released.
func started(name string) error {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{}) // want `process from os.StartProcess is not closed on every path`
	if err != nil {
		return err
	}
	return p.Signal(syscall.SIGTERM)
}
