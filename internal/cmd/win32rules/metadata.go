package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/handlecheck/handlecheck/rules"
)

// The metadata inputs, inside a git snapshot of
// github.com/microsoft/win32metadata.
const (
	autoTypesPath  = "generation/WinSDK/autoTypes.json"
	emitterPath    = "generation/WinSDK/emitter.settings.rsp"
	libMapPath     = "generation/WinSDK/libMappings.rsp"
	libManualPath  = "generation/WinSDK/libMappingsManual.rsp"
	headersDir     = "generation/WinSDK/RecompiledIdlHeaders"
	additionalDir  = "generation/WinSDK/AdditionalHeaders"
	manualDir      = "generation/WinSDK/manual"
	metadataOrigin = "github.com/microsoft/win32metadata"
)

// snapshot reads files of one commit of a git directory.
type snapshot struct {
	gitDir, commit string
}

func (s *snapshot) git(args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir=" + s.gitDir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func (s *snapshot) read(path string) ([]byte, error) {
	return s.git("show", s.commit+":"+path)
}

// readAll returns the contents of every file under dir whose name ends in
// one of exts, by path. Files git cannot read (absent from a partial
// snapshot) are skipped and counted.
func (s *snapshot) readAll(dir string, exts ...string) (map[string][]byte, int, error) {
	list, err := s.git("ls-tree", "-r", s.commit, "--", dir)
	if err != nil {
		return nil, 0, err
	}
	var paths []string
	var ids []string
	for line := range strings.SplitSeq(strings.TrimSpace(string(list)), "\n") {
		// <mode> blob <id>\t<path>
		meta, path, ok := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 || f[1] != "blob" {
			continue
		}
		for _, e := range exts {
			if strings.HasSuffix(strings.ToLower(path), e) {
				paths = append(paths, path)
				ids = append(ids, f[2])
				break
			}
		}
	}
	cmd := exec.Command("git", "--git-dir="+s.gitDir, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	r := bufio.NewReaderSize(out, 1<<20)
	files := make(map[string][]byte)
	missing := 0
	for i := range ids {
		hdr, err := r.ReadString('\n')
		if err != nil {
			return nil, 0, fmt.Errorf("git cat-file: %v", err)
		}
		f := strings.Fields(hdr)
		if len(f) == 2 && f[1] == "missing" || len(f) != 3 {
			missing++
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, 0, fmt.Errorf("git cat-file: %q", hdr)
		}
		data := make([]byte, n+1)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, 0, fmt.Errorf("git cat-file %s: %v", paths[i], err)
		}
		files[paths[i]] = data[:n]
	}
	if err := cmd.Wait(); err != nil {
		return nil, 0, fmt.Errorf("git cat-file: %v", err)
	}
	return files, missing, nil
}

// autoType is one entry of autoTypes.json.
type autoType struct {
	Name                string
	CloseApi            string
	InvalidHandleValues []int64
	AlsoUsableFor       string
}

// attr is the metadata's per-API attributes of one return value or
// parameter (emitter.settings.rsp and the manual sources).
type attr struct {
	doNotRelease bool
	raiiFree     string
	ignoreIf     string // IgnoreIfReturn value
	remap        string // a type from --memberRemap: HREPORTSTORE*
}

var (
	attrRE   = regexp.MustCompile(`\[(RAIIFree|FreeWith|IgnoreIfReturn)\("([^"]*)"\)\]|\[(DoNotRelease)\]`)
	manualRE = regexp.MustCompile(`\[return: DoNotRelease\][^;]*?\s(\w+)\s*\(`)
)

// emitterAttrs reads `Func::param=...` lines of emitter.settings.rsp. The
// key is "Func::param", param "return" for the return value.
func emitterAttrs(data []byte) map[string]*attr {
	attrs := make(map[string]*attr)
	section := ""
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "--") {
			section = line
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok || strings.Count(key, "::") != 1 || section != "--memberRemap" {
			continue
		}
		a := attrs[key]
		if a == nil {
			a = &attr{}
		}
		matched := false
		for _, m := range attrRE.FindAllStringSubmatch(val, -1) {
			matched = true
			switch {
			case m[3] == "DoNotRelease":
				a.doNotRelease = true
			case m[1] == "RAIIFree":
				a.raiiFree = m[2]
			case m[1] == "IgnoreIfReturn":
				a.ignoreIf = m[2]
			}
		}
		if !matched && !strings.Contains(val, "[") {
			a.remap = val
		}
		attrs[key] = a
	}
	return attrs
}

// libMappings reads `Func=dll` lines.
func libMappings(data []byte, m map[string]string) {
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "--") {
			continue
		}
		if fn, dll, ok := strings.Cut(line, "="); ok {
			m[fn] = strings.ToLower(dll)
		}
	}
}

// A handleType is a type whose values need a close function.
type handleType struct {
	name    string
	close   string            // the close function
	byDLL   map[string]string // close function by the DLL of the function that returns it (HINTERNET)
	origin  string            // "autoTypes.json" or "overlay"
	invalid []int64
}

// extract reads the snapshot and returns the facts the rules are made from.
func extract(s *snapshot) (*facts, error) {
	ft := &facts{origin: metadataOrigin, commit: s.commit}
	if date, err := s.git("show", "-s", "--format=%cs", s.commit); err == nil {
		ft.date = strings.TrimSpace(string(date))
	}

	data, err := s.read(autoTypesPath)
	if err != nil {
		return nil, err
	}
	var auto []autoType
	if err := json.Unmarshal(data, &auto); err != nil {
		return nil, fmt.Errorf("%s: %v", autoTypesPath, err)
	}
	types := make(map[string]*handleType)
	for _, a := range auto {
		if a.CloseApi == "" {
			continue
		}
		types[a.Name] = &handleType{name: a.Name, close: a.CloseApi, origin: "autoTypes", invalid: a.InvalidHandleValues}
	}
	for _, x := range extraTypes {
		if t, ok := types[x.name]; ok {
			return nil, fmt.Errorf("extra type %s is in %s now (close %s): drop it from extraTypes", x.name, autoTypesPath, t.close)
		}
		x := x
		types[x.name] = &x
	}

	data, err = s.read(emitterPath)
	if err != nil {
		return nil, err
	}
	attrs := emitterAttrs(data)
	manual, _, err := s.readAll(manualDir, ".cs")
	if err != nil {
		return nil, err
	}
	for _, src := range manual {
		for _, m := range manualRE.FindAllStringSubmatch(string(src), -1) {
			key := m[1] + "::return"
			if attrs[key] == nil {
				attrs[key] = &attr{}
			}
			attrs[key].doNotRelease = true
		}
	}

	dlls := make(map[string]string)
	for _, p := range []string{libMapPath, libManualPath} {
		data, err := s.read(p)
		if err != nil {
			return nil, err
		}
		libMappings(data, dlls)
	}

	headers, missing, err := s.readAll(headersDir, ".h")
	if err != nil {
		return nil, err
	}
	more, missing2, err := s.readAll(additionalDir, ".h")
	if err != nil {
		return nil, err
	}
	for p, d := range more {
		headers[p] = d
	}
	ft.missingHeaders = missing + missing2
	ft.headers = len(headers)

	want := make(map[string]bool, len(dlls))
	for fn := range dlls {
		want[fn] = true
	}
	paths := make([]string, 0, len(headers))
	for p := range headers {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	defs := make(map[string]cType)
	protos := make(map[string]cProto)
	for _, p := range paths {
		toks := cTokens(string(headers[p]))
		typedefs(toks, defs)
		prototypes(toks, want, func(c cProto) {
			if _, dup := protos[c.name]; !dup {
				protos[c.name] = c
			}
		})
	}
	ft.prototypes = len(protos)
	ft.exports = len(dlls)

	// resolve follows typedefs to a handle type (PHANDLE is HANDLE*); a
	// type that leads to none is returned as it is.
	resolve := func(t cType) cType {
		orig := t
		for range 16 {
			if _, ok := types[t.name]; ok {
				return t
			}
			d, ok := defs[t.name]
			if !ok || d.name == t.name {
				return orig
			}
			t = cType{d.name, t.stars + d.stars}
		}
		return orig
	}
	parseRemap := func(s string) cType {
		s = strings.TrimSpace(s)
		n := strings.Count(s, "*")
		return resolve(cType{strings.TrimSpace(strings.ReplaceAll(s, "*", "")), n})
	}

	names := make([]string, 0, len(protos))
	for n := range protos {
		names = append(names, n)
	}
	sort.Strings(names)
	closers := make(map[string]bool)
	for _, n := range names {
		p := protos[n]
		dll := dlls[n]
		ret := resolve(p.ret)
		if a := attrs[n+"::return"]; a != nil && a.remap != "" {
			ret = parseRemap(a.remap)
		}
		fn := &fact{dll: dll, name: n, ret: ret.name}
		if ret.stars > 0 {
			fn.ret += strings.Repeat("*", ret.stars)
		}
		slot := func(where string, t cType, a *attr) {
			ht := types[t.name]
			if ht == nil && (a == nil || a.raiiFree == "" && !a.doNotRelease) {
				return
			}
			s := handleSlot{where: where, typ: t.name}
			if ht != nil {
				s.close = ht.close
				if c := ht.byDLL[dll]; c != "" {
					s.close = c
				}
			}
			if a != nil {
				s.borrowed = a.doNotRelease
				if a.raiiFree != "" {
					s.close = a.raiiFree
				}
				s.ignoreIf = a.ignoreIf
			}
			if s.close == "" && !s.borrowed {
				return
			}
			if s.close != "" {
				closers[s.close] = true
			}
			fn.slots = append(fn.slots, s)
		}
		if ret.stars == 0 {
			slot("return", ret, attrs[n+"::return"])
		}
		for i, prm := range p.params {
			a := attrs[n+"::"+prm.name]
			t := resolve(prm.typ)
			if a != nil && a.remap != "" {
				t = parseRemap(a.remap)
			}
			if t.stars == 1 && (prm.out || a != nil && a.raiiFree != "") {
				slot("out"+strconv.Itoa(i), t, a)
			}
		}
		if len(fn.slots) > 0 {
			ft.funcs = append(ft.funcs, fn)
		}
	}
	// The close functions: their DLL and the argument that is the handle:
	// the first parameter of a type the function closes, else the first
	// of any handle type, else 0.
	closes := make(map[string]map[string]bool)
	for _, t := range types {
		for _, c := range append([]string{t.close}, mapValues(t.byDLL)...) {
			if closes[c] == nil {
				closes[c] = make(map[string]bool)
			}
			closes[c][t.name] = true
		}
	}
	for c := range closers {
		cl := &closer{name: c, dll: dlls[c]}
		if p, ok := protos[c]; ok {
			cl.found = true
			first := -1
			for i, prm := range p.params {
				t := resolve(prm.typ)
				if _, ok := types[t.name]; !ok || t.stars != 0 {
					continue
				}
				if closes[c][t.name] {
					first = i
					break
				}
				if first < 0 {
					first = i
				}
			}
			cl.arg = rules.ParamAt(max(first, 0))
		}
		ft.closers = append(ft.closers, cl)
	}
	sort.Slice(ft.closers, func(i, j int) bool { return ft.closers[i].name < ft.closers[j].name })
	tnames := make([]string, 0, len(types))
	for n := range types {
		tnames = append(tnames, n)
	}
	sort.Strings(tnames)
	for _, n := range tnames {
		ft.types = append(ft.types, types[n])
	}
	return ft, nil
}

func mapValues(m map[string]string) []string {
	var vs []string
	for _, k := range sortedKeys(m) {
		vs = append(vs, m[k])
	}
	return vs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
