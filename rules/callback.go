package rules

import (
	"fmt"
	"go/types"

	"go.yaml.in/yaml/v4"
)

// A Callback is a borrowed rule whose handle is a parameter of a function
// passed to Func, not something Func returns: (syscall.RawConn).Control
// calls f(fd) with the connection's descriptor, which "is guaranteed to
// remain valid while f executes but not after f returns". Inside such a
// function the parameter is a borrowed handle.
type Callback struct {
	Func     string // full name
	Arg      Param  // the parameter of Func that is the function called
	Param    Param  // the parameter of that function that is the handle
	Resource *Resource
	Note     string // ends the diagnostic, as a Source's
	GOOS     string // when not empty, the rule applies only to this GOOS
	Pos      Pos
}

// mappingKey returns the key node named key of mapping n, or nil.
func mappingKey(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return k
		}
	}
	return nil
}

// callbackRule is a Callback whose resource is not resolved yet.
type callbackRule struct {
	cb       *Callback
	resource string
	resPos   Pos
}

// callbackExcludes are the keys of a borrowed rule that say where a
// returned handle is or when it is valid: none fits a callback's.
var callbackExcludes = []string{"vtable", "out", "result", "field", "index", "error-gate", "also-valid-with", "when", "success", "same-as"}

// callback parses the borrowed rule in f whose callback key is given:
// `callback: {arg: 0, param: 0}`, the handle is parameter 0 of the
// function passed as argument 0.
func (p *parser) callback(f map[string]*yaml.Node, n *yaml.Node) {
	cbNode := f["callback"]
	ok := true
	for _, key := range callbackExcludes {
		if v, has := f[key]; has {
			p.errorf(v, "%s: not with callback (the handle is a parameter of the function passed, valid while it runs)", key)
			ok = false
		}
	}
	fn, pos, fnOK := p.funcName(f, n, "borrowed rule with callback")
	ok = ok && fnOK
	resource, resOK := p.requiredString(f, n, "resource", "borrowed rule")
	if resOK {
		if why := checkResourceName(resource); why != "" {
			p.errorf(f["resource"], "%s", why)
			resOK = false
		}
	}
	cb := &Callback{Func: fn, Pos: pos}
	if c := p.fields(cbNode, "callback", "in callback", "arg", "param"); c == nil {
		ok = false
	} else {
		for _, key := range []string{"arg", "param"} {
			v, has := c[key]
			if !has {
				p.errorf(cbNode, "missing %s in callback (want arg: the parameter that is the function passed, param: its parameter that is the handle)", key)
				ok = false
				continue
			}
			i := ParamAt(p.optIndex(v, key, &ok))
			if key == "arg" {
				cb.Arg = i
			} else {
				cb.Param = i
			}
		}
	}
	if note, has := f["note"]; has {
		s, sOK := p.str(note, "note")
		cb.Note, ok = s, ok && sOK
	}
	var cond Cond
	ok = p.cond(f, &cond) && ok
	cb.GOOS = cond.GOOS
	if !ok || !resOK {
		return
	}
	key := fmt.Sprint(fn, "\x00", cb.Arg, "\x00", cb.Param, "\x00", cb.GOOS)
	if first, dup := p.callbacks[key]; dup {
		p.add(pos, "duplicate callback rule for %s (arg %d, param %d; first at line %d)", fn, cb.Arg, cb.Param, first.Line)
		return
	}
	p.callbacks[key] = pos
	p.file.callbacks = append(p.file.callbacks, callbackRule{cb, resource, p.pos(f["resource"])})
}

// mergeCallbacks adds f's callback rules to s: a file's callback rules for
// a function replace the earlier files' ones for it.
func (s *Set) mergeCallbacks(f *File) ErrorList {
	var errs ErrorList
	replaced := make(map[string]bool)
	for _, r := range f.callbacks {
		res, ok := s.Resources[r.resource]
		if !ok {
			errs = append(errs, Errorf(r.resPos, "unknown resource %s", quote(r.resource)))
			continue
		}
		cb := *r.cb
		cb.Resource = res
		if !replaced[cb.Func] {
			replaced[cb.Func] = true
			s.Callbacks[cb.Func] = nil
		}
		s.Callbacks[cb.Func] = append(s.Callbacks[cb.Func], &cb)
	}
	return errs
}

// Check checks cb against the signature of its function: Arg must be a
// parameter of function type, and Param a parameter of that function.
func (cb *Callback) Check(sig *types.Signature) error {
	params := sig.Params()
	if int(cb.Arg) >= params.Len() {
		return Errorf(cb.Pos, "callback: arg %d is not a parameter of %s (it has %s)", cb.Arg, cb.Func, count(params.Len(), "parameter"))
	}
	v := params.At(int(cb.Arg))
	fsig, ok := v.Type().Underlying().(*types.Signature)
	if !ok {
		return Errorf(cb.Pos, "callback: arg %d names %s, not a function", cb.Arg, describeParam(v))
	}
	if int(cb.Param) >= fsig.Params().Len() {
		return Errorf(cb.Pos, "callback: param %d is not a parameter of the function that %s takes as arg %d (it has %s)",
			cb.Param, cb.Func, cb.Arg, count(fsig.Params().Len(), "parameter"))
	}
	return nil
}
