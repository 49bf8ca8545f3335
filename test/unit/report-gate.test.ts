// The leak gate behind --fail-on TIER and --fail-on-suspects[=N]: it counts goroutines in suspects
// of the tier or above (likely by default), fails at N (1 by default), and at any proven leak.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {leakGate} from '../../source/report/gate.ts';

// The lab program: four goroutines blocked forever (nil channels, `select {}`), each a likely
// suspect of one, and three senders parked in user code, possible suspects.
const dump = parseDump(readFileSync(new URL('../fixtures/dumps/go1.19-statezoo-all-states.debug2.txt', import.meta.url)));
const {suspects} = new Tracker().update({goroutines: dump.goroutines, at: 0});
const likely = suspects.filter(s => s.tier === 'likely');
const possible = suspects.filter(s => s.tier === 'possible');

test('the lab dump has four likely suspects of one goroutine and possible ones below them', () => {
	assert.equal(likely.length, 4);
	assert.ok(likely.every(s => s.count === 1));
	assert.equal(
		possible.reduce((n, s) => n + s.count, 0),
		3,
	);
	assert.ok(suspects.indexOf(likely.at(-1)!) < suspects.indexOf(possible[0]!), 'likely ranks above possible');
});

test('by default the gate counts likely-or-above goroutines and fails at the threshold, passes below it', () => {
	assert.deepEqual(
		[1, 4, 5].map(threshold => leakGate(suspects, {threshold}).failed),
		[true, true, false],
	);
	const failed = leakGate(suspects, {threshold: 4});
	assert.equal(failed.suspects, 4);
	assert.equal(failed.message, `leak gate failed: 4 likely-or-above suspect goroutines (threshold 4); top: ${suspects[0]!.reason}`);
	assert.equal(
		leakGate(suspects, {threshold: 5}).message,
		'leak gate passed: 4 likely-or-above suspect goroutines (fails at 5); 2 weaker suspects not counted',
	);
});

test('--fail-on possible counts the possible suspects too; --fail-on proven only proven leaks', () => {
	assert.equal(leakGate(suspects, {failOn: 'possible', threshold: 7}).failed, true);
	assert.equal(leakGate(suspects, {failOn: 'possible', threshold: 7}).suspects, 7);
	assert.equal(leakGate(suspects, {failOn: 'proven'}).failed, false);
	assert.equal(leakGate(possible, {}).failed, false, 'possible suspects alone pass the default gate');
});

test('no suspects never fails', () => {
	assert.equal(leakGate([]).failed, false);
});

test('a leak proven by Go fails whatever the threshold and tier', () => {
	const proven = [{...suspects[0]!, tier: 'proven' as const, proven: true, leaked: 1, reason: `proven leak: ${suspects[0]!.reason}`}, ...suspects.slice(1)];
	const gate = leakGate(proven, {threshold: 1000, failOn: 'proven'});
	assert.equal(gate.failed, true);
	assert.equal(gate.proven, 1);
	assert.match(gate.message, /^leak gate failed: Go proved 1 goroutine leaked; top: proven leak: /);
});
