// `gmon diff`: groups that appeared, vanished, grew or shrank between two real dumps, in a
// stable order — as a pure function and through the real binary.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {parseDump} from '../source/dump/parse.ts';
import {Tracker} from '../source/model/tracker.ts';
import type {GroupBy} from '../source/model/types.ts';
import {buildDiffJson, diffSnapshots, formatDiffText} from '../source/report/diff.ts';
import schema from '../source/report/schema.json' with {type: 'json'};
import {validate} from './helpers/json-schema.ts';
import {fixture, runCli} from './helpers/run-cli.ts';

const fixtures = new URL('./fixtures/dumps/', import.meta.url);
const snapshotOf = (name: string, groupBy: GroupBy = 'stack') =>
	new Tracker({groupBy}).update({goroutines: parseDump(readFileSync(new URL(name, fixtures))).goroutines, at: 0});

// The same lab program: captured at 2 s, and again 2 min 26 s later with GC stamping wait minutes.
const before = 'go1.19-statezoo-all-states.debug2.txt';
const after = 'go1.19-wait-2-minutes-locked.debug2.txt';
const names = {before: 'before.txt', after: 'after.txt'};

describe('diffSnapshots', () => {
	test('finds the one stack that appeared and the one that grew; wait minutes alone change nothing', () => {
		const diff = diffSnapshots(snapshotOf(before), snapshotOf(after), names);
		assert.deepEqual(diff.before, {name: 'before.txt', total: 42, groups: 37});
		assert.deepEqual(diff.after, {name: 'after.txt', total: 44, groups: 38});
		const changed = diff.changes.filter(change => change.change !== 'unchanged');
		assert.deepEqual(
			changed.map(change => [change.change, change.state, change.where?.func, change.before, change.after]),
			[
				['appeared', 'chan receive', 'main.main.func17', 0, 1],
				['grew', 'runnable', 'main.spinner', 1, 2],
			],
		);
		assert.equal(diff.changes.filter(change => change.change === 'unchanged').length, 36);
	});

	test('reversed, what appeared has vanished and what grew has shrunk', () => {
		const diff = diffSnapshots(snapshotOf(after), snapshotOf(before), names);
		const changed = diff.changes.filter(change => change.change !== 'unchanged');
		assert.deepEqual(
			changed.map(change => [change.change, change.where?.func, change.delta]),
			[
				['shrank', 'main.spinner', -1],
				['vanished', 'main.main.func17', -1],
			],
		);
	});

	test('the order is stable: the same inputs give the same list, biggest change first within a kind', () => {
		const big = 'go1.19-big-1642-goroutines.debug2.txt';
		const first = diffSnapshots(snapshotOf(before), snapshotOf(big), names);
		const second = diffSnapshots(snapshotOf(before), snapshotOf(big), names);
		assert.deepEqual(
			first.changes.map(change => change.key),
			second.changes.map(change => change.key),
		);
		const appeared = first.changes.filter(change => change.change === 'appeared');
		assert.deepEqual(
			appeared.slice(0, 3).map(change => change.delta),
			[400, 400, 400],
		);
		for (let index = 1; index < appeared.length; index++) assert.ok(appeared[index - 1]!.delta >= appeared[index]!.delta);
	});

	test('--group-by where matches by the place in user code instead of the whole stack', () => {
		const byStack = diffSnapshots(snapshotOf(before), snapshotOf('go1.19-big-1642-goroutines.debug2.txt'), names);
		const byWhere = diffSnapshots(snapshotOf(before, 'where'), snapshotOf('go1.19-big-1642-goroutines.debug2.txt', 'where'), names);
		assert.equal(byWhere.by, 'where');
		// The recursion of main.deep at different depths is several stacks but one place.
		const deepStacks = byStack.changes.filter(change => change.where?.func === 'main.deep').length;
		const deepPlaces = byWhere.changes.filter(change => change.where?.func === 'main.deep').length;
		assert.ok(deepStacks > 1 && deepPlaces === 1, `${deepStacks} stacks, ${deepPlaces} places`);
	});

	test('identical dumps: every group unchanged, and the text says so', () => {
		const diff = diffSnapshots(snapshotOf(before), snapshotOf(before), names);
		assert.ok(diff.changes.every(change => change.change === 'unchanged' && change.delta === 0));
		assert.match(formatDiffText(diff, {color: false}), /No differences by stack\.\n$/);
	});

	test('the JSON form validates against the schema', () => {
		const document = JSON.parse(JSON.stringify(buildDiffJson(diffSnapshots(snapshotOf(before), snapshotOf(after), names), 1)));
		assert.deepEqual(validate(schema, document), []);
		assert.equal(document.delta, 2);
	});
});

describe('gmon diff BEFORE AFTER', {concurrency: 2}, () => {
	test('prints the readable diff with counts and exits 0', async () => {
		// Relative to the repo (runCli's cwd), so the names fit the 100 columns uncut.
		const relative = (name: string) => `test/fixtures/dumps/${name}`;
		const result = await runCli(['diff', relative(before), relative(after)]);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stderr, '');
		const lines = result.stdout.split('\n');
		assert.equal(lines[0], 'gmon diff by stack: 42 → 44 goroutines (+2), 37 → 38 groups');
		assert.equal(lines[1], `  before  ${relative(before)}`);
		assert.equal(lines[2], `  after   ${relative(after)}`);
		assert.match(
			result.stdout,
			/^Appeared \(in AFTER only\): 1 group, \+1 goroutines\n.*DELTA {2}BEFORE → AFTER {2}STATE +WHERE\n {6}\+1 {5}0 → 1 {4} chan receive +main\.main\.func17 {2}main\.go:319 {2}← main\.main$/m,
		);
		assert.match(result.stdout, /^Grew: 1 group, \+1 goroutines$/m);
		assert.match(result.stdout, /^Unchanged: 36 groups \(41 goroutines\)$/m);
		for (const line of lines) assert.ok([...line].length <= 100, line);
	});

	test('--json reads one side from stdin and validates', async () => {
		const result = await runCli(['diff', '--json', '-', fixture(after)], {stdin: readFileSync(new URL(before, fixtures))});
		assert.equal(result.code, 0, result.stderr);
		const document = JSON.parse(result.stdout);
		assert.deepEqual(validate(schema, document), []);
		assert.equal(document.before.name, 'stdin');
		assert.deepEqual(
			document.changes.slice(0, 2).map((change: {change: string}) => change.change),
			['appeared', 'grew'],
		);
	});

	test('a side that is not a dump exits 2 with one line', async () => {
		const result = await runCli(['diff', fixture(before), fixture('README.md')]);
		assert.equal(result.code, 2);
		assert.equal(result.stdout, '');
		assert.match(result.stderr, /^gmon: .*README\.md is not a goroutine dump.*\n$/);
	});
});
