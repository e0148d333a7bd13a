package main

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
)

// checkGOOS checks -goos against the platforms that this machine's go
// command knows (go tool dist list). When that list cannot be had, any
// value passes, and the go command judges it.
func checkGOOS(goos string) error {
	out, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		return nil
	}
	var known []string
	for _, line := range strings.Fields(string(out)) {
		if os, _, ok := strings.Cut(line, "/"); ok && !slices.Contains(known, os) {
			known = append(known, os)
		}
	}
	if len(known) == 0 || slices.Contains(known, goos) {
		return nil
	}
	slices.Sort(known)
	return fmt.Errorf("-goos=%s: unknown GOOS; valid values: %s", goos, strings.Join(known, ", "))
}
