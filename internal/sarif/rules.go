package sarif

// category describes one diagnostic category as a SARIF rule.
type category struct {
	id, name, short, full, example string
	// anchor is the README section of the category, when it is not id.
	anchor string
}

// categories are handlecheck's diagnostic categories, in the README's
// order. Their help links go to the README's sections of the same name.
var categories = []category{
	{
		id:    "leak",
		name:  "HandleLeak",
		short: "An owned handle is not released on every path",
		full: "An owned handle (one that a rule says the caller must release, such as a token from " +
			"OpenProcessToken or a descriptor from unix.Open) reaches a return of its function without " +
			"being released or handed on. It is reported at the acquiring call; a related location shows " +
			"a return that leaks it.",
		example: "var tok windows.Token\n" +
			"if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {\n" +
			"\treturn err\n" +
			"}\n" +
			"u, err := tok.GetTokenUser()\n" +
			"if err != nil {\n" +
			"\treturn err // leaks tok: add defer tok.Close() after the error check\n" +
			"}",
	},
	{
		id:    "borrowed-release",
		name:  "BorrowedHandleRelease",
		short: "A borrowed handle is released",
		full: "A handle that the caller does not own (a pseudo-handle such as GetCurrentProcessToken's, " +
			"or the descriptor behind (*os.File).Fd) is closed. Its real owner may still use the number, " +
			"and the next handle created may get it.",
		example: "tok := windows.GetCurrentProcessToken()\n" +
			"defer tok.Close() // a pseudo-token: do not close it",
	},
	{
		id:    "double-release",
		name:  "HandleDoubleRelease",
		short: "A handle is released twice on one path",
		full: "A handle is released twice on one path. The second release may close a handle that " +
			"another part of the program has been given since. A related location shows the other release.",
		example: "defer windows.CloseHandle(h)\n" +
			"...\n" +
			"windows.CloseHandle(h) // released again by the deferred call",
	},
	{
		id:    "wrong-releaser",
		name:  "WrongHandleReleaser",
		short: "An owned handle is released by the wrong function",
		full: "An owned handle is released by a function that does not release its kind of resource, " +
			"such as CloseHandle on a FindFirstFile handle, a registry key or a LoadLibrary module.",
		example: "h, err := windows.FindFirstFile(pattern, &data)\n" +
			"...\n" +
			"defer windows.CloseHandle(h) // use windows.FindClose",
	},
	{
		id:     "directive",
		name:   "IgnoreDirective",
		anchor: "suppressions-and-fixes",
		short:  "A //handlecheck:ignore directive is malformed or suppresses nothing",
		full: "A //handlecheck:ignore directive names no known category, gives no reason, or suppresses " +
			"no finding on its line or the next. A stale directive would hide a future finding there.",
		example: "//handlecheck:ignore leak the token lives as long as the service\n" +
			"if err := windows.OpenProcessToken(p, windows.TOKEN_QUERY, &tok); err != nil {",
	},
}
