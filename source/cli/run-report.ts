// The non-interactive run: subscribe to the watch engine (the same poller and model as the TUI)
// for N polls (or forever with --watch), print the text or JSON report, and turn the outcome into
// the documented exit code.
import type {Readable, Writable} from 'node:stream';
import type {Config} from '../config.ts';
import type {Dump} from '../dump/types.ts';
import type {FetchResult, PollerState} from '../fetch/types.ts';
import {pollErrorLine} from '../fetch/faults.ts';
import type {ModelSnapshot} from '../model/types.ts';
import {leakGate} from '../report/gate.ts';
import {jsonReportParts} from '../report/json.ts';
import {jsonPieces, writePieces} from '../report/json-stream.ts';
import {formatTextReport} from '../report/text.ts';
import {terminalSafe} from '../text/sanitize.ts';
import {formatPause} from '../text/units.ts';
import {formatCount} from '../view/format.ts';
import type {PollMeta, PollSummary, ReportError, ReportInput} from '../report/types.ts';
import {FOR_REPORTS, configWatchOptions, createWatch, type WatchEngine, type WatchState} from '../watch/engine.ts';
import {exitCodes, InterruptedError, TargetError, UsageError, type ExitCode} from './exit-codes.ts';
import {gateOptions, type CliOptions} from './options.ts';
import {readBaseline} from './baseline.ts';
import {openSource, resolveConfig} from './resolve-target.ts';
import {sayError} from './say.ts';
import {watchProof} from '../watch/proof.ts';

/** Failed polls a report keeps (a --watch run may see thousands). */
const maxErrors = 20;

export interface ReportIo {
	stdout: Writable & {isTTY?: boolean};
	stderr: Writable;
	stdin?: Readable;
	/** Stops a --watch run (SIGINT/SIGTERM). */
	signal?: AbortSignal;
}

export async function runReport(targetText: string, options: CliOptions, io: ReportIo): Promise<ExitCode> {
	const config = resolveConfig(targetText, options);
	// The baseline is parsed once, before the first poll: the model compares every poll's ids with it.
	const baselineIds = options.baseline === undefined ? undefined : await readBaseline(options.baseline, config, io.signal);
	const source = openSource(config, io.stdin);
	const engine = createWatch(source, {
		...configWatchOptions(config),
		...FOR_REPORTS,
		groupBy: options.groupBy,
		...stuckRule(config, options),
		...(baselineIds ? {baselineIds} : {}),
		// A file or stdin is read once, and a one-poll report on a live target ends with its first dump:
		// the model need not remember anything for a next poll (a record per goroutine id: on an endless
		// body cut at --max-bytes, ~130 MiB of a --once peak of ~600 MiB).
		...(!source.repeats || (pollsWanted(options, source.repeats) === 1 && !options.watch) ? {oneShot: true} : {}),
		autoStart: false,
	});
	try {
		return await report(engine, source.displayName, source.repeats, options, io);
	} finally {
		await engine.stop(); // closes the source
	}
}

/**
 * What the targets of one `--watch` run share (run-fleet.ts watchFleet): stdout, written one report at
 * a time in the order they came, and the leak gate, which judges every target's latest report.
 */
export interface SharedRun {
	/** Each target's lines on stderr start with its name. */
	label?: string;
	/** The reports written so far and the last write (the next waits for it). */
	output: {written: Promise<void>; reports: number};
	/** The gate's verdict after this target's new report; default: this report's suspects alone. A failed gate's message is the caller's to say. */
	judge?(input: ReportInput): ReturnType<typeof leakGate> | undefined;
}

/**
 * Every whole dump the engine takes in is one poll of the report, every failed tick one failed
 * poll; the debug=1 ticks the cost budget puts between full dumps are neither. The run ends after
 * `--polls` of them (one for a file or stdin), or never with --watch.
 */
export function report(engine: WatchEngine, name: string, repeats: boolean, options: CliOptions, io: ReportIo, shared?: SharedRun): Promise<ExitCode> {
	const color = options.color && io.stdout.isTTY === true;
	const wanted = pollsWanted(options, repeats);
	const output = shared?.output ?? {written: Promise.resolve(), reports: 0};
	const judge = shared?.judge ?? ((input: ReportInput) => failedGate(input, options));
	const say = (message: string) => sayError(io.stderr, shared?.label === undefined ? message : `${shared.label}: ${message}`);
	let attempts = 0;
	let polls: PollSummary | undefined;
	const errors: ReportError[] = [];
	let last: ReportInput | undefined;
	let stretchNoted = false;
	let heldNoted = false;
	let blindGateNoted = false;
	let previous: WatchState = engine.getState();

	return new Promise<ExitCode>((resolve, reject) => {
		let done = false;
		let unsubscribe = (): void => {};
		// Reports are written in order, each after the one before it has left (a streamed --json
		// document may take a while); the run's verdict waits for the last of them.
		const write = (input: ReportInput): Promise<void> => {
			const written = output.written.then(() => writeReport(input, options, color, io, output.reports++ > 0));
			output.written = written;
			// A stdout that fails (a closed pipe) ends the run with that error.
			written.catch((error: unknown) =>
				finish(() => {
					throw error;
				}),
			);
			return written;
		};
		const finish = (outcome: () => ExitCode | Promise<ExitCode>): void => {
			if (done) return;
			done = true;
			unsubscribe();
			io.signal?.removeEventListener('abort', onAbort);
			try {
				resolve(outcome());
			} catch (error) {
				reject(error);
			}
		};

		const onAbort = (): void =>
			finish(() => {
				// A one-shot report cut short has no verdict to give; --watch simply ends on a signal.
				if (!options.watch || !last) throw new InterruptedError(io.signal?.reason);
				const input = last;
				return output.written.then(() => gateCode(input, judge, shared ? undefined : io));
			});

		/** Turns one change of the engine's state into the report's polls, errors and notes. */
		const onChange = (state: WatchState, before: WatchState): void => {
			// Said before the report it explains (a one-poll run ends right after this change).
			const held = state.poller.fullDump;
			if (held?.held && !heldNoted) {
				heldNoted = true;
				const over = held.held.startsWith('over');
				const why = over
					? `it would freeze the target ~${formatPause(held.predictedMs)} for ${formatCount(held.goroutines)} goroutines (${held.held})`
					: held.held;
				const way = over ? ' — raise that limit to take one' : ' — drop ?debug=1 for the stacks';
				say(`no full dump taken: ${why}; this report is the debug=1 profile (counts per stack)${way}`);
			}
			if (state.dump && state.model && state.dump !== before.dump) {
				attempts++;
				const {dump} = state.dump;
				polls = nextPolls(polls, state.dump);
				last = reportInput(name, state.dump, state.model, polls, errors, options.hideIdle, state.poller);
				if (!blindGateNoted && gateIsBlind(dump, options)) {
					blindGateNoted = true;
					say('the leak gate could count only proven leaks: a debug=1 profile has no goroutine states to find suspects in; fetch ?debug=2');
				}
				if (options.watch) {
					const input = last;
					const wrote = write(input);
					if (judge(input)) {
						finish(() => wrote.then(() => gateCode(input, judge, shared ? undefined : io)));
						return;
					}
				}
			} else if (state.poller.error && state.poller.error !== before.poller.error) {
				attempts++;
				const {error} = state.poller;
				// A file that is not a goroutine dump stays one: the input is wrong (exit 2), --watch or not.
				if (!last && error.final) {
					finish(() => {
						throw new UsageError(error.message);
					});
					return;
				}
				// Nothing to report yet: the target is unreachable or did not send a dump (exit 3).
				if (!last && !options.watch) {
					finish(() => {
						throw new TargetError(error.message);
					});
					return;
				}
				errors.push({at: error.at, kind: error.kind, message: error.message});
				if (errors.length > maxErrors) errors.shift();
				if (options.watch) say(pollErrorLine(error));
			}

			if (attempts >= wanted) {
				finish(() => {
					if (!last) throw new TargetError(errors.at(-1)?.message ?? `no goroutine dump from ${name}`);
					const input = last;
					if (!options.watch) write(input);
					return output.written.then(() => gateCode(input, judge, shared ? undefined : io));
				});
				return;
			}

			const reason = state.poller.stretchedReason;
			if (reason && !stretchNoted) {
				stretchNoted = true;
				say(`full dumps every ${formatPause(state.poller.effectiveIntervalMs)}, counts in between: ${reason} (--max-overhead 0 turns this off)`);
			}
		};

		unsubscribe = engine.subscribe(() => {
			const state = engine.getState();
			const before = previous;
			previous = state;
			onChange(state, before);
		});
		if (io.signal?.aborted) {
			onAbort();
			return;
		}
		io.signal?.addEventListener('abort', onAbort, {once: true});
		engine.start();
	});
}

/** The whole dumps (or failed polls) a report waits for: one for a file or stdin, --polls, or every one with --watch. */
function pollsWanted(options: Pick<CliOptions, 'watch' | 'polls'>, repeats: boolean): number {
	return !repeats ? 1 : options.watch ? Number.POSITIVE_INFINITY : options.polls;
}

/** The polls behind a report after one more whole dump. */
export function nextPolls(polls: PollSummary | undefined, fetch: FetchResult): PollSummary {
	const meta: PollMeta = {at: fetch.at, fetchMs: fetch.durationMs, bytes: fetch.bytes, truncated: fetch.truncated};
	return polls ? {...polls, count: polls.count + 1, last: meta} : {count: 1, first: meta, last: meta};
}

/** What one target's report is built from after its latest whole dump (the single and the fleet report alike). */
export function reportInput(
	target: string,
	fetch: FetchResult,
	snapshot: ModelSnapshot,
	polls: PollSummary,
	errors: readonly ReportError[],
	hideIdle: boolean,
	poller: Pick<PollerState, 'leakProfile' | 'offline'>,
): ReportInput {
	const {dump} = fetch;
	const proof = watchProof(poller, snapshot);
	return {
		target,
		kind: dump.kind,
		snapshot,
		polls,
		errors: [...errors],
		hideIdle,
		...(dump.preamble ? {preamble: dump.preamble} : {}),
		...(dump.unparsedHeaders ? {unparsedHeaders: dump.unparsedHeaders} : {}),
		...(proof ? {proof} : {}),
	};
}

/**
 * --stuck-after as given; otherwise the model's default of 3 polls, except that a short
 * `--polls N` run uses N-1 (at least 2): with 3 polls and a rule of 3, only goroutines present
 * before gmon started could ever be stuck, so a leak growing while gmon watched could never show.
 */
export function stuckRule(
	config: Pick<Config, 'stuckAfterPolls' | 'stuckAfterMs'>,
	options: Pick<CliOptions, 'polls' | 'watch'>,
): {stuckAfterPolls?: number; stuckAfterMs?: number} {
	if (config.stuckAfterMs !== undefined) return {stuckAfterMs: config.stuckAfterMs};
	if (config.stuckAfterPolls !== undefined) return {stuckAfterPolls: config.stuckAfterPolls};
	if (options.watch || options.polls < 2) return {};
	return {stuckAfterPolls: Math.max(2, Math.min(3, options.polls - 1))};
}

async function writeReport(input: ReportInput, options: CliOptions, color: boolean, io: ReportIo, after: boolean): Promise<void> {
	if (options.json) {
		// --watch --json is NDJSON: one compact document per line, so `jq` and log shippers read it as it comes.
		// Streamed: a 64 MB dump of tiny goroutines is a document larger than any one string may be.
		await writePieces(io.stdout, jsonPieces(jsonReportParts(input), !options.watch), '\n');
		return;
	}

	// --watch: a blank line between one report and the next.
	if (options.watch && after) io.stdout.write('\n');
	io.stdout.write(terminalSafe(formatTextReport(input, {color})));
}

/** The leak gate's verdict when it fails this input; undefined without a gate or when it passes. */
function failedGate(input: ReportInput, options: CliOptions): ReturnType<typeof leakGate> | undefined {
	const settings = gateOptions(options);
	if (!settings) return undefined;
	const gate = leakGate(input.snapshot.suspects, settings);
	return gate.failed ? gate : undefined;
}

/** The exit code for the gate's verdict on `input`; a failed gate says why on `io` (a shared run says it once, for all). */
function gateCode(input: ReportInput, judge: NonNullable<SharedRun['judge']>, io: ReportIo | undefined): ExitCode {
	const gate = judge(input);
	if (!gate) return exitCodes.ok;
	if (io) sayError(io.stderr, gate.message);
	return exitCodes.suspects;
}

/**
 * A `?debug=1` goroutine profile has counts per stack but no states or wait times, so the model can
 * never call anything a suspect there: a gate that passes on it has not looked. The run keeps its
 * verdict (only a proven leak fails it) but says so: a CI job fed the wrong URL must not stay green
 * without a word. A saved goroutineleak profile is all proven leaks: nothing is missing there.
 */
export function gateIsBlind(dump: Dump, options: CliOptions): boolean {
	return gateOptions(options) !== undefined && dump.kind === 'profile' && dump.profileName !== 'goroutineleak';
}
