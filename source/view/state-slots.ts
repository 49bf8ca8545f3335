// The per-state counts in the header are numbered, and 1–9 toggle them: a number must keep
// meaning the same state while the user reads it and reaches for the key. So states get slots,
// not a position recomputed per poll: a present state keeps its slot; a state that drops to 0
// stays in its slot (shown with 0) for `holdMs`; only then may a new state take the slot over
// (or, at the end of the line, the slot goes). Nothing ever moves up to fill a gap.
import {classifyState} from '../dump/classify.ts';
import type {StateClass} from '../dump/api.ts';

export interface StateSlot {
	state: string;
	/** model.at of the last snapshot that counted it (> 0). */
	seenAt: number;
}

/** How long a state at 0 keeps its slot: long enough to read the header and press its number. */
export const holdMs = 60_000;

/** Leak-shaped waits first (they are what a leak hunter filters to), on-CPU and runtime last. */
const knownStates = [
	'chan send',
	'chan receive',
	'select',
	'chan send (nil chan)',
	'chan receive (nil chan)',
	'select (no cases)',
	'sync.Mutex.Lock',
	'sync.RWMutex.RLock',
	'sync.RWMutex.Lock',
	'sync.WaitGroup.Wait',
	'sync.Cond.Wait',
	'semacquire',
	'IO wait',
	'sleep',
];
const classRank: Record<StateClass, number> = {channel: 1, sync: 2, io: 3, sleep: 4, other: 5, running: 6, runtime: 7};

function stateRank(state: string): number {
	const known = knownStates.indexOf(state);
	return known >= 0 ? known : 100 * classRank[classifyState(state)];
}

/** The order states first appear in: several new at once are placed leak-shaped first. */
function compareStates(a: string, b: string): number {
	return stateRank(a) - stateRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The slots after a snapshot taken at `at` with these counts. `keep`: states filtered on, which
 * never give up their slot (the footer names them; their number must still toggle them off).
 */
export function nextSlots(previous: readonly StateSlot[], counts: Record<string, number>, at: number, keep: readonly string[]): StateSlot[] {
	const present = (state: string) => (counts[state] ?? 0) > 0;
	const slots = previous.map(slot => (present(slot.state) ? {state: slot.state, seenAt: at} : slot));
	const free = (slot: StateSlot) => at - slot.seenAt > holdMs && !keep.includes(slot.state);
	const known = new Set(slots.map(slot => slot.state));
	const arrivals = Object.keys(counts)
		.filter(state => present(state) && !known.has(state))
		.sort(compareStates);
	for (const state of arrivals) {
		const i = slots.findIndex(free);
		if (i >= 0) slots[i] = {state, seenAt: at};
		else slots.push({state, seenAt: at});
	}
	while (slots.length > 0 && free(slots[slots.length - 1]!)) slots.pop();
	return slots;
}
