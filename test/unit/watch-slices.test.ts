// A big dump is tracked in slices: the watch engine lets the event loop in while the model takes in
// its goroutines (keys answer meanwhile), and the model it publishes is the one a whole update gives.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {buildConfig} from '../../source/config.ts';
import {parseDump} from '../../source/dump/parse.ts';
import {createSource} from '../../source/fetch/create-source.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {ModelSnapshot} from '../../source/model/types.ts';
import {AT_ONCE_GOROUTINES, createWatch} from '../../source/watch/engine.ts';

test('a dump bigger than one slice reaches the model across event-loop turns, equal to a whole update', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-slices-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const path = join(dir, 'dump.txt');
	const count = AT_ONCE_GOROUTINES * 4;
	const blocks: string[] = [];
	for (let id = 1; id <= count; id++) {
		const [state, func] = id % 3 === 0 ? ['chan send', 'main.produce'] : ['select', 'main.loop'];
		blocks.push(`goroutine ${id} [${state}]:\n${func}()\n\t/app/main.go:${10 + (id % 5)} +0x1d\ncreated by main.start\n\t/app/main.go:5 +0x2a\n`);
	}
	const text = blocks.join('\n');
	writeFileSync(path, text);

	// --watch: a repeating source, so the engine runs the remembering model the TUI runs.
	const engine = createWatch(createSource(buildConfig(path, {watch: true}, {pathKind: () => 'file'})), {intervalMs: 60_000, maxOverheadPct: 0});
	t.after(() => engine.stop());
	let turns = 0;
	let turning = true;
	const turn = (): void => {
		turns++;
		if (turning) setImmediate(turn);
	};
	setImmediate(turn);
	let turnsAtDump: number | undefined;
	engine.poller.subscribe(() => {
		if (engine.poller.getState().last && turnsAtDump === undefined) turnsAtDump = turns;
	});
	const model = await new Promise<ModelSnapshot>(resolve => {
		engine.subscribe(() => {
			const state = engine.getState();
			if (state.model) resolve(state.model);
		});
	});
	turning = false;
	assert.ok(turnsAtDump !== undefined);
	assert.ok(turns > turnsAtDump + 2, `the event loop turned ${turns - turnsAtDump} times while ${count} goroutines were tracked`);

	const whole = new Tracker().update({goroutines: parseDump(text).goroutines, at: engine.getState().dump!.at});
	assert.equal(model.total, count);
	assert.deepEqual(model.states, whole.states);
	assert.deepEqual(
		model.groups.map(group => [group.key, group.count, group.ids.length]),
		whole.groups.map(group => [group.key, group.count, group.ids.length]),
	);
	assert.deepEqual(
		model.suspects.map(suspect => suspect.reason),
		whole.suspects.map(suspect => suspect.reason),
	);
});
