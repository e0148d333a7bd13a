package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigKey checks that the cache's configuration key changes with
// the build of handlecheck, the contents of a rules file and the rules
// flags, and with nothing else.
func TestConfigKey(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	write := func(s string) {
		if err := os.WriteFile(rules, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("owned: []\n")
	defer func(id string) { testBuildID = id }(testBuildID)
	key := func(build string, flags ...[2]string) string {
		t.Helper()
		testBuildID = build
		k, ok := configKey(&config{analyzerFlags: flags})
		if !ok {
			t.Fatalf("no key for %q", flags)
		}
		return string(k)
	}
	withRules := [2]string{"rules", rules}
	base := key("v1", withRules)
	if key("v1", withRules) != base {
		t.Error("the key changed with nothing changed")
	}
	if key("v2", withRules) == base {
		t.Error("the key did not change with the build")
	}
	if key("v1") == base || key("v1", withRules, [2]string{"no-default-rules", "true"}) == base {
		t.Error("the key did not change with the rules flags")
	}
	write("owned: [] # edited\n")
	if key("v1", withRules) == base {
		t.Error("the key did not change with the rules file's contents")
	}
	os.Remove(rules)
	testBuildID = "v1"
	if _, ok := configKey(&config{analyzerFlags: [][2]string{withRules}}); ok {
		t.Error("a key without the rules file: the run would use the cache while the analyzer reports the missing file")
	}
	testBuildID = ""
	if id, err := buildID(); err != nil || id == "" {
		t.Errorf("buildID() = %q, %v", id, err)
	}
}
