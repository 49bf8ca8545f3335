// The tree by creator in the reducer: `t` in and out, ← / → fold and move, Enter opens a node's
// own goroutines, and the cursor follows its node (by key) when a poll adds rows above it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ModelSnapshot} from '../../source/model/types.ts';
import {currentView, initialUiState, listRows, reduce, type Env} from '../../source/view/reducer.ts';
import {createSelector} from '../../source/view/select.ts';
import {treeColumns, treeRow} from '../../source/view/tree-rows.ts';
import type {Action, UiState} from '../../source/view/types.ts';
import {snapshot, tracked} from '../helpers/fake-store.ts';

const env = (model: ModelSnapshot, select = createSelector()): Env => ({model, bodyRows: 20, columns: 100, select});
const run = (state: UiState, e: Env, ...actions: Action[]) => actions.reduce((s, a) => reduce(s, a, e), state);

const handler = (id: number, parent = 1) =>
	tracked({id, state: 'IO wait', frames: [['main.handle', '/app/server.go', 30]], createdBy: {func: 'main.serve', parentId: parent}});
const worker = (id: number, parent: number) =>
	tracked({id, state: 'chan send', frames: [['main.fanoutWorker', '/app/leaks.go', 97]], createdBy: {func: 'main.handle', parentId: parent}});
const main = tracked({id: 1, state: 'select', frames: [['main.main', '/app/main.go', 10]]});

/** The tree's rows as `name` indented by depth, and which one the cursor is on. */
function rows(state: UiState, e: Env): {lines: string[]; selected: string | undefined} {
	const view = currentView(state);
	assert.equal(view.kind, 'tree');
	if (view.kind !== 'tree') return {lines: [], selected: undefined};
	const list = e.select.tree(e.model, state, view, listRows(e.bodyRows));
	const cols = treeColumns(100);
	const name = (i: number) => {
		const row = list.items[i]!;
		return `${'  '.repeat(row.node.depth)}${(row.node.sample ?? row.node.via)?.where?.func ?? row.node.creator?.func}${row.folded ? ' …' : ''}`;
	};
	assert.ok(
		list.items.every(row => treeRow(row, cols).text.length === 100),
		'every row fills the width',
	);
	return {lines: list.items.map((_, i) => name(i)), selected: list.items.length > 0 ? name(list.index).replace(' …', '').trim() : undefined};
}

test('t opens the tree: workers under the request that started them, under main; t again goes back', () => {
	const e = env(snapshot([main, handler(2), worker(3, 2), worker(4, 2)]));
	let s = run(initialUiState(), e, {type: 'toggleTree'});
	assert.deepEqual(rows(s, e).lines, ['main.main', '  main.handle', '    main.fanoutWorker']);
	s = run(s, e, {type: 'toggleTree'});
	assert.equal(currentView(s).kind, 'goroutines');
});

test('← folds an open node, then moves to its parent; → unfolds, then moves to the first child', () => {
	const e = env(snapshot([main, handler(2), worker(3, 2)]));
	let s = run(initialUiState(), e, {type: 'toggleTree'}, {type: 'nav', nav: 'down'});
	assert.equal(rows(s, e).selected, 'main.handle');
	s = run(s, e, {type: 'fold', open: false});
	assert.deepEqual(rows(s, e).lines, ['main.main', '  main.handle …']);
	s = run(s, e, {type: 'fold', open: false});
	assert.equal(rows(s, e).selected, 'main.main');
	s = run(s, e, {type: 'fold', open: true});
	assert.equal(rows(s, e).selected, 'main.handle');
	s = run(s, e, {type: 'fold', open: true}, {type: 'fold', open: true});
	assert.equal(rows(s, e).selected, 'main.fanoutWorker');
});

test('the cursor follows its node when the next poll adds rows above it, and says nothing is gone', () => {
	const select = createSelector();
	const first = env(snapshot([main, handler(2), worker(3, 2)]), select);
	const s = run(initialUiState(), first, {type: 'toggleTree'}, {type: 'nav', nav: 'bottom'});
	assert.equal(rows(s, first).selected, 'main.fanoutWorker');
	// A proven leak elsewhere sorts first under main: the worker's row moves down two.
	const leak = tracked({id: 9, state: 'chan receive', leaked: true, frames: [['main.ticker', '/app/t.go', 5]], createdBy: {func: 'main.main', parentId: 1}});
	const second = env(snapshot([main, handler(2), worker(3, 2), leak, handler(5)], {poll: 2}), select);
	assert.equal(rows(s, second).selected, 'main.fanoutWorker');
	const view = currentView(s);
	assert.ok(view.kind === 'tree');
	assert.equal(select.tree(second.model, s, view, 19).gone, undefined);
	// Gone for real: the worker exited.
	const third = env(snapshot([main, handler(2)], {poll: 3}), select);
	assert.equal(select.tree(third.model, s, view, 19).gone, 'tree node');
});

test('Enter on a node opens its own goroutines; on a single goroutine, its stack; on a gone parent stand-in, it folds', () => {
	const e = env(snapshot([main, handler(2), worker(3, 2), worker(4, 2), worker(7, 99)]));
	let s = run(initialUiState(), e, {type: 'toggleTree'});
	assert.deepEqual(rows(s, e).lines, ['main.main', '  main.handle', '    main.fanoutWorker', 'main.handle', '  main.fanoutWorker']);
	s = run(s, e, {type: 'nav', nav: 'down'}, {type: 'nav', nav: 'down'}, {type: 'enter'});
	const members = currentView(s);
	assert.ok(members.kind === 'goroutines' && members.node !== undefined);
	const list = e.select.goroutines(e.model, s, members, 10);
	assert.deepEqual(list.items.map(t => t.g.id).sort(), [3, 4], 'not goroutine 7, whose creator is gone');
	s = run(s, e, {type: 'back'}, {type: 'nav', nav: 'up'}, {type: 'enter'});
	const stack = currentView(s);
	assert.ok(stack.kind === 'stack' && stack.target.type === 'goroutine' && stack.target.id === 2);
	s = run(s, e, {type: 'back'}, {type: 'nav', nav: 'bottom'}, {type: 'nav', nav: 'up'}, {type: 'enter'});
	assert.deepEqual(rows(s, e).lines.at(-1), 'main.handle …');
});

test('a filter keeps only the paths to what matches', () => {
	const e = env(
		snapshot([main, handler(2), worker(3, 2), tracked({id: 4, frames: [['main.other', '/app/o.go', 1]], createdBy: {func: 'main.main', parentId: 1}})]),
	);
	const s = run(initialUiState(), e, {type: 'toggleTree'}, {type: 'startQuery', text: 'fanout'}, {type: 'acceptQuery'});
	assert.deepEqual(rows(s, e).lines, ['main.main', '  main.handle', '    main.fanoutWorker']);
});
