// Several targets merged into one snapshot for the live view: groups by key, suspects by site, ids
// kept apart per target, each group's count per target; and the view's pieces around it (labels,
// the header per target or its one-line summary, the rows with a target column, T).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Goroutine} from '../../source/dump/types.ts';
import type {PollerState} from '../../source/fetch/types.ts';
import {fleetId, fleetIndexOf, goroutineNumber} from '../../source/model/fleet-ids.ts';
import {buildCreatorTree, flattenTree} from '../../source/model/creator-tree.ts';
import {mergeFleet} from '../../source/model/fleet-merge.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {ModelSnapshot} from '../../source/model/types.ts';
import {
	countsCell,
	createFleetSelector,
	fleetGoroutineColumns,
	fleetGoroutineRow,
	fleetGroupColumns,
	fleetGroupHeader,
	fleetGroupRow,
	fleetHeaderLines,
	fleetLabels,
	fleetOnTargets,
	fleetRawLookup,
	fleetRows,
	fleetTreeColumns,
	fleetTreeHeader,
	fleetTreeRow,
	treeTargetCell,
} from '../../source/view/fleet.ts';
import {type Env, initialUiState, reduce, selectedText, stackContent} from '../../source/view/reducer.ts';
import {treeColumns, treeHeader, treeRow} from '../../source/view/tree-rows.ts';
import {createSelector} from '../../source/view/select.ts';
import type {FleetTarget} from '../../source/watch/types.ts';

function parked(id: number, state: string, func: string, line: number, minutes: number, parentId?: number): Goroutine {
	return {
		id,
		state,
		rawState: minutes > 0 ? `${state}, ${minutes} minutes` : state,
		waitMinutes: minutes,
		locked: false,
		scan: false,
		leaked: false,
		durable: false,
		frames: [{func, args: '', inlined: false, file: '/src/app/handlers.go', line}],
		createdBy: {func: 'main.handler', file: '/src/app/handlers.go', line: 20, ...(parentId === undefined ? {} : {parentId})},
	};
}

/** One replica after a poll: `leaked` senders parked for 21 minutes at handlers.go:47 and a worker pool. */
function replica(leaked: number, workers: number, at = 1000): ModelSnapshot {
	const goroutines = [
		parked(1, 'select', 'main.main', 10, 0),
		...Array.from({length: workers}, (_, i) => parked(10 + i, 'chan receive', 'main.worker', 12, 0, 1)),
		...Array.from({length: leaked}, (_, i) => parked(100 + i, 'chan send', 'main.fetchQuote', 47, 21, 1)),
	];
	return new Tracker().update({at, goroutines});
}

test('groups merge by key across targets with each target’s count; ids stay apart per target; totals and states add up', () => {
	const a = replica(12, 4);
	const b = replica(0, 3);
	const c = replica(3, 4);
	const {model, groupCounts} = mergeFleet(
		[
			{index: 0, label: 'a', snapshot: a},
			{index: 1, label: 'b', snapshot: b},
			{index: 2, label: 'c', snapshot: c},
		],
		3,
	);
	assert.equal(model.total, a.total + b.total + c.total);
	assert.equal(model.states['chan send'], 15);
	assert.equal(model.goroutines.length, model.total);
	const sender = model.groups.find(group => group.where?.func === 'main.fetchQuote')!;
	assert.equal(sender.count, 15);
	assert.deepEqual(groupCounts.get(sender.key), [12, 0, 3]);
	assert.deepEqual(groupCounts.get(model.groups.find(group => group.where?.func === 'main.worker')!.key), [4, 3, 4]);
	assert.equal(model.groups[0], sender, 'largest group first, as the model orders them');
	// Every replica has a goroutine 1 and 100: in the merge each is a different goroutine, and prints as Go printed it.
	const ids = model.goroutines.map(t => t.g.id);
	assert.equal(new Set(ids).size, ids.length, 'no two merged goroutines share an id');
	const mainOfC = model.goroutines.find(t => fleetIndexOf(t.g.id) === 2 && t.g.frames[0]!.func === 'main.main')!;
	assert.equal(goroutineNumber(mainOfC.g.id), 1);
	const workerOfC = model.goroutines.find(t => fleetIndexOf(t.g.id) === 2 && t.g.frames[0]!.func === 'main.worker')!;
	assert.equal(workerOfC.g.createdBy?.parentId, mainOfC.g.id, "a creator link stays inside its target (the tree by creator finds c's main)");
	assert.ok(sender.ids.every(id => fleetIndexOf(id) === 0 || fleetIndexOf(id) === 2));
	assert.equal(a.goroutines[0]!.g.id, 1, 'the targets’ own snapshots are not changed');
});

test('a suspect on 2 of 3 targets: one suspect for the site, the counts summed, and its sentence says where it is', () => {
	const {model, suspectCounts} = mergeFleet(
		[
			{index: 0, label: 'a', snapshot: replica(12, 4)},
			{index: 1, label: 'b', snapshot: replica(0, 3)},
			{index: 2, label: 'c', snapshot: replica(3, 4)},
		],
		3,
	);
	assert.equal(model.suspects.length, 1);
	const [suspect] = model.suspects;
	assert.equal(suspect!.count, 15);
	assert.equal(suspect!.tier, 'likely');
	assert.deepEqual(suspectCounts.get(suspect!.siteKey), [12, 0, 3]);
	assert.match(
		suspect!.reason,
		/^likely leak: 15 goroutines in chan send at handlers\.go:47 — on 2 of 3 targets; the functions that started them have returned/,
	);
	const alone = mergeFleet(
		[
			{index: 0, label: 'a', snapshot: replica(0, 4)},
			{index: 1, label: 'b', snapshot: replica(5, 3)},
		],
		2,
	);
	assert.match(alone.model.suspects[0]!.reason, /^likely leak: 5 goroutines in chan send at handlers\.go:47 — only on b of 2 targets; the functions/);
	// Filtered to one target, the suspect is that target's own, sentence and all.
	const one = mergeFleet([{index: 2, label: 'c', snapshot: replica(3, 4)}], 3);
	assert.match(one.model.suspects[0]!.reason, /^likely leak: 3 goroutines in chan send at handlers\.go:47 — the functions/);
	assert.equal(fleetIndexOf(one.model.goroutines[0]!.g.id), 2, 'ids keep their target under the filter, so the cursor keeps its row');
});

test('histories of different lengths add up with their latest polls aligned', () => {
	const tracker = new Tracker();
	let older = tracker.update({at: 0, goroutines: [parked(1, 'select', 'main.main', 10, 0)]});
	older = tracker.update({at: 1000, goroutines: [parked(1, 'select', 'main.main', 10, 0), parked(2, 'select', 'main.main', 10, 0)]});
	const newer = replica(0, 0);
	const {model} = mergeFleet(
		[
			{index: 0, label: 'a', snapshot: older},
			{index: 1, label: 'b', snapshot: newer},
		],
		2,
	);
	assert.deepEqual(model.totalHistory, [1, 3]);
	for (const series of Object.values(model.stateHistory)) assert.equal(series.length, model.totalHistory.length);
});

test('fleet ids: the id Go printed and the target it came from, for up to 512 targets', () => {
	assert.equal(fleetId(0, 123), 123, 'one target: the ids are the ids');
	assert.equal(goroutineNumber(fleetId(511, 987_654_321)), 987_654_321);
	assert.equal(fleetIndexOf(fleetId(511, 987_654_321)), 511);
	assert.ok(Number.isSafeInteger(fleetId(511, 2 ** 44 - 1)));
});

test('labels keep the part that tells targets apart', () => {
	assert.deepEqual(fleetLabels(['a:6060', 'b:6060', 'c:6060']), ['a', 'b', 'c']);
	assert.deepEqual(fleetLabels(['127.0.0.1:16061', '127.0.0.1:16062']), ['16061', '16062']);
	assert.deepEqual(fleetLabels(['http://api-1.prod:6060/debug/pprof/', 'http://api-2.prod:6060/debug/pprof/']), ['api-1', 'api-2']);
	assert.deepEqual(fleetLabels(['dump.txt', 'dump.txt.old']), ['txt', 'txt.old'], 'a shared start goes, a shared end only when each keeps something');
	assert.deepEqual(fleetLabels(['same', 'same']), ['same', 'same'], 'nothing to tell them apart by: the whole names');
	assert.deepEqual(fleetLabels(['only:6060']), ['only:6060']);
});

function poller(target: string, extra: Partial<PollerState> = {}): PollerState {
	return {target, leakProfile: 'unknown', paused: false, polling: false, intervalMs: 1000, effectiveIntervalMs: 1000, pauses: [], ...extra};
}

const now = 100_000;

function fleet(): FleetTarget[] {
	const fetch = (at: number) => ({at, durationMs: 20, bytes: 1000, debug: 2 as const, dump: {kind: 'traceback', goroutines: []} as never, truncated: false});
	return [
		{name: 'a:6060', poller: poller('a:6060', {last: fetch(now - 1000)}), model: replica(12, 4, now - 1000)},
		{
			name: 'b:6060',
			poller: poller('b:6060', {
				last: fetch(now - 9000),
				error: {kind: 'refused', message: 'nothing listening on b:6060 (connection refused)', at: now - 500, retryAt: now + 3000, attempt: 2},
			}),
			model: replica(0, 3, now - 9000),
		},
		{name: 'c:6060', poller: poller('c:6060', {last: fetch(now - 1000)}), model: {...replica(3, 4, now - 1000), epoch: 2}},
	];
}

test('the header: a line per target (up with goroutines, epoch and last poll; down with the reason and the retry); one summary line in a short pane', () => {
	const view = createFleetSelector()(fleet(), undefined);
	const ui = initialUiState();
	const full = fleetHeaderLines({view, now, width: 100, rows: 40, stateOrder: ['chan send', 'chan receive', 'select'], ui}).map(line => line.text);
	assert.equal(full.length, 6);
	assert.equal(full[0], 'gmon 3 targets: 2 up, 1 down');
	assert.match(full[1]!, /^ {2}a:6060 {2}up {2}17 goroutines · polled just now$/);
	assert.match(full[2]!, /^ {2}b:6060 {2}down ✖ nothing listening on b:6060 \(connection refused\) · retry in 3s \(attempt 2\)$/);
	const wide = fleetHeaderLines({view, now, width: 160, rows: 40, stateOrder: [], ui}).map(line => line.text);
	assert.match(wide[2]!, /retry in 3s \(attempt 2\) · showing data from 9s ago$/, 'a wide pane also says how old the data shown is');
	assert.match(full[3]!, /^ {2}c:6060 {2}up {3}8 goroutines · restarted: epoch 2 · polled just now$/);
	assert.match(full[4]!, /^total 29 /);
	assert.match(full[5]!, /^1:chan send 15/);
	const short = fleetHeaderLines({view, now, width: 100, rows: 15, stateOrder: ['chan send'], ui}).map(line => line.text);
	assert.equal(short.length, 2);
	assert.equal(short[0], 'gmon 3 targets: 2 up, 1 down · b ✖ nothing listening on b:6060 (connection refused)');
	assert.match(short[1]!, /^total 29 .*│ 1:chan send 15/);
	const picked = fleetHeaderLines({view: createFleetSelector()(fleet(), 2), now, width: 100, rows: 40, stateOrder: [], ui}).map(line => line.text);
	assert.match(picked[0]!, /showing c only/);
	assert.match(picked[3]!, /^▸ c:6060/);
	assert.match(picked[4]!, /^total 8 /, 'the totals are the shown target’s');
});

test('rows: each goroutine says its target; each group its count per target, in columns when wide and as a:12 c:3 when narrow', () => {
	const view = createFleetSelector()(fleet(), undefined);
	const rows = fleetRows(view)!;
	const model = view.merged!.model;
	const ctx = {suspects: createSelector().suspectsByKey(model)};
	const t = model.goroutines.find(g => fleetIndexOf(g.g.id) === 2 && g.g.frames[0]!.func === 'main.fetchQuote')!;
	const row = fleetGoroutineRow(t, fleetGoroutineColumns(80, rows), ctx, rows);
	assert.equal(row.text.length, 80);
	assert.match(row.text, /^\?● +100 c +chan send/);
	const sender = model.groups.find(group => group.where?.func === 'main.fetchQuote')!;
	const wide = fleetGroupColumns(200, rows);
	assert.equal(wide.counts.kind, 'columns');
	assert.match(fleetGroupHeader(wide, rows), /^ {4}COUNT {5}a {5}b {5}c /);
	assert.match(fleetGroupRow(sender, wide, ctx, rows).text, /^\?● +15 +12 +· +3 /);
	assert.equal(fleetGroupRow(sender, wide, ctx, rows).text.length, 200);
	const labels = ['api-1', 'api-2', 'api-3'];
	const narrow = fleetGroupColumns(80, {...rows, labels});
	assert.equal(narrow.counts.kind, 'cell');
	assert.match(fleetGroupRow(sender, narrow, ctx, {...rows, labels}).text, /^\?● +15 api-1:12 api-3:3 /);
	assert.equal(countsCell([12, 0, 3], ['a', 'b', 'c'], 10), 'a:12 c:3  ');
	assert.equal(fleetOnTargets(view)!({type: 'group', key: sender.key}), 'on 2 of 3 targets: a:12 c:3');
	assert.equal(fleetOnTargets(view)!({type: 'goroutine', id: t.g.id}), 'on target c:6060');
});

test('T cycles all targets → each → all; with one target it says what it is for', () => {
	const view = createFleetSelector()(fleet(), undefined);
	const env = {model: view.merged!.model, bodyRows: 20, columns: 100, select: createSelector(), targets: 3};
	let ui = initialUiState();
	const seen: Array<number | undefined> = [];
	for (let i = 0; i < 4; i++) {
		ui = reduce(ui, {type: 'cycleTarget'}, env);
		seen.push(ui.target);
	}
	assert.deepEqual(seen, [0, 1, 2, undefined]);
	const single = reduce(initialUiState(), {type: 'cycleTarget'}, {...env, targets: 1});
	assert.equal(single.target, undefined);
	assert.match(single.message ?? '', /when gmon watches several/);
});

/** The fleet with c's latest dump holding goroutine 100 with its args (the model keeps none). */
function fleetWithArgs(): FleetTarget[] {
	const targets = fleet();
	const raw = [
		{
			...parked(100, 'chan send', 'main.fetchQuote', 47, 21, 1),
			frames: [{func: 'main.fetchQuote', args: '0xc000123456', inlined: false, file: '/src/app/handlers.go', line: 47}],
		},
	];
	targets[2] = {...targets[2]!, poller: {...targets[2]!.poller, last: {...targets[2]!.poller.last!, dump: {kind: 'traceback', goroutines: raw} as never}}};
	return targets;
}

function fleetEnv(targets: FleetTarget[]): Env {
	const view = createFleetSelector()(targets, undefined);
	const select = createSelector();
	return {
		model: view.merged!.model,
		rawOf: fleetRawLookup(view, (raw, id) => select.rawGoroutine(raw, id)),
		targetLabels: view.labels,
		bodyRows: 20,
		columns: 100,
		select,
		targets: targets.length,
		onTargets: fleetOnTargets(view)!,
	};
}

test('a fleet goroutine’s args come from its own target’s dump, under its fleet id; the same goroutine number on another target has none', () => {
	const view = createFleetSelector()(fleetWithArgs(), undefined);
	const lookup = fleetRawLookup(view, (raw, id) => raw?.find(g => g.id === id));
	const id = fleetId(2, 100);
	assert.deepEqual([lookup(id)?.id, lookup(id)?.frames[0]?.args], [id, '0xc000123456']);
	assert.equal(lookup(fleetId(0, 100)), undefined, 'a’s goroutine 100 is not c’s');
});

test('y on a goroutine list row of a fleet saves the stack with its args, as the stack view shows it', () => {
	const env = fleetEnv(fleetWithArgs());
	const id = fleetId(2, 100);
	const list = {...initialUiState(), views: [{kind: 'goroutines' as const, sel: {index: 0, top: 0, key: String(id)}}]};
	const saved = selectedText(list, env)!;
	assert.equal(saved.name, 'gmon-goroutine-100.txt');
	assert.match(saved.text, /^main\.fetchQuote\(0xc000123456\)$/m, 'the args, not (…)');
	assert.match(saved.text, /^on target c:6060$/m);
	const stack = stackContent({kind: 'stack', target: {type: 'goroutine', id}, scroll: 0}, env).lines.map(line => line.text.trimEnd());
	assert.ok(stack.includes('main.fetchQuote(0xc000123456)'), 'the stack view shows the same args');
	const other = {...list, views: [{kind: 'goroutines' as const, sel: {index: 0, top: 0, key: String(fleetId(0, 100))}}]};
	assert.match(selectedText(other, env)!.text, /^main\.fetchQuote\(…\)$/m, 'a’s goroutine 100 is not in any dump with args: (…)');
});

test('a merged group’s members are listed per target with the ON column’s labels, the target with most first; one target lists ids alone', () => {
	const env = fleetEnv(fleet());
	const sender = env.model!.groups.find(group => group.where?.func === 'main.fetchQuote')!;
	const members = (e: Env) => {
		const lines = stackContent({kind: 'stack', target: {type: 'group', key: sender.key}, scroll: 0}, e).lines.map(line => line.text);
		return lines.slice(lines.indexOf('members (15):') + 1);
	};
	assert.deepEqual(members(env), ['a: 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111 · c: 100, 101, 102']);
	const narrow = members({...env, columns: 40});
	assert.deepEqual(narrow, ['a: 100, 101, 102, 103, 104, 105, 106,', '107, 108, 109, 110, 111 · c: 100, 101,', '102']);
	assert.ok(
		narrow.every(line => line.length <= 40),
		'wrapped to the width',
	);
	const {targetLabels: _, ...one} = env;
	assert.deepEqual(members(one), ['100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 100, 101, 102'], 'without labels: the ids as before');
});

test('the tree of a fleet says which target each node runs on: one label, the labels that fit, else all or how many', () => {
	const view = createFleetSelector()(fleet(), undefined);
	const rows = fleetRows(view)!;
	const model = view.merged!.model;
	const byId = new Map(model.goroutines.map(t => [t.g.id, t]));
	const flat = flattenTree(buildCreatorTree({shown: model.goroutines, byId: id => byId.get(id), tierOf: () => 0}), new Set());
	const cols = fleetTreeColumns(80, rows);
	assert.match(fleetTreeHeader(cols, rows), /^ {4}TOTAL {3}OWN ON {3}STATE/);
	const text = flat.map(node => fleetTreeRow(node, cols, rows).text);
	assert.ok(
		text.every(line => line.length === 80),
		'every row fills the width',
	);
	// main.main runs on all three; its workers too (each target's under its own main); the senders on a and c.
	assert.match(text[0]!, /^ {3} +29 {7}all {2}\(parent gone\) +▾ created by main\.handler/, 'a stand-in runs where its subtree runs');
	assert.match(text[1]!, /^ {3} +29 +3 all {2}select +▾ main\.main/);
	assert.match(text[2]!, /^ {3} +15 +15 a,c {2}chan send +main\.fetchQuote/);
	assert.match(text[3]!, /^ {3} +11 +11 all {2}chan receive +main\.worker/);
	const onC = createFleetSelector()(fleet(), 2);
	const treeOfC = flattenTree(
		buildCreatorTree({shown: onC.merged!.model.goroutines, byId: id => onC.merged!.model.goroutines.find(t => t.g.id === id), tierOf: () => 0}),
		new Set(),
	);
	assert.match(fleetTreeRow(treeOfC[0]!, cols, fleetRows(onC)!).text, /^ {3} +8 {7}c {4}\(parent gone\)/, 'T on c: the one label');
	assert.equal(treeTargetCell([0, 2], ['api-1', 'api-2', 'api-3'], 5), '2/3');
	assert.equal(treeTargetCell([1], ['api-1', 'api-2', 'api-3'], 5), 'api-2');
	// The ON column (a space and 4 columns after OWN) is spliced in: without it the row is the one-target row.
	const plain = treeColumns(80 - 5);
	const cut = (line: string) => line.slice(0, 15) + line.slice(20);
	assert.equal(cut(text[1]!), treeRow(flat[1]!, plain).text);
	assert.equal(cut(fleetTreeHeader(cols, rows)), treeHeader(plain));
});

test('labels of long names: dump files keep where their names differ, cut at the end', () => {
	assert.deepEqual(fleetLabels(['dumps/go1.19-big-1642-goroutines.debug2.txt', 'dumps/go1.19-statezoo-all-states.debug2.txt']), [
		'big-1642-gorout…',
		'statezoo-all-st…',
	]);
	assert.deepEqual(fleetLabels(['api-1.prod:6060', 'api-2.prod:6060']), ['api-1', 'api-2'], 'short names keep their dashes');
});

test('a suspect that grew on one target tells its growth once, as the burst it was, on that target (not a rate)', () => {
	const growing = new Tracker();
	const pool = [parked(1, 'select', 'main.main', 10, 0)];
	growing.update({at: 0, goroutines: pool});
	const burst = Array.from({length: 12}, (_, i) => parked(100 + i, 'chan send', 'main.fetchQuote', 47, 21, 1));
	let snapshot = growing.update({at: 30_000, goroutines: [...pool, ...burst]});
	snapshot = growing.update({at: 60_000, goroutines: [...pool, ...burst]});
	assert.ok(snapshot.suspects[0]!.growthStory, 'the replica’s own suspect grew');
	const {model} = mergeFleet(
		[
			{index: 0, label: 'a', snapshot: replica(3, 4)},
			{index: 1, label: 'b', snapshot},
		],
		2,
	);
	const reason = model.suspects[0]!.reason;
	assert.match(reason, /^likely leak: 15 goroutines in chan send at handlers\.go:47 — on 2 of 2 targets, \+12 in one burst 30s ago on b; /);
	assert.equal(reason.split('in one burst').length, 2, `the burst is told once: ${reason}`);
	assert.doesNotMatch(reason, /\/min/);
});
