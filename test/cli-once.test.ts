// `gmon --once` and `gmon --json` on offline dumps, through the real binary.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import schema from '../source/report/schema.json' with {type: 'json'};
import {validate} from './helpers/json-schema.ts';
import {fixture, runCli} from './helpers/run-cli.ts';

const statezoo = fixture('go1.19-statezoo-all-states.debug2.txt');
// From the fixtures README (computed independently of gmon).
const statezooStates = {
	'chan receive': 20,
	'IO wait': 4,
	semacquire: 4,
	'chan send': 3,
	'select (no cases)': 2,
	runnable: 2,
	running: 1,
	select: 1,
	'chan receive (nil chan)': 1,
	'chan send (nil chan)': 1,
	'sync.Cond.Wait': 1,
	sleep: 1,
	syscall: 1,
};

function assertValid(document: unknown): void {
	const errors = validate(schema, document);
	assert.deepEqual(errors, [], `JSON does not match source/report/schema.json:\n${JSON.stringify(errors.slice(0, 5), null, 2)}`);
}

describe('gmon --once FILE', {concurrency: 4}, () => {
	test('prints totals, every state with its count, groups and the parked stack, and exits 0', async () => {
		const result = await runCli(['--once', statezoo]);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stderr, '');
		assert.match(result.stdout, /^gmon report: .*go1\.19-statezoo-all-states\.debug2\.txt/);
		// Four goroutines block forever on nil channels / `select {}` in main: the model's suspects.
		assert.match(result.stdout, /^42 goroutines · 4 suspect goroutines at 4 sites · 3 possible at 2 sites$/m);
		for (const [state, count] of Object.entries(statezooStates)) {
			const escaped = state.replaceAll(/[.()]/g, character => `\\${character}`);
			assert.match(result.stdout, new RegExp(`^  ${escaped} +${count} +\\d+\\.\\d%`, 'm'), `state line for ${state}`);
		}

		assert.match(result.stdout, /^Suspects \(6 sites, 7 goroutines\), most likely leak first$/m);
		// One sentence per site, on two lines: what and where, then why.
		assert.match(result.stdout, /^ {2}\d\. likely leak: 1 goroutine in chan receive \(nil chan\) at main\.go:250\n {5}— a nil channel can never wake$/m);
		assert.match(result.stdout, /^Groups by stack \(10 of \d+\), suspects first$/m);
		// The 6 labelled workers are the largest group that is not a suspect.
		assert.match(result.stdout, /^ {6}6 {2}chan receive +main\.labelledWorkers\.func1\.1\.1 {2}main\.go:141/m);
		// The top suspect's stack, with the frame where it is parked marked.
		assert.match(result.stdout, /^Where the top groups are parked$/m);
		assert.match(
			result.stdout,
			/▸ 1 × chan receive \(nil chan\) in main\.main\.func7\n {4}main\.main\.func7\(\) ◀\n {8}\/home\/dev\/statezoo\/main\.go:250\n {4}created by main\.main/,
		);
	});

	test('fits 100 columns and prints no escape sequences when stdout is not a terminal', async () => {
		const result = await runCli(['--once', fixture('go1.19-big-1642-goroutines.debug2.txt')]);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^1642 goroutines/m);
		for (const line of result.stdout.split('\n')) assert.ok([...line].length <= 100, `line longer than 100 columns: ${line}`);
		assert.doesNotMatch(result.stdout, /\u001B/);
	});

	test('reads the dump from stdin with -', async () => {
		const result = await runCli(['--once', '-'], {stdin: readFileSync(statezoo)});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^gmon report: stdin/);
		assert.match(result.stdout, /^42 goroutines/m);
	});

	test('shows the panic message of a crash dump', async () => {
		const result = await runCli(['--once', fixture('go1.19-panic-nil-deref-sigsegv.txt')]);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^panic: runtime error: invalid memory address or nil pointer dereference$/m);
		assert.match(result.stdout, /main\.nilDeref\(\) ◀/);
	});

	test('reports a debug=1 profile by its records, saying it has no states', async () => {
		const result = await runCli(['--once', fixture('go1.19-statezoo-labels.debug1.txt')]);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^42 goroutines/m);
		assert.match(result.stdout, /debug=1 profile: counts per stack only/);
	});

	test('--baseline is read once like a file TARGET: a missing file or one without goroutine ids ends with exit 3 and one visible line', async () => {
		const missing = await runCli(['--once', '--baseline', '/nonexistent/before\x1b[2J.txt', statezoo]);
		assert.equal(missing.code, 3, missing.stderr);
		assert.match(missing.stderr, /^gmon: cannot read --baseline: .*before\\x1b\[2J\.txt.*no such file/m);
		assert.doesNotMatch(missing.stderr, /\x1b/, 'the file name is shown escaped');
		assert.equal(missing.stdout, '');
		const profile = await runCli(['--once', '--baseline', fixture('go1.19-big-1642-goroutines.debug1.txt'), statezoo]);
		assert.equal(profile.code, 3, profile.stderr);
		assert.match(profile.stderr, /^gmon: --baseline .* is not a goroutine dump with goroutine ids \(save \?debug=2 before the workload\)$/m);
	});

	test("--baseline of the same dump: nothing appeared since, so the verdicts are the dump's own and the gate counts them", async () => {
		const result = await runCli(['--once', '--baseline', statezoo, statezoo]);
		assert.equal(result.code, 1, result.stderr);
		assert.doesNotMatch(result.stdout, /appeared since the baseline/);
		assert.match(result.stderr, /^gmon: leak gate failed: 4 likely-or-above suspect goroutines \(threshold 1\); top: likely leak: /m);
	});
});

describe('gmon --json FILE', {concurrency: 4}, () => {
	test('prints a document that validates against the schema, with the exact totals and states', async () => {
		const result = await runCli(['--json', statezoo]);
		assert.equal(result.code, 0, result.stderr);
		const document = JSON.parse(result.stdout) as Record<string, any>;
		assertValid(document);
		assert.equal(document['schemaVersion'], 1);
		assert.equal(document['kind'], 'traceback');
		assert.equal(document['total'], 42);
		assert.deepEqual(document['states'], statezooStates);
		assert.equal(document['goroutines'].length, 42);
		assert.equal(document['poll'].polls, 1);
		assert.equal(document['poll'].bytes, 22_402);
		assert.equal(document['poll'].truncated, false);
		assert.deepEqual(document['errors'], []);
		const groupTotal = (document['groups'] as Array<{count: number}>).reduce((sum, group) => sum + group.count, 0);
		assert.equal(groupTotal, 42);
	});

	test('describes each goroutine: id, state, wait minutes, where it is parked, created by', async () => {
		const result = await runCli(['--json', fixture('go1.19-wait-2-minutes-locked.debug2.txt')]);
		assert.equal(result.code, 0, result.stderr);
		const document = JSON.parse(result.stdout) as {goroutines: Array<Record<string, any>>};
		assertValid(document);
		const byId = new Map(document.goroutines.map(g => [g['id'], g]));
		const pool = byId.get(32)!;
		assert.equal(pool['state'], 'chan receive');
		assert.equal(pool['waitMinutes'], 2);
		assert.equal(pool['where'].function, 'main.(*Pool[...]).Get');
		assert.equal(pool['createdBy'].function, 'main.main');
		const locked = byId.get(44)!;
		assert.equal(locked['locked'], true);
		assert.equal(locked['where'].function, 'main.lockedThreadWaiter');
		assert.equal(document.goroutines.filter(g => g['waitMinutes'] === 2).length, 38);
	});

	test('a debug=1 profile validates too: total from the header, groups from the records', async () => {
		const result = await runCli(['--json', fixture('go1.19-statezoo-labels.debug1.txt')]);
		assert.equal(result.code, 0, result.stderr);
		const document = JSON.parse(result.stdout) as Record<string, any>;
		assertValid(document);
		assert.equal(document['kind'], 'profile');
		assert.equal(document['total'], 42);
		assert.deepEqual(document['goroutines'], []);
		// 41 records; records with the same frames (they differ only in labels) are one stack.
		const groups = document['groups'] as Array<{key: string; count: number}>;
		assert.equal(
			groups.reduce((sum, group) => sum + group.count, 0),
			42,
		);
		assert.equal(new Set(groups.map(group => group.key)).size, groups.length);
		assert.ok(groups.length < 41 && groups.length > 1);
	});

	test('stdin and the file give the same document apart from target and timing', async () => {
		const [fromFile, fromStdin] = await Promise.all([runCli(['--json', statezoo]), runCli(['--json', '-'], {stdin: readFileSync(statezoo)})]);
		const strip = (text: string) => {
			const {target, at, poll, ...rest} = JSON.parse(text) as Record<string, unknown>;
			return rest;
		};

		assert.deepEqual(strip(fromStdin.stdout), strip(fromFile.stdout));
		assert.equal(JSON.parse(fromStdin.stdout).target, 'stdin');
	});
});
