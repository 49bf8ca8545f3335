// `gmon --once a:6060 b:6060 c:6060` (or --targets FILE): one watch engine per target, all polled at
// once, each with its own poller, cost budget, backoff and restart epochs. Every target's report
// (text, or one JSON document holding them all), then the fleet's: targets up and down, suspects
// merged across targets. The leak gate judges every target's suspects together.
// With --watch, each target's report as each of its polls comes (as `gmon --watch TARGET` prints
// them, one after another; NDJSON with --json), its stderr lines prefixed with its name, until a
// signal or until the gate fails on every target's latest report together.
import type {Writable} from 'node:stream';
import {leakGate} from '../report/gate.ts';
import {allSuspects, type FleetEntry, fleetJson, formatFleetText} from '../report/fleet.ts';
import {buildJsonReport, schemaVersion} from '../report/json.ts';
import {jsonPieces, writePieces} from '../report/json-stream.ts';
import {formatTextReport} from '../report/text.ts';
import type {PollSummary, ReportError, ReportInput} from '../report/types.ts';
import {terminalSafe} from '../text/sanitize.ts';
import {FOR_REPORTS, configWatchOptions, createWatch, type WatchEngine, type WatchState} from '../watch/engine.ts';
import {exitCodes, InterruptedError, type ExitCode} from './exit-codes.ts';
import {gateOptions, type CliOptions} from './options.ts';
import {openSource, resolveConfig} from './resolve-target.ts';
import {gateIsBlind, nextPolls, report, reportInput, stuckRule} from './run-report.ts';
import {sayError} from './say.ts';

export interface FleetIo {
	stdout: Writable & {isTTY?: boolean};
	stderr: Writable;
	signal?: AbortSignal;
}

export async function runFleetReport(targetTexts: readonly string[], options: CliOptions, io: FleetIo): Promise<ExitCode> {
	// Every target is checked before any is polled: a typo on one line is a usage error, not a half-run.
	const configs = targetTexts.map(text => resolveConfig(text, options));
	const engines = configs.map(config => {
		const source = openSource(config);
		const engine = createWatch(source, {
			...configWatchOptions(config),
			...FOR_REPORTS,
			groupBy: options.groupBy,
			...stuckRule(config, options),
			autoStart: false,
		});
		return {name: source.displayName, engine, wanted: source.repeats ? options.polls : 1, repeats: source.repeats};
	});
	if (options.watch) {
		try {
			return await watchFleet(engines, options, io);
		} finally {
			await Promise.all(engines.map(({engine}) => engine.stop()));
		}
	}
	try {
		const entries = await new Promise<FleetEntry[]>((resolve, reject) => {
			const stop = new AbortController();
			const onAbort = (): void => {
				stop.abort();
				reject(new InterruptedError(io.signal?.reason));
			};
			if (io.signal?.aborted) return onAbort();
			io.signal?.addEventListener('abort', onAbort, {once: true});
			Promise.all(engines.map(({name, engine, wanted}) => collect(name, engine, wanted, options, io, stop.signal))).then(entries => {
				io.signal?.removeEventListener('abort', onAbort);
				resolve(entries);
			}, reject);
		});
		await write(entries, options, io);
		const settings = gateOptions(options);
		const gate = settings === undefined ? undefined : leakGate(allSuspects(entries), settings);
		if (gate?.failed) {
			sayError(io.stderr, gate.message);
			return exitCodes.suspects;
		}
		const down = entries.filter(entry => !entry.input);
		if (down.length > 0) {
			sayError(io.stderr, `${down.length} of ${entries.length} targets gave no goroutine dump: ${down.map(entry => entry.target).join(', ')}`);
			return exitCodes.target;
		}
		return exitCodes.ok;
	} finally {
		await Promise.all(engines.map(({engine}) => engine.stop()));
	}
}

/**
 * One target's polls, counted as the single-target report counts them: each whole dump and each
 * failed poll is an attempt, and the target is done after `wanted` of them. A target that fails
 * before its first dump is down at once (no report of it; the others go on).
 */
function collect(name: string, engine: WatchEngine, wanted: number, options: CliOptions, io: FleetIo, stopped: AbortSignal): Promise<FleetEntry> {
	return new Promise(resolve => {
		let attempts = 0;
		let polls: PollSummary | undefined;
		let last: ReportInput | undefined;
		const errors: ReportError[] = [];
		let previous: WatchState = engine.getState();
		let blindNoted = false;
		let finished = false;
		const done = (entry: FleetEntry): void => {
			if (finished) return;
			finished = true;
			unsubscribe();
			void engine.stop();
			resolve(entry);
		};
		const unsubscribe = engine.subscribe(() => {
			const state = engine.getState();
			const before = previous;
			previous = state;
			if (state.dump && state.model && state.dump !== before.dump) {
				attempts++;
				polls = nextPolls(polls, state.dump);
				last = reportInput(name, state.dump, state.model, polls, errors, options.hideIdle, state.poller);
				if (!blindNoted && gateIsBlind(state.dump.dump, options)) {
					blindNoted = true;
					sayError(io.stderr, `${name}: the leak gate could count only proven leaks: a debug=1 profile has no goroutine states; fetch ?debug=2`);
				}
			} else if (state.poller.error && state.poller.error !== before.poller.error) {
				attempts++;
				const {error} = state.poller;
				if (!last) return done({target: name, down: error.message});
				errors.push({at: error.at, kind: error.kind, message: error.message});
			}
			if (attempts >= wanted) done(last ? {target: name, input: last} : {target: name, down: 'no goroutine dump'});
		});
		stopped.addEventListener('abort', () => done(last ? {target: name, input: last} : {target: name, down: 'interrupted'}), {once: true});
		engine.start();
	});
}

async function write(entries: readonly FleetEntry[], options: CliOptions, io: FleetIo): Promise<void> {
	if (options.json) {
		// One document: every target's report (as `gmon --json TARGET` prints it) and the fleet's summary.
		const reports = entries.flatMap(entry => (entry.input ? [buildJsonReport(entry.input)] : []));
		await writePieces(io.stdout, jsonPieces({schemaVersion, fleet: fleetJson(entries), reports}, true), '\n');
		return;
	}
	const color = options.color && io.stdout.isTTY === true;
	for (const entry of entries) {
		if (entry.input) io.stdout.write(`${terminalSafe(formatTextReport(entry.input, {color}))}\n`);
	}
	io.stdout.write(terminalSafe(formatFleetText(entries, {color})));
}

/**
 * --watch over several targets: each target's report loop (run-report.ts), sharing stdout (one
 * report at a time) and the gate (every target's latest report judged together, as --once does).
 * The first loop to end (the gate failed) ends the others; a signal ends them all. The run fails
 * the gate if any loop did; it was interrupted only when no target ever gave a dump.
 */
async function watchFleet(engines: ReadonlyArray<{name: string; engine: WatchEngine; repeats: boolean}>, options: CliOptions, io: FleetIo): Promise<ExitCode> {
	const stop = new AbortController();
	const onAbort = (): void => stop.abort(io.signal?.reason);
	if (io.signal?.aborted) onAbort();
	io.signal?.addEventListener('abort', onAbort, {once: true});
	const output = {written: Promise.resolve(), reports: 0};
	const latest = new Map<string, ReportInput>();
	const settings = gateOptions(options);
	let failed: ReturnType<typeof leakGate> | undefined;
	const judge = (input: ReportInput) => {
		latest.set(input.target, input);
		if (!settings) return undefined;
		const entries: FleetEntry[] = engines.map(({name}) => {
			const last = latest.get(name);
			return last ? {target: name, input: last} : {target: name};
		});
		const gate = leakGate(allSuspects(entries), settings);
		if (gate.failed) failed ??= gate;
		return gate.failed ? gate : undefined;
	};
	try {
		const runs = engines.map(({name, engine, repeats}) =>
			report(engine, name, repeats, options, {...io, signal: stop.signal}, {label: name, output, judge}).finally(() => stop.abort()),
		);
		const results = await Promise.allSettled(runs);
		const codes = results.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
		if (codes.length === 0) throw (results[0] as PromiseRejectedResult).reason;
		if (!codes.includes(exitCodes.suspects)) return exitCodes.ok;
		if (failed) sayError(io.stderr, failed.message);
		return exitCodes.suspects;
	} finally {
		io.signal?.removeEventListener('abort', onAbort);
	}
}
