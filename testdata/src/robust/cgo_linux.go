package robust

// #include <unistd.h>
import "C"

import "golang.org/x/sys/unix"

// A cgo file: analyzed like any other.
func cgoClose(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return
	}
	C.close(C.int(fd)) // a cgo call the rules do not know: handed on
}

func cgoLeak(path string) int {
	fd, err := unix.Open(path, unix.O_RDONLY, 0) // want `fd from unix.Open is not closed`
	if err != nil {
		return -1
	}
	return int(C.getpid()) + fd*0
}
