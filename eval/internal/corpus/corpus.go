// Package corpus is handlecheck's real-world evaluation corpus, shared by
// cmd/evalrun and cmd/sidebyside: the modules pinned in ../../go.mod (kept
// there by tools.go) and the standard library, and which of their packages
// the tools are given for one GOOS.
package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// An Entry is one module of the corpus (or the standard library).
type Entry struct {
	Name   string // module path, or "std"
	Module string // module path whose packages are analyzed; "" for std
}

// Entries is the corpus, in report order. The versions are those of
// eval/go.mod.
var Entries = []Entry{
	{"golang.org/x/sys", "golang.org/x/sys"},
	{"github.com/Microsoft/go-winio", "github.com/Microsoft/go-winio"},
	{"github.com/Microsoft/hcsshim", "github.com/Microsoft/hcsshim"},
	{"github.com/shirou/gopsutil/v4", "github.com/shirou/gopsutil/v4"},
	{"github.com/prometheus-community/windows_exporter", "github.com/prometheus-community/windows_exporter"},
	{"github.com/kardianos/service", "github.com/kardianos/service"},
	{"github.com/alexbrainman/sspi", "github.com/alexbrainman/sspi"},
	{"golang.zx2c4.com/wireguard/windows", "golang.zx2c4.com/wireguard/windows"},
	{"golang.zx2c4.com/wireguard", "golang.zx2c4.com/wireguard"},
	{"github.com/containerd/console", "github.com/containerd/console"},
	{"github.com/fsnotify/fsnotify", "github.com/fsnotify/fsnotify"},
	{"github.com/vishvananda/netlink", "github.com/vishvananda/netlink"},
	{"github.com/vishvananda/netns", "github.com/vishvananda/netns"},
	{"github.com/opencontainers/runc", "github.com/opencontainers/runc"},
	{"std", ""},
}

// GOOSes are the GOOS values the corpus is analyzed for.
var GOOSes = []string{"windows", "linux"}

// Select returns the entries named in names (all of them when names is
// empty), in the order given.
func Select(names []string) ([]Entry, error) {
	if len(names) == 0 {
		return Entries, nil
	}
	var out []Entry
	for _, name := range names {
		found := false
		for _, e := range Entries {
			if e.Name == name {
				out = append(out, e)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%s is not in the corpus", name)
		}
	}
	return out, nil
}

// A LoadError is a package that does not load, with go list's error;
// Dependency marks an error in a dependency of the package.
type LoadError struct {
	Package    string `json:"package"`
	Error      string `json:"error"`
	Dependency bool   `json:"dependency,omitempty"`
}

// Packages is what the tools are given for one entry and GOOS.
type Packages struct {
	Pattern string   // MODULE/..., or std
	All     []string // the module's packages matched by Pattern
	Foreign int      // packages of other modules matched by Pattern
	Errors  []LoadError
}

// Args are the package arguments of the tools: Pattern, or, when Pattern
// also matches packages of other modules (golang.zx2c4.com/wireguard/...
// matches golang.zx2c4.com/wireguard/windows), the module's packages by
// name.
func (p *Packages) Args() []string {
	if p.Foreign > 0 {
		return p.All
	}
	return []string{p.Pattern}
}

// List lists the packages of e for the environment env (GOOS=...), from
// the current directory (the eval module), and the packages that do not
// load, with their errors.
func List(env []string, e Entry) (*Packages, error) {
	p := &Packages{Pattern: "std"}
	if e.Module != "" {
		p.Pattern = e.Module + "/..."
	}
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Module,Error,DepsErrors,Incomplete", p.Pattern)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v: %s", p.Pattern, err, firstLines(stderr.String(), 10))
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var pkg struct {
			ImportPath string
			Module     *struct{ Path string }
			Error      *struct{ Err string }
			DepsErrors []*struct {
				ImportStack []string
				Err         string
			}
		}
		if err := dec.Decode(&pkg); err != nil {
			return nil, err
		}
		if e.Module != "" && (pkg.Module == nil || pkg.Module.Path != e.Module) {
			p.Foreign++
			continue
		}
		p.All = append(p.All, pkg.ImportPath)
		if pkg.Error != nil {
			p.Errors = append(p.Errors, LoadError{Package: pkg.ImportPath, Error: pkg.Error.Err})
		}
		seen := map[string]bool{}
		for _, d := range pkg.DepsErrors {
			if seen[d.Err] {
				continue
			}
			seen[d.Err] = true
			p.Errors = append(p.Errors, LoadError{Package: pkg.ImportPath, Error: d.Err, Dependency: true})
		}
	}
	return p, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
