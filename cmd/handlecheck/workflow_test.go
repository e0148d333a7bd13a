package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// actionlint is the pinned version of the GitHub Actions linter.
const actionlint = "v1.7.12"

// TestWorkflow lints the workflow users copy,
// .github/workflows/handlecheck.yml, with actionlint from the module proxy.
func TestWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads and builds actionlint: skipped with -short")
	}
	testenv.NeedProxy(t, "github.com/rhysd/actionlint", actionlint)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	workflow := filepath.Join(".github", "workflows", "handlecheck.yml")
	cmd := exec.Command("go", "run", "github.com/rhysd/actionlint/cmd/actionlint@"+actionlint, "-no-color", workflow)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint %s: %v\n%s", workflow, err, out)
	}
}
