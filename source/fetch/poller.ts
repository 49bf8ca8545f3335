// The poller: when to ask a DumpSource for what, outside React. One request at a time, never
// overlapping; capped exponential backoff that recovers by itself; the last good results kept
// across errors; and the target's budget — debug=2 stops the target's world for the whole dump, so
// the first contact is the cheap debug=1 profile (the count and the groups), a full dump is
// predicted from that count before it is asked for (budget.ts), taken only while it keeps every
// 40 s window under --max-overhead and one freeze under --max-pause, and held (groups from debug=1,
// the cost said) when one alone would break either. Publishes immutable PollerState objects.
import {formatDuration, formatPause} from '../text/units.ts';
import {BUDGET_WINDOW_MS, type BudgetLimits, type CostSample, fitsWindow, fullIntervalMs, heldReason, type Pause, predictFullMs} from './budget.ts';
import {PollFault} from './faults.ts';
import type {DumpSource, FetchOutcome, FetchRequest} from './source.ts';
import {realTimers, type Timers} from './timers.ts';
import type {FetchResult, PollerState, PollError} from './types.ts';

export interface PollerOptions {
	/** Requested interval between polls, ms. */
	intervalMs: number;
	/** Budget for the target's dump time, % of any 40 s window; 0 = never stretch. */
	maxOverheadPct: number;
	/** Longest single freeze a full dump may cause unasked, ms (default 1 s); 0 = no limit. */
	maxPauseMs?: number;
	/** The user asked for `?debug=1`: counts and groups only; a full dump only when asked (D). */
	countsOnly?: boolean;
	/** The limit a poll runs under, shown while the first poll waits. */
	deadline?: {ms: number; flag: string};
	/** Longest wait between retries after errors, ms (default 30 s, never below the interval). */
	maxBackoffMs?: number;
	/** goroutineleak polling interval, ms; default max(30 s, 10 × interval) — each read costs the target a GC cycle. */
	leakIntervalMs?: number;
	/** Longest dump kept byte for byte for `w` (default MAX_RAW_BYTES). */
	maxRawBytes?: number;
	/** Dumps parsed with their frames' args (default true; see FetchRequest.args). */
	args?: boolean;
	/**
	 * While the consumer is still taking in the last dump (the engine tracks a big one in slices), a
	 * promise that resolves when it is done: the next poll waits for it. A poll due meanwhile (a tick
	 * that took longer than the interval, or `r`) would otherwise read and parse a second dump while
	 * the first is still held: two dumps in memory at once (an endless body under --once: 2× the peak).
	 */
	consumerBusy?: () => Promise<void> | undefined;
	timers?: Timers;
}

/** `--max-pause` by default: the longest freeze gmon causes without being asked. */
export const DEFAULT_MAX_PAUSE_MS = 1000;

/** A poll's bytes read are shown once it has run this long… */
export const PROGRESS_AFTER_MS = 1000;
/** …and published at most this often: each publish redraws the TUI. */
export const PROGRESS_EVERY_MS = 500;

/** `scheduled`: the interval came; `now`: the first contact, `r`, `--once` (a full dump if the budget allows); `full`: `D`. */
type TickMode = 'scheduled' | 'now' | 'full';

export class Poller {
	private readonly source: DumpSource;
	private readonly options: PollerOptions;
	private readonly timers: Timers;
	private readonly listeners = new Set<() => void>();
	private state: PollerState;
	private timer: unknown;
	private inFlight: Promise<void> | undefined;
	private abort: AbortController | undefined;
	private refreshQueued = false;
	private started = false;
	private stopped = false;
	private lastTickAt: number | undefined;
	private lastFullAt: number | undefined;
	private costSamples: CostSample[] = [];
	/** The latest goroutine count and when it was read: the prediction's input. */
	private count: {goroutines: number; at: number; pcs?: number} | undefined;
	private queuedMode: TickMode = 'now';
	private nextLeakAt = 0;
	private attempt = 0;
	private raw: Buffer[] | undefined;
	private profileUnsupported = false;

	constructor(source: DumpSource, options: PollerOptions) {
		this.source = source;
		this.options = options;
		this.timers = options.timers ?? realTimers;
		this.state = Object.freeze({
			target: source.displayName,
			leakProfile: source.hasProfiles ? 'unknown' : 'absent',
			...(source.hasProfiles ? {} : {offline: true as const}),
			paused: false,
			polling: false,
			intervalMs: options.intervalMs,
			effectiveIntervalMs: options.intervalMs,
			pauses: [],
			...(options.deadline ? {deadline: options.deadline} : {}),
		});
	}

	getState(): PollerState {
		return this.state;
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** The bytes of the last good debug=2 dump as received (bounded by --max-bytes), for writing it out. */
	get lastRaw(): readonly Buffer[] | undefined {
		return this.raw;
	}

	/** Start polling now (the first contact is debug=1; a full dump follows when the budget allows it). */
	start(): void {
		if (this.started || this.stopped) return;
		this.started = true;
		this.publish({since: this.timers.now()});
		void this.tick('now');
	}

	/**
	 * One poll now (also when paused), a full dump if the budget allows one; resolves with the state
	 * after it. Does not start the schedule by itself.
	 */
	async poll(): Promise<PollerState> {
		if (this.state.since === undefined) this.publish({since: this.timers.now()});
		await this.tick('now');
		return this.state;
	}

	/** `r`: poll now; a full dump if the budget allows one now, else the counts. */
	pollNow(): void {
		this.started = true;
		void this.tick('now');
	}

	/** Resolves when no request is in flight. */
	async whenIdle(): Promise<void> {
		while (this.inFlight) await this.inFlight;
	}

	pause(): void {
		if (this.state.paused) return;
		this.clearTimer();
		this.publish({paused: true, nextPollAt: undefined});
	}

	resume(): void {
		if (!this.state.paused) return;
		this.publish({paused: false});
		if (this.started) void this.tick('scheduled');
	}

	/** `D`: a full debug=2 dump now, whatever the budget says (the user asked); queued if one is in flight. */
	refreshNow(): void {
		this.started = true;
		void this.tick('full');
	}

	setIntervalMs(ms: number): void {
		if (!(ms > 0)) return;
		this.options.intervalMs = ms;
		const predicted = this.state.fullDump?.predictedMs;
		this.publish({intervalMs: ms, ...(predicted === undefined ? {effectiveIntervalMs: ms, stretchedReason: undefined} : this.budget(predicted))});
		if (this.timer !== undefined && !this.state.error) {
			this.clearTimer();
			this.schedule();
		}
	}

	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		this.clearTimer();
		this.abort?.abort(new PollFault('other', 'stopped'));
		await this.inFlight?.catch(() => {});
		await this.source.close();
		this.publish({polling: false, nextPollAt: undefined});
	}

	private tick(mode: TickMode): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.inFlight) {
			if (mode !== 'scheduled') {
				// Queue the strongest ask: a full dump the user wanted is not lost behind a plain poll.
				this.queuedMode = this.refreshQueued && this.queuedMode === 'full' ? 'full' : mode;
				this.refreshQueued = true;
			}
			return this.inFlight;
		}
		this.clearTimer();
		const run = this.runTick(mode).finally(() => {
			this.inFlight = undefined;
			if (this.stopped) return;
			if (this.refreshQueued) {
				this.refreshQueued = false;
				void this.tick(this.queuedMode);
			} else {
				this.schedule();
			}
		});
		this.inFlight = run;
		return run;
	}

	private async runTick(mode: TickMode): Promise<void> {
		const abort = new AbortController();
		this.abort = abort;
		const {signal} = abort;
		const busy = this.options.consumerBusy?.();
		if (busy) {
			await new Promise<void>(resolve => {
				signal.addEventListener('abort', () => resolve(), {once: true});
				// Settled either way: a failed take-in is the engine's to report, never an unhandled rejection here.
				void busy.then(resolve, resolve);
			});
			if (this.stopped) return;
		}
		const startedAt = this.timers.now();
		this.lastTickAt = startedAt;
		this.publish({polling: true, pollStartedAt: startedAt, nextPollAt: undefined});
		const patch: Partial<PollerState> = {};
		try {
			if (mode === 'full' || !this.source.hasProfiles) {
				await this.pollFull(patch, signal, startedAt, undefined);
			} else if (this.profileUnsupported) {
				// No debug=1 to count with: the last dump's own cost is the prediction.
				if (!this.state.fullDump?.held) await this.pollFull(patch, signal, startedAt, undefined);
			} else {
				await this.pollWithinBudget(mode, patch, signal, startedAt);
			}
			this.attempt = 0;
			patch.error = undefined;
			if (this.source.hasProfiles && this.state.leakProfile !== 'absent' && startedAt >= this.nextLeakAt) {
				await this.pollLeak(patch, signal);
			}
		} catch (error) {
			if (this.stopped) return;
			const fault = error instanceof PollFault ? error : new PollFault('other', oneLine(error));
			this.attempt += 1;
			const pollError: PollError = {kind: fault.kind, message: fault.message, at: startedAt, attempt: this.attempt};
			if (fault.final) pollError.final = true;
			else if (this.source.repeats) pollError.retryAt = this.timers.now() + this.backoffMs();
			patch.error = pollError;
		} finally {
			if (this.abort === abort) this.abort = undefined;
		}
		patch.polling = false;
		patch.pollStartedAt = undefined;
		patch.bytesRead = undefined;
		this.publish(patch);
	}

	/**
	 * A tick on a live target: the counts when no full dump is due (or none is known to be safe),
	 * then a full dump when one is due, its predicted cost is not held, and it fits the window.
	 */
	private async pollWithinBudget(mode: TickMode, patch: Partial<PollerState>, signal: AbortSignal, startedAt: number): Promise<void> {
		const interval = this.options.intervalMs;
		const due =
			mode === 'now' ||
			this.lastFullAt === undefined ||
			// Half an interval of slack: ticks come every interval, so take the one closest to due.
			startedAt >= this.lastFullAt + this.state.effectiveIntervalMs - interval / 2;
		// A count from the tick before is fresh enough to predict from; the first contact (or a stale
		// count) reads debug=1 first: milliseconds at any size.
		const fresh = this.count !== undefined && startedAt - this.count.at <= 2 * interval + 1000;
		let profile: FetchResult | undefined;
		if (!due || !fresh || this.options.countsOnly) {
			profile = await this.pollProfile(signal);
			if (this.profileUnsupported) {
				// A custom endpoint with no debug=1: nothing to predict from; full dumps on the stretched
				// interval. When the full dump fails too, the target is wrong, not the profile: ask again later.
				try {
					await this.pollFull(patch, signal, startedAt, undefined);
				} catch (error) {
					if (this.lastFullAt === undefined) this.profileUnsupported = false;
					throw error;
				}
				return;
			}
		}
		if (due && this.count !== undefined) {
			const predictedMs = predictFullMs(this.count.goroutines, this.costSamples, this.count.pcs);
			const held = this.options.countsOnly ? 'the target URL asks for ?debug=1 (counts only)' : heldReason(predictedMs, this.limits());
			patch.fullDump = held === undefined ? {goroutines: this.count.goroutines, predictedMs} : {goroutines: this.count.goroutines, predictedMs, held};
			Object.assign(patch, this.budget(predictedMs));
			if (held === undefined && fitsWindow(predictedMs, this.recentPauses(startedAt), startedAt, this.limits())) {
				await this.pollFull(patch, signal, startedAt, profile);
				return;
			}
		}
		// No full dump this tick: the counts move the view (read now if the tick had none yet).
		profile ??= await this.pollProfile(signal);
		if (profile) patch.lastProfile = profile;
	}

	/**
	 * The full debug=2 dump. `profile` is a debug=1 read earlier in this tick: it stays private
	 * (the dump supersedes it) unless the dump was cut, when it gives the honest totals.
	 */
	private async pollFull(patch: Partial<PollerState>, signal: AbortSignal, startedAt: number, profile: FetchResult | undefined): Promise<void> {
		const request: FetchRequest = {profile: 'goroutine', debug: 2, keepRaw: true, onProgress: this.progress(startedAt)};
		if (this.options.maxRawBytes !== undefined) request.maxRawBytes = this.options.maxRawBytes;
		if (this.options.args === false) request.args = false;
		const fullAt = this.timers.now();
		const outcome = await this.source.fetch(request, signal);
		if (outcome === 'unchanged') return;
		if (outcome.result.debug !== 2) {
			patch.lastProfile = outcome.result; // an offline debug=1 profile
			return;
		}
		patch.last = outcome.result;
		this.raw = outcome.raw;
		this.lastFullAt = startedAt;
		if (this.source.hasProfiles) {
			// Time to headers is what Go spent collecting the dump with the world stopped (plus the
			// round trip and our own event-loop latency: counted, so the budget errs on the target's side).
			const ms = outcome.headersMs ?? outcome.result.durationMs;
			const goroutines = outcome.result.dump.goroutines.length;
			this.costSamples = [...this.costSamples.slice(-2), {ms, goroutines}];
			if (!outcome.result.truncated) this.count = {goroutines, at: this.timers.now()};
			patch.pauses = [...this.recentPauses(fullAt), {at: fullAt, ms}];
			const predictedMs = predictFullMs(this.count?.goroutines ?? goroutines, this.costSamples);
			const held = heldReason(predictedMs, this.limits());
			patch.fullDump = held === undefined ? {goroutines, predictedMs} : {goroutines, predictedMs, held};
			Object.assign(patch, this.budget(predictedMs));
			// A cut dump misses goroutines: keep the totals honest from the cheap profile.
			if (outcome.result.truncated) {
				const counts = profile ?? (await this.pollProfile(signal));
				if (counts) patch.lastProfile = counts;
			}
		}
	}

	/**
	 * The full dump's bytes read, published from PROGRESS_AFTER_MS into the poll and then at most every
	 * PROGRESS_EVERY_MS: a fast poll publishes nothing, a slow one a few times a second.
	 */
	private progress(startedAt: number): (bytes: number) => void {
		let next = startedAt + PROGRESS_AFTER_MS;
		return bytes => {
			const now = this.timers.now();
			if (now < next || this.stopped) return;
			next = now + PROGRESS_EVERY_MS;
			this.publish({bytesRead: bytes});
		};
	}

	private limits(): BudgetLimits {
		return {maxOverheadPct: this.options.maxOverheadPct, maxPauseMs: this.options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS};
	}

	/** The pauses still inside the window that ends at `now`. */
	private recentPauses(now: number): Pause[] {
		return this.state.pauses.filter(pause => pause.at + pause.ms > now - BUDGET_WINDOW_MS);
	}

	/** The cheap debug=1 profile. A target that does not serve it (a custom endpoint) is not asked again. */
	private async pollProfile(signal: AbortSignal): Promise<FetchResult | undefined> {
		if (this.profileUnsupported) return undefined;
		try {
			const profile = await this.source.fetch({profile: 'goroutine', debug: 1}, signal);
			if (profile === 'unchanged') return undefined;
			const {dump} = profile.result;
			const goroutines = dump.profileTotal ?? dump.records.reduce((n, record) => n + record.count, 0);
			// The stacks' depth (PCs include the runtime frames debug=1 hides): what a full dump would write.
			const pcs =
				dump.records.length === 0 ? undefined : dump.records.reduce((n, record) => n + record.count * Math.max(record.pcs.length, record.frames.length), 0);
			this.count = pcs === undefined ? {goroutines, at: this.timers.now()} : {goroutines, at: this.timers.now(), pcs};
			return profile.result;
		} catch (error) {
			if (error instanceof PollFault && (error.kind === 'not-found' || error.kind === 'not-a-dump')) {
				this.profileUnsupported = true;
				return undefined;
			}
			throw error;
		}
	}

	/** Probe goroutineleak once; when served, poll it on its own slower interval; when absent, never again. */
	private async pollLeak(patch: Partial<PollerState>, signal: AbortSignal): Promise<void> {
		const interval = this.options.leakIntervalMs ?? Math.max(30_000, 10 * this.options.intervalMs);
		try {
			const outcome: FetchOutcome | 'unchanged' = await this.source.fetch({profile: 'goroutineleak', debug: 1}, signal);
			if (outcome !== 'unchanged') {
				patch.leakProfile = 'present';
				patch.leakRecords = outcome.result.dump.records;
			}
		} catch (error) {
			if (signal.aborted) throw error;
			if (error instanceof PollFault && (error.kind === 'not-found' || error.kind === 'not-a-dump')) {
				patch.leakProfile = 'absent';
				patch.leakRecords = undefined;
			}
			// Anything else (the target went away mid-tick): keep what we had and try on the next leak interval.
		}
		this.nextLeakAt = this.timers.now() + interval;
	}

	/** The full-dump interval that keeps the predicted cost under the share, and why, when it is longer than the interval. */
	private budget(predictedMs: number): Pick<PollerState, 'effectiveIntervalMs' | 'stretchedReason'> {
		const interval = this.options.intervalMs;
		const needed = fullIntervalMs(predictedMs, interval, this.limits());
		// Stretched only when it reads differently: "every 2s (stretched from 2s)" said nothing.
		if (formatDuration(needed) === formatDuration(interval)) return {effectiveIntervalMs: interval, stretchedReason: undefined};
		return {
			effectiveIntervalMs: needed,
			stretchedReason: `each full dump freezes the target ~${formatPause(predictedMs)}; --max-overhead ${this.options.maxOverheadPct}%`,
		};
	}

	private backoffMs(): number {
		const interval = this.options.intervalMs;
		const cap = Math.max(interval, this.options.maxBackoffMs ?? 30_000);
		return Math.min(cap, interval * 2 ** (this.attempt - 1));
	}

	private schedule(): void {
		if (this.stopped || this.state.paused || !this.started || this.timer !== undefined) return;
		if (!this.source.repeats) return;
		const now = this.timers.now();
		let due = this.state.error?.retryAt ?? (this.lastTickAt ?? now) + this.options.intervalMs;
		// Without a cheap profile to fill the gaps, sleep until the next full dump is due.
		if (!this.state.error && this.profileUnsupported && this.lastFullAt !== undefined) {
			due = Math.max(due, this.lastFullAt + this.state.effectiveIntervalMs);
		}
		const delay = Math.max(0, due - now);
		this.timer = this.timers.setTimeout(() => {
			this.timer = undefined;
			void this.tick('scheduled');
		}, delay);
		this.publish({nextPollAt: now + delay});
	}

	private clearTimer(): void {
		if (this.timer === undefined) return;
		this.timers.clearTimeout(this.timer);
		this.timer = undefined;
	}

	private publish(patch: Partial<PollerState>): void {
		this.state = Object.freeze({...this.state, ...patch});
		for (const listener of [...this.listeners]) listener();
	}
}

function oneLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return (text.split('\n')[0] ?? 'unknown error').slice(0, 200);
}
