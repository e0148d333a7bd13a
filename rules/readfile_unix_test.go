//go:build unix

package rules

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadFileFIFO checks that a FIFO with no writer is refused at once
// instead of blocking in open.
func TestReadFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "rules.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(fifo)
		done <- err
	}()
	select {
	case err := <-done:
		if want := fifo + ": not a regular file (a named pipe)"; err == nil || err.Error() != want {
			t.Errorf("ReadFile(fifo) error = %v, want %q", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO with no writer")
	}
}
