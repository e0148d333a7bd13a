package main_test

import (
	"strings"
	"testing"
)

// TestBadUsage checks the documented exit codes and messages of bad
// command lines: 2 for an unknown flag, 1 for a rules file that does not
// exist and for a pattern that matches no package.
func TestBadUsage(t *testing.T) {
	bin := build(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-nosuchflag", "./leak"}, 2, "flag provided but not defined: -nosuchflag"},
		{[]string{"-rules=/nonexistent/rules.yaml", "./leak"}, 1, "rules: open /nonexistent/rules.yaml: no such file or directory"},
		{[]string{"-goos=windows", "./nosuchpkg/..."}, 1, "nosuchpkg"},
	} {
		out, code := runIn(t, nil, bin, c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("handlecheck %s: exit %d, want %d with %q; output:\n%s", strings.Join(c.args, " "), code, c.code, c.want, out)
		}
		if strings.Contains(out, "panic") {
			t.Errorf("handlecheck %s panicked:\n%s", strings.Join(c.args, " "), out)
		}
	}
}
