// Package baseline records a run's findings so that later runs report only
// new ones.
//
// A finding is keyed by its category, its file (relative to the directory
// the run is based in, with forward slashes), the function declaration
// that holds it, and its message with line numbers taken out. Edits that
// move a finding, such as lines added above it, do not change its key. The
// baseline keeps a count per key: if a function gains a second identical
// finding, the second is new.
package baseline

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/handlecheck/handlecheck/internal/driver"
)

// Version is the format version written to and required of baseline files.
const Version = 1

// A Key identifies a finding across edits that move it.
type Key struct {
	Category string `json:"category"`
	File     string `json:"file"`
	Func     string `json:"func,omitempty"`
	Message  string `json:"message"`
}

// An Entry is a key and how many findings had it.
type Entry struct {
	Key
	Count int `json:"count"`
}

// A File is a baseline file.
type File struct {
	Version  int     `json:"version"`
	Tool     string  `json:"tool"`
	Findings []Entry `json:"findings"`
}

// lineRefs matches what ties a message to line numbers.
var lineRefs = regexp.MustCompile(`\bline \d+|\.go:\d+(:\d+)?`)

// KeyOf is the key of f in a run based in dir.
func KeyOf(f driver.Finding, dir string) Key {
	msg := lineRefs.ReplaceAllStringFunc(f.Message, func(s string) string {
		if s[0] == '.' {
			return ".go"
		}
		return "line N"
	})
	return Key{Category: f.Category, File: RelPath(f.Posn.Filename, dir), Func: f.Func, Message: msg}
}

// Hash is a short stable digest of k.
func (k Key) Hash() string {
	h := sha256.New()
	for _, s := range []string{k.Category, k.File, k.Func, k.Message} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// RelPath is file relative to dir with forward slashes, or file itself
// (with forward slashes) when it is not inside dir.
func RelPath(file, dir string) string {
	if rel, err := filepath.Rel(dir, file); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(file)
}

// Keys returns the key of each finding and its ordinal among the findings
// with that key (1 for the first in position order).
func Keys(findings []driver.Finding, dir string) (keys []Key, ordinals []int) {
	n := map[Key]int{}
	for _, f := range findings {
		k := KeyOf(f, dir)
		n[k]++
		keys = append(keys, k)
		ordinals = append(ordinals, n[k])
	}
	return keys, ordinals
}

// New records findings, from a run based in dir.
func New(findings []driver.Finding, dir string) *File {
	count := map[Key]int{}
	keys, _ := Keys(findings, dir)
	for _, k := range keys {
		count[k]++
	}
	b := &File{Version: Version, Tool: "handlecheck", Findings: []Entry{}}
	for k, n := range count {
		b.Findings = append(b.Findings, Entry{Key: k, Count: n})
	}
	slices.SortFunc(b.Findings, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Func, y.Func),
			cmp.Compare(x.Category, y.Category), cmp.Compare(x.Message, y.Message))
	})
	return b
}

// Filter returns the findings that b does not record: for each key, those
// past the count b has for it.
func (b *File) Filter(findings []driver.Finding, dir string) []driver.Finding {
	known := map[Key]int{}
	for _, e := range b.Findings {
		known[e.Key] += e.Count
	}
	keys, ordinals := Keys(findings, dir)
	var fresh []driver.Finding
	for i, f := range findings {
		if ordinals[i] > known[keys[i]] {
			fresh = append(fresh, f)
		}
	}
	return fresh
}

// Read reads a baseline file.
func Read(name string) (*File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var b File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline %s: version %d, want %d", name, b.Version, Version)
	}
	return &b, nil
}

// Write writes b to name.
func (b *File) Write(name string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(data, '\n'), 0o644)
}
