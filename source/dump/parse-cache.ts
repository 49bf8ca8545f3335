// What one parse learns that the next parse of the same service can reuse. A monitor polls the same
// process every few seconds and its stacks barely change: handing the same cache to each poll's
// parser makes later polls mostly cache hits, and lets snapshots share their Frame objects (so a
// history of snapshots costs little more than one). Bounded: every table has a fixed size.
import type {CreatedBy, Frame} from './types.ts';
import {BodyCache} from './body-cache.ts';
import {LineCache} from './line-cache.ts';
import {Interner} from './lines.ts';
import type {BracketState} from './parse-header.ts';

export interface ParseCache {
	/** Function names, states, label keys: stored once. */
	readonly strings: Interner;
	/** File paths. */
	readonly files: Interner;
	/** `func(args)` + file line → the shared Frame. */
	readonly pairs: LineCache<Frame>;
	/** `created by …` + file line → the shared CreatedBy. */
	readonly creators: LineCache<CreatedBy>;
	/** Header bracket bodies → what they say. */
	readonly brackets: LineCache<BracketState>;
	/** Whole goroutine bodies → their frames (templates with holes where args differ). */
	readonly bodies: BodyCache;
	/**
	 * Frames carry their args (what the TUI's stack view shows). False for reports, which never print
	 * args: every frame's args are then '', and bodies that differ only in args share one frames array
	 * (on 100k goroutines, ~60 MiB of frames, arrays and args strings not made).
	 */
	readonly args: boolean;
}

export interface ParseCacheOptions {
	/** See ParseCache.args (default true). */
	args?: boolean;
}

/** A fresh cache; pass it as `createDumpParser({cache})` to every parse of one target. */
export function createParseCache(options: ParseCacheOptions = {}): ParseCache {
	const args = options.args ?? true;
	return {
		args,
		strings: new Interner(),
		files: new Interner(),
		pairs: new LineCache<Frame>(15),
		creators: new LineCache<CreatedBy>(11),
		brackets: new LineCache<BracketState>(12),
		bodies: new BodyCache(args),
	};
}

/** `cache` when it parses with `args` as asked, else a fresh one that does (a source keeps one per mode). */
export function parseCacheFor(cache: ParseCache | undefined, args: boolean): ParseCache {
	return cache?.args === args ? cache : createParseCache({args});
}
