// Lines of a goroutine dump repeat heavily: 100k goroutines from a handful of pools print the same
// `func(args)` and `\tfile:line +0xoff` lines over and over (Go ≥1.18 prints stale register args as
// `0x0?`, so even args repeat). Caching the parse of a whole line — and the Frame built from a pair
// of lines — turns most of a big dump into hash-and-compare, with no per-frame allocation.
import {hashRange, own} from './lines.ts';

/**
 * A direct-mapped cache from a line's text to its parsed value. Bounded: a new line takes its slot
 * (lines printed once, like unique pointer args, just evict each other). Looked up by the char range
 * of the decoded chunk, so a hit allocates only an O(1) slice for the native `===`.
 */
export class LineCache<T> {
	private readonly keys: Array<string | undefined>;
	private readonly values: Array<T | undefined>;
	private readonly mask: number;
	private slot = 0;

	constructor(bits = 15) {
		this.keys = new Array<string | undefined>(1 << bits).fill(undefined);
		this.values = new Array<T | undefined>(1 << bits).fill(undefined);
		this.mask = (1 << bits) - 1;
	}

	/** The value cached for `s.slice(start, end)`, or undefined; remembers the slot for `set`. */
	get(s: string, start: number, end: number): T | undefined {
		const slot = hashRange(s, start, end) & this.mask;
		// (Only the slot number is kept on `this`: storing the young slice in this long-lived object
		// would cost a write barrier per line.)
		this.slot = slot;
		const key = this.keys[slot];
		if (key === undefined || key.length !== end - start) return undefined;
		return key === s.slice(start, end) ? this.values[slot] : undefined;
	}

	/** Caches `value` for the line of the last `get` miss. */
	set(s: string, start: number, end: number, value: T): void {
		this.keys[this.slot] = own(s.slice(start, end));
		this.values[this.slot] = value;
	}
}
