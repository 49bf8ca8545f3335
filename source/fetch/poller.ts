// The poller: when to ask a DumpSource for what, outside React. One request at a time, never
// overlapping; capped exponential backoff that recovers by itself; the last good results kept
// across errors; and cost awareness — debug=2 stops the target's world for the whole dump, so the
// debug=2 interval is stretched to keep that pause under --max-overhead % of wall time, with cheap
// debug=1 profiles filling the gaps. Publishes immutable PollerState objects.
import {formatDuration} from '../text/units.ts';
import {PollFault} from './faults.ts';
import type {DumpSource, FetchOutcome, FetchRequest} from './source.ts';
import {realTimers, type Timers} from './timers.ts';
import type {PollerState, PollError} from './types.ts';

export interface PollerOptions {
	/** Requested interval between polls, ms. */
	intervalMs: number;
	/** Budget for the target's dump time, % of wall time; 0 = never stretch. */
	maxOverheadPct: number;
	/** Longest wait between retries after errors, ms (default 30 s, never below the interval). */
	maxBackoffMs?: number;
	/** goroutineleak polling interval, ms; default max(30 s, 10 × interval) — each read costs the target a GC cycle. */
	leakIntervalMs?: number;
	/** Longest dump kept byte for byte for `w` (default MAX_RAW_BYTES). */
	maxRawBytes?: number;
	timers?: Timers;
}

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
	private costMs: number | undefined;
	private costSamples: number[] = [];
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
			paused: false,
			polling: false,
			intervalMs: options.intervalMs,
			effectiveIntervalMs: options.intervalMs,
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

	/** Start polling now (the first poll is a full debug=2 dump). */
	start(): void {
		if (this.started || this.stopped) return;
		this.started = true;
		void this.tick(true);
	}

	/**
	 * One full poll now (also when paused); resolves with the state after it. Does not start the
	 * schedule by itself: `--once` is `await poller.poll()` then `await poller.stop()`.
	 */
	async poll(): Promise<PollerState> {
		await this.tick(true);
		return this.state;
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
		if (this.started) void this.tick(false);
	}

	/** A full debug=2 poll now, whatever the budget says (the user asked); queued if one is in flight. */
	refreshNow(): void {
		this.started = true;
		void this.tick(true);
	}

	setIntervalMs(ms: number): void {
		if (!(ms > 0)) return;
		this.options.intervalMs = ms;
		this.publish({intervalMs: ms, ...this.budget()});
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

	private tick(force: boolean): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.inFlight) {
			if (force) this.refreshQueued = true;
			return this.inFlight;
		}
		this.clearTimer();
		const run = this.runTick(force).finally(() => {
			this.inFlight = undefined;
			if (this.stopped) return;
			if (this.refreshQueued) {
				this.refreshQueued = false;
				void this.tick(true);
			} else {
				this.schedule();
			}
		});
		this.inFlight = run;
		return run;
	}

	private async runTick(force: boolean): Promise<void> {
		const startedAt = this.timers.now();
		this.lastTickAt = startedAt;
		const abort = new AbortController();
		this.abort = abort;
		const {signal} = abort;
		this.publish({polling: true, pollStartedAt: startedAt, nextPollAt: undefined});
		const patch: Partial<PollerState> = {};
		try {
			const interval = this.options.intervalMs;
			const fullDue =
				force ||
				!this.source.hasProfiles ||
				this.lastFullAt === undefined ||
				// Half an interval of slack: ticks come every interval, so take the one closest to due.
				startedAt >= this.lastFullAt + this.state.effectiveIntervalMs - interval / 2 ||
				this.profileUnsupported;
			if (fullDue) {
				const request: FetchRequest = {profile: 'goroutine', debug: 2, keepRaw: true};
				if (this.options.maxRawBytes !== undefined) request.maxRawBytes = this.options.maxRawBytes;
				const outcome = await this.source.fetch(request, signal);
				if (outcome !== 'unchanged') {
					if (outcome.result.debug === 2) {
						patch.last = outcome.result;
						this.raw = outcome.raw;
						this.lastFullAt = startedAt;
						// Time to headers is what Go spent collecting the dump with the world stopped, plus
						// network and our own event-loop latency. The least of the last three samples keeps
						// a busy gmon (or one slow hop) from stretching the interval for nothing.
						this.costSamples = [...this.costSamples.slice(-2), outcome.headersMs ?? outcome.result.durationMs];
						this.costMs = Math.min(...this.costSamples);
						Object.assign(patch, this.budget());
						// A cut dump misses goroutines: keep the totals honest from the cheap profile.
						if (outcome.result.truncated && this.source.hasProfiles) await this.pollProfile(patch, signal);
					} else {
						patch.lastProfile = outcome.result; // an offline debug=1 profile
					}
				}
			} else {
				await this.pollProfile(patch, signal);
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
			if (this.source.repeats) pollError.retryAt = this.timers.now() + this.backoffMs();
			patch.error = pollError;
		} finally {
			if (this.abort === abort) this.abort = undefined;
		}
		patch.polling = false;
		patch.pollStartedAt = undefined;
		this.publish(patch);
	}

	/** The cheap debug=1 profile. A target that does not serve it (a custom endpoint) is not asked again. */
	private async pollProfile(patch: Partial<PollerState>, signal: AbortSignal): Promise<void> {
		if (this.profileUnsupported) return;
		try {
			const profile = await this.source.fetch({profile: 'goroutine', debug: 1}, signal);
			if (profile !== 'unchanged') patch.lastProfile = profile.result;
		} catch (error) {
			if (error instanceof PollFault && (error.kind === 'not-found' || error.kind === 'not-a-dump')) {
				this.profileUnsupported = true;
				return;
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

	/** The debug=2 interval that keeps the measured dump cost under the budget. */
	private budget(): Pick<PollerState, 'effectiveIntervalMs' | 'stretchedReason'> {
		const interval = this.options.intervalMs;
		const pct = this.options.maxOverheadPct;
		if (!this.source.hasProfiles || pct <= 0 || this.costMs === undefined) return {effectiveIntervalMs: interval, stretchedReason: undefined};
		const needed = Math.ceil((this.costMs * 100) / pct);
		if (needed <= interval) return {effectiveIntervalMs: interval, stretchedReason: undefined};
		return {
			effectiveIntervalMs: needed,
			stretchedReason: `dump costs ${formatDuration(this.costMs)}; a full dump every ${formatDuration(needed)} keeps the target under ${pct}%, counts every ${formatDuration(interval)}`,
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
			void this.tick(false);
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
