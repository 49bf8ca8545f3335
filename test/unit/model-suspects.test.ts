// Suspect rules that need no history: a sender parked for minutes has lost its receiver.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Goroutine} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';

function parked(id: number, state: string, func: string, line: number, minutes: number): Goroutine {
	return {
		id,
		state,
		rawState: minutes > 0 ? `${state}, ${minutes} minutes` : state,
		waitMinutes: minutes,
		locked: false,
		scan: false,
		leaked: false,
		durable: false,
		frames: [{func, args: '0xc000012345?', inlined: false, file: '/src/app/handlers.go', line}],
		createdBy: {func: 'main.handler', file: '/src/app/handlers.go', line: 20},
	};
}

test('senders Go itself has seen parked for 5 minutes or more are likely suspects on the first poll; 2 minutes is possible', () => {
	const t = new Tracker();
	const s = t.update({
		at: 0,
		goroutines: [
			parked(10, 'chan send', 'main.fetchQuote', 47, 21),
			parked(11, 'chan send', 'main.fetchQuote', 47, 8),
			// Two minutes, and the flusher's starter is still running (it would read): a slow consumer, not yet a leak.
			{...parked(20, 'chan send', 'main.flush', 90, 2), createdBy: {func: 'main.runFlusher', file: '/src/app/flush.go', line: 10}},
			{...parked(2, 'sleep', 'main.runFlusher', 12, 2), createdBy: {func: 'main.main', file: '/src/app/main.go', line: 5}},
			parked(30, 'chan receive', 'main.worker', 12, 30), // an idle worker waits to receive: normal
		],
	});
	assert.deepEqual(
		s.suspects.map(x => [x.where?.func, x.tier]),
		[
			['main.fetchQuote', 'likely'],
			['main.flush', 'possible'],
		],
		'the idle worker receiving is no suspect at all',
	);
	assert.match(
		s.suspects[0]!.reason,
		/^likely leak: 2 goroutines in chan send at handlers\.go:47 — the functions that started them have returned, so nobody will receive; parked 21m without waking \(Go's count\)/,
	);
	assert.match(s.suspects[1]!.reason, /^possible leak: 1 goroutine in chan send at handlers\.go:90 — parked 2m without waking/);
});

test('a group that appears in one burst after the first poll grew from nothing, at a per-minute rate over at least a minute', () => {
	const t = new Tracker({stuckAfterPolls: 3});
	const pool = [parked(1, 'chan receive', 'main.worker', 12, 0), parked(2, 'chan receive', 'main.worker', 12, 0)];
	t.update({at: 0, goroutines: pool});
	const burst = Array.from({length: 12}, (_, i) => parked(100 + i, 'chan send', 'main.fanoutWorker', 97, 0));
	let s = t.update({at: 500, goroutines: [...pool, ...burst]});
	for (const at of [1000, 1500]) s = t.update({at, goroutines: [...pool, ...burst]});
	const fanout = s.groups.find(g => g.where?.func === 'main.fanoutWorker')!;
	assert.equal(fanout.growth, 12);
	assert.equal(fanout.history[0], 0);
	assert.equal(fanout.growthPerMin, 12, '12 in the last minute, not 12 per half second extrapolated');
	const workers = s.groups.find(g => g.where?.func === 'main.worker')!;
	assert.equal(workers.growth, 0, 'there since the first poll');
	assert.deepEqual(
		s.suspects.map(x => x.where?.func),
		['main.fanoutWorker'],
	);
});

test('receivers born at different times after their starter returned: a handful is a few clients’ streams (no suspect), a pile of 8 is possible', () => {
	// Ids 10 apart with nothing alive between: born one by one between finished requests.
	const receivers = (n: number) =>
		Array.from({length: n}, (_, i) => ({
			...parked(100 + 10 * i, 'chan receive', 'main.watchStream', 33, 0),
			createdBy: {func: 'main.openStream', file: '/src/app/streams.go', line: 30, parentId: 7},
		}));
	const judge = (n: number) => new Tracker().update({at: 0, goroutines: receivers(n)}).suspects.map(x => [x.tier, x.reason]);
	assert.deepEqual(judge(3), []);
	assert.deepEqual(judge(7), []);
	const pile = judge(8);
	assert.equal(pile.length, 1);
	assert.equal(pile[0]![0], 'possible');
	assert.match(pile[0]![1]!, /8 goroutines in chan receive at handlers\.go:33 — the functions that started them have returned, born over 71 goroutine ids/);
});

test('receivers that keep arriving one request at a time while watched, none leaving, are likely even with their starter alive; a burst or a pool started together stays possible', () => {
	// The starter (goroutine 7) is still running in main.serve, so "its creator returned" says nothing.
	const server: Goroutine = {...parked(7, 'IO wait', 'main.serve', 60, 0), createdBy: {func: 'main.main', file: '/src/app/main.go', line: 5}};
	const receiver = (id: number) => ({
		...parked(id, 'chan receive', 'main.awaitReload', 33, 0),
		createdBy: {func: 'main.serve', file: '/src/app/handlers.go', line: 61, parentId: 7},
	});
	// Ids 10 apart: born between other requests' goroutines, which finished.
	const spaced = (from: number, n: number) => Array.from({length: n}, (_, i) => receiver(from + 10 * i));
	const watch = (polls: Goroutine[][]) => {
		const t = new Tracker({stuckAfterPolls: 2});
		let s = t.update({at: 0, goroutines: [server, ...polls[0]!]});
		for (const [i, goroutines] of polls.slice(1).entries()) s = t.update({at: 1000 * (i + 1), goroutines: [server, ...goroutines]});
		return s.suspects.map(x => [x.tier, x.reason]);
	};
	const first = spaced(100, 10);
	const trickle = watch([first, [...first, ...spaced(300, 3)], [...first, ...spaced(300, 3), ...spaced(400, 3)]]);
	assert.equal(trickle.length, 1);
	assert.equal(trickle[0]![0], 'likely', String(trickle[0]![1]));
	assert.match(trickle[0]![1]!, /^likely leak: 16 goroutines in chan receive at handlers\.go:33 — 3 born while watched stayed parked/);

	const burst = watch([first, [...first, ...spaced(300, 6)], [...first, ...spaced(300, 6)]]);
	assert.deepEqual(
		burst.map(x => x[0]),
		['possible'],
		'one burst of new streams is what clients connecting look like',
	);

	// A dispatcher starts its per-key loops back to back: consecutive ids, with a finished goroutine
	// between two of them only now and then (here between the batches: 2 gaps of 15).
	const together = (from: number, n: number) => Array.from({length: n}, (_, i) => receiver(from + i));
	const loops = watch([together(100, 10), [...together(100, 10), ...together(120, 3)], [...together(100, 10), ...together(120, 3), ...together(140, 3)]]);
	assert.deepEqual(
		loops.map(x => x[0]),
		['possible'],
	);
});

test('one WaitGroup waiter parked a minute after its starter returned is no suspect (a supervisor of long-running workers); waiters piling up one request at a time are likely', () => {
	const waiter = (id: number, minutes: number): Goroutine => ({
		...parked(id, 'sync.WaitGroup.Wait', 'main.runPipeline', 159, minutes),
		createdBy: {func: 'main.startPipeline', file: '/src/app/handlers.go', line: 140, parentId: 3},
	});
	const one = new Tracker().update({at: 0, goroutines: [waiter(50, 1)]}).suspects.map(x => x.reason);
	assert.deepEqual(one, []);
	// Ids 10 apart with nothing alive between: born one request at a time.
	const pile = new Tracker().update({at: 0, goroutines: Array.from({length: 4}, (_, i) => waiter(100 + 10 * i, 0))}).suspects;
	assert.deepEqual(
		pile.map(x => x.tier),
		['likely'],
	);
});

test('a sender whose starter was once seen returned stays "creator gone" when the parent later runs the starter again (the next request on a keep-alive connection)', () => {
	// Goroutine 7 serves a keep-alive connection: between requests it reads (main.serve); during one it
	// runs main.handler, which started senders 40 and 41 on an earlier request and returned.
	const conn = (inHandler: boolean): Goroutine => ({
		...parked(7, inHandler ? 'select' : 'IO wait', inHandler ? 'main.handler' : 'main.serve', inHandler ? 25 : 60, 0),
		frames: [
			...(inHandler ? [{func: 'main.handler', args: '', inlined: false, file: '/src/app/handlers.go', line: 25}] : []),
			{func: 'main.serve', args: '', inlined: false, file: '/src/app/server.go', line: 60},
		],
		createdBy: {func: 'main.main', file: '/src/app/main.go', line: 5},
	});
	const sender = (id: number): Goroutine => ({
		...parked(id, 'chan send', 'main.lookup', 47, 0),
		createdBy: {func: 'main.handler', file: '/src/app/handlers.go', line: 20, parentId: 7},
	});
	const tierAt = (polls: boolean[]) => {
		const t = new Tracker();
		let s = t.update({at: 0, goroutines: [conn(polls[0]!), sender(40), sender(41)]});
		for (const [i, inHandler] of polls.slice(1).entries()) s = t.update({at: 1000 * (i + 1), goroutines: [conn(inHandler), sender(40), sender(41)]});
		return s.suspects.find(x => x.where?.func === 'main.lookup')?.tier;
	};
	// Seen once with the handler returned: likely, also when the last poll lands inside the next request.
	assert.equal(tierAt([false, true]), 'likely');
	assert.equal(tierAt([true, false, true]), 'likely');
	// Never seen outside the handler: the call that started them may still be running.
	assert.notEqual(tierAt([true, true]), 'likely');
});
