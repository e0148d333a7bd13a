// Command fresh measures handlecheck's precision on first contact: on public
// modules it has never been run on (issue 18). The modules are listed, in
// sets, in ../../fresh/modules.yaml. A reserved set is run once, at
// the end of a session, as the first contact of the improved tool.
//
// Run it from the eval directory:
//
//	go run ./cmd/fresh -set A
//
// For each module of the set it makes a scratch module of its own (under
// -scratch, outside the repository), runs `go get MODULE@VERSION` there
// (GOFLAGS=-mod=mod, GOTOOLCHAIN=local) and checks that the build list
// selects that version; it builds handlecheck from the repository root
// (`go build -o OUT/handlecheck ./cmd/handlecheck`) and runs
//
//	handlecheck -goos=GOOS -json -test=true MODULE/...
//
// for each GOOS. It prints the wall time, CPU time and peak RSS of each run,
// and writes every tool output to -out (ignored by git), the findings to
// OUT/SET/findings.json and a findings list to fresh/set-SET.md. Positions
// are file:line:col relative to the module's root.
//
// Triage: fresh/triage-SET.yaml gives each finding (module, file:line,
// category) a verdict, read from the code at that version: bug, test,
// example (an example program), contract or false. set-SET.md shows the verdicts and computes first-contact
// precision (every verdict but false, over all findings); a finding without
// a verdict is listed as untriaged and counted apart.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/handlecheck/handlecheck/eval/internal/hcrun"
)

var (
	flagSet     = flag.String("set", "", "the `set` of fresh/modules.yaml to run (A, A2, B, C; see modules.yaml for any that is reserved)")
	flagModules = flag.String("modules", "fresh/modules.yaml", "the modules `file`")
	flagGOOS    = flag.String("goos", "windows,linux", "comma-separated `GOOS` values")
	flagOnly    = flag.String("only", "", "comma-separated module `paths` of the set to run (default: all)")
	flagOut     = flag.String("out", "fresh/out", "output `directory` for tool outputs and findings.json")
	flagScratch = flag.String("scratch", filepath.Join(os.TempDir(), "handlecheck-fresh"), "`directory` for the scratch modules")
	flagTimeout = flag.Duration("timeout", 10*time.Minute, "time limit of one handlecheck run")
	flagSpend   = flag.Bool("spend", false, "run a set that modules.yaml lists as reserved (it is then no longer a first contact)")
	flagRender  = flag.Bool("render", false, "only rewrite fresh/set-SET.md from OUT/SET/findings.json and the triage file")
	flagRules   = flag.String("rules", "", "comma-separated rules `files` (relative to eval) to load besides the default rules, as handlecheck's -rules; the report then goes to OUT/SET, not fresh/")
)

// A Module is one entry of modules.yaml.
type Module struct {
	Module  string `yaml:"module" json:"module"`
	Version string `yaml:"version" json:"version"`
	Side    string `yaml:"side" json:"side"`
	Hits    int    `yaml:"hits" json:"-"`
	Why     string `yaml:"why" json:"why"`
}

// A Run is one module analyzed for one GOOS.
type Run struct {
	GOOS       string    `json:"goos"`
	Packages   int       `json:"packages"`    // packages matched by MODULE/... for GOOS
	LoadErrors []string  `json:"load_errors"` // go list errors of those packages
	TypeErrors int       `json:"type_errors"` // lines of stderr that are load errors (file:line:col or "-:"; parse, type and cgo errors)
	ExitCode   int       `json:"exit_code"`
	TimedOut   bool      `json:"timed_out,omitempty"`
	WallS      float64   `json:"wall_s"`
	CPUS       float64   `json:"cpu_s"`       // user+system
	MaxRSSKiB  int64     `json:"max_rss_kib"` // largest resident set of one process (rusage)
	Findings   []Finding `json:"findings"`
	Problems   []string  `json:"problems"` // internal errors, panics, crashes, unparsable output
	Skipped    []string  `json:"skipped"`  // packages handlecheck skipped (failed prerequisites, type errors)
	Stderr     []string  `json:"stderr"`   // the rest of handlecheck's stderr
}

// A Finding is one diagnostic, its position relative to the module root.
type Finding struct {
	Posn     string   `json:"posn"` // file:line:col
	Category string   `json:"category"`
	Message  string   `json:"message"`
	Related  []string `json:"related,omitempty"` // "file:line:col: message"
	Package  string   `json:"package"`
}

// A Result is one module of the set.
type Result struct {
	Module
	Selected string `json:"selected"` // the version the scratch module's build list selected
	Error    string `json:"error,omitempty"`
	Runs     []*Run `json:"runs"`
}

// A Report is one run of a set.
type Report struct {
	Set     string    `json:"set"`
	Commit  string    `json:"commit"` // handlecheck's
	Go      string    `json:"go"`
	Date    string    `json:"date"`
	Args    []string  `json:"args"`
	Modules []*Result `json:"modules"`
}

// A Verdict is one line of the triage file.
type Verdict struct {
	Module   string `yaml:"module"`
	At       string `yaml:"at"` // file:line
	Category string `yaml:"category"`
	Verdict  string `yaml:"verdict"` // bug, test, contract, false
	Reason   string `yaml:"reason"`
}

// loadError matches the errors handlecheck prints for packages that do not
// load: "file:line:col: msg" or "-: msg".
var loadError = regexp.MustCompile(`^(-|\S+\.go:\d+:\d+): `)

var verdicts = []string{"bug", "test", "example", "contract", "false"}

func main() {
	log.SetFlags(0)
	log.SetPrefix("fresh: ")
	flag.Parse()
	if data, err := os.ReadFile("go.mod"); err != nil || !bytes.Contains(data, []byte("module github.com/handlecheck/handlecheck/eval\n")) {
		log.Fatal("run from the eval directory of the handlecheck repository: cd eval && go run ./cmd/fresh -set A")
	}
	if *flagSet == "" {
		log.Fatal("-set is required (see fresh/modules.yaml for the sets and which are reserved)")
	}
	mods, reserved, err := loadSet(*flagModules, *flagSet)
	if err != nil {
		log.Fatal(err)
	}
	if reserved && !*flagSpend && !*flagRender {
		log.Fatalf("set %s is reserved for a later first contact (%s); run it with -spend only when that is meant", *flagSet, *flagModules)
	}
	outDir, err := filepath.Abs(filepath.Join(*flagOut, *flagSet))
	if err != nil {
		log.Fatal(err)
	}
	resultsFile := filepath.Join(outDir, "findings.json")
	mdFile := filepath.Join("fresh", "set-"+*flagSet+".md")
	triageFile := filepath.Join("fresh", "triage-"+*flagSet+".yaml")

	if *flagRender {
		var rep Report
		data, err := os.ReadFile(resultsFile)
		if err == nil {
			err = json.Unmarshal(data, &rep)
		}
		if err != nil {
			log.Fatal(err)
		}
		if err := render(mdFile, triageFile, &rep); err != nil {
			log.Fatal(err)
		}
		return
	}

	if err := os.MkdirAll(outDir, 0o777); err != nil {
		log.Fatal(err)
	}
	hc := filepath.Join(outDir, "handlecheck")
	build := exec.Command("go", "build", "-o", hc, "./cmd/handlecheck")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		log.Fatalf("building handlecheck: %v\n%s", err, out)
	}
	commit := strings.TrimSpace(output("..", nil, "git", "rev-parse", "--short", "HEAD"))
	if strings.TrimSpace(output("..", nil, "git", "status", "--porcelain", "--", "analyzer", "internal", "rules", "rules.yaml", "cmd")) != "" {
		commit += " (with uncommitted changes)"
	}
	log.Printf("handlecheck at %s, %s", commit, runtime.Version())

	var extra []string
	if *flagRules != "" {
		for _, f := range strings.Split(*flagRules, ",") {
			abs, err := filepath.Abs(f)
			if err != nil {
				log.Fatal(err)
			}
			if _, err := os.Stat(abs); err != nil {
				log.Fatal(err)
			}
			extra = append(extra, "-rules="+abs)
		}
		// A run with other rules is no first contact of the default rules:
		// it must not overwrite the set's report.
		mdFile = filepath.Join(outDir, "set-"+*flagSet+".md")
	}
	var only []string
	if *flagOnly != "" {
		only = strings.Split(*flagOnly, ",")
		// A run of part of the set must not overwrite the set's report.
		mdFile = filepath.Join(outDir, "set-"+*flagSet+".md")
	}
	rep := &Report{Set: *flagSet, Commit: commit, Go: runtime.Version(), Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Args: os.Args[1:]}
	for _, m := range mods {
		if only != nil && !slices.Contains(only, m.Module) {
			continue
		}
		rep.Modules = append(rep.Modules, runModule(m, hc, outDir, extra))
		if err := writeJSON(resultsFile, rep); err != nil { // after each module: an interrupted run keeps what it did
			log.Fatal(err)
		}
	}
	if err := render(mdFile, triageFile, rep); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s and %s", resultsFile, mdFile)
}

// loadSet reads the modules of one set, and whether the set is reserved.
func loadSet(file, set string) ([]Module, bool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, false, err
	}
	var doc struct {
		Reserved []string            `yaml:"reserved"`
		Sets     map[string][]Module `yaml:"sets"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, false, fmt.Errorf("%s: %v", file, err)
	}
	mods, ok := doc.Sets[set]
	if !ok {
		return nil, false, fmt.Errorf("%s: no set %q", file, set)
	}
	for i, m := range mods {
		if m.Module == "" || m.Version == "" {
			return nil, false, fmt.Errorf("%s: set %s, entry %d: module and version are required", file, set, i)
		}
	}
	return mods, slices.Contains(doc.Reserved, set), nil
}

// runModule puts m in a scratch module of its own and analyzes it for each GOOS.
func runModule(m Module, hc, outDir string, extra []string) *Result {
	r := &Result{Module: m}
	dir := filepath.Join(*flagScratch, *flagSet, slug(m.Module))
	env := []string{"GOFLAGS=-mod=mod", "GOTOOLCHAIN=local"}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		log.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "go.sum"))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module fresh.scratch\n\ngo 1.26.8\n"), 0o666); err != nil {
		log.Fatal(err)
	}
	if out, err := outputErr(dir, env, "go", "get", m.Module+"@"+m.Version); err != nil {
		r.Error = "go get: " + firstLines(out, 5)
		log.Printf("%s@%s: %s", m.Module, m.Version, r.Error)
		return r
	}
	r.Selected = strings.TrimSpace(output(dir, env, "go", "list", "-m", "-f", "{{.Version}}", m.Module))
	if r.Selected != m.Version {
		log.Printf("%s: the build list selects %s, not %s", m.Module, r.Selected, m.Version)
	}
	modDir := strings.TrimSpace(output(dir, env, "go", "list", "-m", "-f", "{{.Dir}}", m.Module))
	pattern := m.Module + "/..."

	for _, goos := range strings.Split(*flagGOOS, ",") {
		run := &Run{GOOS: goos}
		r.Runs = append(r.Runs, run)
		goosEnv := append(slices.Clone(env), "GOOS="+goos)

		// The packages, and those go list cannot load.
		list := output(dir, goosEnv, "go", "list", "-e", "-f", "{{.ImportPath}}\t{{if .Error}}{{.Error}}{{end}}", pattern)
		for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
			path, lerr, _ := strings.Cut(l, "\t")
			if path == "" {
				continue
			}
			run.Packages++
			if lerr != "" {
				run.LoadErrors = append(run.LoadErrors, relText(strings.ReplaceAll(lerr, "\n", " "), modDir))
			}
		}

		base := filepath.Join(outDir, slug(m.Module)+"."+goos)
		args := append([]string{"-goos=" + goos, "-json", "-test=true", "-cache=false"}, extra...)
		measure(run, dir, env, base, hc, append(args, pattern)...)
		parse(run, base, modDir)
		log.Printf("%-50s %-7s %3d pkgs %3d findings  wall %6.1fs  cpu %6.1fs  peak RSS %5d MiB  exit %d%s",
			m.Module, goos, run.Packages, len(run.Findings), run.WallS, run.CPUS, run.MaxRSSKiB/1024, run.ExitCode, problemNote(run))
	}
	return r
}

func problemNote(run *Run) string {
	var notes []string
	if n := len(run.LoadErrors); n > 0 {
		notes = append(notes, fmt.Sprintf("%d go list errors", n))
	}
	if n := run.TypeErrors; n > 0 {
		notes = append(notes, fmt.Sprintf("%d load error lines", n))
	}
	if n := len(run.Problems); n > 0 {
		notes = append(notes, fmt.Sprintf("%d PROBLEMS", n))
	}
	if run.TimedOut {
		notes = append(notes, "TIMED OUT")
	}
	if notes == nil {
		return ""
	}
	return "  (" + strings.Join(notes, ", ") + ")"
}

// measure runs handlecheck in its own process group, stdout and stderr to
// base.stdout and base.stderr.
func measure(run *Run, dir string, env []string, base, name string, args ...string) {
	m, err := hcrun.Run(dir, env, *flagTimeout, base, name, args...)
	if err != nil {
		log.Fatal(err)
	}
	run.WallS, run.TimedOut, run.ExitCode = m.WallS, m.TimedOut, m.ExitCode
	run.CPUS = m.UserS + m.SysS
	run.MaxRSSKiB = m.MaxRSSKiB
}

// parse reads handlecheck's -json output and stderr.
func parse(run *Run, base, modDir string) {
	stdout, _ := os.ReadFile(base + ".stdout")
	stderr, _ := os.ReadFile(base + ".stderr")
	var lines []string
	for _, l := range strings.Split(string(stderr), "\n") {
		switch {
		case strings.TrimSpace(l) == "":
		case (strings.HasPrefix(l, "\t") || strings.HasPrefix(l, " ")) && len(lines) > 0:
			lines[len(lines)-1] += " " + strings.TrimSpace(l)
		default:
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		l = relText(l, modDir)
		switch {
		case strings.Contains(l, "internal error") || strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "fatal error:"):
			run.Problems = append(run.Problems, l)
		case loadError.MatchString(l):
			run.TypeErrors++
			run.Stderr = append(run.Stderr, l)
		default:
			run.Stderr = append(run.Stderr, l)
		}
	}
	if len(run.Stderr) > 50 {
		run.Stderr = append(run.Stderr[:50], fmt.Sprintf("... %d more lines in %s.stderr", len(run.Stderr)-50, filepath.Base(base)))
	}
	if run.TimedOut {
		run.Problems = append(run.Problems, "timed out")
	} else if run.ExitCode != 0 && run.ExitCode != 1 {
		run.Problems = append(run.Problems, fmt.Sprintf("exit code %d", run.ExitCode))
	}

	diags, errs, err := hcrun.Parse(stdout)
	if err != nil {
		if len(bytes.TrimSpace(stdout)) > 0 {
			run.Problems = append(run.Problems, err.Error())
		}
		return
	}
	for _, e := range errs {
		msg := relText(e.Message, modDir)
		if strings.Contains(msg, "internal error") {
			run.Problems = append(run.Problems, e.Package+": "+msg)
		} else if e.Analyzer == "handlecheck" {
			run.Skipped = append(run.Skipped, e.Package+": "+firstLines(msg, 1))
		}
	}
	seen := map[string]bool{}
	for _, d := range diags {
		f := Finding{Posn: rel(d.Posn, modDir), Category: d.Category, Message: relText(d.Message, modDir), Package: d.Package}
		for _, rd := range d.Related {
			f.Related = append(f.Related, rel(rd.Posn, modDir)+": "+relText(rd.Message, modDir))
		}
		// A package and its test variant report the same finding.
		key := f.Posn + "\x00" + f.Category + "\x00" + f.Message
		if !seen[key] {
			seen[key] = true
			run.Findings = append(run.Findings, f)
		}
	}
	sort.Slice(run.Findings, func(i, j int) bool { return hcrun.PosnLess(run.Findings[i].Posn, run.Findings[j].Posn) })
	sort.Strings(run.Skipped)
}

// rel makes a position relative to the module root (others keep their
// absolute path).
func rel(p, modDir string) string {
	return strings.TrimPrefix(p, modDir+string(filepath.Separator))
}

func relText(s, modDir string) string {
	return strings.ReplaceAll(s, modDir+string(filepath.Separator), "")
}

// at is a finding's file:line.
func at(posn string) string {
	file, line, _ := hcrun.SplitPosn(posn)
	return file + ":" + strconv.Itoa(line)
}

// slug is a module path as one file name.
func slug(s string) string {
	return strings.NewReplacer("/", "_", "@", "_").Replace(s)
}

func writeJSON(file string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(data, '\n'), 0o666)
}

func output(dir string, env []string, name string, args ...string) string {
	out, err := outputErr(dir, env, name, args...)
	if err != nil {
		log.Printf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, firstLines(out, 10))
	}
	return out
}

func outputErr(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return string(out) + stderr.String(), err
		}
	}
	return string(out), err
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, " / ")
}
