package wrongwant

import "golang.org/x/sys/windows"

func leak() {
	h, err := windows.CreateEvent(nil, 0, 0, nil) // want `this expectation is deliberately wrong`
	if err != nil {
		return
	}
	windows.SetEvent(h)
}
