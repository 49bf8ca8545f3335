// The header's trends: the total and each state's count per poll, in rings of the history length.
// A state that appears late is back-filled with zeros so every line lines up with the total; one
// that has been zero for a whole history is dropped.
import {Ring} from './ring.ts';

export class TotalsHistory {
	private readonly cap: number;
	private readonly total: Ring;
	private readonly states = new Map<string, {ring: Ring; lastNonZero: number}>();

	constructor(length: number) {
		this.cap = length;
		this.total = new Ring(length);
	}

	/** One point: the total and the count of each state at `poll`. */
	record(total: number, states: Record<string, number>, poll: number): void {
		const cap = this.cap;
		const before = this.total.length;
		this.total.push(total);
		for (const state of Object.keys(states)) {
			if (this.states.has(state)) continue;
			const ring = new Ring(cap);
			for (let i = 0; i < Math.min(before, cap - 1); i++) ring.push(0);
			this.states.set(state, {ring, lastNonZero: poll});
		}
		for (const [state, entry] of this.states) {
			const count = states[state] ?? 0;
			entry.ring.push(count);
			if (count > 0) entry.lastNonZero = poll;
			else if (poll - entry.lastNonZero >= cap) this.states.delete(state);
		}
	}

	totalArray(): number[] {
		return this.total.toArray();
	}

	stateArrays(): Record<string, number[]> {
		const out: Record<string, number[]> = {};
		for (const [state, entry] of this.states) out[state] = entry.ring.toArray();
		return out;
	}
}
