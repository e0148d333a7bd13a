package rules

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// errorLine is one line of an error from Parse or Merge.
var errorLine = regexp.MustCompile(`^fuzz\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S`)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		validRules,
		condRules,
		userRules,
		billionLaughs,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		"owned: []\nowned: []\n",
		"owned:\n  - func: os.Open\n    func: os.Create\n",
		"noreturn:\n  - func: os.Ex\xffit\n",
		"\xff\xfeo\x00w\x00n\x00e\x00d\x00:\x00",
		strings.Repeat("k", 5000) + ": 1\n",
		"owned:\n\t- func: os.Exit\n",
		"owned:\n  - func: os.Open\n    resource: file\n    out: two\n    error-gate: yes\n",
		"owned: {func: os.Open}\nresources: x\n",
		"uses:\n  - &u {package: os}\n  - *u\n",
		"a: 1\n---\nb: 2\n",
		"owned:\n  - func: os.Open\n    resource: nosuch\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Parse in a goroutine so that a hang fails (and saves) the input
		// instead of stalling the fuzzer.
		done := make(chan error, 1)
		start := time.Now()
		go func() {
			file, err := Parse("fuzz.yaml", data)
			if err == nil {
				_, err = Merge(file)
			}
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse hangs")
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("Parse and Merge took %v", d)
		}
		if err == nil {
			return
		}
		for line := range strings.SplitSeq(err.Error(), "\n") {
			if !errorLine.MatchString(line) {
				t.Errorf("error line %q does not start with fuzz.yaml:<line>:<col>: ", line)
			}
			if strings.Contains(line, "panicked") {
				t.Errorf("yaml parser panicked: %s", line)
			}
		}
	})
}
