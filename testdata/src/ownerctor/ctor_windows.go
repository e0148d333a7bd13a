// Package ownerctor has constructors of owner types in the shapes real
// code writes them (issue 18, pattern 7): a function that only builds the
// owner around a handle parameter (hcsshim's hcs/v2 newProcess), and
// results that go/ssa returns through variables because the function
// defers a call.
package ownerctor

import (
	"errors"
	"runtime"
	"sync"

	"golang.org/x/sys/windows"
)

// Proc owns h (hcsshim's hcs/v2 Process).
type Proc struct {
	h    windows.Handle
	pid  uint32
	done chan struct{}
}

func (p *Proc) Close() error { // want Close:"closes handlecheck.test/ownerctor.Proc"
	return windows.CloseHandle(p.h)
}

func (p *Proc) Wait() error {
	_, err := windows.WaitForSingleObject(p.h, windows.INFINITE)
	return err
}

// newProc calls no handle API: it only builds the Proc around h.
func newProc(h windows.Handle, pid uint32) *Proc { // want newProc:"owned handlecheck.test/ownerctor.Proc r0 closed by Close; adopts a0"
	return &Proc{h: h, pid: pid, done: make(chan struct{})}
}

func OpenProc(pid uint32) (*Proc, error) { // want OpenProc:"owned handlecheck.test/ownerctor.Proc r0 closed by Close"
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return nil, err
	}
	return newProc(h, pid), nil
}

func waitProc(pid uint32, check func() error) error {
	p, err := OpenProc(pid) // want `ownerctor.Proc from ownerctor.OpenProc is not closed on every path: release it with \(\*ownerctor.Proc\).Close`
	if err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	defer p.Close()
	return p.Wait()
}

// Info keeps a handle it does not own: no owner type, and describe,
// which calls no handle API, says nothing of h.
type Info struct {
	h   windows.Handle
	pid uint32
}

func describe(h windows.Handle, pid uint32) *Info {
	return &Info{h: h, pid: pid}
}

func infoOf(pid uint32) (*Info, error) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return nil, err
	}
	return describe(h, pid), nil
}

// Job owns handle (hcsshim's jobobject.JobObject).
type Job struct {
	handle windows.Handle
	name   string
}

func (j *Job) Close() error { // want Close:"closes handlecheck.test/ownerctor.Job"
	if j.handle == 0 {
		return errors.New("closed")
	}
	err := windows.CloseHandle(j.handle)
	j.handle = 0
	return err
}

func (j *Job) Terminate() error {
	return windows.TerminateJobObject(j.handle, 1)
}

var jobs sync.Mutex

// OpenJob defers a call of a func value, so go/ssa returns its results
// through variables: the Job stored in them is the result.
func OpenJob(name string) (*Job, error) { // want OpenJob:"owned handlecheck.test/ownerctor.Job r0 closed by Close"
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	unlock := lockJobs()
	defer unlock()
	h, err := windows.CreateJobObject(nil, p)
	if err != nil {
		return nil, err
	}
	return &Job{handle: h, name: name}, nil
}

func lockJobs() func() {
	jobs.Lock()
	return jobs.Unlock
}

func killJob(name string, check func() error) error {
	job, err := OpenJob(name) // want `ownerctor.Job from ownerctor.OpenJob \(windows.CreateJobObject\) is not closed on every path: release it with \(\*ownerctor.Job\).Close`
	if err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	defer job.Close()
	return job.Terminate()
}

// closedJob closes the handle it returns in a deferred call: no source.
func closedJob(name *uint16) (*Job, error) {
	defer lockJobs()()
	h, err := windows.CreateJobObject(nil, name)
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(h)
	return &Job{handle: h}, nil
}

// resetJob's deferred closure may change the result it returns: no source.
func resetJob(name *uint16) (job *Job, err error) {
	defer func() {
		if err != nil {
			job = nil
		}
	}()
	h, err := windows.CreateJobObject(nil, name)
	if err != nil {
		return nil, err
	}
	return &Job{handle: h}, nil
}

func dropJobs(name *uint16) error {
	a, err := closedJob(name)
	if err != nil {
		return err
	}
	b, err := resetJob(name)
	if err != nil {
		return err
	}
	_, _ = a, b
	return errors.New("dropped")
}

// Mapping owns mapping; a finalizer closes it too (wireguard/windows's
// ringlogger.Ringlogger).
type Mapping struct {
	mapping windows.Handle
	tag     string
}

func (m *Mapping) Close() error { // want Close:"closes handlecheck.test/ownerctor.Mapping"
	if m.mapping != 0 {
		windows.CloseHandle(m.mapping)
		m.mapping = 0
	}
	return nil
}

// newMapping hands the new Mapping to runtime.SetFinalizer, which keeps
// it only to close it once unreachable.
func newMapping(h windows.Handle, tag string) (*Mapping, error) { // want newMapping:"owned handlecheck.test/ownerctor.Mapping r0 closed by Close; adopts a0"
	m := &Mapping{mapping: h, tag: tag}
	runtime.SetFinalizer(m, (*Mapping).Close)
	return m, nil
}

func NewMapping(f windows.Handle, tag string) (*Mapping, error) { // want NewMapping:"owned handlecheck.test/ownerctor.Mapping r0 closed by Close; uses a0"
	h, err := windows.CreateFileMapping(f, nil, windows.PAGE_READWRITE, 0, 0, nil)
	if err != nil {
		return nil, err
	}
	m, err := newMapping(h, tag)
	if err != nil {
		windows.CloseHandle(h)
		return nil, err
	}
	return m, nil
}

func logTo(f windows.Handle, check func() error) error {
	m, err := NewMapping(f, "log") // want `ownerctor.Mapping from ownerctor.NewMapping is not closed on every path: release it with \(\*ownerctor.Mapping\).Close`
	if err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	return m.Close()
}

// CreateJob returns through named results, with a closure that closes the
// handle when err is set, so the handle is in a variable the closure
// captures (hcsshim's jobobject.Create).
func CreateJob(name *uint16, terminate bool) (_ *Job, err error) { // want CreateJob:"owned handlecheck.test/ownerctor.Job r0 closed by Close"
	var h windows.Handle
	h, err = windows.CreateJobObject(nil, name)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(h)
		}
	}()
	job := &Job{handle: h}
	if terminate {
		// return sets the named err: the closure closes h.
		if err := job.Terminate(); err != nil {
			return nil, err
		}
	}
	return job, nil
}

func runJob(name *uint16, check func() error) error {
	job, err := CreateJob(name, false) // want `ownerctor.Job from ownerctor.CreateJob \(windows.CreateJobObject\) is not closed on every path: release it with \(\*ownerctor.Job\).Close`
	if err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	return job.Close()
}

// closingJob's closure closes the handle on every path: no source.
func closingJob(name *uint16) (_ *Job, err error) {
	var h windows.Handle
	h, err = windows.CreateJobObject(nil, name)
	if err != nil {
		return nil, err
	}
	defer func() {
		windows.CloseHandle(h)
	}()
	return &Job{handle: h}, nil
}

func dropClosing(name *uint16) error {
	job, err := closingJob(name)
	if err != nil {
		return err
	}
	_ = job
	return errors.New("dropped")
}

// reassigned puts a second handle in the variable the closure captures:
// the first leaks, and the Job holds the second, whose tracker is not the
// one that walked the variable first; the store hands it on (no fact).
func reassigned(a, b *uint16) (_ *Job, err error) {
	var h windows.Handle
	h, err = windows.CreateJobObject(nil, a) // want `handle from windows.CreateJobObject is not closed on every path`
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(h)
		}
	}()
	first := h
	h, err = windows.CreateJobObject(nil, b)
	if err != nil {
		return nil, err
	}
	return &Job{handle: h, name: string(rune(first))}, nil
}
