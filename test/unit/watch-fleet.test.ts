// The store of the live view of several targets: one watch engine per target, each target's poller
// and model side by side, the target commands acting on all of them, and `w` writing each dump.
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {buildConfig} from '../../source/config.ts';
import {ManualTimers} from '../../source/fetch/timers.ts';
import {createFleetMonitor} from '../../source/watch/fleet.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const zoo = new URL('go1.19-statezoo-all-states.debug2.txt', dumps).pathname;
const big = new URL('go1.19-big-1642-goroutines.debug2.txt', dumps).pathname;

test('two dumps in one fleet store: each its own engine and model; pause and the interval act on all; w writes each', async t => {
	const cwd = mkdtempSync(join(tmpdir(), 'gmon-fleet-'));
	t.after(() => rmSync(cwd, {recursive: true, force: true}));
	const fleet = createFleetMonitor([buildConfig(zoo), buildConfig(big)], {cwd, timers: new ManualTimers()});
	t.after(() => fleet.control.stop());
	await Promise.all(fleet.engines.map(engine => engine.poller.whenIdle()));
	const state = fleet.getState();
	assert.equal(state.model, undefined, 'the view merges the models, the store does not');
	assert.deepEqual(
		state.fleet?.targets.map(target => [target.name, target.model?.total]),
		[
			[zoo, 42],
			[big, 1642],
		],
	);
	fleet.control.pause();
	assert.ok(fleet.engines.every(engine => engine.poller.getState().paused));
	assert.equal(fleet.getState().poller.paused, true, 'the stand-in poller is paused when every target is');
	fleet.control.resume();
	fleet.control.setIntervalMs(5000);
	assert.ok(fleet.engines.every(engine => engine.poller.getState().intervalMs === 5000));

	const wrote = await fleet.control.writeDump();
	assert.match(wrote, /^2 dumps into .*gmon-dumps\/: gmon-.*\.txt, gmon-.*\.txt$/);
	const files = readdirSync(join(cwd, 'gmon-dumps')).sort();
	assert.equal(files.length, 2);
	const sizes = files.map(file => readFileSync(join(cwd, 'gmon-dumps', file)).length).sort((a, b) => a - b);
	assert.deepEqual(
		sizes,
		[readFileSync(zoo).length, readFileSync(big).length].sort((a, b) => a - b),
	);
});
