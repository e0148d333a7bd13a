package rulescheck

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/rules"
)

// TestCounts logs, per GOOS and package in scope, how many exported
// functions and methods have an owned or borrowed rule that applies under
// that GOOS and how many are reviewed, by kind (go test -v -run TestCounts).
// Native procedures are counted by DLL.
func TestCounts(t *testing.T) {
	us := both(t)
	s := defaults(t)
	_, byFunc := reviewed(t)
	kinds := []string{"owned", "borrowed", "not-a-resource", "out-of-scope", "needs-schema", "not-a-releaser"}
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %-40s %s\n", "GOOS", "package", strings.Join(kinds, " "))
	for _, u := range us {
		counts := make(map[string]map[string]int)
		for name := range u.inScope {
			pkg := u.funcs[name].Pkg().Path()
			if counts[pkg] == nil {
				counts[pkg] = make(map[string]int)
			}
			owned, borrowed := false, false
			for _, src := range s.Sources[name] {
				if src.GOOS == "" || src.GOOS == u.goos {
					owned = owned || !src.Borrowed
					borrowed = borrowed || src.Borrowed
				}
			}
			if owned {
				counts[pkg]["owned"]++
			}
			if borrowed {
				counts[pkg]["borrowed"]++
			}
			if g := byFunc[name]; g != nil {
				counts[pkg][g.Kind]++
			}
		}
		for _, pkg := range slices.Sorted(maps.Keys(counts)) {
			var cols []string
			for _, k := range kinds {
				cols = append(cols, fmt.Sprintf("%*d", len(k), counts[pkg][k]))
			}
			fmt.Fprintf(&b, "%-8s %-40s %s\n", u.goos, pkg, strings.Join(cols, " "))
		}
	}
	natives := make(map[string][2]int)
	for name, srcs := range s.Sources {
		if !rules.IsNative(name) {
			continue
		}
		dll, _, _ := strings.Cut(name, "!")
		c := natives[dll]
		if slices.ContainsFunc(srcs, func(src *rules.Source) bool { return !src.Borrowed }) {
			c[0]++
		}
		if slices.ContainsFunc(srcs, func(src *rules.Source) bool { return src.Borrowed }) {
			c[1]++
		}
		natives[dll] = c
	}
	for _, dll := range slices.Sorted(maps.Keys(natives)) {
		fmt.Fprintf(&b, "%-8s %-40s %5d %8d\n", "native", dll, natives[dll][0], natives[dll][1])
	}
	t.Log("\n" + b.String())
}
