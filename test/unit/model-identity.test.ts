// The tracker's per-poll identity check and its memos on what the real parser hands out: Frame
// objects shared between goroutines (and, with one parse cache, between polls), whole frames
// arrays shared by identical bodies. A memo keyed on the parser's objects must never hide a
// goroutine that moved: these cases move one goroutine while its neighbours keep the objects.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createParseCache, type ParseCache} from '../../source/dump/parse-cache.ts';
import {parseDump} from '../../source/dump/parse.ts';
import type {Goroutine} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';

interface Spec {
	id: number;
	state?: string;
	/** [function, line] innermost first. */
	frames: Array<[string, number]>;
	/** Args of every frame (per-goroutine pointers make the parser's frames unshared). */
	args?: string;
	creator?: [string, number];
}

function dumpText(specs: readonly Spec[]): string {
	return specs
		.map(spec => {
			let text = `goroutine ${spec.id} [${spec.state ?? 'chan receive'}]:\n`;
			for (const [func, line] of spec.frames) text += `${func}(${spec.args ?? '0x0?'})\n\t/src/app/${func.split('.')[1] ?? 'x'}.go:${line} +0x25\n`;
			const [cf, cl] = spec.creator ?? ['main.main', 20];
			return `${text}created by ${cf}\n\t/src/app/main.go:${cl} +0x40\n`;
		})
		.join('\n');
}

function parse(specs: readonly Spec[], cache?: ParseCache): Goroutine[] {
	return parseDump(dumpText(specs), cache ? {cache} : {}).goroutines;
}

// Eight frames: deep enough that a change in the middle is below the user frame and above the outermost one.
const STACK: Array<[string, number]> = [
	['runtime.gopark', 364],
	['runtime.chanrecv', 583],
	['runtime.chanrecv1', 442],
	['main.worker', 40],
	['main.stage', 55],
	['main.pipeline', 70],
	['main.run', 90],
	['main.start', 12],
];
const MIDDLE_MOVED: Array<[string, number]> = STACK.map(([func, line], i) => (i === 5 ? ['main.pipelineRetry', line] : [func, line]));
const LINE_MOVED: Array<[string, number]> = STACK.map(([func, line], i) => (i === 6 ? [func, line + 1] : [func, line]));

function pool(frames: Array<[string, number]>, ids: readonly number[], args?: string): Spec[] {
	return ids.map(id => (args === undefined ? {id, frames} : {id, frames, args}));
}

for (const shared of [false, true]) {
	const label = shared ? 'one parse cache for every poll (objects shared across polls)' : 'a fresh parse per poll';
	for (const [what, moved] of [
		['a function in the middle of the stack', MIDDLE_MOVED],
		['a line deep in the stack', LINE_MOVED],
	] as const) {
		for (const args of [undefined, '0xc000010000']) {
			test(`a goroutine whose stack changes at ${what} is seen to move, its pool is not (${label}, ${args ? 'same args' : 'shared frames'})`, () => {
				const cache = shared ? createParseCache() : undefined;
				const t = new Tracker({stuckAfterPolls: 2});
				const ids = [1, 2, 3, 4, 5];
				t.update({goroutines: parse(pool(STACK, ids, args), cache), at: 0});
				let s = t.update({goroutines: parse(pool(STACK, ids, args), cache), at: 1000});
				assert.deepEqual(
					s.goroutines.map(x => x.samePolls),
					[2, 2, 2, 2, 2],
				);
				// Goroutine 3 moves; the others keep the very same text (and, with one cache, the same objects).
				const specs = pool(STACK, ids, args).map(spec => (spec.id === 3 ? {...spec, frames: moved} : spec));
				s = t.update({goroutines: parse(specs, cache), at: 2000});
				const byId = new Map(s.goroutines.map(x => [x.g.id, x]));
				assert.equal(byId.get(3)!.samePolls, 1, 'the move is seen');
				assert.equal(byId.get(3)!.sameSince, 2000);
				assert.equal(byId.get(3)!.stuck, false);
				for (const id of [1, 2, 4, 5]) assert.equal(byId.get(id)!.samePolls, 3, `goroutine ${id} stayed`);
				assert.equal(s.groups.length, 2, 'the moved goroutine has its own group');
				// And back: the first goroutine of the place in this parse is checked in full too.
				s = t.update({goroutines: parse(pool(STACK, ids, args), cache), at: 3000});
				assert.equal(s.goroutines.find(x => x.g.id === 3)!.samePolls, 1);
				assert.equal(s.goroutines.find(x => x.g.id === 1)!.samePolls, 4);
			});
		}
	}
}

test('with one parse cache, a goroutine moving to a stack that others already stand at is seen to move, and back', () => {
	// Both stacks are learnt templates, so every goroutine carries the parser's stack-shape token: the
	// tracker may trust a token only for the stack it was verified at.
	const cache = createParseCache();
	const t = new Tracker({stuckAfterPolls: 2});
	const here = pool(STACK, [1, 2, 3, 4], '0xc000010000');
	const there = pool(MIDDLE_MOVED, [5, 6, 7, 8], '0xc000010000');
	const poll = (specs: Spec[], at: number) => t.update({goroutines: parse(specs, cache), at});
	poll([...here, ...there], 0);
	let s = poll([...here, ...there], 1000);
	// (The first body of a dump, and the last one here, without a blank line after it, are read line by line.)
	assert.ok(
		parse([...here, ...there], cache)
			.slice(1, -1)
			.every(g => g.shape !== undefined),
		'the parser handed out tokens',
	);
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[2, 2, 2, 2, 2, 2, 2, 2],
	);
	const moved = here.map(spec => (spec.id === 3 ? {...spec, frames: MIDDLE_MOVED} : spec));
	s = poll([...moved, ...there], 2000);
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[3, 3, 1, 3, 3, 3, 3, 3],
	);
	assert.deepEqual(s.groups.map(group => group.count).sort(), [3, 5]);
	s = poll([...here, ...there], 3000);
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[4, 4, 1, 4, 4, 4, 4, 4],
	);
	assert.deepEqual(
		s.groups.map(group => group.count),
		[4, 4],
	);
});

test('with whole frames arrays shared (as the parser may for identical bodies), a goroutine given another array is still compared in full', () => {
	const t = new Tracker({stuckAfterPolls: 2});
	const base = parse(pool(STACK, [1]))[0]!;
	const at = (id: number, frames: Goroutine['frames']): Goroutine => ({...base, id, frames});
	const shared = base.frames;
	const same = parse(pool(STACK, [9]))[0]!.frames; // equal text, other objects
	const movedFrames = parse(pool(MIDDLE_MOVED, [9]))[0]!.frames;
	t.update({goroutines: [at(1, shared), at(2, shared), at(3, shared)], at: 0});
	let s = t.update({goroutines: [at(1, shared), at(2, same), at(3, shared)], at: 1000});
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[2, 2, 2],
	);
	s = t.update({goroutines: [at(1, shared), at(2, movedFrames), at(3, shared)], at: 2000});
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[3, 1, 3],
	);
	// The place's remembered array is now the moved one's neighbour's: moving back is seen too.
	s = t.update({goroutines: [at(1, same), at(2, shared), at(3, same)], at: 3000});
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[4, 1, 4],
	);
});

test('per-goroutine args do not count as a move, with frames shared or not', () => {
	const cache = createParseCache();
	const t = new Tracker();
	t.update({
		goroutines: parse(
			[
				{id: 1, frames: STACK, args: '0xc000000001'},
				{id: 2, frames: STACK, args: '0xc000000002'},
			],
			cache,
		),
		at: 0,
	});
	const s = t.update({
		goroutines: parse(
			[
				{id: 1, frames: STACK, args: '0xc0000000ff'},
				{id: 2, frames: STACK, args: '0xc000000002'},
			],
			cache,
		),
		at: 1000,
	});
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[2, 2],
	);
	assert.equal(s.groups.length, 1);
});

test('a changed state or creator at the same frames is a different place, even when the frames array is shared', () => {
	const cache = createParseCache();
	const t = new Tracker();
	t.update({
		goroutines: parse(
			[
				{id: 1, frames: STACK},
				{id: 2, frames: STACK},
				{id: 3, frames: STACK},
			],
			cache,
		),
		at: 0,
	});
	const input = parse(
		[
			{id: 1, frames: STACK},
			{id: 2, frames: STACK, state: 'chan send'},
			{id: 3, frames: STACK},
		],
		cache,
	);
	const s = t.update({goroutines: input, at: 1000});
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[2, 1, 2],
	);
	// A creator that differs at the same id is a restart's proof (ids start over), never a move.
	const r = t.update({
		goroutines: parse(
			[
				{id: 1, frames: STACK},
				{id: 2, frames: STACK, state: 'chan send'},
				{id: 3, frames: STACK, creator: ['main.other', 30]},
			],
			cache,
		),
		at: 2000,
	});
	assert.equal(r.restarted, true);
});

test('goroutines are matched by id whatever order the dump lists them in, and gone ones are reported', () => {
	const t = new Tracker();
	const ids = [10, 11, 12, 13, 14, 15];
	t.update({goroutines: parse(pool(STACK, ids)), at: 0});
	// Reversed, one gone (12), one new (16) in the middle.
	const next = [15, 14, 16, 13, 11, 10];
	const s = t.update({goroutines: parse(pool(STACK, next)), at: 1000});
	assert.deepEqual(
		s.goroutines.map(x => x.g.id),
		next,
	);
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[2, 2, 1, 2, 2, 2],
	);
	assert.deepEqual(s.newIds, [16]);
	assert.deepEqual(s.goneIds, [12]);
	const again = t.update({goroutines: parse(pool(STACK, [10, 16, 15])), at: 2000});
	assert.deepEqual(
		again.goroutines.map(x => x.samePolls),
		[3, 2, 3],
	);
	assert.deepEqual(
		[...again.goneIds].sort((a, b) => a - b),
		[11, 13, 14],
	);
});

test('a goroutine listed twice in one dump is tracked once', () => {
	const t = new Tracker();
	t.update({goroutines: parse(pool(STACK, [1, 2])), at: 0});
	const s = t.update({goroutines: parse(pool(STACK, [1, 2, 2])), at: 1000});
	assert.equal(s.total, 2);
	assert.deepEqual(
		s.goroutines.map(x => x.samePolls),
		[2, 2],
	);
});

test('the compact copy of an unchanged goroutine is reused across polls, and replaced when its header changes', () => {
	const t = new Tracker();
	t.update({goroutines: parse(pool(STACK, [1, 2])), at: 0});
	const a = t.update({goroutines: parse(pool(STACK, [1, 2])), at: 1000});
	const b = t.update({
		goroutines: parse([
			{id: 1, frames: STACK, state: 'chan receive, 2 minutes'},
			{id: 2, frames: STACK},
		]),
		at: 2000,
	});
	assert.equal(b.goroutines[1]!.g, a.goroutines[1]!.g, 'unchanged: the same object');
	assert.notEqual(b.goroutines[0]!.g, a.goroutines[0]!.g);
	assert.equal(b.goroutines[0]!.g.waitMinutes, 2);
	assert.equal(b.goroutines[0]!.g.rawState, 'chan receive, 2 minutes');
	assert.equal(b.goroutines[0]!.samePolls, 3, 'minutes are not a move');
});
