import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ModelSnapshot, Suspect} from '../../source/model/types.ts';
import {currentView, initialUiState, listRows, reduce, stackContent, type Env} from '../../source/view/reducer.ts';
import {createSelector} from '../../source/view/select.ts';
import type {Action, UiState} from '../../source/view/types.ts';
import {goroutine, groupsOf, snapshot, tracked, type GoroutineSpec} from '../helpers/fake-store.ts';

function env(model: ModelSnapshot | undefined, select = createSelector(), bodyRows = 11): Env {
	return {model, bodyRows, columns: 100, select};
}

function run(state: UiState, e: Env, ...actions: Action[]): UiState {
	return actions.reduce((s, a) => reduce(s, a, e), state);
}

function ids(n: number, spec: (id: number) => Partial<GoroutineSpec> = () => ({})) {
	return Array.from({length: n}, (_, i) => tracked({id: i + 1, ...spec(i + 1)}));
}

/** The selected goroutine id in the current list view. */
function selected(state: UiState, e: Env): number | undefined {
	const view = currentView(state);
	assert.equal(view.kind, 'goroutines');
	if (view.kind !== 'goroutines') return undefined;
	const list = e.select.goroutines(e.model, state, view, listRows(e.bodyRows));
	return list.items[list.index]?.g.id;
}

const byId = (s: UiState): UiState => ({...s, sort: {...s.sort, goroutines: {key: 'id', desc: false}}});

test('moving down and paging move the cursor and scroll only when it leaves the window', () => {
	const e = env(snapshot(ids(50)));
	let s = byId(initialUiState());
	assert.equal(selected(s, e), 1);
	s = run(s, e, {type: 'nav', nav: 'down'}, {type: 'nav', nav: 'down'});
	assert.equal(selected(s, e), 3);
	const view = currentView(s);
	assert.equal(view.kind === 'goroutines' && view.sel.top, 0);
	s = run(s, e, {type: 'nav', nav: 'pageDown'});
	assert.equal(selected(s, e), 13); // a page is the 10 list rows
	s = run(s, e, {type: 'nav', nav: 'bottom'});
	assert.equal(selected(s, e), 50);
	s = run(s, e, {type: 'nav', nav: 'halfUp'});
	assert.equal(selected(s, e), 45);
	s = run(s, e, {type: 'nav', nav: 'top'});
	assert.equal(selected(s, e), 1);
	s = run(s, e, {type: 'nav', nav: 'up'});
	assert.equal(selected(s, e), 1);
});

test('the selection follows the same goroutine id when a new poll reorders the list', () => {
	const select = createSelector();
	const first = snapshot(ids(20, id => ({waitMs: id * 1000})));
	let s = initialUiState(); // sorted by wait, longest first: 20, 19, 18, …
	s = run(s, env(first, select), {type: 'nav', nav: 'down'}, {type: 'nav', nav: 'down'});
	assert.equal(selected(s, env(first, select)), 18);
	// Next poll: goroutine 18 now waits least, and new ones arrived.
	const second = snapshot([...ids(20, id => ({waitMs: id === 18 ? 0 : id * 2000})), tracked({id: 99, waitMs: 500_000, isNew: true})], {poll: 2});
	assert.equal(selected(s, env(second, select)), 18);
	const list = select.goroutines(second, s, currentView(s) as never, 10);
	assert.equal(list.items[list.index]?.g.id, 18);
	assert.equal(list.index, 20); // last row: it moved, the cursor moved with it
	assert.ok(list.index >= list.top && list.index < list.top + 10, 'still visible');
});

test('when the selected goroutine is gone, the cursor keeps its neighbourhood and says so', () => {
	const select = createSelector();
	const first = snapshot(ids(30));
	let s = byId(initialUiState());
	s = run(s, env(first, select), ...Array.from({length: 14}, () => ({type: 'nav', nav: 'down'}) as Action));
	assert.equal(selected(s, env(first, select)), 15);
	const second = snapshot(
		ids(30).filter(t => t.g.id !== 15),
		{poll: 2},
	);
	const list = select.goroutines(second, s, currentView(s) as never, 10);
	assert.equal(list.gone, 'goroutine 15');
	assert.equal(list.index, 14);
	assert.equal(list.items[list.index]?.g.id, 16);
	// Moving on continues from the neighbourhood, not from the top.
	s = run(s, env(second, select), {type: 'nav', nav: 'down'});
	assert.equal(selected(s, env(second, select)), 17);
});

test('a goroutine merely filtered out is not reported as gone', () => {
	const model = snapshot(ids(10, id => ({state: id % 2 ? 'select' : 'chan receive'})));
	const e = env(model);
	let s = byId(initialUiState());
	s = run(s, e, {type: 'nav', nav: 'down'}); // id 2, chan receive
	s = run(s, e, {type: 'toggleState', state: 'select'});
	const list = e.select.goroutines(model, s, currentView(s) as never, 10);
	assert.equal(list.gone, undefined);
	assert.ok(list.items.every(t => t.g.state === 'select'));
});

test('Enter opens the stack, Esc returns to exactly the same row and scroll', () => {
	const e = env(snapshot(ids(40)));
	let s = byId(initialUiState());
	s = run(s, e, {type: 'nav', nav: 'pageDown'}, {type: 'nav', nav: 'pageDown'}, {type: 'nav', nav: 'down'});
	const before = currentView(s);
	s = run(s, e, {type: 'enter'});
	const stack = currentView(s);
	assert.equal(stack.kind, 'stack');
	assert.deepEqual(stack.kind === 'stack' && stack.target, {type: 'goroutine', id: 22});
	s = run(s, e, {type: 'nav', nav: 'down'}, {type: 'back'});
	assert.deepEqual(currentView(s), before);
	assert.equal(selected(s, e), 22);
});

test('c jumps to the parent goroutine and Esc comes back to the child', () => {
	const model = snapshot([
		tracked({id: 1, state: 'select'}),
		tracked({id: 7, createdBy: {func: 'main.main', parentId: 1}}),
		tracked({id: 8, createdBy: {func: 'main.spawn', parentId: 555}}),
	]);
	const e = env(model);
	let s = byId(initialUiState());
	s = run(s, e, {type: 'nav', nav: 'down'}, {type: 'enter'}, {type: 'jumpToParent'});
	const parent = currentView(s);
	assert.deepEqual(parent.kind === 'stack' && parent.target, {type: 'goroutine', id: 1});
	s = run(s, e, {type: 'back'});
	const child = currentView(s);
	assert.deepEqual(child.kind === 'stack' && child.target, {type: 'goroutine', id: 7});
	s = run(s, e, {type: 'back'}, {type: 'nav', nav: 'down'}, {type: 'enter'}, {type: 'jumpToParent'});
	assert.match(s.message ?? '', /parent goroutine 555 is no longer running/);
});

test('Tab switches to groups, Enter on a group lists its members, Tab back keeps the goroutine selection', () => {
	const list = ids(12, id => ({groupKey: id <= 8 ? 'big' : 'small', state: id <= 8 ? 'chan send' : 'IO wait'}));
	const e = env(snapshot(list));
	let s = byId(initialUiState());
	s = run(s, e, {type: 'nav', nav: 'down'}, {type: 'nav', nav: 'down'});
	s = run(s, e, {type: 'toggleView'});
	assert.equal(currentView(s).kind, 'groups');
	s = run(s, e, {type: 'enter'});
	const members = currentView(s);
	assert.equal(members.kind === 'goroutines' && members.group, 'big');
	assert.equal(e.select.goroutines(e.model, s, members as never, 10).items.length, 8);
	s = run(s, e, {type: 'back'}, {type: 'toggleView'});
	assert.equal(selected(s, e), 3);
});

test('s cycles the sort column of the current list and S reverses it', () => {
	const e = env(snapshot(ids(5, id => ({waitMs: (6 - id) * 1000}))));
	let s = initialUiState();
	assert.deepEqual(s.sort.goroutines, {key: 'leak', desc: true});
	s = run(s, e, {type: 'cycleSort'});
	assert.deepEqual(s.sort.goroutines, {key: 'wait', desc: true});
	s = run(s, e, {type: 'cycleSort'});
	assert.deepEqual(s.sort.goroutines, {key: 'id', desc: false});
	s = run(s, e, {type: 'reverseSort'});
	const list = e.select.goroutines(e.model, s, currentView(s) as never, 10);
	assert.deepEqual(
		list.items.map(t => t.g.id),
		[5, 4, 3, 2, 1],
	);
	s = run(s, e, {type: 'toggleView'}, {type: 'cycleSort'});
	assert.deepEqual(s.sort.groups, {key: 'count', desc: true});
	assert.equal(s.sort.goroutines.key, 'id');
});

test('1–9 toggle states in header order (most goroutines first); several can be on', () => {
	const model = snapshot([
		...ids(3, () => ({state: 'select'})),
		...ids(5, () => ({state: 'chan receive'})).map((_t, i) => tracked({id: 100 + i, state: 'chan receive'})),
		tracked({id: 200, state: 'IO wait'}),
	]);
	const e = env(model);
	assert.deepEqual(e.select.stateOrder(model, initialUiState()), ['chan receive', 'select', 'IO wait']);
	let s = run(initialUiState(), e, {type: 'toggleStateAt', index: 2}, {type: 'toggleStateAt', index: 1});
	assert.deepEqual(s.states, ['IO wait', 'select']);
	const list = e.select.goroutines(model, s, currentView(s) as never, 20);
	assert.equal(list.items.length, 4);
	s = run(s, e, {type: 'toggleStateAt', index: 1});
	assert.deepEqual(s.states, ['IO wait']);
	s = run(s, e, {type: 'back'});
	assert.deepEqual(s.states, []);
});

test('H hides goroutines of idle groups', () => {
	const list = ids(6, id => ({groupKey: id <= 4 ? 'accept' : 'work'}));
	const model = snapshot(list, {groupExtra: {accept: {idle: true}}});
	const e = env(model);
	const s = run(initialUiState(), e, {type: 'toggleIdle'});
	assert.deepEqual(
		e.select
			.goroutines(model, s, currentView(s) as never, 20)
			.items.map(t => t.g.id)
			.sort(),
		[5, 6],
	);
	const groups = run(s, e, {type: 'toggleView'});
	assert.deepEqual(
		e.select.groups(model, groups, currentView(groups) as never, 20).items.map(g => g.key),
		['work'],
	);
});

test('typing a query filters; Esc while typing clears it; Esc never leaves the root list', () => {
	const model = snapshot([
		tracked({id: 1, frames: [['main.handleUpload', '/app/upload.go', 10]]}),
		tracked({id: 2, frames: [['main.flushCache', '/app/cache.go', 20]]}),
	]);
	const e = env(model);
	let s = run(initialUiState(), e, {type: 'startQuery'}, {type: 'typeQuery', text: 'upl'});
	assert.equal(s.editing, true);
	assert.deepEqual(
		e.select.goroutines(model, s, currentView(s) as never, 20).items.map(t => t.g.id),
		[1],
	);
	s = run(s, e, {type: 'backspaceQuery'}, {type: 'backspaceQuery'}, {type: 'backspaceQuery'});
	assert.equal(s.query, '');
	assert.equal(e.select.goroutines(model, s, currentView(s) as never, 20).items.length, 2);
	s = run(s, e, {type: 'typeQuery', text: 'cache'}, {type: 'back'});
	assert.equal(s.query, '');
	assert.equal(s.editing, false);
	s = run(s, e, {type: 'back'}, {type: 'back'});
	assert.equal(s.views.length, 1);
	assert.equal(currentView(s).kind, 'goroutines');
});

test('the stack view scrolls within its lines', () => {
	const deep = tracked({id: 1, frames: Array.from({length: 30}, (_, i) => [`main.f${i}`, '/app/deep.go', i + 1] as [string, string, number])});
	const e = env(snapshot([deep]), createSelector(), 10);
	let s = run(initialUiState(), e, {type: 'enter'});
	s = run(s, e, {type: 'nav', nav: 'bottom'});
	const view = currentView(s);
	assert.equal(view.kind, 'stack');
	// 30 frames × 2 lines + title + blank + … : the last page starts well below 0.
	assert.ok(view.kind === 'stack' && view.scroll > 40);
	s = run(s, e, {type: 'nav', nav: 'top'});
	assert.equal((currentView(s) as {scroll: number}).scroll, 0);
});

test('the default sort puts proven leaks first, then suspects, then stuck goroutines, then the longest wait', () => {
	const list = [
		tracked({id: 1, waitMs: 900_000, groupKey: 'idle-pool'}), // waited longest, but neither stuck nor suspect
		tracked({id: 2, waitMs: 5_000, stuck: true, groupKey: 'stuck-only'}),
		tracked({id: 3, waitMs: 4_000, stuck: true, groupKey: 'leak'}),
		tracked({id: 4, waitMs: 3_000, stuck: true, groupKey: 'proven'}),
		tracked({id: 5, waitMs: 6_000, stuck: true, groupKey: 'leak'}),
	];
	const suspect = (groupKey: string, proven: boolean, score: number): Suspect => ({
		siteKey: groupKey,
		groupKey,
		groupKeys: [groupKey],
		variants: 1,
		tier: proven ? 'proven' : 'likely',
		count: 1,
		state: 'chan send',
		reason: groupKey,
		proven,
		score,
		stuck: 1,
		leaked: proven ? 1 : 0,
		growthPerMin: 0,
		maxWaitMs: 0,
	});
	const e = env(snapshot(list, {suspects: [suspect('leak', false, 5), suspect('proven', true, 1e9)]}));
	const s = initialUiState();
	const view = currentView(s);
	assert.equal(view.kind, 'goroutines');
	const rows = e.select.goroutines(e.model, s, view as never, 10).items.map(t => t.g.id);
	assert.deepEqual(rows, [4, 5, 3, 2, 1]);
	const groups = e.select.groups(e.model, s, {kind: 'groups', sel: {index: 0, top: 0}} as never, 10).items.map(g => g.key);
	assert.deepEqual(groups.slice(0, 2), ['proven', 'leak']);
});

test('state numbers do not move when counts change: leak-shaped waits first, on-CPU last', () => {
	const select = createSelector();
	const ui = initialUiState();
	const spec = (counts: Record<string, number>) =>
		snapshot(
			Object.entries(counts).flatMap(([state, n], k) => ids(n, id => ({state, id: 100 * k + id})).map((_t, i) => tracked({id: 100 * k + i + 1, state}))),
		);
	const before = select.stateOrder(spec({'IO wait': 9, 'chan receive': 2, running: 1, 'chan send': 1}), ui);
	const after = select.stateOrder(spec({'IO wait': 1, 'chan receive': 7, running: 1, 'chan send': 12}), ui);
	assert.deepEqual(before, ['chan send', 'chan receive', 'IO wait', 'running']);
	assert.deepEqual(after, before);
});

test('a state keeps its number while present; one that drops to 0 keeps its slot (no renumbering) until a minute has passed', () => {
	const select = createSelector();
	const counts = (at: number, states: Record<string, number>) => {
		let next = 1;
		const list = Object.entries(states).flatMap(([state, n]) => Array.from({length: n}, () => tracked({id: next++, state})));
		return snapshot(list, {at});
	};
	const first = counts(0, {'chan send': 1, 'chan receive': 2, select: 1, 'IO wait': 1, sleep: 1, running: 1});
	assert.deepEqual(select.stateOrder(first, initialUiState()), ['chan send', 'chan receive', 'select', 'IO wait', 'sleep', 'running']);
	// sleep goes away: running stays 6 (it used to become 5, so a user pressing 5 hit running).
	const second = counts(2000, {'chan send': 1, 'chan receive': 2, select: 1, 'IO wait': 1, running: 1, 'sync.Mutex.Lock': 1});
	assert.deepEqual(
		select.stateOrder(second, initialUiState()),
		['chan send', 'chan receive', 'select', 'IO wait', 'sleep', 'running', 'sync.Mutex.Lock'],
		'a newcomer goes to the end while the slot of sleep is held, even though it sorts earlier',
	);
	const s = run(initialUiState(), env(second, select), {type: 'toggleStateAt', index: 5});
	assert.deepEqual(s.states, ['running']);
	// A minute later sleep's slot is free: the next new state takes it; nothing else moves.
	const later = counts(70_000, {'chan send': 1, 'chan receive': 2, select: 1, 'IO wait': 1, running: 1, 'sync.Mutex.Lock': 1, 'sync.WaitGroup.Wait': 1});
	assert.deepEqual(select.stateOrder(later, initialUiState()), [
		'chan send',
		'chan receive',
		'select',
		'IO wait',
		'sync.WaitGroup.Wait',
		'running',
		'sync.Mutex.Lock',
	]);
	// A state that is gone for good leaves the end of the line; one that is filtered on keeps its slot.
	const quiet = counts(100_000, {'chan send': 1, 'chan receive': 2});
	const filtered = {...initialUiState(), states: ['select']};
	assert.deepEqual(select.stateOrder(quiet, filtered), ['chan send', 'chan receive', 'select', 'IO wait', 'sync.WaitGroup.Wait', 'running', 'sync.Mutex.Lock']);
	assert.deepEqual(select.stateOrder(counts(201_000, {'chan send': 1, 'chan receive': 2}), filtered), ['chan send', 'chan receive', 'select']);
});

test("a gone group's stack takes args from the dump while its sample goroutine is still there at the same place", () => {
	const frames: Array<[string, string, number]> = [['main.send', '/app/send.go', 12]];
	const sample = tracked({id: 7, frames, args: '', groupKey: 'old-key'});
	const [group] = groupsOf([sample]);
	// `b` regrouped: the model no longer has 'old-key', but goroutine 7 is in the latest dump.
	const model = snapshot([{...sample, groupKey: 'new-key'}]);
	const view = {kind: 'stack' as const, target: {type: 'group' as const, key: 'old-key'}, last: group!, scroll: 0};
	const text = (raw: ReturnType<typeof goroutine>) => stackContent(view, {...env(model), raw: [raw]}).lines.map(line => line.text);
	assert.ok(text(goroutine({id: 7, frames, args: '0xc0001'})).includes('main.send(0xc0001)'));
	// The same id at another place (the target restarted and ids started over): not its args.
	const elsewhere = text(goroutine({id: 7, frames: [['main.other', '/app/other.go', 3]], args: '0xc0002'}));
	assert.ok(elsewhere.includes('main.send(…)'));
	assert.ok(elsewhere.includes('(…): args are shown only while goroutine 7 is in the latest dump'));
});
