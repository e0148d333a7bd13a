package freshG2

import "handlecheck.test/freshG2/plain"

// plainWatch defers Close, which closes the descriptor: quiet.
func plainWatch(path string) error {
	w, err := plain.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	return w.AddWatch(path, 0x100)
}

// plainLeak never closes it: reported.
func plainLeak(path string) error {
	w, err := plain.NewWatcher() // want `plain.Watcher from plain.NewWatcher \(syscall.InotifyInit1\) is not closed on every path: release it with \(\*plain.Watcher\).Close`
	if err != nil {
		return err
	}
	return w.AddWatch(path, 0x100)
}

// pollLeak never closes the Poller, whose goroutine only reads: reported.
func pollLeak() int {
	p, err := plain.NewPoller() // want `plain.Poller from plain.NewPoller \(syscall.InotifyInit1\) is not closed on every path: release it with \(\*plain.Poller\).Close`
	if err != nil {
		return 0
	}
	return <-p.Events
}

// pollClose closes it: quiet.
func pollClose() int {
	p, err := plain.NewPoller()
	if err != nil {
		return 0
	}
	defer p.Close()
	return <-p.Events
}

// refLeak never releases the Ref: reported, naming Release.
func refLeak() {
	r, err := plain.NewRef() // want `plain.Ref from plain.NewRef \(syscall.InotifyInit1\) is not closed on every path: release it with \(\*plain.Ref\).Release`
	if err != nil {
		return
	}
	_ = r
}

// hidden cannot call destroy: quiet.
func hidden() {
	h, err := plain.NewHidden()
	if err != nil {
		return
	}
	h.Shutdown()
}
