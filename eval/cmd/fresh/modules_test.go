package main

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v4"
)

// TestModulesFile: every set of fresh/modules.yaml loads, every entry names
// a module, a version, a side and why it was chosen, no module is in two
// sets (each set is a first contact), and set M is reserved with 12
// windows-side and 12 linux-side modules. Nothing is run.
func TestModulesFile(t *testing.T) {
	const file = "../../fresh/modules.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sets map[string][]Module `yaml:"sets"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{} // module -> set
	for set := range doc.Sets {
		mods, _, err := loadSet(file, set)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mods {
			if m.Side == "" || m.Why == "" {
				t.Errorf("set %s, %s: side and why are required", set, m.Module)
			}
			if !slices.Contains([]string{"windows", "linux", "both"}, m.Side) {
				t.Errorf("set %s, %s: side %q", set, m.Module, m.Side)
			}
			if other, ok := seen[m.Module]; ok {
				t.Errorf("%s is in sets %s and %s", m.Module, other, set)
			}
			seen[m.Module] = set
		}
	}
	mods, reserved, err := loadSet(file, "M")
	if err != nil {
		t.Fatal(err)
	}
	if !reserved {
		t.Error("set M is not reserved")
	}
	var win, linux int
	for _, m := range mods {
		switch m.Side {
		case "windows":
			win++
		case "linux":
			linux++
		}
	}
	if win != 12 || linux != 12 {
		t.Errorf("set M: %d windows-side and %d linux-side modules, want 12 and 12", win, linux)
	}
}
