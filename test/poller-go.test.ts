// The poller against a real Go service serving net/http/pprof (examples/leaky, built once here):
// real dumps, a real leak growing, and the service killed and restarted on the same port while
// polling — connection errors while it is down, recovery by itself, the model following the new process.
import assert from 'node:assert/strict';
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';
import {buildConfig} from '../source/config.ts';
import {createMonitor} from '../source/watch/store.ts';
import {HttpSource} from '../source/fetch/http-source.ts';
import {Poller} from '../source/fetch/poller.ts';
import {ManualTimers} from '../source/fetch/timers.ts';
import {buildLeaky} from './helpers/go-example.ts';
import {skipUnless} from './helpers/tools.ts';

const _run = promisify(execFile);
const _example = new URL('../examples/leaky/', import.meta.url).pathname;

/** Start it on addr; resolves with the process and its real address once it printed "listening on". */
function startLeaky(binary: string, addr: string): Promise<{child: ChildProcess; address: string}> {
	const child = spawn(binary, ['-addr', addr], {stdio: ['ignore', 'ignore', 'pipe']});
	return new Promise((resolve, reject) => {
		let text = '';
		child.stderr?.on('data', (data: Buffer) => {
			text += data.toString();
			const match = /listening on (\S+)/.exec(text);
			if (match?.[1]) resolve({child, address: match[1]});
		});
		child.on('exit', code => reject(new Error(`leaky exited (${code}): ${text}`)));
	});
}

async function stopLeaky(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGKILL');
	await exited;
}

test('a real Go service: dumps, a growing leak, kill and restart while polling', {skip: skipUnless('go'), timeout: 60_000}, async t => {
	const binary = await buildLeaky();
	let service = await startLeaky(binary, '127.0.0.1:0');
	t.after(() => stopLeaky(service.child));
	const address = service.address;
	const config = buildConfig(address, {interval: '1s', headersTimeout: '5s', bodyTimeout: '5s'});

	const timers = new ManualTimers();
	const poller = new Poller(new HttpSource(config), {intervalMs: 1000, maxOverheadPct: 0, maxBackoffMs: 2000, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	let state = poller.getState();
	assert.equal(state.error, undefined);
	assert.equal(state.last?.dump.kind, 'traceback');
	const before = state.last?.dump.goroutines.length ?? 0;
	assert.ok(before >= 5, `the background goroutines are there (${before})`);
	assert.ok(state.last?.dump.goroutines.some(g => g.frames.some(f => f.func === 'main.worker')));
	// Go 1.19 has no goroutineleak profile: probed once, absent, not an error.
	assert.equal(state.leakProfile, 'absent');

	// Leak four goroutines in chan send, then poll again.
	const leak = await fetch(`http://${address}/leak/fanout?n=5`);
	assert.equal(leak.status, 200);
	await leak.text();
	// The losing workers finish their simulated backend calls at their own pace: poll until all four block.
	const blocked = () =>
		poller.getState().last?.dump.goroutines.filter(g => g.state === 'chan send' && g.frames.some(f => f.func === 'main.fanoutWorker')).length;
	for (let i = 0; i < 40 && blocked() !== 4; i++) {
		await delay(50);
		timers.fire();
		await poller.whenIdle();
	}
	assert.equal(blocked(), 4);
	state = poller.getState();

	// The cheap profile from the same service parses as a profile.
	const source = new HttpSource(config);
	t.after(() => source.close());
	const profile = await source.fetch({profile: 'goroutine', debug: 1});
	assert.equal(profile.result.dump.kind, 'profile');
	assert.ok((profile.result.dump.profileTotal ?? 0) >= before);

	// Kill it: the kept-alive connection dies and the port refuses.
	const good = state.last;
	await stopLeaky(service.child);
	timers.fire();
	await poller.whenIdle();
	state = poller.getState();
	assert.equal(state.error?.kind, 'refused');
	assert.equal(state.error?.message, `nothing listening on ${address} (connection refused) — is the service running, and is that its pprof port?`);
	assert.equal(state.last, good, 'the last good dump stays on screen');
	timers.fire();
	await poller.whenIdle();
	assert.equal(poller.getState().error?.attempt, 2);

	// Restart on the same port: polling recovers by itself.
	service = await startLeaky(binary, address);
	timers.fire();
	await poller.whenIdle();
	state = poller.getState();
	assert.equal(state.error, undefined);
	assert.notEqual(state.last, good);
	assert.equal(state.last?.dump.goroutines.filter(g => g.frames.some(f => f.func === 'main.fanoutWorker')).length, 0, 'a fresh process has no leak yet');
});

test('the monitor over a real Go service: the model sees the leak and follows the service through a restart', {
	skip: skipUnless('go'),
	timeout: 60_000,
}, async t => {
	const binary = await buildLeaky();
	let service = await startLeaky(binary, '127.0.0.1:0');
	t.after(() => stopLeaky(service.child));
	const address = service.address;
	const timers = new ManualTimers();
	const monitor = createMonitor(buildConfig(address, {interval: '1s', headersTimeout: '5s', bodyTimeout: '5s', maxOverhead: '0'}), {
		timers,
		maxBackoffMs: 1000,
	});
	t.after(() => monitor.control.stop());
	const step = async () => {
		timers.fire();
		await monitor.poller.whenIdle();
	};
	await monitor.poller.whenIdle();
	assert.equal(monitor.getState().model?.epoch, 1);
	for (let i = 0; i < 3; i++) {
		const response = await fetch(`http://${address}/leak/fanout?n=11`);
		await response.text();
	}
	const fanout = () => monitor.getState().model?.groups.find(g => g.state === 'chan send' && g.sample.frames.some(f => f.func === 'main.fanoutWorker'))?.count;
	for (let i = 0; i < 40 && fanout() !== 30; i++) {
		await delay(50);
		await step();
	}
	assert.equal(fanout(), 30, 'three requests leaked ten workers each, grouped by stack');
	const model = monitor.getState().model;
	assert.ok(model);
	assert.ok(model.total >= 30, `total ${model.total}`);

	await stopLeaky(service.child);
	await step();
	assert.equal(monitor.getState().poller.error?.kind, 'refused');
	assert.equal(monitor.getState().model, model, 'the model is untouched by errors');
	service = await startLeaky(binary, address);
	await step();
	const after = monitor.getState();
	assert.equal(after.poller.error, undefined);
	// The model now describes the new process, in a new epoch: the refused polls in between told
	// the tracker the connection was lost, so ids that started over count as a restart even when
	// the fresh process recreates its background goroutines under the very same ids.
	assert.notEqual(after.model, model);
	assert.equal(after.model?.epoch, 2, 'a restart begins a new epoch');
	assert.equal(after.model?.restarted, true);
	assert.ok((after.model?.total ?? Infinity) < model.total, `total ${after.model?.total} after restart`);
	assert.equal(fanout() ?? 0, 0, 'the leaked workers died with the old process');
});

test('a real Go service: first contact is debug=1; a full dump over --max-pause is held until asked, then measured', {
	skip: skipUnless('go'),
	timeout: 60_000,
}, async t => {
	const binary = await buildLeaky();
	const service = await startLeaky(binary, '127.0.0.1:0');
	t.after(() => stopLeaky(service.child));
	const config = buildConfig(service.address, {interval: '1s', headersTimeout: '5s'});

	// A 1 ms pause limit: even this small service's full dump (predicted from its depth, 1 ms fixed plus its stacks) is over it.
	const held = new Poller(new HttpSource(config), {intervalMs: 1000, maxOverheadPct: 5, maxPauseMs: 1, timers: new ManualTimers()});
	t.after(() => held.stop());
	let state = await held.poll();
	assert.equal(state.error, undefined);
	assert.equal(state.last, undefined, 'no full dump unasked');
	const count = state.lastProfile?.dump.profileTotal ?? 0;
	assert.ok(count > 5, `the count came from debug=1 (${count})`);
	assert.equal(state.fullDump?.goroutines, count);
	assert.equal(state.fullDump?.held, 'over --max-pause 1ms');
	held.refreshNow(); // D
	await held.whenIdle();
	state = held.getState();
	assert.ok(state.last && state.last.dump.goroutines.length > 5, 'D took the full dump');
	assert.equal(state.pauses.length, 1, 'its pause was measured');
	assert.ok((state.pauses[0]?.ms ?? -1) >= 0);

	// The default 1 s: a small service's full dump follows its count in the same poll.
	const free = new Poller(new HttpSource(config), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
	t.after(() => free.stop());
	state = await free.poll();
	assert.ok(state.last, 'the full dump was taken');
	assert.equal(state.fullDump?.held, undefined);
	assert.ok((state.fullDump?.predictedMs ?? 0) < 1000);
});
