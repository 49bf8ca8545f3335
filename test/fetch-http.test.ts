// The HTTP source and the poller against a real node:http server on loopback playing every fault a
// Go service (or the network in front of it) can produce. Each fault asserts the exact line the
// user sees and that polling recovers by itself once the target behaves again.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {test} from 'node:test';
import {buildConfig, type ConfigFlags} from '../source/config.ts';
import {PollFault} from '../source/fetch/faults.ts';
import {HttpSource} from '../source/fetch/http-source.ts';
import {Poller} from '../source/fetch/poller.ts';
import {ManualTimers} from '../source/fetch/timers.ts';

const dumps = new URL('./fixtures/dumps/', import.meta.url);
const debug2 = readFileSync(new URL('go1.19-statezoo-all-states.debug2.txt', dumps));
const debug1 = readFileSync(new URL('go1.19-statezoo-labels.debug1.txt', dumps));
const big = readFileSync(new URL('go1.19-big-1642-goroutines.debug2.txt', dumps));
const leak1 = Buffer.from('goroutineleak profile: total 2\n2 @ 0x43a1b6 0x4700d2\n#\t0x4700d1\tmain.leakyWorker+0x31\t/app/main.go:42\n\n');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A pprof look-alike whose behaviour each test swaps; records what it was asked. */
async function startTarget(t: {after(fn: () => unknown): void}) {
	const requests: {path: string; authorization?: string}[] = [];
	let connections = 0;
	const sockets = new Set<Socket>();
	let handler: Handler = serveOk;
	const server: Server = createServer((req, res) => {
		const seen: {path: string; authorization?: string} = {path: req.url ?? ''};
		if (req.headers.authorization !== undefined) seen.authorization = req.headers.authorization;
		requests.push(seen);
		handler(req, res);
	});
	server.on('connection', socket => {
		connections += 1;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	t.after(() => {
		for (const socket of sockets) socket.destroy();
		server.close();
	});
	return {
		port,
		requests,
		get connections() {
			return connections;
		},
		use(next: Handler) {
			handler = next;
		},
	};
}

/** Go's net/http/pprof: debug=2 tracebacks, debug=1 profile, no goroutineleak before 1.26. */
function serveOk(req: IncomingMessage, res: ServerResponse): void {
	const url = new URL(req.url ?? '/', 'http://x');
	if (url.pathname === '/debug/pprof/goroutine') {
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		res.end(url.searchParams.get('debug') === '1' ? debug1 : debug2);
		return;
	}
	res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'});
	res.end('Unknown profile\n');
}

// A dump slow enough to stretch the interval has over 1000 goroutines: a smaller one's time is
// mostly the round trip, and the budget counts it as a short freeze however long it took (budget.ts).
const bigDebug2 = readFileSync(new URL('go1.19-big-1642-goroutines.debug2.txt', dumps));
const bigDebug1 = readFileSync(new URL('go1.19-big-1642-goroutines.debug1.txt', dumps));

/** serveOk with the 1642-goroutine dump and its profile. */
function serveBig(req: IncomingMessage, res: ServerResponse): void {
	res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
	res.end(new URL(req.url ?? '/', 'http://x').searchParams.get('debug') === '1' ? bigDebug1 : bigDebug2);
}

const quick: ConfigFlags = {headersTimeout: '300ms', bodyTimeout: '300ms', interval: '1s'};

function sourceFor(port: number, flags: ConfigFlags = {}, target = `127.0.0.1:${port}`) {
	return new HttpSource(buildConfig(target, {...quick, ...flags}));
}

async function fault(promise: Promise<unknown>): Promise<PollFault> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof PollFault, `expected a PollFault, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the fetch to fail');
}

/** Poll once while the target misbehaves, then once after it is fixed: the error goes, data comes back. */
async function faultThenRecovery(
	t: {after(fn: () => unknown): void},
	target: Awaited<ReturnType<typeof startTarget>>,
	broken: Handler,
	expected: {kind: string; message: string},
	flags: ConfigFlags = {},
) {
	const timers = new ManualTimers();
	const poller = new Poller(sourceFor(target.port, flags), {intervalMs: 1000, maxOverheadPct: 0, maxBackoffMs: 4000, timers});
	t.after(() => poller.stop());
	target.use(serveOk);
	poller.start();
	await poller.whenIdle();
	const good = poller.getState().last;
	assert.ok(good, 'first poll is good');
	target.use(broken);
	await poller.poll();
	let state = poller.getState();
	assert.equal(state.error?.kind, expected.kind);
	assert.equal(state.error?.message, expected.message);
	assert.equal(state.error?.attempt, 1);
	assert.equal(state.last, good, 'the last good dump is kept across the error');
	// Backoff doubles on repeated errors, capped.
	assert.ok(timers.fire());
	await poller.whenIdle();
	assert.equal(poller.getState().error?.attempt, 2);
	assert.deepEqual(
		timers.delays.map(d => Math.ceil(d / 250) * 250),
		[2000],
		'the second retry waits twice as long',
	);
	target.use(serveOk);
	assert.ok(timers.fire());
	await poller.whenIdle();
	state = poller.getState();
	assert.equal(state.error, undefined, 'recovered by itself');
	assert.notEqual(state.last, good);
	assert.equal(state.last?.dump.goroutines.length, 42);
	assert.equal(timers.delays.length, 1);
	assert.ok((timers.delays[0] ?? 0) > 0 && (timers.delays[0] ?? 0) <= 1000, 'back on the normal interval');
}

test('a good target: debug=2 streamed and parsed, one kept-alive connection across polls', async t => {
	const target = await startTarget(t);
	const source = sourceFor(target.port);
	t.after(() => source.close());
	for (let i = 0; i < 3; i++) {
		const outcome = await source.fetch({profile: 'goroutine', debug: 2, keepRaw: true});
		assert.equal(outcome.result.dump.goroutines.length, 42);
		assert.equal(outcome.result.bytes, debug2.length);
		assert.equal(outcome.result.truncated, false);
		assert.ok(Buffer.concat(outcome.raw ?? []).equals(debug2), 'raw bytes kept exactly');
		// gmon's own parse time is part of the fetch's wall time, never more.
		const {parseMs, durationMs} = outcome.result;
		assert.ok(parseMs !== undefined && parseMs > 0 && parseMs <= durationMs + 1, `parse ${parseMs} ms of ${durationMs} ms`);
	}
	const profile = await source.fetch({profile: 'goroutine', debug: 1});
	assert.equal(profile.result.dump.kind, 'profile');
	assert.equal(profile.result.debug, 1);
	assert.equal(target.connections, 1);
	assert.deepEqual(target.requests.map(r => r.path).slice(-2), ['/debug/pprof/goroutine?debug=2', '/debug/pprof/goroutine?debug=1']);
});

test('connection refused names the address and recovers when the service comes up', async t => {
	// Find a free port, then leave it closed.
	const probe = createServer();
	await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
	const {port} = probe.address() as AddressInfo;
	await new Promise(resolve => probe.close(resolve));

	const timers = new ManualTimers();
	const poller = new Poller(sourceFor(port), {intervalMs: 1000, maxOverheadPct: 0, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	const error = poller.getState().error;
	assert.equal(error?.kind, 'refused');
	assert.equal(error?.message, `nothing listening on 127.0.0.1:${port} (connection refused) — is the service running, and is that its pprof port?`);
	assert.equal(poller.getState().last, undefined);

	const server = createServer(serveOk);
	await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	assert.ok(timers.fire());
	await poller.whenIdle();
	assert.equal(poller.getState().error, undefined);
	assert.equal(poller.getState().last?.dump.goroutines.length, 42);
});

test('a server that accepts and never answers: header timeout', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(t, target, () => {}, {
		kind: 'timeout',
		message: `no response from 127.0.0.1:${target.port} after 300ms — the connection is open but the target does not answer`,
	});
});

test('a body that stalls mid-stream: body timeout', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
			res.write(debug2.subarray(0, 1000));
		},
		{kind: 'timeout', message: 'the dump stalled: no data for 300ms after 1000 bytes'},
	);
});

test('a connection reset mid-body: the dump was cut off', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
			res.write(debug2.subarray(0, 1000), () => setTimeout(() => res.socket?.destroy(), 20));
		},
		{kind: 'cut-off', message: 'the dump was cut off after 1000 bytes: the connection closed mid-stream (did the target restart?)'},
	);
});

test('404: the target does not serve net/http/pprof, and how to enable it', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(404, {'content-type': 'text/plain'});
			res.end('404 page not found\n');
		},
		{
			kind: 'not-found',
			message: `127.0.0.1:${target.port}/debug/pprof/goroutine is not a pprof endpoint (404 Not Found): does the service import _ "net/http/pprof"?`,
		},
	);
});

test('500: the server error line is shown', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(500, {'content-type': 'text/plain'});
			res.end('could not enable CPU profiling: already in use\n');
		},
		{kind: 'server', message: 'HTTP 500 Internal Server Error from the target: could not enable CPU profiling: already in use'},
	);
});

test('503 with an HTML body shows no markup', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(503, {'content-type': 'text/html'});
			res.end('<html><body>down</body></html>');
		},
		{kind: 'server', message: 'HTTP 503 Service Unavailable from the target'},
	);
});

test('an HTML page is not a goroutine dump', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
			res.end('<!doctype html><html><body>Login</body></html>');
		},
		{kind: 'not-a-dump', message: `127.0.0.1:${target.port}/debug/pprof/goroutine is not a pprof endpoint: got HTML (a web page, not a goroutine dump)`},
	);
});

test('garbage text is not a goroutine dump; an empty body neither', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(200, {'content-type': 'text/plain'});
			res.end('{"status":"ok","uptime":12345}\n'.repeat(50));
		},
		{
			kind: 'not-a-dump',
			message: `127.0.0.1:${target.port}/debug/pprof/goroutine is not a pprof endpoint: this is not a goroutine dump; it starts with "{"status":"ok","uptime":12345}"`,
		},
	);
	target.use((_req, res) => {
		res.writeHead(200, {'content-type': 'text/plain'});
		res.end();
	});
	const source = sourceFor(target.port);
	t.after(() => source.close());
	const error = await fault(source.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(error.message, 'the response to /debug/pprof/goroutine is empty, not a goroutine dump');
});

test('a body over --max-bytes is cut there: a truncated dump, not a failure, and counts come from debug=1', async t => {
	const target = await startTarget(t);
	target.use((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		res.end(url.searchParams.get('debug') === '1' ? debug1 : big);
	});
	const timers = new ManualTimers();
	const poller = new Poller(sourceFor(target.port, {maxBytes: '64KB'}), {intervalMs: 1000, maxOverheadPct: 0, timers});
	t.after(() => poller.stop());
	await poller.poll();
	const state = poller.getState();
	assert.equal(state.error, undefined);
	assert.equal(state.last?.truncated, true);
	assert.equal(state.last?.bytes, 64 * 1024);
	const count = state.last?.dump.goroutines.length ?? 0;
	assert.ok(count > 100 && count < 1642, `a prefix of the goroutines was parsed (${count})`);
	assert.equal(Buffer.concat(poller.lastRaw ?? []).length, 64 * 1024, 'kept raw bytes are bounded too');
	assert.equal(state.lastProfile?.debug, 1, 'the cheap profile filled in the totals');
	// The first contact's count is the one the cut dump lacks: asked once, before the dump.
	assert.deepEqual(target.requests.map(r => r.path).slice(0, 3), [
		'/debug/pprof/goroutine?debug=1',
		'/debug/pprof/goroutine?debug=2',
		'/debug/pprof/goroutineleak?debug=1',
	]);
});

test('401 without credentials says which header to add; with the right one it recovers; secrets never shown', async t => {
	const target = await startTarget(t);
	const secret = 'Bearer supersecret-token';
	const guarded: Handler = (req, res) => {
		if (req.headers.authorization !== secret) {
			res.writeHead(401, {'www-authenticate': 'Bearer'});
			res.end(`bad token ${String(req.headers.authorization)}\n`);
			return;
		}
		serveOk(req, res);
	};
	target.use(guarded);
	const none = sourceFor(target.port);
	t.after(() => none.close());
	const missing = await fault(none.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(missing.kind, 'auth');
	assert.equal(missing.message, "HTTP 401 Unauthorized — the target needs credentials: add -H 'Authorization: …' or put user:pass@ in the URL");

	const wrong = sourceFor(target.port, {header: ['Authorization: Bearer wrong-secret-value']});
	t.after(() => wrong.close());
	const rejected = await fault(wrong.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(rejected.message, "HTTP 401 Unauthorized — the credentials sent were rejected; check the -H 'Authorization: …' value or user:pass@ in the URL");
	assert.doesNotMatch(rejected.message, /wrong-secret/);

	const right = sourceFor(target.port, {header: [`Authorization: ${secret}`]});
	t.after(() => right.close());
	const ok = await right.fetch({profile: 'goroutine', debug: 2});
	assert.equal(ok.result.dump.goroutines.length, 42);

	// A 500 echoing the secret back never shows it.
	target.use((req, res) => {
		res.writeHead(500);
		res.end(`token ${String(req.headers.authorization)} expired\n`);
	});
	const echoed = await fault(right.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(echoed.message, 'HTTP 500 Internal Server Error from the target: token *** expired');
});

test('403 is an auth fault too, and polling recovers', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(403);
			res.end();
		},
		{kind: 'auth', message: "HTTP 403 Forbidden — the target needs credentials: add -H 'Authorization: …' or put user:pass@ in the URL"},
	);
});

test('user:pass@ in the URL reaches the server as a Basic header', async t => {
	const target = await startTarget(t);
	const source = sourceFor(target.port, {}, `http://alice:p%40ss@127.0.0.1:${target.port}/debug/pprof/`);
	t.after(() => source.close());
	assert.equal(source.displayName, `127.0.0.1:${target.port}`);
	await source.fetch({profile: 'goroutine', debug: 2});
	assert.equal(target.requests.at(-1)?.authorization, `Basic ${Buffer.from('alice:p@ss').toString('base64')}`);
});

test('a custom mount: debug=1 and goroutineleak are asked at the same base path', async t => {
	const target = await startTarget(t);
	target.use((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.pathname === '/internal/debug/pprof/goroutine') {
			res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
			res.end(url.searchParams.get('debug') === '1' ? debug1 : debug2);
		} else if (url.pathname === '/internal/debug/pprof/goroutineleak') {
			res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
			res.end(leak1);
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	const timers = new ManualTimers();
	const source = sourceFor(target.port, {}, `http://127.0.0.1:${target.port}/internal/debug/pprof/`);
	const poller = new Poller(source, {intervalMs: 1000, maxOverheadPct: 0, leakIntervalMs: 5000, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	let state = poller.getState();
	assert.equal(state.leakProfile, 'present');
	assert.equal(state.leakRecords?.[0]?.count, 2);
	assert.equal(state.leakRecords?.[0]?.frames[0]?.func, 'main.leakyWorker');
	assert.deepEqual(
		target.requests.map(r => r.path),
		['/internal/debug/pprof/goroutine?debug=1', '/internal/debug/pprof/goroutine?debug=2', '/internal/debug/pprof/goroutineleak?debug=1'],
	);
	// The leak profile is polled on its own slower interval: not on the next tick…
	timers.fire();
	await poller.whenIdle();
	assert.equal(target.requests.length, 4);
	// …but once its interval has passed.
	for (let i = 0; i < 5; i++) {
		timers.fire();
		await poller.whenIdle();
	}
	state = poller.getState();
	assert.equal(target.requests.filter(r => r.path.includes('goroutineleak')).length, 2);
	assert.equal(state.leakProfile, 'present');
});

test('goroutineleak absent (404): probed once, never again', async t => {
	const target = await startTarget(t);
	const timers = new ManualTimers();
	const poller = new Poller(sourceFor(target.port), {intervalMs: 1000, maxOverheadPct: 0, leakIntervalMs: 1000, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	for (let i = 0; i < 4; i++) {
		timers.fire();
		await poller.whenIdle();
	}
	const state = poller.getState();
	assert.equal(state.leakProfile, 'absent');
	assert.equal(state.error, undefined, 'an absent leak profile is not an error');
	assert.equal(target.requests.filter(r => r.path.includes('goroutineleak')).length, 1);
	assert.equal(target.requests.filter(r => r.path.endsWith('goroutine?debug=2')).length, 5);
});

test('cost awareness: a slow dump stretches the debug=2 interval and debug=1 fills the gaps', async t => {
	const target = await startTarget(t);
	// Go answers only after it has collected the whole dump: emulate a 150 ms stop-the-world.
	target.use((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const slow = url.searchParams.get('debug') === '2';
		setTimeout(() => serveBig(req, res), slow ? 150 : 0);
	});
	const timers = new ManualTimers();
	const poller = new Poller(sourceFor(target.port), {intervalMs: 1000, maxOverheadPct: 5, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	let state = poller.getState();
	// ≥150 ms of dump at 5 % needs ≥3 s between dumps.
	assert.ok(state.effectiveIntervalMs >= 3000, `stretched to ${state.effectiveIntervalMs}`);
	assert.match(state.stretchedReason ?? '', /^each full dump freezes the target ~\d+ms; --max-overhead 5%$/);
	const fullsBefore = target.requests.filter(r => r.path.endsWith('debug=2')).length;
	timers.fire();
	await poller.whenIdle();
	state = poller.getState();
	assert.equal(target.requests.at(-1)?.path, '/debug/pprof/goroutine?debug=1', 'the next tick is the cheap profile');
	assert.equal(state.lastProfile?.debug, 1);
	assert.equal(target.requests.filter(r => r.path.endsWith('debug=2')).length, fullsBefore);
	// Keep ticking: a full dump comes back once the stretched interval has passed.
	const ticks = Math.ceil(state.effectiveIntervalMs / 1000) + 1;
	for (let i = 0; i < ticks; i++) {
		timers.fire();
		await poller.whenIdle();
	}
	assert.ok(target.requests.filter(r => r.path.endsWith('debug=2')).length > fullsBefore);
	// --max-overhead 0 turns it off.
	poller.setIntervalMs(1000);
	const off = new Poller(sourceFor(target.port), {intervalMs: 1000, maxOverheadPct: 0, timers: new ManualTimers()});
	t.after(() => off.stop());
	await off.poll();
	assert.equal(off.getState().effectiveIntervalMs, 1000);
	assert.equal(off.getState().stretchedReason, undefined);
});

test('a redirect to another host is not followed: the message says where it points, without credentials', async t => {
	const target = await startTarget(t);
	await faultThenRecovery(
		t,
		target,
		(_req, res) => {
			res.writeHead(301, {location: 'https://user:pw@svc.example:8443/debug/pprof/goroutine?debug=2'});
			res.end();
		},
		{
			kind: 'other',
			message:
				'HTTP 301 Moved Permanently — the target redirects to https://svc.example:8443/debug/pprof/goroutine?debug=2 (another host: not followed): use that URL as the target',
		},
	);
});

test('a custom endpoint without debug=1: stretched polls wait for the next full dump instead of failing', async t => {
	const target = await startTarget(t);
	target.use((req, res) => {
		const debug = new URL(req.url ?? '/', 'http://x').searchParams.get('debug');
		if (debug !== '2') {
			res.writeHead(404);
			res.end();
			return;
		}
		setTimeout(() => serveBig(req, res), 150);
	});
	const timers = new ManualTimers();
	const poller = new Poller(sourceFor(target.port), {intervalMs: 1000, maxOverheadPct: 5, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	timers.fire(); // the cheap profile is asked once: 404
	await poller.whenIdle();
	assert.equal(poller.getState().error, undefined, 'a missing debug=1 is not an error');
	assert.equal(target.requests.filter(r => r.path.endsWith('goroutine?debug=1')).length, 1);
	// From now on the next timer is the next full dump.
	const state = poller.getState();
	const wait = timers.delays[0] ?? 0;
	assert.ok(wait > 1000, `waits for the stretched interval (${wait} ms)`);
	timers.fire();
	await poller.whenIdle();
	assert.equal(target.requests.at(-1)?.path.endsWith('goroutine?debug=2'), true);
	assert.notEqual(poller.getState().last, state.last);
	assert.equal(target.requests.filter(r => r.path.endsWith('goroutine?debug=1')).length, 1, 'never asked again');
});

/** A handler that sends goroutine blocks forever (until the client hangs up); `closed` resolves with the bytes it sent. */
function endlessTraceback(): {handler: Handler; closed: Promise<number>} {
	let done: (bytes: number) => void = () => {};
	const closed = new Promise<number>(resolve => {
		done = resolve;
	});
	const handler: Handler = (_req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		let id = 1;
		let bytes = 0;
		const pump = () => {
			let ok = true;
			while (ok) {
				let text = '';
				for (let i = 0; i < 100; i++) text += `goroutine ${id++} [chan receive]:\nmain.worker()\n\t/app/main.go:42 +0x1d\n\n`;
				bytes += text.length;
				ok = res.write(text);
			}
			res.once('drain', pump);
		};
		res.on('error', () => {});
		res.on('close', () => done(bytes));
		pump();
	};
	return {handler, closed};
}

test('an endless body: the poll stops at --max-bytes and hangs up (the server sees the connection end)', async t => {
	const target = await startTarget(t);
	const endless = endlessTraceback();
	target.use(endless.handler);
	const source = sourceFor(target.port, {maxBytes: '256KB'});
	t.after(() => source.close());
	const outcome = await source.fetch({profile: 'goroutine', debug: 2});
	assert.equal(outcome.result.truncated, true);
	assert.equal(outcome.result.bytes, 256 * 1024);
	await endless.closed; // never resolves (the test times out) while gmon keeps the socket open
});

test('a traceback where the debug=1 profile was asked is refused at its first header, not read to --max-bytes', async t => {
	const target = await startTarget(t);
	const endless = endlessTraceback();
	target.use(endless.handler);
	const source = sourceFor(target.port);
	t.after(() => source.close());
	const error = await fault(source.fetch({profile: 'goroutine', debug: 1}));
	assert.equal(error.kind, 'not-a-dump');
	const sent = await endless.closed;
	// Read to the 64 MiB default, the server would have sent over 64 MiB; hung up at once, what the
	// sockets' buffers took (a few MiB on loopback).
	assert.ok(sent < 32 * 1024 * 1024, `the server sent ${sent} bytes before the connection ended`);
});
