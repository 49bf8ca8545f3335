// Pure: meow's parsed flags and positionals → validated options, and the choice between the
// live TUI and a printed report. Every mistake becomes a UsageError with one line to show.
import {buildConfig, ConfigError, type ConfigFlags} from '../config.ts';
import {GROUP_BYS, type StackGroupBy} from '../model/types.ts';
import {orList} from '../text/words.ts';
import {TIERS, type Tier} from '../model/verdict.ts';
import {defaultTopGroups} from '../report/metrics.ts';
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
	clipboard: boolean;
	sourceRoot?: string;
	failOnSuspects?: string;
	failOn?: string;
	baseline?: string;
	color: boolean;
	demo: boolean;
	/** --targets FILE: main.ts reads it and passes its lines as TARGETs; only its presence is checked here. */
	targets?: string;
	metricsListen?: string;
	metricsTop?: string;
}

/** Where --metrics-listen serves /metrics. */
export interface ListenAddress {
	host: string;
	port: number;
}

export interface CliOptions {
	command: 'monitor' | 'diff';
	/** monitor: zero (with --demo) or more targets; diff: exactly two. */
	targets: string[];
	demo: boolean;
	once: boolean;
	json: boolean;
	watch: boolean;
	polls: number;
	groupBy: StackGroupBy;
	hideIdle: boolean;
	/** --clipboard: `y` in the live view also copies to the terminal clipboard (OSC 52). */
	clipboard: boolean;
	/** --source-root: the folder the build's source paths map into (live view: source lines, `e`). */
	sourceRoot?: string;
	/** Set by --fail-on-suspects: the suspect count that fails the run. */
	failOnSuspects?: number;
	/** Set by --fail-on: the weakest suspect tier the gate counts. */
	failOn?: Tier;
	/** --baseline: a dump (file) taken before the workload. */
	baseline?: string;
	/** The user allows colour (no --no-color, no NO_COLOR); a TTY is still required. */
	color: boolean;
	/** The flags config.ts reads (interval, headers, TLS, budgets, stuck-after), already checked. */
	config: ConfigFlags;
	/** The checked interval, ms (for the report's own poll loop). */
	intervalMs: number;
	/** --metrics-listen: headless, serve /metrics here. */
	metricsListen?: ListenAddress;
	/** --metrics-top: groups exported per target besides the suspects. */
	metricsTop: number;
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
	['failOn', '--fail-on'],
	['baseline', '--baseline'],
	['hideIdle', '--hide-idle'],
	['clipboard', '--clipboard'],
	['sourceRoot', '--source-root'],
	['targets', '--targets'],
	['metricsTop', '--metrics-top'],
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
		if (targets.length > 1 && flags.baseline !== undefined) {
			throw new UsageError('--baseline is a dump of one process: give it with one TARGET (several replicas have several pasts)');
		}
		if (targets.length > 1 && targets.includes('-'))
			throw new UsageError('- (stdin) can only be the one TARGET: save the dump to a file to read it with others');
		const seen = new Set<string>();
		for (const target of targets) {
			if (seen.has(target.trim())) throw new UsageError(`${target.trim()} is given twice: each target is watched once`);
			seen.add(target.trim());
		}
		if (flags.demo && targets.length > 0) throw new UsageError('--demo runs its own target; drop the TARGET or --demo');
		if (!flags.demo && targets.length === 0) {
			throw new UsageError('no target: try gmon localhost:6060, gmon crash.log, gmon - (stdin), or gmon --demo (see gmon --help)');
		}
	}

	for (const target of targets) if (target.trim() === '') throw new UsageError('TARGET is empty');

	const polls = flags.polls === undefined ? 1 : parseCount(flags.polls, 1);
	if (polls === undefined) throw invalid('polls', 'a whole number ≥ 1', flags.polls!);

	const groupBy = (flags.groupBy ?? GROUP_BYS[0]) as StackGroupBy;
	if (!GROUP_BYS.includes(groupBy)) throw invalid('group-by', orList(GROUP_BYS), flags.groupBy!);

	let failOnSuspects: number | undefined;
	if (flags.failOnSuspects !== undefined) {
		failOnSuspects = parseCount(flags.failOnSuspects, 1);
		if (failOnSuspects === undefined) throw invalid('fail-on-suspects', 'a whole number ≥ 1 (--fail-on-suspects=5)', flags.failOnSuspects);
	}

	let failOn: Tier | undefined;
	if (flags.failOn !== undefined) {
		failOn = TIERS.find(tier => tier === flags.failOn?.trim());
		if (failOn === undefined) throw invalid('fail-on', orList(TIERS), flags.failOn);
	}
	if (flags.baseline !== undefined && (flags.baseline.trim() === '' || flags.baseline.trim() === '-')) {
		throw new UsageError('--baseline needs a dump file taken before the workload (stdin is for the TARGET)');
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

	let metricsListen: ListenAddress | undefined;
	if (flags.metricsListen !== undefined) {
		if (isDiff) throw new UsageError('--metrics-listen does not apply to gmon diff');
		metricsListen = parseListen(flags.metricsListen);
		for (const [name, flag] of notForMetrics) {
			if (flags[name] !== undefined && flags[name] !== false) throw new UsageError(`--metrics-listen serves metrics until stopped; drop ${flag}`);
		}
	}
	let metricsTop = defaultTopGroups;
	if (flags.metricsTop !== undefined) {
		if (!metricsListen) throw new UsageError('--metrics-top applies to --metrics-listen');
		const top = parseCount(flags.metricsTop, 0);
		if (top === undefined || top > 1000) throw invalid('metrics-top', 'a whole number from 0 (suspects only) to 1000', flags.metricsTop);
		metricsTop = top;
	}

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
		clipboard: flags.clipboard,
		...(flags.sourceRoot === undefined ? {} : {sourceRoot: flags.sourceRoot}),
		...(failOnSuspects === undefined ? {} : {failOnSuspects}),
		...(failOn === undefined ? {} : {failOn}),
		...(flags.baseline === undefined ? {} : {baseline: flags.baseline}),
		color: flags.color && !noColorEnv,
		config,
		intervalMs,
		...(metricsListen ? {metricsListen} : {}),
		metricsTop,
	};
}

/** Flags of a report run that a metrics server would silently ignore. */
const notForMetrics: ReadonlyArray<[keyof RawFlags, string]> = [
	['once', '--once'],
	['json', '--json'],
	['watch', '--watch'],
	['polls', '--polls'],
	['failOnSuspects', '--fail-on-suspects'],
	['failOn', '--fail-on'],
	['baseline', '--baseline'],
];

/**
 * `9464`, `:9464` → loopback (metrics name a service's functions and files: nothing leaves the
 * machine unless asked); `0.0.0.0:9464`, `host:9464`, `[::]:9464` listen where they say. Port 0
 * picks a free port (gmon prints it).
 */
export function parseListen(text: string): ListenAddress {
	const input = text.trim();
	const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]*):)?(\d+)$/.exec(input);
	const port = Number(match?.[2]);
	if (!match || !Number.isInteger(port) || port > 65_535) {
		throw invalid('metrics-listen', 'PORT, :PORT or HOST:PORT (9464, 0.0.0.0:9464)', text);
	}
	const host = match[1] ? match[1].replace(/^\[(.*)\]$/, '$1') : '127.0.0.1';
	return {host, port};
}

/** A --targets file: one target a line; blank lines and `#` comments are skipped. */
export function parseTargetsFile(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map(line => line.replace(/(^|\s)#.*$/, '').trim())
		.filter(line => line !== '');
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

/** The leak gate's settings when any gate flag is given (--fail-on, --fail-on-suspects, --baseline); undefined otherwise. */
export function gateOptions(options: Pick<CliOptions, 'failOn' | 'failOnSuspects' | 'baseline'>): {threshold: number; failOn: Tier} | undefined {
	if (options.failOn === undefined && options.failOnSuspects === undefined && options.baseline === undefined) return undefined;
	return {threshold: options.failOnSuspects ?? 1, failOn: options.failOn ?? 'likely'};
}

export interface Terminal {
	stdinIsTty: boolean;
	stdoutIsTty: boolean;
}

/** The live TUI needs a terminal both ways; everything else prints a report (issue 7: never draw into a pipe). */
export function chooseOutput(options: CliOptions, terminal: Terminal): 'tui' | 'report' | 'metrics' {
	if (options.metricsListen) return 'metrics';
	if (options.command === 'diff' || options.once || options.json) return 'report';
	if (gateOptions(options)) return 'report';
	if (options.targets.includes('-')) return 'report';
	return terminal.stdinIsTty && terminal.stdoutIsTty ? 'tui' : 'report';
}
