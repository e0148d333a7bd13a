package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// reporter turns the engine's findings into diagnostics. It is the only
// place that words them.
type reporter struct {
	pass  *analysis.Pass
	eff   *effects.Oracle             // the records behind the findings' references
	calls map[token.Pos]*ast.CallExpr // by Lparen, built on first use
	diags []analysis.Diagnostic
}

func newReporter(pass *analysis.Pass, eff *effects.Oracle) *reporter {
	return &reporter{pass: pass, eff: eff}
}

// report words finding f. lastErr says the acquisition is a native
// procedure's call judged by its last error alone (lastErrorOnly).
func (r *reporter) report(f ownership.Finding, lastErr bool) {
	src := r.eff.Source(f.Source.Acquire.Rule)
	res := r.releasers(src.Resource)
	from := fmt.Sprintf("%s from %s", rules.ShortName(res.Name), describe(src))
	d := analysis.Diagnostic{Category: f.Kind.String(), URL: "#" + f.Kind.String()}
	d.Pos, d.End = r.span(f.Pos)
	switch f.Kind {
	case ownership.Leak:
		d.Message = fmt.Sprintf("%s is not closed on every path: release it with %s", from, res.ReleaserNames(r.rank(src)))
		held := fmt.Sprintf("the %s is still held when the function returns here", from)
		if f.ValidErr {
			d.Message = fmt.Sprintf("%s is not closed on every path (it is valid with some errors, too): release it with %s", from, res.ReleaserNames(r.rank(src)))
			held = fmt.Sprintf("the %s is still held here if the error is one it is valid with", from)
		}
		if f.WithErr {
			d.Message = fmt.Sprintf("%s is returned together with an error that may be non-nil: callers that check the error first never release it; release it with %s before returning the error", from, res.ReleaserNames(r.rank(src)))
			held = fmt.Sprintf("the %s is returned here with the error", from)
		}
		if lastErr {
			d.Message += ": the call's error is the thread's last error, which a successful call may leave set; decide failure by the call's first result"
			held = fmt.Sprintf("the %s is still held here if the call succeeded with a last error set", from)
		}
		if f.Lost {
			held = fmt.Sprintf("the %s is still held when it becomes unreachable here (its variable is overwritten, or the acquisition runs again)", from)
		}
		if f.Other != f.Pos { // a related line naming the finding's own place adds nothing
			d.Related = r.related(f.Other, held)
		}
		if f.Unreleased && !f.WithErr {
			d.SuggestedFixes = r.deferFix(f, src)
		}
	case ownership.BorrowedRelease:
		note := src.Note
		if note == "" {
			note = "the caller does not own it"
		}
		if f.Source.Acquire.Wraps {
			// The source's own note is about an owned handle.
			d.Message = fmt.Sprintf("%s closes the %s, which wraps a borrowed handle: it closes the handle its owner still uses; do not close it, or wrap a duplicate the caller owns", r.releaser(f.Release, f.Deferred), from)
			break
		}
		d.Message = fmt.Sprintf("%s closes a borrowed handle from %s (%s)", r.releaser(f.Release, f.Deferred), describe(src), note)
	case ownership.DoubleRelease:
		line := r.pass.Fset.Position(f.Other).Line
		other := r.releaser(f.OtherRelease, f.OtherDeferred)
		if f.Raw || f.OtherRaw {
			d.Message = r.rawDouble(f, from, describe(src), line)
		} else if f.Again {
			d.Message = fmt.Sprintf("double release: %s releases the %s again on each later iteration of the loop", r.releaser(f.Release, f.Deferred), from)
		} else if f.OtherDeferred {
			d.Message = fmt.Sprintf("double release: %s releases the %s, and %s on line %d releases it again", r.releaser(f.Release, f.Deferred), from, other, line)
		} else {
			d.Message = fmt.Sprintf("double release: %s releases the %s already released by %s on line %d", r.releaser(f.Release, f.Deferred), from, other, line)
		}
		if !f.Again { // the other release is this one, on an earlier iteration
			d.Related = r.related(f.Other, "the other release")
		}
	case ownership.WrongReleaser:
		d.Message = fmt.Sprintf("wrong releaser: %s does not release a %s: release it with %s", r.releaser(f.Release, f.Deferred), from, res.ReleaserNames(r.rank(src)))
	case ownership.BorrowedChange:
		rec := r.eff.Releaser(f.Change.Rule)
		changer := rules.ShortName(rec.Func)
		if rec.Origin != "" && rec.Origin != rec.Func {
			changer = fmt.Sprintf("%s (%s)", changer, rules.ShortName(rec.Origin))
		}
		if f.Deferred {
			changer = "the deferred " + changer
		}
		d.Message = fmt.Sprintf("%s changes the state of a borrowed %s, whose owner still uses it: %s and change the copy",
			changer, from, duplicateAdvice(res.Name))
	case ownership.UseAfterRelease:
		line := r.pass.Fset.Position(f.Other).Line
		if f.Returned {
			d.Message = fmt.Sprintf("use after release: the function returns the %s, which %s on line %d releases before the caller gets it: the number may name another object by then; return a handle the caller releases, or do not return it",
				from, r.releaser(f.OtherRelease, f.OtherDeferred), line)
			d.Related = r.related(f.Other, "the release")
			break
		}
		user := rules.ShortName(r.eff.CallName(f.Call))
		if f.Deferred {
			user = "the deferred " + user
		}
		order := ""
		if f.Deferred && f.OtherDeferred {
			order = " (deferred calls run last first)"
		}
		d.Message = fmt.Sprintf("use after release: %s uses the %s after %s released it on line %d%s: the number may name another object by now; release it after its last use",
			user, from, r.releaser(f.OtherRelease, f.OtherDeferred), line, order)
		if f.OtherRaw {
			d.Message = fmt.Sprintf("use after release: %s uses the %s after %s on line %d released the handle it owns (%s adopted it): the number may name another object by now; close the %s, after its last use, instead",
				user, from, r.releaser(f.OtherRelease, f.OtherDeferred), line, describe(src), rules.ShortName(res.Name))
		}
		d.Related = r.related(f.Other, "the release")
		if f.Via.IsValid() && f.Via != f.Pos {
			how := "called"
			if f.Deferred {
				how = "deferred"
			}
			d.Related = append(d.Related, r.related(f.Via, "the function literal that uses it is "+how+" here")...)
		}
	}
	r.diags = append(r.diags, d)
}

// rawDouble words a DoubleRelease of which one release, or both, release
// the raw handle that the acquisition (by adopter) adopted, not the
// handle it handed out (from), which owns that raw handle.
func (r *reporter) rawDouble(f ownership.Finding, from, adopter string, line int) string {
	this, other := r.releaser(f.Release, f.Deferred), r.releaser(f.OtherRelease, f.OtherDeferred)
	again := fmt.Sprintf("already released by %s on line %d", other, line)
	if f.OtherDeferred {
		again = fmt.Sprintf("and %s on line %d releases it again", other, line)
	}
	switch {
	case f.Raw && f.OtherRaw:
		return fmt.Sprintf("double release: %s releases the handle that %s adopted (the %s owns it), %s", this, adopter, from, again)
	case f.Raw:
		return fmt.Sprintf("double release: %s releases the handle that %s adopted, which the %s owns and releases itself, %s: release only the %s",
			this, adopter, from, again, rules.ShortName(r.eff.Source(f.Source.Acquire.Rule).Resource.Name))
	}
	if f.OtherDeferred {
		again = fmt.Sprintf("and %s on line %d releases that handle again", other, line)
	} else {
		again = fmt.Sprintf("which %s on line %d already released", other, line)
	}
	return fmt.Sprintf("double release: %s releases the %s and so the handle that %s adopted, %s: release only the %s",
		this, from, adopter, again, rules.ShortName(r.eff.Source(f.Source.Acquire.Rule).Resource.Name))
}

// duplicateAdvice says how to get a copy of a borrowed handle of
// resource res that the caller may change.
func duplicateAdvice(res string) string {
	if res == "token" {
		return "duplicate it with windows.DuplicateTokenEx"
	}
	return "duplicate it with windows.DuplicateHandle"
}

// paramLeak reports a parameter that its function adopts on some paths and
// loses on others, at the parameter, with the first such return.
func (r *reporter) paramLeak(pl effects.ParamLeak) {
	name := pl.Param.Name()
	d := analysis.Diagnostic{
		Pos: pl.Param.Pos(), Category: ownership.Leak.String(), URL: "#" + ownership.Leak.String(),
		Message: fmt.Sprintf("handle %s is taken over on some paths (a callee adopts it) but not on every path: "+
			"a caller that hands it over leaks it where the function returns without releasing or handing it on", name),
	}
	for _, pos := range pl.Exits {
		d.Related = append(d.Related, r.related(pos, fmt.Sprintf("%s is neither released nor handed on when the function returns here", name))...)
	}
	r.diags = append(r.diags, d)
}

// flush reports the diagnostics that no //handlecheck:ignore suppresses,
// then the directives that suppressed nothing.
func (r *reporter) flush() {
	ds := directives(r.pass)
	for _, d := range r.diags {
		if !suppressed(r.pass.Fset, ds, d) {
			r.pass.Report(d)
		}
	}
	reportStale(r.pass, ds)
}

// releasers returns res with only the release functions that exist in
// this build, for advice: a releaser restricted to another GOOS, or one
// whose package is loaded but does not declare it (syscall.CloseHandle on
// Linux), is left out. A releaser of a package not loaded here cannot be
// told apart and stays. If none would remain, res is returned as it is.
func (r *reporter) releasers(res *rules.Resource) *rules.Resource {
	goos := r.eff.GOOS()
	var keep []*rules.Releaser
	for _, rel := range res.Release {
		if rel.GOOS != "" && goos != "" && rel.GOOS != goos {
			continue
		}
		if path := rules.PkgPath(rel.Func); path != "" && rules.LookupPackage(r.pass.Pkg, path) != nil && rules.LookupObject(r.pass.Pkg, rel.Func) == nil {
			continue
		}
		keep = append(keep, rel)
	}
	if len(keep) == len(res.Release) || len(keep) == 0 {
		return res
	}
	short := *res
	short.Release = keep
	return &short
}

// rank orders release functions for a message about src: those of src's
// own package first, then those of packages the code imports.
func (r *reporter) rank(src *effects.Source) func(string) int {
	own := rules.PkgPath(src.Origin)
	return func(path string) int {
		switch {
		case path == own:
			return 0
		case path == r.pass.Pkg.Path():
			return 1
		}
		for _, p := range r.pass.Pkg.Imports() {
			if p.Path() == path {
				return 1
			}
		}
		return 2
	}
}

// describe names a source for a message: "windows.OpenProcessToken", or
// for a wrapper "lib.OpenToken (windows.OpenProcessToken)".
func describe(s *effects.Source) string {
	name := rules.ShortName(s.Func)
	if s.Origin != s.Func && s.Origin != "" {
		name = fmt.Sprintf("%s (%s)", name, rules.ShortName(s.Origin))
	}
	if s.Part != "" {
		name = fmt.Sprintf("%s (%s)", name, s.Part)
	}
	return name
}

// releaser names the function of a release for a message.
func (r *reporter) releaser(rel *ownership.Release, deferred bool) string {
	name := rules.ShortName(r.eff.Releaser(rel.Rule).Func)
	if deferred {
		return "the deferred " + name
	}
	return name
}

func (r *reporter) related(pos token.Pos, msg string) []analysis.RelatedInformation {
	if !pos.IsValid() {
		return nil
	}
	start, end := r.span(pos)
	return []analysis.RelatedInformation{{Pos: start, End: end, Message: msg}}
}

// span widens a call's Lparen position (what go/ssa records) to the whole
// call expression.
func (r *reporter) span(pos token.Pos) (token.Pos, token.Pos) {
	if r.calls == nil {
		r.calls = make(map[token.Pos]*ast.CallExpr)
		for _, f := range r.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					r.calls[c.Lparen] = c
				}
				return true
			})
		}
	}
	if c, ok := r.calls[pos]; ok {
		return c.Pos(), c.End()
	}
	return pos, token.NoPos
}
