import assert from 'node:assert/strict';
import {test} from 'node:test';
import {groupByNotice, groupByText, headerLines, helpLines, helpText, keysLine, membersLabel, statusLine} from '../../source/view/chrome.ts';
import {initialUiState} from '../../source/view/reducer.ts';
import {goroutineColumns, goroutineHeader, goroutineRow, groupColumns, groupRow, stuckTone, suspectWhy} from '../../source/view/rows.ts';
import {goroutineStackLines, groupStackLines} from '../../source/view/stack-lines.ts';
import {groupsOf, pollerState, snapshot, suspect, tracked} from '../helpers/fake-store.ts';

test('goroutine rows are exactly the terminal width at every size, with or without created-by', () => {
	const t = tracked({
		id: 123456,
		state: 'sync.RWMutex.RLock',
		waitMs: 3_723_000,
		frames: [
			[
				'github.com/acme/very/long/package/path/handlers.(*Server).handleSomethingQuiteLong',
				'/home/build/go/src/github.com/acme/very/long/package/path/handlers/server_handlers.go',
				1234,
			],
		],
		createdBy: {func: 'github.com/acme/very/long/package/path.(*App).startEverything', parentId: 1},
	});
	for (const width of [60, 80, 100, 120, 200]) {
		const cols = goroutineColumns(width, 6);
		const row = goroutineRow(t, cols, {suspects: new Map()});
		assert.equal(row.text.length, width, `row at ${width}`);
		assert.equal(goroutineHeader(cols).length, width, `header at ${width}`);
		assert.match(row.text, /123456 sync\.RWMutex\.R/);
		assert.match(row.text, /1h02m/);
		if (width <= 120) assert.match(row.text, /…/, 'long names are cut in the middle');
		assert.match(row.text, /:1234/, 'the line number survives the cut');
	}
	assert.match(goroutineRow(t, goroutineColumns(200, 6), {suspects: new Map()}).text, /path\.\(\*App\)\.startEverything in goroutine 1/);
});

test('a 200-column list uses the width: package-qualified WHERE, the end of the path, the creator with its parent, and labels when the dump has them', () => {
	const t = tracked({
		id: 42,
		state: 'chan send',
		frames: [['github.com/acme/shop/internal/orders.(*Dispatcher).fanout', '/home/build/src/github.com/acme/shop/internal/orders/dispatch.go', 97]],
		createdBy: {func: 'github.com/acme/shop/internal/orders.(*Dispatcher).Start', parentId: 7},
		labels: {tenant: 'acme', handler: '/api/v1/orders'},
	});
	const cols = goroutineColumns(200, 3, true);
	const header = goroutineHeader(cols);
	assert.match(header, /ID STATE +WAIT WHERE +FILE +CREATED BY +LABELS/);
	const row = goroutineRow(t, cols, {suspects: new Map()}).text;
	assert.equal(row.length, 200);
	assert.match(row, / github\.com\/acme\/shop\/internal\/orders\.\(\*Dispatcher\)\.fanout /);
	assert.match(row, / …\/[a-z/]*orders\/dispatch\.go:97 /, 'the end of the path, cut at a folder');
	assert.match(row, / orders\.\(\*Dispatcher\)\.Start in goroutine 7 /);
	const plain = goroutineRow({...t, g: {...t.g, labels: undefined}}, goroutineColumns(200, 3), {suspects: new Map()}).text;
	assert.match(plain, / orders\.\(\*Dispatcher\)\.Start in goroutine 7 at main\.go:20 *$/, 'with room, where the go statement is');
	assert.match(row, / tenant=acme handler=\/api/);
	// Without labels in the dump, no empty LABELS column: the creator takes the room.
	assert.doesNotMatch(goroutineHeader(goroutineColumns(200, 3)), /LABELS/);
	// At 120 the short forms stay.
	assert.match(goroutineRow(t, goroutineColumns(120, 3, true), {suspects: new Map()}).text, / orders\.\(\*Dispatcher\)\.fanout +dispatch\.go:97 /);
});

test('marks and tones: proven > suspect > stuck (deepening) > new', () => {
	const cols = goroutineColumns(100);
	const none = new Map();
	assert.equal(goroutineRow(tracked({id: 1}), cols, {suspects: none}).tone, 'normal');
	const fresh = goroutineRow(tracked({id: 1, isNew: true}), cols, {suspects: none});
	assert.equal(fresh.tone, 'new');
	assert.match(fresh.text, /^ \+ /);
	const stuck = goroutineRow(tracked({id: 1, stuck: true, waitMs: 5000}), cols, {suspects: none});
	assert.equal(stuck.tone, 'stuck1');
	assert.match(stuck.text, /^ ● /);
	assert.equal(stuckTone(5 * 60_000), 'stuck2');
	assert.equal(stuckTone(60 * 60_000), 'stuck3');
	const t = tracked({id: 1, stuck: true, groupKey: 'k'});
	const suspected = goroutineRow(t, cols, {suspects: new Map([['k', suspect({groupKey: 'k'})]])});
	assert.equal(suspected.tone, 'suspect');
	assert.match(suspected.text, /^\?● /);
	const proven = goroutineRow(tracked({id: 1, leaked: true, groupKey: 'k'}), cols, {suspects: new Map([['k', suspect({groupKey: 'k'})]])});
	assert.equal(proven.tone, 'proven');
	assert.match(proven.text, /^! {2}/);
});

test("a narrow WHY column gets the sentence's tier and why; a wide one the whole sentence", () => {
	const s = suspect({
		groupKey: 'k',
		tier: 'likely',
		reason: 'likely leak: 42 goroutines in chan send at handlers.go:88 — the functions that started them have returned',
		stuck: 40,
		growthPerMin: 3.2,
		maxWaitMs: 125_000,
	});
	assert.equal(suspectWhy(s, 120), s.reason);
	// Narrower: the tier and the why of the same sentence (the row shows count, state and place).
	assert.equal(suspectWhy(s, 60), 'likely: the functions that started them have returned');
	// A small pane keeps WHERE the larger share; 80 columns give WHY the short form's 20.
	assert.ok(groupColumns(60).where >= 12 && groupColumns(60).where > groupColumns(60).why);
	assert.equal(groupColumns(80).why, 20);
	// Narrower still: the verdict's short form of the same facts.
	assert.equal(suspectWhy(s, 30), 'likely: creator gone');
	// Whole facts only: the second goes when it does not fit.
	const two = {...s, reason: `${s.reason}; +12 in a trickle over 3m`};
	assert.equal(suspectWhy(two, 26), 'likely: creator gone, +12');
	assert.equal(suspectWhy(two, 24), 'likely: creator gone');
	assert.equal(suspectWhy(two, 12), 'likely: cre…');
	assert.equal(suspectWhy({...s, tier: 'proven', proven: true, leaked: 7}, 30), 'proven: creator gone');
	const list = [tracked({id: 1, groupKey: 'k', stuck: true}), tracked({id: 2, groupKey: 'k'})];
	const [group] = groupsOf(list, 'stack', {k: {history: [1, 2, 3, 4], delta: 2}});
	const row = groupRow(group!, groupColumns(80), {suspects: new Map([['k', s]])});
	assert.equal(row.text.length, 80);
	assert.match(row.text, /^\?● +2 +\+2 ▃▅▆█/); // history 1,2,3,4 scaled from zero
	assert.match(row.text, /likely: creator gone/);
});

test('the stack view dims runtime frames, shows args, elision, labels and created-by', () => {
	const t = tracked({
		id: 9,
		labels: {route: '/upload'},
		stuck: true,
		samePolls: 4,
		waitMs: 61_000,
		frames: [
			['runtime.gopark', '/usr/local/go/src/runtime/proc.go', 398],
			['main.handle', '/app/h.go', 10],
		],
		createdBy: {func: 'net/http.(*Server).Serve', parentId: 1},
	});
	t.g.elided = {at: 2, count: 5};
	const lines = goroutineStackLines(t, 100);
	const text = lines.map(line => line.text).join('\n');
	assert.match(text, /^goroutine 9 \[chan receive\]/);
	assert.match(text, /waiting 1m01s · stuck 4 polls · labels route=\/upload/);
	assert.equal(lines.find(line => line.text.startsWith('runtime.gopark('))?.tone, 'dim');
	assert.equal(lines.find(line => line.text.startsWith('main.handle('))?.tone, 'normal');
	assert.match(text, /\.\.\.5 frames elided\.\.\./);
	assert.match(text, /created by net\/http\.\(\*Server\)\.Serve in goroutine 1/);
	assert.equal(lines.find(line => line.text.startsWith('created by'))?.tone, 'dim');
	assert.ok(lines.every(line => line.text.length <= 100));
	assert.match(
		goroutineStackLines(t, 100, {gone: true})
			.map(l => l.text)
			.join('\n'),
		/GONE/,
	);
	t.g.ancestors = [{id: 1, frames: [{func: 'main.main', args: '', inlined: false, file: '/app/main.go', line: 5}]}];
	const withAncestors = goroutineStackLines(t, 100)
		.map(l => l.text)
		.join('\n');
	assert.match(withAncestors, /\[originating from goroutine 1\]:\nmain\.main\(\)\n {4}\/app\/main\.go:5/);
});

test('header: a long target gives way in its middle, so the poll facts and the file name stay on screen', () => {
	const ui = initialUiState();
	const model = snapshot([tracked({id: 1})], {totalHistory: [1]});
	const target = '/check/work/main/test/fixtures/dumps/go1.26-statezoo-all-states.debug2.txt';
	const last = {at: 5000, durationMs: 3, bytes: 20_000, debug: 2 as const, dump: {} as never, truncated: false};
	const [title] = headerLines({model, now: 33_000, width: 100, compact: false, stateOrder: [], ui, poller: pollerState({target, last})});
	assert.equal(title!.text.length, 100);
	assert.match(title!.text, /^gmon \/check\/.*….*all-states\.debug2\.txt · polled 27s ago in 3ms, 20 KiB · every 2s$/);
	const [roomy] = headerLines({model, now: 33_000, width: 200, compact: false, stateOrder: [], ui, poller: pollerState({target, last})});
	assert.ok(roomy!.text.includes(target), 'with room the whole target shows');
});

test('header: poll age, fetch cost, interval, paused first; error line with countdown', () => {
	const ui = initialUiState();
	const model = snapshot([tracked({id: 1}), tracked({id: 2, state: 'select'})], {totalHistory: [1, 2]});
	const base = {model, now: 10_000, width: 120, compact: false, stateOrder: ['chan receive', 'select'], ui};
	const lines = headerLines({
		...base,
		now: 13_000,
		poller: pollerState({paused: true, last: {at: 5000, durationMs: 250, bytes: 2_500_000, debug: 2, dump: {} as never, truncated: false}}),
	});
	assert.match(lines[0]!.text, /^gmon localhost:6060 · PAUSED · polled 7s ago in 250ms, 2.4 MiB · every 2s$/);
	assert.match(lines[1]!.text, /^total 2 ▅█ \+1 · suspects 0 \(heuristics only\)$/, 'no leak profile: said even with no suspects');
	const steady = headerLines({
		...base,
		poller: pollerState({}),
		model: snapshot([tracked({id: 1}), tracked({id: 2, state: 'select'})], {totalHistory: [2, 2]}),
	});
	assert.match(steady[1]!.text, /^total 2 ██ ±0 · suspects 0 \(heuristics only\)$/, 'an unchanged total says so instead of a bare 0');
	// One scaling rule: the same steady count draws the same in the header and in a group's TREND.
	const [group] = groupsOf([tracked({id: 1, groupKey: 'k'}), tracked({id: 2, groupKey: 'k'})], 'stack', {k: {history: [2, 2], delta: 0}});
	assert.match(groupRow(group!, groupColumns(100), {suspects: new Map()}).text, / 2 {6}██ /);
	assert.equal(lines[2]!.text, '1:chan receive 1  2:select 1');
	const failing = headerLines({
		...base,
		poller: pollerState({error: {message: 'HTTP 401: check -H Authorization', kind: 'auth', at: 9000, retryAt: 14_500, attempt: 2}}),
	});
	assert.equal(failing[1]!.text, '✖ HTTP 401: check -H Authorization · retry in 4s (attempt 2)');
	assert.equal(failing[1]!.tone, 'danger');
	assert.equal(failing.length, 4);
	const long = {
		message: 'connection refused at 127.0.0.1:36875 — is the service running, and is that its port?',
		kind: 'refused' as const,
		at: 9000,
		retryAt: 13_000,
		attempt: 3,
	};
	const narrow = headerLines({
		...base,
		width: 80,
		poller: pollerState({error: long, last: {at: 2000, durationMs: 10, bytes: 1, debug: 2, dump: {} as never, truncated: false}}),
	});
	assert.equal(narrow[1]!.text.length, 80);
	assert.match(narrow[1]!.text, /^✖ connection refused at 127\.0\.0\.1:36875 — is the .*… · retry in 3s \(attempt 3\)$/);
	const wide = headerLines({
		...base,
		width: 160,
		poller: pollerState({error: long, last: {at: 2000, durationMs: 10, bytes: 1, debug: 2, dump: {} as never, truncated: false}}),
	});
	assert.match(wide[1]!.text, /that its port\? · retry in 3s \(attempt 3\) · showing data from 8s ago$/);
});

test('header: a cut dump says how many goroutines it listed of how many; a newer debug=1 profile says how fresh each is', () => {
	const ui = initialUiState();
	const listed = {goroutines: Array.from({length: 27_000}, (_, i) => ({id: i}))} as never;
	const cut = {at: 0, durationMs: 1400, bytes: 64 * 1024 * 1024, debug: 2 as const, dump: listed, truncated: true};
	const counts = {at: 19_000, durationMs: 100, bytes: 80_000, debug: 1 as const, dump: {} as never, truncated: false};
	const model = {...snapshot([tracked({id: 1})]), total: 100_000};
	const base = {model, now: 21_000, width: 200, compact: false, stateOrder: ['chan receive'], ui};
	const both = headerLines({...base, poller: pollerState({last: cut, lastProfile: counts})});
	assert.equal(both[0]!.text, 'gmon localhost:6060 · cut at 64 MiB: 27.0k of 100k listed · full dump 19s ago in 1s, 64 MiB · counts just now · every 2s');
	assert.equal(both[0]!.tone, 'warn');
	// Without a newer profile the model counted only what the dump listed: no total to claim.
	const alone = headerLines({...base, poller: pollerState({last: cut, lastProfile: {...counts, at: -5000}})});
	assert.equal(alone[0]!.text, 'gmon localhost:6060 · cut at 64 MiB: 27.0k listed · polled 19s ago in 1s, 64 MiB · every 2s');
	const whole = headerLines({
		...base,
		now: 23_400,
		poller: pollerState({last: {...cut, bytes: 25 * 1024 * 1024, truncated: false}, lastProfile: {...counts, at: 22_000}}),
	});
	assert.equal(whole[0]!.text, 'gmon localhost:6060 · full dump 22s ago in 1s, 25 MiB · counts just now · every 2s');
	assert.equal(whole[0]!.tone, 'title');
});

test('the help fits 80 columns whole; a short pane shows a window of it that scrolls, a narrow one wraps it', () => {
	for (const line of helpText) assert.ok(line.length <= 80, `${line.length}: ${line}`);
	assert.match(helpText.join('\n'), /S reverse$/m);
	assert.deepEqual(helpLines(helpText.length + 1), ['gmon keys', ...helpText]);
	const small = helpLines(7); // the body of a 60x12 pane, at 80 columns
	assert.equal(small.length, 7);
	assert.equal(small[0], `gmon keys, lines 1–6 of ${helpText.length} (↑↓ PgUp/PgDn scroll)`);
	assert.deepEqual(small.slice(1), helpText.slice(0, 6));
	assert.match(small[1]!, /^Marks {3}● stuck/, 'the marks and quit come first: unscrolled, a short pane shows them');
	assert.match(small[2]!, /^Quit {4}.*q Ctrl-C quit$/);
	const last = helpLines(7, 80, 1000); // scrolled past the end: the last lines
	assert.equal(last[0], `gmon keys, lines ${helpText.length - 5}–${helpText.length} of ${helpText.length} (↑↓ PgUp/PgDn scroll)`);
	assert.deepEqual(last.slice(1), helpText.slice(-6));
	// At 60 columns the sections wrap at 60 rather than being cut: every key is still there.
	const narrow = helpLines(100, 60);
	assert.ok(narrow.length > helpText.length);
	for (const line of narrow) assert.ok(line.length <= 60, `${line.length}: ${line}`);
	const words = (lines: readonly string[]) => lines.join(' ').split(/\s+/).filter(Boolean).sort();
	assert.deepEqual(words(narrow.slice(1)), words(helpText));
});

test('footer keys: the state picker shows its own keys; b needs a word only where the status shows no group-by', () => {
	const view = initialUiState().views[0]!;
	assert.equal(keysLine(view, 80, 'states').text, '↑↓ move  ⏎/Space toggle  1–9 toggle  0 clear all  f/Esc close  q quit');
	assert.equal(keysLine(view, 60, 'states').text, '↑↓ move  ⏎/Space toggle  0 clear all  f/Esc close  q quit');
	assert.doesNotMatch(keysLine(view, 200, 'states').text, /⏎ stack|Tab/);
	assert.equal(keysLine(view, 80, 'help').text, '↑↓ scroll  any other key closes the help  q quit');
	assert.equal(groupByNotice('where', 'groups'), undefined);
	assert.equal(groupByNotice('where', 'goroutines'), 'grouping by where (Tab shows the groups)');
});

test('frames whose args the model did not keep read (…), and the header says why', () => {
	const t = tracked({
		id: 4,
		args: '',
		frames: [
			['internal/poll.runtime_pollWait', '/go/src/runtime/netpoll.go', 345],
			['main.serve', '/app/serve.go', 9],
		],
	});
	t.g.frames[1] = {...t.g.frames[1]!, inlined: true};
	const gone = goroutineStackLines(t, 100, {gone: true, argsKept: false}).map(line => line.text);
	assert.ok(gone.includes('internal/poll.runtime_pollWait(…)'));
	assert.ok(gone.includes('main.serve(...)'), 'an inlined call still reads as Go prints it');
	assert.ok(gone.includes('(…): args are shown only while the goroutine is in the latest dump'));
	// From the parsed dump an empty arg list is real: `()`, and no note.
	const live = goroutineStackLines(t, 100).map(line => line.text);
	assert.ok(live.includes('internal/poll.runtime_pollWait()'));
	assert.ok(!live.some(line => line.includes('args are shown only')));
	const [group] = groupsOf([t]);
	const groupLines = groupStackLines(group!, 100, {gone: true, argsKept: false}).map(line => line.text);
	assert.ok(groupLines.includes('internal/poll.runtime_pollWait(…)'));
	assert.ok(groupLines.includes('(…): args are shown only while goroutine 4 is in the latest dump'));
});

test('footer: the filter prompt while typing; sort, filters and position otherwise; keys fit the width', () => {
	const ui = {...initialUiState(), query: 'chan rec', states: ['select'], hideIdle: true};
	const view = ui.views[0]!;
	assert.equal(statusLine({ui: {...ui, editing: true}, view, listKind: 'goroutines', width: 80}).text, '/chan rec█  (Enter keeps, Esc clears)');
	assert.equal(
		statusLine({ui, view, listKind: 'goroutines', width: 200, position: '3/40'}).text,
		'sort leak↓ · states: select · filter "chan rec" · idle hidden · 3/40',
	);
	assert.match(statusLine({ui, view, listKind: 'goroutines', width: 200, gone: 'goroutine 7'}).text, /^goroutine 7 is gone; kept your place/);
	for (const width of [60, 80, 120, 200]) assert.ok(keysLine(view, width).text.length <= width);
	assert.match(keysLine(view, 200).text, /w write/);
});

test('header: goroutine headers gmon did not understand are counted in the title, as a warning', () => {
	const ui = initialUiState();
	const model = snapshot([tracked({id: 1})]);
	const dump = {unparsedHeaders: {count: 3, first: 'goroutine 7 [x] <y>:'}} as never;
	const lines = headerLines({
		model,
		now: 6000,
		width: 160,
		compact: false,
		stateOrder: ['chan receive'],
		ui,
		poller: pollerState({last: {at: 5000, durationMs: 250, bytes: 2_500, debug: 2, dump, truncated: false}}),
	});
	assert.match(lines[0]!.text, / · 3 goroutine headers not understood · /);
	assert.equal(lines[0]!.tone, 'warn');
	const clean = headerLines({
		model,
		now: 6000,
		width: 160,
		compact: false,
		stateOrder: [],
		ui,
		poller: pollerState({last: {at: 5000, durationMs: 250, bytes: 2_500, debug: 2, dump: {} as never, truncated: false}}),
	});
	assert.doesNotMatch(clean[0]!.text, /not understood/);
	assert.equal(clean[0]!.tone, 'title');
});

test('stack view: main parked in select {} that Go marked (leaked) is not called a proven leak', () => {
	const main = tracked({id: 1, state: 'select (no cases)', leaked: true, frames: [['main.main', '/app/main.go', 26]]});
	const lines = goroutineStackLines(main, 120).map(line => line.text);
	assert.ok(lines.some(line => line.includes('main parked on purpose, not a leak')));
	assert.ok(!lines.some(line => line.includes('proven leak')));
	const sender = tracked({id: 22, state: 'chan send', leaked: true, frames: [['main.forgottenSender.func1', '/app/main.go', 18]]});
	assert.ok(goroutineStackLines(sender, 120).some(line => line.text.includes('proven leak (goroutineleak)')));
});

test("a group's members list names its group, its label, and the grouping it moved to after b", () => {
	const [group] = groupsOf([tracked({id: 1, groupKey: 'k'})], 'stack');
	assert.equal(membersLabel(group, 'stack'), 'group: chan receive at main.worker1 worker.go:41');
	assert.equal(
		membersLabel({...group!, by: 'label:tenant', label: 'tenant=\u001b[31macme'}, 'stack'),
		'group tenant=\\x1b[31macme (now by label tenant): chan receive at main.worker1 worker.go:41',
	);
	assert.equal(membersLabel(undefined, 'stack'), 'group gone');
	assert.equal(groupByText('label:tenant'), 'label tenant');
	assert.equal(groupByText('where'), 'where');
});
