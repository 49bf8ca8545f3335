// The store the live TUI reads: the poller (source/fetch/) feeding the tracker (source/model/),
// one immutable MonitorState at a time, read with useSyncExternalStore.
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import type {Config} from './config.ts';
import type {TrackerLike, TrackerOptions} from './model/api.ts';
import {Tracker} from './model/tracker.ts';
import type {MonitorState, MonitorStore} from './monitor-types.ts';
import {createSource} from './fetch/create-source.ts';
import {Poller} from './fetch/poller.ts';
import {MAX_RAW_BYTES} from './fetch/raw-keeper.ts';
import {formatBytes} from './view/format.ts';
import type {DumpSource} from './fetch/source.ts';
import type {Timers} from './fetch/timers.ts';
import type {PollError, PollerState} from './fetch/types.ts';

export interface MonitorDeps {
	/** Default: createSource(config). */
	source?: DumpSource;
	/** Default: new Tracker(options from config). */
	tracker?: TrackerLike;
	timers?: Timers;
	stdin?: Readable;
	/** Where writeDump() puts files without a path; default process.cwd(). */
	cwd?: string;
	/** Start polling at once (default true). */
	autoStart?: boolean;
	/** Overrides of poller tuning (tests use short backoff caps). */
	maxBackoffMs?: number;
	leakIntervalMs?: number;
	/** Longest dump kept for writeDump (default MAX_RAW_BYTES, 64 MB). */
	maxRawBytes?: number;
}

export interface Monitor extends MonitorStore {
	/** The poller underneath, for --once (`await monitor.poller.poll()`) and tests. */
	readonly poller: Poller;
}

export function trackerOptions(config: Config): TrackerOptions {
	const options: TrackerOptions = {};
	if (config.stuckAfterPolls !== undefined) options.stuckAfterPolls = config.stuckAfterPolls;
	if (config.stuckAfterMs !== undefined) options.stuckAfterMs = config.stuckAfterMs;
	return options;
}

export function createMonitor(config: Config, deps: MonitorDeps = {}): Monitor {
	const source = deps.source ?? createSource(config, deps.stdin ? {stdin: deps.stdin} : {});
	const tracker: TrackerLike = deps.tracker ?? new Tracker(trackerOptions(config));
	const pollerOptions: ConstructorParameters<typeof Poller>[1] = {intervalMs: config.intervalMs, maxOverheadPct: config.maxOverheadPct};
	if (deps.timers) pollerOptions.timers = deps.timers;
	if (deps.maxBackoffMs !== undefined) pollerOptions.maxBackoffMs = deps.maxBackoffMs;
	if (deps.leakIntervalMs !== undefined) pollerOptions.leakIntervalMs = deps.leakIntervalMs;
	if (deps.maxRawBytes !== undefined) pollerOptions.maxRawBytes = deps.maxRawBytes;
	const poller = new Poller(source, pollerOptions);
	const listeners = new Set<() => void>();
	let state: MonitorState = Object.freeze({poller: poller.getState()});
	let seen: PollerState = poller.getState();
	let modelError: PollError | undefined;
	// A fetch failure between two good dumps (refused, reset…) is the usual sign of a restart:
	// the tracker then accepts weaker evidence that goroutine ids started over.
	let failedSinceLastDump = false;

	const publish = (next: Partial<MonitorState>): void => {
		state = Object.freeze({...state, ...next});
		for (const listener of [...listeners]) listener();
	};

	poller.subscribe(() => {
		const current = poller.getState();
		const previous = seen;
		seen = current;
		let model = state.model;
		if (current.error && current.error !== previous.error) failedSinceLastDump = true;
		try {
			// Per-goroutine data moves only on a new debug=2 dump; the cheap profile moves totals in between.
			if (current.last && current.last !== previous.last) {
				const input: Parameters<TrackerLike['update']>[0] = {goroutines: current.last.dump.goroutines, at: current.last.at};
				if (current.leakRecords) input.leakRecords = current.leakRecords;
				if (current.last.dump.truncated) input.truncated = true;
				// The profile read after a cut dump in the same tick gives this poll's counts.
				if (input.truncated && current.lastProfile !== previous.lastProfile && tracker.updateProfile) input.countsFollow = true;
				if (failedSinceLastDump) input.reconnected = true;
				failedSinceLastDump = false;
				model = tracker.update(input);
				modelError = undefined;
			}
			if (current.lastProfile && current.lastProfile !== previous.lastProfile && tracker.updateProfile) {
				model = tracker.updateProfile(current.lastProfile.dump.records, current.lastProfile.at);
				modelError = undefined;
			}
		} catch (error) {
			// A model bug must not kill the poll loop (this runs inside the poller's publish): show it, keep polling.
			const message = `gmon could not process this dump: ${error instanceof Error ? error.message : String(error)}`.split('\n')[0] ?? '';
			modelError = {kind: 'other', message, at: current.last?.at ?? Date.now(), attempt: 1};
		}
		// Shown until a dump goes through, unless the poller has a fresher error of its own.
		const pollerState = modelError && !current.error ? Object.freeze({...current, error: modelError}) : current;
		publish(model === undefined ? {poller: pollerState} : {poller: pollerState, model});
	});

	const monitor: Monitor = {
		poller,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getState: () => state,
		control: {
			pause: () => poller.pause(),
			resume: () => poller.resume(),
			refreshNow: () => poller.refreshNow(),
			setIntervalMs: ms => poller.setIntervalMs(ms),
			setGroupBy(by) {
				publish({model: tracker.setGroupBy(by)});
			},
			async writeDump(path) {
				const raw = poller.lastRaw;
				const last = poller.getState().last;
				if (!raw || !last) {
					const error = last
						? `the last dump (${formatBytes(last.bytes)}) was too large to keep for writing (gmon keeps up to ${formatBytes(deps.maxRawBytes ?? MAX_RAW_BYTES)}); save one with curl`
						: 'no goroutine dump to write yet';
					publish({lastWrite: {error}});
					throw new Error(error);
				}
				const bytes = Buffer.concat(raw);
				let target = path ?? join(deps.cwd ?? process.cwd(), dumpFileName(poller.getState().target, last.at));
				try {
					if (path !== undefined) {
						await writeFile(target, bytes); // an explicit path is the user's call
					} else {
						// A default name never overwrites an earlier dump: `w` twice in a second gives -2, -3, …
						const base = target.replace(/\.txt$/, '');
						for (let n = 2; ; n++) {
							try {
								await writeFile(target, bytes, {flag: 'wx'});
								break;
							} catch (error) {
								if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 99) throw error;
								target = `${base}-${n}.txt`;
							}
						}
					}
				} catch (error) {
					const code = (error as NodeJS.ErrnoException).code;
					const message = `cannot write ${target}: ${writeReasons[code ?? ''] ?? code ?? 'write failed'}`;
					publish({lastWrite: {error: message}});
					throw new Error(message);
				}
				publish({lastWrite: {path: target}});
				return target;
			},
			stop: () => poller.stop(),
		},
	};
	if (deps.autoStart !== false) poller.start();
	return monitor;
}

const writeReasons: Record<string, string> = {
	ENOENT: 'no such directory',
	EACCES: 'permission denied',
	EROFS: 'read-only filesystem',
	ENOSPC: 'no space left on device',
	EISDIR: 'it is a directory',
	EEXIST: 'too many dumps with this name',
};

/** `gmon-localhost-6060-20261123-154301.txt`: the target and the dump's local time, safe for any filesystem. */
export function dumpFileName(target: string, at: number): string {
	const safe =
		target
			.replace(/^[a-z]+:\/\//i, '')
			.replace(/[^A-Za-z0-9._-]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'target';
	const d = new Date(at);
	const pad = (n: number): string => String(n).padStart(2, '0');
	const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
	return `gmon-${safe}-${stamp}.txt`;
}
