// Per-group count history across polls, for one grouping key. Every remembered group gets one
// value per poll (0 while it is absent) so sparklines line up with the total trend; groups
// absent longer than the forget window are dropped, so memory follows the live groups, not
// the number of polls.
//
// The first poll of an epoch is held as the counts it came with, not as a series per group: a
// report on one dump (one-shot) records one poll, and a dump of 350k distinct stacks would
// otherwise build 350k series (two rings each) to say "one point, no growth". The series are
// built from it when a second poll arrives, exactly as recording it then would have.
import {Ring} from './ring.ts';
import type {GrowthStory} from './verdict.ts';

export interface GroupTrend {
	/** Count per poll, oldest first, bounded. */
	history: number[];
	/** Count change since the group first appeared (in this epoch). */
	growth: number;
	/** Count change per minute over the recent window. */
	growthPerMin: number;
	/** Count change since the previous poll. */
	delta: number;
	/** When the group first appeared in this epoch (epoch-ms). */
	firstAt: number;
}

class GroupSeries {
	readonly counts: Ring;
	readonly ats: Ring;
	firstCount: number;
	firstAt: number;
	previous = 0;
	lastSeenAt: number;

	constructor(capacity: number, at: number, firstCount: number) {
		this.counts = new Ring(capacity);
		this.ats = new Ring(capacity);
		this.firstCount = firstCount;
		this.firstAt = at;
		this.lastSeenAt = at;
	}
}

export class GroupHistory {
	private readonly series = new Map<string, GroupSeries>();
	/** The previous poll's time; undefined before the epoch's first poll. */
	private lastAt: number | undefined;
	/** The epoch's first poll while it is the only one: its counts, not yet series. */
	private first: ReadonlyMap<string, number> | undefined;

	constructor(
		private readonly capacity: number,
		private readonly windowMs: number,
	) {}

	get size(): number {
		if (this.first) {
			let n = 0;
			for (const count of this.first.values()) if (count > 0) n++;
			return n;
		}
		return this.series.size;
	}

	/** Record one poll: `counts` holds every group present now (key → count); kept as given while it is the epoch's only poll. */
	record(counts: ReadonlyMap<string, number>, at: number, forgetBefore: number): void {
		if (this.lastAt === undefined) {
			this.first = counts;
			this.lastAt = at;
			return;
		}
		if (this.first) {
			const first = this.first;
			const firstAt = this.lastAt;
			this.first = undefined;
			this.lastAt = undefined;
			this.addSeries(first, firstAt);
		}
		this.addSeries(counts, at, forgetBefore);
	}

	private addSeries(counts: ReadonlyMap<string, number>, at: number, forgetBefore = -Infinity): void {
		for (const [key, entry] of this.series) {
			const count = counts.get(key) ?? 0;
			if (count === 0 && entry.lastSeenAt < forgetBefore) {
				this.series.delete(key);
				continue;
			}
			entry.previous = entry.counts.at(-1) ?? 0;
			entry.counts.push(count);
			entry.ats.push(at);
			if (count > 0) entry.lastSeenAt = at;
		}
		for (const [key, count] of counts) {
			if (count === 0 || this.series.has(key)) continue;
			// A group that appears after the epoch's first poll grew from nothing: its series starts
			// with a 0 at the previous poll, so a burst of 12 leaked goroutines reads +12, not 0.
			const grewFromNothing = this.lastAt !== undefined;
			const entry = new GroupSeries(this.capacity, at, grewFromNothing ? 0 : count);
			if (grewFromNothing) {
				entry.counts.push(0);
				entry.ats.push(this.lastAt!);
			}
			entry.counts.push(count);
			entry.ats.push(at);
			this.series.set(key, entry);
		}
		this.lastAt = at;
	}

	/** The trend of a group as of the last recorded poll. */
	trend(key: string): GroupTrend | undefined {
		if (this.first) {
			// One point (what a series holds after the epoch's first poll): no growth, a delta from nothing.
			const count = this.first.get(key) ?? 0;
			return count > 0 ? {history: [count], growth: 0, growthPerMin: 0, delta: count, firstAt: this.lastAt!} : undefined;
		}
		const entry = this.series.get(key);
		if (!entry) return undefined;
		const now = entry.counts.at(-1) ?? 0;
		const at = entry.ats.at(-1) ?? entry.firstAt;
		// Oldest sample inside the window (the ring may hold less than the window).
		let i = 0;
		const n = entry.ats.length;
		while (i < n - 1 && (entry.ats.at(i) ?? 0) < at - this.windowMs) i++;
		const thenAt = entry.ats.at(i) ?? at;
		const then = entry.counts.at(i) ?? now;
		// Per minute over at least a minute: a burst of 3 between two half-second polls is "+3/min",
		// not an extrapolated "+360/min".
		const minutes = at > thenAt ? Math.max(1, (at - thenAt) / 60_000) : 0;
		return {
			history: entry.counts.toArray(),
			growth: now - entry.firstCount,
			growthPerMin: minutes > 0 ? (now - then) / minutes : 0,
			delta: now - entry.previous,
			firstAt: entry.firstAt,
		};
	}

	/**
	 * How the count rose inside the window, poll by poll: the sum of the rises, how many polls
	 * rose, and when the first and last rise were. A burst of 10 a minute ago reads as one rise of
	 * 10 a minute ago, not as "+3.9/min" (an average that makes a stopped burst look ongoing).
	 */
	growthStory(key: string): GrowthStory | undefined {
		if (this.first) return undefined; // one point: no rise
		const entry = this.series.get(key);
		if (!entry) return undefined;
		const n = entry.ats.length;
		const at = entry.ats.at(-1) ?? entry.firstAt;
		let added = 0;
		let steps = 0;
		let firstRiseAt = 0;
		let lastRiseAt = 0;
		for (let i = 1; i < n; i++) {
			const when = entry.ats.at(i) ?? 0;
			if (when < at - this.windowMs) continue;
			const rise = (entry.counts.at(i) ?? 0) - (entry.counts.at(i - 1) ?? 0);
			if (rise <= 0) continue;
			added += rise;
			steps++;
			if (steps === 1) firstRiseAt = when;
			lastRiseAt = when;
		}
		return steps === 0 ? undefined : {added, steps, firstRiseAt, lastRiseAt};
	}

	clear(): void {
		this.series.clear();
		this.first = undefined;
		this.lastAt = undefined;
	}
}
