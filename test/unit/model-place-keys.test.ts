// Group keys are content that outlives a run (a selection follows them, a diff of two reports
// matches them): their text must not change with how they are built.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Frame} from '../../source/dump/types.ts';
import {stackGroupKey} from '../../source/model/place.ts';

const frame = (func: string, line: number): Frame => ({func, args: '', inlined: false, file: '/app/main.go', line});

test('a stack key is the state, each frame as func:line and the creator after <, joined by bars; no frames leave an empty field', () => {
	const creator = {func: 'main.main', file: '/app/main.go', line: 20};
	assert.equal(
		stackGroupKey('chan receive', [frame('main.worker', 12), frame('main.run', 0)], creator),
		'chan receive|main.worker:12|main.run:0|<main.main:20',
	);
	assert.equal(stackGroupKey('select', [frame('main.loop', 7)], undefined), 'select|main.loop:7|<');
	assert.equal(stackGroupKey('running', [], creator), 'running||<main.main:20');
	// A debug=1 record: no state, no creator.
	assert.equal(stackGroupKey('', [frame('main.worker', 12)], undefined), '|main.worker:12|<');
	assert.equal(stackGroupKey('', [], undefined), '||<');
});
