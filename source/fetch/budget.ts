// What a full debug=2 dump costs the target, predicted before gmon asks for one, and whether the
// budget allows it. Go stops the world while it writes every stack (measured: 1.4 s at 10k
// goroutines, ~16 s at 100k), so the cheap debug=1 profile (the count and the groups) comes first
// and the count times the cost per goroutine measured so far says what a full dump would cost.
// Pure: the poller feeds it times and counts.
import {formatPause} from '../text/units.ts';

/** The window the --max-overhead share holds over: no 40 s anywhere freezes the target more. */
export const BUDGET_WINDOW_MS = 40_000;

/**
 * Cost per goroutine before any full dump was measured, when the stacks' depth is unknown: 1.4 s / 10k
 * and 16 s / 100k goroutines (issue 14's measurements on a Go service) give 0.14–0.16 ms; the higher
 * is assumed.
 */
export const PRIOR_MS_PER_GOROUTINE = 0.16;

/**
 * The same prior from the debug=1 profile's depths: Go's dump time follows the text it writes, which
 * follows the frames. A fixed part, per goroutine (its header and fixed frames) and per PC of its stack, fitted to
 * `npm run bench -- dump-cost` (shallow stacks of ~6 PCs: 9–19 µs per goroutine on Go 1.19–1.27) and
 * to issue 14's service (~26 PCs: 140 µs), erring high. A 10k-goroutine service with shallow stacks
 * is then dumped (~0.4 s predicted, 0.1 s measured) instead of held as if its stacks were deep.
 */
export const PRIOR_MS_PER_DUMP = 1;
export const PRIOR_MS_PER_STACK = 0.008;
export const PRIOR_MS_PER_PC = 0.005;

/** The prior for `goroutines` goroutines holding `pcs` PCs in all (undefined: depth unknown). */
export function priorFullMs(goroutines: number, pcs: number | undefined): number {
	const ms = pcs === undefined ? goroutines * PRIOR_MS_PER_GOROUTINE : PRIOR_MS_PER_DUMP + goroutines * PRIOR_MS_PER_STACK + pcs * PRIOR_MS_PER_PC;
	return Math.max(1, Math.ceil(ms));
}

/** A full dump's world stop, as measured (time to response headers: Go sends them after collecting). */
export interface Pause {
	/** When it started, epoch-ms. */
	at: number;
	ms: number;
}

export interface BudgetLimits {
	/** % of any window the target may be frozen; 0 = no share limit. */
	maxOverheadPct: number;
	/** Longest single freeze, ms; 0 = no limit. */
	maxPauseMs: number;
}

/** Frozen time inside [from, to]: the part of each pause that falls in it. */
export function frozenIn(pauses: readonly Pause[], from: number, to: number): number {
	let total = 0;
	for (const pause of pauses) total += Math.max(0, Math.min(to, pause.at + pause.ms) - Math.max(from, pause.at));
	return total;
}

/** Share of the last window (or of the time since `since`, when shorter) the target spent frozen. */
export function frozenShare(pauses: readonly Pause[], now: number, since: number): number {
	const from = Math.max(since, now - BUDGET_WINDOW_MS);
	const span = now - from;
	return span <= 0 ? 0 : frozenIn(pauses, from, now) / span;
}

/** One measured full dump: how long the world stood still, over how many goroutines. */
export interface CostSample {
	ms: number;
	goroutines: number;
}

/** Below this many goroutines a dump's time is mostly fixed cost (the round trip, gmon's own loop): no rate is learnt from it. */
const rateFloor = 1000;

/** How far above the prior a small dump's measured time counts (999 goroutines: at most ~640 ms). */
const SMALL_DUMP_SLACK = 4;

/**
 * A full dump of `goroutines` goroutines (holding `pcs` PCs, from the debug=1 profile, when known), ms:
 * before any was measured, the prior; then from each of the last three measured dumps, its own
 * time plus the goroutines added since at its rate (the prior below 1000 goroutines), never less
 * than it took; then the median, so one slow hop (or one lucky one) does not move it. The minimum
 * of the samples (used before) under-predicted: a 10k target was held frozen 6.9% of a 40 s watch.
 */
export function predictFullMs(goroutines: number, samples: readonly CostSample[], pcs?: number): number {
	if (samples.length === 0) return priorFullMs(goroutines, pcs);
	const estimates = samples.slice(-3).map(sample => {
		const small = sample.goroutines < rateFloor;
		const rate = small ? PRIOR_MS_PER_GOROUTINE : sample.ms / sample.goroutines;
		// A small dump's time to headers is the round trip and whatever else the hosts were doing
		// (a loaded laptop took 1.8 s to answer for 12 goroutines, and every later full dump was held
		// as "over --max-pause"): the world cannot stand still that long for so few stacks, so its
		// time counts up to a few times the prior, never more.
		const own = small ? Math.min(sample.ms, SMALL_DUMP_SLACK * priorFullMs(sample.goroutines, undefined)) : sample.ms;
		return own + Math.max(0, goroutines - sample.goroutines) * rate;
	});
	estimates.sort((a, b) => a - b);
	return Math.max(1, Math.ceil(estimates[Math.floor(estimates.length / 2)]!));
}

/** The most one window may hold frozen, ms; Infinity without a share limit. */
export function windowBudgetMs(limits: BudgetLimits): number {
	return limits.maxOverheadPct > 0 ? (BUDGET_WINDOW_MS * limits.maxOverheadPct) / 100 : Number.POSITIVE_INFINITY;
}

/**
 * Why gmon will not take a full dump of this cost by itself, or undefined when one fits: a single
 * freeze over --max-pause, or one that alone breaks the share of a window.
 */
export function heldReason(predictedMs: number, limits: BudgetLimits): string | undefined {
	if (limits.maxPauseMs > 0 && predictedMs > limits.maxPauseMs) return `over --max-pause ${formatPause(limits.maxPauseMs)}`;
	const budget = windowBudgetMs(limits);
	if (predictedMs > budget) return `over --max-overhead ${limits.maxOverheadPct}% of ${formatPause(BUDGET_WINDOW_MS)} (${formatPause(budget)})`;
	return undefined;
}

/** Whether a full dump of this cost fits the window that ends now, given the pauses already in it. */
export function fitsWindow(predictedMs: number, pauses: readonly Pause[], now: number, limits: BudgetLimits): boolean {
	const budget = windowBudgetMs(limits);
	if (budget === Number.POSITIVE_INFINITY) return true;
	return frozenIn(pauses, now - BUDGET_WINDOW_MS, now) + predictedMs <= budget;
}

/** The spacing between full dumps that keeps a steady share under the budget, ms (at least the interval). */
export function fullIntervalMs(predictedMs: number, intervalMs: number, limits: BudgetLimits): number {
	if (limits.maxOverheadPct <= 0) return intervalMs;
	return Math.max(intervalMs, Math.ceil((predictedMs * 100) / limits.maxOverheadPct));
}
