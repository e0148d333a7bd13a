package main_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// givenup is a module whose one package has handles the engine does not
// follow: the two ends of a pipe, closed by a variable index.
var givenup, _ = filepath.Abs(filepath.Join("testdata", "givenup"))

// TestGivenUp checks that the handles the engine gives up on are listed,
// with where and why, in -json output (under "given-up", not as findings)
// and by -given-up, and that they change neither the findings nor the
// exit code.
func TestGivenUp(t *testing.T) {
	const posn = "givenup_linux.go:9:22"
	out, errOut, code := handlecheck(t, givenup, []string{"GOOS=linux"}, "-json", "./...")
	if code != 0 {
		t.Fatalf("-json: exit %d, want 0; stderr:\n%s", code, errOut)
	}
	var tree map[string]map[string][]jsonDiag
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	pkg := tree["handlecheck.test/givenup"]
	if len(pkg["handlecheck"]) != 0 {
		t.Errorf("findings %v, want none", pkg["handlecheck"])
	}
	var elems []string
	for _, d := range pkg["given-up"] {
		if d.Category != "given-up" || !strings.HasSuffix(d.Posn, posn) ||
			!strings.Contains(d.Message, "from unix.Pipe2 in closeOne is not followed (an element is selected by a variable index)") {
			t.Errorf("given-up entry %+v, want one at %s from unix.Pipe2 by a variable index", d, posn)
		}
		elems = append(elems, d.Message[:strings.Index(d.Message, ")")+1])
	}
	if strings.Join(elems, ",") != "fd (element 0),fd (element 1)" {
		t.Errorf("given up %v, want fd (element 0) and fd (element 1); output:\n%s", elems, out)
	}

	_, errOut, code = handlecheck(t, givenup, []string{"GOOS=linux"}, "-given-up", "./...")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	want := []string{
		"handlecheck: given up: " + posn + ": fd (element 0) from unix.Pipe2 in closeOne is not followed (an element is selected by a variable index): no leak or double release of it is reported [linux]",
		"handlecheck: given up: " + posn + ": fd (element 1) from unix.Pipe2 in closeOne is not followed (an element is selected by a variable index): no leak or double release of it is reported [linux]",
		"handlecheck: 2 handles given up",
	}
	if code != 0 || strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("-given-up: exit %d, stderr:\n%s\nwant exit 0 and:\n%s", code, errOut, strings.Join(want, "\n"))
	}
	// Without the flag, nothing is said of them.
	if _, errOut, _ := handlecheck(t, givenup, []string{"GOOS=linux"}, "./..."); errOut != "" {
		t.Errorf("without -given-up, stderr:\n%s\nwant nothing", errOut)
	}
}
