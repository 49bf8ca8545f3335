// Issue 20: nothing from a target or a file can hang gmon. A target dripping one byte at a time
// ends `--once` by itself (--poll-timeout), the live poller recovers when the target turns
// healthy, /dev/zero ends at the size cap, a signal always ends gmon at once, a compressed body
// is named as such, and out-of-range intervals are usage errors. Real loopback servers, real
// /dev/zero, real FIFOs.
import assert from 'node:assert/strict';
import {spawn, execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {buildConfig} from '../source/config.ts';
import {HttpSource} from '../source/fetch/http-source.ts';
import {Poller} from '../source/fetch/poller.ts';
import {headerLines} from '../source/view/chrome.ts';
import {initialUiState} from '../source/view/reducer.ts';
import {binPath} from './helpers/built.ts';
import {pollerState} from './helpers/fake-store.ts';
import {fixture, repoDir, runCli} from './helpers/run-cli.ts';

const dump = readFileSync(fixture('go1.19-statezoo-all-states.debug2.txt'));

/** A loopback target whose behaviour the test switches: 'drip' sends one byte every 200 ms forever. */
async function target(t: {after(fn: () => unknown): void}) {
	let mode: 'drip' | 'ok' | 'gzip' | 'encoded' = 'drip';
	let requested: () => void = () => {};
	const firstRequest = new Promise<void>(resolve => {
		requested = resolve;
	});
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const drip = (res: ServerResponse) => {
		res.writeHead(200, {'content-type': 'text/plain'});
		let at = 0;
		const timer = setInterval(() => {
			res.write(dump.subarray(at % dump.length, (at % dump.length) + 1));
			at++;
		}, 200);
		timers.add(timer);
		res.on('close', () => clearInterval(timer));
	};
	const server = createServer((_req, res) => {
		requested();
		if (mode === 'drip') drip(res);
		else if (mode === 'gzip') res.writeHead(200, {'content-type': 'application/octet-stream'}).end(gzipSync(dump));
		else if (mode === 'encoded') res.writeHead(200, {'content-type': 'text/plain', 'content-encoding': 'gzip'}).end(gzipSync(dump));
		else res.writeHead(200, {'content-type': 'text/plain'}).end(dump);
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		for (const timer of timers) clearInterval(timer);
		for (const socket of sockets) socket.destroy();
		server.close();
	});
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/pprof/goroutine?debug=2`,
		/** Resolves when the first request arrived (gmon is up, its signal handlers too). */
		firstRequest,
		set: (next: typeof mode) => {
			mode = next;
		},
	};
}

test('a target dripping one byte at a time ends --once by itself at --poll-timeout, with a clear line and exit 3', async t => {
	const {url} = await target(t);
	const started = Date.now();
	const result = await runCli(['--once', '--poll-timeout', '2s', url], {timeoutMs: 20_000});
	assert.equal(result.code, 3, result.stderr);
	assert.match(
		result.stderr,
		/^gmon: the poll took longer than 2s \(--poll-timeout\): \d+ bytes read from 127\.0\.0\.1:\d+ — the target is too slow or drip-feeding; raise --poll-timeout on a slow link\n$/,
	);
	assert.ok(Date.now() - started < 15_000, 'ended near the deadline');
});

test('the live poller gives up on a drip-feeding poll and recovers once the target is healthy', async t => {
	const server = await target(t);
	const config = buildConfig(server.url, {pollTimeout: '700ms', interval: '200ms'});
	const poller = new Poller(new HttpSource(config), {intervalMs: 200, maxOverheadPct: 0, maxBackoffMs: 300});
	t.after(() => poller.stop());
	const first = await poller.poll();
	assert.equal(first.error?.kind, 'timeout');
	assert.match(first.error?.message ?? '', /took longer than 700ms \(--poll-timeout\)/);
	server.set('ok');
	poller.start();
	for (let i = 0; i < 100 && !poller.getState().last; i++) await new Promise(resolve => setTimeout(resolve, 50));
	assert.equal(poller.getState().last?.dump.goroutines.length, 42);
	assert.equal(poller.getState().error, undefined);
});

test('the TUI header shows how long a slow poll has been running', () => {
	const base = {model: undefined, now: 20_000, width: 120, compact: false, stateOrder: [], ui: initialUiState()};
	const waiting = headerLines({...base, poller: pollerState({polling: true, pollStartedAt: 7_400})});
	assert.match(waiting[0]!.text, /waiting for the first poll… 12s · every 2s$/);
	const fresh = headerLines({...base, poller: pollerState({polling: true, pollStartedAt: 19_000})});
	assert.match(fresh[0]!.text, /waiting for the first poll… · every 2s$/, 'a quick poll shows no clock');
	const last = {at: 1000, durationMs: 50, bytes: 10, debug: 2 as const, dump: {} as never, truncated: false};
	const later = headerLines({...base, poller: pollerState({polling: true, pollStartedAt: 15_000, last})});
	assert.match(later[0]!.text, /polling for 5s · every 2s$/);
});

test('gmon --once /dev/zero ends by itself at the size cap with a clear line', async () => {
	const result = await runCli(['--once', '/dev/zero'], {timeoutMs: 30_000});
	assert.equal(result.code, 2, result.stderr);
	assert.equal(
		result.stderr,
		'gmon: /dev/zero is not a goroutine dump: no "goroutine N [state]:" blocks or "goroutine profile:" header in its first 64 MiB (--max-bytes); it starts with binary bytes\n',
	);
});

test('a FIFO nobody writes to ends at --poll-timeout', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-fifo-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const fifo = join(dir, 'dump.fifo');
	execFileSync('mkfifo', [fifo]);
	// A writer that opens the FIFO and never writes (so gmon's open succeeds and the read waits).
	const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; sleep 30`], {stdio: 'ignore'});
	t.after(() => writer.kill('SIGKILL'));
	const result = await runCli(['--once', '--poll-timeout', '1s', fifo], {timeoutMs: 20_000});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /^gmon: reading .*dump\.fifo took longer than 1s \(--poll-timeout\) after 0 B: it is too slow or never ends\n$/);
});

for (const [signal, code] of [
	['SIGTERM', 143],
	['SIGINT', 130],
] as const) {
	test(`${signal} ends a --once run stuck on a drip-feeding target at once, with ${code}`, async t => {
		const {url, firstRequest} = await target(t);
		const child = spawn(process.execPath, [binPath, '--once', url], {
			cwd: repoDir,
			env: {...process.env, CI: 'true'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		t.after(() => child.kill('SIGKILL'));
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const exited = new Promise<number | null>(resolve => child.once('close', resolve));
		// Once it is reading the drip (and a little more, so a few bytes have come).
		await firstRequest;
		await new Promise(resolve => setTimeout(resolve, 500));
		const sent = Date.now();
		child.kill(signal);
		assert.equal(await exited, code, stderr);
		assert.ok(Date.now() - sent < 1500, `ended ${Date.now() - sent} ms after ${signal}`);
		assert.match(stderr, new RegExp(`interrupted by ${signal} before the report was complete`));
	});
}

test('a gzip body says it is compressed, with or without Content-Encoding; so does a .gz file', async t => {
	const server = await target(t);
	server.set('gzip');
	const raw = await runCli(['--once', server.url]);
	assert.equal(raw.code, 3);
	assert.match(raw.stderr, /is gzip-compressed \(a debug=0 protobuf profile or a compressed body\), not a text goroutine dump — ask for \?debug=2\n$/);
	server.set('encoded');
	const encoded = await runCli(['--once', server.url]);
	assert.equal(encoded.code, 3);
	assert.match(encoded.stderr, /is compressed \(Content-Encoding: gzip\): gmon reads the plain text of \?debug=2\n$/);
	const dir = mkdtempSync(join(tmpdir(), 'gmon-gz-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const file = join(dir, 'dump.txt.gz');
	writeFileSync(file, gzipSync(dump));
	const offline = await runCli(['--once', file]);
	assert.equal(offline.code, 2);
	assert.match(
		offline.stderr,
		/is not a goroutine dump: it is gzip-compressed \(a debug=0 protobuf profile, or a \.gz file\): save \?debug=2, or gunzip it first\n$/,
	);
});

test('intervals a timer cannot hold, and negative ones, are usage errors on one line', async () => {
	for (const [args, message] of [
		[['--interval', '600h'], 'gmon: --interval 600h is too long (at most 24h)\n'],
		[['--interval', '-1s'], 'gmon: --interval "-1s": a duration cannot be negative\n'],
		[['-i', '-1s'], 'gmon: --interval "-1s": a duration cannot be negative\n'],
		[['--poll-timeout', '0'], 'gmon: --poll-timeout 0 is too short (at least 100ms)\n'],
	] as const) {
		const result = await runCli([...args, 'localhost:6060']);
		assert.equal(result.code, 2, args.join(' '));
		assert.equal(result.stderr, message);
		assert.equal(result.stdout, '');
	}
});
