// Command handlecheck reports misuse of owned and borrowed OS handles: leaks,
// releases of borrowed handles, double releases and wrong releasers.
//
// Standalone:
//
//	handlecheck [-rules FILE] [-goos GOOS] [-json | -sarif[=FILE]] [-baseline FILE | -write-baseline FILE] [-fix | -diff] ./...
//
// Without -goos, the packages are analyzed as built for this machine and,
// where they have files that only Windows builds, as built for Windows too.
//
// As a go vet tool:
//
//	GOOS=windows go vet -vettool=$(which handlecheck) ./...
//
// Exit status: 0 no (new) findings, 1 an error (bad rules, packages that do
// not load), 2 bad flags, 3 findings reported (0 with -json alone; with
// -fix, findings that remain unfixed).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/handlecheck/handlecheck/analyzer"
)

func main() {
	args := os.Args[1:]
	if n := len(args); n > 0 && strings.HasSuffix(args[n-1], ".cfg") {
		// go vet -vettool: a unit of analysis described by a .cfg file.
		resolveVetRules(analyzer.Analyzer)
		reportRulesErrorOnce(args[n-1])
		delegate()
		return
	}
	cfg, err := parse(args)
	if errors.Is(err, flag.ErrHelp) {
		usage(os.Stdout)
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "handlecheck: %v\nrun 'handlecheck -h' for usage\n", err)
		os.Exit(2)
	}
	switch {
	case cfg.versionFull:
		// go vet's question: the line keys its cache of results.
		id, err := executableID()
		if err != nil {
			fmt.Fprintf(os.Stderr, "handlecheck: -V=full: %v\n", err)
			os.Exit(1)
		}
		fmt.Printf("handlecheck version %s buildID=%s\n", version(), id)
		os.Exit(0)
	case cfg.version:
		fmt.Println(longVersion())
		os.Exit(0)
	case cfg.singlechecker():
		delegate()
		return
	case len(cfg.patterns) == 1 && cfg.patterns[0] == "help":
		usage(os.Stdout)
		os.Exit(0)
	case len(cfg.patterns) == 0 && !cfg.cleanCache:
		fmt.Fprint(os.Stderr, "handlecheck: no packages given: name them, as in 'handlecheck ./...'\n\n")
		usage(os.Stderr)
		os.Exit(2)
	}
	os.Exit(run(cfg, os.Stdout, os.Stderr))
}

// delegate hands the run to singlechecker, which implements the go vet
// protocol and its own driver's debugging flags.
func delegate() {
	// -goos selects the platform whose files are analyzed when
	// singlechecker loads packages itself. Under go vet, set GOOS for go
	// vet instead.
	flag.Func("goos", "analyze packages as built for `GOOS` (standalone mode only)", func(s string) error {
		return os.Setenv("GOOS", s)
	})
	// -cache is the standalone driver's; singlechecker has none.
	flag.Bool("cache", true, "standalone only: use the results cache")
	singlechecker.Main(analyzer.Analyzer)
}

// config is the parsed command line of a standalone run.
type config struct {
	goos          string
	json          bool
	context       int
	tests         bool
	cache         bool
	cleanCache    bool
	tags          string
	verbose       bool
	givenUp       bool
	sarif         string // "" none, "-" standard output, else a file
	baseline      string
	writeBaseline string
	fix, diff     bool
	patterns      []string

	// analyzerFlags are the analyzer's own flags (-rules,
	// -no-default-rules) in command-line order, set on the analyzer only
	// when this command runs the analysis itself.
	analyzerFlags [][2]string

	// version is -version; versionFull is -V=full, go vet's question.
	version, versionFull bool
	// vet is set for go vet's other question to its tool: -flags.
	vet bool
	// delegated is the first flag given that only singlechecker's driver
	// implements (-debug, profiles).
	delegated string
}

// singlechecker reports whether the run is handed to singlechecker.
func (c *config) singlechecker() bool { return c.vet || c.delegated != "" }

// ownOutput reports whether a flag that only this command's driver
// implements is given.
func (c *config) ownOutput() bool {
	return c.sarif != "" || c.baseline != "" || c.writeBaseline != "" || c.fix || c.diff
}

// parse parses the command line. It knows singlechecker's flags too, so
// that it can tell which runs to hand over.
func parse(args []string) (*config, error) {
	c := &config{context: -1, tests: true, cache: true}
	fs := flag.NewFlagSet("handlecheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.goos, "goos", "", "")
	fs.BoolVar(&c.json, "json", false, "")
	fs.IntVar(&c.context, "c", -1, "")
	fs.BoolVar(&c.tests, "test", true, "")
	fs.BoolVar(&c.cache, "cache", true, "")
	fs.BoolVar(&c.cleanCache, "clean-cache", false, "")
	fs.StringVar(&c.tags, "tags", "", "")
	fs.BoolVar(&c.verbose, "v", false, "")
	fs.BoolVar(&c.givenUp, "given-up", false, "")
	fs.Var(sarifFlag{&c.sarif}, "sarif", "")
	fs.StringVar(&c.baseline, "baseline", "", "")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "")
	fs.BoolVar(&c.fix, "fix", false, "")
	fs.BoolVar(&c.diff, "diff", false, "")
	fs.BoolVar(&c.version, "version", false, "")
	fs.Var(flagFunc{true, func(s string) error {
		if s != "full" && s != "true" {
			return fmt.Errorf("-V=%s: only -V=full is known", s)
		}
		c.versionFull = true
		return nil
	}}, "V", "")
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		fs.Var(recorder{f, &c.analyzerFlags}, f.Name, "")
	})
	fs.Var(flagFunc{true, func(string) error { c.vet = true; return nil }}, "flags", "")
	for _, name := range []string{"debug", "cpuprofile", "memprofile", "trace"} {
		fs.Var(flagFunc{false, c.delegate(name)}, name, "")
	}
	// singlechecker's no-op legacy flags
	fs.Bool("all", false, "")
	fs.Bool("source", false, "")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.patterns = fs.Args()
	switch {
	case c.sarif == "-" && c.json:
		return nil, errors.New("-json and -sarif both write to standard output: give -sarif=FILE")
	case c.baseline != "" && c.writeBaseline != "":
		return nil, errors.New("give -baseline or -write-baseline, not both")
	case (c.fix || c.diff) && (c.json || c.sarif != "" || c.writeBaseline != ""):
		return nil, errors.New("-fix and -diff do not combine with -json, -sarif or -write-baseline")
	case c.delegated != "" && c.ownOutput():
		return nil, fmt.Errorf("-sarif, -baseline, -write-baseline, -fix and -diff do not combine with -%s", c.delegated)
	}
	return c, nil
}

func (c *config) delegate(name string) func(string) error {
	return func(string) error {
		if c.delegated == "" {
			c.delegated = name
		}
		return nil
	}
}

// sarifFlag is -sarif (standard output) or -sarif=FILE.
type sarifFlag struct{ dst *string }

func (f sarifFlag) IsBoolFlag() bool { return true }
func (f sarifFlag) String() string {
	if f.dst == nil {
		return ""
	}
	return *f.dst
}

func (f sarifFlag) Set(s string) error {
	switch s {
	case "true", "-":
		*f.dst = "-"
	case "false":
		*f.dst = ""
	default:
		*f.dst = s
	}
	return nil
}

// recorder records an analyzer flag's values without setting it.
type recorder struct {
	f   *flag.Flag
	dst *[][2]string
}

func (r recorder) String() string { return "" }
func (r recorder) IsBoolFlag() bool {
	b, ok := r.f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (r recorder) Set(s string) error {
	*r.dst = append(*r.dst, [2]string{r.f.Name, s})
	return nil
}

// flagFunc is a flag that calls a function.
type flagFunc struct {
	isBool bool
	set    func(string) error
}

func (f flagFunc) String() string     { return "" }
func (f flagFunc) IsBoolFlag() bool   { return f.isBool }
func (f flagFunc) Set(s string) error { return f.set(s) }

func usage(w io.Writer) {
	fmt.Fprint(w, `handlecheck: report misuse of owned and borrowed OS handles (leaks, releases
of borrowed handles, double releases, wrong releasers)

Usage: handlecheck [flags] packages      (as in: handlecheck ./...)
       handlecheck help                  this text; also -h

Without -goos, on a machine that is not Windows, it analyzes the packages as
built for this machine and, for packages with Windows-only files (or none
but those), as built for windows too.

Flags:
  -rules FILE[,FILE]    add rules files on top of the embedded default rules
                        (the format: README.md#rules)
  -no-default-rules     use only the -rules files
  -goos GOOS            analyze the packages as built for GOOS only
  -tags TAG[,TAG]       build tags, as for go build
  -test=false           do not analyze test files
  -json                 print the findings as JSON (exit 0 whatever is found)
  -sarif[=FILE]         write a SARIF 2.1.0 log to FILE (or standard output)
  -baseline FILE        report only findings that FILE does not record
  -write-baseline FILE  record today's findings in FILE and report nothing
  -fix                  apply the suggested fixes (deferred releases); print
                        what was fixed and the findings that remain
  -diff                 print the fixes as a unified diff; change no file
  -c N                  print each finding's line with N lines of context
  -cache=false          analyze everything again, without reading or writing
                        the cache (os.UserCacheDir()/handlecheck, or
                        $HANDLECHECK_CACHE; HANDLECHECK_CACHE=off turns it off)
  -clean-cache          remove the cache and exit
  -v                    say what was skipped (Windows builds of packages
                        that do not support Windows)
  -given-up             debugging: also list the handles the engine gave up
                        following, and why (nothing is reported about them;
                        -json always lists them, under "given-up")
  -version              print the version and exit

Suppress a finding with a comment on its line or the line above:
  //handlecheck:ignore CATEGORY reason
where CATEGORY is the word in brackets at the end of the finding.

Exit status: 0 no (new) findings; 1 an error; 2 bad flags; 3 findings reported
(with -fix: findings that remain unfixed).

As a go vet tool: GOOS=windows go vet -vettool=$(which handlecheck) ./...
(-flags and -V=full serve go vet; -debug, -cpuprofile, -memprofile and -trace
run singlechecker's driver, for one GOOS.)

Documentation: https://github.com/handlecheck/handlecheck#readme
`)
}
