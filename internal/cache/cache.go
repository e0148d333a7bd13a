// Package cache is handlecheck's on-disk cache of analysis results: a
// directory of gob-encoded entries, each named by the hash of everything
// that went into it.
//
// The cache knows nothing about packages or rules: its user builds a Key
// with a Hash from all the inputs of a result (file contents, the keys of
// the results it depends on, the configuration), so that an entry is never
// stale, only unused. Entries that have not been used for a while are
// removed now and then, as the go command trims its build cache.
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// EnvDir is the environment variable that names the cache directory. "off"
// turns the cache off.
const EnvDir = "HANDLECHECK_CACHE"

// DefaultDir is the cache directory: $HANDLECHECK_CACHE, or handlecheck
// under os.UserCacheDir. It is "" when the cache is off.
func DefaultDir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		if dir == "off" {
			return "", nil
		}
		return filepath.Abs(dir)
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory: %v (set %s)", err, EnvDir)
	}
	return filepath.Join(dir, "handlecheck"), nil
}

// A Cache is a directory of entries for one configuration: its salt is
// hashed into every key, so that caches of different configurations (a
// new handlecheck, other rules) share the directory without meeting.
type Cache struct {
	dir  string
	salt [sha256.Size]byte
	now  func() time.Time
}

// Open opens (creating it if need be) the cache in dir, for the
// configuration described by salt.
func Open(dir string, salt []byte) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	c := &Cache{dir: dir, salt: sha256.Sum256(salt), now: time.Now}
	c.trim()
	return c, nil
}

// Dir is the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// A Key names an entry.
type Key [sha256.Size]byte

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// A Hash builds a Key from the inputs of a result. Each input is written
// with its length, so that the concatenation of two inputs never collides
// with another split of the same bytes.
type Hash struct {
	h hash.Hash
}

// NewHash starts a key of the given kind, salted with c's configuration.
func (c *Cache) NewHash(kind string) *Hash {
	h := &Hash{h: sha256.New()}
	h.h.Write(c.salt[:])
	h.String(kind)
	return h
}

// String adds s.
func (h *Hash) String(s string) { h.Bytes([]byte(s)) }

// Bytes adds b.
func (h *Hash) Bytes(b []byte) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	h.h.Write(n[:])
	h.h.Write(b)
}

// Key adds another key.
func (h *Hash) Key(k Key) { h.Bytes(k[:]) }

// File adds the name and the contents of a file.
func (h *Hash) File(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	fh := sha256.New()
	if _, err := io.Copy(fh, f); err != nil {
		return err
	}
	h.String(name)
	h.Bytes(fh.Sum(nil))
	return nil
}

// Sum is the key.
func (h *Hash) Sum() Key {
	var k Key
	h.h.Sum(k[:0])
	return k
}

func (c *Cache) path(k Key) string {
	s := k.String()
	return filepath.Join(c.dir, s[:2], s+"-r")
}

// Get decodes the entry k into v, a pointer, and reports whether there was
// one. An entry that does not decode is no entry.
func (c *Cache) Get(k Key, v any) bool {
	name := c.path(k)
	data, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(v); err != nil {
		return false
	}
	c.used(name)
	return true
}

// Put stores v as the entry k. Concurrent runs may store the same entry:
// each writes a file of its own and renames it into place.
func (c *Cache) Put(k Key, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	name := c.path(k)
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Entries that have not been used for trimAge are removed, at most once
// every trimInterval. An entry's modification time is its last use, give
// or take usedInterval.
const (
	trimAge      = 5 * 24 * time.Hour
	trimInterval = 24 * time.Hour
	usedInterval = time.Hour
)

// used marks the entry name as used now.
func (c *Cache) used(name string) {
	now := c.now()
	if fi, err := os.Stat(name); err == nil && now.Sub(fi.ModTime()) > usedInterval {
		os.Chtimes(name, now, now)
	}
}

// trim removes the entries unused for trimAge, unless it did so within
// trimInterval.
func (c *Cache) trim() {
	stamp := filepath.Join(c.dir, "trim.txt")
	now := c.now()
	if fi, err := os.Stat(stamp); err == nil && now.Sub(fi.ModTime()) < trimInterval {
		return
	}
	if err := os.WriteFile(stamp, []byte(now.UTC().Format(time.RFC3339)+"\n"), 0o666); err != nil {
		return
	}
	subdirs, _ := os.ReadDir(c.dir)
	for _, sub := range subdirs {
		if !sub.IsDir() || len(sub.Name()) != 2 {
			continue
		}
		dir := filepath.Join(c.dir, sub.Name())
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), "-r") && !strings.HasPrefix(e.Name(), ".tmp-") {
				continue
			}
			if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > trimAge {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}

// Clean removes every entry of the cache in dir, and the directory.
func Clean(dir string) error {
	if dir == "" {
		return errors.New("no cache directory")
	}
	if _, err := os.Stat(filepath.Join(dir, "trim.txt")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
				return nil // nothing to clean
			}
		}
		// Not a directory this package made: do not remove what it holds.
		return fmt.Errorf("%s does not look like a handlecheck cache (no trim.txt); not removed", dir)
	}
	return os.RemoveAll(dir)
}
