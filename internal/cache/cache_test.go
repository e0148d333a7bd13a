package cache

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

type entry struct {
	Name  string
	Lines []int
}

func key(t *testing.T, c *Cache, parts ...string) Key {
	t.Helper()
	h := c.NewHash("test")
	for _, p := range parts {
		h.String(p)
	}
	return h.Sum()
}

func TestPutGet(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir, []byte("config 1"))
	if err != nil {
		t.Fatal(err)
	}
	k := key(t, c, "a", "b")
	var got entry
	if c.Get(k, &got) {
		t.Fatal("hit in an empty cache")
	}
	want := entry{Name: "x", Lines: []int{1, 2}}
	if err := c.Put(k, want); err != nil {
		t.Fatal(err)
	}
	if !c.Get(k, &got) || got.Name != want.Name || len(got.Lines) != 2 || got.Lines[1] != 2 {
		t.Fatalf("Get = %+v, want %+v", got, want)
	}

	// Inputs are framed: "ab" then "" is not "a" then "b".
	if key(t, c, "ab", "") == k {
		t.Error("two splits of the same bytes have the same key")
	}
	// Another configuration does not meet the entry.
	c2, err := Open(dir, []byte("config 2"))
	if err != nil {
		t.Fatal(err)
	}
	if key(t, c2, "a", "b") == k {
		t.Error("the salt is not in the key")
	}

	// A file's name and contents are in the key.
	file := filepath.Join(t.TempDir(), "f.go")
	fileKey := func() Key {
		h := c.NewHash("test")
		if err := h.File(file); err != nil {
			t.Fatal(err)
		}
		return h.Sum()
	}
	os.WriteFile(file, []byte("package a\n"), 0o644)
	k1 := fileKey()
	os.WriteFile(file, []byte("package b\n"), 0o644)
	if fileKey() == k1 {
		t.Error("a file's contents are not in the key")
	}
	if h := c.NewHash("test"); h.File(filepath.Join(t.TempDir(), "missing.go")) == nil {
		t.Error("a missing file hashed without an error")
	}
}

func TestCorruptEntry(t *testing.T) {
	c, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	k := key(t, c, "a")
	if err := c.Put(k, entry{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.path(k), []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got entry
	if c.Get(k, &got) {
		t.Error("a corrupt entry is a hit")
	}
}

func TestTrim(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	old, recent := key(t, c, "old"), key(t, c, "recent")
	for _, k := range []Key{old, recent} {
		if err := c.Put(k, entry{Name: k.String()}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	long := now.Add(-trimAge - time.Hour)
	os.Chtimes(c.path(old), long, long)
	// Open trims at most once every trimInterval: not now.
	if _, err := Open(dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.path(old)); err != nil {
		t.Fatalf("trimmed within trimInterval of the last trim: %v", err)
	}
	// A day later, it does.
	c.now = func() time.Time { return now.Add(trimInterval + time.Minute) }
	c.trim()
	if _, err := os.Stat(c.path(old)); !os.IsNotExist(err) {
		t.Errorf("an entry unused for %v was not removed (%v)", trimAge, err)
	}
	if _, err := os.Stat(c.path(recent)); err != nil {
		t.Errorf("a recent entry was removed: %v", err)
	}
	// A hit marks an entry as used.
	os.Chtimes(c.path(recent), long, long)
	c.now = time.Now
	var e entry
	if !c.Get(recent, &e) {
		t.Fatal("no hit")
	}
	if fi, err := os.Stat(c.path(recent)); err != nil || time.Since(fi.ModTime()) > time.Hour {
		t.Errorf("a hit did not mark the entry used: %v, %v", fi.ModTime(), err)
	}
}

func TestClean(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	if err := Clean(dir); err != nil {
		t.Errorf("Clean of a missing directory: %v", err)
	}
	c, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put(key(t, c, "a"), entry{}); err != nil {
		t.Fatal(err)
	}
	if err := Clean(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Clean left %s (%v)", dir, err)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "keep"), nil, 0o644)
	if err := Clean(other); err == nil {
		t.Error("Clean removed a directory that is no cache")
	}
	if _, err := os.Stat(filepath.Join(other, "keep")); err != nil {
		t.Errorf("Clean removed what a directory that is no cache holds: %v", err)
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv(EnvDir, "off")
	if dir, err := DefaultDir(); dir != "" || err != nil {
		t.Errorf("DefaultDir with %s=off = %q, %v", EnvDir, dir, err)
	}
	t.Setenv(EnvDir, "rel")
	if dir, err := DefaultDir(); err != nil || !filepath.IsAbs(dir) {
		t.Errorf("DefaultDir with a relative %s = %q, %v", EnvDir, dir, err)
	}
	t.Setenv(EnvDir, "")
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	if runtime.GOOS != "linux" {
		return
	}
	if dir, err := DefaultDir(); dir != "/xdg/handlecheck" || err != nil {
		t.Errorf("DefaultDir with XDG_CACHE_HOME=/xdg = %q, %v; want /xdg/handlecheck", dir, err)
	}
}
