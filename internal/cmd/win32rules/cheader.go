package main

import (
	"strings"
	"unicode"
)

// A C header is read only as far as the generator needs: function
// prototypes (the return type, and each parameter's SAL annotations, type
// and pointer depth) and typedefs of one name to another with pointers.
// Comments and preprocessor lines are dropped first, so declarations
// under every #if branch are seen.

// cTokens splits C source into tokens: identifiers and numbers, string and
// character literals, and single punctuation characters.
func cTokens(src string) []string {
	src = stripComments(src)
	var toks []string
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			for strings.HasSuffix(strings.TrimRight(line, " \t\r"), "\\") && i+1 < len(lines) {
				i++
				line = lines[i]
			}
			continue
		}
		for j := 0; j < len(line); {
			c := line[j]
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				j++
			case isIdent(c):
				k := j
				for k < len(line) && isIdent(line[k]) {
					k++
				}
				toks = append(toks, line[j:k])
				j = k
			case c == '"' || c == '\'':
				k := j + 1
				for k < len(line) && line[k] != c {
					if line[k] == '\\' {
						k++
					}
					k++
				}
				toks = append(toks, "\"")
				j = k + 1
			default:
				toks = append(toks, string(c))
				j++
			}
		}
	}
	return toks
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isName(tok string) bool {
	return tok != "" && isIdent(tok[0]) && !unicode.IsDigit(rune(tok[0]))
}

// stripComments removes /* */ and // comments, keeping newlines.
func stripComments(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			b.WriteString(strings.Repeat("\n", strings.Count(s[i:i+2+end], "\n")))
			b.WriteByte(' ')
			i += end + 3
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			if i < len(s) {
				b.WriteByte('\n')
			}
		case s[i] == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' && s[j] != '\n' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				j = len(s) - 1
			}
			b.WriteString(s[i : j+1])
			i = j
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// A cType is a named type with a pointer depth: HANDLE* is {HANDLE, 1}.
type cType struct {
	name  string
	stars int
}

// A cParam is one parameter of a prototype.
type cParam struct {
	name string
	typ  cType
	out  bool // an _Out_ / _Outptr_ / __out / OUT annotation
}

// A cProto is a function prototype.
type cProto struct {
	name   string
	ret    cType
	params []cParam
}

// noise are the tokens of a declaration that are neither its type nor a
// name: calling conventions, storage and linkage, qualifiers.
var noise = map[string]bool{
	"WINAPI": true, "APIENTRY": true, "NTAPI": true, "CALLBACK": true, "WINAPIV": true,
	"__stdcall": true, "__cdecl": true, "_stdcall": true, "_cdecl": true, "STDAPICALLTYPE": true, "STDMETHODCALLTYPE": true,
	"STDAPIVCALLTYPE": true, "PASCAL": true, "FAR": true, "far": true, "NEAR": true, "near": true, "WSAAPI": true,
	"SEC_ENTRY": true, "RPC_ENTRY": true, "IMAGEAPI": true, "NET_API_FUNCTION": true, "extern": true,
	"EXTERN_C": true, "const": true, "CONST": true, "__inline": true, "inline": true, "FORCEINLINE": true,
	"static": true, "struct": true, "enum": true, "union": true, "volatile": true, "__declspec": true,
	"DECLSPEC_IMPORT": true, "DECLSPEC_NORETURN": true, "DECLSPEC_DEPRECATED": true, "WINAPI_INLINE": true,
	"IN": true, "OPTIONAL": true, "__RPC_FAR": true, "UNALIGNED": true, "__unaligned": true, "__ptr64": true,
	"CMAPI": true, "WINCFGMGR32API": true, "APIENTRY_": true, "VOID_": true,
}

// isAnnotation says whether tok is a SAL annotation or an API-export macro:
// _In_, __out, _Success_, WINBASEAPI, WINCRYPT32API.
func isAnnotation(tok string) bool {
	if strings.HasPrefix(tok, "_") {
		return true
	}
	if tok == "OUT" {
		return true
	}
	return tok != "STDAPI" && strings.HasSuffix(tok, "API") && strings.ToUpper(tok) == tok
}

func isOutAnnotation(tok string) bool {
	t := strings.ToLower(strings.TrimLeft(tok, "_"))
	return tok == "OUT" || strings.HasPrefix(t, "out") || strings.HasPrefix(t, "deref_out")
}

// prototypes finds the prototypes of the functions in want in toks.
func prototypes(toks []string, want map[string]bool, found func(cProto)) {
	depth := 0 // brace depth, to skip struct bodies and inline function bodies
	for i := 0; i < len(toks); i++ {
		switch toks[i] {
		case "{":
			depth++
			continue
		case "}":
			depth--
			continue
		}
		if depth > 0 && !(depth == 1 && i > 0 && isExternC(toks, i)) {
			continue
		}
		if !want[toks[i]] || i+1 >= len(toks) || toks[i+1] != "(" || i == 0 {
			continue
		}
		end := matchParen(toks, i+1)
		if end < 0 || end+1 >= len(toks) || toks[end+1] != ";" && toks[end+1] != "{" {
			continue
		}
		ret, ok := returnType(toks, i)
		if !ok {
			continue
		}
		p := cProto{name: toks[i], ret: ret}
		if ps, ok := paramList(toks[i+2 : end]); ok {
			p.params = ps
			found(p)
		}
	}
}

// isExternC reports whether the brace block that encloses toks[i] at depth
// 1 is an extern "C" { } block; the caller only asks at depth 1.
func isExternC(toks []string, i int) bool {
	d := 0
	for j := i - 1; j >= 1; j-- {
		switch toks[j] {
		case "}":
			d++
		case "{":
			if d == 0 {
				return toks[j-1] == "\"" && j >= 2 && toks[j-2] == "extern"
			}
			d--
		}
	}
	return false
}

func matchParen(toks []string, open int) int {
	d := 0
	for j := open; j < len(toks); j++ {
		switch toks[j] {
		case "(":
			d++
		case ")":
			d--
			if d == 0 {
				return j
			}
		case ";", "{", "}":
			return -1
		}
	}
	return -1
}

// returnType reads the declaration specifiers before the name at toks[i]
// and returns the return type.
func returnType(toks []string, i int) (cType, bool) {
	var t cType
	for j := i - 1; j >= 0 && i-j < 40; j-- {
		tok := toks[j]
		switch {
		case tok == ";" || tok == "}" || tok == "{" || tok == "\"":
			return t, t.name != ""
		case tok == "*":
			if t.name == "" {
				t.stars++
			}
		case tok == ")":
			// _Success_(...), __declspec(...), STDAPI_(DWORD)
			d := 0
			k := j
			for ; k >= 0; k-- {
				if toks[k] == ")" {
					d++
				} else if toks[k] == "(" {
					d--
					if d == 0 {
						break
					}
				}
			}
			if k <= 0 {
				return t, false
			}
			if fn := toks[k-1]; strings.HasSuffix(fn, "API_") || fn == "STDAPI_" || fn == "STDMETHODIMP_" {
				if t.name == "" && j-k >= 2 {
					t.name = toks[j-1]
					for m := k + 1; m < j; m++ {
						if toks[m] == "*" {
							t.stars++
						}
					}
				}
			} else if !isAnnotation(fn) && !noise[fn] {
				return t, false // a call or a function-pointer declarator
			}
			j = k - 1
		case tok == "STDAPI":
			if t.name == "" {
				t.name = "HRESULT"
			}
		case isName(tok):
			if noise[tok] || isAnnotation(tok) {
				continue
			}
			if t.name == "" {
				t.name = tok
			} else {
				return t, true // an earlier declaration ended without ; (macro)
			}
		default:
			return t, t.name != ""
		}
	}
	return t, t.name != ""
}

// paramList splits a parameter list into parameters.
func paramList(toks []string) ([]cParam, bool) {
	var ps []cParam
	if len(toks) == 0 || len(toks) == 1 && (toks[0] == "void" || toks[0] == "VOID") {
		return nil, true
	}
	start, d := 0, 0
	for j := 0; j <= len(toks); j++ {
		if j < len(toks) {
			switch toks[j] {
			case "(", "[":
				d++
				continue
			case ")", "]":
				d--
				continue
			case ",":
				if d > 0 {
					continue
				}
			default:
				continue
			}
		}
		p, ok := param(toks[start:j])
		if !ok {
			return nil, false
		}
		ps = append(ps, p)
		start = j + 1
	}
	return ps, true
}

func param(toks []string) (cParam, bool) {
	var p cParam
	var names []string
	for j := 0; j < len(toks); j++ {
		tok := toks[j]
		switch {
		case tok == "*":
			p.typ.stars++
		case tok == "(":
			return p, false // a function pointer parameter: not a handle
		case tok == "[":
			p.typ.stars++
			for j < len(toks) && toks[j] != "]" {
				j++
			}
		case isName(tok) && (isAnnotation(tok) || noise[tok]):
			if isOutAnnotation(tok) {
				p.out = true
			}
			if j+1 < len(toks) && toks[j+1] == "(" {
				d := 0
				for ; j < len(toks); j++ {
					if toks[j] == "(" {
						d++
					} else if toks[j] == ")" {
						d--
						if d == 0 {
							break
						}
					}
				}
			}
		case isName(tok):
			names = append(names, tok)
		case tok == "." || tok == "\"":
			// ... (varargs)
		}
	}
	switch len(names) {
	case 0:
		return p, true
	case 1:
		p.typ.name = names[0]
	default:
		p.typ.name, p.name = names[len(names)-2], names[len(names)-1]
	}
	return p, true
}

// A typedef maps a name to another with pointers: typedef HANDLE *PHANDLE
// is PHANDLE -> {HANDLE, 1}; DECLARE_HANDLE(HWINSTA) is HWINSTA -> itself.
func typedefs(toks []string, defs map[string]cType) {
	for i := 0; i < len(toks); i++ {
		if toks[i] != "typedef" {
			continue
		}
		j := i + 1
		var base string
		var decl []string
		d := 0
		for ; j < len(toks) && !(d == 0 && toks[j] == ";"); j++ {
			switch toks[j] {
			case "{":
				d++
				continue
			case "}":
				d--
				continue
			}
			if d > 0 {
				continue
			}
			decl = append(decl, toks[j])
		}
		i = j
		if len(decl) == 0 || contains(decl, "(") {
			continue
		}
		// base: the first name that is not a qualifier or tag keyword.
		k := 0
		for ; k < len(decl); k++ {
			if isName(decl[k]) && !noise[decl[k]] && !isAnnotation(decl[k]) {
				base = decl[k]
				k++
				break
			}
		}
		if base == "" {
			continue
		}
		// typedef PVOID LSA_HANDLE, *PLSA_HANDLE: PLSA_HANDLE is
		// LSA_HANDLE*, so that it resolves to the handle type.
		stars, first, firstStars := 0, "", 0
		for ; k < len(decl); k++ {
			switch tok := decl[k]; {
			case tok == "*":
				stars++
			case tok == ",":
				stars = 0
			case isName(tok) && !noise[tok] && !isAnnotation(tok):
				to := base
				if first != "" {
					to = first
					stars -= firstStars
				}
				if tok != to {
					if _, dup := defs[tok]; !dup {
						defs[tok] = cType{to, stars}
					}
				}
				if first == "" {
					first, firstStars = tok, stars
				}
			}
		}
	}
}

func contains(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}
