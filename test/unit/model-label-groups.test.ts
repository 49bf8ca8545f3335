// Grouping by a pprof label key (`b` offers each key the dump carries): one group per value, the
// goroutines without the label in a group of their own, trends across polls, suspects pointing at
// the label groups their goroutines are in, and back to a stack grouping with nothing lost.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Goroutine} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {labelGroup} from '../../source/model/types.ts';
import {nextGroupBy} from '../../source/view/keymap.ts';
import {labelKeys} from '../../source/view/select.ts';

const acme = Object.freeze({tenant: 'acme', handler: '/export'});
const globex = Object.freeze({tenant: 'globex'});

function g(id: number, labels: Readonly<Record<string, string>> | undefined, send = false): Goroutine {
	return {
		id,
		state: send ? 'chan send' : 'chan receive',
		rawState: send ? 'chan send' : 'chan receive',
		waitMinutes: 0,
		locked: false,
		scan: false,
		leaked: false,
		durable: false,
		frames: [
			send
				? {func: 'main.searchWorker', args: '', inlined: false, file: '/src/app/search.go', line: 88}
				: {func: 'main.worker', args: '', inlined: false, file: '/src/app/worker.go', line: 10},
		],
		createdBy: {func: send ? 'main.handler' : 'main.main', file: '/src/app/main.go', line: 20},
		...(labels ? {labels} : {}),
	};
}

test('by label tenant: a group per value and one for the goroutines without it; trends; suspects point at the label groups', () => {
	const tracker = new Tracker({stuckAfterPolls: 2, leakThreshold: 3});
	// Senders that pile up, all tenant acme; workers of both tenants and none.
	const poll = (n: number, at: number) => {
		const senders = Array.from({length: n}, (_, i) => g(100 + i * 7, acme, true));
		return tracker.update({goroutines: [g(1, undefined), g(2, globex), g(3, acme), g(4, globex), ...senders], at});
	};
	poll(3, 1000);
	tracker.setGroupBy('label:tenant');
	const first = poll(4, 3000);
	const byLabel = new Map(first.groups.map(group => [group.label, group]));
	assert.deepEqual([...byLabel.keys()].sort(), ['no tenant', 'tenant=acme', 'tenant=globex']);
	assert.equal(byLabel.get('tenant=acme')!.count, 5);
	assert.equal(byLabel.get('tenant=globex')!.count, 2);
	assert.deepEqual(byLabel.get('no tenant')!.ids, [1]);
	assert.ok(first.groups.every(group => group.by === 'label:tenant'));
	// Every goroutine carries its label group's key, so a group's members list finds them.
	for (const t of first.goroutines) assert.equal(t.groupKey, labelGroup('tenant', t.g.labels).key);
	const later = poll(6, 5000);
	const acmeGroup = later.groups.find(group => group.label === 'tenant=acme')!;
	assert.equal(acmeGroup.count, 7);
	assert.deepEqual(acmeGroup.history, [5, 7], 'the trend from when the grouping was chosen');
	assert.equal(acmeGroup.delta, 2);
	const suspect = later.suspects.find(s => s.state === 'chan send');
	assert.ok(suspect, 'the piling senders are a suspect');
	assert.deepEqual(suspect.groupKeys, [acmeGroup.key]);
	assert.equal(suspect.groupKey, acmeGroup.key);

	// Back to a stack grouping: keys and groups are the places' again.
	const stack = tracker.setGroupBy('stack');
	assert.ok(stack.groups.every(group => group.by === 'stack' && group.label === undefined));
	assert.equal(stack.groups.find(group => group.state === 'chan send')!.count, 6);
});

test('b cycles the stack groupings, then each label key the dump carries, then back', () => {
	const keys = labelKeys([{g: g(1, acme)}, {g: g(2, globex)}, {g: g(3, acme)}, {g: g(4, undefined)}] as never);
	assert.deepEqual(keys, ['handler', 'tenant']);
	const seen: string[] = [];
	let by = nextGroupBy(undefined, keys);
	for (let i = 0; i < 6; i++) {
		seen.push(by);
		by = nextGroupBy(by, keys);
	}
	assert.deepEqual(seen, ['where', 'top', 'creator', 'label:handler', 'label:tenant', 'stack']);
	// A dump without labels: the stack groupings only; a label key gone from the dump starts over.
	assert.equal(nextGroupBy('creator', []), 'stack');
	assert.equal(nextGroupBy('label:tenant', []), 'stack');
});
