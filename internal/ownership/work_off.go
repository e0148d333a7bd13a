//go:build !handlecheck_work

package ownership

const (
	WorkTrackers = iota
	WorkBlocks
	WorkInstrs
	WorkEnqueues
	WorkLive
	WorkLiveMarked
	WorkReferrers
	WorkScanned
	WorkComponents
	WorkPhis
	nWork
)

// WorkNames, Work and WorkCounted are work_on.go's, here empty: the
// counters count only with -tags handlecheck_work.
var (
	WorkNames [nWork]string
	Work      [nWork]int64
)

const WorkCounted = false

func count(k, n int) {}
