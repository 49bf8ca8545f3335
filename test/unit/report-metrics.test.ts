// The /metrics exposition without a network: label values from a hostile dump made visible then
// escaped (and accepted by promtool), duplicate label sets merged, cardinality bounded to the top N
// groups plus every suspect, the OpenMetrics dialect Prometheus negotiates, and a down target.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {Group, ModelSnapshot, Suspect} from '../../source/model/types.ts';
import {labelValue, maxLabelLength, negotiate, writeExposition} from '../../source/report/exposition.ts';
import {maxStates, metricFamilies, type MetricsTarget} from '../../source/report/metrics.ts';
import {allPayloads, hostileDump, rawUnsafe} from '../helpers/hostile.ts';
import {hasTool} from '../helpers/tools.ts';

function target(snapshot: ModelSnapshot | undefined, extra: Partial<MetricsTarget> = {}): MetricsTarget {
	return {
		target: 'a:6060',
		up: snapshot !== undefined,
		...(snapshot ? {snapshot, lastPoll: {at: 1_700_000_000_000, durationMs: 12.5, bytes: 4096}} : {}),
		intervalMs: 2000,
		effectiveIntervalMs: 2000,
		polls: snapshot ? 3 : 0,
		errors: {},
		...extra,
	};
}

/** A group at `func` (file f.go, line) with `count` members: the parts of Group the exposition reads. */
function group(key: string, func: string, line: number, count: number, state = 'chan send'): Group {
	const frame = {func, file: '/src/f.go', line, offset: 0, inlined: false, args: ''};
	return {key, by: 'stack', count, state, states: {[state]: count}, where: frame, sample: {frames: [frame]}, stuck: 0} as unknown as Group;
}

function snapshotOf(groups: Group[], suspects: Suspect[] = []): ModelSnapshot {
	const states: Record<string, number> = {};
	for (const g of groups) states[g.state] = (states[g.state] ?? 0) + g.count;
	return {epoch: 1, poll: 3, at: 0, total: groups.reduce((s, g) => s + g.count, 0), states, goroutines: [], groups, suspects} as unknown as ModelSnapshot;
}

const suspectOf = (g: Group, tier: Suspect['tier'] = 'likely', groupKeys = [g.key]): Suspect =>
	({groupKey: groupKeys[0], groupKeys, tier, count: g.count, state: g.state, where: g.where, reason: '', proven: tier === 'proven', score: 1}) as Suspect;

test('a label value is made visible (no control character survives), cut, then escaped as the format wants', () => {
	assert.equal(labelValue('main.(*T).run'), 'main.(*T).run');
	assert.equal(labelValue('a\\b"c'), 'a\\\\b\\"c');
	// A newline never reaches the escaper: visible() turns it into a space, one line stays one line.
	assert.equal(labelValue('a\nb'), 'a b');
	// ESC is shown as the text \x1b, whose backslash the format then doubles: Prometheus reads back `\x1b`.
	assert.equal(labelValue('a\u001B[2Jb'), 'a\\\\x1b[2Jb');
	assert.deepEqual(rawUnsafe(labelValue(allPayloads)), []);
	assert.equal(labelValue('x'.repeat(5000)).length, maxLabelLength);
});

test('a hostile dump exports series with no raw control character, and promtool accepts the exposition', t => {
	const tracker = new Tracker({});
	const snapshot = tracker.update({goroutines: parseDump(hostileDump()).goroutines, at: 1000});
	const text = writeExposition(metricFamilies([target(snapshot)], {topGroups: 20}), 'text');
	assert.deepEqual(rawUnsafe(text), []);
	assert.match(text, /gmon_group_goroutines\{target="a:6060",function="main\.evil\\\\x1b\[2J/);
	if (!hasTool('promtool')) {
		t.diagnostic('promtool not installed: format checked by the assertions above only');
		return;
	}
	execFileSync('promtool', ['check', 'metrics'], {input: text, stdio: ['pipe', 'pipe', 'pipe']});
});

test('two groups whose labels are equal (same line, different stacks) become one summed series, never a duplicate', () => {
	const snapshot = snapshotOf([group('s1', 'main.w', 10, 4), group('s2', 'main.w', 10, 3)]);
	const text = writeExposition(metricFamilies([target(snapshot)], {topGroups: 20}), 'text');
	const lines = text.split('\n').filter(line => line.startsWith('gmon_group_goroutines{'));
	assert.deepEqual(lines, ['gmon_group_goroutines{target="a:6060",function="main.w",file="/src/f.go",line="10",state="chan send"} 7']);
});

test('cardinality: the top N groups plus every suspect, however many groups the target has', () => {
	const groups = Array.from({length: 500}, (_, i) => group(`k${i}`, `main.f${i}`, i + 1, 1000 - i));
	const small = groups[499]!;
	const snapshot = snapshotOf(groups, [suspectOf(small)]);
	const text = writeExposition(metricFamilies([target(snapshot)], {topGroups: 5}), 'text');
	const series = text.split('\n').filter(line => line.startsWith('gmon_group_goroutines{'));
	assert.equal(series.length, 6, 'five largest and the suspect');
	assert.ok(
		series.some(line => line.includes('function="main.f499"')),
		'a suspect outside the top N is exported',
	);
	assert.ok(series.some(line => line.includes('function="main.f0"')));
	assert.ok(!series.some(line => line.includes('function="main.f5"')), 'the sixth largest is not');
	const zero = writeExposition(metricFamilies([target(snapshot)], {topGroups: 0}), 'text');
	assert.equal(zero.split('\n').filter(line => line.startsWith('gmon_group_goroutines{')).length, 1, '--metrics-top 0: suspects only');
});

test('a dump inventing states: at most maxStates state series per target, the rest summed as other', () => {
	const groups = Array.from({length: maxStates + 30}, (_, i) => group(`k${i}`, 'main.f', i + 1, 1, `state ${i}`));
	const text = writeExposition(metricFamilies([target(snapshotOf(groups))], {topGroups: 0}), 'text');
	const series = text.split('\n').filter(line => line.startsWith('gmon_goroutines{'));
	assert.equal(series.length, maxStates + 1);
	assert.ok(series.includes('gmon_goroutines{target="a:6060",state="other"} 30'));
});

test('a suspect series carries the model’s tier; every group at a suspect site is exported, however small', () => {
	const big = group('big', 'main.busy', 3, 50, 'select');
	const a = group('a', 'main.leak', 7, 9);
	const b = group('b', 'main.leak', 7, 2);
	const snapshot = snapshotOf([big, a, b], [suspectOf(a, 'possible', ['a', 'b'])]);
	const text = writeExposition(metricFamilies([target(snapshot)], {topGroups: 1}), 'text');
	assert.match(text, /^gmon_suspect_goroutines\{target="a:6060",function="main\.leak",file="\/src\/f\.go",line="7",state="chan send",tier="possible"\} 9$/m);
	// Both stack variants stand at line 7: one series, summed.
	assert.match(text, /^gmon_group_goroutines\{target="a:6060",function="main\.leak",file="\/src\/f\.go",line="7",state="chan send"\} 11$/m);
	const proven = writeExposition(metricFamilies([target(snapshotOf([a], [suspectOf(a, 'proven')]))], {topGroups: 1}), 'text');
	assert.match(proven, /tier="proven"\} 9$/m);
});

test('a target that never answered is down with its errors counted, and has no goroutine series', () => {
	const text = writeExposition(metricFamilies([target(undefined, {errors: {refused: 4}})], {topGroups: 20}), 'text');
	assert.match(text, /^gmon_up\{target="a:6060"\} 0$/m);
	assert.match(text, /^gmon_poll_errors_total\{target="a:6060",kind="refused"\} 4$/m);
	assert.doesNotMatch(text, /^gmon_goroutines\{/m);
	assert.doesNotMatch(text, /^gmon_poll_duration_seconds\{/m);
});

test('OpenMetrics when the scraper asks (Prometheus does): counter families named without _total, # EOF last', () => {
	assert.equal(negotiate('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'), 'openMetrics');
	assert.equal(negotiate('text/plain'), 'text');
	assert.equal(negotiate(undefined), 'text');
	const families = metricFamilies([target(snapshotOf([group('k', 'main.w', 1, 2)]))], {topGroups: 20});
	const open = writeExposition(families, 'openMetrics');
	assert.match(open, /^# TYPE gmon_polls counter\ngmon_polls_total\{target="a:6060"\} 3$/m);
	assert.ok(open.endsWith('# EOF\n'));
	const classic = writeExposition(families, 'text');
	assert.match(classic, /^# TYPE gmon_polls_total counter$/m);
	assert.doesNotMatch(classic, /# EOF/);
});
