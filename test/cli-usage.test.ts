// The command line's contract: --help, --version, and the documented exit codes with one clear
// line on stderr for every mistake — through the real binary.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync, chmodSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {fixture, runCli, type RunCliOptions} from './helpers/run-cli.ts';
import packageJson from '../package.json' with {type: 'json'};

/** nobody: owns nothing in the repo or the temp dir, so file modes apply to it. */
const nobody = 65534;

/**
 * How to run gmon so that a mode-000 file is refused: root reads any file, and CI runs as root,
 * so there gmon runs as nobody through setpriv. A string is why it cannot (the test's skip reason).
 */
function unprivileged(): RunCliOptions | string {
	if (process.getuid?.() !== 0) return {};
	if (spawnSync('setpriv', ['--version']).error) return 'running as root, which reads any file, and setpriv(1) is not installed to drop to nobody';
	return {uid: nobody};
}

/** stderr is exactly one line starting with `gmon: `, and nothing went to stdout. */
function assertOneLineError(result: {stdout: string; stderr: string}, pattern: RegExp): void {
	assert.equal(result.stdout, '');
	const lines = result.stderr.split('\n').filter(line => line !== '');
	assert.equal(lines.length, 1, `expected one line on stderr, got:\n${result.stderr}`);
	assert.match(lines[0]!, /^gmon: /);
	assert.match(lines[0]!, pattern);
}

describe('gmon --help and --version', {concurrency: 4}, () => {
	test('--help documents usage, every flag, examples and exit codes, and exits 0', async () => {
		const result = await runCli(['--help']);
		assert.equal(result.code, 0);
		for (const text of [
			'$ gmon [TARGET]',
			'$ gmon --demo',
			'$ gmon diff BEFORE AFTER',
			'unix:/path/to.sock',
			'Exit codes',
			'Examples',
			'--once',
			'--json',
			'--polls',
			'--interval',
			'--watch',
			'-H, --header',
			'--cacert',
			'--insecure',
			'--max-overhead',
			'--max-bytes',
			'--stuck-after',
			'--group-by',
			'--hide-idle',
			'--fail-on-suspects[=N]',
			'--no-color',
			'--demo',
		]) {
			assert.ok(result.stdout.includes(text), `--help lacks ${text}`);
		}

		assert.match(result.stdout, /0 {2}ok {6}1 {2}suspects found/);
	});

	test('-h works anywhere on the line, not only alone', async () => {
		const result = await runCli(['--once', 'x', '-h']);
		assert.equal(result.code, 0);
		assert.match(result.stdout, /Usage/);
	});

	test('--version prints the version from package.json', async () => {
		const result = await runCli(['--version']);
		assert.equal(result.code, 0);
		assert.equal(result.stdout.trim(), packageJson.version);
	});
});

describe('usage errors exit 2 with one line', {concurrency: 4}, () => {
	// The full matrix of bad values is in cli-options.test.ts (pure); these prove the binary's wiring:
	// argv.ts, meow's own checks, options.ts and config.ts each end in one line and exit 2.
	const cases: Array<[string[], RegExp]> = [
		[[], /no target: try gmon localhost:6060.*--demo/],
		[['--bogus', 'x'], /unknown flag --bogus/],
		[['--polls', 'abc', 'x'], /--polls must be a whole number ≥ 1, got 'abc'/],
		[['--polls', '1', '--polls', '2', 'x'], /--polls can only be set once/],
		[['--once', '99999'], /port 99999 is out of range/],
		[
			['--fail-on-suspects', '5', fixture('go1.19-statezoo-all-states.debug2.txt')],
			/^gmon: --fail-on-suspects takes its number after "=": --fail-on-suspects=5$/,
		],
		[['diff', 'before.txt', 'after.txt', '--fail-on-suspects'], /^gmon: --fail-on-suspects does not apply to gmon diff$/],
		[['diff', 'before.txt', 'after.txt', '--polls', '3'], /^gmon: --polls does not apply to gmon diff$/],
	];
	for (const [args, pattern] of cases) {
		test(`gmon ${args.join(' ') || '(nothing)'}`, async () => {
			const result = await runCli(args);
			assert.equal(result.code, 2, result.stderr);
			assertOneLineError(result, pattern);
		});
	}
});

describe('a target that is unreadable exits 3, a file that is not a dump exits 2, with one line', {concurrency: 4}, () => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-cli-usage-'));
	// mkdtemp makes it 0700; the unprivileged run must reach the files in it (but not list it).
	chmodSync(dir, 0o711);
	after(() => rmSync(dir, {recursive: true, force: true}));
	const empty = join(dir, 'empty.txt');
	writeFileSync(empty, '');
	// Prose that quotes a header-like line (this repo's README did): no goroutine in it, so not a dump.
	const prose = join(dir, 'notes.md');
	writeFileSync(prose, '# Leaks\n\n    goroutine 86 [chan send]\n');
	const garbage = join(dir, 'garbage.bin');
	writeFileSync(garbage, Buffer.from(Array.from({length: 4096}, (_, index) => (index * 7919) % 256)));
	const oneGoroutine = 'goroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n';
	const readable = join(dir, 'public.txt');
	writeFileSync(readable, oneGoroutine);
	chmodSync(readable, 0o644);
	const unreadable = join(dir, 'secret.txt');
	writeFileSync(unreadable, oneGoroutine);
	chmodSync(unreadable, 0o000);
	const asUser = unprivileged();

	// Exit 3: nothing could be read. Exit 2: what was read (nothing at all, too) is not a dump, and reading it again will not change that.
	const cases: Array<[string, string[], RegExp, number]> = [
		['a missing file', ['--once', join(dir, 'missing.txt')], /no such file/, 3],
		['an empty file', ['--once', empty], /empty\.txt is empty: expected a goroutine dump$/, 2],
		['an empty stdin', ['--once', '-'], /stdin is empty/, 2],
		[
			'prose with one goroutine-header-like line',
			['--once', prose],
			/notes\.md is not a goroutine dump: .*\(1 goroutine header not understood: "goroutine 86 \[chan send\]"\); it starts with "# Leaks"$/,
			2,
		],
		['a file of random bytes', ['--once', garbage], /not a goroutine dump: .* found; it starts with binary bytes$/, 2],
		['a directory', ['--once', dir], /is a directory/, 3],
		['the binary debug=0 protobuf profile', ['--once', fixture('go1.19-statezoo.debug0.pb.gz')], /debug=0.*\?debug=2/, 2],
		['a port nobody listens on', ['--once', '127.0.0.1:1'], /nothing listening on 127\.0\.0\.1:1 \(connection refused\)/, 3],
	];
	for (const [name, args, pattern, code] of cases) {
		test(name, async () => {
			const result = await runCli(args, name === 'an empty stdin' ? {stdin: ''} : {});
			assert.equal(result.code, code, result.stderr);
			assertOneLineError(result, pattern);
		});
	}

	test('an unreadable file', {skip: typeof asUser === 'string' ? asUser : false}, async () => {
		const options = asUser as RunCliOptions;
		// The same user reads the same dump when its mode allows: node, the repo and the temp dir are
		// within its reach, so the refusal below is the file's mode 000 and nothing else.
		const control = await runCli(['--once', readable], options);
		assert.equal(control.code, 0, `gmon as uid ${options.uid ?? process.getuid?.()} cannot read a readable dump:\n${control.stderr}`);
		const result = await runCli(['--once', unreadable], options);
		assert.equal(result.code, 3, result.stderr);
		assertOneLineError(result, /permission denied/);
	});
});
