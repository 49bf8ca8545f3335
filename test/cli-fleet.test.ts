// Several targets in one run: one watch engine each. Real Go services on loopback ports for the live
// part (one killed and restarted while gmon serves their metrics), saved dumps and a refused port for
// the one-shot reports, the fleet JSON against the schema, --targets FILE, and the usage mistakes.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import schema from '../source/report/schema.json' with {type: 'json'};
import {startLeaky} from './helpers/go-example.ts';
import {validate} from './helpers/json-schema.ts';
import {freePort} from './helpers/ports.ts';
import {fixture, runCli} from './helpers/run-cli.ts';
import {scrape, startMetricsGmon} from './helpers/serve-metrics.ts';
import {skipUnless} from './helpers/tools.ts';

const big = fixture('go1.19-big-1642-goroutines.debug2.txt');
const zoo = fixture('go1.19-statezoo-all-states.debug2.txt');

/** A loopback port nothing listens on (a listener opened and closed). */
const deadPort = freePort;

const value = (body: string, series: string): number | undefined => {
	const line = body.split('\n').find(l => l.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

async function until(what: string | (() => string), timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await probe())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
		await delay(150);
	}
}

test('two Go services under one gmon --metrics-listen: each its own engine; one killed is down with its errors counted, restarted it is up in a new epoch, the other never blinks', {
	skip: skipUnless('go'),
	timeout: 40_000,
}, async t => {
	const a = await startLeaky({background: false});
	t.after(() => a.stop());
	// b runs its background load: its goroutine ids climb, so a fresh process (ids from 1 again) is
	// told apart from the old one. An idle service restarted has the very same ids and stacks.
	let b = await startLeaky();
	t.after(() => b.stop());
	const gmon = await startMetricsGmon(['--interval', '200ms', '--max-overhead', '0', `127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
	t.after(() => gmon.stop());
	const up = (port: number) => `gmon_up{target="127.0.0.1:${port}"}`;
	let body = '';
	const metric = async () => (body = (await scrape(gmon.url)).body);

	await until('both up', 8000, async () => {
		await metric();
		return value(body, up(a.port)) === 1 && value(body, up(b.port)) === 1;
	});
	assert.match(gmon.stderr(), /serving metrics of 2 targets/);

	// Leaked goroutines raise b's ids well above its start-up ones: the restarted process's first
	// fresh ids are then visibly low. (A deterministic program restarted with exactly the same
	// goroutines and ids is indistinguishable from no restart: see model/restart.ts.) Hundreds, not
	// tens: on a loaded machine the poller's backoff can hold the first poll of the new process for
	// seconds, while its background load climbs through the low ids (40 made this flaky at load 4).
	await (await fetch(`${b.url}/leak/fanout?n=400`)).arrayBuffer();
	// gmon has polled them before b goes: the restart is told by the ids of its last poll.
	const goroutinesOfB = () =>
		body
			.split('\n')
			.filter(line => line.startsWith(`gmon_goroutines{target="127.0.0.1:${b.port}"`))
			.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
	await until("b's leaked goroutines polled", 8000, async () => {
		await metric();
		return goroutinesOfB() >= 390;
	});
	await b.stop();
	await until('b down', 8000, async () => {
		await metric();
		return value(body, up(b.port)) === 0;
	});
	assert.equal(value(body, up(a.port)), 1, 'a stays up while b is down');
	assert.ok((value(body, `gmon_poll_errors_total{target="127.0.0.1:${b.port}",kind="refused"}`) ?? 0) >= 1, body);

	b = await startLeaky({port: b.port});
	const seen = () =>
		`b up again in a new epoch; last scrape:\n${body
			.split('\n')
			.filter(l => l.includes(`:${b.port}"`) && !l.includes('_goroutines{'))
			.join('\n')}`;
	await until(seen, 10_000, async () => {
		await metric();
		return value(body, up(b.port)) === 1 && value(body, `gmon_target_restarts_total{target="127.0.0.1:${b.port}"}`) === 1;
	});
	assert.equal(value(body, `gmon_target_restarts_total{target="127.0.0.1:${a.port}"}`), 0, 'a never restarted');
	assert.equal(await gmon.stop(), 0, 'SIGTERM ends the metrics server with 0');
});

test('--once on several targets: each report, then the fleet line per target; a refused one is down (exit 3), the others reported', async () => {
	const port = await deadPort();
	const result = await runCli(['--once', big, zoo, `127.0.0.1:${port}`]);
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stdout, /^gmon report: .*go1\.19-big-1642/m);
	assert.match(result.stdout, /^gmon report: .*go1\.19-statezoo/m);
	assert.match(result.stdout, /^gmon fleet: 3 targets, 2 up, 1 down · 1684 goroutines/m);
	assert.match(result.stdout, new RegExp(`^  127\\.0\\.0\\.1:${port} +down  nothing listening on 127\\.0\\.0\\.1:${port}`, 'm'));
	assert.match(result.stdout, /^gmon fleet: .* · 8 suspect goroutines on 2 of 3 targets · 6 possible$/m);
	assert.match(result.stdout, /^ {2}1\. likely main\.main\.func\d+ main\.go:\d+ .*: 2 of 3 targets/m, 'a suspect says how many targets have it');
	assert.match(result.stderr, new RegExp(`1 of 3 targets gave no goroutine dump: 127\\.0\\.0\\.1:${port}`));
});

test('--json on several targets: one fleet document, valid against the schema, each report as gmon --json TARGET gives it', async () => {
	const result = await runCli(['--json', big, zoo]);
	assert.equal(result.code, 0, result.stderr);
	const document = JSON.parse(result.stdout);
	assert.deepEqual(validate(schema, document), []);
	assert.equal(document.reports.length, 2);
	assert.equal(document.fleet.up, 2);
	const single = JSON.parse((await runCli(['--json', zoo])).stdout);
	assert.deepEqual(document.reports[1].suspects, single.suspects);
	const nil = document.fleet.suspectsAcrossTargets.find((s: {state: string}) => s.state === 'chan send (nil chan)');
	assert.deepEqual(
		nil.targets.map((on: {target: string}) => on.target),
		[big, zoo],
	);
});

test('the leak gate judges every target together: the fleet fails when the sum reaches N', async () => {
	const one = await runCli(['--once', '--fail-on-suspects=5', zoo]);
	assert.equal(one.code, 0, 'one statezoo dump has 4 suspects: under 5');
	const both = await runCli(['--once', '--fail-on-suspects=5', big, zoo]);
	assert.equal(both.code, 1, both.stderr);
	assert.match(both.stderr, /leak gate failed: 8 likely-or-above suspect goroutines \(threshold 5\)/);
});

test('--targets FILE: one target a line, comments and blank lines skipped, after those on the command line', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-targets-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const file = join(dir, 'targets.txt');
	writeFileSync(file, `# replicas\n${zoo}   # the zoo\n\n`);
	const result = await runCli(['--json', big, '--targets', file]);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(
		JSON.parse(result.stdout).reports.map((r: {target: string}) => r.target),
		[big, zoo],
	);
	const empty = join(dir, 'empty.txt');
	writeFileSync(empty, '# nothing\n');
	const none = await runCli(['--once', '--targets', empty]);
	assert.equal(none.code, 2);
	assert.match(none.stderr, /names no target/);
});

test('usage mistakes with several targets get one line and exit 2', async () => {
	const cases: Array<[string[], RegExp]> = [
		[['--once', big, big], /is given twice/],
		[['--once', '-', big], /stdin\) can only be the one TARGET/],
		[['--once', '--targets', '/nonexistent/targets.txt'], /--targets \/nonexistent\/targets\.txt: no such file/],
		[['--metrics-listen', '9464', '--once', big], /drop --once/],
		[['--metrics-listen', 'nope', big], /--metrics-listen must be PORT, :PORT or HOST:PORT/],
		[['--metrics-top', '5', big], /--metrics-top applies to --metrics-listen/],
		[['--once', '--baseline', zoo, big, zoo], /--baseline is a dump of one process/],
		[['--metrics-listen', '0', '--fail-on', 'likely', big], /drop --fail-on/],
	];
	for (const [args, message] of cases) {
		const result = await runCli(args);
		assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.match(result.stderr, message);
		assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
	}
});
