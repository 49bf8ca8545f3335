// Between full dumps the poller may read only the debug=1 profile: groups take their share of it
// (source/model/profile-counts.ts). The fixtures hold a debug=1 and a debug=2 dump of one Go 1.19
// process taken together, so the two formats' stacks must line up exactly.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import type {ProfileRecord} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {profileShares, stackKey} from '../../source/model/profile-counts.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const full = parseDump(readFileSync(new URL('go1.19-big-1642-goroutines.debug2.txt', dumps))).goroutines;
const profile = parseDump(readFileSync(new URL('go1.19-big-1642-goroutines.debug1.txt', dumps))).records;

const POOL_RECEIVE = 'main.poolWorkers.func1:170';
const isPoolReceive = (record: ProfileRecord): boolean => stackKey(record.frames) === `${POOL_RECEIVE}\n`;

test('a debug=1 profile of the same moment gives every group of the debug=2 dump its own count back', () => {
	const t = new Tracker();
	const before = t.update({goroutines: full, at: 0});
	const after = t.updateProfile(profile, 1000);
	assert.equal(after.total, 1642);
	// Two goroutines were not parked, so they differ between the two requests: the one writing
	// the dump (another code path for debug=1) and a transient background read. Every parked one matches.
	const parked = (groups: typeof before.groups) => new Map(groups.filter(g => g.state !== 'running' && g.state !== 'runnable').map(g => [g.key, g.count]));
	assert.equal(
		[...parked(before.groups).values()].reduce((a, b) => a + b),
		1640,
	);
	assert.deepEqual(parked(after.groups), parked(before.groups), 'each group matched its own record, none split or lost');
	const {running, runnable, ...parkedStates} = before.states;
	assert.deepEqual([running, runnable], [1, 1]);
	assert.deepEqual(after.states, parkedStates);
	for (const group of after.groups) assert.equal(group.history.length, 2, 'one more point on every sparkline');
});

test('a group that grew in the profile shows its new count, delta and trend; members stay those of the full dump', () => {
	const grown = profile.map(record => (isPoolReceive(record) ? {...record, count: 450} : record));
	assert.equal(grown.filter(isPoolReceive).length, 1);
	const t = new Tracker();
	const before = t.update({goroutines: full, at: 0});
	const after = t.updateProfile(grown, 60_000);
	const group = after.groups.find(g => g.where?.func === 'main.poolWorkers.func1')!;
	assert.equal(group.count, 450);
	assert.equal(group.delta, 50);
	assert.deepEqual(group.history, [400, 450]);
	assert.equal(group.ids.length, 400, 'ids come only from a full dump');
	assert.equal(after.total, 1692);
	assert.equal(after.states['chan receive'], before.states['chan receive']! + 50);
	// The next full dump takes over again.
	const again = t.update({goroutines: full, at: 120_000});
	assert.equal(again.groups.find(g => g.key === group.key)!.count, 400);
	assert.deepEqual(again.groups.find(g => g.key === group.key)!.history, [400, 450, 400]);
});

test('a stack gone from the profile leaves the groups; places sharing a stack split its count by their last mix', () => {
	const t = new Tracker();
	t.update({goroutines: full, at: 0});
	const after = t.updateProfile(
		profile.filter(record => !isPoolReceive(record)),
		1000,
	);
	assert.ok(!after.groups.some(g => g.where?.func === 'main.poolWorkers.func1'));
	assert.equal(after.total, 1242);
	// Two places on one stack (say a state that differs): 3 and 1 before, a record of 8 now.
	const shares = profileShares(
		['a:1\n', 'a:1\n', 'b:2\n'],
		[3, 1, 5],
		[
			{count: 8, pcs: [], frames: [{func: 'a', args: '', inlined: false, file: '/x.go', line: 1}]},
			{count: 4, pcs: [], frames: [{func: 'c', args: '', inlined: false, file: '/x.go', line: 9}]},
		],
	);
	assert.deepEqual(shares, {counts: [6, 2, 0], unmatched: 4});
});

test('stack keys: runtime frames dropped, lines kept, long stacks capped like debug=1 caps them', () => {
	const frame = (func: string, line: number) => ({func, args: '', inlined: false, file: '/x.go', line});
	assert.equal(
		stackKey([frame('runtime.gopark', 1), frame('runtime.chansend1', 2), frame('main.send', 7), frame('main.main', 3)]),
		'main.send:7\nmain.main:3\n',
	);
	assert.notEqual(stackKey([frame('main.send', 7)]), stackKey([frame('main.send', 8)]));
	const deep = Array.from({length: 40}, (_, i) => frame('main.deep', 96 + (i === 0 ? -3 : 0)));
	assert.equal(stackKey(deep), stackKey(deep.slice(0, 30)));
	assert.notEqual(stackKey(deep.slice(0, 10)), stackKey(deep.slice(0, 11)));
});
