package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/handlecheck/handlecheck/internal/driver"
)

// fix applies the suggested fixes of findings (-fix) or prints them as a
// unified diff on stdout (-diff), and prints the findings it could not fix
// as text on stderr. It returns the exit status: 0 when -fix fixed every
// finding, 3 when findings remain (with -diff, every finding remains: no
// file is changed), 1 on an error.
func fix(findings []driver.Finding, c *config, dir string, stdout, stderr io.Writer) int {
	plan := planFixes(findings)
	var files []string
	for name := range plan.edits {
		files = append(files, name)
	}
	slices.Sort(files)
	for _, name := range files {
		old, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 1
		}
		edits := plan.edits[name]
		if last := edits[len(edits)-1]; last.End > len(old) {
			fmt.Fprintf(stderr, "handlecheck: %s changed since it was analyzed: no fix applied to it\n", name)
			return 1
		}
		if c.diff {
			fmt.Fprint(stdout, unifiedDiff(relPath(name, dir), old, edits))
			continue
		}
		if err := os.WriteFile(name, apply(old, edits), 0o666); err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 1
		}
	}
	if !c.diff {
		for _, f := range plan.fixed {
			fmt.Fprintf(stderr, "handlecheck: fixed %s [%s]: %s\n", relPosn(f.Posn, dir), f.Category, f.Fixes[0].Message)
		}
	}
	writeText(stderr, plan.remain, c.context, dir)
	verb := "fixed"
	if c.diff {
		verb = "the diff fixes"
	}
	fmt.Fprintf(stderr, "handlecheck: %s %d of %d findings in %d files; %d have no suggested fix\n",
		verb, len(plan.fixed), len(findings), len(files), len(plan.remain))
	switch {
	case c.diff && len(findings) > 0, len(plan.remain) > 0:
		return 3
	}
	return 0
}

// A fixPlan is the edits of the fixes that apply together, by file, and
// the findings they fix and the ones that remain.
type fixPlan struct {
	edits         map[string][]driver.Edit // sorted, not overlapping
	fixed, remain []driver.Finding
}

// planFixes takes the first suggested fix of each finding that has one,
// unless it overlaps with an edit of an earlier finding's fix: then the
// finding remains. An edit equal to one already planned is not repeated.
func planFixes(findings []driver.Finding) fixPlan {
	p := fixPlan{edits: map[string][]driver.Edit{}}
	for _, f := range findings {
		if len(f.Fixes) == 0 || len(f.Fixes[0].Edits) == 0 {
			p.remain = append(p.remain, f)
			continue
		}
		var add []driver.Edit
		ok := true
		for _, e := range f.Fixes[0].Edits {
			planned := p.edits[e.Filename]
			if slices.Contains(planned, e) || slices.Contains(add, e) {
				continue
			}
			if slices.ContainsFunc(append(planned, add...), func(x driver.Edit) bool { return overlap(x, e) }) {
				ok = false
				break
			}
			add = append(add, e)
		}
		if !ok {
			p.remain = append(p.remain, f)
			continue
		}
		for _, e := range add {
			p.edits[e.Filename] = append(p.edits[e.Filename], e)
		}
		p.fixed = append(p.fixed, f)
	}
	for name, edits := range p.edits {
		slices.SortFunc(edits, func(a, b driver.Edit) int { return a.Start - b.Start })
		p.edits[name] = edits
	}
	return p
}

// overlap reports whether two edits touch the same bytes, or insert at
// the same place.
func overlap(a, b driver.Edit) bool {
	if a.Filename != b.Filename {
		return false
	}
	if a.Start == a.End || b.Start == b.End {
		return a.Start == b.Start || (a.Start < b.Start && b.Start < a.End) || (b.Start < a.Start && a.Start < b.End)
	}
	return a.Start < b.End && b.Start < a.End
}

// apply applies edits, sorted and not overlapping, to src.
func apply(src []byte, edits []driver.Edit) []byte {
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(src[last:e.Start])
		out.WriteString(e.New)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes()
}

// unifiedDiff is the unified diff, with 3 lines of context, of applying
// edits (sorted, not overlapping) to old, the file name, in the form that
// git apply and patch -p1 read.
func unifiedDiff(name string, old []byte, edits []driver.Edit) string {
	const context = 3
	lines := splitLines(old)
	starts := make([]int, len(lines)+1) // byte offset of each line, and the end
	for i, l := range lines {
		starts[i+1] = starts[i] + len(l)
	}
	lineOf := func(off int) int { // the line holding off
		i, _ := slices.BinarySearch(starts, off+1)
		return max(0, min(i-1, len(lines)-1))
	}

	// Each change replaces whole lines [from, to) with new lines.
	type change struct {
		from, to int
		new      []string
	}
	var changes []change
	for i := 0; i < len(edits); {
		from := lineOf(edits[i].Start)
		end := edits[i].End
		if end > edits[i].Start {
			end-- // the last byte replaced
		}
		to := lineOf(end) + 1
		j := i + 1
		for j < len(edits) && lineOf(edits[j].Start) < to {
			if e := edits[j].End; e > edits[j].Start {
				to = max(to, lineOf(e-1)+1)
			}
			j++
		}
		if len(lines) == 0 {
			to = 0
		}
		chunk := splitLines(apply(old[starts[from]:starts[to]], shift(edits[i:j], -starts[from])))
		// Lines the edits leave as they were are context.
		for from < to && len(chunk) > 0 && chunk[0] == lines[from] {
			from, chunk = from+1, chunk[1:]
		}
		for from < to && len(chunk) > 0 && chunk[len(chunk)-1] == lines[to-1] {
			to, chunk = to-1, chunk[:len(chunk)-1]
		}
		changes = append(changes, change{from, to, chunk})
		i = j
	}

	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n", name, name)
	delta := 0 // new line numbers minus old ones, before the hunk
	for i := 0; i < len(changes); {
		// A hunk: changes whose contexts touch.
		j := i + 1
		for j < len(changes) && changes[j].from-changes[j-1].to <= 2*context {
			j++
		}
		from := max(0, changes[i].from-context)
		to := min(len(lines), changes[j-1].to+context)
		var body strings.Builder
		oldN, newN := 0, 0
		at := from
		for _, ch := range changes[i:j] {
			for ; at < ch.from; at++ {
				body.WriteString(" " + lines[at])
				oldN++
				newN++
			}
			for ; at < ch.to; at++ {
				body.WriteString("-" + lines[at])
				oldN++
			}
			for _, l := range ch.new {
				body.WriteString("+" + l)
				newN++
			}
		}
		for ; at < to; at++ {
			body.WriteString(" " + lines[at])
			oldN++
			newN++
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n%s", hunkRange(from, oldN), hunkRange(from+delta, newN), body.String())
		delta += newN - oldN
		i = j
	}
	return b.String()
}

// hunkRange is a unified diff's "start,count" for count lines from the
// 0-based line from.
func hunkRange(from, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", from)
	}
	return fmt.Sprintf("%d,%d", from+1, count)
}

// splitLines splits data after each newline; a last line without one gets
// one, followed by diff's marker.
func splitLines(data []byte) []string {
	var lines []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, string(data)+"\n\\ No newline at end of file\n")
			break
		}
		lines = append(lines, string(data[:i+1]))
		data = data[i+1:]
	}
	return lines
}

// shift moves edits by n bytes.
func shift(edits []driver.Edit, n int) []driver.Edit {
	out := make([]driver.Edit, len(edits))
	for i, e := range edits {
		e.Start += n
		e.End += n
		out[i] = e
	}
	return out
}
