package analyzer

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// ignorePrefix starts a suppression: //handlecheck:ignore CATEGORY reason.
// It suppresses the diagnostics of that category on its own line and on
// the line below. The reason is required, and ends at a nested "//" (so
// another comment may follow); a directive that suppresses nothing is
// itself reported, as staticcheck does with //lint:ignore.
const ignorePrefix = "//handlecheck:ignore"

// directiveCategory is the category of problems with directives.
const directiveCategory = "directive"

// categories are the categories a directive may name: the names of the
// ownership engine's kinds of finding, impersonation and keepalive.
var categories = func() []string {
	var out []string
	for k := ownership.Kind(0); k.String() != "?"; k++ {
		out = append(out, k.String())
	}
	return append(out, impersonationCategory, keepAliveCategory)
}()

type directive struct {
	pos      token.Pos
	file     string
	line     int
	category string
	used     bool
}

// directives parses the package's suppressions. Malformed ones are
// reported at once and not returned.
func directives(pass *analysis.Pass) []*directive {
	var out []*directive
	for _, f := range pass.Files {
		for _, group := range f.Comments {
			for _, c := range group.List {
				if !strings.HasPrefix(c.Text, ignorePrefix) {
					continue
				}
				text := strings.TrimPrefix(c.Text, ignorePrefix)
				if i := strings.Index(text, "//"); i >= 0 {
					text = text[:i] // a trailing comment is not part of the reason
				}
				fields := strings.Fields(text)
				pos := pass.Fset.Position(c.Pos())
				switch {
				case len(fields) == 0 || !isCategory(fields[0]):
					got := "nothing"
					if len(fields) > 0 {
						got = fmt.Sprintf("%q", fields[0])
					}
					pass.Report(analysis.Diagnostic{Pos: c.Pos(), Category: directiveCategory,
						Message: fmt.Sprintf("handlecheck:ignore names %s: want one of %s, then a reason", got, strings.Join(categories, ", "))})
				case len(fields) == 1:
					pass.Report(analysis.Diagnostic{Pos: c.Pos(), Category: directiveCategory,
						Message: fmt.Sprintf("handlecheck:ignore %s needs a reason: say why the finding is wrong or accepted", fields[0])})
				default:
					out = append(out, &directive{pos: c.Pos(), file: pos.Filename, line: pos.Line, category: fields[0]})
				}
			}
		}
	}
	return out
}

func isCategory(s string) bool { return slices.Contains(categories, s) }

// suppressed reports whether a directive covers d, and marks it used.
func suppressed(fset *token.FileSet, ds []*directive, d analysis.Diagnostic) bool {
	pos := fset.Position(d.Pos)
	hit := false
	for _, dir := range ds {
		if dir.category == d.Category && dir.file == pos.Filename && (dir.line == pos.Line || dir.line == pos.Line-1) {
			dir.used = true
			hit = true
		}
	}
	return hit
}

// reportStale reports the directives that suppressed nothing.
func reportStale(pass *analysis.Pass, ds []*directive) {
	for _, dir := range ds {
		if !dir.used {
			pass.Report(analysis.Diagnostic{Pos: dir.pos, Category: directiveCategory,
				Message: fmt.Sprintf("handlecheck:ignore %s suppresses nothing on this line or the next: remove it", dir.category)})
		}
	}
}
