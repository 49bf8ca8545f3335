// What the views say must hold for what they point at: a goroutine's stack speaks of its own site's
// suspect (never its label group's), a group of many states says so, growth reads as the burst or
// trickle it was (never a decaying per-minute average), and a dump without pprof labels says why
// wherever labels are asked for (the filter's empty list, near the top of the stack view).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {formatFleetText} from '../../source/report/fleet.ts';
import {emptyListText} from '../../source/view/chrome.ts';
import {initialUiState} from '../../source/view/reducer.ts';
import {groupColumns, groupRow} from '../../source/view/rows.ts';
import {goroutineStackLines, groupStackLines, NO_LABELS_NOTE} from '../../source/view/stack-lines.ts';
import {goroutineSuspect, suspectLookup} from '../../source/view/suspect-of.ts';
import {groupsOf, pollerState, snapshot, tracked} from '../helpers/fake-store.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const load = (name: string) => parseDump(readFileSync(new URL(name, dumps), 'utf8')).goroutines;

test('by label handler: a member in IO wait shows no suspect, a member at a suspect site shows its own; the mixed group says "N states"', () => {
	const tracker = new Tracker();
	tracker.update({goroutines: load('go1.27-statezoo-all-states.debug2.txt'), at: 1_000_000});
	const model = tracker.setGroupBy('label:handler');
	const lookup = suspectLookup(model.suspects);
	const byId = (id: number) => model.goroutines.find(t => t.g.id === id)!;

	const main = byId(1);
	assert.equal(main.g.state, 'IO wait');
	const group = model.groups.find(g => g.key === main.groupKey)!;
	assert.ok(lookup.get(group.key), 'its label group holds a suspect site');
	assert.equal(goroutineSuspect(main, lookup), undefined, 'main in IO wait is no suspect');
	const lines = goroutineStackLines(main, 100, {}).map(line => line.text);
	assert.ok(!lines.some(text => text.startsWith('why:')), lines.join('\n'));

	const sender = byId(21);
	const own = goroutineSuspect(sender, lookup);
	assert.ok(own);
	assert.equal(own.siteKey, sender.siteKey);
	assert.match(own.reason, /chan send at main\.go:241/);
	assert.equal(
		lookup.get(group.key),
		model.suspects.find(s => s.groupKeys.includes(group.key)),
		'the group speaks of its strongest suspect',
	);

	const states = Object.keys(group.states).length;
	assert.ok(states > 1);
	assert.match(groupRow(group, groupColumns(120), {suspects: lookup}).text, new RegExp(` ${states} states `));
	assert.match(groupStackLines(group, 100)[0]!.text, new RegExp(`^group of ${group.count} · ${states} states · `));
});

test('growth reads as the burst it was, in the group stack view and the fleet report, never as a per-minute rate', () => {
	const list = Array.from({length: 10}, (_, i) => tracked({id: 100 + i, state: 'chan send', groupKey: 'g', frames: [['main.send', '/app/send.go', 7]]}));
	const story = {added: 10, steps: 1, firstRiseAt: 940_000, lastRiseAt: 940_000};
	const [group] = groupsOf(list, 'stack', {g: {growth: 10, growthPerMin: 3.9, growthStory: story}});
	const title = groupStackLines(group!, 100, {now: 1_000_000})[0]!.text;
	assert.equal(title, 'group of 10 · chan send · Δ 0 · +10 in one burst 1m ago');

	const model = snapshot(list, {suspects: []});
	const suspect = {
		siteKey: 's',
		groupKey: 'g',
		groupKeys: ['g'],
		variants: 1,
		tier: 'likely' as const,
		count: 10,
		state: 'chan send',
		where: list[0]!.where!,
		reason: 'likely leak: 10 goroutines in chan send at send.go:7',
		proven: false,
		score: 1,
		stuck: 10,
		leaked: 0,
		growthPerMin: 3.9,
		growthStory: story,
		maxWaitMs: 0,
	};
	const input = (suspects: (typeof suspect)[]) => ({
		snapshot: {...model, suspects},
		polls: {last: {bytes: 1000, fetchMs: 2}},
	});
	const text = formatFleetText(
		[
			{target: 'a', input: input([{...suspect, growthStory: undefined as never}]) as never},
			{target: 'b', input: input([suspect]) as never},
		],
		{color: false, width: 200},
	);
	assert.match(text, /: 2 of 2 targets, a 10, b 10 \(\+10 in one burst 1m ago\)$/m);
	assert.doesNotMatch(text, /\/min/);
});

test('a key=value filter on a dump without labels says why nothing matches; with labels, or another query, it does not', () => {
	const model = snapshot([tracked({id: 1, frames: [['main.f', '/app/f.go', 1]]})]);
	const ui = {...initialUiState(), query: 'tenant=acme'};
	const poller = pollerState();
	assert.equal(emptyListText('goroutines', model, poller, ui, {anyLabels: false}), `no goroutine matches the filters (Esc clears)\n${NO_LABELS_NOTE}`);
	assert.equal(
		emptyListText('groups', model, poller, {...ui, query: 'worker handler='}, {anyLabels: false}),
		`no group matches the filters (Esc clears)\n${NO_LABELS_NOTE}`,
	);
	assert.equal(emptyListText('goroutines', model, poller, ui, {anyLabels: true}), 'no goroutine matches the filters (Esc clears)');
	assert.equal(emptyListText('goroutines', model, poller, {...ui, query: 'worker'}, {anyLabels: false}), 'no goroutine matches the filters (Esc clears)');
});

test('the no-labels note is a footnote under the stack, once, and only when the dump has no labels', () => {
	const t = tracked({id: 7, state: 'chan send', stuck: true, waitMs: 120_000, frames: [['main.f', '/app/f.go', 1]]});
	const texts = goroutineStackLines(t, 100, {noLabels: true}).map(line => line.text);
	assert.equal(texts[0], 'goroutine 7 [chan send]');
	assert.equal(texts.at(-1), NO_LABELS_NOTE);
	assert.ok(texts.findIndex(text => text.startsWith('main.f(')) < texts.length - 1, texts.join('\n'));
	assert.equal(texts.filter(text => text === NO_LABELS_NOTE).length, 1);
	assert.ok(!goroutineStackLines(t, 100, {}).some(line => line.text === NO_LABELS_NOTE));
});
