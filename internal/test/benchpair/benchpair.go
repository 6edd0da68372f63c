// Package benchpair measures a piece of work against its floor in one
// benchmark: the two alternate in batches within each iteration, so that
// the machine's drift (load, frequency, caches) falls on both alike, and
// the ratio is reported rather than a timing.
package benchpair

import (
	"testing"
	"time"
)

// Alternate runs ours batch times, then floor batch times, for each of the
// benchmark's iterations, and reports the ratio of their total times as
// the "x-floor" metric. It returns the total time ours took, for a metric
// per operation (b.N*batch of them).
func Alternate(b *testing.B, batch int, ours, floor func()) time.Duration {
	b.Helper()
	var o, f time.Duration
	for b.Loop() {
		start := time.Now()
		for range batch {
			ours()
		}
		mid := time.Now()
		for range batch {
			floor()
		}
		o, f = o+mid.Sub(start), f+time.Since(mid)
	}
	b.ReportMetric(float64(o)/float64(f), "x-floor")
	return o
}
