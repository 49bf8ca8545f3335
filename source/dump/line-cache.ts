// Lines of a goroutine dump repeat heavily: 100k goroutines from a handful of pools print the same
// `func(args)` + `\tfile:line +0xoff` pairs over and over (Go ≥1.18 prints stale register args as
// `0x0?`, so even args repeat). Caching the parse of such text — and the object built from it —
// turns most of a big dump into hash-and-compare, with no per-frame allocation.
import {hashRange, own} from './lines.ts';

/** One cached text and its value; `next` is the entry that followed it last time (stacks repeat in order). */
export interface CacheEntry<T> {
	readonly key: string;
	readonly value: T;
	next: CacheEntry<T> | undefined;
	/** The entry that followed it one text later, when the text in between was not cached (unique args). */
	after: CacheEntry<T> | undefined;
	/** Free for the user of the cache (the traceback parser keeps the shape of the uncached text that followed). */
	extra: unknown;
}

/**
 * A direct-mapped cache from a text range of the decoded chunk to its parsed value. Bounded: a new
 * text takes its slot. Texts seen once (unique pointer args) are not kept, so they neither cost a copy
 * nor evict the texts that repeat. A hit allocates only an O(1) slice for the native `===`.
 */
export class LineCache<T> {
	private readonly entries: Array<CacheEntry<T> | undefined>;
	/** Hash of the last text that missed in each slot: a text is cached on its second sighting. */
	private readonly seen: Int32Array;
	private readonly mask: number;
	private hash = 0;

	constructor(bits = 15) {
		this.entries = new Array<CacheEntry<T> | undefined>(1 << bits).fill(undefined);
		this.seen = new Int32Array(1 << bits);
		this.mask = (1 << bits) - 1;
	}

	/**
	 * The entry for `s.slice(start, end)`, or undefined. `guess` (usually the previous entry's `next`)
	 * is tried first: when the stack repeats one seen before, that skips hashing and the table.
	 */
	get(s: string, start: number, end: number, guess: CacheEntry<T> | undefined): CacheEntry<T> | undefined {
		if (guess !== undefined && holds(guess, s, start, end)) return guess;
		return this.lookup(s, start, end);
	}

	/** The table lookup alone (hash, then one compare). */
	lookup(s: string, start: number, end: number): CacheEntry<T> | undefined {
		const hash = hashRange(s, start, end);
		// (Only a number is kept on `this`: storing the young slice in this long-lived object would
		// cost a write barrier per line.)
		this.hash = hash;
		const entry = this.entries[hash & this.mask];
		return entry !== undefined && holds(entry, s, start, end) ? entry : undefined;
	}

	/** Offers `value` for the text of the last `get` miss; returns the new entry when it was kept. */
	set(s: string, start: number, end: number, value: T): CacheEntry<T> | undefined {
		const slot = this.hash & this.mask;
		if (this.seen[slot] !== this.hash) {
			this.seen[slot] = this.hash;
			return undefined;
		}
		const entry: CacheEntry<T> = {key: own(s.slice(start, end)), value, next: undefined, after: undefined, extra: undefined};
		this.entries[slot] = entry;
		return entry;
	}
}

/** `entry.key === s.slice(start, end)`, the length checked first (no slice when it differs). */
export function holds(entry: CacheEntry<unknown>, s: string, start: number, end: number): boolean {
	return entry.key.length === end - start && entry.key === s.slice(start, end);
}
