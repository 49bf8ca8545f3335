// GroupHistory holds the epoch's first poll as bare counts (a one-shot report records one poll):
// its trends must read as the series a first poll makes, and a second poll must build those series.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {GroupHistory} from '../../source/model/group-history.ts';

test('a group history reads its first poll as one point, and builds the same series when a second poll comes', () => {
	const history = new GroupHistory(120, 5 * 60_000);
	history.record(
		new Map([
			['a', 5],
			['b', 2],
		]),
		1000,
		-Infinity,
	);
	assert.deepEqual(history.trend('a'), {history: [5], growth: 0, growthPerMin: 0, delta: 5, firstAt: 1000});
	assert.equal(history.trend('c'), undefined);
	assert.equal(history.growthStory('a'), undefined);
	assert.equal(history.size, 2);

	history.record(
		new Map([
			['a', 7],
			['c', 3],
		]),
		61_000,
		-Infinity,
	);
	assert.deepEqual(history.trend('a'), {history: [5, 7], growth: 2, growthPerMin: 2, delta: 2, firstAt: 1000});
	assert.deepEqual(history.trend('b'), {history: [2, 0], growth: -2, growthPerMin: -2, delta: -2, firstAt: 1000});
	// Appeared after the first poll: grew from nothing at the previous poll's time.
	assert.deepEqual(history.trend('c'), {history: [0, 3], growth: 3, growthPerMin: 3, delta: 3, firstAt: 61_000});
	assert.deepEqual(history.growthStory('c'), {added: 3, steps: 1, firstRiseAt: 61_000, lastRiseAt: 61_000});
	assert.equal(history.size, 3);

	history.clear();
	history.record(new Map([['b', 4]]), 70_000, -Infinity);
	assert.deepEqual(history.trend('b'), {history: [4], growth: 0, growthPerMin: 0, delta: 4, firstAt: 70_000});
	assert.equal(history.trend('a'), undefined);
});
