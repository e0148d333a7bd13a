// Package osfile checks the *os.File, *os.Root and *os.Process rules on
// the real os and net packages (analyzed as built for linux).
package osfile

import (
	"bufio"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"strings"
)

// ---- os.Open and its kin ----------------------------------------------------

// openLeak leaks f when Stat fails: the finalizer that would close it some
// day does not make the error path right.
func openLeak(path string) (int64, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path: release it with \(\*os.File\).Close`
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err // leaks f
	}
	f.Close()
	return st.Size(), nil
}

// openDeferred closes f with a defer after the error check.
func openDeferred(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := f.Read(buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// createReturned hands f to the caller.
func createReturned(path string) (*os.File, error) { // want createReturned:"owned file r0"
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString("header\n"); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// createReturnedLeak returns the error of WriteString without closing f.
func createReturnedLeak(path string) (*os.File, error) { // want createReturnedLeak:"owned file r0"
	f, err := os.Create(path) // want `file from os.Create is not closed on every path`
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString("header\n"); err != nil {
		return nil, err // leaks f
	}
	return f, nil
}

type logFile struct {
	f    *os.File
	name string
}

// storedReturned stores f in a struct that is returned: handed on.
func storedReturned(path string) (*logFile, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &logFile{f: f, name: f.Name()}, nil
}

// tempLeak leaks the temporary file when Write fails.
func tempLeak(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "x-*") // want `file from os.CreateTemp is not closed on every path`
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		os.Remove(f.Name())
		return "", err // leaks f
	}
	return f.Name(), f.Close()
}

// tempClosed closes it on both paths.
func tempClosed(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "x-*")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}

// bufioHandedOn passes f to bufio.NewReader, which keeps it in the Reader
// it returns and only reads through it: f is still the caller's, and
// nothing closes it here.
func bufioHandedOn(path string) (string, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return "", err
	}
	r := bufio.NewReader(f)
	line, err := r.ReadString('\n')
	return strings.TrimSpace(line), err
}

// bufioClosed is the correct variant.
func bufioClosed(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	return strings.TrimSpace(line), err
}

// readAllLeak reads f with io.ReadAll, which only reads through it (a
// `uses` rule): f is still the caller's, and nothing closes it.
func readAllLeak(path string) ([]byte, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// readAllClosed is the correct variant.
func readAllClosed(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// copyLeak copies into a File it creates and closes it only when the copy
// succeeds: io.Copy only writes to it.
func copyLeak(path string, src io.Reader) error {
	f, err := os.Create(path) // want `file from os.Create is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		return err // leaks f
	}
	return f.Close()
}

// copyClosed closes the File on both paths.
func copyClosed(path string, src io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readFullAfterClose reads f after closing it: quiet, as a method of f
// would be, since a closed File keeps its state and its reads return
// os.ErrClosed (only a descriptor taken from it, f.Fd(), is reported
// after the close).
func readFullAfterClose(path string, b []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	f.Close()
	_, err = io.ReadFull(f, b)
	return err
}

// readdirLeak leaks the directory when Readdirnames fails.
func readdirLeak(path string) ([]string, error) {
	d, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err // leaks d
	}
	return names, d.Close()
}

// ---- os.Pipe ------------------------------------------------------------------

// pipeOneEnd closes the write end and returns the read end.
func pipeOneEnd() (*os.File, error) { // want pipeOneEnd:"owned file r0"
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	if _, err := w.WriteString("ping"); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	w.Close()
	return r, nil
}

// pipeWriteEndLeak never closes the write end.
func pipeWriteEndLeak() ([]byte, error) {
	r, w, err := os.Pipe() // want `file from os.Pipe is not closed on every path`
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if _, err := w.WriteString("ping"); err != nil {
		return nil, err
	}
	buf := make([]byte, 4)
	n, err := r.Read(buf)
	return buf[:n], err
}

// ---- os.NewFile -----------------------------------------------------------------

// newFileLeak: the File owns the descriptor and must be closed.
func newFileLeak(fd uintptr) (os.FileInfo, error) { // want newFileLeak:"adopts a0"
	f := os.NewFile(fd, "inherited") // want `file from os.NewFile is not closed on every path`
	if f == nil {
		return nil, errors.New("bad fd")
	}
	return f.Stat()
}

// newFileClosed closes it.
func newFileClosed(fd uintptr) (os.FileInfo, error) { // want newFileClosed:"adopts a0"
	f := os.NewFile(fd, "inherited")
	if f == nil {
		return nil, errors.New("bad fd")
	}
	defer f.Close()
	return f.Stat()
}

// ---- os.Root -----------------------------------------------------------------------

// rootLeak leaks the root when Open fails, and the file is closed.
func rootLeak(dir, name string) ([]byte, error) {
	root, err := os.OpenRoot(dir) // want `root from os.OpenRoot is not closed on every path: release it with \(\*os.Root\).Close`
	if err != nil {
		return nil, err
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, err // leaks root
	}
	defer f.Close()
	root.Close()
	buf := make([]byte, 64)
	n, err := f.Read(buf)
	return buf[:n], err
}

// rootFileLeak closes the root but not the file Create opened in it.
func rootFileLeak(dir, name string, data []byte) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	f, err := root.Create(name) // want `file from \(\*os.Root\).Create is not closed on every path`
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

// rootClosed closes both.
func rootClosed(dir, name string) (os.FileInfo, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	sub, err := root.OpenRoot("sub")
	if err != nil {
		return nil, err
	}
	defer sub.Close()
	f, err := sub.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

// openInRootLeak leaks the file of OpenInRoot.
func openInRootLeak(dir, name string) error {
	f, err := os.OpenInRoot(dir, name) // want `file from os.OpenInRoot is not closed on every path`
	if err != nil {
		return err
	}
	_, err = f.Stat()
	return err
}

// ---- *os.File from net ---------------------------------------------------------

// tcpFileLeak leaks the dup that (*net.TCPConn).File makes.
func tcpFileLeak(c *net.TCPConn) (uintptr, error) { // want tcpFileLeak:"borrowed fd r0"
	f, err := c.File() // want `file from \(\*net.conn\).File is not closed on every path`
	if err != nil {
		return 0, err
	}
	if _, err := f.Stat(); err != nil {
		return 0, err // leaks f
	}
	return f.Fd(), nil // and here: Fd lends the descriptor, f still needs Close
}

// unixListenerFileClosed closes it.
func unixListenerFileClosed(l *net.UnixListener) (string, error) {
	f, err := l.File()
	if err != nil {
		return "", err
	}
	defer f.Close()
	return f.Name(), nil
}

// fileConnUses: net.FileConn dups f, which stays the caller's.
func fileConnUses(f0 *net.UDPConn) (net.Conn, error) {
	f, err := f0.File() // want `file from \(\*net.conn\).File is not closed on every path`
	if err != nil {
		return nil, err
	}
	return net.FileConn(f)
}

// ---- os.StartProcess ----------------------------------------------------------

// startWaited waits for the process: Wait releases it.
func startWaited(name string) (int, error) {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{})
	if err != nil {
		return 0, err
	}
	st, err := p.Wait()
	if err != nil {
		return 0, err
	}
	return st.ExitCode(), nil
}

// startKilled kills the process but neither waits for it nor releases it.
func startKilled(name string) error {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{}) // want `process from os.StartProcess is not closed on every path: release it with \(\*os.Process\).Release or \(\*os.Process\).Wait`
	if err != nil {
		return err
	}
	return p.Kill()
}

// startReleased releases it.
func startReleased(name string) (int, error) {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{})
	if err != nil {
		return 0, err
	}
	pid := p.Pid
	return pid, p.Release()
}

// ---- Writers that log and log/slog keep ---------------------------------------

// logToFile hands f to the standard logger, which keeps writing to it
// (wireguard-windows' setLogFile does this with os.NewFile).
func logToFile(path string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	log.SetOutput(f)
	return nil
}

// newLogger keeps f in the Logger it returns.
func newLogger(path string) (*log.Logger, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return log.New(f, "x: ", 0), nil
}

// newSlogger keeps f in the handler of the slog.Logger it returns.
func newSlogger(path string) (*slog.Logger, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return slog.New(slog.NewJSONHandler(f, nil)), nil
}

// logFormatted only formats f (log is a `uses` package): f still leaks
// when Stat fails.
func logFormatted(path string) error {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	log.Printf("opened %v", f.Name())
	if _, err := f.Stat(); err != nil {
		return err
	}
	return f.Close()
}
