// The embedded demo target (`gmon --demo`) must be indistinguishable, to gmon, from a real Go
// service: its dumps go through the same parser with nothing skipped, they have the shape and
// states of examples/leaky's real dumps, and its leaks grow while the background churns.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {request, Agent} from 'node:http';
import {networkInterfaces} from 'node:os';
import {setTimeout as delay} from 'node:timers/promises';
import {parseDump} from '../source/dump/parse.ts';
import type {Dump, Goroutine} from '../source/dump/types.ts';
import {DemoWorld} from '../source/fetch/demo/world.ts';
import {startDemoServer} from '../source/fetch/demo/server.ts';
import {tabAlign} from '../source/fetch/demo/format.ts';
import {Tracker} from '../source/model/tracker.ts';
import {skipUnless} from './helpers/tools.ts';
import {startLeaky, leakSites} from './helpers/go-example.ts';

const fixtures = new URL('./fixtures/dumps/', import.meta.url);

/** Where a goroutine is parked, as gmon groups it: state (minutes ignored) + top frame. */
const site = (g: Goroutine) => `${g.state} @ ${g.frames[0]?.func}:${g.frames[0]?.line}`;

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
	return counts;
}

/** Everything a well-formed debug=2 dump from net/http/pprof satisfies. */
function assertWellFormed(dump: Dump, label: string): void {
	assert.equal(dump.kind, 'traceback', label);
	assert.equal(dump.skippedLines, 0, `${label}: no line the parser did not understand`);
	assert.equal(dump.truncated, false, label);
	assert.ok(dump.goroutines.length > 10, label);
	const ids = dump.goroutines.map(g => g.id);
	assert.equal(new Set(ids).size, ids.length, `${label}: goroutine ids are unique`);
	assert.equal(dump.goroutines[0]?.state, 'running', `${label}: the dumping goroutine comes first`);
	assert.equal(dump.goroutines[0]?.frames[0]?.func, 'runtime/pprof.writeGoroutineStacks');
	for (const g of dump.goroutines) {
		assert.ok(!g.truncated, `${label}: goroutine ${g.id} complete`);
		assert.ok(g.frames.length > 0, `${label}: goroutine ${g.id} has frames`);
		for (const frame of g.frames) {
			assert.ok(/\.(go|s)$/.test(frame.file) && frame.line > 0, `${label}: ${frame.func} has file:line`);
			// Besides inlined frames, only a goroutine that has not started yet prints no +0x.
			if (g.state !== 'runnable') assert.equal(frame.inlined, frame.pcOffset === undefined, `${label}: only inlined frames lack +0x`);
		}
		if (g.id === 1) {
			assert.equal(g.createdBy, undefined);
			assert.equal(g.frames.at(-1)?.func, 'main.main');
		} else {
			assert.ok(g.createdBy, `${label}: goroutine ${g.id} has created by`);
			assert.ok(g.createdBy.file && g.createdBy.line > 0);
		}
	}
}

test('demo dumps parse through the real parser with nothing skipped, over half an hour of simulated time', () => {
	const world = new DemoWorld({seed: 3});
	for (let poll = 0; poll < 16; poll++) {
		const dump = parseDump(world.render());
		assertWellFormed(dump, `poll ${poll}`);
		// Go 1.21+ style: every created-by names its parent goroutine.
		for (const g of dump.goroutines.filter(g => g.id !== 1)) assert.equal(typeof g.createdBy?.parentId, 'number');
		world.tick(poll < 10 ? 2000 : 5 * 60_000);
	}
});

test('leak groups grow across polls while leaked goroutines keep their id, state and line', () => {
	const world = new DemoWorld({seed: 1});
	const polls: Dump[] = [];
	for (let poll = 0; poll < 16; poll++) {
		polls.push(parseDump(world.render()));
		world.tick(2000);
	}
	const first = polls[0]!;
	const last = polls.at(-1)!;
	const leakSitesOf = (dump: Dump) =>
		countBy(
			dump.goroutines.filter(g => g.state === 'chan send' || g.state === 'chan receive'),
			site,
		);

	// Every leak location holds at least as many goroutines as 30 s before, and some hold more.
	const before = leakSitesOf(first);
	const after = leakSitesOf(last);
	const leakSites = [...before.keys()].filter(key => key.includes('github.com/acme/shop/') && !key.includes('(*Pool).worker'));
	assert.deepEqual(leakSites.length, 4, `four leak locations: ${leakSites.join(', ')}`);
	for (const key of leakSites) assert.ok((after.get(key) ?? 0) >= before.get(key)!, key);
	assert.ok(
		leakSites.some(key => (after.get(key) ?? 0) > before.get(key)!),
		'some leak grew',
	);

	// Stuck: a goroutine parked in chan send at the first poll is still there, unchanged, at the last.
	const lastById = new Map(last.goroutines.map(g => [g.id, g]));
	const stuck = first.goroutines.filter(g => g.state === 'chan send');
	assert.ok(stuck.length >= 10);
	for (const g of stuck) {
		assert.equal(lastById.get(g.id) && site(lastById.get(g.id)!), site(g), `goroutine ${g.id} stays put`);
		assert.ok(lastById.get(g.id)!.waitMinutes >= g.waitMinutes);
	}

	// Churn: request goroutines came and went, and new ids keep increasing.
	const firstIds = new Set(first.goroutines.map(g => g.id));
	const lastIds = new Set(last.goroutines.map(g => g.id));
	assert.ok(
		[...firstIds].some(id => !lastIds.has(id)),
		'some goroutines exited',
	);
	assert.ok(Math.max(...lastIds) > Math.max(...firstIds), 'new goroutines have higher ids');
	const seen = new Set<number>();
	let requestsSeen = 0;
	for (const dump of polls) {
		for (const g of dump.goroutines) {
			if (g.frames.some(frame => frame.func === 'net/http.(*connReader).backgroundRead') && !seen.has(g.id)) requestsSeen++;
			seen.add(g.id);
		}
	}
	assert.ok(requestsSeen >= 3, `short-lived request goroutines seen: ${requestsSeen}`);
});

test('within three polls at a 2 s interval a fresh demo already shows stuck, growing and aged leaks, for any seed', () => {
	for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
		const world = new DemoWorld({seed});
		const polls: Dump[] = [];
		for (let poll = 0; poll < 4; poll++) {
			polls.push(parseDump(world.render()));
			world.tick(2000);
		}
		const [a, , , d] = polls as [Dump, Dump, Dump, Dump];
		const stuckIds = a.goroutines
			.filter(g => g.state.startsWith('chan '))
			.map(g => g.id)
			.filter(id => polls.every(dump => dump.goroutines.some(g => g.id === id)));
		assert.ok(stuckIds.length >= 5, `seed ${seed}: stuck goroutines`);
		const grew = [...countBy(d.goroutines, site)].some(([key, count]) => key.startsWith('chan send') && count > (countBy(a.goroutines, site).get(key) ?? 0));
		assert.ok(grew, `seed ${seed}: a chan send group grew`);
		assert.ok(
			d.goroutines.some(g => g.state === 'chan send' && g.waitMinutes >= 5),
			`seed ${seed}: Go's own minutes show old leaks`,
		);
	}
});

test("gmon's own tracker finds a suspect in a fresh demo by the fourth poll at 2 s, for any seed", () => {
	for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
		const world = new DemoWorld({seed});
		const tracker = new Tracker();
		let snapshot = tracker.snapshot;
		for (let poll = 0; poll < 4; poll++) {
			snapshot = tracker.update({goroutines: parseDump(world.render()).goroutines, at: 1_700_000_000_000 + poll * 2000});
			world.tick(2000);
		}
		assert.ok(
			snapshot!.groups.some(group => group.stuck > 0),
			`seed ${seed}: stuck groups`,
		);
		const top = snapshot!.suspects[0];
		assert.ok(top, `seed ${seed}: a suspect`);
		assert.equal(top.state, 'chan send');
		assert.match(top.where?.func ?? '', /^github\.com\/acme\/shop\/internal\//);
	}
});

test('Go wait minutes grow with simulated time and restart when a loop wakes', () => {
	const world = new DemoWorld({seed: 2});
	const before = parseDump(world.render());
	world.tick(7 * 60_000);
	const after = parseDump(world.render());
	const byId = new Map(after.goroutines.map(g => [g.id, g]));
	const leak = before.goroutines.find(g => g.state === 'chan send' && g.waitMinutes > 0)!;
	assert.equal(byId.get(leak.id)!.waitMinutes, leak.waitMinutes + 7);
	// The metrics loop ticks every 10 s: it never shows minutes.
	const metrics = after.goroutines.find(g => g.frames[0]?.func.endsWith('metrics.(*Reporter).loop'))!;
	assert.equal(metrics.rawState, 'select');
});

test('the same seed and ticks give the same dump; another seed gives another', () => {
	const run = (seed: number) => {
		const world = new DemoWorld({seed});
		world.tick(5000);
		return world.render();
	};
	assert.equal(run(9), run(9));
	assert.notEqual(run(9), run(10));
});

test("debug=1 is the same goroutines aggregated, in Go's tabwriter layout", () => {
	const world = new DemoWorld({seed: 4});
	world.tick(20_000);
	const text = world.render({debug: 1});
	const profile = parseDump(text);
	assert.equal(profile.kind, 'profile');
	assert.equal(profile.skippedLines, 0);
	const total = profile.records.reduce((sum, record) => sum + record.count, 0);
	assert.equal(profile.profileTotal, total);
	assert.equal(parseDump(world.render()).goroutines.length, total, 'debug=1 and debug=2 count the same goroutines');
	const counts = profile.records.map(record => record.count);
	assert.deepEqual(
		counts,
		[...counts].sort((a, b) => b - a),
		'records sorted by count',
	);
	assert.ok(profile.records.every(record => record.frames.length > 0 && record.frames.every(frame => frame.line > 0)));
	assert.ok(text.endsWith('\n\n'));
});

test('the tab alignment reproduces a real Go debug=1 profile byte for byte', () => {
	const real = readFileSync(new URL('go1.19-statezoo-labels.debug1.txt', fixtures), 'utf8');
	// Each record's `#` lines form one tabwriter block; re-align them from their cells.
	const blocks = real.split('\n\n').map(block => block.split('\n').filter(line => line.startsWith('#\t')));
	let checked = 0;
	for (const lines of blocks.filter(block => block.length > 0 && block.every(line => line.split(/\t+/).length === 4))) {
		assert.equal(tabAlign(lines.map(line => line.split(/\t+/))), `${lines.join('\n')}\n`);
		checked++;
	}
	assert.ok(checked > 20);
});

test('the demo server answers like net/http/pprof, on 127.0.0.1 only', async t => {
	const server = await startDemoServer({seed: 5});
	t.after(() => server.close());
	assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);

	const agent = new Agent({keepAlive: true, maxSockets: 1});
	t.after(() => agent.destroy());
	const get = (path: string, host = '127.0.0.1') =>
		new Promise<{status: number; type: string; body: string}>((resolve, reject) => {
			request({host, port: server.port, path, agent: host === '127.0.0.1' ? agent : undefined}, response => {
				let body = '';
				response.setEncoding('utf8');
				response.on('data', chunk => (body += chunk));
				response.on('end', () => resolve({status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body}));
			})
				.on('error', reject)
				.end();
		});

	const two = await get('/debug/pprof/goroutine?debug=2');
	assert.equal(two.status, 200);
	assert.equal(two.type, 'text/plain; charset=utf-8');
	assertWellFormed(parseDump(two.body), 'served debug=2');
	const one = await get('/debug/pprof/goroutine?debug=1');
	assert.equal(one.status, 200);
	assert.match(one.body, /^goroutine profile: total \d+\n/);
	for (const path of ['/', '/debug/pprof/goroutine', '/debug/pprof/goroutine?debug=0', '/debug/pprof/heap?debug=1', '/debug/pprof/goroutineleak?debug=1']) {
		assert.equal((await get(path)).status, 404, path);
	}

	// A keep-alive poller is one server goroutine: the same running id on every poll.
	const running = async () => parseDump((await get('/debug/pprof/goroutine?debug=2')).body).goroutines[0]!.id;
	assert.equal(await running(), await running());

	// Not reachable on any other address of this machine.
	const others = Object.values(networkInterfaces())
		.flat()
		.filter(address => address && address.family === 'IPv4' && !address.internal)
		.map(address => address!.address);
	for (const address of others) {
		await assert.rejects(get('/debug/pprof/goroutine?debug=2', address), /ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/, address);
	}
});

test('the speed option runs simulated time faster than real time', async t => {
	const server = await startDemoServer({seed: 6, speed: 3000});
	t.after(() => server.close());
	const leaked = async () => {
		const dump = parseDump(await (await fetch(`${server.url}/debug/pprof/goroutine?debug=2`)).text());
		return dump.goroutines.filter(g => g.state === 'chan send').length;
	};
	const before = await leaked();
	await delay(150); // ≥ 7 simulated minutes
	assert.ok((await leaked()) > before + 10);
});

test('the demo has the states and shape of the real examples/leaky after its leak endpoints ran', {skip: skipUnless('go')}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());
	const sites = leakSites();
	for (const leak of sites) {
		await (await fetch(service.url + leak.path)).text();
		await (await fetch(service.url + leak.path)).text();
	}
	let real: Dump | undefined;
	for (let attempt = 0; attempt < 40; attempt++) {
		real = parseDump(await (await fetch(`${service.url}/debug/pprof/goroutine?debug=2`)).text());
		const parked = real.goroutines.filter(g => sites.some(leak => g.frames[0]?.func === leak.func && g.frames[0]?.line === leak.line));
		if (parked.length === sites.reduce((sum, leak) => sum + 2 * leak.leakedPerCall, 0)) break;
		await delay(100);
	}
	assertWellFormed(real!, 'examples/leaky');

	const world = new DemoWorld({seed: 1});
	const demoStates = new Set<string>();
	for (let poll = 0; poll < 10; poll++) {
		const dump = parseDump(world.render());
		for (const g of dump.goroutines) demoStates.add(g.state);
		world.tick(2000);
	}
	const realStates = new Set(real!.goroutines.map(g => g.state));
	for (const state of ['running', 'IO wait', 'chan receive', 'chan send', 'select']) {
		assert.ok(realStates.has(state), `example has ${state}`);
		assert.ok(demoStates.has(state), `demo has ${state}`);
	}
	// The demo invents no state the example cannot show (sleep and runnable come and go there).
	for (const state of demoStates) assert.ok(realStates.has(state) || state === 'sleep' || state === 'runnable', `demo state ${state}`);

	// Same leak shape: several goroutines parked at one line of the service's own code, in a
	// channel state, each created by a function of the same package.
	const leakShape = (dump: Dump) =>
		[
			...countBy(
				dump.goroutines.filter(g => g.state.startsWith('chan ')),
				site,
			),
		]
			.filter(([, count]) => count >= 2)
			.map(([key]) => dump.goroutines.find(g => site(g) === key)!)
			.filter(g => !g.frames[0]!.func.startsWith('net/') && !g.frames[0]!.func.startsWith('runtime'))
			.map(g => ({state: g.state, frames: g.frames.length, samePackage: g.createdBy!.func.split('.')[0] === g.frames[0]!.func.split('.')[0]}));
	const realLeaks = leakShape(real!);
	const demoLeaks = leakShape(parseDump(world.render()));
	assert.ok(realLeaks.length >= 4 && demoLeaks.length >= 4);
	assert.ok([...realLeaks, ...demoLeaks].every(leak => leak.samePackage && leak.frames <= 2));
	assert.deepEqual(new Set(demoLeaks.map(leak => leak.state)), new Set(realLeaks.map(leak => leak.state)));
});
