// Pure: meow's parsed flags and positionals → validated options, and the choice between the
// live TUI and a printed report. Every mistake becomes a UsageError with one line to show.
import {buildConfig, ConfigError, type ConfigFlags} from '../config.ts';
import {GROUP_BYS, type GroupBy} from '../model/types.ts';
import {orList} from '../text/words.ts';
import {UsageError} from './exit-codes.ts';

/** The flags as meow returns them (all numbers still strings; see flags.ts). */
export interface RawFlags {
	once: boolean;
	json: boolean;
	polls?: string;
	interval?: string;
	watch: boolean;
	header?: string[];
	cacert?: string;
	insecure: boolean;
	maxOverhead?: string;
	maxPause?: string;
	maxBytes?: string;
	pollTimeout?: string;
	headersTimeout?: string;
	bodyTimeout?: string;
	stuckAfter?: string;
	groupBy?: string;
	hideIdle: boolean;
	failOnSuspects?: string;
	color: boolean;
	demo: boolean;
}

export interface CliOptions {
	command: 'monitor' | 'diff';
	/** monitor: zero (with --demo) or one target; diff: exactly two. */
	targets: string[];
	demo: boolean;
	once: boolean;
	json: boolean;
	watch: boolean;
	polls: number;
	groupBy: GroupBy;
	hideIdle: boolean;
	/** Set by --fail-on-suspects: the suspect count that fails the run. */
	failOnSuspects?: number;
	/** The user allows colour (no --no-color, no NO_COLOR); a TTY is still required. */
	color: boolean;
	/** The flags config.ts reads (interval, headers, TLS, budgets, stuck-after), already checked. */
	config: ConfigFlags;
	/** The checked interval, ms (for the report's own poll loop). */
	intervalMs: number;
}

/**
 * Flags gmon diff would silently ignore: it reads each side once (no polls, interval, overhead
 * budget or stuck rule), gates nothing and shows every group. A CI job passing
 * --fail-on-suspects to a diff must not get a green exit 0 from a gate that never ran.
 */
const notForDiff: ReadonlyArray<[keyof RawFlags, string]> = [
	['watch', '--watch'],
	['demo', '--demo'],
	['polls', '--polls'],
	['interval', '--interval'],
	['maxOverhead', '--max-overhead'],
	['maxPause', '--max-pause'],
	['stuckAfter', '--stuck-after'],
	['failOnSuspects', '--fail-on-suspects'],
	['hideIdle', '--hide-idle'],
];

function invalid(flag: string, expected: string, got: string): UsageError {
	return new UsageError(`--${flag} must be ${expected}, got '${got}'`);
}

/** A whole number ≥ min, or undefined. */
function parseCount(text: string, min: number): number | undefined {
	if (!/^\s*\d+\s*$/.test(text)) return undefined;
	const value = Number(text);
	return Number.isSafeInteger(value) && value >= min ? value : undefined;
}

export function buildCliOptions(input: readonly string[], flags: RawFlags, env: NodeJS.ProcessEnv = {}): CliOptions {
	const isDiff = input[0] === 'diff';
	const targets = isDiff ? input.slice(1) : [...input];

	if (isDiff) {
		if (targets.length !== 2) throw new UsageError(`gmon diff needs two dumps: gmon diff BEFORE AFTER (got ${targets.length})`);
		for (const [name, flag] of notForDiff) {
			if (flags[name] !== undefined && flags[name] !== false) throw new UsageError(`${flag} does not apply to gmon diff`);
		}

		if (targets[0] === '-' && targets[1] === '-') throw new UsageError('gmon diff can read only one of BEFORE and AFTER from stdin');
	} else {
		if (targets.length > 1) throw new UsageError(`one TARGET at a time, got ${targets.length}: ${targets.join(' ')} (gmon diff compares two)`);
		if (flags.demo && targets.length > 0) throw new UsageError('--demo runs its own target; drop the TARGET or --demo');
		if (!flags.demo && targets.length === 0) {
			throw new UsageError('no target: try gmon localhost:6060, gmon crash.log, gmon - (stdin), or gmon --demo (see gmon --help)');
		}
	}

	for (const target of targets) if (target.trim() === '') throw new UsageError('TARGET is empty');

	const polls = flags.polls === undefined ? 1 : parseCount(flags.polls, 1);
	if (polls === undefined) throw invalid('polls', 'a whole number ≥ 1', flags.polls!);

	const groupBy = (flags.groupBy ?? GROUP_BYS[0]) as GroupBy;
	if (!GROUP_BYS.includes(groupBy)) throw invalid('group-by', orList(GROUP_BYS), flags.groupBy!);

	let failOnSuspects: number | undefined;
	if (flags.failOnSuspects !== undefined) {
		failOnSuspects = parseCount(flags.failOnSuspects, 1);
		if (failOnSuspects === undefined) throw invalid('fail-on-suspects', 'a whole number ≥ 1 (--fail-on-suspects=5)', flags.failOnSuspects);
	}

	if (targets.includes('-') && polls > 1) throw new UsageError('stdin can be read only once: drop --polls, or save the dump to a file');
	if (targets.includes('-') && flags.watch) throw new UsageError('--watch re-reads its TARGET; stdin can be read only once');

	const config: ConfigFlags = {header: flags.header ?? [], insecure: flags.insecure, watch: flags.watch};
	if (flags.interval !== undefined) config.interval = flags.interval;
	if (flags.maxOverhead !== undefined) config.maxOverhead = flags.maxOverhead;
	if (flags.maxBytes !== undefined) config.maxBytes = flags.maxBytes;
	if (flags.pollTimeout !== undefined) config.pollTimeout = flags.pollTimeout;
	if (flags.maxPause !== undefined) config.maxPause = flags.maxPause;
	if (flags.headersTimeout !== undefined) config.headersTimeout = flags.headersTimeout;
	if (flags.bodyTimeout !== undefined) config.bodyTimeout = flags.bodyTimeout;
	if (flags.stuckAfter !== undefined) config.stuckAfter = flags.stuckAfter;
	if (flags.cacert !== undefined) config.cacert = flags.cacert;
	const intervalMs = checkConfigFlags(config);

	const noColorEnv = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';

	return {
		command: isDiff ? 'diff' : 'monitor',
		targets,
		demo: flags.demo,
		once: flags.once,
		json: flags.json,
		watch: flags.watch,
		polls,
		groupBy,
		hideIdle: flags.hideIdle,
		...(failOnSuspects === undefined ? {} : {failOnSuspects}),
		color: flags.color && !noColorEnv,
		config,
		intervalMs,
	};
}

/**
 * Validates the flags config.ts owns with its own parsers (one meaning of `2s` or `64MB` in gmon),
 * before any target is touched; returns the interval in ms.
 */
function checkConfigFlags(flags: ConfigFlags): number {
	try {
		// A stand-in target: only the flags are under test here; the real target is resolved later.
		const config = buildConfig('http://localhost:1', {...flags, watch: false}, {pathKind: () => 'missing'});
		if (flags.cacert !== undefined && flags.cacert.trim() === '') throw new ConfigError('--cacert needs a CA certificate file');
		return config.intervalMs;
	} catch (error) {
		if (error instanceof ConfigError) throw new UsageError(error.message);
		throw error;
	}
}

export interface Terminal {
	stdinIsTty: boolean;
	stdoutIsTty: boolean;
}

/** The live TUI needs a terminal both ways; everything else prints a report (issue 7: never draw into a pipe). */
export function chooseOutput(options: CliOptions, terminal: Terminal): 'tui' | 'report' {
	if (options.command === 'diff' || options.once || options.json) return 'report';
	if (options.failOnSuspects !== undefined) return 'report';
	if (options.targets.includes('-')) return 'report';
	return terminal.stdinIsTty && terminal.stdoutIsTty ? 'tui' : 'report';
}
