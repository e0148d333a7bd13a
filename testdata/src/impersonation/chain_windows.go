package impersonation

import (
	"golang.org/x/sys/windows"
)

// The shape of Ne0nd0g/merlin-agent: an exported helper applies a token
// and returns impersonating (its callers must lock and revert), each
// command wraps its work in Setup and a deferred TearDown, and a
// dispatcher, run on a goroutine per job, calls the commands. The root
// cause is one: the dispatcher does not lock the thread. It is reported
// once, in the dispatcher, at its first unlocked command, with the other
// commands as related positions; the goroutine that runs the dispatcher
// is not reported again.

var stolen windows.Token

// ApplyToken hands the impersonation and the duty to lock to its callers.
func ApplyToken() error { // want ApplyToken:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	if stolen != 0 {
		return windows.SetThreadToken(nil, stolen)
	}
	return nil
}

// Setup hands them on too: a summary names the chain.
func Setup() error { // want Setup:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken via .*impersonation.ApplyToken`
	return ApplyToken()
}

func TearDown() error { // want TearDown:`thread: reverts golang.org/x/sys/windows.RevertToSelf`
	return windows.RevertToSelf()
}

// list checks Setup's error through a named result that its deferred
// function literal captures: where Setup failed, nothing is in effect, so
// list does not return impersonating; it impersonates while it runs.
func list(path string) (out string, err error) { // want list:`thread: impersonates while it runs \(needs lock\) golang.org/x/sys/windows.SetThreadToken via .*impersonation.Setup, .*impersonation.ApplyToken`
	err = Setup()
	if err != nil {
		return
	}
	defer func() {
		if err2 := TearDown(); err2 != nil && err == nil {
			err = err2
		}
	}()
	return path, nil
}

func remove(path string) (stdout, stderr string) { // want remove:`thread: impersonates while it runs \(needs lock\)`
	if err := Setup(); err != nil {
		return "", err.Error()
	}
	defer TearDown()
	return path, ""
}

// Native is exported: it is where the lock is missing, reported once.
func Native(cmd, arg string) (stdout, stderr string) {
	switch cmd {
	case "ls":
		out, err := list(arg) // want `call runtime.LockOSThread before impersonation.list \(windows.SetThreadToken, through impersonation.Setup, impersonation.ApplyToken\): impersonation applies to the OS thread`
		if err != nil {
			return "", err.Error()
		}
		return out, ""
	case "rm":
		return remove(arg)
	}
	return "", "unknown command"
}

// The goroutine per job calls Native, which reported its own missing
// lock: nothing more here.
func Dispatch(jobs <-chan [2]string, results chan<- string) {
	for job := range jobs {
		go func(job [2]string) {
			out, _ := Native(job[0], job[1])
			results <- out
		}(job)
	}
}
