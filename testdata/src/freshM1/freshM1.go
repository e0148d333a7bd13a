// Package freshM1 holds set M's false alarm in ginkgo
// (github.com/onsi/ginkgo/v2 v2.34.0, internal/output_interceptor.go:76,
// startPipeFactory): each pipe's files go into a local pipePair, which a
// select either sends on a channel (its consumer closes them) or, on
// shutdown, closes. A select's send takes place only on the branch where
// its case is chosen (go/ssa's idx == k after the Select): there the
// value is handed on, as by a plain ch <- v, and a struct value sent so
// takes the handles in its fields with it. On the other cases' branches
// the handles are still held. The neighbours drop them on such a branch
// (a return, a default, a send of another value) or on a path that does
// not send, and leak.
package freshM1

import "os"

type pipePair struct {
	reader *os.File
	writer *os.File
}

// startPipeFactory is ginkgo's: quiet.
func startPipeFactory(pipeChannel chan pipePair, shutdown chan any) {
	for {
		pair := pipePair{}
		pair.reader, pair.writer, _ = os.Pipe()
		select {
		case pipeChannel <- pair: // the consumer is responsible for closing the files
			continue
		case <-shutdown:
			pair.reader.Close()
			pair.writer.Close()
			return
		}
	}
}

// sendOrClose sends one File, or closes it on shutdown.
func sendOrClose(ch chan *os.File, shutdown chan any) {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	defer w.Close()
	select {
	case ch <- r:
	case <-shutdown:
		r.Close()
	}
}

// sendSecond has the send as the select's second case.
func sendSecond(ch chan *os.File, shutdown chan any) error {
	f, err := os.Open("/dev/null")
	if err != nil {
		return err
	}
	select {
	case <-shutdown:
		return f.Close()
	case ch <- f:
		return nil
	}
}

// sendEither sends the File on whichever channel is ready.
func sendEither(ch1, ch2 chan *os.File) error {
	f, err := os.Open("/dev/null")
	if err != nil {
		return err
	}
	select {
	case ch1 <- f:
	case ch2 <- f:
	}
	return nil
}

// sendOrReturn sends the File if the channel is ready, and returns it
// if not: its callers own what it returns.
func sendOrReturn(ch chan *os.File) *os.File { // want sendOrReturn:"owned file r0"
	f, err := os.Open("/dev/null")
	if err != nil {
		return nil
	}
	select {
	case ch <- f:
		return nil
	default:
		return f
	}
}

// returnsOnShutdown sends the pair, or returns without closing it.
func returnsOnShutdown(ch chan pipePair, shutdown chan any) {
	pair := pipePair{}
	pair.reader, pair.writer, _ = os.Pipe() // want `file from os.Pipe is not closed on every path`
	select {
	case ch <- pair:
	case <-shutdown:
		return
	}
}

// dropsOnDefault sends the pair if the channel is ready, and drops it
// if not.
func dropsOnDefault(ch chan pipePair) {
	pair := pipePair{}
	pair.reader, pair.writer, _ = os.Pipe() // want `file from os.Pipe is not closed on every path`
	select {
	case ch <- pair:
	default:
	}
}

// sentOrDropped sends the pair on one path and drops it on the other.
func sentOrDropped(ch chan pipePair, send bool) {
	pair := pipePair{}
	pair.reader, pair.writer, _ = os.Pipe() // want `file from os.Pipe is not closed on every path`
	if send {
		ch <- pair
	}
}

// sendsAnother sends an empty pair: its own is still held, and only
// half of it is closed.
func sendsAnother(ch chan pipePair, shutdown chan any) {
	pair := pipePair{}
	pair.reader, pair.writer, _ = os.Pipe() // want `file from os.Pipe is not closed on every path`
	select {
	case ch <- pipePair{}:
	case <-shutdown:
	}
	pair.reader.Close()
}

// leaksOnFirst sends the File in the second case and drops it in the
// first.
func leaksOnFirst(ch chan *os.File, shutdown chan any) error {
	f, err := os.Open("/dev/null") // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	select {
	case <-shutdown:
	case ch <- f:
	}
	return nil
}
