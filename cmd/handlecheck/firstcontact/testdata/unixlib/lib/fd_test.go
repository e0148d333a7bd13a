package lib

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The test compiles only on Unix too.
func TestPid(t *testing.T) {
	if unix.Getpid() <= 0 {
		t.Fatal("no pid")
	}
}
