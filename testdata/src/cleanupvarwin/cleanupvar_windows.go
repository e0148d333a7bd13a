// Package cleanupvarwin is package cleanupvar with x/sys/windows handles:
// a cleanup closure held in a variable, run by a deferred closure when
// err is not nil and handed to the caller on success. The neighbour
// drops it on success and leaks both handles.
package cleanupvarwin

import "golang.org/x/sys/windows"

// events creates two events, closed by cleanup on failure.
func events() (windows.Handle, func(), error) {
	var h1, h2 windows.Handle
	cleanup := func() {
		if h2 != 0 {
			windows.CloseHandle(h2)
		}
		if h1 != 0 {
			windows.CloseHandle(h1)
		}
	}
	var err error
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	h1, err = windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return 0, nil, err
	}
	h2, err = windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return 0, nil, err
	}
	return h2, cleanup, nil
}

// eventsLeak drops the cleanup on success.
func eventsLeak() (err error) {
	var h1, h2 windows.Handle
	cleanup := func() {
		if h2 != 0 {
			windows.CloseHandle(h2)
		}
		if h1 != 0 {
			windows.CloseHandle(h1)
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	h1, err = windows.CreateEvent(nil, 0, 0, nil) // want `not closed on every path`
	if err != nil {
		return err
	}
	h2, err = windows.CreateEvent(nil, 0, 0, nil) // want `not closed on every path`
	if err != nil {
		return err
	}
	return nil
}
