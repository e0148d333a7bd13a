package main

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/baseline"
	"github.com/handlecheck/handlecheck/internal/driver"
	"github.com/handlecheck/handlecheck/internal/sarif"
)

// homepage is the project's page; analyzer.URL is its categories section.
const homepage = "https://github.com/handlecheck/handlecheck"

// run analyzes the packages with this command's own driver and writes the
// outputs. It returns the exit status.
func run(c *config, stdout, stderr io.Writer) int {
	if c.cleanCache {
		return cleanCache(stderr)
	}
	var cfg analyzer.Config
	for _, f := range c.analyzerFlags {
		if err := cfg.SetFlag(f[0], f[1]); err != nil {
			fmt.Fprintf(stderr, "handlecheck: -%s: %v\n", f[0], err)
			return 2
		}
	}
	if c.goos != "" {
		if err := checkGOOS(c.goos); err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 2
		}
	}
	base, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "handlecheck: %v\n", err)
		return 1
	}
	var known *baseline.File
	if c.baseline != "" {
		if known, err = baseline.Read(c.baseline); err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 1
		}
	}
	// The packages asked for: platform packages are analyzed only then.
	var roots sync.Map
	cfg.Roots = func(path string) bool { _, ok := roots.Load(path); return ok }
	opts := driver.Options{
		Analyzer: analyzer.New(cfg),
		Patterns: c.patterns,
		GOOS:     c.goos,
		Tests:    c.tests,
		Cache:    openCache(c, stderr),
		Roots: func(paths []string) {
			for _, p := range paths {
				roots.Store(p, true)
			}
		},
	}
	if c.tags != "" {
		opts.BuildFlags = []string{"-tags=" + c.tags}
	}
	res, err := driver.Run(opts)
	if err != nil {
		fmt.Fprintf(stderr, "handlecheck: %v\n", err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "handlecheck: warning: %s\n", w)
	}
	if c.verbose {
		for _, s := range res.Skipped {
			fmt.Fprintf(stderr, "handlecheck: skipped the Windows build of %s: it fails to type-check outside Windows-only files, so the package does not support Windows (%s)\n",
				s.PkgID, relPaths(s.Msg, base))
		}
	}
	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, e.String())
		if !c.json || e.Analyzer == "" {
			fmt.Fprintln(stderr, relPaths(e.String(), base))
		}
	}

	if c.writeBaseline != "" {
		if len(errs) > 0 {
			fmt.Fprintf(stderr, "handlecheck: %s not written: some packages were not analyzed\n", c.writeBaseline)
			return 1
		}
		b := baseline.New(res.Findings, base)
		if err := b.Write(c.writeBaseline); err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 1
		}
		fmt.Fprintf(stderr, "handlecheck: recorded %d findings under %d keys in %s\n", len(res.Findings), len(b.Findings), c.writeBaseline)
		return 0
	}

	findings := res.Findings
	if known != nil {
		findings = known.Filter(findings, base)
	}
	if c.fix || c.diff {
		code := fix(findings, c, base, stdout, stderr)
		if len(errs) > 0 {
			code = 1
		}
		return code
	}
	if c.sarif != "" {
		if err := writeSARIF(c.sarif, stdout, findings, base, errs); err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 1
		}
	}
	switch {
	case c.json:
		if err := writeJSON(stdout, findings, res.Errors, res.GivenUp); err != nil {
			fmt.Fprintf(stderr, "handlecheck: %v\n", err)
			return 1
		}
	case c.sarif != "-":
		writeText(stderr, findings, c.context, base)
	}
	if c.givenUp && !c.json {
		for _, g := range res.GivenUp {
			fmt.Fprintf(stderr, "handlecheck: given up: %s: %s [%s]\n", relPaths(g.Posn.String(), base), g.Message, strings.Join(g.GOOS, ","))
		}
		fmt.Fprintf(stderr, "handlecheck: %s given up\n", count(len(res.GivenUp), "handle"))
	}

	switch {
	case len(errs) > 0:
		return 1
	case len(findings) > 0 && (!c.json || c.sarif != ""):
		return 3
	}
	return 0
}

func writeSARIF(dst string, stdout io.Writer, findings []driver.Finding, base string, errs []string) error {
	opts := sarif.Options{
		Version: version(),
		InfoURI: homepage,
		HelpURI: analyzer.URL,
		BaseDir: base,
		Errors:  errs,
	}
	if dst == "-" {
		return sarif.Write(stdout, findings, opts)
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if err := sarif.Write(f, findings, opts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeText prints findings for people and line-oriented tools: one line
// "file:line:col: message [category]" per finding, the file relative to
// dir when it is inside it, as go vet prints them. Each related position
// follows on an indented line that does not start with a position ("\tthe
// handle is still held here (file:line:col)"), so that tools that read
// "file:line:col: message" lines see one finding per finding. With
// contextLines >= 0, the source lines around each position follow it.
func writeText(w io.Writer, findings []driver.Finding, contextLines int, dir string) {
	source := func(posn, end token.Position) {
		if contextLines < 0 {
			return
		}
		if !end.IsValid() {
			end = posn
		}
		data, _ := os.ReadFile(posn.Filename)
		lines := strings.Split(string(data), "\n")
		for i := posn.Line - contextLines; i <= end.Line+contextLines; i++ {
			if 1 <= i && i <= len(lines) {
				fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
			}
		}
	}
	for _, f := range findings {
		fmt.Fprintf(w, "%s: %s [%s]\n", relPosn(f.Posn, dir), f.Message, f.Category)
		source(f.Posn, f.End)
		for _, r := range f.Related {
			fmt.Fprintf(w, "\t%s (%s)\n", r.Message, relPosn(r.Posn, dir))
			source(r.Posn, r.End)
		}
	}
}

// relPaths is msg with the paths of files inside dir made relative to it.
func relPaths(msg, dir string) string {
	return strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
}

// relPosn is posn with its file relative to dir, when it is inside dir.
func relPosn(posn token.Position, dir string) string {
	posn.Filename = relPath(posn.Filename, dir)
	return posn.String()
}

// relPath is file relative to dir, or file itself when it is not inside
// dir.
func relPath(file, dir string) string {
	rel, err := filepath.Rel(dir, file)
	if err != nil || !filepath.IsLocal(rel) {
		return file
	}
	return rel
}

// writeJSON prints findings in singlechecker's -json form: package ID to
// analyzer name to a list of diagnostics (with their suggested fixes and
// related positions) or an error. The handles the engine gave up are
// listed beside the analyzer, under "given-up", in the same form with
// category "given-up" and the platforms that met them.
func writeJSON(w io.Writer, findings []driver.Finding, errs []driver.Error, givenUp []driver.Finding) error {
	type related struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	type edit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	type fix struct {
		Message string `json:"message"`
		Edits   []edit `json:"edits"`
	}
	type diagnostic struct {
		Category string    `json:"category,omitempty"`
		Posn     string    `json:"posn"`
		End      string    `json:"end"`
		Message  string    `json:"message"`
		Fixes    []fix     `json:"suggested_fixes,omitempty"`
		Related  []related `json:"related,omitempty"`
		GOOS     []string  `json:"goos,omitempty"`
	}
	end := func(posn, end token.Position) string {
		if end.IsValid() {
			return end.String()
		}
		return posn.String()
	}
	tree := map[string]map[string]any{}
	for _, e := range errs {
		if e.Analyzer != "" {
			tree[e.PkgID] = map[string]any{e.Analyzer: map[string]string{"error": e.Msg}}
		}
	}
	lists := map[string]map[string][]diagnostic{}
	for _, f := range findings {
		d := diagnostic{Category: f.Category, Posn: f.Posn.String(), End: end(f.Posn, f.End), Message: f.Message}
		for _, x := range f.Fixes {
			jf := fix{Message: x.Message}
			for _, e := range x.Edits {
				jf.Edits = append(jf.Edits, edit{Filename: e.Filename, Start: e.Start, End: e.End, New: e.New})
			}
			d.Fixes = append(d.Fixes, jf)
		}
		for _, r := range f.Related {
			d.Related = append(d.Related, related{Posn: r.Posn.String(), End: end(r.Posn, r.End), Message: r.Message})
		}
		if lists[f.PkgID] == nil {
			lists[f.PkgID] = map[string][]diagnostic{}
		}
		lists[f.PkgID][f.Analyzer] = append(lists[f.PkgID][f.Analyzer], d)
	}
	for _, g := range givenUp {
		if lists[g.PkgID] == nil {
			lists[g.PkgID] = map[string][]diagnostic{}
		}
		d := diagnostic{Category: g.Category, Posn: g.Posn.String(), End: end(g.Posn, g.End), Message: g.Message, GOOS: g.GOOS}
		lists[g.PkgID][givenUpKey] = append(lists[g.PkgID][givenUpKey], d)
	}
	for id, byAnalyzer := range lists {
		if tree[id] == nil {
			tree[id] = map[string]any{}
		}
		for name, diags := range byAnalyzer {
			tree[id][name] = diags
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// givenUpKey is the key of a package's given-up handles in -json output.
const givenUpKey = "given-up"

// count is "1 handle", "2 handles".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
