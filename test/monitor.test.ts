// The store the TUI reads: poller + the real Tracker, over real sources (a dump file, a loopback
// pprof look-alike), and writing the raw dump out.
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {test} from 'node:test';
import {buildConfig} from '../source/config.ts';
import {createMonitor, dumpFileName} from '../source/watch/store.ts';
import {ManualTimers} from '../source/fetch/timers.ts';

const dumps = new URL('./fixtures/dumps/', import.meta.url);
const zoo = new URL('go1.19-statezoo-all-states.debug2.txt', dumps).pathname;
const zooBytes = readFileSync(zoo);
const profileBytes = readFileSync(new URL('go1.19-statezoo-labels.debug1.txt', dumps));

function tempDir(t: {after(fn: () => unknown): void}): string {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-monitor-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	return dir;
}

test('a dump file through the monitor: one model snapshot, raw bytes written back exactly', async t => {
	const cwd = tempDir(t);
	const monitor = createMonitor(buildConfig(zoo), {cwd, timers: new ManualTimers()});
	t.after(() => monitor.control.stop());
	await assert.rejects(monitor.control.writeDump(), {message: 'no goroutine dump to write yet'});
	assert.equal(monitor.getState().lastWrite?.error, 'no goroutine dump to write yet');

	await monitor.poller.whenIdle();
	const state = monitor.getState();
	assert.equal(state.poller.error, undefined);
	assert.equal(state.model?.total, 42);
	assert.equal(state.model?.epoch, 1);

	const first = await monitor.control.writeDump();
	// Under the dump folder of the start directory, as a full path (the footer prints it), never loose in cwd.
	assert.equal(dirname(first), join(cwd, 'gmon-dumps'));
	assert.match(basename(first), /^gmon-.+-\d{8}-\d{6}\.txt$/);
	assert.ok(readFileSync(first).equals(zooBytes));
	assert.equal(monitor.getState().lastWrite?.path, first);
	// A second `w` in the same second does not overwrite the first.
	const second = await monitor.control.writeDump();
	assert.equal(second, first.replace(/\.txt$/, '-2.txt'));
	assert.deepEqual(readdirSync(cwd), ['gmon-dumps']);
	assert.equal(readdirSync(join(cwd, 'gmon-dumps')).length, 2);

	const explicit = join(cwd, 'mine.txt');
	assert.equal(await monitor.control.writeDump(explicit), explicit);
	assert.ok(readFileSync(explicit).equals(zooBytes));
	await assert.rejects(monitor.control.writeDump(join(cwd, 'no/such/dir.txt')), {message: `cannot write ${join(cwd, 'no/such/dir.txt')}: no such directory`});
	// A file where the folder should be: the message says where and why.
	const blocked = tempDir(t);
	writeFileSync(join(blocked, 'gmon-dumps'), '');
	const other = createMonitor(buildConfig(zoo), {cwd: blocked, timers: new ManualTimers()});
	t.after(() => other.control.stop());
	await other.poller.whenIdle();
	await assert.rejects(other.control.writeDump(), {message: new RegExp(`^cannot write ${join(blocked, 'gmon-dumps')}/gmon-.+: `)});
});

test('a dump over the raw limit is still shown but not kept for writing, and `w` says why', async t => {
	const cwd = tempDir(t);
	const monitor = createMonitor(buildConfig(zoo), {cwd, timers: new ManualTimers(), maxRawBytes: 10_000});
	t.after(() => monitor.control.stop());
	await monitor.poller.whenIdle();
	assert.equal(monitor.getState().model?.total, 42, 'the whole dump was parsed');
	assert.equal(monitor.poller.lastRaw, undefined);
	await assert.rejects(monitor.control.writeDump(), {
		message: 'the last dump (22 KiB) was too large to keep for writing (gmon keeps up to 9.8 KiB); save one with curl',
	});
	assert.equal(readdirSync(cwd).length, 0);
});

test('setGroupBy regroups at once; subscribers get a new immutable state each time', async t => {
	const monitor = createMonitor(buildConfig(zoo), {timers: new ManualTimers()});
	t.after(() => monitor.control.stop());
	await monitor.poller.whenIdle();
	let calls = 0;
	const unsubscribe = monitor.subscribe(() => calls++);
	const before = monitor.getState();
	assert.ok(Object.isFrozen(before));
	monitor.control.setGroupBy('top');
	const after = monitor.getState();
	assert.notEqual(after, before);
	assert.equal(calls, 1);
	assert.ok(after.model?.groups.every(g => g.by === 'top'));
	assert.ok((after.model?.groups.length ?? 0) > 0);
	unsubscribe();
	monitor.control.setGroupBy('stack');
	assert.equal(calls, 1);
});

// A dump slow enough to stretch the interval has over 1000 goroutines: a smaller one's time is
// mostly the round trip, and the budget counts it as a short freeze however long it took (budget.ts).
const bigDump = readFileSync(new URL('go1.19-big-1642-goroutines.debug2.txt', dumps));
const bigProfile = readFileSync(new URL('go1.19-big-1642-goroutines.debug1.txt', dumps));

function pprof(delayMs: number, bodies: {debug1: Buffer; debug2: Buffer} = {debug1: profileBytes, debug2: zooBytes}) {
	return (req: IncomingMessage, res: ServerResponse) => {
		const debug = new URL(req.url ?? '/', 'http://x').searchParams.get('debug');
		setTimeout(
			() => {
				if (!(req.url ?? '').startsWith('/debug/pprof/goroutine?')) {
					res.writeHead(404);
					res.end();
					return;
				}
				res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
				res.end(debug === '1' ? bodies.debug1 : bodies.debug2);
			},
			debug === '2' ? delayMs : 0,
		);
	};
}

test('a live target: debug=2 feeds the tracker, debug=1 between stretched dumps moves the totals; pause, resume, interval', async t => {
	const requests: string[] = [];
	const handler = pprof(150, {debug1: bigProfile, debug2: bigDump});
	const server = createServer((req, res) => {
		requests.push(req.url ?? '');
		handler(req, res);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	const timers = new ManualTimers();
	const monitor = createMonitor(buildConfig(`127.0.0.1:${port}`, {interval: '1s'}), {timers});
	t.after(() => monitor.control.stop());
	await monitor.poller.whenIdle();
	const first = monitor.getState();
	assert.equal(first.model?.poll, 1);
	assert.ok((first.poller.stretchedReason ?? '') !== '', 'a 150 ms dump at 5 % is stretched');

	timers.fire();
	await monitor.poller.whenIdle();
	const second = monitor.getState();
	assert.equal(requests.at(-1), '/debug/pprof/goroutine?debug=1');
	assert.ok(second.poller.lastProfile);
	assert.notEqual(second.model, first.model, 'the profile moved the model');
	assert.equal(second.model?.total, second.poller.lastProfile?.dump.profileTotal);

	monitor.control.pause();
	assert.equal(monitor.getState().poller.paused, true);
	assert.deepEqual(timers.delays, [], 'nothing scheduled while paused');
	monitor.control.setIntervalMs(3000);
	assert.equal(monitor.getState().poller.intervalMs, 3000);
	const count = requests.length;
	monitor.control.refreshNow(); // one full poll, still paused
	await monitor.poller.whenIdle();
	assert.equal(requests.length, count + 1);
	assert.equal(requests.at(-1), '/debug/pprof/goroutine?debug=2');
	assert.equal(monitor.getState().poller.paused, true);
	assert.deepEqual(timers.delays, []);
	monitor.control.resume();
	await monitor.poller.whenIdle();
	assert.equal(monitor.getState().poller.paused, false);
	assert.equal(timers.delays.length, 1);
	// On the new interval, or the budget's stretch of it (a loaded machine answers the 150 ms dump slower).
	const effective = monitor.getState().poller.effectiveIntervalMs;
	assert.ok(effective >= 3000, `effective interval ${effective} ms`);
	assert.ok((timers.delays[0] ?? 0) > 1000 && (timers.delays[0] ?? 0) <= effective, `next poll on the new interval (${timers.delays[0]} ms)`);
});

test('a dump cut by --max-bytes: the profile read in the same tick gives the counts, one trend point per poll', async t => {
	const bigDump = readFileSync(new URL('go1.19-big-1642-goroutines.debug2.txt', dumps));
	const bigProfile = readFileSync(new URL('go1.19-big-1642-goroutines.debug1.txt', dumps));
	const server = createServer((req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		res.end((req.url ?? '').includes('debug=1') ? bigProfile : bigDump);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	const timers = new ManualTimers();
	const monitor = createMonitor(buildConfig(`127.0.0.1:${port}`, {interval: '1s', maxOverhead: 0, maxBytes: '100KB'}), {timers});
	t.after(() => monitor.control.stop());
	for (let tick = 0; tick < 3; tick++) {
		if (tick > 0) timers.fire();
		await monitor.poller.whenIdle();
	}
	const {model, poller} = monitor.getState();
	assert.equal(poller.last?.truncated, true);
	const listed = poller.last!.dump.goroutines.length;
	assert.ok(listed < 1642);
	assert.equal(model?.total, 1642);
	assert.deepEqual(model?.totalHistory, [1642, 1642, 1642], 'no dip to the listed count between the profile points');
	const grouped = model!.groups.reduce((n, g) => n + g.count, 0);
	assert.ok(grouped > listed && grouped <= 1642, `the listed groups take their profile counts: ${grouped}`);
	for (const group of model!.groups) assert.equal(group.history.length, 3);
});

test('refreshNow during a poll queues one more full poll instead of overlapping', async t => {
	let active = 0;
	let maxActive = 0;
	const handler = pprof(100);
	const server = createServer((req, res) => {
		active++;
		maxActive = Math.max(maxActive, active);
		res.on('finish', () => active--);
		handler(req, res);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	const monitor = createMonitor(buildConfig(`127.0.0.1:${port}`, {interval: '1s', maxOverhead: '0'}), {timers: new ManualTimers()});
	t.after(() => monitor.control.stop());
	monitor.control.refreshNow();
	monitor.control.refreshNow();
	monitor.control.refreshNow();
	await monitor.poller.whenIdle();
	await monitor.poller.whenIdle();
	assert.equal(maxActive, 1, 'never two requests at once');
	assert.equal(monitor.getState().model?.poll, 2, 'the first poll, then one queued refresh');
});

test('dump file names are safe and say what and when', () => {
	const at = new Date(2026, 10, 23, 15, 43, 1).getTime();
	assert.equal(dumpFileName('localhost:6060', at), 'gmon-localhost-6060-20261123-154301.txt');
	assert.equal(dumpFileName('https://svc:8443/internal/debug/pprof', at), 'gmon-svc-8443-internal-debug-pprof-20261123-154301.txt');
	assert.equal(dumpFileName('unix:/run/app.sock', at), 'gmon-unix-run-app.sock-20261123-154301.txt');
	assert.equal(dumpFileName('/tmp/crash.log', at), 'gmon-tmp-crash.log-20261123-154301.txt');
});

test('a model failure is shown as an error and does not stop polling', async t => {
	// A real tracker cannot be made to fail on purpose: this one throws.
	const tracker = {
		snapshot: undefined,
		update(): never {
			throw new Error('boom\nstack…');
		},
		setGroupBy(): never {
			throw new Error('unused');
		},
	};
	const dir = tempDir(t);
	const path = join(dir, 'app.log');
	writeFileSync(path, zooBytes);
	const timers = new ManualTimers();
	const monitor = createMonitor(buildConfig(path, {watch: true}), {tracker, timers});
	t.after(() => monitor.control.stop());
	await monitor.poller.whenIdle();
	const state = monitor.getState();
	assert.equal(state.poller.error?.message, 'gmon could not process this dump: boom');
	assert.equal(state.model, undefined);
	assert.equal(timers.delays.length, 1, 'still polling');
});

test('y writes text as a new file in the dump folder and resolves with its full path', async t => {
	const cwd = tempDir(t);
	const monitor = createMonitor(buildConfig(zoo), {cwd, timers: new ManualTimers(), autoStart: false});
	t.after(() => monitor.control.stop());
	const first = await monitor.control.writeText('gmon-goroutine-7.txt', 'goroutine 7 [chan send]:\n');
	assert.equal(first, join(cwd, 'gmon-dumps', 'gmon-goroutine-7.txt'));
	assert.equal(readFileSync(first, 'utf8'), 'goroutine 7 [chan send]:\n');
	const second = await monitor.control.writeText('gmon-goroutine-7.txt', 'again\n');
	assert.equal(second, join(cwd, 'gmon-dumps', 'gmon-goroutine-7-2.txt'));
	assert.equal(readFileSync(first, 'utf8'), 'goroutine 7 [chan send]:\n', 'never overwrites');
});
