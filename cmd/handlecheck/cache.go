package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/internal/cache"
	"github.com/handlecheck/handlecheck/rules"
)

// openCache opens the cache of results for this run's configuration: this
// handlecheck and its rules. It returns nil, and the run analyzes
// everything, when the cache is off or a rules file cannot be read (the
// analyzer then reports why).
func openCache(c *config, stderr io.Writer) *cache.Cache {
	if !c.cache {
		return nil
	}
	dir, err := cache.DefaultDir()
	if err != nil {
		fmt.Fprintf(stderr, "handlecheck: warning: cache off: %v\n", err)
		return nil
	}
	if dir == "" {
		return nil
	}
	salt, ok := configKey(c)
	if !ok {
		return nil
	}
	cc, err := cache.Open(dir, salt)
	if err != nil {
		fmt.Fprintf(stderr, "handlecheck: warning: cache off: %v\n", err)
		return nil
	}
	return cc
}

// testBuildID, when set by tests, stands for the build of handlecheck.
var testBuildID string

// configKey describes what, besides the packages, decides the results:
// the build of handlecheck (its version, or the executable's hash for a
// development build) and the contents of the rules.
func configKey(c *config) ([]byte, bool) {
	var b bytes.Buffer
	id := testBuildID
	if id == "" {
		var err error
		if id, err = buildID(); err != nil {
			return nil, false
		}
	}
	fmt.Fprintf(&b, "handlecheck %s\n", id)
	fmt.Fprintf(&b, "default rules %x\n", sha256.Sum256(handlecheck.DefaultRules))
	for _, f := range c.analyzerFlags {
		fmt.Fprintf(&b, "-%s=%q\n", f[0], f[1])
		if f[0] != "rules" {
			continue
		}
		for _, name := range strings.Split(f[1], ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			data, err := rules.ReadFile(name)
			if err != nil {
				return nil, false // the analyzer reports it
			}
			fmt.Fprintf(&b, "rules %q %x\n", name, sha256.Sum256(data))
		}
	}
	return b.Bytes(), true
}

// buildID identifies this build of handlecheck: the module versions it was
// built from when they name a commit and nothing else was changed, else
// the hash of the executable.
func buildID() (string, error) {
	if info, ok := debug.ReadBuildInfo(); ok && released(info.Main.Version) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s@%s %s %s/%s", info.Main.Path, info.Main.Version, info.GoVersion, runtime.GOOS, runtime.GOARCH)
		for _, d := range info.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			fmt.Fprintf(&b, " %s@%s/%s", d.Path, d.Version, d.Sum)
		}
		return b.String(), nil
	}
	id, err := executableID()
	if err != nil {
		return "", err
	}
	return "exe " + id, nil
}

// released reports whether v is a module version that names one source
// tree: not a development build, not a build with uncommitted changes.
func released(v string) bool {
	return v != "" && v != "(devel)" && !strings.Contains(v, "+dirty")
}

// cleanCache is -clean-cache: it removes the cache directory.
func cleanCache(stderr io.Writer) int {
	dir, err := cache.DefaultDir()
	if err == nil && dir != "" {
		err = cache.Clean(dir)
	}
	if err != nil {
		fmt.Fprintf(stderr, "handlecheck: %v\n", err)
		return 1
	}
	return 0
}
