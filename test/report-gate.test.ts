// The leak gate behind --fail-on-suspects[=N]: fails at N suspect goroutines, or at any proven leak.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDump} from '../source/dump/parse.ts';
import {Tracker} from '../source/model/tracker.ts';
import {leakGate} from '../source/report/gate.ts';

// The lab program's four goroutines blocked forever (nil channels, `select {}`): four suspects of one each.
const dump = parseDump(readFileSync(new URL('./fixtures/dumps/go1.19-statezoo-all-states.debug2.txt', import.meta.url)));
const {suspects} = new Tracker().update({goroutines: dump.goroutines, at: 0});

test('fails when the suspect goroutines reach the threshold, passes below it', () => {
	assert.equal(suspects.length, 4);
	assert.deepEqual(
		[1, 4, 5].map(threshold => leakGate(suspects, threshold).failed),
		[true, true, false],
	);
	const failed = leakGate(suspects, 4);
	assert.equal(failed.suspects, 4);
	assert.equal(failed.message, `leak gate failed: 4 suspect goroutines (threshold 4); top: ${suspects[0]!.reason}`);
	assert.equal(leakGate(suspects, 5).message, 'leak gate passed: 4 suspect goroutines (fails at 5)');
});

test('no suspects never fails', () => {
	assert.equal(leakGate([], 1).failed, false);
});

test('a leak proven by Go fails whatever the threshold', () => {
	const proven = [{...suspects[0]!, proven: true, leaked: 1, reason: `proven leak: ${suspects[0]!.reason}`}, ...suspects.slice(1)];
	const gate = leakGate(proven, 1000);
	assert.equal(gate.failed, true);
	assert.equal(gate.proven, 1);
	assert.match(gate.message, /^leak gate failed: Go proved 1 goroutine leaked; top: proven leak: /);
});
