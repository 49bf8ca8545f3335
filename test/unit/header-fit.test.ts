// Issues 13 and 14 at the default 80 columns: the title line keeps the cost to the target and a
// slow poll's clock and limit whole (it gives up the dump's size first), and the suspects segment
// says when every verdict is a heuristic. One rule (model/proof.ts) feeds the TUI and the reports.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {leakProof, proofSentence} from '../../source/model/proof.ts';
import {formatTextReport} from '../../source/report/text.ts';
import {buildJsonReport} from '../../source/report/json.ts';
import type {ReportInput} from '../../source/report/types.ts';
import {emptyListText, headerLines} from '../../source/view/chrome.ts';
import {initialUiState} from '../../source/view/reducer.ts';
import {groupStackLines} from '../../source/view/stack-lines.ts';
import {watchProof} from '../../source/watch/proof.ts';
import {pollerState, snapshot, suspect, tracked} from '../helpers/fake-store.ts';

const ui = initialUiState();
const base = {width: 80, compact: false, stateOrder: ['chan send'], ui};
const last = {at: 100_000, durationMs: 13, bytes: 6451, debug: 2 as const, dump: {goroutines: []} as never, truncated: false};
const leak = [1, 2, 3].map(id => tracked({id, state: 'chan send'}));
const model = snapshot(leak, {suspects: [suspect({groupKey: 'k'})]});

test('at 80 columns the title keeps the pause and the share frozen whole, giving up the dump size and fetch time', () => {
	const poller = pollerState({last, pauses: [{at: 100_000, ms: 40}], since: 60_000});
	const [title] = headerLines({...base, model, now: 101_000, poller});
	assert.equal(title!.text, 'gmon localhost:6060 · polled just now · pause 40ms, frozen 0.1% · every 2s');
	const [wide] = headerLines({...base, width: 200, model, now: 101_000, poller});
	assert.match(wide!.text, /polled just now in 13ms, 6\.3 KiB · pause 40ms, frozen 0\.1% · every 2s$/, 'a wide pane says everything');
	const [narrow] = headerLines({...base, width: 60, compact: true, model, now: 101_000, poller});
	assert.match(narrow!.text, /· just now · pause 40ms, frozen 0\.1%$/, 'at 60 columns the cost still shows whole');
});

test('a stretched interval keeps its numbers; only its reason is cut at the end', () => {
	const poller = pollerState({
		last,
		pauses: [{at: 100_000, ms: 40}],
		since: 60_000,
		effectiveIntervalMs: 28_000,
		stretchedReason: 'each full dump freezes the target ~1.4s; --max-overhead 5%',
	});
	const [title] = headerLines({...base, model, now: 101_000, poller});
	assert.ok(title!.text.length <= 80);
	assert.match(title!.text, /· pause 40ms, frozen 0\.1% · full dump every 28s$/);
});

test('waiting for the first poll at 80 columns shows the elapsed time and the limit; the empty list names the flag', () => {
	const poller = pollerState({target: '127.0.0.1:40123', polling: true, pollStartedAt: 10_000, deadline: {ms: 60_000, flag: '--headers-timeout'}});
	const [title] = headerLines({...base, model: undefined, now: 13_400, poller});
	assert.equal(title!.text, 'gmon 127.0.0.1:40123 · waiting for the first poll… 3s of 1m · every 2s');
	assert.equal(emptyListText('goroutines', undefined, poller, ui, {now: 13_400}), 'waiting for the first poll… 3s of 1m (--headers-timeout)');
	assert.equal(emptyListText('goroutines', undefined, poller, ui, {now: 10_500}), 'waiting for the first poll…', 'no clock in the first two seconds');
});

test('without a goroutineleak profile the suspects segment says heuristics only, even with no suspects', () => {
	const header = (poller: ReturnType<typeof pollerState>, m = model) => headerLines({...base, model: m, now: 101_000, poller: {...poller, last}})[1]!.text;
	assert.match(header(pollerState({leakProfile: 'absent'})), /· suspects 1 \(heuristics only\)/);
	assert.match(header(pollerState({leakProfile: 'absent'}), snapshot(leak)), /· suspects 0 \(heuristics only\)/);
	assert.doesNotMatch(header(pollerState({leakProfile: 'present'})), /heuristics/, "Go's proofs: nothing extra");
	assert.doesNotMatch(header(pollerState({leakProfile: 'unknown'})), /heuristics|suspects 0/, 'not probed yet: nothing to say');
});

test('a saved dump is heuristics only unless Go marked goroutines (leaked) in it', () => {
	const offline = {leakProfile: 'absent' as const, offline: true as const};
	assert.equal(watchProof(offline, model)?.available, false);
	assert.match(watchProof(offline, model)!.why, /no \(leaked\) marks in this dump/);
	const marked = snapshot(leak, {groupExtra: {}}) as ReturnType<typeof snapshot>;
	const proven = {...marked, groups: marked.groups.map(group => ({...group, leaked: group.count}))};
	assert.deepEqual(watchProof(offline, proven), leakProof({leakProfile: 'present', offline: false, marked: false}));
	assert.match(watchProof({leakProfile: 'absent'}, model)!.why, /the target serves no goroutineleak profile \(Go before 1\.26/);
});

test("a suspect's stack view gives the reason; the text and JSON reports say it from the same rule", () => {
	const proof = watchProof({leakProfile: 'absent'}, model)!;
	const lines = groupStackLines(model.groups[0]!, 80, {suspect: model.suspects[0]!, proof}).map(line => line.text);
	assert.ok(
		lines.some(line => line.startsWith('heuristics only: the target serves no goroutineleak profile')),
		lines.join('\n'),
	);
	const input: ReportInput = {
		target: 'localhost:6060',
		kind: 'traceback',
		snapshot: model,
		polls: {count: 1, first: {at: 0, fetchMs: 1, bytes: 1, truncated: false}, last: {at: 0, fetchMs: 1, bytes: 1, truncated: false}},
		errors: [],
		hideIdle: false,
		proof,
	};
	const text = formatTextReport(input, {color: false});
	assert.match(text.replace(/\n\s+/g, ' '), new RegExp(`Verdicts: ${proofSentence(proof).replace(/[().]/g, '\\$&')}`));
	assert.deepEqual(buildJsonReport(input).leakProof, {available: false, summary: 'heuristics only', why: proof.why});
	const {proof: _, ...unknown} = input;
	assert.equal(buildJsonReport(unknown).leakProof, null);
});
