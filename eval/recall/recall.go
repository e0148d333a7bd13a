// Package recall holds handlecheck's recall benchmark: real bug-fix pairs
// from the history of public Go modules (cases.json), and the scoring of
// handlecheck's findings against them. cmd/recall runs it.
//
// A case is a handle bug that a commit fixed. Its buggy version (before the
// fix) and fixed version (after it) are both on the Go module proxy. The
// case is a hit when handlecheck, run on the buggy version, reports the
// bug's category inside the function the fix changed; its fixed version is
// clean when handlecheck reports nothing of that category in that function.
package recall

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"

	"github.com/handlecheck/handlecheck/eval/internal/hcrun"
)

// A Case is one real bug and its fix.
type Case struct {
	ID       string `json:"id"`
	Module   string `json:"module"`
	Buggy    string `json:"buggy"` // version before the fix
	Fixed    string `json:"fixed"` // version with the fix
	Package  string `json:"package"`
	Function string `json:"function"` // "Name", "Type.Method" or "(*Type).Method"
	Category string `json:"category"` // leak, double-release, borrowed-release, wrong-releaser
	GOOS     string `json:"goos"`
	Pattern  string `json:"pattern"` // one of Patterns
	// API is the acquiring (or, for double and wrong releases, the
	// releasing) function, in go/types FullName spelling.
	API string `json:"api"`
	// Message, when set, must occur in a finding's message for it to count:
	// it tells this bug from another one of the same category in the same
	// function (gopsutil-1220 and -1949).
	Message string `json:"message,omitempty"`
	Fix     string `json:"fix"`  // link to the fix commit or pull request
	Note    string `json:"note"` // what the bug is
	// FixedVerdict, when set, is the triage of what the fixed version is
	// (or was) reported for in the case's function: a bug the fix left
	// (true, and why) or a false alarm (and what fixed the engine).
	FixedVerdict string `json:"fixed_verdict,omitempty"`
	// Replace lists go.mod replace directives the scratch module needs
	// ("old=new@version"), the module's own replaces that a dependency's
	// go.mod cannot impose. COSESIGN1GO_STUB stands for the directory of
	// eval/stubs/cosesign1go (see eval/README.md).
	Replace []string `json:"replace,omitempty"`
}

// Patterns are the patterns of issue 18, in report order, and "unknown
// API": the bug is real but no default rule names its API.
var Patterns = []string{
	"direct",         // a direct call of an API the rules name
	"wrapper",        // through a same-package function returning the handle (summaries, issue 4)
	"1-struct-field", // handle stored in a struct the function allocated
	"2-helper-uses",  // passed to a same-package helper that only uses it
	"3-returned-with-error",
	"4-adopt-some-paths",
	"5-generics-method-values",
	"6-os-file-process", // *os.File, *os.Process
	"7-owner-types",
	"8-platform-packages",
	"unknown-api",
}

// Categories are handlecheck's finding categories.
var Categories = []string{"leak", "borrowed-release", "double-release", "wrong-releaser"}

// Load reads and checks a cases file.
func Load(name string) ([]*Case, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var cases []*Case
	if err := json.Unmarshal(data, &cases); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	ids := map[string]bool{}
	for i, c := range cases {
		where := fmt.Sprintf("%s: case %d (%s)", name, i, c.ID)
		switch {
		case c.ID == "" || c.Module == "" || c.Buggy == "" || c.Fixed == "" || c.Package == "" ||
			c.Function == "" || c.GOOS == "" || c.API == "" || c.Fix == "":
			return nil, fmt.Errorf("%s: id, module, buggy, fixed, package, function, goos, api and fix are required", where)
		case ids[c.ID]:
			return nil, fmt.Errorf("%s: duplicate id", where)
		case !contains(Categories, c.Category):
			return nil, fmt.Errorf("%s: category %q is not one of %v", where, c.Category, Categories)
		case !contains(Patterns, c.Pattern):
			return nil, fmt.Errorf("%s: pattern %q is not one of %v", where, c.Pattern, Patterns)
		case c.Package != c.Module && !strings.HasPrefix(c.Package, c.Module+"/"):
			return nil, fmt.Errorf("%s: package %s is not in module %s", where, c.Package, c.Module)
		}
		ids[c.ID] = true
	}
	return cases, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NormFunc normalizes a function name to "Name" or "Type.Method":
// "(*T).M" and "(T).M" become "T.M".
func NormFunc(name string) string {
	if strings.HasPrefix(name, "(") {
		if i := strings.Index(name, ")"); i > 0 {
			recv := strings.TrimPrefix(name[1:i], "*")
			return recv + name[i+1:]
		}
	}
	return name
}

// A Finding is one handlecheck diagnostic.
type Finding struct {
	Package  string
	Category string
	Posn     string // file:line:col
	Message  string
}

// ParseJSON reads handlecheck's -json output. It returns the handlecheck
// findings and the analysis errors by package.
func ParseJSON(data []byte) ([]Finding, []string, error) {
	diags, errors, err := hcrun.Parse(data)
	if err != nil {
		return nil, nil, err
	}
	var fs []Finding
	for _, d := range diags {
		fs = append(fs, Finding{Package: d.Package, Category: d.Category, Posn: d.Posn, Message: d.Message})
	}
	var errs []string
	for _, e := range errors {
		errs = append(errs, fmt.Sprintf("%s: %s: %s", e.Package, e.Analyzer, e.Message))
	}
	return fs, errs, nil
}

// SplitPosn splits "file:line:col" or "file:line"; the file name may
// contain colons.
func SplitPosn(p string) (file string, line int, ok bool) {
	rest, last, found := cutLast(p)
	if !found {
		return "", 0, false
	}
	n, err := strconv.Atoi(last)
	if err != nil {
		return "", 0, false
	}
	if f, mid, found := cutLast(rest); found {
		if l, err := strconv.Atoi(mid); err == nil {
			return f, l, true // file:line:col
		}
	}
	return rest, n, true // file:line
}

func cutLast(s string) (before, after string, found bool) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// Funcs finds the top-level function enclosing a line of a Go file, parsing
// each file once.
type Funcs struct {
	fset  *token.FileSet
	files map[string][]funcSpan
}

type funcSpan struct {
	name       string // NormFunc form
	start, end int    // lines, inclusive
}

// NewFuncs returns an empty Funcs.
func NewFuncs() *Funcs {
	return &Funcs{fset: token.NewFileSet(), files: map[string][]funcSpan{}}
}

// Enclosing returns the NormFunc name of the function declaration whose
// lines (doc comment excluded) hold line of file, or "" if none does. A
// line inside a function literal belongs to the declaration around it.
func (fs *Funcs) Enclosing(file string, line int) (string, error) {
	spans, err := fs.spans(file)
	if err != nil {
		return "", err
	}
	for _, s := range spans {
		if s.start <= line && line <= s.end {
			return s.name, nil
		}
	}
	return "", nil
}

// Declared returns the NormFunc names of the functions that file declares.
func (fs *Funcs) Declared(file string) ([]string, error) {
	spans, err := fs.spans(file)
	var names []string
	for _, s := range spans {
		names = append(names, s.name)
	}
	return names, err
}

func (fs *Funcs) spans(file string) ([]funcSpan, error) {
	if spans, ok := fs.files[file]; ok {
		return spans, nil
	}
	f, err := parser.ParseFile(fs.fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var spans []funcSpan
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			spans = append(spans, funcSpan{
				name:  declName(fd),
				start: fs.fset.Position(fd.Pos()).Line,
				end:   fs.fset.Position(fd.End()).Line,
			})
		}
	}
	fs.files[file] = spans
	return spans, nil
}

// declName is "Name" or "Type.Method" (type parameters dropped).
func declName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// InFunction returns the findings of category inside function fn of
// package pkg (NormFunc spelling or not) whose message contains message. A finding of a test variant of
// pkg ("pkg [pkg.test]") counts as pkg's.
func (fs *Funcs) InFunction(findings []Finding, pkg, fn, category, message string) ([]Finding, error) {
	want := NormFunc(fn)
	var out []Finding
	for _, f := range findings {
		if f.Category != category || !strings.Contains(f.Message, message) {
			continue
		}
		if id, _, _ := strings.Cut(f.Package, " "); id != pkg {
			continue
		}
		file, line, ok := SplitPosn(f.Posn)
		if !ok {
			return nil, fmt.Errorf("bad position %q", f.Posn)
		}
		name, err := fs.Enclosing(file, line)
		if err != nil {
			return nil, err
		}
		if name == want {
			out = append(out, f)
		}
	}
	return out, nil
}
