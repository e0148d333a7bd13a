package rules

import (
	"fmt"
	"go/token"
	"strings"
)

// checkFuncName returns why name is not a function full name as
// (*types.Func).FullName prints it, or "" if it is one:
//
//	golang.org/x/sys/windows.CloseHandle
//	(golang.org/x/sys/windows.Token).Close
//	(*os.File).Close
func checkFuncName(name string) string {
	if name == "" {
		return "empty function name"
	}
	if !IsMethod(name) {
		return checkQualified(name, "function")
	}
	end := strings.Index(name, ")")
	if end < 0 {
		return "missing ) after the receiver type"
	}
	recv, rest := strings.TrimPrefix(name[1:end], "*"), name[end+1:]
	if why := checkQualified(recv, "type"); why != "" {
		return "receiver: " + why
	}
	method, ok := strings.CutPrefix(rest, ".")
	if !ok {
		return "want .<Method> after the receiver type"
	}
	return checkIdent(method, "method")
}

// checkQualified checks "<import path>.<Ident>"; what names the identifier.
func checkQualified(s, what string) string {
	dot := strings.LastIndex(s, ".")
	if dot < 0 || strings.Contains(s[dot:], "/") {
		return fmt.Sprintf("want <import path>.<%s>", what)
	}
	if why := checkImportPath(s[:dot]); why != "" {
		return why
	}
	return checkIdent(s[dot+1:], what)
}

func checkIdent(s, what string) string {
	if s == "" {
		return fmt.Sprintf("missing %s name", what)
	}
	if !token.IsIdentifier(s) {
		return fmt.Sprintf("%s is not a valid %s name", quote(s), what)
	}
	return ""
}

// checkImportPath returns why path is not a syntactically valid import
// path, or "" if it is one. It follows golang.org/x/mod/module's rules for
// import paths, except for reserved Windows file names.
func checkImportPath(path string) string {
	if path == "" {
		return "empty import path"
	}
	for elem := range strings.SplitSeq(path, "/") {
		if elem == "" {
			return fmt.Sprintf("import path %s has an empty element", quote(path))
		}
		if elem[0] == '.' || elem[len(elem)-1] == '.' {
			return fmt.Sprintf("import path element %s starts or ends with a dot", quote(elem))
		}
		for _, r := range elem {
			if !importPathOK(r) {
				return fmt.Sprintf("invalid character %q in import path", r)
			}
		}
	}
	return ""
}

func importPathOK(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
		strings.ContainsRune("-._~+", r)
}

// checkResourceName returns why name is not a resource name
// ([a-z][a-z0-9-]*), or "" if it is one.
func checkResourceName(name string) string {
	for i, r := range name {
		if 'a' <= r && r <= 'z' || i > 0 && ('0' <= r && r <= '9' || r == '-') {
			continue
		}
		return fmt.Sprintf("invalid resource name %s: want a lowercase letter then lowercase letters, digits or '-'", quote(name))
	}
	if name == "" {
		return "empty resource name"
	}
	return ""
}

// checkNativeName checks a native procedure's name, "<dll>!<procedure>"
// ("advapi32.dll!LogonUserW", "kernel32!CloseHandle"). It returns the
// name as NativeName spells it, or why it is not one.
func checkNativeName(name string) (string, string) {
	if IsMethod(name) {
		return "", "a native procedure has no receiver: want <dll>!<procedure>"
	}
	dll, proc, _ := strings.Cut(name, "!")
	base := dll[strings.LastIndexAny(dll, `\/`)+1:]
	switch {
	case strings.Contains(proc, "!"):
		return "", "want <dll>!<procedure>, with one '!'"
	case base == "" || strings.HasPrefix(base, "."):
		return "", "missing DLL name before '!'"
	case strings.ContainsAny(base, `<>:"|?*`) || strings.TrimSpace(base) != base || strings.HasSuffix(base, "."):
		return "", fmt.Sprintf("%s is not a DLL file name", quote(base))
	case proc == "":
		return "", "missing procedure name after '!'"
	case !token.IsIdentifier(proc):
		return "", fmt.Sprintf("%s is not a valid procedure name", quote(proc))
	}
	return NativeName(dll, proc), ""
}
