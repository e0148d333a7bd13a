package agent

import (
	"os"

	"golang.org/x/sys/unix"
)

// readPidfile reads a pid file. On a short read the descriptor leaks
// (leak), and closing the *os.File's own descriptor is a mistake
// (borrowed-release).
func readPidfile(path string, log *os.File) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 32)
	n, err := unix.Read(fd, buf)
	if err != nil {
		return nil, err
	}
	unix.Close(fd)
	unix.Close(int(log.Fd()))
	return buf[:n], nil
}
