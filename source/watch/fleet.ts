// The live view of several targets: one watch engine per target (its own poller, cost budget,
// backoff and restart epochs, as engine.ts gives any output), held together as one store the TUI
// reads. Its state is each target's poller and model side by side; merging them into one model
// is the view's job (model/fleet-merge.ts), since what is merged follows the target filter.
// The commands that act on the target act on every target.
import {basename} from 'node:path';
import type {Config} from '../config.ts';
import type {TrackerLike} from '../model/api.ts';
import {createSource} from '../fetch/create-source.ts';
import type {DumpSource} from '../fetch/source.ts';
import type {Timers} from '../fetch/timers.ts';
import {dumpFolder, writeNewFile} from './dump-folder.ts';
import {createWatch, type WatchEngine, type WatchOptions} from './engine.ts';
import {dumpFileName, watchOptions} from './store.ts';
import type {FleetTarget, MonitorState, MonitorStore} from './types.ts';

export interface FleetDeps {
	/** Default: createSource(config) for each. */
	sources?: readonly DumpSource[];
	trackers?: readonly TrackerLike[];
	timers?: Timers;
	cwd?: string;
	autoStart?: boolean;
	maxBackoffMs?: number;
}

export interface FleetMonitor extends MonitorStore {
	readonly engines: readonly WatchEngine[];
}

export function createFleetMonitor(configs: readonly Config[], deps: FleetDeps = {}, extra: Pick<WatchOptions, 'groupBy'> = {}): FleetMonitor {
	const engines = configs.map((config, i) => {
		const source = deps.sources?.[i] ?? createSource(config);
		const tracker = deps.trackers?.[i];
		return {
			name: source.displayName,
			engine: createWatch(source, {
				...watchOptions(config, {
					...(deps.timers ? {timers: deps.timers} : {}),
					...(deps.autoStart === undefined ? {} : {autoStart: deps.autoStart}),
					...(deps.maxBackoffMs === undefined ? {} : {maxBackoffMs: deps.maxBackoffMs}),
					...(tracker ? {tracker} : {}),
				}),
				...extra,
			}),
		};
	});
	const listeners = new Set<() => void>();
	let lastWrite: MonitorState['lastWrite'];
	const snapshot = (): MonitorState => {
		const targets: FleetTarget[] = engines.map(({name, engine}) => {
			const state = engine.getState();
			return Object.freeze({name, poller: state.poller, ...(state.model ? {model: state.model} : {})});
		});
		// `poller` stands for the fleet where the view asks one poller (pause, the interval, an empty list's
		// words): the first target's, paused only when all are, failing only when all fail; its full dump
		// is the costliest one the budget holds on any target, so `D` asks before it freezes that one.
		const first = targets[0]!.poller;
		const {error, fullDump, ...rest} = first;
		const allDown = targets.every(target => target.poller.error !== undefined);
		const held = targets
			.map(target => target.poller.fullDump)
			.filter(full => full?.held !== undefined)
			.sort((a, b) => b!.predictedMs - a!.predictedMs)[0];
		const full = held ?? fullDump;
		const poller = Object.freeze({
			...rest,
			paused: targets.every(target => target.poller.paused),
			...(allDown && error ? {error} : {}),
			...(full ? {fullDump: full} : {}),
		});
		return Object.freeze({poller, fleet: Object.freeze({targets}), ...(lastWrite ? {lastWrite} : {})});
	};
	let state = snapshot();
	const publish = (): void => {
		state = snapshot();
		for (const listener of [...listeners]) listener();
	};
	for (const {engine} of engines) engine.subscribe(publish);
	const each = (act: (engine: WatchEngine) => void) => () => {
		for (const {engine} of engines) act(engine);
	};

	return {
		engines: engines.map(({engine}) => engine),
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getState: () => state,
		control: {
			pause: each(engine => engine.pause()),
			resume: each(engine => engine.resume()),
			refreshNow: each(engine => engine.refreshNow()),
			pollNow: each(engine => engine.pollNow()),
			setIntervalMs: ms => {
				for (const {engine} of engines) engine.setIntervalMs(ms);
			},
			setGroupBy: by => {
				for (const {engine} of engines) engine.setGroupBy(by);
			},
			/** `w`: every target's last raw dump, each in its own file; resolves with the paths. */
			async writeDump() {
				const folder = dumpFolder(deps.cwd ?? process.cwd());
				const paths: string[] = [];
				try {
					for (const {engine} of engines) {
						const raw = engine.poller.lastRaw;
						const last = engine.poller.getState().last;
						if (!raw || !last) continue;
						paths.push(await writeNewFile(folder, dumpFileName(engine.poller.getState().target, last.at), Buffer.concat(raw)));
					}
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					lastWrite = {error: message};
					publish();
					throw new Error(message);
				}
				if (paths.length === 0) {
					lastWrite = {error: 'no goroutine dump to write yet'};
					publish();
					throw new Error(lastWrite.error);
				}
				lastWrite = {path: paths.join(', ')};
				publish();
				// `wrote 3 dumps into /path/gmon-dumps/: gmon-a-….txt, …`: the folder once, then the names.
				return paths.length === 1 ? paths[0]! : `${paths.length} dumps into ${folder}/: ${paths.map(path => basename(path)).join(', ')}`;
			},
			writeText: (name, text) => writeNewFile(dumpFolder(deps.cwd ?? process.cwd()), name, text),
			stop: async () => {
				await Promise.all(engines.map(({engine}) => engine.stop()));
			},
		},
	};
}
