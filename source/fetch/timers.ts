// The poller's clock, injectable so tests step through schedules without sleeping.

export interface Timers {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A clock that only moves when told: `fire()` jumps to the earliest pending timer and runs it.
 * Real I/O still happens in real time; only the waits between polls are skipped.
 */
export class ManualTimers implements Timers {
	private offset = 0;
	private nextId = 1;
	private readonly pending = new Map<number, {fn: () => void; due: number}>();

	now(): number {
		return Date.now() + this.offset;
	}

	setTimeout(fn: () => void, ms: number): unknown {
		const id = this.nextId++;
		this.pending.set(id, {fn, due: this.now() + Math.max(0, ms)});
		return id;
	}

	clearTimeout(handle: unknown): void {
		this.pending.delete(handle as number);
	}

	/** Pending timers: how long until each is due, ms, soonest first. */
	get delays(): number[] {
		const now = this.now();
		return [...this.pending.values()].map(timer => timer.due - now).sort((a, b) => a - b);
	}

	/** Move the clock forward (no timers run). */
	advance(ms: number): void {
		this.offset += ms;
	}

	/** Jump to the earliest pending timer and run it; false when none is pending. */
	fire(): boolean {
		let soonest: [number, {fn: () => void; due: number}] | undefined;
		for (const entry of this.pending) if (!soonest || entry[1].due < soonest[1].due) soonest = entry;
		if (!soonest) return false;
		const [id, timer] = soonest;
		this.pending.delete(id);
		const now = this.now();
		if (timer.due > now) this.offset += timer.due - now;
		timer.fn();
		return true;
	}
}
