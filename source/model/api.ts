// The contract of the model, implemented in tracker.ts (and friends). Pure: no I/O, no clock reads —
// every time comes in as an argument, so tests replay poll sequences exactly.
import type {Goroutine, ProfileRecord} from '../dump/types.ts';
import type {GroupBy, ModelSnapshot} from './types.ts';

export interface TrackerOptions {
	/** Polls in a row unchanged before a goroutine counts as stuck (default 3). */
	stuckAfterPolls?: number;
	/** Alternatively a duration (`--stuck-after 30s`): stuck once unchanged this long, ms. */
	stuckAfterMs?: number;
	/** Length of every history ring (default 120 polls). */
	historyLength?: number;
	/** How long gone goroutines and vanished groups are remembered, ms (default 10 min). */
	forgetAfterMs?: number;
	groupBy?: GroupBy;
	/** Window for `Group.growthPerMin`, ms (default 5 min). */
	growthWindowMs?: number;
	/** LeakProf's count rule: this many stuck goroutines at one user-code blocking place make a suspect even without growth (default 50). */
	leakThreshold?: number;
	/**
	 * Goroutine ids of a dump taken before the workload (`--baseline before.txt`): members of a
	 * leak-shaped site absent from it appeared during the workload; still parked after it settled,
	 * they are leaks (goleak's rule).
	 */
	baselineIds?: ReadonlySet<number>;
	/**
	 * Keep the parser's own Goroutine objects (with args) in the snapshot. Default false: the
	 * model hands out compact copies whose frames are the interned, arg-less frames of their
	 * stack (memory independent of dump size); `--once` reports on one dump can afford true.
	 */
	keepArgs?: boolean;
	/**
	 * The model sees one poll only (a report on a file or stdin): nothing is kept for a next poll (no
	 * record per goroutine id, ~240 B each with its map entry), which is what lets `--json` on a 64 MiB
	 * dump of 2 million tiny goroutines stay under 1.5 GB. A second poll is then treated as a first.
	 */
	oneShot?: boolean;
}

export interface PollInput {
	goroutines: Goroutine[];
	/** Epoch-ms of the poll. */
	at: number;
	/** Records of Go's goroutineleak profile (debug=1), when the target serves it. */
	leakRecords?: ProfileRecord[];
	/** The dump was cut (Go's 64 MB cap, a broken connection): goroutines missing from it are not reported gone. */
	truncated?: boolean;
	/** The target was unreachable since the previous poll (refused/reset): weaker evidence then suffices for a restart. */
	reconnected?: boolean;
	/**
	 * A debug=1 profile of the same tick follows (the poller reads one after a cut dump): its
	 * updateProfile records this poll's point in the trends. The cut dump's own counts miss what
	 * was cut; recording both would draw every poll as a dip and a rise.
	 */
	countsFollow?: boolean;
}

/** Feed a poll's goroutines a slice at a time, then end it (see Tracker.beginPoll). */
export interface PollFeed {
	/** Track these goroutines now (a slice of the poll, in dump order). */
	add(goroutines: readonly Goroutine[]): void;
	/** Finish the poll: gone ids, restart verdict, groups, trends, suspects. */
	end(options?: Omit<PollInput, 'goroutines' | 'at'>): ModelSnapshot;
	/** `end` in steps: run `next()` until done (its value is the snapshot); the caller may let the event loop in between. */
	endSteps(options?: Omit<PollInput, 'goroutines' | 'at'>): Generator<void, ModelSnapshot>;
}

export interface TrackerLike {
	/** Feed one debug=2 poll; returns the new snapshot. */
	update(input: PollInput): ModelSnapshot;
	/**
	 * `update` in slices: the watch engine feeds a big dump a slice at a time and lets the event loop
	 * in between (keys answer while 100k goroutines are tracked). Optional: a tracker without it is fed whole.
	 */
	beginPoll?(at: number, expected?: number): PollFeed;
	/** Feed a cheap debug=1 poll between debug=2 polls: totals and histories move, per-goroutine data stays. */
	updateProfile?(records: ProfileRecord[], at: number): ModelSnapshot;
	/** Regroup the current data under another key; returns the new snapshot. */
	setGroupBy(by: GroupBy): ModelSnapshot;
	readonly snapshot: ModelSnapshot | undefined;
}
