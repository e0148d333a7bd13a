// Command win32rules writes rules_win32.yaml, handlecheck's rules for Win32
// procedures called natively (dll!Proc), from two sources:
//
//  1. x/sys's own procedures: every owned, borrowed and release rule of
//     rules.yaml on a golang.org/x/sys/windows (or windows/registry, ...) or
//     syscall function holds for the procedure that function calls
//     (windows.CreateFile is kernel32.dll!CreateFileW). The generator reads
//     the procedure tables and wrapper bodies of the zsyscall_windows.go
//     files of the x/sys in go.mod and of the Go toolchain's syscall, to
//     learn which Go parameter is which native argument, which result is the
//     return value and what the wrapper tests for success.
//  2. Microsoft's Win32 metadata (github.com/microsoft/win32metadata, MIT),
//     through win32api.txt: for every exported function that returns, or
//     writes through an _Out_ parameter, a handle type with a close
//     function, an owned rule (borrowed for [DoNotRelease]).
//
// Run it from the module root:
//
//	go run ./internal/cmd/win32rules                       # rules_win32.yaml from win32api.txt
//	go run ./internal/cmd/win32rules -metadata=DIR -extract # first re-extract win32api.txt
//
// DIR is a git directory of win32metadata (a clone's .git, or a bare
// snapshot); -commit picks the commit (default HEAD). Only its data is
// read: autoTypes.json, emitter.settings.rsp, manual/*.cs, libMappings*.rsp
// and the headers under RecompiledIdlHeaders and AdditionalHeaders. The
// commit and date are recorded in win32api.txt and in the output's header.
//
// win32api.txt, one fact a line:
//
//	source <origin> <commit> <date>
//	type <C type> <close function> <autoTypes|overlay> [<dll>=<close>...]
//	closer <close function> <dll> <handle argument>
//	func <dll> <function> <return type> <slot>...
//
// A slot is return:<type> or out<N>:<type>, then =<close function>
// (owned) or ! (borrowed, [DoNotRelease]).
//
// A test in this package fails while the committed rules_win32.yaml differs
// from what this command writes, and another while win32api.txt differs
// from what -extract writes (it skips without a snapshot:
// HANDLECHECK_WIN32METADATA names one).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

const (
	factsFile = "internal/cmd/win32rules/win32api.txt"
	outFile   = "rules_win32.yaml"
)

func main() {
	root := flag.String("root", ".", "the module root")
	meta := flag.String("metadata", "", "git directory of a win32metadata snapshot (for -extract)")
	commit := flag.String("commit", "HEAD", "the commit of -metadata to read")
	doExtract := flag.Bool("extract", false, "re-extract "+factsFile+" from -metadata first")
	flag.Parse()
	if err := run(*root, *meta, *commit, *doExtract); err != nil {
		fmt.Fprintln(os.Stderr, "win32rules:", err)
		os.Exit(1)
	}
}

func run(root, meta, commit string, doExtract bool) error {
	factsPath := filepath.Join(root, filepath.FromSlash(factsFile))
	if doExtract {
		if meta == "" {
			return fmt.Errorf("-extract needs -metadata")
		}
		data, err := extractFacts(meta, commit)
		if err != nil {
			return err
		}
		if err := os.WriteFile(factsPath, data, 0o644); err != nil {
			return err
		}
	}
	out, err := generateFrom(root)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, outFile), out, 0o644)
}

// extractFacts reads a snapshot and formats win32api.txt.
func extractFacts(gitDir, commit string) ([]byte, error) {
	s := &snapshot{gitDir: gitDir}
	full, err := s.git("rev-parse", commit+"^{commit}")
	if err != nil {
		return nil, err
	}
	s.commit = strings.TrimSpace(string(full))
	ft, err := extract(s)
	if err != nil {
		return nil, err
	}
	return ft.format(), nil
}

// generateFrom makes rules_win32.yaml from the files under root, the x/sys
// of root's go.mod and the toolchain's syscall.
func generateFrom(root string) ([]byte, error) {
	rulesData, err := os.ReadFile(filepath.Join(root, "rules.yaml"))
	if err != nil {
		return nil, err
	}
	factsData, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(factsFile)))
	if err != nil {
		return nil, err
	}
	ft, err := parseFacts(factsFile, factsData)
	if err != nil {
		return nil, err
	}
	dir, version, err := xsysDir(root)
	if err != nil {
		return nil, err
	}
	dirs := map[string]string{
		"syscall": filepath.Join(runtime.GOROOT(), "src", "syscall"),
	}
	for _, p := range []string{"windows", "windows/registry", "windows/svc/eventlog", "windows/svc/mgr"} {
		d := filepath.Join(dir, filepath.FromSlash(p))
		if _, err := os.Stat(filepath.Join(d, "zsyscall_windows.go")); err == nil {
			dirs["golang.org/x/sys/"+p] = d
		}
	}
	ws, consts, err := xsysTables(dirs)
	if err != nil {
		return nil, err
	}
	return generate(inputs{rulesName: "rules.yaml", rules: rulesData, wrappers: ws, consts: consts, xsys: version, facts: ft})
}

// xsysDir returns the directory and version of golang.org/x/sys in root's
// build list.
func xsysDir(root string) (string, string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", "golang.org/x/sys")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("go list -m golang.org/x/sys: %v: %s", err, stderr.String())
	}
	f := strings.Fields(string(out))
	if len(f) != 2 || f[0] == "" {
		return "", "", fmt.Errorf("go list -m golang.org/x/sys: %q (is it downloaded? go mod download)", out)
	}
	return f[0], f[1], nil
}
