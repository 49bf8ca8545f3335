// `gmon --watch --json`: one JSON document per line per poll (NDJSON), for jq and log pipelines.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createInterface} from 'node:readline';
import {test} from 'node:test';
import schema from '../source/report/schema.json' with {type: 'json'};
import {binPath} from './helpers/built.ts';
import {validate} from './helpers/json-schema.ts';
import {fixture, repoDir, runCli} from './helpers/run-cli.ts';

test('re-reads a watched file when it changes and prints one validated document per line; SIGINT ends it with 0', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-watch-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const file = join(dir, 'dump.txt');
	copyFileSync(fixture('go1.19-statezoo-all-states.debug2.txt'), file);

	const child = spawn(process.execPath, [binPath, '--watch', '--json', '--interval', '200ms', file], {
		cwd: repoDir,
		env: {...process.env, CI: 'true'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise<number | null>(resolve => child.once('close', code => resolve(code)));
	t.after(() => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const lines = createInterface({input: child.stdout})[Symbol.asyncIterator]();
	const nextDocument = async () => {
		const {value, done} = await lines.next();
		assert.ok(!done, `gmon stopped early: ${stderr}`);
		return JSON.parse(value as string) as Record<string, any>;
	};

	const first = await nextDocument();
	assert.deepEqual(validate(schema, first), []);
	assert.equal(first['total'], 42);
	assert.equal(first['poll'].polls, 1);

	// A SIGQUIT dump appended to a log, or a new capture saved over the old one: gmon picks it up.
	copyFileSync(fixture('go1.19-wait-2-minutes-locked.debug2.txt'), file);
	const second = await nextDocument();
	assert.deepEqual(validate(schema, second), []);
	assert.equal(second['total'], 44);
	assert.equal(second['poll'].polls, 2);

	child.kill('SIGINT');
	assert.equal(await exited, 0, stderr);
});

test('with --fail-on-suspects, --watch stops at the first poll that trips the gate, with exit 1', async () => {
	// The statezoo dump holds four goroutines blocked forever on nil channels and `select {}`.
	const result = await runCli(['--watch', '--json', '--fail-on-suspects=4', '--interval', '200ms', fixture('go1.19-statezoo-all-states.debug2.txt')]);
	assert.equal(result.code, 1);
	assert.equal(result.stdout.trim().split('\n').length, 1);
	assert.match(result.stderr, /^gmon: leak gate failed: 4 likely-or-above suspect goroutines \(threshold 4\)/);
});

test('a one-shot report interrupted before it is complete exits 130 (SIGINT) or 143 (SIGTERM), never 0', async t => {
	// A target that takes the request and never answers: the request arriving proves gmon is up
	// and waiting on its first poll, so the signal lands at a known point.
	let arrived: () => void = () => {};
	const server = createServer(() => arrived());
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;

	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
	] as const) {
		const requested = new Promise<void>(resolve => (arrived = resolve));
		const child = spawn(process.execPath, [binPath, '--once', '--fail-on-suspects', target], {
			cwd: repoDir,
			env: {...process.env, CI: 'true'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		t.after(() => {
			if (child.exitCode === null) child.kill('SIGKILL');
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const exited = new Promise<number | null>(resolve => child.once('close', exitCode => resolve(exitCode)));
		await requested;
		child.kill(signal);
		assert.equal(await exited, code, stderr);
		assert.equal(stdout, '');
		assert.equal(stderr, `gmon: interrupted by ${signal} before the report was complete\n`);
	}
});
