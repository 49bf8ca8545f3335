// The tree by creator, built from real dumps (test/fixtures/dumps) through the real parser and
// tracker: its shape is asserted row by row, as `t` draws it.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import {buildCreatorTree, flattenTree, indexTree, parentKey, type CreatorNode} from '../../source/model/creator-tree.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {ModelSnapshot, TrackedGoroutine} from '../../source/model/types.ts';
import {tracked} from '../helpers/fake-store.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);

function model(name: string): ModelSnapshot {
	return new Tracker().update({goroutines: parseDump(readFileSync(new URL(name, dumps), 'utf8')).goroutines, at: 0});
}

function treeOf(list: readonly TrackedGoroutine[], shown = list): CreatorNode[] {
	const byId = new Map(list.map(t => [t.g.id, t]));
	return buildCreatorTree({shown, byId: id => byId.get(id), tierOf: t => (t.g.leaked ? 3 : 0)});
}

/** `depth total name` per row: the function a row shows (the stand-in's creator for a gone parent). */
function shape(roots: readonly CreatorNode[], folded: ReadonlySet<string> = new Set()): string[] {
	return flattenTree(roots, folded).map(({node, folded: isFolded}) => {
		const name = node.kind === 'creator' ? `created by ${node.creator!.func}` : ((node.sample ?? node.via)?.where?.func ?? '?');
		return `${'  '.repeat(node.depth)}${node.total} ${name}${isFolded ? ' …' : ''}`;
	});
}

test('Go 1.27 leakzoo: every leak hangs under main, proven leaks first; a dead parent is stood in for by its creator', () => {
	const roots = treeOf(model('go1.27-leakzoo-goroutineleak.debug2.txt').goroutines);
	assert.deepEqual(shape(roots), [
		'37 main.main',
		'  3 main.nilChanLeak.func1',
		'  3 main.startConsumer.func1',
		'  3 main.fetchWithTimeout.func1',
		'  3 main.emptySelectLeak.func1',
		'  3 main.waitFirst.func1',
		'  3 main.(*account).withdraw',
		'  3 main.waitGroupLeak.func2',
		'  4 main.poolWorker',
		'  3 main.registeredSender.func1',
		'  3 main.reloadConfig',
		'  2 runtime/pprof.writeGoroutineStacks',
		'    1 internal/poll.runtime_pollWait',
		'  1 internal/poll.runtime_pollWait',
		'  1 main.heartbeat',
		'  1 main.shutdownWaiter',
		// goroutine 36 (the dialer that started both) is not in the dump.
		'2 created by net/http.(*Transport).dialConn',
		'  1 internal/poll.runtime_pollWait',
		'  1 net/http.(*persistConn).writeLoop',
	]);
	// The counts roll up: a root's total is every goroutine in the dump.
	assert.equal(
		roots.reduce((n, root) => n + root.total, 0),
		39,
	);
	assert.equal(roots[0]!.worst, 3, 'main carries the proven leaks below it');
});

test('Go 1.26 statezoo: grandchildren sit under the goroutine that started them, two levels down', () => {
	const rows = shape(treeOf(model('go1.26-statezoo-all-states.debug2.txt').goroutines));
	assert.equal(rows[0], '42 main.main');
	const at = rows.indexOf('  2 main.closures.func1.1');
	assert.ok(at > 0, rows.join('\n'));
	assert.equal(rows[at + 1], '    1 main.closures.func1.1.1');
	const io = rows.indexOf('  2 main.main.func16');
	assert.equal(rows[io + 1], '    1 main.ioWaitReader');
	assert.equal(rows.filter(row => row.startsWith('    ')).length, 3, 'three goroutines two levels down');
});

test('Go 1.19 (no parent ids): every goroutine hangs under its creator function, main alone at the top', () => {
	const roots = treeOf(model('go1.19-statezoo-all-states.debug2.txt').goroutines);
	assert.ok(roots.some(root => root.kind === 'group' && root.sample?.g.id === 1));
	assert.ok(roots.filter(root => root.kind === 'creator').every(root => root.children.every(c => c.children.length === 0)));
	assert.equal(
		roots.reduce((n, root) => n + root.total, 0),
		42,
	);
});

test('folding a node hides its children; the folded row says so; keys name the path', () => {
	const roots = treeOf(model('go1.26-statezoo-all-states.debug2.txt').goroutines);
	const main = roots[0]!;
	assert.deepEqual(shape(roots, new Set([main.key])), ['42 main.main …']);
	const index = indexTree(roots);
	const grandchild = [...index.values()].find(node => node.depth === 2)!;
	assert.equal(index.get(parentKey(grandchild.key))!.depth, 1);
	assert.equal(parentKey(parentKey(grandchild.key)), main.key);
	assert.equal(parentKey(main.key), '');
});

test('a filtered-out parent still places its children; the node keys stay the same', () => {
	const all = model('go1.26-statezoo-all-states.debug2.txt').goroutines;
	const shown = all.filter(t => t.g.id === 38);
	const roots = treeOf(all, shown);
	assert.deepEqual(shape(roots), ['1 main.main', '  1 main.closures.func1.1', '    1 main.closures.func1.1.1']);
	const full = indexTree(treeOf(all));
	for (const key of indexTree(roots).keys()) assert.ok(full.has(key), 'the same path keys as unfiltered');
});

test('a creation loop (only a hostile dump has one) and a 20,000-deep chain build without blowing the stack', () => {
	const loop = [tracked({id: 1, createdBy: {func: 'main.a', parentId: 2}}), tracked({id: 2, createdBy: {func: 'main.b', parentId: 1}})];
	assert.equal(
		treeOf(loop).reduce((n, root) => n + root.total, 0),
		2,
	);
	const deep = Array.from({length: 20_000}, (_, i) => tracked({id: i + 1, ...(i > 0 ? {createdBy: {func: 'main.spawn', parentId: i}} : {})}));
	const roots = treeOf(deep);
	assert.equal(roots.length, 1);
	assert.equal(roots[0]!.total, 20_000);
	assert.equal(flattenTree(roots, new Set()).length, 20_000);
});
