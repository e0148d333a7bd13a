package rules

import (
	"fmt"
	"go/constant"
	"go/token"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// knownGOOS lists the GOOS values of `go tool dist list` (Go 1.26).
var knownGOOS = []string{
	"aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js",
	"linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows",
}

// testOps are the keys of a when test that say how it compares, in the
// order messages list them.
var testOps = []TestOp{Equals, NotEquals, HasBits, LacksBits, From}

// cond parses the when and goos keys of a rule into c. It reports whether
// they are valid (or absent).
func (p *parser) cond(f map[string]*yaml.Node, c *Cond) bool {
	ok := true
	if g, has := f["goos"]; has {
		s, sOK := p.str(g, "goos")
		switch {
		case !sOK:
			ok = false
		case !slices.Contains(knownGOOS, s):
			p.errorf(g, "goos: unknown GOOS %s (want one of %s)", quote(s), strings.Join(knownGOOS, ", "))
			ok = false
		}
		c.GOOS = s
	}
	w, has := f["when"]
	if !has {
		return ok
	}
	if !p.check(w, "when", "a non-empty list of tests", yaml.SequenceNode, "") {
		return false
	}
	if len(w.Content) == 0 {
		p.errorf(w, "when: want a non-empty list of tests")
		return false
	}
	seen := make(map[string]int)
	for _, n := range w.Content {
		t, tOK := p.test(n)
		if !tOK {
			ok = false
			continue
		}
		key := t.key()
		if first, dup := seen[key]; dup {
			p.add(t.Pos, "duplicate test %s (first at line %d)", t, first)
			ok = false
			continue
		}
		seen[key] = t.Pos.Line
		c.When = append(c.When, t)
	}
	return ok
}

// test parses one when test: {arg: N, <op>: value}.
func (p *parser) test(n *yaml.Node) (Test, bool) {
	keys := []string{"arg"}
	for _, op := range testOps {
		keys = append(keys, op.String())
	}
	f := p.fields(n, "when test", "in when test", keys...)
	if f == nil {
		return Test{}, false
	}
	var t Test
	ok := true
	if a, has := f["arg"]; has {
		t.Arg = ParamAt(p.optIndex(a, "arg", &ok))
	} else {
		p.errorf(n, "missing arg in when test")
		ok = false
	}
	var opNode *yaml.Node
	for _, op := range testOps {
		v, has := f[op.String()]
		if !has {
			continue
		}
		if opNode != nil {
			p.errorf(later(opNode, v), "%s and %s cannot both be given: a test has one comparison", t.Op, op)
			return t, false
		}
		t.Op, opNode = op, v
	}
	if opNode == nil {
		p.errorf(n, "missing comparison in when test (want one of %s)", opList())
		return t, false
	}
	t.Pos = p.pos(opNode)
	key := t.Op.String()
	if t.Op == From {
		funcs, fOK := p.names(opNode, key, "function", true)
		t.Funcs = funcs
		return t, ok && fOK
	}
	v, vOK := p.testValue(opNode, key)
	if !vOK {
		return t, false
	}
	t.Value = v
	if t.Op == HasBits || t.Op == LacksBits {
		switch {
		case v == "nil":
			p.errorf(opNode, "%s: want a bit mask, not nil", key)
			return t, false
		case strings.HasPrefix(v, "-"):
			p.errorf(opNode, "%s: want a non-negative bit mask, got %s", key, quote(v))
			return t, false
		case isZeroLiteral(v):
			p.errorf(opNode, "%s: 0 has no bits: the test always holds", key)
			return t, false
		}
	}
	return t, ok
}

func opList() string {
	var names []string
	for _, op := range testOps {
		names = append(names, op.String())
	}
	return strings.Join(names, ", ")
}

// testValue returns the value of a comparison: an integer literal in Go
// syntax, nil, a constant's name, or a constant's full name.
func (p *parser) testValue(n *yaml.Node, key string) (string, bool) {
	const want = "an integer, nil, or the name of a constant"
	switch {
	case n.Kind == yaml.AliasNode:
		p.errorf(n, "%s: aliases are not supported", key)
		return "", false
	case n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" && n.ShortTag() != "!!str":
		p.errorf(n, "%s: want %s, got %s", key, want, describe(n))
		return "", false
	}
	v := n.Value
	switch {
	case v == "nil":
	case isIntLiteral(v):
	case token.IsIdentifier(v):
	case strings.Contains(v, "."):
		if why := checkQualified(v, "constant"); why != "" {
			p.errorf(n, "%s: invalid constant name %s: %s", key, quote(v), why)
			return "", false
		}
	default:
		p.errorf(n, "%s: want %s, got %s", key, want, quote(v))
		return "", false
	}
	return v, true
}

// isIntLiteral reports whether s is a Go integer literal, optionally
// preceded by '-'.
func isIntLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	return constant.MakeFromLiteral(s, token.INT, 0).Kind() == constant.Int
}

func isZeroLiteral(s string) bool {
	if !isIntLiteral(s) {
		return false
	}
	return constant.Sign(constant.MakeFromLiteral(strings.TrimPrefix(s, "-"), token.INT, 0)) == 0
}

// names parses a non-empty list of full names, of functions (funcs) or of
// constants and variables. what names them in messages.
func (p *parser) names(n *yaml.Node, key, what string, funcs bool) ([]string, bool) {
	if !p.check(n, key, "a non-empty list of full names", yaml.SequenceNode, "") {
		return nil, false
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s: want a non-empty list of full names", key)
		return nil, false
	}
	var names []string
	ok := true
	seen := make(map[string]int)
	for _, item := range n.Content {
		s, sOK := p.str(item, key)
		if !sOK {
			ok = false
			continue
		}
		var why string
		if funcs {
			why = checkFuncName(s)
		} else {
			why = checkQualified(s, what)
		}
		if why != "" {
			p.errorf(item, "%s: invalid %s name %s: %s", key, what, quote(s), why)
			ok = false
			continue
		}
		if first, dup := seen[s]; dup {
			p.errorf(item, "%s: %s is listed twice (first at line %d)", key, s, first)
			ok = false
			continue
		}
		seen[s] = item.Line
		names = append(names, s)
	}
	return names, ok
}

// String describes t as YAML: "{arg: 2, has-bits: 0x1}".
func (t Test) String() string {
	if t.Op == From {
		return fmt.Sprintf("{arg: %d, from: [%s]}", t.Arg, strings.Join(t.Funcs, ", "))
	}
	return fmt.Sprintf("{arg: %d, %s: %s}", t.Arg, t.Op, t.Value)
}

func (t Test) key() string {
	if t.Op == From {
		funcs := slices.Clone(t.Funcs)
		slices.Sort(funcs)
		return fmt.Sprintf("%d %s %s", t.Arg, t.Op, strings.Join(funcs, " "))
	}
	return fmt.Sprintf("%d %s %s", t.Arg, t.Op, t.Value)
}

// key identifies c's conditions whatever their order.
func (c Cond) key() string {
	keys := []string{"goos " + c.GOOS}
	for _, t := range c.When {
		keys = append(keys, t.key())
	}
	slices.Sort(keys[1:])
	return strings.Join(keys, "\x00")
}

// Equal reports whether c and d hold the same conditions, in any order.
func (c Cond) Equal(d Cond) bool { return c.key() == d.key() }

// describe describes c for messages: "" when c has no conditions, else
// " when {arg: 6, has-bits: 0x1} on windows".
func (c Cond) describe() string {
	var b strings.Builder
	for i, t := range c.When {
		if i == 0 {
			b.WriteString(" when ")
		} else {
			b.WriteString(" and ")
		}
		b.WriteString(t.String())
	}
	if c.GOOS != "" {
		b.WriteString(" on " + c.GOOS)
	}
	return b.String()
}
