// The model on poll sequences from a real Go service: examples/leaky (net/http/pprof, a healthy
// background of workers, a ticker loop and keep-alive self-checks, plus leak endpoints),
// polled over loopback at ?debug=2 exactly as gmon does, parsed by the real parser.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {parseDump} from '../source/dump/parse.ts';
import {Tracker} from '../source/model/tracker.ts';
import type {ModelSnapshot} from '../source/model/types.ts';
import {leakSites, startLeaky, type LeakyProcess} from './helpers/go-example.ts';
import {skipUnless} from './helpers/tools.ts';

async function get(url: string): Promise<string> {
	const response = await fetch(url);
	return response.text();
}

async function poll(tracker: Tracker, service: LeakyProcess): Promise<ModelSnapshot> {
	const text = await get(`${service.url}/debug/pprof/goroutine?debug=2`);
	const dump = parseDump(text);
	assert.ok(dump.goroutines.length > 0, 'the dump parsed');
	return tracker.update({goroutines: dump.goroutines, at: Date.now()});
}

/** The accept loop of main's http.Server: goroutine 1 parked in IO wait under (*Server).Serve. */
function acceptGroupOf(s: ModelSnapshot) {
	const main = s.goroutines.find(x => x.g.id === 1);
	assert.ok(main, 'goroutine 1 is in the dump');
	assert.equal(main.g.state, 'IO wait');
	return s.groups.find(group => group.key === main.groupKey)!;
}

test('a forgotten sender leaking one goroutine per request gets stuck and tops the suspects with its reason', {skip: skipUnless('go')}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());
	const site = leakSites().find(x => x.name === 'forgotten-sender')!;
	await delay(300); // let the background pool start: goroutines born before the first poll are not growth
	const tracker = new Tracker({stuckAfterPolls: 3});
	let s = await poll(tracker, service);
	// One request per poll. Under heavy load the search can beat the timeout (then nothing
	// leaks), so count what the service says it leaked.
	let leaks = 0;
	for (let i = 0; i < 12 && leaks < 6; i++) {
		const answer = JSON.parse(await get(`${service.url}${site.path}`)) as {leaked: number};
		leaks += answer.leaked;
		await delay(120); // the late worker wakes after 30 ms and blocks on its send
		s = await poll(tracker, service);
	}
	assert.ok(leaks >= 4, `leaked ${leaks}`);
	// One more poll, so even under heavy load the last worker has reached its send.
	await delay(150);
	s = await poll(tracker, service);
	const top = s.suspects[0];
	assert.ok(top, 'there is a suspect');
	assert.equal(top.proven, false);
	assert.equal(top.where?.func, site.func);
	assert.equal(top.where?.line, site.line);
	assert.equal(top.count, leaks);
	const group = s.groups.find(x => x.key === top.groupKey)!;
	// Leaked goroutines never leave, so those already there two polls ago have been seen
	// unchanged in 3 polls: exactly the stuck ones.
	const stuck = group.history.at(-3)!;
	assert.ok(stuck >= 2);
	assert.equal(group.stuck, stuck);
	assert.equal(top.tier, 'likely');
	assert.match(
		top.reason,
		new RegExp(
			`^likely leak: ${leaks} goroutines in chan send at leaks\\.go:${site.line} — .*the functions? that started (it|them) ha(s|ve) returned, so nobody will receive`,
		),
	);
	assert.equal(s.suspects.length, 1, `only the leak: ${s.suspects.map(x => x.reason).join(' | ')}`);
	assert.equal(group.history.at(-1), leaks);
	assert.equal(group.growth, leaks, 'the group appeared after the first poll: it grew from nothing');
	assert.equal(group.history.find(n => n > 0) !== undefined && group.history[0], 0, 'its trend starts at 0');
	assert.equal(group.delta, 0, 'no leak since the previous poll');
	const stuckIds = s.goroutines.filter(x => x.stuck && x.groupKey === top.groupKey).map(x => x.g.id);
	assert.equal(stuckIds.length, stuck);
	// The idle accept loop is never a suspect; it is marked idle for --hide-idle.
	const accept = acceptGroupOf(s);
	assert.equal(accept.idle, true);
	assert.ok(!s.suspects.some(x => x.groupKey === accept.key));
	assert.equal(s.epoch, 1);
});

test('a healthy server under load (goroutines come and go) produces no suspects', {skip: skipUnless('go')}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());
	await delay(300);
	const tracker = new Tracker({stuckAfterPolls: 3});
	let s = await poll(tracker, service);
	const paths = ['/fixed/forgotten-sender', '/fixed/fanout?n=5', '/fixed/producer', '/fixed/ticker', '/healthz'];
	let sawNew = 0;
	let sawGone = 0;
	for (let round = 0; round < 8; round++) {
		await Promise.all(Array.from({length: 20}, (_, i) => get(`${service.url}${paths[i % paths.length]!}`)));
		await delay(100); // the fixed workers finish within ~70 ms
		s = await poll(tracker, service);
		sawNew += s.newIds.length;
		sawGone += s.goneIds.length;
		assert.deepEqual(
			s.suspects.map(x => x.reason),
			[],
			`round ${round}`,
		);
	}
	assert.ok(sawNew > 0 && sawGone > 0, `churn was real: +${sawNew} -${sawGone}`);
	assert.equal(s.epoch, 1, 'churn is not a restart');
	assert.equal(acceptGroupOf(s).idle, true);
	// The idle worker pool is stuck in chan receive in user code, but not growing.
	const pool = s.groups.filter(x => x.where?.func === 'main.worker');
	assert.ok(pool.length > 0);
});

test('a restart of the target begins a new epoch instead of marking everything new and gone', {skip: skipUnless('go')}, async t => {
	let service = await startLeaky();
	t.after(() => service.stop());
	await delay(300);
	const tracker = new Tracker();
	let s = await poll(tracker, service);
	for (let i = 0; i < 30; i++) await get(`${service.url}/leak/fanout?n=5`);
	s = await poll(tracker, service);
	s = await poll(tracker, service);
	assert.equal(s.epoch, 1);
	const before = s.total;
	assert.ok(before > 100, `the old process holds its leaks (${before})`);

	const port = service.port;
	await service.stop();
	service = await startLeaky({port});
	await delay(300);
	s = await poll(tracker, service);
	assert.equal(s.restarted, true);
	assert.equal(s.epoch, 2);
	assert.deepEqual(s.newIds, []);
	assert.deepEqual(s.goneIds, []);
	assert.ok(s.goroutines.every(x => !x.isNew && !x.stuck));
	assert.ok(s.total < before / 2);
	s = await poll(tracker, service);
	assert.equal(s.restarted, false);
	assert.equal(s.epoch, 2);
	assert.ok(
		s.groups.every(group => group.growth <= group.count),
		'group trends restarted with the epoch',
	);
});
