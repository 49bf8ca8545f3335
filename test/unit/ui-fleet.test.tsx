// The App over a store of several targets (as watch/fleet.ts gives it): the header line per
// target, the target column, the groups' count per target, and T, drawn by Ink into a fake terminal.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Goroutine} from '../../source/dump/types.ts';
import type {PollerState} from '../../source/fetch/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {App} from '../../source/ui/app.tsx';
import type {MonitorState, MonitorStore} from '../../source/watch/types.ts';
import {renderTty} from '../helpers/render-tty.tsx';

const now = 1_000_000;

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
		frames: [{func, args: '', inlined: false, file: '/src/app/handlers.go', line}],
		createdBy: {func: 'main.handler', file: '/src/app/handlers.go', line: 20, parentId: 1},
	};
}

function replica(leaked: number, workers: number) {
	return new Tracker().update({
		at: now - 1000,
		goroutines: [
			...Array.from({length: workers}, (_, i) => parked(10 + i, 'chan receive', 'main.worker', 12, 0)),
			...Array.from({length: leaked}, (_, i) => parked(100 + i, 'chan send', 'main.fetchQuote', 47, 21)),
		],
	});
}

function poller(target: string): PollerState {
	const last = {at: now - 1000, durationMs: 20, bytes: 1000, debug: 2 as const, dump: {kind: 'traceback', goroutines: []} as never, truncated: false};
	return {target, last, leakProfile: 'unknown', paused: false, polling: false, intervalMs: 1000, effectiveIntervalMs: 1000, pauses: []};
}

function fleetStore(): MonitorStore {
	const state: MonitorState = {
		poller: poller('a:6060'),
		fleet: {
			targets: [
				{name: 'a:6060', poller: poller('a:6060'), model: replica(12, 4)},
				{name: 'b:6060', poller: poller('b:6060'), model: replica(3, 2)},
			],
		},
	};
	const none = () => {};
	return {
		subscribe: () => none,
		getState: () => state,
		control: {
			pause: none,
			resume: none,
			refreshNow: none,
			pollNow: none,
			setIntervalMs: none,
			setGroupBy: none,
			writeDump: async () => '',
			writeText: async () => '',
			stop: async () => {},
		},
	};
}

test('two targets in the App: a line each, the target column, counts per target, and T showing one then all', async () => {
	const view = await renderTty(<App store={fleetStore()} clock={() => now} noColor />, {columns: 100, rows: 30});
	try {
		let lines = view.lines();
		assert.equal(lines[0], 'gmon 2 targets: 2 up');
		assert.match(lines[1]!, /^ {2}a:6060 {2}up {2}16 goroutines · polled just now/);
		assert.match(lines[2]!, /^ {2}b:6060 {2}up {3}5 goroutines/);
		assert.match(lines[3]!, /^total 21 /);
		assert.match(lines[5]!, /^ +ID ON STATE/);
		assert.match(lines[6]!, /^\?.> +100 a +chan send/);
		assert.match(lines.at(-1)!, /T target/, 'the footer offers T with several targets');
		await view.press('\t');
		lines = view.lines();
		assert.match(lines[5]!, /^ {4}COUNT {5}a {5}b +Δ/);
		assert.match(lines[6]!, /^\?.> +15 +12 +3 /);
		await view.press('T');
		lines = view.lines();
		assert.equal(lines[0], 'gmon 2 targets: 2 up · showing a only (T: next)');
		assert.match(lines[1]!, /^▸ a:6060/);
		assert.match(lines[6]!, /^\?.> +12 +12 +· /);
		assert.match(lines.at(-2)!, /target a:6060/);
		await view.press('T', 'T');
		assert.equal(view.lines()[0], 'gmon 2 targets: 2 up');
	} finally {
		view.unmount();
	}
});

test('one target looks as it always did: no target column, no T in the footer, and T says what it is for', async () => {
	const single = fleetStore();
	const state: MonitorState = {poller: poller('a:6060'), model: replica(12, 4)};
	const view = await renderTty(<App store={{...single, getState: () => state}} clock={() => now} noColor />, {columns: 100, rows: 30});
	try {
		const lines = view.lines();
		assert.match(lines[0]!, /^gmon a:6060 · polled just now/);
		assert.match(lines[3]!, /^ +ID STATE/);
		assert.doesNotMatch(lines.at(-1)!, /T target/);
		await view.press('T');
		assert.match(view.lines().at(-2)!, /T picks a target when gmon watches several/);
	} finally {
		view.unmount();
	}
});
