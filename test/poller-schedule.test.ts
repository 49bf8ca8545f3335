// The poller's schedule: backoff growth and cap, pause during backoff, interval changes, and
// stop() cutting a hung request short — against real loopback sockets, with the clock injected.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test} from 'node:test';
import {buildConfig} from '../source/config.ts';
import {HttpSource} from '../source/fetch/http-source.ts';
import {Poller} from '../source/fetch/poller.ts';
import {ManualTimers} from '../source/fetch/timers.ts';
import {freePort} from './helpers/ports.ts';

const debug2 = readFileSync(new URL('./fixtures/dumps/go1.19-statezoo-all-states.debug2.txt', import.meta.url));

/** A poll scheduled `interval` after the last one started: due in (interval - 1 s, interval]. */
const within = (delay: number | undefined, interval: number) => delay !== undefined && delay > interval - 1000 && delay <= interval;
// Delays are read a moment after they were set: round up to the quarter second.
const rounded = (timers: ManualTimers) => timers.delays.map(d => Math.ceil(d / 250) * 250);

test('errors back off exponentially up to the cap, and keep retrying there', async t => {
	const port = await freePort();
	const timers = new ManualTimers();
	const poller = new Poller(new HttpSource(buildConfig(`127.0.0.1:${port}`, {interval: '1s'})), {
		intervalMs: 1000,
		maxOverheadPct: 5,
		maxBackoffMs: 5000,
		timers,
	});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	const seen: number[] = [];
	for (let i = 0; i < 5; i++) {
		seen.push(...rounded(timers));
		timers.fire();
		await poller.whenIdle();
	}
	assert.deepEqual(seen, [1000, 2000, 4000, 5000, 5000]);
	const error = poller.getState().error;
	assert.equal(error?.attempt, 6);
	assert.equal(poller.getState().nextPollAt, error?.retryAt);
});

test('pause during backoff stops retrying; resume retries at once; setIntervalMs reschedules', async t => {
	const port = await freePort();
	const timers = new ManualTimers();
	const poller = new Poller(new HttpSource(buildConfig(`127.0.0.1:${port}`, {interval: '1s'})), {intervalMs: 1000, maxOverheadPct: 5, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	assert.equal(poller.getState().error?.kind, 'refused');
	poller.pause();
	assert.deepEqual(timers.delays, []);
	assert.equal(poller.getState().nextPollAt, undefined);

	let server: Server | undefined = createServer((_req, res) => {
		res.writeHead(200, {'content-type': 'text/plain'});
		res.end(debug2);
	});
	await new Promise<void>(resolve => server?.listen(port, '127.0.0.1', resolve));
	t.after(() => {
		server?.closeAllConnections();
		server?.close();
		server = undefined;
	});
	poller.resume();
	await poller.whenIdle();
	assert.equal(poller.getState().error, undefined);
	// The next poll is one interval after the last one started (minus the time that poll took).
	assert.equal(timers.delays.length, 1);
	assert.ok(within(timers.delays[0], 1000), `next poll in ${timers.delays[0]} ms`);
	poller.setIntervalMs(5000);
	assert.equal(timers.delays.length, 1);
	assert.ok(within(timers.delays[0], 5000), `next poll in ${timers.delays[0]} ms`);
	assert.equal(poller.getState().intervalMs, 5000);
});

test('stop() aborts a request the target never answers, at once', async t => {
	const server = createServer(() => {}); // accepts, never answers
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	// Default 60 s header timeout: without the abort, stop() would hang for a minute.
	const poller = new Poller(new HttpSource(buildConfig(`127.0.0.1:${port}`)), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
	poller.start();
	await new Promise(resolve => setTimeout(resolve, 50));
	assert.equal(poller.getState().polling, true);
	await poller.stop();
	const state = poller.getState();
	assert.equal(state.polling, false);
	assert.equal(state.error, undefined, 'stopping is not a fault');
});
