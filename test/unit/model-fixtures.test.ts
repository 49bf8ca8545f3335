// The model on poll sequences built from the real dumps in test/fixtures/dumps (README there
// lists their facts), parsed by the real parser.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {test} from 'node:test';
import {createDumpParser, parseDump} from '../../source/dump/parse.ts';
import type {Frame, Goroutine} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {GROUP_BYS, type ModelSnapshot} from '../../source/model/types.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const text = (name: string): string => readFileSync(new URL(name, dumps), 'utf8');
const load = (name: string): Goroutine[] => parseDump(text(name)).goroutines;

const ZOO = 'go1.19-statezoo-all-states.debug2.txt';
const WAITED = 'go1.19-wait-2-minutes-locked.debug2.txt';
const BIG = 'go1.19-big-1642-goroutines.debug2.txt';

const neverWaking = [
	'likely leak: 1 goroutine in chan receive (nil chan) at main.go:250 — a nil channel can never wake',
	'likely leak: 1 goroutine in chan send (nil chan) at main.go:251 — a nil channel can never wake',
	'likely leak: 1 goroutine in select (no cases) at main.go:249 — select {} outside main can never wake',
	'likely leak: 1 goroutine in select (no cases) at main.go:290 — select {} outside main can never wake',
];
// Senders parked in user code: leak-shaped, but one dump without minutes cannot say more.
const parkedSenders = [
	'possible leak: 1 goroutine in chan send at main.go:241 — a send parked in your own code',
	'possible leak: 2 goroutines in chan send at main.go:82 — a send parked in your own code',
];
const likelyReasons = (s: ModelSnapshot) => s.suspects.filter(x => x.tier === 'likely').map(x => x.reason);

test('one real dump: groups, idle server goroutines, and the never-waking waits as suspects', () => {
	const t = new Tracker();
	const s = t.update({goroutines: load(ZOO), at: 0});
	assert.equal(s.total, 42);
	assert.equal(
		s.groups.reduce((n, g) => n + g.count, 0),
		42,
	);
	assert.deepEqual(s.states['semacquire'], 4);
	assert.deepEqual([...likelyReasons(s)].sort(), neverWaking);
	assert.deepEqual(
		s.suspects
			.filter(x => x.tier === 'possible')
			.map(x => x.reason)
			.sort(),
		parkedSenders,
	);
	const byId = new Map(s.goroutines.map(x => [x.g.id, x]));
	// The accept loop (goroutine 1, under net/http.(*Server).Serve) and the dump writer are idle.
	assert.equal(byId.get(1)!.idle, true);
	assert.equal(byId.get(49)!.idle, true);
	// A user goroutine reading a socket is not (IO wait in user code, goroutine 47's twin here).
	const reader = s.goroutines.find(x => x.where?.func === 'main.ioWaitReader')!;
	assert.equal(reader.idle, false);
	// The mutex waiter is parked in user code under sync frames.
	assert.equal(byId.get(25)!.where?.func, 'main.(*Server).handleLocked');
	assert.equal(byId.get(25)!.stateClass, 'sync');
	assert.ok(
		s.goroutines.every(x => !x.stuck),
		'nothing is stuck after one poll without Go minutes',
	);
});

test('replaying one process: unchanged goroutines become stuck on the third poll; nothing new or gone', () => {
	const t = new Tracker({stuckAfterPolls: 3});
	t.update({goroutines: load(ZOO), at: 0});
	let s = t.update({goroutines: load(ZOO), at: 2000});
	assert.ok(!s.goroutines.some(x => x.stuck));
	s = t.update({goroutines: load(ZOO), at: 4000});
	assert.equal(s.restarted, false);
	assert.deepEqual(s.newIds, []);
	assert.deepEqual(s.goneIds, []);
	const stuck = s.goroutines.filter(x => x.stuck).map(x => x.g.id);
	// Stuck means something only where leaks live: the goroutines blocked on a channel, select or
	// sync primitive in user code (not the accept loop, IO waits, sleeps, syscalls, runtime workers).
	assert.equal(stuck.length, 33);
	assert.ok(
		s.goroutines.filter(x => x.stuck).every(x => x.stateClass === 'channel' || x.stateClass === 'sync'),
		'only channel and sync waits are stuck',
	);
	assert.ok(!stuck.includes(49) && !stuck.includes(14) && !stuck.includes(50));
	const deep = s.goroutines.find(x => x.g.id === 37)!;
	assert.equal(deep.waitMs, 4000);
	assert.equal(deep.samePolls, 3);
	// Stuck but not growing: still only the never-waking ones are likely.
	assert.deepEqual([...likelyReasons(s)].sort(), neverWaking);
	assert.deepEqual(s.totalHistory, [42, 42, 42]);
	assert.deepEqual(s.stateHistory['chan receive'], [20, 20, 20]);
});

test("Go's own minutes make a goroutine stuck at once and set its wait", () => {
	// main.Map[...] runs from two go statements: one place in user code, two creators.
	const t = new Tracker({groupBy: 'where'});
	const s = t.update({goroutines: load(WAITED), at: 0});
	const byId = new Map(s.goroutines.map(x => [x.g.id, x]));
	assert.equal(byId.get(19)!.waitMs, 120_000);
	assert.equal(byId.get(19)!.stuck, true);
	assert.equal(byId.get(43)!.g.waitMinutes, 2, 'syscall waits are stamped too');
	assert.equal(byId.get(43)!.waitMs, 120_000);
	assert.equal(byId.get(43)!.stuck, false, 'but a syscall in user code is not where leaks live: not stuck');
	assert.equal(s.goroutines.filter(x => x.stuck).length, 33);
	const map = s.groups.find(x => x.where?.func === 'main.Map[...]')!;
	assert.equal(map.count, 2);
	assert.equal(map.maxWaitMs, 120_000);
});

test('the LeakProf count rule on a real dump: many stuck goroutines at one place in user code', () => {
	const t = new Tracker({leakThreshold: 2, groupBy: 'where'});
	const s = t.update({goroutines: load(WAITED), at: 0});
	const map = s.suspects.find(x => x.where?.func === 'main.Map[...]');
	assert.ok(map);
	assert.equal(map.tier, 'likely');
	assert.equal(
		map.reason,
		"likely leak: 2 goroutines in chan send at main.go:82 — 2 senders at one site (LeakProf's rule); parked 2m without waking (Go's count)",
	);
	assert.ok(!s.suspects.some(x => x.where?.func === 'main.main'), 'the accept loop in main is never a suspect');
});

test('grouping the 1642-goroutine dump: identical stacks collapse, keys switch, totals hold', () => {
	const t = new Tracker();
	let s = t.update({goroutines: load(BIG), at: 0});
	assert.equal(s.total, 1642);
	assert.ok(s.groups.length < 100, `${s.groups.length} groups`);
	assert.equal(
		s.groups.reduce((n, g) => n + g.count, 0),
		1642,
	);
	assert.equal(s.groups[0]!.count, Math.max(...s.groups.map(g => g.count)));
	for (const by of ['where', 'top', 'creator'] as const) {
		s = t.setGroupBy(by);
		assert.equal(
			s.groups.reduce((n, g) => n + g.count, 0),
			1642,
			by,
		);
		assert.ok(s.groups.every(g => g.by === by));
		const keys = new Set(s.goroutines.map(x => x.groupKey));
		assert.deepEqual(new Set(s.groups.map(g => g.key)), keys, by);
	}
});

test('dumps of two different processes in a row are a restart: a new epoch, nothing new or gone', () => {
	const t = new Tracker();
	t.update({goroutines: load(BIG), at: 0});
	let s = t.update({goroutines: load(BIG), at: 2000});
	assert.equal(s.epoch, 1);
	s = t.update({goroutines: load(ZOO), at: 4000});
	assert.equal(s.restarted, true);
	assert.equal(s.epoch, 2);
	assert.deepEqual(s.newIds, []);
	assert.deepEqual(s.goneIds, []);
	assert.ok(s.goroutines.every(x => x.firstSeen === 4000 && x.samePolls === 1));
	s = t.update({goroutines: load(ZOO), at: 6000});
	assert.equal(s.restarted, false);
	assert.equal(s.epoch, 2);
	assert.deepEqual(s.totalHistory, [1642, 1642, 42, 42]);
});

test('(leaked) goroutines from a Go 1.26 leak-marked dump are proven and outrank everything', () => {
	const marked = text(WAITED).replace('goroutine 33 [chan send, 2 minutes]:', 'goroutine 33 [chan send (leaked), 2 minutes]:');
	const t = new Tracker({leakThreshold: 2, groupBy: 'where'});
	const s = t.update({goroutines: parseDump(marked).goroutines, at: 0});
	const [first, ...rest] = s.suspects;
	assert.ok(first);
	assert.equal(first.proven, true);
	assert.equal(
		first.reason,
		"proven leak: 2 goroutines in chan send at main.go:82 — Go's leak profile proved 1 of 2 unreachable; 2 senders at one site (LeakProf's rule)",
	);
	assert.ok(rest.length >= 4 && rest.every(x => !x.proven));
	assert.ok(first.score > Math.max(...rest.map(x => x.score)));
});

test('goroutineleak profile records prove the matching stack of the debug=2 poll', () => {
	const profile = parseDump(
		'goroutineleak profile: total 1\n1 @ 0x43b296 0x40708c 0x406c3d 0x67914a 0x46b2e1\n#\t0x679149\tmain.main.func3+0x69\t/home/dev/statezoo/main.go:241\n\n',
	);
	assert.equal(profile.profileName, 'goroutineleak');
	const t = new Tracker();
	const s = t.update({goroutines: load(ZOO), at: 0, leakRecords: profile.records});
	assert.equal(s.suspects[0]!.proven, true);
	assert.equal(s.suspects[0]!.where?.func, 'main.main.func3');
	assert.equal(s.suspects[0]!.reason, "proven leak: 1 goroutine in chan send at main.go:241 — Go's leak profile proved it unreachable");
	assert.equal(s.suspects.filter(x => x.proven).length, 1);
});

test('the snapshot keeps compact goroutines: interned arg-less frames shared by a stack', () => {
	const t = new Tracker();
	const s = t.update({goroutines: load(BIG), at: 0});
	const group = s.groups[0]!;
	const members = s.goroutines.filter(x => x.groupKey === group.key);
	assert.ok(members.length > 1);
	assert.ok(members.every(x => x.g.frames === members[0]!.g.frames));
	assert.ok(members[0]!.g.frames.every(f => f.args === ''));
	const full = new Tracker({keepArgs: true}).update({goroutines: load(BIG), at: 0});
	assert.ok(full.goroutines.some(x => x.g.frames.some(f => f.args !== '')));
});

test('feeding a poll chunk by chunk as the parser completes goroutines equals one update', () => {
	const whole = new Tracker();
	const streamed = new Tracker();
	const summary = (snap: ReturnType<Tracker['update']>) => ({
		epoch: snap.epoch,
		restarted: snap.restarted,
		total: snap.total,
		states: snap.states,
		groups: snap.groups.map(g => [g.key, g.count, g.stuck, g.history]),
		suspects: snap.suspects.map(x => x.reason),
		goroutines: snap.goroutines.map(x => [x.g.id, x.samePolls, x.stuck, x.groupKey]),
	});
	let a: ModelSnapshot | undefined;
	let b: ModelSnapshot | undefined;
	for (const [at, name] of [
		[0, BIG],
		[2000, BIG],
		[4000, ZOO],
	] as const) {
		a = whole.update({goroutines: load(name), at});
		const feed = streamed.beginPoll(at);
		const parser = createDumpParser();
		const data = readFileSync(new URL(name, dumps));
		let fed = 0;
		for (let i = 0; i < data.length; i += 4096) {
			const done = parser.write(data.subarray(i, i + 4096));
			fed += done.length;
			feed.add(done);
		}
		// end() returns the whole dump: only the goroutines completed by the flush are new.
		feed.add(parser.end().goroutines.slice(fed));
		b = feed.end();
		assert.deepEqual(summary(b), summary(a), name);
	}
	assert.equal(b?.restarted, true);
});

test('a one-shot tracker (a report on one file) judges every fixture as the remembering tracker does, under every grouping', () => {
	// Frames as every output reads them (function, file, line): a one-shot place shares the parser's
	// arg-less frames, which also carry Go's +0x offsets.
	const text = (f: Frame | undefined) => f && `${f.func} ${f.file}:${f.line}`;
	const strip = (s: ModelSnapshot) => ({
		...s,
		goroutines: s.goroutines.map(({g, ...row}) => ({
			...row,
			id: g.id,
			state: g.state,
			where: text(row.where),
			frames: g.frames.map(text),
		})),
		groups: s.groups.map(({sample, ...group}) => ({...group, sample: sample.id, where: text(group.where)})),
		suspects: s.suspects.map(suspect => ({...suspect, where: text(suspect.where)})),
	});
	const names = readdirSync(dumps).filter(name => name.endsWith('.txt') && !name.includes('debug1'));
	assert.ok(names.length > 10);
	for (const name of names) {
		const goroutines = load(name);
		if (goroutines.length === 0) continue;
		// One-shot records the trend of its own grouping only (and the first poll as bare counts): a
		// grouping it did not record, chosen before or after the poll, must read the same one point.
		for (const groupBy of GROUP_BYS) {
			const remembering = new Tracker({groupBy}).update({goroutines, at: 5000});
			const oneShot = new Tracker({oneShot: true, keepArgs: true, groupBy}).update({goroutines, at: 5000});
			assert.deepEqual(strip(oneShot), strip(remembering), `${name} --group-by ${groupBy}`);
		}
		const remembering = new Tracker();
		remembering.update({goroutines, at: 5000});
		const oneShot = new Tracker({oneShot: true, keepArgs: true});
		oneShot.update({goroutines, at: 5000});
		assert.deepEqual(strip(oneShot.setGroupBy('where')), strip(remembering.setGroupBy('where')), `${name} regrouped`);
	}
});
