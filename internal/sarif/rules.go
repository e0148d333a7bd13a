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
		id:    "borrowed-change",
		name:  "BorrowedHandleChange",
		short: "The object behind a borrowed handle is changed",
		full: "A borrowed handle (a pseudo-token such as GetCurrentProcessToken's, a token IIS lends) is passed " +
			"to a call that changes the state of its object: AdjustTokenPrivileges, AdjustTokenGroups, " +
			"SetTokenInformation, or the security or handle flags of a borrowed token. Its owner still uses " +
			"the object. Duplicate the token (DuplicateTokenEx) and change the copy.",
		example: "tok := windows.GetCurrentProcessToken()\n" +
			"windows.AdjustTokenPrivileges(tok, false, &tp, 0, nil, nil) // duplicate it first",
	},
	{
		id:    "use-after-release",
		name:  "HandleUseAfterRelease",
		short: "A handle is used after its release",
		full: "A handle is passed to a call that acts on it after it was released on some path. The number " +
			"may name another object by then. It is reported at the use; a related location shows the release.",
		example: "windows.CloseHandle(h)\n" +
			"windows.WaitForSingleObject(h, windows.INFINITE) // h may be another object's by now",
	},
	{
		id:    "impersonation",
		name:  "ImpersonationOnGoroutine",
		short: "A thread is impersonated from a goroutine that may move, or unlocked while impersonating",
		full: "Windows impersonation belongs to an OS thread, and a goroutine moves between threads unless it " +
			"calls runtime.LockOSThread. Reported: an impersonation (ImpersonateSelf, SetThreadToken, " +
			"ImpersonateLoggedOnUser...) without LockOSThread on every path before it; an UnlockOSThread " +
			"reached while an impersonation is in effect; and an UnlockOSThread after a RevertToSelf whose " +
			"error is ignored, which hands the thread back to the scheduler with the identity if the revert failed.",
		example: "runtime.LockOSThread()\n" +
			"defer runtime.UnlockOSThread()\n" +
			"windows.ImpersonateSelf(windows.SecurityImpersonation)\n" +
			"defer windows.RevertToSelf() // its error is ignored, and the thread is then unlocked",
	},
	{
		id:    "keepalive",
		name:  "FileDescriptorAfterLastUse",
		short: "The descriptor of an *os.File is used in a system call after the file's last use",
		full: "The number from f.Fd() is passed to a system call (syscall, x/sys/unix, x/sys/windows) at a point " +
			"from which no path uses f again: no later call, no defer that names it, no runtime.KeepAlive. " +
			"The garbage collector may then find f unreachable while the call runs, and the finalizer of the " +
			"*os.File closes the descriptor under it. Only a file that the function made and never stored, " +
			"returned or handed on is reported.",
		example: "f, err := os.Open(name)\n" +
			"...\n" +
			"unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))\n" +
			"runtime.KeepAlive(f) // or defer f.Close() after the open",
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
