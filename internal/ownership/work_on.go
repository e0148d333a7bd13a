//go:build handlecheck_work

package ownership

// Work counters, built only with -tags handlecheck_work: how many units
// of each kind of work Analyze did, so that the benchmark's growth can be
// read as work (which must be linear in the function) apart from time.

// Work kinds counted.
const (
	WorkTrackers   = iota // trackers run
	WorkBlocks            // runBlock calls
	WorkInstrs            // instructions stepped
	WorkEnqueues          // elements handed to enqueue
	WorkLive              // liveness computations
	WorkLiveMarked        // blocks marked by them
	WorkReferrers         // referrers scanned by usesOf
	WorkScanned           // instructions scanned by whole-function walks
	WorkComponents        // blocks given to components
	WorkPhis              // phis looked at by enter
	nWork
)

// WorkNames names the work kinds.
var WorkNames = [nWork]string{"trackers", "blocks", "instrs", "enqueues", "live", "live-marked", "referrers", "scanned", "components", "phis"}

// Work holds the counters; the caller resets it.
var Work [nWork]int64

// WorkCounted reports whether the counters count.
const WorkCounted = true

func count(k, n int) { Work[k] += int64(n) }
