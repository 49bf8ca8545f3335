// The store the live TUI reads: the watch engine (poller → tracker) plus what only the TUI does
// (write the raw dump with `w`), one immutable MonitorState at a time, read with useSyncExternalStore.
import {writeFile} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import type {Config} from '../config.ts';
import type {TrackerLike} from '../model/api.ts';
import {createSource} from '../fetch/create-source.ts';
import type {Poller} from '../fetch/poller.ts';
import {MAX_RAW_BYTES} from '../fetch/raw-keeper.ts';
import type {DumpSource} from '../fetch/source.ts';
import type {Timers} from '../fetch/timers.ts';
import {formatBytes} from '../text/units.ts';
import {dumpFolder, writeFailure, writeNewFile} from './dump-folder.ts';
import {configWatchOptions, createWatch, type WatchOptions} from './engine.ts';
import type {MonitorState, MonitorStore} from './types.ts';

export interface MonitorDeps {
	/** Default: createSource(config). */
	source?: DumpSource;
	/** Default: new Tracker(options from config). */
	tracker?: TrackerLike;
	timers?: Timers;
	stdin?: Readable;
	/** The directory whose dump folder (dump-folder.ts) writeDump() puts files in without a path; default process.cwd(). */
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

/** The engine's options for a config: what the CLI and config file said, plus test overrides. */
export function watchOptions(config: Config, deps: Omit<MonitorDeps, 'source' | 'stdin' | 'cwd'> = {}): WatchOptions {
	const options = configWatchOptions(config);
	if (deps.tracker) options.tracker = deps.tracker;
	if (deps.timers) options.timers = deps.timers;
	if (deps.autoStart !== undefined) options.autoStart = deps.autoStart;
	if (deps.maxBackoffMs !== undefined) options.maxBackoffMs = deps.maxBackoffMs;
	if (deps.leakIntervalMs !== undefined) options.leakIntervalMs = deps.leakIntervalMs;
	if (deps.maxRawBytes !== undefined) options.maxRawBytes = deps.maxRawBytes;
	return options;
}

export function createMonitor(config: Config, deps: MonitorDeps = {}, extra: Pick<WatchOptions, 'groupBy'> = {}): Monitor {
	const source = deps.source ?? createSource(config, deps.stdin ? {stdin: deps.stdin} : {});
	const engine = createWatch(source, {...watchOptions(config, deps), ...extra});
	const {poller} = engine;
	const listeners = new Set<() => void>();
	let lastWrite: MonitorState['lastWrite'];
	let state: MonitorState = Object.freeze({...engine.getState()});

	const publish = (): void => {
		state = Object.freeze(lastWrite ? {...engine.getState(), lastWrite} : {...engine.getState()});
		for (const listener of [...listeners]) listener();
	};
	engine.subscribe(publish);
	const wrote = (result: NonNullable<MonitorState['lastWrite']>): void => {
		lastWrite = result;
		publish();
	};

	return {
		poller,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getState: () => state,
		control: {
			pause: engine.pause,
			resume: engine.resume,
			refreshNow: engine.refreshNow,
			pollNow: engine.pollNow,
			setIntervalMs: engine.setIntervalMs,
			setGroupBy: engine.setGroupBy,
			async writeDump(path) {
				const raw = poller.lastRaw;
				const last = poller.getState().last;
				if (!raw || !last) {
					const error = last
						? `the last dump (${formatBytes(last.bytes)}) was too large to keep for writing (gmon keeps up to ${formatBytes(deps.maxRawBytes ?? MAX_RAW_BYTES)}); save one with curl`
						: 'no goroutine dump to write yet';
					wrote({error});
					throw new Error(error);
				}
				const bytes = Buffer.concat(raw);
				let target: string;
				try {
					if (path === undefined) {
						target = await writeNewFile(dumpFolder(deps.cwd ?? process.cwd()), dumpFileName(poller.getState().target, last.at), bytes);
					} else {
						target = path;
						await writeFile(target, bytes).catch((error: unknown) => {
							throw new Error(writeFailure(path, error)); // an explicit path is the user's call
						});
					}
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					wrote({error: message});
					throw new Error(message);
				}
				wrote({path: target});
				return target;
			},
			writeText: (name, text) => writeNewFile(dumpFolder(deps.cwd ?? process.cwd()), name, text),
			stop: engine.stop,
		},
	};
}

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
