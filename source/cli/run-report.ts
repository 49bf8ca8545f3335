// The non-interactive run: poll the target N times (or forever with --watch) through the model,
// print the text or JSON report, and turn the outcome into the documented exit code.
import {readFile} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {parseDump} from '../dump/index.ts';
import type {Readable, Writable} from 'node:stream';
import type {Config} from '../config.ts';
import type {Dump, ProfileRecord} from '../dump/types.ts';
import {leakGate} from '../report/gate.ts';
import {buildJsonReport} from '../report/json.ts';
import {formatTextReport} from '../report/text.ts';
import type {PollMeta, PollSummary, ReportError, ReportInput} from '../report/types.ts';
import {formatMs, PollFault} from '../fetch/faults.ts';
import type {DumpSource} from '../fetch/source.ts';
import {exitCodes, InterruptedError, TargetError, type ExitCode} from './exit-codes.ts';
import {gateOptions, type CliOptions} from './options.ts';
import {createReportModel} from './report-model.ts';
import {openSource, resolveConfig} from './resolve-target.ts';

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
	const source = openSource(config, io.stdin);
	try {
		return await pollAndReport(source, config, options, io);
	} finally {
		await source.close();
	}
}

async function pollAndReport(source: DumpSource, config: Config, options: CliOptions, io: ReportIo): Promise<ExitCode> {
	const baselineIds = options.baseline === undefined ? undefined : await readBaseline(options.baseline);
	const model = createReportModel({groupBy: options.groupBy, ...stuckRule(config, options), ...(baselineIds ? {baselineIds} : {})});
	let polls: PollSummary | undefined;
	const errors: ReportError[] = [];
	const color = options.color && io.stdout.isTTY === true;
	let last: ReportInput | undefined;
	let stretchNoted = false;
	let blindGateNoted = false;
	let leakProfile: 'unknown' | 'absent' | 'present' = source.hasProfiles ? 'unknown' : 'absent';
	const wanted = options.watch ? Infinity : source.repeats ? options.polls : 1;

	for (let poll = 1; poll <= wanted; poll++) {
		if (io.signal?.aborted) break;
		const isLast = poll === wanted;
		let dump: Dump;
		let meta: PollMeta;
		let costMs: number;
		try {
			const outcome = await source.fetch({profile: 'goroutine', debug: 2}, io.signal);
			if (outcome === 'unchanged') {
				poll--;
				await pause(config.intervalMs, io.signal);
				continue;
			}

			dump = outcome.result.dump;
			// What the target paid: Go stops the world until the dump is collected, i.e. until headers.
			costMs = outcome.headersMs ?? outcome.result.durationMs;
			meta = {at: outcome.result.at, fetchMs: outcome.result.durationMs, bytes: outcome.result.bytes, truncated: outcome.result.truncated};
		} catch (error) {
			if (io.signal?.aborted) break;
			if (!(error instanceof PollFault)) throw error;
			// Nothing to report yet: the target is unreachable or not a dump (exit 3).
			if (!last && !options.watch) throw new TargetError(error.message);
			errors.push({at: Date.now(), kind: error.kind, message: error.message});
			if (errors.length > maxErrors) errors.shift();
			if (options.watch) io.stderr.write(`gmon: ${error.message}\n`);
			if (!options.watch && isLast) break;
			await pause(config.intervalMs, io.signal);
			continue;
		}

		// Go's goroutineleak profile costs the target a GC cycle: probe it once, read it for the final report
		// (every poll with --watch), and never again when the target does not serve it.
		let leakRecords: ProfileRecord[] | undefined;
		if (leakProfile !== 'absent' && (isLast || options.watch)) {
			const leak = await fetchLeakProfile(source, io.signal);
			if (leak === 'absent') leakProfile = 'absent';
			else if (leak) [leakProfile, leakRecords] = ['present', leak];
		}

		if (!blindGateNoted && gateIsBlind(dump, options)) {
			blindGateNoted = true;
			io.stderr.write('gmon: the leak gate could count only proven leaks: a debug=1 profile has no goroutine states to find suspects in; fetch ?debug=2\n');
		}

		polls = polls ? {...polls, count: polls.count + 1, last: meta} : {count: 1, first: meta, last: meta};
		const snapshot = model.update(dump, {at: meta.at, truncated: meta.truncated, ...(leakRecords ? {leakRecords} : {})});
		last = {
			target: source.displayName,
			kind: dump.kind,
			snapshot,
			polls,
			errors: [...errors],
			hideIdle: options.hideIdle,
			...(dump.preamble ? {preamble: dump.preamble} : {}),
		};

		if (options.watch) {
			writeReport(last, options, color, io);
			const code = gateCode(last, options, io);
			if (code !== exitCodes.ok) return code;
		}

		if (!isLast) {
			const delay = source.hasProfiles ? nextDelay(config, costMs) : config.intervalMs;
			if (delay > config.intervalMs && !stretchNoted) {
				stretchNoted = true;
				io.stderr.write(
					`gmon: a dump costs the target ${formatMs(costMs)}; polling every ${formatMs(delay + costMs)} to keep it under ${config.maxOverheadPct}% (--max-overhead 0 turns this off)\n`,
				);
			}

			await pause(delay, io.signal);
		}
	}

	// A one-shot report cut short has no verdict to give; --watch simply ends on a signal.
	if (io.signal?.aborted && (!options.watch || !last)) throw new InterruptedError(io.signal.reason);
	if (!last) {
		throw new TargetError(errors.at(-1)?.message ?? `no goroutine dump from ${source.displayName}`);
	}

	if (!options.watch) writeReport(last, options, color, io);
	return gateCode(last, options, io);
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

function writeReport(input: ReportInput, options: CliOptions, color: boolean, io: ReportIo): void {
	if (options.json) {
		// --watch --json is NDJSON: one compact document per line, so `jq` and log shippers read it as it comes.
		const document = buildJsonReport(input);
		io.stdout.write(options.watch ? `${JSON.stringify(document)}\n` : `${JSON.stringify(document, null, 2)}\n`);
		return;
	}

	if (options.watch && input.polls.count > 1) io.stdout.write('\n');
	io.stdout.write(formatTextReport(input, {color}));
}

function gateCode(input: ReportInput, options: CliOptions, io: ReportIo): ExitCode {
	const settings = gateOptions(options);
	if (!settings) return exitCodes.ok;
	const gate = leakGate(input.snapshot.suspects, settings);
	if (!gate.failed) return exitCodes.ok;
	io.stderr.write(`gmon: ${gate.message}\n`);
	return exitCodes.suspects;
}

/**
 * A `?debug=1` goroutine profile has counts per stack but no states or wait times, so the model can
 * never call anything a suspect there: a gate that passes on it has not looked. The run keeps its
 * verdict (only a proven leak fails it) but says so: a CI job fed the wrong URL must not stay green
 * without a word. A saved goroutineleak profile is all proven leaks: nothing is missing there.
 */
function gateIsBlind(dump: Dump, options: CliOptions): boolean {
	return gateOptions(options) !== undefined && dump.kind === 'profile' && dump.profileName !== 'goroutineleak';
}

/** Keep the target's time spent dumping under --max-overhead: a 1.4 s dump at 5% polls every 28 s. */
export function nextDelay(config: Pick<Config, 'intervalMs' | 'maxOverheadPct'>, costMs: number): number {
	if (config.maxOverheadPct <= 0) return config.intervalMs;
	const period = (costMs * 100) / config.maxOverheadPct;
	return Math.max(config.intervalMs, Math.round(period - costMs));
}

/** The goroutineleak records; 'absent' when the target does not serve the profile; undefined when this read failed. */
async function fetchLeakProfile(source: DumpSource, signal?: AbortSignal): Promise<ProfileRecord[] | 'absent' | undefined> {
	try {
		const outcome = await source.fetch({profile: 'goroutineleak', debug: 1}, signal);
		if (outcome === 'unchanged') return undefined;
		return outcome.result.dump.kind === 'profile' ? outcome.result.dump.records : 'absent';
	} catch (error) {
		if (error instanceof PollFault && (error.kind === 'not-found' || error.kind === 'not-a-dump')) return 'absent';
		return undefined;
	}
}

/** The goroutine ids of the --baseline dump (a file, as a TARGET would be read): the goroutines that predate the workload. */
async function readBaseline(path: string): Promise<Set<number>> {
	let dump: Dump;
	try {
		dump = parseDump(await readFile(path));
	} catch (error) {
		throw new TargetError(`cannot read --baseline ${path}: ${(error as Error).message}`);
	}
	if (dump.kind !== 'traceback' || dump.goroutines.length === 0) {
		throw new TargetError(`--baseline ${path} is not a goroutine dump with goroutine ids (save ?debug=2 before the workload)`);
	}
	return new Set(dump.goroutines.map(g => g.id));
}

async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	try {
		await sleep(ms, undefined, signal ? {signal} : {});
	} catch {
		// Aborted: the loop checks the signal next.
	}
}
