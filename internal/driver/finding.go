package driver

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A Finding is one diagnostic, with what outputs and baselines need to
// know about it.
type Finding struct {
	Analyzer string
	PkgID    string // the package it was first reported in
	Category string
	Message  string
	URL      string // absolute: the diagnostic's URL resolved against the analyzer's
	Posn     token.Position
	End      token.Position // Filename is empty when unknown
	Related  []Related
	// Func names the function declaration that holds Posn, as
	// "F", "T.M" or "(*T).M", with no type parameters; "" outside one.
	Func string
	// GOOS lists the platforms whose analysis reported it.
	GOOS []string
	// Fixes are its suggested fixes.
	Fixes []Fix
}

// A Fix is a suggested fix: edits to apply together.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces the bytes [Start, End) of a file with New.
type Edit struct {
	Filename   string
	Start, End int
	New        string
}

// Related is a secondary position of a finding.
type Related struct {
	Posn    token.Position
	End     token.Position
	Message string
}

// merge collects the findings and errors of the variants into res. A
// finding reported by several variants or test variants is kept once. A
// package that does not load as built for this machine is no error when
// it loads as built for Windows: it is Windows code without a build
// constraint. The errors of the Windows variant are always reported: they
// are in code that only Windows builds.
func merge(res *Result, variants []*variant) {
	loaded := map[string]bool{} // package IDs that some variant loaded
	for _, v := range variants {
		for _, p := range v.roots {
			if v.broken[p.ID] == nil {
				loaded[p.ID] = true
			}
		}
	}
	seen := map[string]int{} // finding key to index in res.Findings
	printed := map[loadError]bool{}
	tried := map[string]bool{} // package IDs that a later variant tried
	for _, v := range variants[1:] {
		for _, p := range v.roots {
			tried[p.ID] = true
		}
	}
	for i, v := range variants {
		for _, p := range v.roots {
			errs := v.broken[p.ID]
			if errs == nil || v.skipped[p.ID] || (i == 0 && loaded[p.ID]) {
				continue
			}
			// An error is printed once, although test variants and the
			// other GOOS meet it too. "No files for this GOOS" is no news
			// about a package that the Windows build tried.
			var fresh []loadError
			for _, e := range errs {
				if !printed[e] && !(i == 0 && tried[p.ID] && noFiles(e)) {
					printed[e] = true
					fresh = append(fresh, e)
				}
			}
			if len(fresh) > 0 {
				res.Errors = append(res.Errors, Error{PkgID: p.ID, GOOS: v.goos, Msg: joinErrors(fresh)})
			}
		}
		for _, r := range v.results {
			for _, e := range r.Errors {
				if !slices.ContainsFunc(res.Errors, func(x Error) bool { return x.String() == e.String() }) {
					res.Errors = append(res.Errors, e)
				}
			}
			for _, f := range r.Findings {
				res.add(f, v.goos, seen)
			}
			for _, g := range r.GivenUp {
				if i := slices.IndexFunc(res.GivenUp, func(x Finding) bool { return x.Posn == g.Posn && x.Message == g.Message }); i >= 0 {
					if !slices.Contains(res.GivenUp[i].GOOS, v.goos) {
						res.GivenUp[i].GOOS = append(res.GivenUp[i].GOOS, v.goos)
					}
					continue
				}
				g.GOOS = []string{v.goos}
				res.GivenUp = append(res.GivenUp, g)
			}
		}
	}
	res.Findings = slices.DeleteFunc(res.Findings, func(f Finding) bool {
		return f.Category == directiveCategory && !everywhere(f, variants)
	})
	slices.SortStableFunc(res.GivenUp, compareFindings)
	slices.SortStableFunc(res.Findings, compareFindings)
}

// compareFindings orders findings by position, then category and message.
func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Posn.Filename, b.Posn.Filename),
		cmp.Compare(a.Posn.Line, b.Posn.Line),
		cmp.Compare(a.Posn.Column, b.Posn.Column),
		cmp.Compare(a.Category, b.Category),
		cmp.Compare(a.Message, b.Message),
	)
}

// noFiles reports whether e is the go command's error for a package with
// no file for the GOOS.
func noFiles(e loadError) bool {
	return strings.HasPrefix(e.msg, "build constraints exclude all Go files in ")
}

// causes are the actions that failed under act (or act itself) whose own
// prerequisites did not fail: what "failed prerequisites" is about.
func causes(act *action) []*action {
	var out []*action
	seen := map[*action]bool{}
	var visit func(a *action)
	visit = func(a *action) {
		if seen[a] || a.err == nil {
			return
		}
		seen[a] = true
		failedDep := false
		for _, d := range a.deps {
			if d.err != nil {
				failedDep = true
				visit(d)
			}
		}
		if !failedDep {
			out = append(out, a)
		}
	}
	visit(act)
	return out
}

// directiveCategory is the category of the analyzer's reports about its
// //handlecheck:ignore directives, such as one that suppresses nothing.
const directiveCategory = "directive"

// everywhere reports whether every variant that analyzed f's file reported
// f. A directive in a file that both builds compile may suppress a finding
// that only one of them has: it is stale only if it is stale in both.
func everywhere(f Finding, variants []*variant) bool {
	for _, v := range variants {
		if v.files[f.Posn.Filename] && !slices.Contains(f.GOOS, v.goos) {
			return false
		}
	}
	return true
}

// add appends f unless an equal finding is there already, in which case
// it notes that goos reported it too.
func (res *Result) add(f Finding, goos string, seen map[string]int) {
	k := fmt.Sprintf("%s\x00%s\x00%s\x00%s", f.Posn, f.End, f.Category, f.Message)
	if i, dup := seen[k]; dup {
		if g := &res.Findings[i].GOOS; !slices.Contains(*g, goos) {
			*g = append(*g, goos)
		}
		return
	}
	f.GOOS = []string{goos}
	seen[k] = len(res.Findings)
	res.Findings = append(res.Findings, f)
}

// newFinding is the diagnostic d of analyzer a on package pkgID, whose
// syntax is files.
func newFinding(a *analysis.Analyzer, pkgID string, fset *token.FileSet, files []*ast.File, d analysis.Diagnostic) Finding {
	f := Finding{
		Analyzer: a.Name,
		PkgID:    pkgID,
		Category: d.Category,
		Message:  d.Message,
		URL:      resolveURL(a.URL, d.URL),
		Posn:     fset.Position(d.Pos),
		Func:     enclosingFunc(files, d.Pos),
	}
	if d.End.IsValid() {
		f.End = fset.Position(d.End)
	}
	for _, sf := range d.SuggestedFixes {
		fix := Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			start := fset.Position(e.Pos)
			end := start
			if e.End.IsValid() {
				end = fset.Position(e.End)
			}
			fix.Edits = append(fix.Edits, Edit{Filename: start.Filename, Start: start.Offset, End: end.Offset, New: string(e.NewText)})
		}
		f.Fixes = append(f.Fixes, fix)
	}
	for _, r := range d.Related {
		rel := Related{Posn: fset.Position(r.Pos), Message: r.Message}
		if r.End.IsValid() {
			rel.End = fset.Position(r.End)
		}
		f.Related = append(f.Related, rel)
	}
	return f
}

// resolveURL resolves a diagnostic's URL against its analyzer's, as
// go/analysis documents: "#leak" becomes the analyzer's page at #leak.
func resolveURL(base, ref string) string {
	if ref == "" {
		return base
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// enclosingFunc names the function declaration of files that holds pos.
func enclosingFunc(files []*ast.File, pos token.Pos) string {
	for _, file := range files {
		if pos < file.FileStart || pos > file.FileEnd {
			continue
		}
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || pos < fd.Pos() || pos >= fd.End() {
				continue
			}
			return FuncName(fd)
		}
	}
	return ""
}

// FuncName names a function declaration as "F", "T.M" or "(*T).M".
func FuncName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	name := "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	if star {
		return "(*" + name + ")." + fd.Name.Name
	}
	return name + "." + fd.Name.Name
}
