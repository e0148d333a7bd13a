package hcrun

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A Measure is one measured run of a command.
type Measure struct {
	ExitCode  int // -1 when the command did not run or was killed
	TimedOut  bool
	WallS     float64
	UserS     float64
	SysS      float64
	MaxRSSKiB int64 // the largest RSS of one process of the tree (rusage)
	TreeRSS   int64 // the largest sum of RSS over the process group, KiB (sampled every 50ms)
}

// Run runs name with args in dir, the environment extended by env, in a
// process group of its own (killed as a whole after timeout), with stdout
// and stderr written to base+".stdout" and base+".stderr", and measures it.
// The error is for a run that could not start.
func Run(dir string, env []string, timeout time.Duration, base, name string, args ...string) (*Measure, error) {
	stdout, err := os.Create(base + ".stdout")
	if err != nil {
		return nil, err
	}
	defer stdout.Close()
	stderr, err := os.Create(base + ".stderr")
	if err != nil {
		return nil, err
	}
	defer stderr.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the whole group
	}
	m := &Measure{ExitCode: -1}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.TreeRSS = sampleGroup(cmd.Process.Pid, stop)
	}()
	cmd.Wait()
	m.WallS = time.Since(t0).Seconds()
	close(stop)
	wg.Wait()
	m.TimedOut = ctx.Err() != nil
	if ps := cmd.ProcessState; ps != nil {
		m.ExitCode = ps.ExitCode()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			m.UserS = time.Duration(ru.Utime.Nano()).Seconds()
			m.SysS = time.Duration(ru.Stime.Nano()).Seconds()
			m.MaxRSSKiB = ru.Maxrss // KiB on Linux
		}
	}
	return m, nil
}

// sampleGroup returns the largest total RSS, in KiB, of the processes of
// group pgid, sampled every 50ms until stop is closed.
func sampleGroup(pgid int, stop chan struct{}) int64 {
	page := int64(os.Getpagesize()) / 1024
	var peak int64
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if total := groupRSS(pgid) * page; total > peak {
			peak = total
		}
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

// groupRSS returns the summed RSS, in pages, of the processes of a group.
func groupRSS(pgid int) int64 {
	d, err := os.Open("/proc")
	if err != nil {
		return 0
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var total int64
	for _, n := range names {
		if n[0] < '0' || n[0] > '9' {
			continue
		}
		data, err := os.ReadFile("/proc/" + n + "/stat")
		if err != nil {
			continue
		}
		// After "pid (comm) ": state ppid pgrp ... ; rss is field 24.
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(data[i+1:]))
		if len(f) < 22 {
			continue
		}
		if pg, _ := strconv.Atoi(f[2]); pg != pgid {
			continue
		}
		rss, _ := strconv.ParseInt(f[21], 10, 64)
		total += rss
	}
	return total
}
