// The tracker on hand-built poll sequences: each case isolates one rule (identity, stuck,
// new/gone, restarts, groups, trends, suspects, bounds) with exactly the goroutines it needs.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Goroutine, ProfileRecord} from '../../source/dump/types.ts';
import {Tracker, PERIODIC_AFTER_MS} from '../../source/model/tracker.ts';
import {isRestart} from '../../source/model/restart.ts';
import type {ModelSnapshot} from '../../source/model/types.ts';

interface Spec {
	state?: string;
	frames?: Array<[string, number]>;
	minutes?: number;
	creator?: [string, number];
	leaked?: boolean;
	args?: string;
}

let file = '/src/app/handlers.go';
function g(id: number, spec: Spec = {}): Goroutine {
	const frames = (spec.frames ?? [['main.worker', 10]]).map(([func, line]) => ({func, args: spec.args ?? '0xc000012345?', inlined: false, file, line}));
	return {
		id,
		state: spec.state ?? 'chan receive',
		rawState: spec.state ?? 'chan receive',
		waitMinutes: spec.minutes ?? 0,
		locked: false,
		scan: false,
		leaked: spec.leaked ?? false,
		durable: false,
		frames,
		createdBy:
			spec.creator === undefined
				? {func: 'main.main', file: '/src/app/main.go', line: 20}
				: {func: spec.creator[0], file: '/src/app/main.go', line: spec.creator[1]},
	};
}

const SEND: Spec = {state: 'chan send', frames: [['main.searchWorker', 88]], creator: ['main.handler', 40]};
const ACCEPT: Spec = {
	state: 'IO wait',
	frames: [
		['internal/poll.runtime_pollWait', 305],
		['internal/poll.(*FD).Accept', 614],
		['net.(*TCPListener).Accept', 327],
		['net/http.(*Server).Serve', 3070],
		['main.main', 50],
	],
};

test('a goroutine unchanged for stuckAfterPolls polls is stuck, with gmon-observed wait', () => {
	const t = new Tracker({stuckAfterPolls: 3});
	let s = t.update({goroutines: [g(7, SEND)], at: 0});
	assert.equal(s.goroutines[0]!.stuck, false);
	assert.equal(s.goroutines[0]!.samePolls, 1);
	s = t.update({goroutines: [g(7, {...SEND, args: '0xdead?'})], at: 2000});
	assert.equal(s.goroutines[0]!.samePolls, 2, 'args are ignored');
	assert.equal(s.goroutines[0]!.stuck, false);
	s = t.update({goroutines: [g(7, SEND)], at: 4000});
	const tg = s.goroutines[0]!;
	assert.equal(tg.stuck, true);
	assert.equal(tg.samePolls, 3);
	assert.equal(tg.waitMs, 4000);
	assert.equal(tg.sameSince, 0);
	assert.equal(tg.firstSeen, 0);
});

test('moving to another line resets the same-place count; Go minutes ignored for identity', () => {
	const t = new Tracker({stuckAfterPolls: 2});
	t.update({goroutines: [g(7, SEND)], at: 0});
	let s = t.update({goroutines: [g(7, {...SEND, minutes: 1})], at: 1000});
	assert.equal(s.goroutines[0]!.samePolls, 2);
	s = t.update({goroutines: [g(7, {...SEND, frames: [['main.searchWorker', 90]]})], at: 2000});
	assert.equal(s.goroutines[0]!.samePolls, 1);
	assert.equal(s.goroutines[0]!.stuck, false);
	assert.equal(s.goroutines[0]!.sameSince, 2000);
	assert.equal(s.goroutines[0]!.firstSeen, 0);
});

test('waitMs is the larger of gmon observation and Go minutes; Go minutes alone make it stuck', () => {
	const t = new Tracker({stuckAfterPolls: 3});
	const s = t.update({goroutines: [g(7, {...SEND, minutes: 5})], at: 1000});
	assert.equal(s.goroutines[0]!.waitMs, 5 * 60_000);
	assert.equal(s.goroutines[0]!.stuck, true);
});

test('the duration form of stuck-after uses the wait time', () => {
	const t = new Tracker({stuckAfterMs: 30_000});
	t.update({goroutines: [g(7, SEND)], at: 0});
	let s = t.update({goroutines: [g(7, SEND)], at: 20_000});
	assert.equal(s.goroutines[0]!.stuck, false);
	s = t.update({goroutines: [g(7, SEND)], at: 31_000});
	assert.equal(s.goroutines[0]!.stuck, true);
});

test('running goroutines are never stuck and have no wait', () => {
	const t = new Tracker({stuckAfterPolls: 2});
	const running: Spec = {state: 'running', frames: [['runtime/pprof.writeGoroutineStacks', 692]], creator: ['net/http.(*Server).Serve', 3102]};
	t.update({goroutines: [g(9, running)], at: 0});
	const s = t.update({goroutines: [g(9, running)], at: 5000});
	assert.equal(s.goroutines[0]!.stuck, false);
	assert.equal(s.goroutines[0]!.waitMs, 0);
});

test('new and gone ids between polls; the first poll marks nothing new', () => {
	const t = new Tracker();
	let s = t.update({goroutines: [g(1, ACCEPT), g(7, SEND), g(8, SEND)], at: 0});
	assert.deepEqual(s.newIds, []);
	assert.ok(s.goroutines.every(x => !x.isNew));
	s = t.update({goroutines: [g(1, ACCEPT), g(8, SEND), g(9, SEND)], at: 1000});
	assert.deepEqual(s.newIds, [9]);
	assert.deepEqual(s.goneIds, [7]);
	assert.deepEqual(
		s.goroutines.map(x => x.isNew),
		[false, false, true],
	);
	s = t.update({goroutines: [g(1, ACCEPT), g(8, SEND), g(9, SEND)], at: 2000});
	assert.deepEqual(s.newIds, []);
	assert.deepEqual(s.goneIds, [], 'gone is reported once');
});

test('an id printed twice in one dump counts once', () => {
	const t = new Tracker();
	const s = t.update({goroutines: [g(7, SEND), g(7, SEND), g(8, SEND)], at: 0});
	assert.equal(s.total, 2);
	assert.deepEqual(
		s.goroutines.map(x => x.g.id),
		[7, 8],
	);
	assert.equal(s.groups[0]!.count, 2);
});

test('a truncated dump does not report the missing goroutines gone', () => {
	const t = new Tracker();
	t.update({goroutines: [g(1, ACCEPT), g(7, SEND), g(8, SEND)], at: 0});
	let s = t.update({goroutines: [g(1, ACCEPT), g(7, SEND)], at: 1000, truncated: true});
	assert.deepEqual(s.goneIds, []);
	s = t.update({goroutines: [g(1, ACCEPT), g(7, SEND), g(8, SEND)], at: 2000});
	assert.deepEqual(s.newIds, [], 'back after the cut: not new');
	assert.equal(s.goroutines[2]!.firstSeen, 0);
});

test('gone goroutines are forgotten once reported; ones missing from a truncated dump after the window', () => {
	const t = new Tracker({forgetAfterMs: 10_000});
	t.update({goroutines: [g(1, ACCEPT), g(7, SEND), g(8, SEND)], at: 0});
	let s = t.update({goroutines: [g(1, ACCEPT), g(8, SEND)], at: 1000});
	assert.deepEqual(s.goneIds, [7]);
	assert.equal(t.rememberedGoroutines, 2, 'ids are never reused: nothing to remember 7 for');
	s = t.update({goroutines: [g(1, ACCEPT)], at: 2000, truncated: true});
	assert.deepEqual(s.goneIds, []);
	assert.equal(t.rememberedGoroutines, 2, '8 may be past the cut');
	s = t.update({goroutines: [g(1, ACCEPT)], at: 20_000, truncated: true});
	assert.equal(t.rememberedGoroutines, 1, 'forgotten after the window');
	assert.deepEqual(s.goneIds, []);
});

test('restart rule: a changed creator on a surviving id is proof', () => {
	assert.equal(isRestart({prevCount: 10, prevMax: 50, count: 10, max: 50, common: 10, contradictions: 1, fresh: 0, freshLow: 0}), true);
});

test('restart rule: ids collapsing with a crowd of fresh low ids is a restart; the end of a burst is not', () => {
	// New process: max 40 after 5000, most old ids gone, fresh ids small.
	assert.equal(isRestart({prevCount: 300, prevMax: 5000, count: 30, max: 40, common: 5, contradictions: 0, fresh: 25, freshLow: 25}), true);
	// Same process after a burst: the burst's goroutines are gone, a few new ones come from the counter (high ids).
	assert.equal(isRestart({prevCount: 3000, prevMax: 5000, count: 40, max: 5010, common: 30, contradictions: 0, fresh: 10, freshLow: 0}), false);
	// Burst over; one fresh id from a stale P cache below the old max, the others from the counter: not enough.
	assert.equal(isRestart({prevCount: 3000, prevMax: 5000, count: 33, max: 5020, common: 30, contradictions: 0, fresh: 3, freshLow: 1}), false);
	assert.equal(isRestart({prevCount: 3000, prevMax: 5000, count: 33, max: 60, common: 30, contradictions: 0, fresh: 3, freshLow: 1}), false);
	// A deterministic program restarted: same long-lived ids, the leaks gone, the poll's own goroutine low again.
	assert.equal(isRestart({prevCount: 133, prevMax: 208, count: 9, max: 25, common: 8, contradictions: 0, fresh: 1, freshLow: 1}), true);
	// After the poller lost the target, one fresh low id is enough; without any signal, still no.
	assert.equal(isRestart({prevCount: 10, prevMax: 30, count: 10, max: 30, common: 9, contradictions: 0, fresh: 1, freshLow: 1, reconnected: true}), true);
	assert.equal(isRestart({prevCount: 10, prevMax: 30, count: 10, max: 31, common: 9, contradictions: 0, fresh: 1, freshLow: 0, reconnected: true}), false);
	// Normal churn: half the ids replaced, all fresh above the old max.
	assert.equal(isRestart({prevCount: 100, prevMax: 500, count: 100, max: 560, common: 50, contradictions: 0, fresh: 50, freshLow: 0}), false);
	assert.equal(isRestart({prevCount: 0, prevMax: 0, count: 10, max: 10, common: 0, contradictions: 0, fresh: 10, freshLow: 0}), false);
});

test('a restart begins a new epoch instead of marking the world new and gone', () => {
	const t = new Tracker();
	const before = [g(1, {...ACCEPT, creator: undefined as never}), ...Array.from({length: 50}, (_, i) => g(1000 + i, SEND))];
	before[0] = {...before[0]!, createdBy: undefined};
	t.update({goroutines: before, at: 0});
	let s = t.update({goroutines: before, at: 1000});
	assert.equal(s.epoch, 1);
	const main = {...g(1, ACCEPT), createdBy: undefined};
	const after = [main, g(6, SEND), g(7, SEND), g(8, {state: 'select', frames: [['main.loop', 5]]})];
	s = t.update({goroutines: after, at: 2000});
	assert.equal(s.restarted, true);
	assert.equal(s.epoch, 2);
	assert.deepEqual(s.newIds, []);
	assert.deepEqual(s.goneIds, []);
	assert.ok(s.goroutines.every(x => !x.isNew && x.firstSeen === 2000));
	s = t.update({goroutines: after, at: 3000});
	assert.equal(s.restarted, false);
	assert.equal(s.epoch, 2);
	assert.equal(s.totalHistory.length, 4, 'the total trend runs across epochs');
});

test('groups by stack ignore args and minutes; other keys regroup on demand', () => {
	const t = new Tracker();
	const gs = [
		g(1, SEND),
		g(2, {...SEND, args: '0x1', minutes: 3}),
		g(3, {...SEND, frames: [['main.searchWorker', 88]], creator: ['main.other', 77]}),
		g(4, {state: 'chan receive', frames: [['main.searchWorker', 95]], creator: ['main.handler', 40]}),
	];
	let s = t.update({goroutines: gs, at: 0});
	assert.equal(s.groups.length, 3);
	assert.equal(s.groups[0]!.count, 2);
	assert.deepEqual(s.groups[0]!.ids, [1, 2]);
	assert.equal(s.groups[0]!.maxWaitMs, 3 * 60_000);
	assert.equal(s.groups[0]!.minWaitMs, 0);
	assert.equal(s.groups[0]!.sample.id, 2, 'the sample is the longest waiter');
	s = t.setGroupBy('top');
	assert.equal(s.groups.length, 1);
	assert.equal(s.groups[0]!.count, 4);
	assert.deepEqual(s.groups[0]!.states, {'chan send': 3, 'chan receive': 1});
	assert.equal(s.groups[0]!.state, 'chan send');
	assert.ok(s.goroutines.every(x => x.groupKey === 'main.searchWorker'));
	s = t.setGroupBy('creator');
	assert.deepEqual(
		s.groups.map(x => [x.key, x.count]),
		[
			['main.handler', 3],
			['main.other', 1],
		],
	);
	s = t.setGroupBy('where');
	assert.equal(s.groups.length, 2);
	assert.equal(s.groups[0]!.where?.func, 'main.searchWorker');
});

test('group trend: history per poll, growth since first seen, delta, growth per minute', () => {
	const t = new Tracker({growthWindowMs: 60_000});
	const sends = (n: number) => Array.from({length: n}, (_, i) => g(100 + i, SEND));
	t.update({goroutines: [g(1, ACCEPT), ...sends(2)], at: 0});
	t.update({goroutines: [g(1, ACCEPT), ...sends(5)], at: 30_000});
	const s = t.update({goroutines: [g(1, ACCEPT), ...sends(8)], at: 60_000});
	const group = s.groups.find(x => x.state === 'chan send')!;
	assert.deepEqual(group.history, [2, 5, 8]);
	assert.equal(group.growth, 6);
	assert.equal(group.delta, 3);
	assert.equal(group.growthPerMin, 6);
	assert.deepEqual(s.totalHistory, [3, 6, 9]);
	assert.deepEqual(s.stateHistory['chan send'], [2, 5, 8]);
	assert.deepEqual(s.stateHistory['IO wait'], [1, 1, 1]);
});

test('a vanished group keeps its history with zeros, and a new state is padded to the trend length', () => {
	const t = new Tracker();
	t.update({goroutines: [g(1, ACCEPT), g(2, SEND)], at: 0});
	t.update({goroutines: [g(1, ACCEPT)], at: 1000});
	const s = t.update({
		goroutines: [
			g(1, ACCEPT),
			g(2, SEND),
			g(3, {
				state: 'sleep',
				frames: [
					['time.Sleep', 195],
					['main.tick', 3],
				],
			}),
		],
		at: 2000,
	});
	const send = s.groups.find(x => x.state === 'chan send')!;
	assert.deepEqual(send.history, [1, 0, 1]);
	assert.deepEqual(s.stateHistory['sleep'], [0, 0, 1]);
});

test('histories stay bounded however many polls (500 polls, ring of 120)', () => {
	const t = new Tracker({historyLength: 120, forgetAfterMs: 60_000});
	let s: ModelSnapshot | undefined;
	for (let poll = 0; poll < 500; poll++) {
		// One short-lived goroutine per poll at its own line: places and ids churn forever.
		s = t.update({goroutines: [g(1, ACCEPT), g(2, SEND), g(10 + poll, {state: 'chan receive', frames: [['main.job', 1000 + poll]]})], at: poll * 1000});
	}
	assert.ok(s);
	assert.equal(s.totalHistory.length, 120);
	for (const series of Object.values(s.stateHistory)) assert.equal(series.length, 120);
	for (const group of s.groups) assert.ok(group.history.length <= 120);
	assert.ok(t.rememberedGoroutines <= 2 + 62, `remembered ${t.rememberedGoroutines}`);
	assert.ok(t.rememberedPlaces <= 2 + 62, `places ${t.rememberedPlaces}`);
});

test('a growing group of stuck senders in user code tops the suspects with a one-line reason', () => {
	const t = new Tracker({stuckAfterPolls: 3, growthWindowMs: 5 * 60_000});
	const workers = [g(20, {state: 'chan receive', frames: [['main.worker', 31]]}), g(21, {state: 'chan receive', frames: [['main.worker', 31]]})];
	let s: ModelSnapshot | undefined;
	const leaked: Goroutine[] = [];
	for (let poll = 0; poll < 8; poll++) {
		if (poll > 0) leaked.push(g(100 + poll, SEND));
		s = t.update({goroutines: [g(1, ACCEPT), ...workers, ...leaked], at: poll * 30_000});
	}
	assert.ok(s);
	assert.equal(s.suspects.length, 1, JSON.stringify(s.suspects.map(x => x.reason)));
	const top = s.suspects[0]!;
	assert.equal(top.proven, false);
	assert.equal(top.where?.func, 'main.searchWorker');
	assert.equal(top.count, 7);
	// 7 goroutines, 5 stuck (unchanged ≥ 3 polls), the oldest for 3m; +2/min over the last 5 min window.
	assert.equal(
		top.reason,
		'likely leak: 7 goroutines in chan send at handlers.go:88 — 5 born while watched stayed parked; the functions that started them have returned, so nobody will receive; +7 in a trickle over 3m',
	);
	const accept = s.groups.find(x => x.state === 'IO wait')!;
	assert.equal(accept.idle, true);
	const pool = s.groups.find(x => x.where?.func === 'main.worker')!;
	assert.equal(pool.stuck, 2, 'the idle worker pool is stuck...');
	assert.ok(!s.suspects.some(x => x.groupKey === pool.key), '...but not growing, so not a suspect');
});

test('a growing place whose stuck goroutines also leave is busy, not leaking', () => {
	const t = new Tracker({stuckAfterPolls: 2});
	let s: ModelSnapshot | undefined;
	// Each poll two arrive and the oldest leaves after 4 polls: the count grows, members get
	// stuck, but stuck ones keep leaving (a slow consumer draining its queue).
	for (let poll = 0; poll < 10; poll++) {
		const alive = [];
		for (let born = 0; born <= poll; born++) {
			if (poll - born >= 4 && born % 2 === 0) continue;
			alive.push(g(100 + 2 * born, SEND), g(101 + 2 * born, SEND));
		}
		s = t.update({goroutines: [g(1, ACCEPT), ...alive.filter((x, i) => i % 4 !== 0 || poll - Math.floor((x.id - 100) / 2) < 4)], at: poll * 10_000});
	}
	assert.ok(s);
	const send = s.groups.find(x => x.state === 'chan send')!;
	assert.ok(send.growth > 0 && send.growthPerMin > 0 && send.stuck >= 2, JSON.stringify({growth: send.growth, rate: send.growthPerMin, stuck: send.stuck}));
	assert.deepEqual(
		s.suspects.map(x => x.tier),
		['possible'],
		'at most worth a look',
	);
	assert.match(s.suspects[0]!.reason, /but stuck members left recently \(draining, not piling up\)/);
});

test('LeakProf count rule: many stuck goroutines at one place are a suspect without growth', () => {
	const t = new Tracker({leakThreshold: 10});
	const many = Array.from({length: 12}, (_, i) => g(100 + i, {...SEND, minutes: 2}));
	const s = t.update({goroutines: many, at: 0});
	assert.equal(s.suspects.length, 1);
	assert.equal(
		s.suspects[0]!.reason,
		"likely leak: 12 goroutines in chan send at handlers.go:88 — the functions that started them have returned, so nobody will receive; 12 senders at one site (LeakProf's rule)",
	);
});

test('nil-channel waits never wake: a suspect at once, but select{} in main.main is deliberate', () => {
	const t = new Tracker();
	const s = t.update({
		goroutines: [
			g(5, {state: 'chan receive (nil chan)', frames: [['main.main.func7', 250]]}),
			g(1, {state: 'select (no cases)', frames: [['main.main', 300]], creator: undefined}),
		],
		at: 0,
	});
	assert.deepEqual(
		s.suspects.map(x => x.reason),
		['likely leak: 1 goroutine in chan receive (nil chan) at handlers.go:250 — a nil channel can never wake'],
	);
});

test('benign goroutines are idle and never suspects, even when many are stuck', () => {
	const t = new Tracker({leakThreshold: 2});
	const keepAlive: Spec = {
		state: 'IO wait',
		frames: [
			['internal/poll.runtime_pollWait', 305],
			['net.(*conn).Read', 183],
			['net/http.(*connReader).backgroundRead', 678],
		],
		creator: ['net/http.(*connReader).startBackgroundRead', 674],
	};
	const readLoop: Spec = {state: 'select', frames: [['net/http.(*persistConn).readLoop', 2213]], creator: ['net/http.(*Transport).dialConn', 1750]};
	const signal: Spec = {
		state: 'syscall',
		frames: [
			['os/signal.signal_recv', 152],
			['os/signal.loop', 23],
		],
		creator: ['os/signal.Notify.func1.1', 151],
	};
	const testing: Spec = {
		state: 'chan receive',
		frames: [
			['testing.(*T).Run', 1494],
			['testing.runTests.func1', 1846],
		],
	};
	const gs = [g(1, ACCEPT), g(2, keepAlive), g(3, keepAlive), g(4, readLoop), g(5, readLoop), g(6, signal), g(7, testing), g(8, testing)];
	let s: ModelSnapshot | undefined;
	for (let poll = 0; poll < 5; poll++) s = t.update({goroutines: gs, at: poll * 60_000});
	assert.ok(s);
	assert.deepEqual(s.suspects, []);
	assert.ok(
		s.groups.every(x => x.idle),
		JSON.stringify(s.groups.filter(x => !x.idle).map(x => x.key)),
	);
	assert.ok(s.goroutines.every(x => x.idle));
});

test('a handler parked in user code under net/http.(*conn).serve is not benign', () => {
	const t = new Tracker({leakThreshold: 2});
	const handler: Spec = {
		state: 'sync.Mutex.Lock',
		frames: [
			['sync.runtime_SemacquireMutex', 77],
			['sync.(*Mutex).Lock', 90],
			['main.(*API).Save', 55],
			['net/http.HandlerFunc.ServeHTTP', 2109],
			['net/http.(*conn).serve', 1991],
		],
		creator: ['net/http.(*Server).Serve', 3102],
	};
	const s = t.update({goroutines: [g(10, {...handler, minutes: 3}), g(11, {...handler, minutes: 3})], at: 0});
	assert.equal(s.groups[0]!.idle, false);
	assert.equal(s.suspects[0]?.reason, "likely leak: 2 goroutines in sync.Mutex.Lock at handlers.go:55 — waiting for the lock 3m (Go's count)");
});

test("gRPC's connection and stream loops are idle like net/http's; a user's own loop parked in a gRPC Recv is not", () => {
	const t = new Tracker({leakThreshold: 2});
	const keepalive: Spec = {
		state: 'select',
		frames: [['google.golang.org/grpc/internal/transport.(*http2Server).keepalive', 1230]],
		creator: ['google.golang.org/grpc/internal/transport.NewServerTransport', 361],
	};
	const watchHandler: Spec = {
		state: 'select',
		frames: [
			['google.golang.org/grpc/health.(*Server).Watch', 119],
			['google.golang.org/grpc/health/grpc_health_v1._Health_Watch_Handler', 260],
			['google.golang.org/grpc.(*Server).processRPC', 1450],
			['google.golang.org/grpc.(*Server).handleStream', 1595],
		],
		creator: ['google.golang.org/grpc.(*Server).serveStreams.func2', 1094],
	};
	const userRecv: Spec = {
		state: 'select',
		frames: [
			['google.golang.org/grpc/internal/transport.(*recvBufferReader).readMessageHeaderClient', 304],
			['google.golang.org/grpc.(*clientStream).RecvMsg', 1143],
			['main.watch', 152],
		],
		creator: ['main.dial', 120],
	};
	const gs = [g(1, keepalive), g(3, keepalive), g(5, watchHandler), g(7, watchHandler), g(20, userRecv), g(40, userRecv)];
	let s: ModelSnapshot | undefined;
	for (let poll = 0; poll < 3; poll++) s = t.update({goroutines: gs, at: poll * 60_000});
	assert.ok(s);
	const idle = (func: string) => s!.groups.find(x => x.where?.func.includes(func) || x.key.includes(func))!.idle;
	assert.equal(idle('keepalive'), true);
	assert.equal(idle('health'), true);
	assert.equal(idle('readMessageHeaderClient'), false, "the user's own loop waits there");
});

test('a wait that Go says restarted at the same place is periodic (a timer or fed select): idle, not stuck', () => {
	const t = new Tracker({stuckAfterPolls: 2});
	const tick: Spec = {state: 'select', frames: [['main.feedJobs', 44]]};
	t.update({goroutines: [g(30, {...tick, minutes: 2}), g(31, {...SEND, minutes: 2})], at: 0});
	const s = t.update({goroutines: [g(30, {...tick, minutes: 0}), g(31, {...SEND, minutes: 2})], at: 10_000});
	const [ticker, sender] = s.goroutines;
	assert.equal(ticker!.stuck, false);
	assert.equal(ticker!.idle, true);
	assert.equal(sender!.stuck, true);
});

test('parked longer than Go could keep its minutes at 0 means it woke in between: periodic', () => {
	const t = new Tracker({stuckAfterPolls: 2});
	const tick: Spec = {state: 'select', frames: [['main.feedJobs', 44]]};
	// Some goroutine shows minutes, so the target's GC stamps waits.
	const stamped = g(31, {...SEND, minutes: 1});
	let s = t.update({goroutines: [g(30, tick), stamped], at: 0});
	s = t.update({goroutines: [g(30, tick), stamped], at: 60_000});
	assert.equal(s.goroutines[0]!.stuck, true, 'looks stuck at first');
	s = t.update({goroutines: [g(30, tick), stamped], at: PERIODIC_AFTER_MS + 1000});
	assert.equal(s.goroutines[0]!.stuck, false);
	assert.equal(s.goroutines[0]!.idle, true);
});

test('(leaked) goroutines are proven and outrank every heuristic suspect', () => {
	const t = new Tracker({leakThreshold: 5});
	const many = Array.from({length: 40}, (_, i) => g(100 + i, {...SEND, minutes: 9}));
	const proven = g(7, {state: 'chan receive', frames: [['main.orphan', 12]], leaked: true});
	const s = t.update({goroutines: [...many, proven], at: 0});
	assert.equal(s.suspects.length, 2);
	assert.equal(s.suspects[0]!.proven, true);
	assert.equal(s.suspects[0]!.reason, "proven leak: 1 goroutine in chan receive at handlers.go:12 — Go's leak profile proved it unreachable");
	assert.equal(s.suspects[1]!.proven, false);
	assert.equal(s.groups.find(x => x.where?.func === 'main.orphan')!.leaked, 1);
});

test('goroutineleak profile records mark matching stacks proven, until the next leak poll', () => {
	const t = new Tracker();
	const record: ProfileRecord = {count: 2, pcs: ['0x1'], frames: [{func: 'main.searchWorker', args: '', inlined: false, file, line: 88}]};
	let s = t.update({goroutines: [g(1, ACCEPT), g(2, SEND), g(3, SEND), g(4, SEND)], at: 0, leakRecords: [record]});
	assert.equal(s.suspects[0]?.proven, true);
	assert.equal(
		s.suspects[0]?.reason,
		"proven leak: 3 goroutines in chan send at handlers.go:88 — Go's leak profile proved 2 of 3 unreachable; the functions that started them have returned, so nobody will receive",
	);
	s = t.update({goroutines: [g(1, ACCEPT), g(2, SEND), g(3, SEND), g(4, SEND)], at: 1000});
	assert.equal(s.suspects[0]?.proven, true, 'records stay in force between leak polls');
	s = t.update({goroutines: [g(1, ACCEPT), g(2, SEND), g(3, SEND), g(4, SEND)], at: 2000, leakRecords: []});
	assert.ok(!s.suspects.some(x => x.proven));
});

test('updateProfile moves the totals between debug=2 polls and keeps every trend aligned', () => {
	const t = new Tracker();
	t.update({goroutines: [g(1, ACCEPT), g(2, SEND)], at: 0});
	const s = t.updateProfile(
		[
			{count: 5, pcs: [], frames: []},
			{count: 2, pcs: [], frames: []},
		],
		1000,
	);
	assert.equal(s.total, 7);
	assert.deepEqual(s.totalHistory, [2, 7]);
	assert.equal(s.stateHistory['chan send']!.length, 2);
	assert.equal(s.goroutines.length, 2);
});

file = '/src/app/handlers.go';
