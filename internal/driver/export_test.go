package driver

import "golang.org/x/tools/go/packages"

// OnLoad makes f learn the IDs of the root packages that each run loads
// with syntax and analyzes, until the test ends.
func OnLoad(f func(goos string, ids []string)) (undo func()) {
	testLoaded = func(goos string, roots []*packages.Package) {
		var ids []string
		for _, p := range roots {
			ids = append(ids, p.ID)
		}
		f(goos, ids)
	}
	return func() { testLoaded = nil }
}
