// Package freshG2 is reduced from the set G first contact (k8s.io/utils
// inotify, v0.0.0-20261023123148-ca04ba58ecab): a caller of a
// constructor that hands its descriptor to a goroutine it starts, through
// a package boundary (the summary travels as a fact), next to a control
// type without the goroutine whose Close closes the descriptor itself.
package freshG2

import (
	"fmt"

	"handlecheck.test/freshG2/inotify"
)

// watch defers Close, which only signals the goroutine that owns the
// descriptor: quiet, and no release to name.
func watch(path string) error {
	w, err := inotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.AddWatch(path, 0x100); err != nil {
		return err
	}
	fmt.Println(<-w.Event)
	return nil
}

// watchNoClose never closes it: still quiet, as the goroutine owns the
// descriptor and nothing says the caller does.
func watchNoClose(path string) error {
	w, err := inotify.NewWatcher()
	if err != nil {
		return err
	}
	return w.AddWatch(path, 0x100)
}

// watchClosure and watchValue run the goroutine another way: quiet.
func watchClosure(path string) error {
	w, err := inotify.NewClosureWatcher()
	if err != nil {
		return err
	}
	return w.AddWatch(path, 0x100)
}

func watchValue(path string) error {
	w, err := inotify.NewValueWatcher()
	if err != nil {
		return err
	}
	return w.AddWatch(path, 0x100)
}

// shared gets a Shared whose descriptor the goroutine may close: quiet
// without a Close too.
func shared() error {
	s, err := inotify.NewShared()
	if err != nil {
		return err
	}
	_ = s
	return nil
}

// loop gets a Loop whose descriptor the goroutine may close: quiet.
func loop() *inotify.Loop {
	l, err := inotify.NewLoop()
	if err != nil {
		return nil
	}
	_ = l
	return nil
}

// notified gets a Shared the goroutine may close: quiet.
func notified() error {
	s, err := inotify.NewNotified()
	if err != nil {
		return err
	}
	_ = s
	return nil
}

// starter starts and stops a Starter: quiet, with nothing to name.
func starter() error {
	s, err := inotify.NewStarter()
	if err != nil {
		return err
	}
	s.Start()
	defer s.Stop()
	return nil
}
