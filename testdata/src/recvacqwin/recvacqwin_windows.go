// Package recvacqwin is recvacq with windows.CreateFile.
package recvacqwin

import (
	"errors"

	"golang.org/x/sys/windows"
)

// grip keeps a windows.Handle that open creates: the shape of issue 18's
// pattern 1 with the handle acquired by a method.
type grip struct {
	handle windows.Handle
	path   string
}

func (g *grip) open() error { // want open:"owned handle recv field handle"
	p, err := windows.UTF16PtrFromString(g.path)
	if err != nil {
		return err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	g.handle = h
	return nil
}

func (g *grip) watch() error { return errors.New("no watch") }

// newGrip drops g where watch fails.
func newGrip(path string) (*grip, error) {
	g := &grip{path: path}
	if err := g.open(); err != nil { // want `handle from \(\*recvacqwin.grip\).open \(windows.CreateFile\) \(field handle\) is not closed on every path`
		return nil, err
	}
	if err := g.watch(); err != nil {
		return nil, err
	}
	return g, nil
}

// newGripClosed closes the handle where watch fails: quiet.
func newGripClosed(path string) (*grip, error) {
	g := &grip{path: path}
	if err := g.open(); err != nil {
		return nil, err
	}
	if err := g.watch(); err != nil {
		windows.CloseHandle(g.handle)
		return nil, err
	}
	return g, nil
}
