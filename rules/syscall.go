package rules

// IsRawSyscall reports whether name is a function that makes a system call
// by number on a Unix system (syscall.Syscall(SYS_FCNTL, fd,
// F_DUPFD_CLOEXEC, 0)): its first result, r1, is whatever the call
// returns, which a rule may name as a handle where its `when` fixes the
// number (and the command); its last result is an Errno, 0 on success, the
// error such a rule is gated by. (On Windows these names call procedure
// addresses, whose Errno is the thread's last error: native rules, not
// function rules, describe those.)
func IsRawSyscall(name string) bool { return rawSyscalls[name] }

var rawSyscalls = map[string]bool{
	"syscall.Syscall": true, "syscall.Syscall6": true, "syscall.RawSyscall": true, "syscall.RawSyscall6": true,
	"golang.org/x/sys/unix.Syscall": true, "golang.org/x/sys/unix.Syscall6": true,
	"golang.org/x/sys/unix.RawSyscall": true, "golang.org/x/sys/unix.RawSyscall6": true,
}
