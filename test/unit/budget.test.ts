// The target's budget: a full debug=2 dump is predicted from the debug=1 count before it is asked
// for, taken only while every 40 s window stays under --max-overhead and one freeze under
// --max-pause, and held (counts and groups only, its cost said) when one alone would break either.
// The rules are pure (budget.ts); the poller is driven here with a fake source whose dumps take
// simulated time on a ManualTimers clock, so a two-minute watch runs in milliseconds.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Goroutine} from '../../source/dump/types.ts';
import {BUDGET_WINDOW_MS, fitsWindow, frozenIn, frozenShare, heldReason, type Pause, PRIOR_MS_PER_GOROUTINE, predictFullMs} from '../../source/fetch/budget.ts';
import {PollFault} from '../../source/fetch/faults.ts';
import {Poller, type PollerOptions} from '../../source/fetch/poller.ts';
import type {DumpSource, FetchOutcome, FetchRequest} from '../../source/fetch/source.ts';
import {ManualTimers} from '../../source/fetch/timers.ts';
import {formatPause, formatShare} from '../../source/text/units.ts';

test('a full dump is predicted from the count: the prior before any is measured, then what the last ones cost', () => {
	assert.equal(predictFullMs(10_000, []), Math.ceil(10_000 * PRIOR_MS_PER_GOROUTINE));
	assert.equal(predictFullMs(100_000, []), 16_000, "100k goroutines: Go's ~16 s");
	// Measured at 10k: 1.4 s; the same target at 20k costs twice that.
	assert.equal(predictFullMs(20_000, [{ms: 1400, goroutines: 10_000}]), 2800);
	// Fewer goroutines than measured: never predicted below what it took.
	assert.equal(predictFullMs(5000, [{ms: 1400, goroutines: 10_000}]), 1400);
	// A small dump is mostly fixed cost: its rate is not extrapolated (the prior is).
	assert.equal(predictFullMs(2000, [{ms: 3, goroutines: 5}]), Math.ceil(3 + 1995 * PRIOR_MS_PER_GOROUTINE));
	// The median of the last three: one slow hop does not move it, nor does one lucky one.
	const samples = [
		{ms: 1400, goroutines: 10_000},
		{ms: 9000, goroutines: 10_000},
		{ms: 100, goroutines: 10_000},
	];
	assert.equal(predictFullMs(10_000, samples), 1400);
});

test('a small dump that answered slowly (a loaded host, a far network) does not read as a long freeze', () => {
	const limits = {maxOverheadPct: 5, maxPauseMs: 1000};
	// 12 goroutines took 1.8 s to answer: at most 4x the prior counts (2 ms for 12), so nothing is held.
	const slowSmall = predictFullMs(12, [{ms: 1800, goroutines: 12}]);
	assert.equal(slowSmall, 8);
	assert.equal(heldReason(slowSmall, limits), undefined);
	// A quick small dump counts as measured.
	assert.equal(predictFullMs(12, [{ms: 3, goroutines: 12}]), 3);
	// From 1000 goroutines on, the measured time is the freeze: a slow dump of 1642 stays slow.
	assert.equal(heldReason(predictFullMs(1642, [{ms: 1800, goroutines: 1642}]), limits), 'over --max-pause 1s');
});

test('held: over --max-pause, or over the whole share of a window; none with the limits off', () => {
	const limits = {maxOverheadPct: 5, maxPauseMs: 1000};
	assert.equal(heldReason(900, limits), undefined);
	assert.equal(heldReason(1400, limits), 'over --max-pause 1s');
	assert.equal(heldReason(2500, {maxOverheadPct: 5, maxPauseMs: 0}), 'over --max-overhead 5% of 40s (2s)');
	assert.equal(heldReason(60_000, {maxOverheadPct: 0, maxPauseMs: 0}), undefined);
});

test('before any full dump, the prior follows the stacks depth the debug=1 profile lists', () => {
	// bench dump-cost: 10k shallow goroutines (~6 PCs) measured 0.1 s on Go 1.26/1.27: predicted under
	// the default --max-pause, so dumped, not held as if deep.
	assert.equal(predictFullMs(10_000, [], 60_000), 381);
	// Issue 14's service: 1.4 s at 10k goroutines, ~26 PCs each.
	assert.equal(predictFullMs(10_000, [], 260_000), 1381);
	// Depth unknown (no records): the cautious per-goroutine prior.
	assert.equal(predictFullMs(10_000, [], undefined), Math.ceil(10_000 * PRIOR_MS_PER_GOROUTINE));
	// Once a dump was measured, the measurement rules, whatever the depth.
	assert.equal(predictFullMs(10_000, [{ms: 1400, goroutines: 10_000}], 60_000), 1400);
});

test('the window: frozen time in any 40 s, and whether one more dump fits', () => {
	const pauses: Pause[] = [
		{at: 0, ms: 1400},
		{at: 30_000, ms: 500},
	];
	assert.equal(frozenIn(pauses, 0, 40_000), 1900);
	assert.equal(frozenIn(pauses, 1000, 41_000), 900, 'the part of a pause inside the window');
	const limits = {maxOverheadPct: 5, maxPauseMs: 1000};
	assert.equal(fitsWindow(200, pauses, 35_000, limits), false, '1.9 s + 0.2 s > 2 s');
	assert.equal(fitsWindow(200, pauses, 41_400, limits), true, 'once the first pause has left the window');
	assert.equal(frozenShare(pauses, 40_000, 0), 1900 / 40_000);
	assert.equal(frozenShare([{at: 0, ms: 100}], 1000, 0), 0.1, 'the first window counts from the start');
	assert.equal(formatShare(1900 / 40_000), '4.8%');
	assert.equal(formatPause(1400), '1.4s');
	assert.equal(formatPause(1000), '1s');
	assert.equal(formatPause(12), '12ms');
	assert.equal(formatPause(16_000), '16s');
});

/**
 * A live target of `goroutines()` goroutines whose full dump freezes it `msPerGoroutine` each (the
 * clock moves by that while the fetch runs, as time to headers would); debug=1 costs 2 ms.
 */
class FakeTarget implements DumpSource {
	readonly displayName = 'fake:6060';
	readonly repeats = true;
	readonly hasProfiles = true;
	readonly requests: string[] = [];
	/** Every full dump's freeze as the target saw it. */
	readonly pauses: Pause[] = [];
	goroutines = 100;
	msPerGoroutine = 0.14;
	constructor(private readonly timers: ManualTimers) {}

	async fetch(request: FetchRequest): Promise<FetchOutcome> {
		if (request.profile === 'goroutineleak') throw new PollFault('not-found', 'no goroutineleak here', 404);
		this.requests.push(`${request.profile}?debug=${request.debug}`);
		const at = this.timers.now();
		const full = request.debug === 2;
		const ms = full ? Math.round(this.goroutines * this.msPerGoroutine) : 2;
		this.timers.advance(ms);
		if (full) this.pauses.push({at, ms});
		const goroutines = full ? Array.from({length: this.goroutines}, () => ({}) as Goroutine) : [];
		const dump = {
			kind: full ? ('traceback' as const) : ('profile' as const),
			goroutines,
			records: [],
			truncated: false,
			bytes: 1,
			skippedLines: 0,
			...(full ? {} : {profileTotal: this.goroutines}),
		};
		return {result: {at, durationMs: ms, bytes: 1, debug: request.debug, dump, truncated: false}, headersMs: ms};
	}

	fulls(): number {
		return this.requests.filter(r => r === 'goroutine?debug=2').length;
	}

	async close(): Promise<void> {}
}

function setup(t: {after(fn: () => unknown): void}, options: Partial<PollerOptions> = {}) {
	const timers = new ManualTimers();
	const target = new FakeTarget(timers);
	const poller = new Poller(target, {intervalMs: 2000, maxOverheadPct: 5, leakIntervalMs: 3_600_000, timers, ...options});
	t.after(() => poller.stop());
	/** Let the schedule run for `ms` of simulated time. */
	const run = async (ms: number): Promise<void> => {
		const until = timers.now() + ms;
		while (timers.now() < until && timers.fire()) await poller.whenIdle();
	};
	return {timers, target, poller, run};
}

/** The most any 40 s window held frozen: checked at the end of every pause (where a window's share peaks). */
function worstWindow(pauses: readonly Pause[]): number {
	return Math.max(0, ...pauses.map(pause => frozenIn(pauses, pause.at + pause.ms - BUDGET_WINDOW_MS, pause.at + pause.ms)));
}

test('first contact is debug=1; a small target then gets its full dump in the same poll', async t => {
	const {target, poller} = setup(t);
	poller.start();
	await poller.whenIdle();
	assert.deepEqual(target.requests.slice(0, 2), ['goroutine?debug=1', 'goroutine?debug=2']);
	const state = poller.getState();
	assert.equal(state.last?.dump.goroutines.length, 100);
	assert.equal(state.fullDump?.held, undefined);
	assert.equal(state.pauses.length, 1);
	assert.equal(state.pauses[0]?.ms, 14);
});

test('a target whose full dump would break --max-pause is never dumped unasked: counts only, the cost said; D takes one', async t => {
	const {target, poller, run} = setup(t);
	target.goroutines = 12_000;
	poller.start();
	await poller.whenIdle();
	let state = poller.getState();
	assert.deepEqual(target.requests, ['goroutine?debug=1'], 'the count came first, and it said no');
	assert.equal(state.last, undefined);
	assert.equal(state.lastProfile?.dump.profileTotal, 12_000, 'the groups and the count are shown');
	assert.deepEqual(state.fullDump, {goroutines: 12_000, predictedMs: 1920, held: 'over --max-pause 1s'});
	await run(60_000);
	assert.equal(target.fulls(), 0, 'a minute of watching: no full dump');
	assert.ok(target.requests.length >= 30, 'the counts kept coming');
	// The user asks (D): one full dump, measured; still held afterwards, now from the measured cost.
	poller.refreshNow();
	await poller.whenIdle();
	state = poller.getState();
	assert.equal(target.fulls(), 1);
	assert.equal(state.pauses.at(-1)?.ms, 1680);
	assert.deepEqual(state.fullDump, {goroutines: 12_000, predictedMs: 1680, held: 'over --max-pause 1s'});
	await run(20_000);
	assert.equal(target.fulls(), 1);
});

test("issue 14's 10k target at --max-pause 2s: no 40 s window ever holds it frozen more than 5%", async t => {
	const {target, poller, run} = setup(t, {maxPauseMs: 2000});
	target.goroutines = 10_000; // 1.4 s a dump, as measured
	poller.start();
	await poller.whenIdle();
	assert.equal(target.fulls(), 1, 'a 1.6 s prediction fits an empty window and the pause limit');
	await run(200_000);
	const worst = worstWindow(target.pauses);
	assert.ok(worst <= 2000, `worst window ${worst} ms frozen (budget 2000)`);
	assert.ok(target.fulls() >= 4, `full dumps still come (${target.fulls()} in 200 s)`);
	const state = poller.getState();
	assert.match(state.stretchedReason ?? '', /^each full dump freezes the target ~1\.4s; --max-overhead 5%$/);
	assert.equal(state.effectiveIntervalMs, 28_000);
});

test('a target that grows between polls: the count predicts the bigger dump, and the budget holds it', async t => {
	const {target, poller, run} = setup(t, {intervalMs: 1000});
	target.goroutines = 2000; // 280 ms
	poller.start();
	await poller.whenIdle();
	await run(30_000);
	assert.ok(target.fulls() >= 2);
	const before = target.fulls();
	target.goroutines = 50_000; // 7 s: over --max-pause
	await run(60_000);
	assert.equal(target.fulls(), before, 'never dumped at 50k goroutines');
	assert.equal(poller.getState().fullDump?.held, 'over --max-pause 1s');
	assert.ok(worstWindow(target.pauses) <= 2000);
});

test('?debug=1 (counts only): never a full dump unasked, whatever its cost', async t => {
	const {target, poller, run} = setup(t, {countsOnly: true});
	poller.start();
	await poller.whenIdle();
	await run(20_000);
	assert.equal(target.fulls(), 0);
	assert.equal(poller.getState().fullDump?.held, 'the target URL asks for ?debug=1 (counts only)');
	poller.refreshNow();
	await poller.whenIdle();
	assert.equal(target.fulls(), 1);
});

test('r (pollNow) stays within the budget; D (refreshNow) does not', async t => {
	const {target, poller} = setup(t);
	target.goroutines = 12_000;
	poller.start();
	await poller.whenIdle();
	poller.pollNow();
	await poller.whenIdle();
	assert.equal(target.fulls(), 0);
	poller.refreshNow();
	await poller.whenIdle();
	assert.equal(target.fulls(), 1);
});
