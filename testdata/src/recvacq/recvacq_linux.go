// Package recvacq has methods that acquire a File into a field of their
// receiver, and callers that allocated the receiver and drop it on a path
// (issue 18, patterns 1 and 7): glog v1.2.5's rotateFile and
// createMissingFiles (set K miss #1; klog/v2's createFiles is the same,
// #2).
package recvacq

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"
)

type syncBuffer struct {
	*bufio.Writer
	file   *os.File
	names  []string
	nbytes uint64
	madeAt time.Time
}

type fileSink struct {
	file [4]*syncBuffer
}

func create(tag string, t time.Time) (*os.File, string, error) { // want create:"owned file r0"
	name := fmt.Sprintf("%s.%d", tag, t.Unix())
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, "", err
	}
	return f, name, nil
}

// rotateFile is glog's: it closes the old file, stores the new one in
// sb.file (also where create failed, then nil), and returns the header
// write's error with the new file in sb.file.
func (sb *syncBuffer) rotateFile(now time.Time) error { // want rotateFile:"owned file recv field file \\(also with an error\\)"
	var err error
	pn := "<none>"
	file, name, err := create("INFO", now)
	sb.madeAt = now
	if sb.file != nil {
		pn = sb.file.Name()
		sb.Flush()
		sb.file.Write([]byte("Next log: "))
		sb.file.Close()
	}
	sb.file = file
	sb.names = append(sb.names, name)
	sb.nbytes = 0
	if err != nil {
		return err
	}
	sb.Writer = bufio.NewWriterSize(sb.file, 1024)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Previous log: %s\n", pn)
	n, err := sb.file.Write(buf.Bytes())
	sb.nbytes += uint64(n)
	return err
}

// createMissingFiles is glog's: where rotateFile fails writing the header,
// sb is dropped with the file in sb.file.
func (s *fileSink) createMissingFiles(upTo int) error {
	now := time.Now()
	for sev := 0; sev <= upTo; sev++ {
		if s.file[sev] != nil {
			continue
		}
		sb := &syncBuffer{}
		if err := sb.rotateFile(now); err != nil { // want `file from \(\*recvacq.syncBuffer\).rotateFile \(os.OpenFile\) \(field file\) is not closed on every path \(it is valid with some errors, too\)`
			return err
		}
		s.file[sev] = sb
	}
	return nil
}

// createClosed closes the file in sb.file where rotateFile fails: quiet.
func (s *fileSink) createClosed(sev int) error {
	sb := &syncBuffer{}
	if err := sb.rotateFile(time.Now()); err != nil {
		if sb.file != nil {
			sb.file.Close()
		}
		return err
	}
	s.file[sev] = sb
	return nil
}

// createClosedPlain closes sb.file unconditionally where rotateFile fails
// (Close of a nil File only returns an error): quiet.
func (s *fileSink) createClosedPlain(sev int) error {
	sb := new(syncBuffer)
	if err := sb.rotateFile(time.Now()); err != nil {
		sb.file.Close()
		return err
	}
	s.file[sev] = sb
	return nil
}

// newBuffer returns sb on both paths: the caller gets the file: quiet.
func newBuffer() (*syncBuffer, error) {
	sb := &syncBuffer{}
	err := sb.rotateFile(time.Now())
	return sb, err
}

// rotateShared rotates a buffer it did not allocate: quiet, the file
// stays in the caller's buffer, and rotateShared is a source of it there
// in turn.
func rotateShared(sb *syncBuffer) error { // want rotateShared:"owned file out0 field file \\(also with an error\\)"
	return sb.rotateFile(time.Now())
}

// rotateField rotates a buffer kept in a field: quiet.
func (s *fileSink) rotateField(sev int) error {
	return s.file[sev].rotateFile(time.Now())
}

var global syncBuffer

// rotateGlobal rotates a global buffer: quiet.
func rotateGlobal() error {
	return global.rotateFile(time.Now())
}

// writer is a receiver with one file that open acquires, as a
// well-behaved open: the file is in w.f only where open returns nil.
type writer struct {
	f    *os.File
	name string
}

func (w *writer) open() error { // want open:"owned file recv field f"
	f, err := os.Create(w.name)
	if err != nil {
		return err
	}
	w.f = f
	return nil
}

// writeOnce drops w where the write fails, with the file in w.f.
func writeOnce(name string, p []byte) error {
	w := &writer{name: name}
	if err := w.open(); err != nil { // want `file from \(\*recvacq.writer\).open \(os.Create\) \(field f\) is not closed on every path`
		return err
	}
	if _, err := w.f.Write(p); err != nil {
		return err
	}
	return w.f.Close()
}

// writeOnceClosed closes w.f on every path after open: quiet, and so is
// the error path of open itself (no file there).
func writeOnceClosed(name string, p []byte) error {
	w := &writer{name: name}
	if err := w.open(); err != nil {
		return err
	}
	defer w.f.Close()
	_, err := w.f.Write(p)
	return err
}

// keep stores w where it outlives the call: quiet.
var kept []*writer

func keep(name string) error {
	var w writer
	w.name = name
	if err := w.open(); err != nil {
		return err
	}
	kept = append(kept, &w)
	return nil
}

// Close is writer's closer.
func (w *writer) Close() error { return w.f.Close() } // want Close:"closes handlecheck.test/recvacq.writer"

// viaCloser releases the file through the type's closer: quiet.
func viaCloser(name string) error {
	w := &writer{name: name}
	if err := w.open(); err != nil {
		return err
	}
	return w.Close()
}

// reopen closes what it stored where the next step fails: it releases
// the file on a path, so it is no source of w.f, and its callers stay
// quiet.
func (w *writer) reopen() error {
	f, err := os.Create(w.name)
	if err != nil {
		return err
	}
	w.f = f
	if _, err := f.Write(nil); err != nil {
		f.Close()
		return err
	}
	return nil
}

func useReopen(name string) error {
	w := &writer{name: name}
	if err := w.reopen(); err != nil {
		return err
	}
	return errors.New("dropped")
}

// lazy opens the file on some paths only (fsutil's lazyFileWriter): the
// store does not dominate every return, so its callers stay as before.
func (w *writer) lazy(p []byte) (int, error) {
	if w.f == nil {
		f, err := os.Create(w.name)
		if err != nil {
			return 0, err
		}
		w.f = f
	}
	return w.f.Write(p)
}

func useLazy(name string) error {
	w := &writer{name: name}
	if _, err := w.lazy(nil); err != nil {
		return err
	}
	return nil
}

// storeFirst stores the file before it checks create's error: w.f holds
// a nil File where it fails. Its callers leak only on its success path.
func (w *writer) storeFirst() error { // want storeFirst:"owned file recv field f"
	f, err := os.Create(w.name)
	w.f = f
	if err != nil {
		return err
	}
	return nil
}

func useStoreFirst(name string) error {
	w := &writer{name: name}
	if err := w.storeFirst(); err != nil { // want `file from \(\*recvacq.writer\).storeFirst \(os.Create\) \(field f\) is not closed on every path`
		return err // no file where storeFirst fails
	}
	return nil // w dropped with the file
}

// useStoreFirstClosed closes it on success: quiet (the error path holds
// no file).
func useStoreFirstClosed(name string) error {
	w := &writer{name: name}
	if err := w.storeFirst(); err != nil {
		return err
	}
	return w.f.Close()
}

// openInto is open as a function of a pointer parameter.
func openInto(w *writer, name string) error { // want openInto:"owned file out0 field f"
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	w.f = f
	return nil
}

// varDropped drops a local variable whose file openInto set.
func varDropped(name string) error {
	var w writer
	if err := openInto(&w, name); err != nil { // want `file from recvacq.openInto \(os.OpenFile\) \(field f\) is not closed on every path`
		return err
	}
	if w.f.Name() == "" {
		return errors.New("no name")
	}
	return w.f.Close()
}

// returned returns the struct: quiet.
func returned(name string) (*writer, error) {
	w := new(writer)
	if err := openInto(w, name); err != nil {
		return nil, err
	}
	return w, nil
}

// dial opens one of two files into w.f, in two branches: each return
// after them holds one (xgb's (*Conn).dial, with net.Dial). Its error
// returns hold none.
func (w *writer) dial(alt bool) error { // want dial:"owned file recv field f; owned file recv field f$"
	var err error
	if alt {
		w.f, err = os.Open(w.name + ".alt")
	} else {
		w.f, err = os.OpenFile(w.name, os.O_RDONLY, 0)
	}
	if err != nil {
		return fmt.Errorf("cannot open %s: %v", w.name, err)
	}
	return nil
}

// connect dials into its own receiver, then fails (xgb's connect): w.f
// holds the file on its error.
func (w *writer) connect(alt bool) error { // want connect:"owned file recv field f \\(also with an error\\)"
	if err := w.dial(alt); err != nil {
		return err
	}
	if w.f.Name() == "" {
		return errors.New("no name")
	}
	return nil
}

// newConn drops w where connect fails (xgb's NewConnDisplay, set K miss
// #14 with the net rules).
func newConn(name string) (*writer, error) {
	w := &writer{name: name}
	if err := w.connect(false); err != nil { // want `file from \(\*recvacq.writer\).connect \(os.Open\) \(field f\) is not closed on every path`
		return nil, err
	}
	return w, nil
}
