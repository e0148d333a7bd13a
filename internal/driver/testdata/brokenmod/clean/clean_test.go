package clean

import (
	"testing"

	"handlecheck.test/brokenmod/lib"
)

func TestLeak(t *testing.T) {
	fd, err := lib.Open("/etc/hosts") // leaked by the test
	if err != nil {
		t.Fatal(err)
	}
	t.Log(fd)
}
