// Command sidebyside measures handlecheck next to staticcheck and go vet,
// as CI runs them: a cold run (fresh caches for all three: the go
// command's build cache and the tool's own) and a warm run (the same
// command again, nothing changed), for each target, one tool after the
// other. It writes a Markdown table of wall time, CPU time (user+sys) and
// peak RSS, as /usr/bin/time -v reports them, with the load average of the
// machine before each run.
//
// Usage, from the eval directory:
//
//	go run ./cmd/sidebyside [-only std,module] [-o table.md]
//
// The targets are std (GOOS=windows, test files off where the tool can
// turn them off: go vet cannot) and one corpus module's package,
// github.com/kardianos/service (GOOS=windows, test files on). handlecheck
// is built from the repository, staticcheck v0.8.2 installed from the
// module proxy into a temporary directory.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

const staticcheckVersion = "v0.8.2"

type target struct {
	name string
	// args per tool, after the tool's name.
	hc, sc, vet []string
	note        string
}

var targets = []target{
	{
		name: "std",
		hc:   []string{"-goos=windows", "-test=false", "std"},
		sc:   []string{"-tests=false", "std"},
		vet:  []string{"vet", "std"},
		note: "GOOS=windows; test files off for handlecheck and staticcheck (go vet has no such flag)",
	},
	{
		name: "module",
		hc:   []string{"-goos=windows", "github.com/kardianos/service"},
		sc:   []string{"github.com/kardianos/service"},
		vet:  []string{"vet", "github.com/kardianos/service"},
		note: "github.com/kardianos/service v1.3.0 (one package), GOOS=windows, test files on",
	},
}

// A measure is one run of one tool.
type measure struct {
	wall, cpu float64 // seconds
	rssMB     float64
	exit      int
	load      string // the 1-minute load average before the run
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("sidebyside: ")
	only := flag.String("only", "", "comma-separated targets (std, module); all when empty")
	out := flag.String("o", "", "write the table to `file` too")
	hc := flag.String("handlecheck", "", "handlecheck binary; built from the repository when empty")
	sc := flag.String("staticcheck", "", "staticcheck binary; staticcheck "+staticcheckVersion+" installed into a temporary directory when empty")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "sidebyside")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if *hc == "" {
		*hc = filepath.Join(tmp, "handlecheck")
		mustRun("..", nil, "go", "build", "-o", *hc, "./cmd/handlecheck")
	}
	if *sc == "" {
		bin := filepath.Join(tmp, "bin")
		mustRun(tmp, []string{"GOBIN=" + bin, "GOFLAGS=-mod=mod"}, "go", "install", "honnef.co/go/tools/cmd/staticcheck@"+staticcheckVersion)
		*sc = filepath.Join(bin, "staticcheck")
	}
	cores := runtime.NumCPU()

	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %d cores with `go run ./cmd/sidebyside` (eval/): wall and CPU (user+sys) seconds and peak RSS of each run (/usr/bin/time -v; for go vet, its largest process), with the 1-minute load average just before it. Cold: fresh build cache and tool cache; warm: the same command again.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), cores)
	fmt.Fprintf(&b, "| target | tool | cold wall | cold CPU | cold RSS | warm wall | warm CPU | warm RSS | exit (cold, warm) | load (cold, warm) |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|---|\n")
	for _, t := range targets {
		if *only != "" && !strings.Contains(","+*only+",", ","+t.name+",") {
			continue
		}
		tools := []struct {
			name string
			run  func(cache string) measure
		}{
			{"handlecheck", func(cache string) measure {
				return timed(cache, []string{"HANDLECHECK_CACHE=" + filepath.Join(cache, "tool")}, *hc, t.hc...)
			}},
			{"handlecheck -cache=false", func(cache string) measure {
				return timed(cache, nil, *hc, append([]string{"-cache=false"}, t.hc...)...)
			}},
			{"staticcheck " + staticcheckVersion, func(cache string) measure {
				return timed(cache, []string{"STATICCHECK_CACHE=" + filepath.Join(cache, "tool")}, *sc, t.sc...)
			}},
			{"go vet", func(cache string) measure {
				return timed(cache, nil, "go", t.vet...)
			}},
		}
		for i, tool := range tools {
			cache := filepath.Join(tmp, fmt.Sprintf("%s-%d", t.name, i))
			cold := tool.run(cache)
			warm := tool.run(cache)
			log.Printf("%s %s: cold %.1fs wall %.1fs CPU %.0f MB, warm %.2fs wall %.2fs CPU %.0f MB", t.name, tool.name, cold.wall, cold.cpu, cold.rssMB, warm.wall, warm.cpu, warm.rssMB)
			fmt.Fprintf(&b, "| %s | %s | %.2f s | %.2f s | %.0f MB | %.2f s | %.2f s | %.0f MB | %d, %d | %s, %s |\n",
				t.name, tool.name, cold.wall, cold.cpu, cold.rssMB, warm.wall, warm.cpu, warm.rssMB, cold.exit, warm.exit, cold.load, warm.load)
			os.RemoveAll(cache)
		}
	}
	b.WriteString("\n")
	for _, t := range targets {
		if *only == "" || strings.Contains(","+*only+",", ","+t.name+",") {
			fmt.Fprintf(&b, "- %s: %s.\n", t.name, t.note)
		}
	}
	fmt.Print(b.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// timed runs name with args from the eval directory under /usr/bin/time
// -v, for GOOS=windows, with the build cache in cache/go. Exit codes are
// recorded, not checked: the tools report findings in std.
func timed(cache string, env []string, name string, args ...string) measure {
	m := measure{load: loadavg()}
	env = append([]string{"GOOS=windows", "GOCACHE=" + filepath.Join(cache, "go")}, env...)
	cmd := exec.Command("/usr/bin/time", append([]string{"-v", name}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	m.wall = time.Since(start).Seconds()
	if exit, ok := err.(*exec.ExitError); ok {
		m.exit = exit.ExitCode()
	} else if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	var user, sys float64
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch k {
		case "User time (seconds)":
			user, _ = strconv.ParseFloat(v, 64)
		case "System time (seconds)":
			sys, _ = strconv.ParseFloat(v, 64)
		case "Maximum resident set size (kbytes)":
			kb, _ := strconv.ParseFloat(v, 64)
			m.rssMB = kb / 1024
		}
	}
	m.cpu = user + sys
	if m.rssMB == 0 {
		log.Fatalf("%s %s: no figures from /usr/bin/time:\n%s", name, strings.Join(args, " "), stderr.String())
	}
	return m
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func mustRun(dir string, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
