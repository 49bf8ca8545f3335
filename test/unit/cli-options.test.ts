// The command line, parsed without a process: argv checks, flag values → options, and the
// choice between the TUI and a printed report.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {prepareArgv} from '../../source/cli/argv.ts';
import {UsageError} from '../../source/cli/exit-codes.ts';
import {buildCliOptions, chooseOutput, parseListen, parseTargetsFile, type RawFlags} from '../../source/cli/options.ts';

const flags = (overrides: Partial<RawFlags> = {}): RawFlags => ({
	once: false,
	json: false,
	watch: false,
	header: [],
	insecure: false,
	hideIdle: false,
	clipboard: false,
	color: true,
	demo: false,
	...overrides,
});

function usageError(run: () => unknown, pattern: RegExp): void {
	assert.throws(run, (error: unknown) => error instanceof UsageError && pattern.test(error.message));
}

describe('prepareArgv', () => {
	test('a bare --fail-on-suspects means 1 and never swallows the TARGET after it', () => {
		assert.deepEqual(prepareArgv(['--fail-on-suspects', 'localhost:6060']), ['--fail-on-suspects=1', 'localhost:6060']);
		assert.deepEqual(prepareArgv(['--fail-on-suspects=7', 'x']), ['--fail-on-suspects=7', 'x']);
	});

	test('a bare number after --fail-on-suspects that makes a second TARGET is refused with the = form', () => {
		usageError(() => prepareArgv(['--fail-on-suspects', '5', 'crash.log']), /^--fail-on-suspects takes its number after "=": --fail-on-suspects=5$/);
		usageError(() => prepareArgv(['crash.log', '--fail-on-suspects', '12']), /--fail-on-suspects=12$/);
		// Alone, the number is the TARGET (a port), as `gmon 6060` is.
		assert.deepEqual(prepareArgv(['--fail-on-suspects', '6060']), ['--fail-on-suspects=1', '6060']);
	});

	test('keeps known flags, their values (glued with =), negations, - and everything after --', () => {
		const argv = ['-H', 'A: b', '--interval', '1s', '--no-color', '-', '--', '--not-a-flag'];
		assert.deepEqual(prepareArgv(argv), ['--header=A: b', '--interval=1s', '--no-color', '-', '--', '--not-a-flag']);
		// A value that looks like a flag stays the option's value, for the option's own check to judge.
		assert.deepEqual(prepareArgv(['--interval', '-1s', '-i', '-2s']), ['--interval=-1s', '--interval=-2s']);
		assert.deepEqual(prepareArgv(['--max-bytes=1MB', '-iX']), ['--max-bytes=1MB', '-iX']);
	});

	test('refuses unknown flags and flags missing their value, in one line', () => {
		usageError(() => prepareArgv(['--bogus']), /^unknown flag --bogus \(see gmon --help\)$/);
		usageError(() => prepareArgv(['-Z']), /^unknown flag -Z/);
		usageError(() => prepareArgv(['--no-polls']), /^unknown flag --no-polls/);
		usageError(() => prepareArgv(['--polls']), /^--polls needs a value/);
		usageError(() => prepareArgv(['x', '-H']), /^-H needs a value/);
		usageError(() => prepareArgv(['--fail-on-suspects=']), /needs a number/);
	});
});

describe('buildCliOptions', () => {
	test('defaults: one poll every 2s, grouped by stack, no gate', () => {
		const options = buildCliOptions(['localhost:6060'], flags());
		assert.equal(options.command, 'monitor');
		assert.deepEqual(options.targets, ['localhost:6060']);
		assert.equal(options.polls, 1);
		assert.equal(options.intervalMs, 2000);
		assert.equal(options.groupBy, 'stack');
		assert.equal(options.failOnSuspects, undefined);
		assert.equal(options.color, true);
	});

	test('reads polls, interval, group-by and the gate threshold', () => {
		const options = buildCliOptions(['x'], flags({polls: '3', interval: '300ms', groupBy: 'where', failOnSuspects: '5'}));
		assert.equal(options.polls, 3);
		assert.equal(options.intervalMs, 300);
		assert.equal(options.groupBy, 'where');
		assert.equal(options.failOnSuspects, 5);
	});

	test('NO_COLOR and --no-color both turn colour off; an empty NO_COLOR does not', () => {
		assert.equal(buildCliOptions(['x'], flags(), {NO_COLOR: '1'}).color, false);
		assert.equal(buildCliOptions(['x'], flags({color: false})).color, false);
		assert.equal(buildCliOptions(['x'], flags(), {NO_COLOR: ''}).color, true);
	});

	test('several targets are watched side by side: the live view on a terminal, a report into a pipe, or /metrics with --metrics-listen', () => {
		const several = buildCliOptions(['a:1', 'b:1', 'c:1'], flags());
		assert.deepEqual(several.targets, ['a:1', 'b:1', 'c:1']);
		assert.equal(chooseOutput(several, {stdinIsTty: true, stdoutIsTty: true}), 'tui');
		assert.equal(chooseOutput(several, {stdinIsTty: true, stdoutIsTty: false}), 'report');
		assert.equal(chooseOutput(buildCliOptions(['a:1', 'b:1'], flags({once: true})), {stdinIsTty: true, stdoutIsTty: true}), 'report');
		const metrics = buildCliOptions(['a:1', 'b:1'], flags({metricsListen: '9464'}));
		assert.deepEqual(metrics.metricsListen, {host: '127.0.0.1', port: 9464});
		assert.equal(metrics.metricsTop, 20);
		assert.equal(chooseOutput(metrics, {stdinIsTty: true, stdoutIsTty: true}), 'metrics');
	});

	test('--metrics-listen: a bare port listens on loopback only; a host is taken as given', () => {
		assert.deepEqual(parseListen('9464'), {host: '127.0.0.1', port: 9464});
		assert.deepEqual(parseListen(':9464'), {host: '127.0.0.1', port: 9464});
		assert.deepEqual(parseListen('0.0.0.0:9464'), {host: '0.0.0.0', port: 9464});
		assert.deepEqual(parseListen('[::1]:0'), {host: '::1', port: 0});
		assert.deepEqual(parseListen('metrics.local:9464'), {host: 'metrics.local', port: 9464});
	});

	test('a --targets file: one target a line, # comments and blank lines skipped', () => {
		assert.deepEqual(parseTargetsFile('# fleet\na:6060\r\n\n  b:6060  # replica 2\nhttp://c:6060/debug/pprof/\n'), [
			'a:6060',
			'b:6060',
			'http://c:6060/debug/pprof/',
		]);
	});

	test('diff takes exactly two targets', () => {
		const options = buildCliOptions(['diff', 'a.txt', 'b.txt'], flags());
		assert.equal(options.command, 'diff');
		assert.deepEqual(options.targets, ['a.txt', 'b.txt']);
		usageError(() => buildCliOptions(['diff', 'a'], flags()), /needs two dumps/);
		usageError(() => buildCliOptions(['diff', '-', '-'], flags()), /only one of BEFORE and AFTER from stdin/);
		usageError(() => buildCliOptions(['diff', 'a', 'b'], flags({watch: true})), /--watch does not apply/);
	});

	test('diff refuses the flags it would ignore: polling, the stuck rule, the gate and --hide-idle', () => {
		const ignored: Array<[Partial<RawFlags>, string]> = [
			[{polls: '3'}, '--polls'],
			[{interval: '1s'}, '--interval'],
			[{maxOverhead: '5'}, '--max-overhead'],
			[{stuckAfter: '2'}, '--stuck-after'],
			[{failOnSuspects: '1'}, '--fail-on-suspects'],
			[{hideIdle: true}, '--hide-idle'],
			[{demo: true}, '--demo'],
			[{clipboard: true}, '--clipboard'],
		];
		for (const [given, flag] of ignored) {
			usageError(() => buildCliOptions(['diff', 'a', 'b'], flags(given)), new RegExp(`^${flag} does not apply to gmon diff$`));
		}

		// What reaches the targets or shapes the output still applies.
		const options = buildCliOptions(['diff', 'a', 'b'], flags({once: true, json: true, groupBy: 'where', maxBytes: '1MB', header: ['A: b'], color: false}));
		assert.equal(options.command, 'diff');
	});

	test('--clipboard is off unless asked for, and reaches the live view when it is', () => {
		assert.equal(buildCliOptions(['localhost:6060'], flags()).clipboard, false);
		assert.equal(buildCliOptions(['localhost:6060'], flags({clipboard: true})).clipboard, true);
	});

	const bad: Array<[string, readonly string[], Partial<RawFlags>, RegExp]> = [
		['no target', [], {}, /^no target/],
		['a target twice', ['a:1', ' a:1'], {}, /a:1 is given twice/],
		['stdin among others', ['-', 'b:1'], {}, /can only be the one TARGET/],
		['--metrics-listen with --json', ['a:1'], {metricsListen: '9464', json: true}, /drop --json/],
		['--metrics-listen 70000', ['a:1'], {metricsListen: '70000'}, /--metrics-listen must be/],
		['--metrics-top alone', ['a:1'], {metricsTop: '5'}, /applies to --metrics-listen/],
		['--metrics-top -1', ['a:1'], {metricsListen: '0', metricsTop: '-1'}, /--metrics-top must be/],
		['--demo with a target', ['x'], {demo: true}, /--demo runs its own target/],
		['--polls 0', ['x'], {polls: '0'}, /--polls must be a whole number ≥ 1, got '0'/],
		['--polls 2.5', ['x'], {polls: '2.5'}, /--polls must be a whole number/],
		['--interval soon', ['x'], {interval: 'soon'}, /--interval/],
		['--interval 10ms', ['x'], {interval: '10ms'}, /too short/],
		['--max-overhead 150', ['x'], {maxOverhead: '150'}, /--max-overhead/],
		['--max-bytes lots', ['x'], {maxBytes: 'lots'}, /--max-bytes/],
		['--stuck-after forever', ['x'], {stuckAfter: 'forever'}, /--stuck-after/],
		['--group-by color', ['x'], {groupBy: 'color'}, /--group-by must be stack, where, top or creator/],
		['--fail-on-suspects=0', ['x'], {failOnSuspects: '0'}, /--fail-on-suspects must be a whole number ≥ 1/],
		['--fail-on sometimes', ['x'], {failOn: 'sometimes'}, /--fail-on must be proven, likely or possible, got 'sometimes'/],
		['--baseline -', ['x'], {baseline: '-'}, /--baseline needs a dump file taken before the workload/],
		['-H without a colon', ['x'], {header: ['Authorization Bearer x']}, /expected 'Name: value'/],
		['--polls with stdin', ['-'], {polls: '2'}, /stdin can be read only once/],
		['--watch with stdin', ['-'], {watch: true}, /stdin can be read only once/],
	];
	for (const [name, input, overrides, pattern] of bad) {
		test(`refuses ${name}`, () => usageError(() => buildCliOptions(input, flags(overrides)), pattern));
	}

	test('a header value never appears in its error message', () => {
		assert.throws(
			() => buildCliOptions(['x'], flags({header: ['Authorization Bearer s3cret-token']})),
			(error: Error) => !error.message.includes('s3cret'),
		);
	});
});

describe('chooseOutput', () => {
	const tty = {stdinIsTty: true, stdoutIsTty: true};
	const options = (overrides: Partial<RawFlags> = {}, input: string[] = ['localhost:6060']) => buildCliOptions(input, flags(overrides));

	test('the TUI only when both stdin and stdout are terminals', () => {
		assert.equal(chooseOutput(options(), tty), 'tui');
		assert.equal(chooseOutput(options(), {stdinIsTty: true, stdoutIsTty: false}), 'report');
		assert.equal(chooseOutput(options(), {stdinIsTty: false, stdoutIsTty: true}), 'report');
	});

	test('--once, --json, the leak gate, stdin and diff always print a report', () => {
		assert.equal(chooseOutput(options({once: true}), tty), 'report');
		assert.equal(chooseOutput(options({json: true}), tty), 'report');
		assert.equal(chooseOutput(options({failOnSuspects: '1'}), tty), 'report');
		assert.equal(chooseOutput(options({failOn: 'proven'}), tty), 'report');
		assert.equal(chooseOutput(options({baseline: 'before.txt'}), tty), 'report');
		assert.equal(chooseOutput(options({}, ['-']), tty), 'report');
		assert.equal(chooseOutput(options({}, ['diff', 'a', 'b']), tty), 'report');
	});
});
