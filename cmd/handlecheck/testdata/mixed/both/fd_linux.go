package both

import "golang.org/x/sys/unix"

// ReadConfig leaks the descriptor when Read fails.
func ReadConfig(buf []byte) error {
	fd, err := unix.Open("/etc/config", unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	if _, err := unix.Read(fd, buf); err != nil {
		return err
	}
	return unix.Close(fd)
}
