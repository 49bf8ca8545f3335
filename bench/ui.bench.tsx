// The TUI's share of a poll and of a key press, at 10k and 100k goroutines (issue 7 targets:
// a poll's work ≤ 150 ms / ≤ 1.5 s — of which parse and track are measured by the dump and model
// benches — a key press re-render ≤ 16 ms / ≤ 50 ms, a fuzzy keystroke over 100k ≤ 50 ms after the
// first). Run: `npm run bench -- ui`. It measures React's production build, which is what the
// gmon binary runs (source/bin.js sets NODE_ENV); GMON_BENCH_DEV=1 measures the development build.
//
// The snapshots come from the real parser and tracker over synthetic Go dumps (building them is
// not timed). Each later poll is a fresh parse's worth of new objects, so every cache keyed by
// identity misses exactly as it does live. Timed: the App rendering a frame into a fake 120x40 TTY
// (Ink debug mode writes each frame at once), from the store's change or the key's bytes to the
// frame's write — which includes filter, sort, window and row formatting. GMON_BENCH_SIZE=200x50
// picks another size: Ink's own cost per frame grows with the cells it draws. CPU time is printed
// beside wall time because this machine is shared.
import type {Goroutine} from '../source/dump/types.ts';
import type {ModelSnapshot} from '../source/model/types.ts';
import {BenchStdin, BenchStdout, benchSize} from './fake-tty.ts';

if (!process.env['GMON_BENCH_DEV']) process.env['NODE_ENV'] = 'production';
delete process.env['CI'];

const [{render}, React, {App}, {createDumpParser}, {Tracker}, {synthDumpChunks}, {FakeStore}, {createSelector}, {initialUiState}] = await Promise.all([
	import('ink'),
	import('react'),
	import('../source/ui/app.tsx'),
	import('../source/dump/parse.ts'),
	import('../source/model/tracker.ts'),
	import('../test/helpers/synth-dump.ts'),
	import('../test/helpers/fake-store.ts'),
	import('../source/view/select.ts'),
	import('../source/view/reducer.ts'),
]);

const fresh = (text: string): string => `${text}\u0000`.slice(0, -1);
const copy = (g: Goroutine): Goroutine => ({...g, state: fresh(g.state), frames: g.frames.map(f => ({...f, func: fresh(f.func), file: fresh(f.file)}))});

/**
 * Polls of one synthetic service, one at a time: only the current snapshot (and the tracker's own
 * memory) stays alive, as in gmon — keeping every poll's copy would make the GC, not the UI, the
 * figure being measured.
 */
function pollsOf(n: number): () => ModelSnapshot {
	const parser = createDumpParser();
	for (const chunk of synthDumpChunks({goroutines: n, seed: 7, stacks: 300})) parser.write(chunk);
	const goroutines = parser.end().goroutines;
	const tracker = new Tracker();
	let poll = 0;
	return () => tracker.update({goroutines: goroutines.map(copy), at: poll++ * 2000});
}

const [benchColumns, benchRows] = benchSize();
/** Typed into the fuzzy filter one key at a time (the first key prepares the targets; the rest are timed). */
const QUERY = 'worker run pool';

/** Wall time and this process's CPU time (user+system) of `run`: on a shared, loaded machine CPU time is the steadier figure. */
async function timed(run: () => Promise<void>): Promise<{wall: number; cpu: number}> {
	const cpu0 = process.cpuUsage();
	const start = performance.now();
	await run();
	const wall = performance.now() - start;
	const cpu = process.cpuUsage(cpu0);
	return {wall, cpu: (cpu.user + cpu.system) / 1000};
}

const stats = (times: number[]) => {
	const sorted = [...times].sort((a, b) => a - b);
	const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
	return `mean ${mean.toFixed(1)} ms, median ${(sorted[sorted.length >> 1] ?? 0).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms (n=${sorted.length})`;
};
const tick = () => new Promise(resolve => setTimeout(resolve, 0));

let failed = false;
// Judged on the mean wall time: what a user waits for, every sample counted. CPU time is printed too;
// it is steadier on a loaded machine but counts V8's parallel GC threads, which the user never waits on.
const check = (label: string, samples: Array<{wall: number; cpu: number}>, limit: number) => {
	const wall = samples.map(s => s.wall);
	const mean = wall.reduce((a, b) => a + b, 0) / Math.max(1, wall.length);
	const ok = mean <= limit;
	if (!ok) failed = true;
	console.log(
		`  ${ok ? 'ok  ' : 'SLOW'} ${label} (target ≤ ${limit} ms, mean wall)\n         wall: ${stats(wall)}\n         cpu:  ${stats(samples.map(s => s.cpu))}`,
	);
};

console.log(`React build: ${process.env['NODE_ENV'] === 'production' ? 'production' : 'development'}; terminal ${benchColumns}x${benchRows}`);
const only = process.env['GMON_BENCH_GOROUTINES'] ? Number(process.env['GMON_BENCH_GOROUTINES']) : undefined;
const sizes: ReadonlyArray<readonly [number, number, number]> =
	only === undefined
		? [
				[10_000, 150, 16],
				[100_000, 1500, 50],
			]
		: [[only, only > 10_000 ? 1500 : 150, only > 10_000 ? 50 : 16]];
for (const [n, pollLimit, keyLimit] of sizes) {
	const nextPoll = pollsOf(n);
	const firstPoll = nextPoll();
	console.log(`\n${n} goroutines: ${firstPoll.groups.length} groups`);

	// Pure view work per poll: filter + sort + window on a new snapshot (no Ink).
	const select = createSelector();
	const ui = initialUiState();
	const view = ui.views[0] as Parameters<typeof select.goroutines>[2];
	const pure: number[] = [];
	for (let i = 0; i < 5; i++) {
		const model = nextPoll();
		const start = performance.now();
		select.goroutines(model, ui, view, 45);
		pure.push(performance.now() - start);
	}
	console.log(`  pure select (sort ${n} by wait + window) per poll: ${stats(pure)}`);
	// Pure fuzzy filtering per keystroke on one snapshot (no Ink): the filter's own share.
	const current = nextPoll();
	const keystrokes: number[] = [];
	let query = '';
	for (const char of QUERY) {
		query += char;
		const start = performance.now();
		select.goroutines(current, {...ui, query}, view, 45);
		keystrokes.push(performance.now() - start);
	}
	console.log(`  pure fuzzy filter of ${n}: first keystroke ${keystrokes[0]!.toFixed(1)} ms, then ${stats(keystrokes.slice(1))}`);

	const store = new FakeStore(firstPoll, {
		last: {
			at: 0,
			durationMs: 10,
			bytes: 1,
			debug: 2,
			dump: {kind: 'traceback', goroutines: [], records: [], truncated: false, bytes: 0, skippedLines: 0},
			truncated: false,
		},
	});
	const stdout = new BenchStdout(benchColumns, benchRows);
	const stdin = new BenchStdin();
	const first = stdout.nextFrame();
	const start = performance.now();
	const app = render(React.createElement(App, {store, clock: () => 0}), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	await first;
	console.log(`  first frame: ${(performance.now() - start).toFixed(0)} ms`);
	await tick();

	const pollTimes: Array<{wall: number; cpu: number}> = [];
	for (let i = 0; i < 5; i++) {
		const model = nextPoll();
		const frame = stdout.nextFrame();
		pollTimes.push(
			await timed(async () => {
				store.setModel(model);
				await frame;
			}),
		);
		await tick();
	}
	check('poll → frame (select visible rows + render)', pollTimes, pollLimit);

	const keyTimes: Array<{wall: number; cpu: number}> = [];
	for (let i = 0; i < Number(process.env['GMON_BENCH_KEYS'] ?? 100); i++) {
		const frame = stdout.nextFrame();
		keyTimes.push(
			await timed(async () => {
				stdin.send(i % 3 === 2 ? 'k' : 'j');
				await frame;
			}),
		);
		await tick();
	}
	check('key press (j/k) → frame', keyTimes, keyLimit);

	const slash = stdout.nextFrame();
	stdin.send('/');
	await slash;
	await tick();
	const typed: Array<{wall: number; cpu: number}> = [];
	for (const char of QUERY) {
		const frame = stdout.nextFrame();
		typed.push(
			await timed(async () => {
				stdin.send(char);
				await frame;
			}),
		);
		await tick();
	}
	console.log(`  fuzzy: first keystroke cpu ${typed[0]!.cpu.toFixed(1)} ms, wall ${typed[0]!.wall.toFixed(1)} ms (prepares the targets)`);
	check('fuzzy keystroke → frame, after the first', typed.slice(1), n >= 100_000 ? 50 : 16);

	// A new poll while a filter is active: the prepared-target cache carries over.
	const filtered: Array<{wall: number; cpu: number}> = [];
	for (let i = 0; i < 3; i++) {
		const model = nextPoll();
		const frame = stdout.nextFrame();
		filtered.push(
			await timed(async () => {
				store.setModel(model);
				await frame;
			}),
		);
		await tick();
	}
	console.log(`  poll → frame with the fuzzy filter on: cpu ${stats(filtered.map(s => s.cpu))}; wall ${stats(filtered.map(s => s.wall))}`);
	app.unmount();
	await tick();
}
if (failed) process.exitCode = 1;
