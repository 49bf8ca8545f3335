import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keys, renderTty} from '../helpers/render-tty.tsx';
import {App} from '../../source/ui/app.tsx';
import {FakeStore, snapshot, suspect, tracked, type GoroutineSpec} from '../helpers/fake-store.ts';

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

function workers(n: number, spec: (id: number) => Partial<GoroutineSpec> = () => ({})) {
	return Array.from({length: n}, (_, i) => tracked({id: i + 1, createdBy: {func: 'main.startWorkers', parentId: 1}, ...spec(i + 1)}));
}

function store(list = workers(40), poller = {}) {
	return new FakeStore(snapshot(list, {totalHistory: [10, 20, 40]}), {last: fetched, ...poller});
}

/** The list row showing goroutine `id` (by its ID column). */
function rowOf(lines: string[], id: number): string | undefined {
	return lines.find(line => new RegExp(`^...\\s*${id} `).test(line));
}

function selectedRow(raw: string): string | undefined {
	// Ink draws the selected row inverse: ESC[7m.
	return raw.split('\n').find(line => line.includes('\u001B[7m'));
}

/** The id on the selected row: inverse, and `>` after the two mark columns. */
function selectedId(raw: string): number | undefined {
	const row = selectedRow(raw);
	const match = row === undefined ? undefined : /^..>\s*(\d+) /.exec(row.replace(/\u001B\[[0-9;]*m/g, ''));
	return match ? Number(match[1]) : undefined;
}

test('at 80x24 the frame is 24 lines: header, column titles, rows, status and keys', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 80, rows: 24});
	t.after(() => r.unmount());
	const lines = r.lines();
	assert.equal(lines.length, 24);
	assert.ok(
		lines.every(line => line.length <= 80),
		'no line wider than the terminal',
	);
	assert.match(lines[0]!, /gmon localhost:6060 · polled .* in 40ms, 244 KiB · every 2s/);
	assert.match(lines[1]!, /total 40/);
	assert.match(lines[2]!, /1:chan receive 40/);
	assert.match(lines[3]!, /ID STATE\s+WAIT WHERE\s+FILE/);
	assert.match(lines[4]!, /^ {2}>\s*\d+ chan receive .*main\.worker\d .*worker\.go:\d+/);
	assert.match(lines[22]!, /sort leak↓ · 1\/40/);
	assert.match(lines[23]!, /↑↓ move {2}⏎ stack/);
});

test('wide terminals add the created-by column', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 200, rows: 50});
	t.after(() => r.unmount());
	assert.equal(r.lines().length, 50);
	assert.match(r.frame(), /CREATED BY/);
	assert.match(r.frame(), /main\.startWorkers in goroutine 1/);
});

test('below 60x12 it says the terminal is too small, and recovers on resize', async t => {
	const r = await renderTty(<App store={store()} clock={clock} />, {columns: 50, rows: 10});
	t.after(() => r.unmount());
	assert.match(r.frame(), /terminal too small: 50x10/);
	assert.doesNotMatch(r.frame(), /STATE/);
	await r.resize(100, 30);
	assert.doesNotMatch(r.frame(), /too small/);
	assert.equal(r.lines().length, 30);
	await r.resize(60, 12);
	assert.equal(r.lines().length, 12);
	assert.match(r.frame(), /STATE/);
});

test('j/k and arrows move the highlighted row; g/G go to the ends', async t => {
	const list = workers(40, id => ({waitMs: (41 - id) * 1000}));
	const r = await renderTty(<App store={store(list)} clock={clock} />);
	t.after(() => r.unmount());
	assert.equal(selectedId(r.rawFrame()), 1);
	await r.press('j', 'j', keys.down);
	assert.match(r.frame(), /4\/40/);
	await r.press('k');
	assert.match(r.frame(), /3\/40/);
	await r.press('G');
	assert.match(r.frame(), /40\/40/);
	assert.ok(rowOf(r.lines(), 40));
	await r.press('g');
	assert.match(r.frame(), /1\/40/);
	await r.press(keys.pageDown);
	assert.match(r.frame(), /19\/40/);
	await r.press(keys.ctrlU);
	assert.match(r.frame(), /10\/40/);
});

test('the selection follows its goroutine id across a new snapshot', async t => {
	const s = store(workers(30, id => ({waitMs: id * 1000})));
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('j', 'j'); // 30, 29, [28]
	assert.equal(selectedId(r.rawFrame()), 28);
	s.setModel(snapshot([...workers(30, id => ({waitMs: id === 28 ? 0 : id * 1000 + 500})), tracked({id: 77, waitMs: 999_000})], {poll: 2}));
	await r.settle();
	assert.equal(selectedId(r.rawFrame()), 28);
	assert.match(r.frame(), /31\/31/);
});

test('a gone selection says so and keeps the neighbourhood', async t => {
	const s = store(workers(10, id => ({waitMs: id * 1000})));
	const r = await renderTty(<App store={s} clock={clock} />);
	t.after(() => r.unmount());
	await r.press('j', 'j', 'j'); // 10 9 8 [7]
	s.setModel(
		snapshot(
			workers(10, id => ({waitMs: id * 1000})).filter(t => t.g.id !== 7),
			{poll: 2},
		),
	);
	await r.settle();
	assert.match(r.frame(), /goroutine 7 is gone; kept your place/);
	assert.equal(selectedId(r.rawFrame()), 6);
});

test('Enter shows every frame with args and file:line, created-by; Esc returns', async t => {
	const list = [
		tracked({id: 1, state: 'select', frames: [['main.main', '/app/main.go', 30]]}),
		tracked({
			id: 42,
			state: 'chan send',
			waitMs: 300_000,
			stuck: true,
			args: '0xc0000a0000, 0x2a',
			frames: [
				['runtime.gopark', '/usr/local/go/src/runtime/proc.go', 398],
				['runtime.chansend1', '/usr/local/go/src/runtime/chan.go', 145],
				['github.com/acme/svc/handlers.(*Server).publish', '/src/svc/handlers/publish.go', 88],
			],
			createdBy: {func: 'github.com/acme/svc/handlers.(*Server).Start', file: '/src/svc/handlers/server.go', line: 51, parentId: 1},
		}),
	];
	const r = await renderTty(<App store={store(list)} clock={clock} />);
	t.after(() => r.unmount());
	// Longest wait first: 42 is selected.
	await r.press(keys.enter);
	const frame = r.frame();
	assert.match(frame, /goroutine 42 \[chan send\]/);
	assert.match(frame, /waiting 5m · stuck 5 polls/);
	assert.match(frame, /runtime\.chansend1\(0xc0000a0000, 0x2a\)/);
	assert.match(frame, /github\.com\/acme\/svc\/handlers\.\(\*Server\)\.publish\(0xc0000a0000, 0x2a\)/);
	assert.match(frame, /\/src\/svc\/handlers\/publish\.go:88/);
	assert.match(frame, /created by github\.com\/acme\/svc\/handlers\.\(\*Server\)\.Start in goroutine 1/);
	assert.match(frame, /c parent/);
	// runtime frames are dimmed (ESC[2m), the user frame is not.
	const raw = r.rawFrame().split('\n');
	assert.match(raw.find(line => line.includes('runtime.chansend1')) ?? '', /\u001B\[2m/);
	assert.doesNotMatch(raw.find(line => line.includes('publish(')) ?? '', /\u001B\[2m/);
	await r.press('c');
	assert.match(r.frame(), /goroutine 1 \[select\]/);
	await r.press(keys.escape);
	assert.match(r.frame(), /goroutine 42 \[chan send\]/);
	await r.press(keys.escape);
	assert.match(r.frame(), /ID STATE/);
	assert.equal(selectedId(r.rawFrame()), 42);
	await r.press(keys.escape);
	assert.match(r.frame(), /ID STATE/, 'Esc at the root never quits');
});

test('escape sequences inside dump text never reach the terminal', async t => {
	const evil = '\u001B[2J\u001B]0;owned\u0007';
	const list = [
		tracked({
			id: 1,
			state: `chan receive${evil}`,
			frames: [[`main.evil${evil}`, `/app/x${evil}.go`, 1]],
			labels: {[`k${evil}`]: `v${evil}`},
			createdBy: {func: `main.spawn${evil}`},
		}),
	];
	const s = store(list, {target: `host${evil}:6060`});
	const r = await renderTty(<App store={s} clock={clock} />, {columns: 200, rows: 40});
	t.after(() => r.unmount());
	const check = () => {
		const raw = r.rawFrame();
		assert.doesNotMatch(raw, /\u001B\[2J/);
		assert.doesNotMatch(raw, /\u001B\]0;/);
		assert.doesNotMatch(raw, /\u0007/);
	};
	check();
	assert.match(r.frame(), /main\.evil\\x1b\[2J\\x1b\]0;owned\\x07/);
	await r.press(keys.enter);
	check();
	assert.match(r.frame(), /labels k\\x1b\[2J\\x1b\]0;owned\\x07=v/);
	await r.press(keys.escape, keys.tab);
	check();
});

test('NO_COLOR: no colour codes, the marks still show stuck and suspect rows', async t => {
	const list = workers(5, id => ({stuck: id === 2, waitMs: id * 100_000, groupKey: id === 3 ? 'leaky' : `g${id}`}));
	const s = new FakeStore(snapshot(list, {suspects: [suspect({groupKey: 'leaky', state: 'chan receive'})]}), {last: fetched});
	const r = await renderTty(<App store={s} clock={clock} noColor />);
	t.after(() => r.unmount());
	const raw = r.rawFrame();
	assert.doesNotMatch(raw, /\u001B\[(3[0-9]|9[0-7]|4[0-9]|38;|48;)/, 'no foreground/background colour codes');
	assert.match(rowOf(r.lines(), 2) ?? '', /^ ●/);
	assert.match(rowOf(r.lines(), 3) ?? '', /^\? /);
	const coloured = await renderTty(<App store={s} clock={clock} />);
	t.after(() => coloured.unmount());
	assert.match(coloured.rawFrame(), /\u001B\[(3[0-9]|9[0-7]|38;)/);
});
