// Package testenv holds what tests share: NeedProxy lets tests that need
// the Go module proxy skip, with a clear message, where it cannot be
// reached; RunAnalyzer and its helpers run the analyzer on the test module
// testdata/src for the packages of analyzer tests (analyzer, and the test
// binaries split from it so that none comes near go test's timeout).
package testenv

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// NeedProxy skips t unless the first module proxy in GOPROXY answers for
// module at version (for example "github.com/rhysd/actionlint",
// "v1.7.12"). It is for tests that download modules.
func NeedProxy(t testing.TB, module, version string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		t.Fatalf("go env GOPROXY: %v", err)
	}
	setting := strings.TrimSpace(string(out))
	proxy := ""
	for _, p := range strings.FieldsFunc(setting, func(r rune) bool { return r == ',' || r == '|' }) {
		if p != "direct" && p != "off" {
			proxy = p
			break
		}
	}
	if proxy == "" {
		t.Skipf("GOPROXY=%s names no module proxy: cannot download %s", setting, module)
	}
	url := strings.TrimSuffix(proxy, "/") + "/" + escape(module) + "/@v/" + version + ".info"
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Skipf("module proxy unreachable (%v): cannot download %s", err, module)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("module proxy answered %s for %s: cannot download %s", resp.Status, url, module)
	}
}

// escape is the module proxy protocol's case encoding: each capital
// letter becomes "!" and its lower case.
func escape(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
