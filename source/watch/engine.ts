// The one watch engine: poll (fetch/poller) → parse (the source) → track (model/tracker) → suspects.
// The TUI store, `--once`/`--polls`, `--json`, `--watch` and the leak gate all subscribe to it, so
// one target seen by two outputs goes through the same code: the poller's backoff and reconnects,
// the debug=1 read after a cut dump, the cost budget, and the tracker's restart epochs.
import type {Config} from '../config.ts';
import type {GroupBy, ModelSnapshot} from '../model/types.ts';
import type {PollInput, TrackerLike, TrackerOptions} from '../model/api.ts';
import {snapshotFromProfile} from '../model/profile-snapshot.ts';
import {Tracker} from '../model/tracker.ts';
import {Poller, type PollerOptions} from '../fetch/poller.ts';
import type {DumpSource} from '../fetch/source.ts';
import type {Timers} from '../fetch/timers.ts';
import {Yielder} from '../fetch/yield.ts';
import type {FetchResult, PollError, PollerState} from '../fetch/types.ts';

/** Goroutines tracked per slice of a big dump (~2-10 ms each at 100k, a first poll the slowest). */
export const SLICE_GOROUTINES = 1000;
/** A dump this small is tracked at once, in the poller's publish (~10-25 ms): the state moves with the poll. */
export const AT_ONCE_GOROUTINES = 5000;

export interface WatchOptions {
	/** Requested interval between polls, ms. */
	intervalMs: number;
	/** Budget for the target's dump time, % of any 40 s window; 0 = never stretch. */
	maxOverheadPct: number;
	/** Longest single freeze a full dump may cause unasked, ms; 0 = no limit (default 1 s). */
	maxPauseMs?: number;
	/** Counts only (the URL asked for ?debug=1): full dumps only when asked. */
	countsOnly?: boolean;
	/** The limit one poll runs under, for the waiting line. */
	deadline?: {ms: number; flag: string};
	groupBy?: GroupBy;
	stuckAfterPolls?: number;
	stuckAfterMs?: number;
	/** Goroutine ids of the --baseline dump (parsed once by the caller): see TrackerOptions.baselineIds. */
	baselineIds?: ReadonlySet<number>;
	/**
	 * A report on one dump (a file or stdin, read once): the model keeps nothing for a next poll and
	 * hands out the parser's own goroutines instead of compact copies (the dump is held anyway): see
	 * TrackerOptions.oneShot. Lets `--json` on 2 million tiny goroutines stay under 1.5 GB.
	 */
	oneShot?: boolean;
	/** Default: a Tracker with the options above. */
	tracker?: TrackerLike;
	timers?: Timers;
	/** Poller tuning (tests use short backoff caps). */
	maxBackoffMs?: number;
	leakIntervalMs?: number;
	maxRawBytes?: number;
	/** Frames with their args (default true): see ParseCache.args. */
	args?: boolean;
	/** Start polling at once (default true). */
	autoStart?: boolean;
}

export interface WatchState {
	/** The poller's own state; its `error` also carries a dump the model could not take in. */
	poller: PollerState;
	/** Undefined until the first whole dump. */
	model?: ModelSnapshot;
	/**
	 * The fetch behind the model's last whole dump: a debug=2 dump, or a saved debug=1 profile read
	 * offline. Its kind, preamble, size and time are what a report says about "the last poll".
	 */
	dump?: FetchResult;
}

export interface WatchEngine {
	/** The poller underneath (`await engine.poller.whenIdle()`, the raw bytes of the last dump). */
	readonly poller: Poller;
	subscribe(listener: () => void): () => void;
	/** Immutable; a new object whenever anything changed. */
	getState(): WatchState;
	start(): void;
	pause(): void;
	resume(): void;
	/** `D`: a full dump now, whatever the budget says. */
	refreshNow(): void;
	/** `r`: poll now within the budget. */
	pollNow(): void;
	setIntervalMs(ms: number): void;
	setGroupBy(by: GroupBy): void;
	stop(): Promise<void>;
}

/** What the config says about polling and the stuck rule; callers add their own (groupBy, test timers). */
/**
 * For runs without a screen (reports, diff, metrics, a fleet's report): no raw copy of each dump for
 * `w` (kept, it grew to 64 MiB outside V8's heap before being dropped: a quarter of `--once`'s peak
 * RSS on 100k goroutines), and no args in frames (only the stack view shows them; see ParseCache.args).
 */
export const FOR_REPORTS = {maxRawBytes: 0, args: false} as const satisfies Partial<WatchOptions>;

export function configWatchOptions(
	config: Pick<Config, 'intervalMs' | 'maxOverheadPct' | 'stuckAfterPolls' | 'stuckAfterMs'> &
		Partial<Pick<Config, 'target' | 'maxPauseMs' | 'headersTimeoutMs' | 'pollTimeoutMs'>>,
): WatchOptions {
	const options: WatchOptions = {intervalMs: config.intervalMs, maxOverheadPct: config.maxOverheadPct};
	if (config.maxPauseMs !== undefined) options.maxPauseMs = config.maxPauseMs;
	const target = config.target;
	if ((target?.kind === 'http' || target?.kind === 'unix') && target.countsOnly) options.countsOnly = true;
	const deadline = deadlineOf(config);
	if (deadline) options.deadline = deadline;
	if (config.stuckAfterPolls !== undefined) options.stuckAfterPolls = config.stuckAfterPolls;
	if (config.stuckAfterMs !== undefined) options.stuckAfterMs = config.stuckAfterMs;
	return options;
}

/**
 * The limit a poll waits under: a network target that never answers gives up at --headers-timeout
 * (Go sends headers once the dump is collected), the whole poll at --poll-timeout; a file read at --poll-timeout.
 */
function deadlineOf(config: Partial<Pick<Config, 'target' | 'headersTimeoutMs' | 'pollTimeoutMs'>>): WatchOptions['deadline'] {
	const {target, headersTimeoutMs, pollTimeoutMs} = config;
	if (!target || pollTimeoutMs === undefined) return undefined;
	if ((target.kind === 'http' || target.kind === 'unix') && headersTimeoutMs !== undefined && headersTimeoutMs > 0 && headersTimeoutMs < pollTimeoutMs) {
		return {ms: headersTimeoutMs, flag: '--headers-timeout'};
	}
	return {ms: pollTimeoutMs, flag: '--poll-timeout'};
}

export function trackerOptions(options: Pick<WatchOptions, 'groupBy' | 'stuckAfterPolls' | 'stuckAfterMs' | 'baselineIds' | 'oneShot'>): TrackerOptions {
	const tracker: TrackerOptions = {};
	if (options.oneShot) {
		tracker.oneShot = true;
		tracker.keepArgs = true;
	}
	if (options.groupBy !== undefined) tracker.groupBy = options.groupBy;
	if (options.stuckAfterPolls !== undefined) tracker.stuckAfterPolls = options.stuckAfterPolls;
	if (options.stuckAfterMs !== undefined) tracker.stuckAfterMs = options.stuckAfterMs;
	if (options.baselineIds !== undefined) tracker.baselineIds = options.baselineIds;
	return tracker;
}

/**
 * Feeds the tracker one poll's goroutines: at once when the dump is small, else a slice at a time
 * with the event loop let in after each ~8 ms (a promise): keys wait one slice at most.
 */
export function trackPoll(tracker: TrackerLike, input: PollInput): ModelSnapshot | Promise<ModelSnapshot> {
	const goroutines = input.goroutines;
	if (!tracker.beginPoll || goroutines.length <= AT_ONCE_GOROUTINES) return tracker.update(input);
	const {goroutines: _goroutines, at, ...options} = input;
	const feed = tracker.beginPoll(at, goroutines.length);
	return (async () => {
		const yielder = new Yielder();
		for (let from = 0; from < goroutines.length; from += SLICE_GOROUTINES) {
			feed.add(goroutines.slice(from, from + SLICE_GOROUTINES));
			// Counted as ~512 bytes a goroutine too, so a fast machine still lets the loop in every 4k goroutines.
			if (yielder.due(SLICE_GOROUTINES * 512)) await yielder.yieldNow();
		}
		// The end of the poll (creators, groups, suspects) is ~100 ms at 100k goroutines: in its steps too.
		const steps = feed.endSteps(options);
		for (;;) {
			const step = steps.next();
			if (step.done) return step.value;
			if (yielder.due(0)) await yielder.yieldNow();
		}
	})();
}

/** A dump the engine could not take in (a bug in the model or a listener): shown as the poll's error, polling goes on. */
function processingError(error: unknown, at: number): PollError {
	const message = `gmon could not process this dump: ${error instanceof Error ? error.message : String(error)}`.split('\n')[0] ?? '';
	return {kind: 'other', message, at, attempt: 1};
}

export function createWatch(source: DumpSource, options: WatchOptions): WatchEngine {
	const tracker: TrackerLike = options.tracker ?? new Tracker(trackerOptions(options));
	const pollerOptions: PollerOptions = {intervalMs: options.intervalMs, maxOverheadPct: options.maxOverheadPct};
	if (options.maxPauseMs !== undefined) pollerOptions.maxPauseMs = options.maxPauseMs;
	if (options.countsOnly) pollerOptions.countsOnly = true;
	if (options.deadline) pollerOptions.deadline = options.deadline;
	if (options.timers) pollerOptions.timers = options.timers;
	if (options.maxBackoffMs !== undefined) pollerOptions.maxBackoffMs = options.maxBackoffMs;
	if (options.leakIntervalMs !== undefined) pollerOptions.leakIntervalMs = options.leakIntervalMs;
	if (options.maxRawBytes !== undefined) pollerOptions.maxRawBytes = options.maxRawBytes;
	if (options.args !== undefined) pollerOptions.args = options.args;
	// The next poll waits while a dump is being tracked in slices (see PollerOptions.consumerBusy).
	let idle: {promise: Promise<void>; resolve: () => void} | undefined;
	pollerOptions.consumerBusy = () => {
		if (!busy) return undefined;
		if (!idle) {
			let resolve = (): void => {};
			const promise = new Promise<void>(done => {
				resolve = done;
			});
			idle = {promise, resolve};
		}
		return idle.promise;
	};
	const poller = new Poller(source, pollerOptions);
	const listeners = new Set<() => void>();
	let state: WatchState = Object.freeze({poller: poller.getState()});
	let seen: PollerState = poller.getState();
	let modelError: PollError | undefined;
	// A fetch failure between two good dumps (refused, reset…) is the usual sign of a restart:
	// the tracker then accepts weaker evidence that goroutine ids started over.
	let failedSinceLastDump = false;
	// A saved profile's snapshot has one group per stack whatever the key: regrouping keeps it.
	let fromProfile = false;
	// Until a full dump went through the tracker, a live target's debug=1 profile is the whole
	// picture (the budget held the full dump): its groups are shown, and a report counts it as a poll.
	let hadFullDump = false;

	const publish = (next: Partial<WatchState>): void => {
		state = Object.freeze({...state, ...next});
		for (const listener of [...listeners]) listener();
	};

	// A big dump is tracked in slices with the event loop let in between (keys and frames answer while
	// 100k goroutines are tracked); the poller's changes that arrive meanwhile wait their turn, in order,
	// so the model still follows the polls one by one. A small dump is tracked at once, in the poller's publish.
	let busy = false;
	let stopped = false;
	let pendingGroupBy: GroupBy | undefined;
	const waiting: PollerState[] = [];

	/** One change of the poller: into the model (at once, or a promise when the dump is tracked in slices). */
	const take = (current: PollerState): void | Promise<void> => {
		const previous = seen;
		seen = current;
		const next: Partial<WatchState> = {};
		if (current.error && current.error !== previous.error) failedSinceLastDump = true;
		const fail = (error: unknown): void => {
			// A model bug must not kill the poll loop (this runs inside the poller's publish): show it, keep polling.
			modelError = processingError(error, current.last?.at ?? Date.now());
		};
		const rest = (): void => {
			try {
				if (current.lastProfile && current.lastProfile !== previous.lastProfile) {
					const profile = current.lastProfile;
					if ((!source.hasProfiles || !hadFullDump) && profile.dump.goroutines.length === 0) {
						// A saved debug=1 profile read offline is the whole dump: one group per record, as the report shows it.
						next.model = snapshotFromProfile(profile.dump, profile.at);
						next.dump = profile;
						fromProfile = true;
					} else if (tracker.updateProfile) {
						next.model = tracker.updateProfile(profile.dump.records, profile.at);
					}
					modelError = undefined;
				}
			} catch (error) {
				fail(error);
			}
			// Shown until a dump goes through, unless the poller has a fresher error of its own.
			next.poller = modelError && !current.error ? Object.freeze({...current, error: modelError}) : current;
			publish(next);
		};
		const tookDump = (model: ModelSnapshot, last: FetchResult): void => {
			next.model = model;
			next.dump = last;
			fromProfile = false;
			hadFullDump = true;
			modelError = undefined;
		};
		// Per-goroutine data moves only on a new debug=2 dump; the cheap profile moves totals in between.
		const last = current.last;
		if (last && last !== previous.last) {
			let tracked: ModelSnapshot | Promise<ModelSnapshot>;
			try {
				const input: PollInput = {goroutines: last.dump.goroutines, at: last.at};
				if (current.leakRecords) input.leakRecords = current.leakRecords;
				if (last.dump.truncated) input.truncated = true;
				// The profile read after a cut dump in the same tick gives this poll's counts.
				if (input.truncated && current.lastProfile !== previous.lastProfile && tracker.updateProfile) input.countsFollow = true;
				if (failedSinceLastDump) input.reconnected = true;
				failedSinceLastDump = false;
				tracked = trackPoll(tracker, input);
			} catch (error) {
				fail(error);
				return rest();
			}
			if (!(tracked instanceof Promise)) {
				tookDump(tracked, last);
				return rest();
			}
			return tracked.then(
				model => {
					if (!stopped) {
						tookDump(model, last);
						rest();
					}
				},
				(error: unknown) => {
					fail(error);
					rest();
				},
			);
		}
		return rest();
	};

	/** Takes the poller's changes in order; one tracked in slices holds the later ones until it is done. */
	const onPoller = (current: PollerState): void => {
		if (busy) {
			waiting.push(current);
			return;
		}
		const pass = take(current);
		if (!pass) return;
		busy = true;
		const settle = (): void => {
			busy = false;
			idle?.resolve();
			idle = undefined;
			if (pendingGroupBy !== undefined) {
				const by = pendingGroupBy;
				pendingGroupBy = undefined;
				engine.setGroupBy(by);
			}
			while (!stopped && !busy && waiting.length > 0) onPoller(waiting.shift()!);
		};
		// Settled either way: the next poll waits on `busy` (consumerBusy), so a pass that threw (a
		// listener's bug) must not hold polling for good; it is shown like a model error instead.
		void pass.then(settle, (error: unknown) => {
			modelError = processingError(error, Date.now());
			settle();
		});
	};
	poller.subscribe(() => onPoller(poller.getState()));

	const engine: WatchEngine = {
		poller,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getState: () => state,
		start: () => poller.start(),
		pause: () => poller.pause(),
		resume: () => poller.resume(),
		refreshNow: () => poller.refreshNow(),
		pollNow: () => poller.pollNow(),
		setIntervalMs: ms => poller.setIntervalMs(ms),
		setGroupBy(by) {
			// Not while a dump is being tracked in slices: its rows are keyed by the grouping it began with.
			if (busy) {
				pendingGroupBy = by;
				return;
			}
			const model = tracker.setGroupBy(by);
			// Before the first dump there is nothing to regroup: the model stays undefined until one comes.
			if (state.model && !fromProfile) publish({model});
		},
		stop: () => {
			stopped = true;
			return poller.stop();
		},
	};
	if (options.autoStart !== false) poller.start();
	return engine;
}
