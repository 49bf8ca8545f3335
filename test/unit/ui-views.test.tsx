import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keys, renderTty} from '../helpers/render-tty.tsx';
import {App} from '../../source/ui/app.tsx';
import {FakeStore, goroutine, snapshot, suspect, tracked} from '../helpers/fake-store.ts';
import {asciiRuns} from '../../source/ui/lines.tsx';

const now = 1_000_000;
const clock = () => now;
const fetched = {
	at: now - 1500,
	durationMs: 40,
	bytes: 250_000,
	debug: 2 as const,
	dump: {kind: 'traceback' as const, goroutines: [], records: [], truncated: false, bytes: 250_000, skippedLines: 0},
	truncated: false,
};

/** 12 goroutines blocked sending in publish (a growing suspect), 5 idle accept loops, 3 workers in select. */
function service() {
	const list = [
		...Array.from({length: 12}, (_, i) =>
			tracked({
				id: 100 + i,
				state: 'chan send',
				waitMs: 120_000,
				stuck: true,
				groupKey: 'publish',
				frames: [
					['runtime.gopark', '/go/src/runtime/proc.go', 398],
					['main.(*Server).publish', '/app/publish.go', 88],
				],
				createdBy: {func: 'main.(*Server).handle', parentId: 1},
			}),
		),
		...Array.from({length: 5}, (_, i) =>
			tracked({
				id: 200 + i,
				state: 'IO wait',
				idle: true,
				groupKey: 'accept',
				frames: [
					['internal/poll.runtime_pollWait', '/go/src/runtime/netpoll.go', 345],
					['net/http.(*Server).Serve', '/go/src/net/http/server.go', 3300],
				],
			}),
		),
		...Array.from({length: 3}, (_, i) =>
			tracked({id: 300 + i, state: 'select', waitMs: 3000, groupKey: 'work', frames: [['main.worker', '/app/worker.go', 20]]}),
		),
	];
	return snapshot(list, {
		totalHistory: [5, 9, 14, 20],
		groupExtra: {
			publish: {
				delta: 3,
				growth: 12,
				growthPerMin: 3,
				growthStory: {added: 12, steps: 4, firstRiseAt: 820_000, lastRiseAt: 1_000_000},
				history: [0, 3, 6, 9, 12],
			},
			accept: {idle: true},
		},
		suspects: [suspect({groupKey: 'publish', count: 12, reason: '12 goroutines in chan send at publish.go:88, +12 in a trickle over 3m, stuck 2m'})],
	});
}

function store(poller = {}) {
	return new FakeStore(service(), {last: fetched, ...poller});
}

test('Tab shows groups with count, Δ, trend, state, where and why; Enter lists the members', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press(keys.tab);
	const lines = r.lines();
	assert.match(lines[3]!, /COUNT\s+Δ TREND\s+STATE\s+WHERE\s+WHY/);
	assert.match(lines[4]!, /^\?●> +12 +\+3 [▁▂▃▄▅▆▇█]{5} +chan send +main\.\(\*Server\)\.publish publish\.go:88 +12 goroutines in chan s/);
	assert.match(r.frame(), / 5 +█ +IO wait +poll\.runtime_pollWait netpoll\.go:345 +idle/); // a group trend scales from zero
	assert.match(r.frame(), /sort leak↓ · by stack · 1\/3/);
	await r.press(keys.enter);
	assert.match(r.frame(), /group: chan send at main\.\(\*Server\)\.publish publish\.go:88/);
	assert.match(r.frame(), /1\/12/);
	assert.doesNotMatch(r.frame(), / 300 /);
	await r.press(keys.escape);
	assert.match(r.frame(), /COUNT/);
});

test('v shows the group stack with its shared frames and member ids', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press(keys.tab, 'v');
	const frame = r.frame();
	// Growth as the model tells it (a trickle here), never an average rate.
	assert.match(frame, /group of 12 · chan send · Δ \+3 · \+12 in a trickle over 3m$/m);
	assert.doesNotMatch(frame, /\/min/);
	assert.match(frame, /why: 12 goroutines in chan send at publish\.go:88/);
	assert.match(frame, /main\.\(\*Server\)\.publish\(/);
	assert.match(frame, /members \(12\):/);
	assert.match(frame, /100, 101, 102, 103/);
	await r.press(keys.escape);
	assert.match(r.frame(), /COUNT/);
});

test('b cycles the group-by through the store; the status says it once', async t => {
	const s = store();
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press(keys.tab, 'b');
	assert.deepEqual(s.calls, ['setGroupBy where']);
	assert.equal(r.lines().at(-2), 'sort leak↓ · by where · 1/3', 'no "grouping by where" repeating the status');
	await r.press('v', 'b');
	assert.deepEqual(s.calls, ['setGroupBy where', 'setGroupBy top']);
	assert.match(r.lines().at(-2)!, /^group stack · by top/);
	assert.doesNotMatch(r.frame(), /grouping by/);
	// The goroutine list's status shows no group-by: there `b` says what it did.
	await r.press(keys.escape, keys.tab, 'b');
	assert.match(r.lines().at(-2)!, /^grouping by creator \(Tab shows the groups\) · sort leak↓/);
});

test("the state picker footer shows the picker's keys, not the list's", async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	assert.match(r.lines().at(-1)!, /⏎ stack/);
	await r.press('f');
	assert.equal(r.lines().at(-1), '↑↓ move  ⏎/Space toggle  1–9 toggle  0 clear all  f/Esc close  q quit');
	await r.press(keys.enter);
	assert.match(r.frame(), /\[x\] 1 chan send 12/, 'Enter toggled the state under the cursor');
});

test('Esc and s read together (one read, ESC s: what Ink calls Alt-s) close the picker and change the sort', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('f');
	assert.match(r.frame(), /States:/);
	await r.press('\u001Bs');
	assert.doesNotMatch(r.frame(), /States:/);
	assert.match(r.lines().at(-2)!, /^sort wait↓ · 1\/20/);
});

test('state numbers stay put between polls: a state that went away keeps its number, shown with 0', async t => {
	const list = (states: string[]) => states.map((state, i) => tracked({id: i + 1, state}));
	const s = new FakeStore(snapshot(list(['chan send', 'chan receive', 'select', 'IO wait', 'sleep', 'running'])), {last: fetched});
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 120, rows: 24});
	t.after(() => r.unmount());
	assert.match(r.lines()[2]!, /5:sleep 1 {2}6:running 1/);
	s.setModel(snapshot(list(['chan send', 'chan receive', 'select', 'IO wait', 'running']), {poll: 2, at: now + 2000}));
	await r.settle();
	assert.match(r.lines()[2]!, /4:IO wait 1 {2}6:running 1 {2}5:sleep 0$/, 'numbers stay; the 0 is listed last');
	await r.press('6');
	assert.match(r.lines().at(-2)!, /states: running · 1\/1/);
});

test('f opens the state picker listing each state with its count; Space toggles; 1–9 toggle from the list', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	// Numbers in a fixed order (channel waits first, IO wait after), so a number keeps its state
	// across polls; listed by count, so a narrow pane cuts the smallest.
	assert.match(r.lines()[2]!, /1:chan send 12 {2}3:IO wait 5 {2}2:select 3/);
	await r.press('f');
	assert.match(r.frame(), /\[ \] 1 chan send 12/);
	assert.match(r.frame(), /\[ \] 2 select 3/);
	await r.press('j', ' ');
	assert.match(r.frame(), /\[x\] 2 select 3/);
	await r.press('3', keys.escape);
	assert.match(r.lines()[2]!, /\[3:IO wait 5\] {2}\[2:select 3\]/);
	assert.match(r.frame(), /states: select, IO wait · 1\/8/);
	await r.press('2');
	assert.match(r.frame(), /states: IO wait · 1\/5/);
	await r.press(keys.escape);
	assert.match(r.frame(), /1\/20/);
});

test('/ types a fuzzy filter with spaces; Backspace edits; Enter keeps it; Esc clears it', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('/', 'chan sendx');
	assert.match(r.frame(), /\/chan sendx█/);
	assert.match(r.frame(), /no goroutine matches/);
	await r.press(keys.backspace);
	assert.match(r.frame(), /\/chan send█/);
	await r.press(keys.enter);
	assert.match(r.frame(), /filter "chan send" · 1\/12/);
	// With the prompt closed, letters are keys again: j moves.
	await r.press('j');
	assert.match(r.frame(), /2\/12/);
	await r.press(keys.escape);
	assert.match(r.frame(), /1\/20|2\/20/);
	assert.doesNotMatch(r.frame(), /filter "/);
});

test('a paste (bracketed) goes into the filter as one line, opening it from the list; its letters never run as keys', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	// A copied line: its trailing newline and a `q` would otherwise accept the filter and quit.
	await r.press(keys.paste('chan\tsend\n'));
	assert.match(r.frame(), /\/chan send█/);
	await r.press(keys.paste(' q\n'));
	assert.match(r.frame(), /\/chan send q█/);
	await r.press(keys.backspace, keys.backspace, keys.enter);
	assert.match(r.frame(), /filter "chan send" · 1\/12/);
	// Over the help, a paste is ignored (the help stays).
	await r.press('?', keys.paste('j'));
	assert.match(r.frame(), /gmon keys/);
});

test('H hides idle goroutines and says so', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('H');
	assert.match(r.frame(), /idle hidden · 1\/15/);
	assert.doesNotMatch(r.frame(), / 200 /);
	await r.press('H');
	assert.match(r.frame(), /1\/20/);
});

test('s/S change the sort and the footer shows it', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	assert.match(r.frame(), /sort leak↓/);
	await r.press('s', 's');
	assert.match(r.frame(), /sort id↑/);
	assert.match(r.lines()[4]!, /^...\s*100 /);
	await r.press('S');
	assert.match(r.frame(), /sort id↓/);
	assert.match(r.lines()[4]!, / 302 /);
});

test('p/Space pause and resume, r refreshes, +/- change the interval, w writes the dump and shows the path', async t => {
	const s = store();
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('p');
	assert.match(r.lines()[0]!, /PAUSED/);
	await r.press(' ');
	assert.doesNotMatch(r.lines()[0]!, /PAUSED/);
	await r.press('r', '+');
	assert.match(r.frame(), /poll every 3s/);
	assert.match(r.lines()[0]!, /every 3s/);
	await r.press('-', '-');
	assert.match(r.lines()[0]!, /every 1s/);
	await r.press('w');
	await r.settle();
	assert.match(r.frame(), /wrote \/tmp\/gmon-dump\.txt/);
	assert.deepEqual(s.calls, ['pause', 'resume', 'pollNow', 'setIntervalMs 3000', 'setIntervalMs 2000', 'setIntervalMs 1000', 'writeDump']);
});

test("y saves the selected goroutine's stack, or the group's, as text and says the full path; nothing goes to the clipboard without --clipboard", async t => {
	const s = store();
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press('y');
	await r.settle();
	assert.match(r.frame(), /wrote \/tmp\/gmon-dumps\/gmon-goroutine-100\.txt/);
	assert.deepEqual(s.calls, ['writeText gmon-goroutine-100.txt']);
	assert.match(s.texts[0]!, /goroutine 100/);
	assert.match(s.texts[0]!, /main\.\(\*Server\)\.publish/);
	assert.match(s.texts[0]!, /\/app\/publish\.go:88/);
	assert.ok(s.texts[0]!.endsWith('\n') && !/ \n/.test(s.texts[0]!), 'plain lines, no padding');
	// The group list: the group's shared stack.
	await r.press(keys.tab, 'y');
	await r.settle();
	assert.match(s.calls.at(-1)!, /^writeText gmon-group-of-goroutine-\d+\.txt$/);
	assert.match(s.texts.at(-1)!, /publish\.go:88/);
	assert.ok(
		r.stdout.frames.every(frame => !frame.includes('\u001B]52;')),
		'no OSC 52 without --clipboard',
	);
});

test('y with --clipboard also sends the text as OSC 52 in base64: a hostile byte in the dump cannot reach the terminal', async t => {
	const hostile = [
		tracked({
			id: 7,
			state: 'chan send',
			waitMs: 60_000,
			groupKey: 'evil',
			frames: [['main.evil\u001B]52;c;cGF3bmVk\u0007\u001B[2J', '/app/evil.go', 3]],
		}),
	];
	const s = new FakeStore(snapshot(hostile), {last: fetched});
	const r = await renderTty(<App store={s} clock={clock} clipboard />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press('y');
	await r.settle();
	assert.match(r.frame(), /wrote \/tmp\/gmon-dumps\/gmon-goroutine-7\.txt and copied it to the clipboard/);
	const sequences = r.stdout.frames.join('').match(/\u001B\]52;c;([A-Za-z0-9+/=]*)\u0007/g) ?? [];
	assert.equal(sequences.length, 1, 'exactly one OSC 52: the one gmon wrote');
	const copied = Buffer.from(/;c;([^\u0007]*)/.exec(sequences[0]!)![1]!, 'base64').toString('utf8');
	assert.match(copied, /goroutine 7/);
	assert.match(copied, /main\.evil\\x1b\]52;c;cGF3bmVk\\x07\\x1b\[2J/, 'the planted sequence is shown, not sent');
	assert.doesNotMatch(copied, /\u001B|\u0007/);
	assert.equal(s.texts[0], copied, 'the file and the clipboard hold the same text');
});

test('D takes a full dump at once within the budget; over it, the first D says the cost and the second takes it', async t => {
	const within = store({fullDump: {goroutines: 20, predictedMs: 4}});
	const r1 = await renderTty(<App store={within} clock={clock} />, {columns: 160, rows: 30});
	t.after(() => r1.unmount());
	await r1.press('D');
	assert.deepEqual(within.calls, ['refreshNow']);
	assert.match(r1.frame(), /taking a full dump now/);

	const held = new FakeStore(undefined, {fullDump: {goroutines: 12_000, predictedMs: 1920, held: 'over --max-pause 1s'}, pauses: []});
	const r2 = await renderTty(<App store={held} clock={clock} />, {columns: 160, rows: 30});
	t.after(() => r2.unmount());
	assert.match(r2.lines()[0]!, /full dump held: ~1\.9s freeze \(over --max-pause 1s\), D takes one/);
	await r2.press('D');
	assert.deepEqual(held.calls, [], 'the first D only asks');
	assert.match(r2.frame(), /a full dump freezes the target ~1\.9s \(12\.0k goroutines, over --max-pause 1s\): press D again to take it/);
	await r2.press('D');
	assert.deepEqual(held.calls, ['refreshNow']);
});

test('? shows the help over the list; any other key closes it', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('?');
	assert.match(r.frame(), /gmon keys/);
	assert.match(r.frame(), /Quit {4}.*q Ctrl-C quit/);
	assert.match(r.frame(), /count growth {3}S reverse$/m, 'the Sort line is whole at 80 columns');
	assert.ok(r.lines().every(line => line.length <= 80 && !line.endsWith('…')));
	assert.equal(r.lines().at(-1), '↑↓ scroll  any other key closes the help  q quit');
	await r.press('x');
	assert.doesNotMatch(r.frame(), /gmon keys/);
	assert.match(r.frame(), /ID STATE/);
});

test('b regroups the group list: the selection follows its goroutines to the new group, and nothing is reported gone', async t => {
	const s = store();
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press(keys.tab, 'j');
	assert.match(r.frame(), /sort leak↓ · by stack · 2\/3/);
	const selected = () => r.lines().find(line => line.includes('> '))!;
	assert.match(selected(), /IO wait/);
	await r.press('b');
	// The monitor regroups by where: every key changes, and the accept loops now share a group with the workers.
	const before = s.getState().model!;
	const where = (t: (typeof before.goroutines)[number]) => (t.g.state === 'chan send' ? 'where:publish' : 'where:serve');
	const goroutines = before.goroutines.map(t => ({...t, groupKey: where(t)}));
	s.setModel(snapshot(goroutines, {by: 'where', totalHistory: before.totalHistory}));
	await r.settle();
	assert.doesNotMatch(r.frame(), /gone/);
	assert.match(r.frame(), /by where · \d\/2/);
	// The accept loops (IO wait) and the workers (select): a mixed group says so, not one state for all.
	assert.match(selected(), / 2 states /, 'on the group that now holds the accept loops');
	assert.doesNotMatch(selected(), /chan send/);
	// A group that really disappears under the same grouping is still reported.
	await r.press('k', 'j');
	s.setModel(
		snapshot(
			goroutines.filter(t => t.groupKey === 'where:publish'),
			{by: 'where', totalHistory: before.totalHistory},
		),
	);
	await r.settle();
	assert.match(r.frame(), /group is gone; kept your place/);
});

test("b in a group's members list (or its stack) follows the goroutines into their new group; nothing is called gone", async t => {
	const s = store();
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press(keys.tab, keys.enter);
	assert.match(r.frame(), /group: chan send at main\.\(\*Server\)\.publish/);
	const memberRows = () => r.lines().filter(line => /^[ ?!●+>]{3} *\d+ chan send/.test(line)).length;
	const members = memberRows();
	assert.ok(members > 1);
	await r.press('b');
	const before = s.getState().model!;
	const where = (t: (typeof before.goroutines)[number]) => (t.g.state === 'chan send' ? 'where:publish' : 'where:serve');
	s.setModel(
		snapshot(
			before.goroutines.map(t => ({...t, groupKey: where(t)})),
			{by: 'where', totalHistory: before.totalHistory},
		),
	);
	await r.settle();
	assert.doesNotMatch(r.frame(), /gone/);
	assert.match(r.frame(), /group \(now by where\): chan send at main\.\(\*Server\)\.publi/);
	assert.equal(memberRows(), members, 'the same goroutines, listed under the new key');
	// The group's stack, opened before `b`, follows too.
	await r.press(keys.escape, 'v');
	assert.match(r.frame(), /shared stack/);
	await r.press('b');
	s.setModel(
		snapshot(
			before.goroutines.map(t => ({...t, groupKey: `top:${t.g.state}`})),
			{by: 'top', totalHistory: before.totalHistory},
		),
	);
	await r.settle();
	assert.doesNotMatch(r.frame(), /GONE/);
	assert.match(r.frame(), /group of \d+ · chan send/);
});

test('in a 60x15 pane the state counts (the 1–9 filter keys) stay on the header: the totals give up their sparkline and extras first', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 60, rows: 15});
	t.after(() => r.unmount());
	const counts = r.lines()[1]!;
	assert.ok(counts.length <= 60, counts);
	assert.match(counts, /^total 20 \+6 .*│ 1:chan send 12 {2}3:IO wait 5 {2}2:select 3$/);
	await r.press('2');
	assert.match(r.lines()[1]!, /\[2:select 3\]/);
	assert.match(r.frame(), /states: select/);
	// Where there is room the totals keep everything.
	await r.resize(120, 15);
	assert.match(r.lines()[1]!, /^total 20 [▁▂▃▄▅▆▇█]+ \+6 · stuck 12 · suspects 1 \(heuristics only\) │ 1:chan send 12/);
});

test('in a 60x15 pane a function of a /v9 module is cut in the middle, never inside its version element', async t => {
	const list = Array.from({length: 3}, (_, i) =>
		tracked({
			id: 10 + i,
			state: 'select',
			waitMs: 5000,
			groupKey: 'redis',
			frames: [['github.com/redis/go-redis/v9.(*baseClient).process', '/mod/redis.go', 88]],
		}),
	);
	const r = await renderTty(<App store={new FakeStore(snapshot(list), {last: fetched})} clock={clock} />, {columns: 60, rows: 15});
	t.after(() => r.unmount());
	const row = r.lines().find(line => line.includes(' 10 '))!;
	assert.ok(row, r.frame());
	assert.match(row, /go-re[a-z-]*…\S*process /, row);
	assert.doesNotMatch(row, /\/v…|\/…|…9\./, row);
});

test('in a 60x15 pane the help scrolls with ↑↓ j/k PgUp/PgDn, wraps at 60 columns, and any other key closes it', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 60, rows: 15});
	t.after(() => r.unmount());
	await r.press('?');
	const title = /^gmon keys, lines (\d+)–(\d+) of (\d+) \(↑↓ PgUp\/PgDn scroll\)$/m;
	const shown = () => {
		const match = title.exec(r.frame());
		assert.ok(match, r.frame());
		return {from: Number(match[1]), to: Number(match[2]), of: Number(match[3])};
	};
	assert.doesNotMatch(r.frame(), /taller pane/);
	assert.equal(shown().from, 1);
	assert.match(r.frame(), /^Marks {3}● stuck, deepening {2}\+ new {2}\? suspect {2}! proven leak$/m);
	assert.match(r.frame(), /^Quit {4}\? this help {3}any other key closes it$/m);
	assert.doesNotMatch(r.frame(), /^Target /m);
	const body = r.lines().slice(
		r.lines().findIndex(line => line.startsWith('gmon keys')),
		-2,
	);
	assert.ok(body.length === 11 && body.every(line => line.length <= 60 && !line.endsWith('…')), 'wrapped, not cut');
	await r.press('j');
	assert.equal(shown().from, 2);
	await r.press(keys.down, keys.up, 'k');
	assert.equal(shown().from, 1);
	await r.press(keys.pageDown, keys.pageDown, keys.pageDown);
	const end = shown();
	assert.equal(end.to, end.of, 'PgDn stops at the last line');
	assert.match(r.frame(), /^Target /m);
	await r.press(keys.pageUp, keys.pageUp, keys.pageUp);
	assert.equal(shown().from, 1);
	await r.press('x');
	assert.doesNotMatch(r.frame(), /gmon keys/);
	await r.press('?');
	assert.equal(shown().from, 1, 'the help opens at its top again');
});

test('an error keeps the last data and shows the retry countdown; a stretched interval says why', async t => {
	const s = store({
		error: {message: 'connection refused: is the target running?', kind: 'refused', at: now - 1000, retryAt: now + 4000, attempt: 3},
		intervalMs: 1000,
		effectiveIntervalMs: 8000,
		stretchedReason: 'dump costs 400ms',
	});
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 160, rows: 30});
	t.after(() => r.unmount());
	// The real intervals, and why they differ (never "every 2s (stretched from 2s)").
	assert.match(r.lines()[0]!, /counts every 1s, full dump every 8s \(dump costs 400ms\)/);
	assert.match(r.lines()[1]!, /✖ connection refused: is the target running\? · retry in 4s \(attempt 3\) · showing data from just now/);
	assert.match(r.frame(), /chan send/);
	assert.equal(r.lines().length, 30);
});

test('before the first poll it says it is waiting; in a small pane the header collapses to two lines', async t => {
	const s = new FakeStore(undefined, {});
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 80, rows: 24});
	t.after(() => r.unmount());
	assert.match(r.frame(), /waiting for the first poll/);
	s.setModel(service());
	s.setPoller({last: fetched});
	await r.settle();
	assert.match(r.frame(), /total 20/);
	await r.resize(70, 14);
	const lines = r.lines();
	assert.equal(lines.length, 14);
	assert.match(lines[1]!, /total 20 .* │ 1:chan send 12/);
	assert.match(lines[2]!, /ID STATE/);
});

test('resizing keeps the selected goroutine selected and visible', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 100, rows: 40});
	t.after(() => r.unmount());
	await r.press('G');
	const selected = r.frame().match(/(\d+)\/20/)?.[1];
	assert.equal(selected, '20');
	await r.resize(80, 14);
	assert.match(r.frame(), /20\/20/);
	const raw = r
		.rawFrame()
		.split('\n')
		.find(line => line.includes('\u001B[7m'));
	assert.ok(raw, 'the selected row is on screen after shrinking');
});

test('the stack view scrolls, and keeps showing a goroutine that has gone, marked GONE', async t => {
	const deep = tracked({
		id: 5,
		waitMs: 999_000,
		frames: Array.from({length: 20}, (_, i) => [`main.level${i}`, '/app/deep.go', i + 1] as [string, string, number]),
	});
	const s = new FakeStore(snapshot([deep, tracked({id: 6})]), {last: fetched});
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press(keys.enter);
	assert.match(r.frame(), /goroutine 5 \[chan receive\]/);
	// 44 lines, and one more once the reader has found /app/deep.go is not on this machine (it says so).
	for (const until = Date.now() + 5000; !/lines 1–19\/45/.test(r.frame()) && Date.now() < until; ) await r.settle();
	assert.match(r.frame(), /lines 1–19\/45/);
	await r.press('G');
	assert.match(r.frame(), /main\.level19\(/);
	assert.doesNotMatch(r.frame(), /goroutine 5 \[/);
	await r.press(keys.ctrlU);
	assert.match(r.frame(), /lines 18–36\/45/);
	s.setModel(snapshot([tracked({id: 6})], {poll: 2}));
	await r.press('g');
	assert.match(r.frame(), /GONE: no longer in the dump/);
	assert.match(r.frame(), /main\.level0\(/);
	await r.press(keys.escape);
	assert.match(r.frame(), /goroutine 5 is gone; kept your place/);
});

test('a failed dump write says why', async t => {
	const s = store();
	s.control.writeDump = async () => {
		throw new Error("EACCES: permission denied, open '/gmon.txt'");
	};
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('w');
	await r.settle();
	assert.match(r.frame(), /write failed: EACCES: permission denied/);
});

test('keys typed in one burst are each handled (tmux send-keys, fast typing)', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('jjj');
	assert.match(r.frame(), /4\/20/);
	await r.press('/sel');
	assert.match(r.frame(), /\/sel█/);
	const rows = r
		.lines()
		.slice(4, 21)
		.filter(line => /^...\s*\d+ /.test(line));
	assert.deepEqual(
		rows.map(line => /^...\s*(\d+)/.exec(line)?.[1]),
		['300', '301', '302'],
	);
	await r.press('ect\rk');
	assert.match(r.frame(), /filter "select" · 2\/3/);
});

test('PgUp/PgDn, Home/End, Ctrl-d and 0 (all states) work in the list', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />);
	t.after(() => r.unmount());
	await r.press(keys.end);
	assert.match(r.frame(), /20\/20/);
	await r.press(keys.pageUp); // a page is the 18 list rows of an 80x24 frame
	assert.match(r.frame(), /2\/20/);
	await r.press(keys.home);
	assert.match(r.frame(), /1\/20/);
	await r.press(keys.ctrlD);
	assert.match(r.frame(), /10\/20/);
	await r.press('1', '2');
	assert.match(r.frame(), /states: chan send, select/);
	await r.press('0');
	assert.doesNotMatch(r.frame(), /states:/);
});

test('the stack view shows args from the parsed dump (the model keeps arg-less frames)', async t => {
	const spec = {id: 7, frames: [['main.send', '/app/send.go', 12]] as Array<[string, string, number]>};
	const compact = tracked({...spec, args: ''});
	const parsed = goroutine({...spec, args: '{0x0?, 0x7bc300?}, 0x9ab0a0?'});
	const s = new FakeStore(snapshot([compact]), {last: {...fetched, dump: {...fetched.dump, goroutines: [parsed]}}});
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press(keys.enter);
	assert.match(r.frame(), /^main\.send\(\{0x0\?, 0x7bc300\?\}, 0x9ab0a0\?\)$/m);
	await r.press(keys.escape, keys.tab, 'v');
	assert.match(r.frame(), /^main\.send\(\{0x0\?, 0x7bc300\?\}, 0x9ab0a0\?\)$/m);
});

test("a gone goroutine's stack reads (…) for the args the model did not keep, and says why", async t => {
	const spec = {
		id: 7,
		frames: [
			['internal/poll.runtime_pollWait', '/go/src/runtime/netpoll.go', 345],
			['main.send', '/app/send.go', 12],
		] as Array<[string, string, number]>,
	};
	const parsed = goroutine({...spec, args: '0x7f1c2a3b4c50, 0x72'});
	const s = new FakeStore(snapshot([tracked({...spec, args: ''}), tracked({id: 8})]), {last: {...fetched, dump: {...fetched.dump, goroutines: [parsed]}}});
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press(keys.enter);
	assert.match(r.frame(), /^internal\/poll\.runtime_pollWait\(0x7f1c2a3b4c50, 0x72\)$/m);
	assert.doesNotMatch(r.frame(), /args are shown only/);
	s.set({model: snapshot([tracked({id: 8})], {poll: 2}), poller: {...s.getState().poller, last: {...fetched, dump: {...fetched.dump, goroutines: []}}}});
	await r.press('g');
	assert.match(r.frame(), /GONE: no longer in the dump/);
	assert.match(r.frame(), /^internal\/poll\.runtime_pollWait\(…\)$/m);
	assert.match(r.frame(), /^main\.send\(…\)$/m);
	assert.match(r.frame(), /^\(…\): args are shown only while the goroutine is in the latest dump$/m);
});

test('lines are cut into ASCII and non-ASCII runs that join back to the line (Ink measures ASCII runs fast)', () => {
	assert.deepEqual(asciiRuns('?● 599 chan send   pricing.fetch…Quote quotes.go:47'), ['?', '●', ' 599 chan send   pricing.fetch', '…', 'Quote quotes.go:47']);
	assert.deepEqual(asciiRuns('plain ascii row'), ['plain ascii row']);
	assert.deepEqual(asciiRuns('▇███'), ['▇███']);
	assert.deepEqual(asciiRuns(''), []);
	for (const line of ['total 53 ▃▁█ +4 · stuck 38', '↑↓ move  ⏎ stack', 'a·b·c']) assert.equal(asciiRuns(line).join(''), line);
});

test('e says why it cannot open an editor: none set, or the file is not on this machine', async t => {
	const saved = {VISUAL: process.env['VISUAL'], EDITOR: process.env['EDITOR']};
	t.after(() => {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	});
	delete process.env['VISUAL'];
	delete process.env['EDITOR'];
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await r.press(keys.enter, 'e');
	assert.match(r.frame(), /no editor: set \$VISUAL or \$EDITOR/);
	// The stack says the source is not here (once the reader has looked), and e says the same with the way to map it.
	for (const until = Date.now() + 5000; !/source not found/.test(r.frame()) && Date.now() < until; ) await r.settle();
	assert.match(r.frame(), /^ {4}source not found here; --source-root DIR maps it$/m);
	process.env['EDITOR'] = 'vi';
	await r.press('e');
	for (const until = Date.now() + 5000; !/is not on this machine/.test(r.frame()) && Date.now() < until; ) await r.settle();
	assert.match(r.frame(), /publish\.go:88 is not on this machine; --source-root DIR maps it/);
});
