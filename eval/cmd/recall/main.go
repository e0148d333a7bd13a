// Command recall scores handlecheck on the recall benchmark of
// ../../recall/cases.json: real handle bugs that public Go modules fixed.
//
// Run it from the eval directory:
//
//	go run ./cmd/recall
//
// It builds handlecheck from the repository, and for each case and each of
// its two versions (the buggy one, before the fix, and the fixed one) makes
// a scratch module requiring that version (go get MODULE@VERSION, which
// downloads it into the module cache) and runs
// handlecheck -goos=GOOS -json -test=false PACKAGE there. A case is a hit
// when the buggy version has a finding of the case's category inside the
// case's function; its fixed version is clean when it has none. It prints a
// table and recall by pattern, and writes recall/RESULTS.md and
// out/recall.json.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/handlecheck/handlecheck/eval/recall"
	"golang.org/x/mod/modfile"
)

var (
	flagCases   = flag.String("cases", "recall/cases.json", "the cases `file`")
	flagOut     = flag.String("out", "out", "`directory` for recall.json and the tool logs")
	flagResults = flag.String("results", "recall/RESULTS.md", "write the report to this `file` (\"\" for none)")
	flagOnly    = flag.String("only", "", "comma-separated case `ids` to run (default: all)")
	flagJobs    = flag.Int("j", 2, "handlecheck runs at once")
	flagTimeout = flag.Duration("timeout", 10*time.Minute, "time limit of one handlecheck run")
	flagKeep    = flag.Bool("keep", false, "keep the scratch modules (their directory is printed)")
	flagRules   = flag.String("rules", "", "extra rules `files` for handlecheck -rules (comma-separated; relative to the eval directory)")
)

// stubDir is the absolute path of stubs/cosesign1go; rulesArg the -rules
// flag for handlecheck, absolute paths, or "".
var stubDir, rulesArg string

// A run is one handlecheck run: a package of one module version, for one GOOS.
type run struct {
	Module, Version, Package, GOOS string
	Replace                        []string

	Command  string   `json:"command"`
	ExitCode int      `json:"exit_code"`
	WallS    float64  `json:"wall_s"`
	Dir      string   `json:"module_dir"` // the module's directory in the module cache
	Funcs    []string `json:"-"`          // NormFunc names declared in the package directory (any GOOS)
	Findings []recall.Finding
	Errors   []string `json:"errors,omitempty"` // setup failures, analysis errors, stderr
}

func (r *run) key() string {
	return strings.Join([]string{r.Module, r.Version, r.Package, r.GOOS, strings.Join(r.Replace, ",")}, " ")
}

// A result is the score of one case.
type result struct {
	Case      *recall.Case
	Named     bool             // the default rules name Case.API as a source
	Hit       bool             // the buggy version reports the bug
	Clean     bool             // the fixed version reports nothing of that category there
	BuggyIn   []recall.Finding // findings of the category in the function, buggy version
	FixedIn   []recall.Finding // likewise, fixed version
	BuggyRun  *run
	FixedRun  *run
	Problems  []string // why the case could not be scored properly
	OtherCats []string // other categories reported in the function (buggy version)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("recall: ")
	flag.Parse()
	start := time.Now()

	if data, err := os.ReadFile("go.mod"); err != nil || !bytes.Contains(data, []byte("module github.com/handlecheck/handlecheck/eval\n")) {
		log.Fatal("run it from the eval directory of the handlecheck repository")
	}
	cases, err := recall.Load(*flagCases)
	if err != nil {
		log.Fatal(err)
	}
	if *flagOnly != "" {
		only := map[string]bool{}
		for _, id := range strings.Split(*flagOnly, ",") {
			only[id] = true
		}
		var kept []*recall.Case
		for _, c := range cases {
			if only[c.ID] {
				kept = append(kept, c)
				delete(only, c.ID)
			}
		}
		for id := range only {
			log.Fatalf("-only: no case %q", id)
		}
		cases = kept
	}
	sources, err := ruleSources("../rules.yaml")
	if err != nil {
		log.Fatal(err)
	}

	out, err := filepath.Abs(*flagOut)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(out, "recall-logs"), 0o777); err != nil {
		log.Fatal(err)
	}
	hc := filepath.Join(out, "recall-handlecheck") // not evalrun's out/handlecheck
	build := exec.Command("go", "build", "-o", hc, "./cmd/handlecheck")
	build.Dir = ".."
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		log.Fatalf("building handlecheck: %v", err)
	}
	commit := strings.TrimSpace(output("..", "git", "rev-parse", "--short", "HEAD"))
	if output("..", "git", "status", "--porcelain", "--", "analyzer", "internal", "rules", "rules.yaml", "cmd/handlecheck") != "" {
		commit += " (with uncommitted changes)"
	}

	if *flagRules != "" {
		var abs []string
		for _, f := range strings.Split(*flagRules, ",") {
			a, err := filepath.Abs(f)
			if err != nil {
				log.Fatal(err)
			}
			abs = append(abs, a)
		}
		rulesArg = strings.Join(abs, ",")
	}
	if stubDir, err = filepath.Abs("stubs/cosesign1go"); err != nil {
		log.Fatal(err)
	}
	scratch, err := os.MkdirTemp("", "recall-")
	if err != nil {
		log.Fatal(err)
	}
	if *flagKeep {
		log.Printf("scratch modules in %s", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}

	// One run per distinct module version, package and GOOS.
	runs := map[string]*run{}
	var order []*run
	get := func(c *recall.Case, version string) *run {
		r := &run{Module: c.Module, Version: version, Package: c.Package, GOOS: c.GOOS, Replace: c.Replace}
		if old, ok := runs[r.key()]; ok {
			return old
		}
		runs[r.key()] = r
		order = append(order, r)
		return r
	}
	results := make([]*result, len(cases))
	for i, c := range cases {
		results[i] = &result{Case: c, Named: sources[c.API], BuggyRun: get(c, c.Buggy), FixedRun: get(c, c.Fixed)}
	}

	var wg sync.WaitGroup
	sem := make(chan struct{}, max(*flagJobs, 1))
	var mu sync.Mutex
	done := 0
	for i, r := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			doRun(r, hc, filepath.Join(scratch, fmt.Sprint(i)), filepath.Join(out, "recall-logs", fmt.Sprint(i)))
			mu.Lock()
			done++
			log.Printf("[%d/%d] %s@%s %s (%s): %d findings, %.0fs%s", done, len(order), r.Module, r.Version, r.Package, r.GOOS,
				len(r.Findings), r.WallS, errSuffix(r.Errors))
			mu.Unlock()
		}()
	}
	wg.Wait()

	funcs := recall.NewFuncs()
	for _, res := range results {
		score(res, funcs)
	}
	wall := time.Since(start)

	if rulesArg != "" {
		commit += ", extra rules " + *flagRules
	}
	report := render(results, commit, wall)
	fmt.Print(report)
	if *flagResults != "" && *flagOnly == "" && *flagRules == "" {
		if err := os.WriteFile(*flagResults, []byte(report), 0o666); err != nil {
			log.Fatal(err)
		}
	}
	js, _ := json.MarshalIndent(results, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "recall.json"), js, 0o666); err != nil {
		log.Fatal(err)
	}
}

func errSuffix(errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	return fmt.Sprintf(", %d errors", len(errs))
}

// doRun makes the scratch module in dir and runs handlecheck there.
func doRun(r *run, hc, dir, logBase string) {
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	fail := func(format string, args ...any) {
		r.Errors = append(r.Errors, fmt.Sprintf(format, args...))
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		fail("%v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module recallscratch\n\ngo 1.26\n"), 0o666); err != nil {
		fail("%v", err)
		return
	}
	// The module's own replaces, which a dependency's go.mod cannot impose
	// on the scratch module (golang.zx2c4.com/wireguard/windows replaces
	// github.com/lxn/walk); replaces by a local directory are left out.
	reps, sums, err := ownReplaces(dir, env, r.Module, r.Version)
	if err != nil {
		fail("%v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(strings.Join(sums, "")), 0o666); err != nil {
		fail("%v", err)
		return
	}
	for _, rep := range reps {
		if msg, err := cmdOutput(dir, env, "go", "mod", "edit", "-replace", rep); err != nil {
			fail("go mod edit -replace %s: %v\n%s", rep, err, msg)
			return
		}
	}
	for _, rep := range r.Replace {
		rep = strings.ReplaceAll(rep, "COSESIGN1GO_STUB", stubDir)
		if msg, err := cmdOutput(dir, env, "go", "mod", "edit", "-replace", rep); err != nil {
			fail("go mod edit -replace %s: %v\n%s", rep, err, msg)
			return
		}
	}
	if msg, err := cmdOutput(dir, env, "go", "get", r.Module+"@"+r.Version); err != nil {
		fail("go get %s@%s: %v\n%s", r.Module, r.Version, err, msg)
		return
	}
	msg, err := cmdOutput(dir, env, "go", "list", "-m", "-json", r.Module)
	if err != nil {
		fail("go list -m %s: %v\n%s", r.Module, err, msg)
		return
	}
	var m struct{ Version, Dir string }
	if err := json.Unmarshal([]byte(msg), &m); err != nil || m.Dir == "" {
		fail("go list -m %s: no module directory (%v)", r.Module, err)
		return
	}
	if m.Version != r.Version {
		fail("go get %s@%s selected version %s", r.Module, r.Version, m.Version)
		return
	}
	r.Dir = m.Dir
	r.Funcs = declaredFuncs(filepath.Join(m.Dir, strings.TrimPrefix(r.Package, r.Module)))

	args := []string{"-goos=" + r.GOOS, "-json", "-test=false"}
	if rulesArg != "" {
		args = append(args, "-rules="+rulesArg)
	}
	args = append(args, r.Package)
	r.Command = "handlecheck " + strings.Join(args, " ")
	ctx, cancel := context.WithTimeout(context.Background(), *flagTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, hc, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	t0 := time.Now()
	err = cmd.Run()
	r.WallS = time.Since(t0).Seconds()
	r.ExitCode = cmd.ProcessState.ExitCode()
	os.WriteFile(logBase+".stdout", stdout.Bytes(), 0o666)
	os.WriteFile(logBase+".stderr", stderr.Bytes(), 0o666)
	if ctx.Err() != nil {
		fail("timed out after %v", *flagTimeout)
		return
	}
	// handlecheck -json exits 0, or 1 when a package does not load.
	if err != nil && r.ExitCode != 1 {
		fail("%s: %v", r.Command, err)
	}
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if l != "" {
			r.Errors = append(r.Errors, "stderr: "+l)
		}
	}
	fs, errs, err := recall.ParseJSON(stdout.Bytes())
	if err != nil {
		fail("%v", err)
		return
	}
	r.Findings = fs
	r.Errors = append(r.Errors, errs...)
}

// ownReplaces returns the replace directives of MODULE@VERSION's go.mod
// whose target is a module version, as go mod edit -replace arguments,
// and the lines of the module's go.sum for those targets: some replacement
// pseudo-versions are unknown to the checksum database (those of
// golang.zx2c4.com/wireguard/windows, see eval/README.md).
func ownReplaces(dir string, env []string, module, version string) (reps, sums []string, _ error) {
	msg, err := cmdOutput(dir, env, "go", "mod", "download", "-json", module+"@"+version)
	var d struct{ Dir, GoMod, Error string }
	if err != nil || json.Unmarshal([]byte(msg), &d) != nil || d.GoMod == "" || d.Dir == "" {
		return nil, nil, fmt.Errorf("go mod download %s@%s: %v %s%s", module, version, err, d.Error, msg)
	}
	data, err := os.ReadFile(d.GoMod)
	if err != nil {
		return nil, nil, err
	}
	f, err := modfile.Parse(d.GoMod, data, nil)
	if err != nil {
		return nil, nil, err
	}
	sumData, _ := os.ReadFile(filepath.Join(d.Dir, "go.sum")) // may not exist
	for _, r := range f.Replace {
		if r.New.Version == "" {
			continue // a local directory
		}
		old := r.Old.Path
		if r.Old.Version != "" {
			old += "@" + r.Old.Version
		}
		reps = append(reps, old+"="+r.New.Path+"@"+r.New.Version)
		prefix := r.New.Path + " " + r.New.Version
		for _, l := range strings.SplitAfter(string(sumData), "\n") {
			if strings.HasPrefix(l, prefix+" ") || strings.HasPrefix(l, prefix+"/go.mod ") {
				sums = append(sums, l)
			}
		}
	}
	return reps, sums, nil
}

// declaredFuncs lists the functions declared in the .go files of dir, in
// NormFunc spelling, whatever their build constraints.
func declaredFuncs(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fns := recall.NewFuncs()
	var names []string
	for _, f := range files {
		ns, _ := fns.Declared(f)
		names = append(names, ns...)
	}
	return names
}

func score(res *result, funcs *recall.Funcs) {
	c := res.Case
	for _, side := range []struct {
		r     *run
		which string
		in    *[]recall.Finding
	}{{res.BuggyRun, "buggy", &res.BuggyIn}, {res.FixedRun, "fixed", &res.FixedIn}} {
		r := side.r
		if r.Dir == "" {
			res.Problems = append(res.Problems, fmt.Sprintf("%s version %s: %s", side.which, r.Version, summary(strings.Join(r.Errors, "\n"))))
			continue
		}
		if side.which == "buggy" && !containsStr(r.Funcs, recall.NormFunc(c.Function)) {
			res.Problems = append(res.Problems, fmt.Sprintf("buggy version %s declares no function %s in %s", r.Version, c.Function, c.Package))
		}
		// Analysis errors and anything on stderr (load errors: handlecheck
		// then exits 1, and a package that does not load is not analyzed).
		for _, e := range r.Errors {
			res.Problems = append(res.Problems, fmt.Sprintf("%s version: %s", side.which, firstLine(e)))
		}
		if r.ExitCode == 1 && len(r.Errors) == 0 {
			res.Problems = append(res.Problems, fmt.Sprintf("%s version: handlecheck exited 1 (a package did not load)", side.which))
		}
		in, err := funcs.InFunction(r.Findings, c.Package, c.Function, c.Category, c.Message)
		if err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s version: %v", side.which, err))
		}
		*side.in = in
	}
	res.Hit = res.BuggyRun.Dir != "" && len(res.BuggyIn) > 0
	res.Clean = res.FixedRun.Dir != "" && len(res.FixedIn) == 0
	for _, cat := range recall.Categories {
		if cat == c.Category {
			continue
		}
		if in, _ := funcs.InFunction(res.BuggyRun.Findings, c.Package, c.Function, cat, ""); len(in) > 0 {
			res.OtherCats = append(res.OtherCats, cat)
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// summary is the first and last lines of a command's error output.
func summary(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) == 1 {
		return firstLine(s)
	}
	return firstLine(lines[0]) + " ... " + firstLine(strings.TrimSpace(lines[len(lines)-1]))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// ruleSources returns the functions that the owned and borrowed sections of
// a rules file name.
func ruleSources(name string) (map[string]bool, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	funcRE := regexp.MustCompile(`\bfunc:\s*([^\s,}]+)`)
	srcs := map[string]bool{}
	section := ""
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && l[0] != ' ' && l[0] != '#' && l[0] != '-' {
			section, _, _ = strings.Cut(l, ":")
		}
		if section != "owned" && section != "borrowed" {
			continue
		}
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		for _, m := range funcRE.FindAllStringSubmatch(l, -1) {
			srcs[m[1]] = true
		}
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("%s: no owned or borrowed functions found", name)
	}
	return srcs, nil
}

func render(results []*result, commit string, wall time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Recall benchmark: results\n\n")
	fmt.Fprintf(&b, "Generated by `cd eval && go run ./cmd/recall` (handlecheck at %s, %s, wall %s).\n", commit, time.Now().UTC().Format("2006-01-02 15:04 MST"), wall.Round(time.Second))
	fmt.Fprintf(&b, "The cases are in [cases.json](cases.json); see [README.md](README.md).\n\n")

	// Totals.
	type tally struct{ n, hit, clean, problems int }
	byPattern := map[string]*tally{}
	var all, named tally
	add := func(t *tally, r *result) {
		t.n++
		if r.Hit {
			t.hit++
		}
		if r.Clean {
			t.clean++
		}
		if len(r.Problems) > 0 {
			t.problems++
		}
	}
	for _, r := range results {
		t := byPattern[r.Case.Pattern]
		if t == nil {
			t = &tally{}
			byPattern[r.Case.Pattern] = t
		}
		add(t, r)
		add(&all, r)
		if r.Named {
			add(&named, r)
		}
	}
	pct := func(a, n int) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%d/%d (%.0f%%)", a, n, 100*float64(a)/float64(n))
	}
	fmt.Fprintf(&b, "## Recall\n\n")
	fmt.Fprintf(&b, "| cases | recall (buggy version reported) | fixed version clean | cases with problems |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| all | %s | %s | %d |\n", pct(all.hit, all.n), pct(all.clean, all.n), all.problems)
	fmt.Fprintf(&b, "| API named by the default rules | %s | %s | %d |\n\n", pct(named.hit, named.n), pct(named.clean, named.n), named.problems)
	fmt.Fprintf(&b, "| pattern (issue 18) | recall | fixed clean |\n|---|---|---|\n")
	for _, p := range recall.Patterns {
		if t := byPattern[p]; t != nil {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", p, pct(t.hit, t.n), pct(t.clean, t.n))
		}
	}

	fmt.Fprintf(&b, "\n## Cases\n\n")
	fmt.Fprintf(&b, "| id | pattern | category | GOOS | function | API (named by rules?) | buggy | fixed |\n|---|---|---|---|---|---|---|---|\n")
	sorted := append([]*result(nil), results...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return indexOf(recall.Patterns, sorted[i].Case.Pattern) < indexOf(recall.Patterns, sorted[j].Case.Pattern)
	})
	for _, r := range sorted {
		c := r.Case
		hit := "MISS"
		if r.Hit {
			hit = "HIT " + shortPosns(r.BuggyIn, r.BuggyRun.Dir)
		} else if len(r.OtherCats) > 0 {
			hit += " (reports " + strings.Join(r.OtherCats, ", ") + " there)"
		}
		clean := "clean"
		if !r.Clean {
			clean = "REPORTED " + shortPosns(r.FixedIn, r.FixedRun.Dir)
			if r.FixedRun.Dir == "" {
				clean = "ERROR"
			}
		}
		namedS := "no"
		if r.Named {
			namedS = "yes"
		}
		fmt.Fprintf(&b, "| [%s](%s) | %s | %s | %s | `%s.%s` | `%s` (%s) | %s %s | %s %s |\n",
			c.ID, c.Fix, c.Pattern, c.Category, c.GOOS, lastElem(c.Package), c.Function, c.API, namedS,
			c.Buggy, hit, c.Fixed, clean)
	}
	fmt.Fprintf(&b, "\n## What each bug is\n\n")
	for _, r := range sorted {
		fmt.Fprintf(&b, "- **%s** (%s): %s.\n", r.Case.ID, r.Case.Fix, strings.TrimSuffix(r.Case.Note, "."))
	}
	var triaged []string
	for _, r := range sorted {
		switch {
		case r.Case.FixedVerdict != "":
			state := "clean now"
			if !r.Clean {
				state = "REPORTED " + shortPosns(r.FixedIn, r.FixedRun.Dir)
			}
			triaged = append(triaged, fmt.Sprintf("- **%s** (%s %s): %s.", r.Case.ID, r.Case.Fixed, state, strings.TrimSuffix(r.Case.FixedVerdict, ".")))
		case !r.Clean:
			triaged = append(triaged, fmt.Sprintf("- **%s** (%s REPORTED %s): not triaged.", r.Case.ID, r.Case.Fixed, shortPosns(r.FixedIn, r.FixedRun.Dir)))
		}
	}
	if len(triaged) > 0 {
		fmt.Fprintf(&b, "\n## Findings in fixed versions\n\n")
		fmt.Fprintf(&b, "What a fixed version is reported for in the case's function, read by hand (`fixed_verdict` in cases.json): a bug the fix left is a true finding, which keeps the version from counting clean.\n\n")
		fmt.Fprintf(&b, "%s\n", strings.Join(triaged, "\n"))
	}
	var probs []string
	for _, r := range results {
		for _, p := range r.Problems {
			probs = append(probs, fmt.Sprintf("- %s: %s", r.Case.ID, p))
		}
	}
	if len(probs) > 0 {
		fmt.Fprintf(&b, "\n## Problems\n\n%s\n", strings.Join(probs, "\n"))
	}
	return b.String()
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

func lastElem(pkg string) string {
	return pkg[strings.LastIndex(pkg, "/")+1:]
}

// shortPosns prints the positions of fs relative to the module directory.
func shortPosns(fs []recall.Finding, dir string) string {
	var ps []string
	for _, f := range fs {
		p := strings.TrimPrefix(f.Posn, dir+string(filepath.Separator))
		ps = append(ps, "`"+p+"`")
	}
	return strings.Join(ps, ", ")
}

func cmdOutput(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil {
		return stderr.String(), err
	}
	return stdout.String(), nil
}

func output(dir string, name string, args ...string) string {
	s, _ := cmdOutput(dir, os.Environ(), name, args...)
	return s
}
