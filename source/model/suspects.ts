// Rank groups the way a leak hunter would. Anchor: Uber's LeakProf — many goroutines blocked
// at one channel operation in your own code. Our heuristic needs, for a group:
//   - leak-shaped: blocked on a channel, select, nil channel or sync primitive, parked in the
//     user's own code (a user frame exists), not known-benign, not seen waking (periodic);
//   - and stuck members (unchanged for --stuck-after, or Go's own minutes), plus one of:
//       · the wait can never end (nil channel, `select {}` outside main.main);
//       · goroutines born while gmon watched that then got stuck (≥ 2): a worker pool idling
//         since before gmon started is stuck but was not born under watch; a leak adds
//         goroutines (in a trickle or a burst) — and, unlike a busy place
//         whose count merely wanders, a leak's stuck goroutines never leave (none exited,
//         moved on or woke within the window);
//       · LeakProf's rule: at least `leakThreshold` stuck goroutines at one place;
//       · a channel send parked for SEND_STUCK_MS or more (Go's own minutes count): its
//         receiver is gone — unlike a receive, which is how idle workers wait.
// Go's goroutineleak profile outranks all of it: `(leaked)` goroutines are proven.
import {formatDuration} from '../text/units.ts';
import {baseName} from '../dump/names.ts';
import {formatRate} from './format.ts';
import type {Group, Suspect} from './types.ts';

export interface GroupFacts {
	group: Group;
	/** Members at leak-shaped places (blocked, user code, not benign, not periodic), stuck or not. */
	leakShaped: number;
	/** Stuck members at leak-shaped places (blocked, user code, not benign, not periodic). */
	leakStuck: number;
	/** Of those, goroutines gmon first saw after the epoch's first poll. */
	stuckNewcomers: number;
	/** The longest wait among the stuck members, ms. */
	stuckMaxWaitMs: number;
	/** The group's representative place can never wake. */
	neverWakes: boolean;
	/** A stuck member left (exited, moved, woke) within the growth window: not a leak's pattern. */
	stuckLeftRecently: boolean;
}

export interface SuspectOptions {
	/** LeakProf's count rule: this many stuck goroutines at one place are a suspect without growth. */
	leakThreshold: number;
}

const PROVEN = 1e9;

/** How long a channel send may stay parked before it is a suspect with no growth seen. */
export const SEND_STUCK_MS = 5 * 60_000;

function isSend(state: string): boolean {
	return state === 'chan send' || state.startsWith('chan send ');
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one-line why: "42 goroutines in chan send at handlers.go:88, +3/min, stuck 2m". */
export function suspectReason(facts: GroupFacts, proven: boolean): string {
	const g = facts.group;
	const where = g.where ? ` at ${baseName(g.where.file) || g.where.func}${g.where.line ? `:${g.where.line}` : ''}` : '';
	const parts = [`${plural(g.count, 'goroutine')} in ${g.state}${where}`];
	if (g.growthPerMin > 0) parts.push(formatRate(g.growthPerMin));
	if (facts.leakStuck > 0 || g.stuck > 0) {
		const stuck = Math.max(facts.leakStuck, g.stuck);
		const wait = formatDuration(Math.max(facts.stuckMaxWaitMs, 0));
		parts.push(stuck >= g.count ? `stuck ${wait}` : `${stuck} stuck up to ${wait}`);
	}
	if (facts.neverWakes) parts.push('never wakes');
	const line = parts.join(', ');
	if (!proven) return line;
	const of = g.leaked >= g.count ? '' : ` (${g.leaked} of ${g.count})`;
	return `proven leak${of}: ${line}`;
}

function score(facts: GroupFacts): number {
	const g = facts.group;
	const waitMinutes = Math.min(60, facts.stuckMaxWaitMs / 60_000);
	let s = facts.leakStuck + 0.1 * g.count + 2 * Math.max(0, g.growthPerMin) + 3 * facts.stuckNewcomers + waitMinutes;
	if (facts.neverWakes) s += 10;
	if (g.leaked > 0) s += PROVEN + 1000 * g.leaked;
	return s;
}

export function isSuspect(facts: GroupFacts, options: SuspectOptions): boolean {
	const g = facts.group;
	if (g.leaked > 0) return true;
	// A nil channel or `select {}` never wakes: no need to watch it for N polls first.
	if (facts.neverWakes && facts.leakShaped > 0) return true;
	if (facts.leakStuck === 0) return false;
	// A sender parked for minutes has lost its receiver (the forgotten sender, the abandoned
	// producer). Receivers are different: an idle worker waits to receive for hours, healthily.
	if (isSend(g.state) && facts.stuckMaxWaitMs >= SEND_STUCK_MS) return true;
	// Born while gmon watched, then stuck, and none of them ever left: that is a leak whether it
	// arrived one request at a time or in one burst between two polls (a group that appears
	// mid-watch grew from nothing), and it stays one after the growth stops.
	if (facts.stuckNewcomers >= 2 && !facts.stuckLeftRecently) return true;
	return facts.leakStuck >= options.leakThreshold;
}

/** Suspects, best first: proven before every heuristic one, then by score, then by key. */
export function rankSuspects(all: readonly GroupFacts[], options: SuspectOptions): Suspect[] {
	const out: Suspect[] = [];
	for (const facts of all) {
		if (!isSuspect(facts, options)) continue;
		const g = facts.group;
		const proven = g.leaked > 0;
		out.push({
			groupKey: g.key,
			count: g.count,
			state: g.state,
			where: g.where,
			reason: suspectReason(facts, proven),
			proven,
			score: score(facts),
			stuck: facts.leakStuck,
			leaked: g.leaked,
			growthPerMin: g.growthPerMin,
			maxWaitMs: facts.stuckMaxWaitMs,
		});
	}
	out.sort((a, b) => b.score - a.score || (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0));
	return out;
}
