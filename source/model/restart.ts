// Did the target restart between two polls? Goroutine ids are unique for the life of a
// process and never reused, but a new process starts counting from 1 again, so the same
// numbers come back meaning different goroutines. Two facts of the Go runtime make this
// decidable without false alarms on ordinary churn:
//
// 1. A goroutine's `created by` never changes (it is gp.gopc, set once in newproc). The same
//    id with a different creator — or with a creator where it had none — cannot happen in one
//    process. One contradiction is proof (truncated blocks are not compared: a cut block may
//    have lost its created-by line).
// 2. New ids come from a global counter, handed to each P in batches of 16 (proc.go
//    _GoidCacheBatch), so in one process fresh ids are almost all above every id seen before;
//    only the few left in a P's cached batch can be lower. After a restart the fresh ids are
//    small. We call it a restart when the live ids collapsed (max id at most half the previous
//    max, at least half of the previous goroutines gone) AND the fresh ids are mostly (at
//    least half, at least one) in the lower half of the previous id range. The end of a burst
//    in one process collapses the max too, but its fresh ids come from the counter, above the
//    old max. A restarted program that recreates its long-lived goroutines with the same ids
//    (deterministic startup: seen with examples/leaky) leaves only this signal: its request
//    goroutines (the one serving our poll, at least) get low ids again.
// 3. When the poller tells us the target was unreachable in between (`reconnected`), any one
//    of the signals suffices: a collapse, one fresh low id, or a contradiction.
//
// A restart of a small deterministic program that recreates exactly the same goroutines with
// exactly the same ids is indistinguishable from no restart, and also harmless.

export interface RestartEvidence {
	/** Goroutines in the previous poll. */
	prevCount: number;
	/** Highest id in the previous poll. */
	prevMax: number;
	/** Goroutines in this poll. */
	count: number;
	/** Highest id in this poll. */
	max: number;
	/** Ids present in both polls. */
	common: number;
	/** Ids present in both polls whose created-by differs: impossible within one process. */
	contradictions: number;
	/** Ids not present in the previous poll. */
	fresh: number;
	/** Fresh ids below half the previous max id. */
	freshLow: number;
	/** The poller lost the target since the previous poll (connection refused/reset). */
	reconnected?: boolean;
}

export function emptyEvidence(prevCount: number, prevMax: number): RestartEvidence {
	return {prevCount, prevMax, count: 0, max: 0, common: 0, contradictions: 0, fresh: 0, freshLow: 0};
}

/** The verdict on the evidence; see the file comment for why each threshold is what it is. */
export function isRestart(e: RestartEvidence): boolean {
	if (e.prevCount === 0 || e.count === 0) return false;
	if (e.contradictions > 0) return true;
	const gone = e.prevCount - e.common;
	const collapsed = e.max * 2 <= e.prevMax && gone * 2 >= e.prevCount;
	if (e.reconnected) return collapsed || e.freshLow > 0;
	return collapsed && e.freshLow >= 1 && e.freshLow * 2 >= e.fresh;
}
