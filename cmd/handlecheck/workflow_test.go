package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

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

// TestWorkflowForks checks that the workflow skips the SARIF upload on
// pull requests from forks, whose token cannot write, and that the step
// that fails the job on findings runs there all the same.
func TestWorkflowForks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "handlecheck.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Name            string
				If              string
				Run             string
				Uses            string
				ContinueOnError any `yaml:"continue-on-error"`
			}
		}
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	var upload, check bool
	for _, step := range wf.Jobs["handlecheck"].Steps {
		switch {
		case strings.HasPrefix(step.Uses, "github/codeql-action/upload-sarif"):
			upload = true
			for _, want := range []string{"github.event_name != 'pull_request'", "github.event.pull_request.head.repo.full_name == github.repository", "always()"} {
				if !strings.Contains(step.If, want) {
					t.Errorf("the upload step's condition %q lacks %q", step.If, want)
				}
			}
		case strings.Contains(step.Run, `handlecheck "${args[@]}" ./...`):
			check = true
			if step.If != "" || step.ContinueOnError != nil {
				t.Errorf("the step that fails on findings is conditional or may fail: if %q, continue-on-error %v", step.If, step.ContinueOnError)
			}
		}
	}
	if !upload || !check {
		t.Errorf("upload step found: %v, check step found: %v", upload, check)
	}
}

// TestInstallDocs checks that the install instructions work from a clone:
// go install ./cmd/handlecheck, as the README and the workflow say, and
// that no document tells users to install @latest, which cannot work
// before a version is published.
func TestInstallDocs(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, doc := range []string{"README.md", "docs/ci.md", "docs/golangci-lint.md", ".github/workflows/handlecheck.yml"} {
		data, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range regexp.MustCompile(`(?m)^.*(cmd/handlecheck@latest|version: latest|HANDLECHECK_VERSION: latest).*$`).FindAllString(string(data), -1) {
			if !strings.Contains(bad, "not work") {
				t.Errorf("%s: %q installs a version that is not published", doc, strings.TrimSpace(bad))
			}
		}
	}
	gobin := t.TempDir()
	cmd := exec.Command("go", "install", "./cmd/handlecheck")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install ./cmd/handlecheck: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(gobin, "handlecheck"), "-version").Output()
	if err != nil || !strings.HasPrefix(string(out), "handlecheck ") {
		t.Errorf("the installed handlecheck -version: %v %q", err, out)
	}
}
