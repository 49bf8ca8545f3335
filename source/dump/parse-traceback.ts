// Goroutine tracebacks (`?debug=2`, runtime.Stack(all), panics, fatal errors, SIGQUIT): a line state
// machine keyed on the first char of each line (formats.md §7), never on a whole-line regex:
// TAB/space → a file line; `goroutine N [` → a header; `created by`; `...` elision; `[originating from`;
// anything else ending in `)` inside a goroutine → a function line. A blank line closes the goroutine:
// crash dumps put `runtime stack:` sections and register dumps after blank lines, and they belong to none.
//
// Speed: in a big dump the same stacks repeat thousands of times (pools of identical goroutines), with
// other args in some frames (pointers). Right after a header, the whole body up to its blank line is
// matched against a learnt template (body-cache.ts): a few native compares, the fixed frames shared.
// Bodies no template matches are read pair by pair when plain (`plainBody`), else line by line, and
// learnt from. Line by line, a frame is two lines, `func(args)` + `\tfile:line +0xoff`, whose text is
// looked up whole in a LineCache and its Frame reused. Frame and CreatedBy objects, and whole frames
// arrays, are therefore shared between goroutines: treat parsed dumps as immutable.
import type {Ancestor, CreatedBy, Frame, Goroutine} from './types.ts';
import {type BodyCache, type BodyTemplate, matchBody, matchShape, matchedCreatedBy, matchedFrames} from './body-cache.ts';
import {type CacheEntry, type LineCache, holds} from './line-cache.ts';
import type {ParseCache} from './parse-cache.ts';
import {type Interner, type Location, argsOpen, own, parseDecimal, parseLocation, skipBlanks, trimEnd} from './lines.ts';
import {HeaderParser, looksLikeHeader} from './parse-header.ts';

/** A parsed `func(args)` line waiting for its file line. */
interface FuncLine {
	func: string;
	args: string;
	inlined: boolean;
}

/**
 * The shape of an uncached frame (unique args) last seen right after a cached one: the same function
 * and file line with other args is then recognised by two compares, without hashing or re-parsing.
 */
interface FrameVariant {
	func: string;
	fileText: string;
	location: Location;
}

/** A parsed `created by F [in goroutine N]` line waiting for its file line. */
interface CreatedLine {
	func: string;
	parentId: number | undefined;
}

const NO_LOCATION: Location = {file: '', line: 0};
/** How much of an unparsed header line is kept to show (a header is short; junk may not be). */
const MAX_KEPT_HEADER = 200;

export class TracebackParser {
	readonly goroutines: Goroutine[] = [];
	/** Goroutines completed since the caller last replaced it. */
	out: Goroutine[] = [];
	/** The bytes the text being parsed was decoded from, when it is pure ASCII (one byte per char); set by the caller. */
	bytes: Buffer | undefined;
	skippedLines = 0;
	truncated = false;
	/** Lines shaped like a goroutine header that no grammar here reads (a future Go's shape): counted, never silent. */
	unparsedHeaders = 0;
	/** The first of them, as printed (capped; the caller sanitizes before showing it). */
	firstUnparsedHeader: string | undefined;

	private readonly strings: Interner;
	private readonly files: Interner;
	private readonly headers: HeaderParser;
	private readonly pairs: LineCache<Frame>;
	private readonly creators: LineCache<CreatedBy>;
	private readonly bodies: BodyCache;
	/** Frames carry their args (see ParseCache.args). */
	private readonly args: boolean;
	/** Inside `body`'s line-by-line fallback: no nested body matching. */
	private lineByLine = false;
	/** The last search for a blank line: in `blankText`, the first at or after `blankFrom` is at `blankAt` (-1: none). */
	private blankText = '';
	private blankFrom = 0;
	private blankAt = -1;
	private readonly location: Location = {file: '', line: 0};

	private current: Goroutine | undefined;
	/** Where created-by and elision go: the goroutine, or its latest `[originating from goroutine N]` block. */
	private target: Goroutine | Ancestor | undefined;
	/**
	 * Where frames go: `scratch` for the goroutine's own stack (copied out once, exactly sized, when it
	 * ends — no array regrowth per goroutine), or an ancestor block's frames.
	 */
	private list: Frame[] = [];
	private readonly scratch: Frame[] = [];
	/** The cache entry of the previous frame of this stack: its `next` is the likely next frame. */
	private lastPair: CacheEntry<Frame> | undefined;
	/** When the previous frame was not cached: the entry before it. */
	private gapPair: CacheEntry<Frame> | undefined;
	/** A function line waiting for its file line. */
	private pendingFunc: FuncLine | undefined;
	/** A created-by line waiting for its file line. */
	private pendingCreated: CreatedLine | undefined;

	constructor(cache: ParseCache) {
		this.strings = cache.strings;
		this.files = cache.files;
		this.pairs = cache.pairs;
		this.creators = cache.creators;
		this.bodies = cache.bodies;
		this.args = cache.args;
		this.headers = new HeaderParser(cache.strings, cache.brackets);
	}

	/** Tries [start, end) as a header (used before the first goroutine too). */
	header(s: string, start: number, end: number, complete: boolean): boolean {
		if (!this.headers.read(s, start, end)) return false;
		this.close();
		this.open(complete);
		return true;
	}

	/**
	 * A line at [start, end) that starts like a header (`goroutine 7 `) and looks like one (ends with `:`
	 * or has a `[`) but did not parse: count it and keep the first. The goroutine before it ends there, so
	 * the unknown goroutine's frames are skipped rather than added to it. False when it is no header at all.
	 */
	unknownHeader(s: string, start: number, end: number): boolean {
		if (!looksLikeHeader(s, start)) return false;
		const colon = s.charCodeAt(end - 1) === 58;
		const bracket = s.indexOf('[', start);
		if (!colon && (bracket < 0 || bracket >= end)) return false;
		this.close();
		this.unparsedHeaders++;
		this.firstUnparsedHeader ??= own(s.slice(start, Math.min(end, start + MAX_KEPT_HEADER)));
		return true;
	}

	/** Starts the goroutine of the header just read. */
	private open(complete: boolean): void {
		const g = this.headers.build([], undefined);
		this.current = g;
		this.target = g;
		this.list = this.scratch;
		this.lastPair = undefined;
		this.gapPair = undefined;
		if (!complete) this.markTruncated();
	}

	/**
	 * One line at [start, end): CR, trailing blanks and any paste prefix already removed. `nl` is the
	 * index of its newline in `s` when the next line may be read straight from `s` (else -1); `complete`
	 * is false for a final line without newline. Returns where the next unread line starts (past `nl`,
	 * or past the following line too when a frame's two lines were read together).
	 */
	line(s: string, start: number, end: number, nl: number, complete: boolean): number {
		const next = nl + 1;
		if (start >= end) {
			this.close();
			return next;
		}
		const code = s.charCodeAt(start);
		const target = this.target;

		// File line: TAB, or spaces in pasted dumps.
		if (code === 9 || code === 32) {
			if (target === undefined) {
				this.skippedLines++;
				return next;
			}
			const from = skipBlanks(s, start, end);
			if (this.pendingFunc !== undefined) {
				const func = this.pendingFunc;
				this.pendingFunc = undefined;
				const location = this.parseLocation(s, from, end);
				this.list.push(makeFrame(func.func, func.args, func.inlined, location));
				// A final line without newline and without `+0x` may have been cut before it.
				if (!complete && location.pcOffset === undefined && !func.inlined) this.markTruncated();
				return next;
			}
			if (this.pendingCreated !== undefined) {
				const created = this.pendingCreated;
				this.pendingCreated = undefined;
				const location = this.parseLocation(s, from, end);
				target.createdBy = makeCreatedBy(created.func, created.parentId, location);
				if (!complete && location.pcOffset === undefined) this.markTruncated();
				return next;
			}
			if (s.startsWith('goroutine running on other thread', from)) {
				this.current!.unavailable = true;
				return next;
			}
			// An indented header (pasted text with uneven indentation).
			if (looksLikeHeader(s, from) && (this.header(s, from, end, complete) || this.unknownHeader(s, from, end))) return next;
			this.skippedLines++;
			return next;
		}

		if (code === 103 /* g */ && looksLikeHeader(s, start)) {
			if (nl < 0 || this.lineByLine) {
				if (this.header(s, start, end, complete)) return next;
			} else if (this.headers.read(s, start, end)) {
				this.close();
				return this.body(s, next);
			}
			if (!complete) this.truncated = true;
			if (!this.unknownHeader(s, start, end)) this.skippedLines++;
			return next;
		}

		if (target === undefined) {
			this.skippedLines++;
			return next;
		}
		this.flushPending(target);

		if (s.charCodeAt(end - 1) === 41 /* ) */) {
			if (nl >= 0) {
				const after = this.framePair(s, start, end, next);
				if (after >= 0) return after;
			}
			const func = this.funcLine(s, start, end);
			if (func !== undefined) {
				this.pendingFunc = func;
				if (!complete) this.markTruncated();
				return next;
			}
		}
		if (code === 99 /* c */ && s.startsWith('created by ', start)) {
			if (nl >= 0) {
				const after = this.createdPair(target, s, start, end, next);
				if (after >= 0) return after;
			}
			this.pendingCreated = this.createdLine(s, start + 11, end);
			if (!complete) this.markTruncated();
			return next;
		}
		if (code === 46 /* . */ && this.elision(target, s, start, end)) return next;
		if (code === 91 /* [ */ && s.startsWith('[originating from goroutine ', start)) {
			const idEnd = s.indexOf(']', start);
			const id = idEnd > 0 && idEnd < end ? parseDecimal(s, start + 28, idEnd) : -1;
			if (id >= 0) {
				const ancestor: Ancestor = {id, frames: []};
				(this.current!.ancestors ??= []).push(ancestor);
				this.commitFrames();
				this.target = ancestor;
				this.list = ancestor.frames;
				return next;
			}
		}
		if (code === 114 /* r */ && s.startsWith('runtime stack:', start)) {
			// A crash's system-stack section: it has no header and belongs to no goroutine.
			this.close();
			return next;
		}
		// Anything else (a fence, a log line, a cut function line) belongs to no grammar.
		if (!complete) this.markTruncated();
		this.skippedLines++;
		return next;
	}

	/**
	 * The fastest path: the whole body at `start` (up to its blank line) matched against a learnt
	 * template, else parsed line by line and learnt from. Returns where the next unread line starts.
	 */
	private body(s: string, start: number): number {
		const cache = this.bodies;
		const top = cache.top(s, start);
		// The template last matched by a body with the same first function: most often the one (and then
		// the body's end need not be searched: the template ends with the blank line).
		const guess = top < 0 ? undefined : cache.guess(top);
		if (guess !== undefined) {
			const after = matchBody(guess, s, start, this.bytes);
			if (after >= 0) return this.matched(top, guess, after);
		}
		const end = top < 0 ? -1 : this.nextBlank(s, start);
		if (end < 0) {
			this.open(true);
			return start;
		}
		const key = cache.key(s, start, end, top);
		const list = cache.candidates(key);
		if (list !== undefined) {
			for (let i = 0; i < list.length; i++) {
				const t = list[i]!;
				if (t === guess) continue;
				const after = matchBody(t, s, start, this.bytes);
				if (after < 0) continue;
				cache.promote(list, i);
				return this.matched(top, t, after);
			}
			// The same shape with other args somewhere: widen the template rather than parse line by line.
			for (let i = 0; i < list.length; i++) {
				const t = list[i]!;
				const after = matchShape(t, s, start, this.bytes);
				if (after < 0) continue;
				cache.promote(list, i);
				return this.matched(top, t, after);
			}
		}
		this.open(true);
		const g = this.current!;
		const blank = end + 1;
		// The plain shape (function and file line pairs, then created-by) is read here directly; anything
		// else line by line up to the blank line (which the caller's loop then reads, closing the goroutine).
		if (this.plainBody(g, s, start, blank)) {
			cache.learn(key, s, start, blank, this.scratch, g.createdBy);
			return blank;
		}
		const skipped = this.skippedLines;
		let pos = start;
		this.lineByLine = true;
		while (pos < blank) {
			const nl = s.indexOf('\n', pos);
			pos = this.line(s, pos, trimEnd(s, pos, nl), nl, true);
		}
		this.lineByLine = false;
		if (
			pos === blank &&
			this.current === g &&
			this.list === this.scratch &&
			this.skippedLines === skipped &&
			this.pendingFunc === undefined &&
			this.pendingCreated === undefined &&
			g.unavailable === undefined &&
			g.truncated === undefined &&
			g.elided === undefined
		) {
			cache.learn(key, s, start, blank, this.scratch, g.createdBy);
		}
		return pos;
	}

	/**
	 * Reads the body [start, blank) into `g` when it has the plain shape: `func(args)` + TAB file line
	 * pairs, then optionally `created by` + TAB file line. The values are exactly what `line` would make
	 * of it (same helpers, same order of tests), without its per-frame caches: a body read here is one no
	 * template matched, usually seen for the first time. False (and nothing changed) otherwise.
	 */
	private plainBody(g: Goroutine, s: string, start: number, blank: number): boolean {
		const frames = this.scratch;
		let createdBy: CreatedBy | undefined;
		let i = start;
		while (i < blank) {
			const nl = s.indexOf('\n', i);
			const fileStart = nl + 1;
			const fileNl = fileStart < blank ? s.indexOf('\n', fileStart) : -1;
			const code = s.charCodeAt(i);
			if (
				createdBy !== undefined ||
				fileNl < 0 ||
				fileNl >= blank ||
				s.charCodeAt(fileStart) !== 9 ||
				code === 9 ||
				code === 32 ||
				(code === 103 && looksLikeHeader(s, i))
			) {
				frames.length = 0;
				return false;
			}
			const end = trimEnd(s, i, nl);
			const fileEnd = trimEnd(s, fileStart, fileNl);
			// A TAB line of only blanks is a blank line: left to the line-by-line reader, which closes there.
			if (fileEnd === fileStart) {
				frames.length = 0;
				return false;
			}
			const func = s.charCodeAt(end - 1) === 41 ? this.funcLine(s, i, end) : undefined;
			if (func !== undefined) {
				frames.push(makeFrame(func.func, func.args, func.inlined, this.parseLocation(s, skipBlanks(s, fileStart, fileEnd), fileEnd)));
			} else if (code === 99 && s.startsWith('created by ', i)) {
				const line = this.createdLine(s, i + 11, end);
				createdBy = makeCreatedBy(line.func, line.parentId, this.parseLocation(s, skipBlanks(s, fileStart, fileEnd), fileEnd));
			} else {
				frames.length = 0;
				return false;
			}
			i = fileNl + 1;
		}
		if (createdBy !== undefined) g.createdBy = createdBy;
		return true;
	}

	/** The goroutine of the header just read, its body just matched by `t` (`matchedFrames`, `matchedCreatedBy`). */
	private matched(top: number, t: BodyTemplate, after: number): number {
		this.bodies.matched(top, t);
		const g = this.headers.build(matchedFrames, matchedCreatedBy, t.shape);
		this.goroutines.push(g);
		this.out.push(g);
		return after;
	}

	/** The index of the first `\n\n` at or after `start`, remembered so a text without blank lines is searched once. */
	private nextBlank(s: string, start: number): number {
		if (s === this.blankText && start >= this.blankFrom && (this.blankAt < 0 || this.blankAt >= start)) return this.blankAt;
		const at = s.indexOf('\n\n', start);
		this.blankText = s;
		this.blankFrom = start;
		this.blankAt = at;
		return at;
	}

	/**
	 * The fast path: a function line whose TAB-indented file line is already in `s` at `fileStart`.
	 * Returns the index past the file line, or -1 to take the line-by-line path.
	 */
	private framePair(s: string, start: number, end: number, fileStart: number): number {
		if (s.charCodeAt(fileStart) !== 9) return -1;
		const nl = s.indexOf('\n', fileStart);
		if (nl < 0) return -1;
		const fileEnd = trimEnd(s, fileStart, nl);
		// A line of only blanks is a blank line (read alone, it closes the goroutine): never a file line.
		if (fileEnd === fileStart) return -1;
		const last = this.lastPair;
		const gap = this.gapPair;
		const guess = last !== undefined ? last.next : gap?.after;
		let entry = guess !== undefined && holds(guess, s, start, fileEnd) ? guess : this.pairs.lookup(s, start, fileEnd);
		if (entry === undefined) {
			// Not cached yet: the same function and file line as last time with other args, or a full parse.
			let frame = last?.extra === undefined ? undefined : variantFrame(last.extra as FrameVariant, s, start, end, fileStart + 1, fileEnd, this.args);
			let variant: FrameVariant | undefined;
			if (frame === undefined) {
				const func = this.funcLine(s, start, end);
				if (func === undefined) return -1;
				const fileFrom = skipBlanks(s, fileStart, fileEnd);
				const location = this.parseLocation(s, fileFrom, fileEnd);
				frame = makeFrame(func.func, func.args, func.inlined, location);
				if (last !== undefined && !func.inlined && fileFrom === fileStart + 1) {
					variant = {func: func.func, fileText: own(s.slice(fileFrom, fileEnd)), location: {...location}};
				}
			}
			this.list.push(frame);
			// (`set` uses the hash `lookup` just computed: no other call on `pairs` in between.)
			entry = this.pairs.set(s, start, fileEnd, frame);
			if (entry === undefined) {
				// Not kept (args printed once so far): remember its shape on the frame before it, and that
				// frame itself, to guess the one after.
				if (variant !== undefined) last!.extra = variant;
				this.gapPair = last;
				this.lastPair = undefined;
				return nl + 1;
			}
		} else {
			this.list.push(entry.value);
		}
		if (last !== undefined) {
			if (last.next !== entry) last.next = entry;
		} else if (gap !== undefined && gap.after !== entry) {
			gap.after = entry;
		}
		this.lastPair = entry;
		this.gapPair = undefined;
		return nl + 1;
	}

	/** The same for `created by …` and its file line. */
	private createdPair(target: Goroutine | Ancestor, s: string, start: number, end: number, fileStart: number): number {
		if (s.charCodeAt(fileStart) !== 9) return -1;
		const nl = s.indexOf('\n', fileStart);
		if (nl < 0) return -1;
		const fileEnd = trimEnd(s, fileStart, nl);
		if (fileEnd === fileStart) return -1; // only blanks: a blank line, as in framePair
		let created = this.creators.get(s, start, fileEnd, undefined)?.value;
		if (created === undefined) {
			const line = this.createdLine(s, start + 11, end);
			created = makeCreatedBy(line.func, line.parentId, this.parseLocation(s, skipBlanks(s, fileStart, fileEnd), fileEnd));
			this.creators.set(s, start, fileEnd, created);
		}
		target.createdBy = created;
		return nl + 1;
	}

	private funcLine(s: string, start: number, end: number): FuncLine | undefined {
		// Go never prints parens inside args, so the last `(` opens them — unless the line says otherwise.
		let open = s.lastIndexOf('(', end - 1);
		if (open <= start || s.indexOf(')', open) !== end - 1) open = argsOpen(s, start, end - 1);
		if (open <= start) return undefined;
		const args = s.slice(open + 1, end - 1);
		return {func: this.strings.range(s, start, open), args: this.args ? own(args) : '', inlined: args === '...'};
	}

	/** Parses a location into the scratch object: copy out what you keep before the next call. */
	private parseLocation(s: string, start: number, end: number): Location {
		const location = this.location;
		location.pcOffset = undefined;
		parseLocation(s, start, end, this.files, location);
		return location;
	}

	private createdLine(s: string, start: number, end: number): CreatedLine {
		// Search the line only: lastIndexOf from `end` would scan back through the whole chunk.
		let text = s.slice(start, end);
		let parentId: number | undefined;
		const marker = text.lastIndexOf(' in goroutine ');
		if (marker >= 0) {
			const id = parseDecimal(text, marker + 14, text.length);
			if (id >= 0) {
				parentId = id;
				text = text.slice(0, marker);
			}
		}
		return {func: this.strings.get(text), parentId};
	}

	/** `...additional frames elided...` (Go ≤1.20) or `...N frames elided...` (Go ≥1.21). */
	private elision(target: Goroutine | Ancestor, s: string, start: number, end: number): boolean {
		if (!s.startsWith('...', start) || end - start < 19 || !s.startsWith('frames elided...', end - 16)) return false;
		const middle = s.slice(start + 3, end - 16).trim();
		if (middle === 'additional') {
			target.elided = {at: this.list.length};
			return true;
		}
		const count = parseDecimal(middle, 0, middle.length);
		if (count < 0) return false;
		target.elided = {count, at: this.list.length};
		return true;
	}

	/** A function or created-by line whose file line never came: keep it without a location. */
	private flushPending(target: Goroutine | Ancestor): void {
		if (this.pendingFunc !== undefined) {
			const func = this.pendingFunc;
			this.list.push(makeFrame(func.func, func.args, func.inlined, NO_LOCATION));
			this.pendingFunc = undefined;
		}
		if (this.pendingCreated !== undefined) {
			target.createdBy = makeCreatedBy(this.pendingCreated.func, this.pendingCreated.parentId, NO_LOCATION);
			this.pendingCreated = undefined;
		}
	}

	/** The goroutine being parsed (and so the dump) was cut short. */
	markTruncated(): void {
		if (this.current) this.current.truncated = true;
		this.truncated = true;
	}

	/** The goroutine's own stack is complete: give it its exactly-sized frames array. */
	private commitFrames(): void {
		if (this.list !== this.scratch || this.current === undefined) return;
		this.current.frames = this.scratch.slice();
		this.scratch.length = 0;
	}

	/** The goroutine is complete: hand it out. */
	close(): void {
		const g = this.current;
		if (g === undefined) return;
		if (this.target !== undefined) this.flushPending(this.target);
		this.commitFrames();
		this.list = this.scratch;
		this.current = undefined;
		this.target = undefined;
		this.goroutines.push(g);
		this.out.push(g);
	}

	/** End of input: a goroutine still open is complete unless it visibly stops short. */
	finish(): void {
		// (The last text searched is a whole chunk: not to be kept alive with the parser.)
		this.blankText = '';
		const g = this.current;
		if (g === undefined) return;
		const frames = this.list === this.scratch ? this.scratch.length : g.frames.length;
		const short = this.pendingFunc !== undefined || this.pendingCreated !== undefined || (frames === 0 && !g.unavailable && g.createdBy === undefined);
		if (short) this.markTruncated();
		this.close();
	}
}

/**
 * The frame at [start, end) + file line [fileFrom, fileEnd) if it is `variant` with other args: split
 * exactly as `funcLine` would (the last `(` opens the args, the only `)` after it ends the line).
 */
function variantFrame(variant: FrameVariant, s: string, start: number, end: number, fileFrom: number, fileEnd: number, keepArgs: boolean): Frame | undefined {
	const open = start + variant.func.length;
	if (open >= end || s.charCodeAt(open) !== 40 || fileEnd - fileFrom !== variant.fileText.length) return undefined;
	if (s.slice(start, open) !== variant.func || s.slice(fileFrom, fileEnd) !== variant.fileText) return undefined;
	if (s.lastIndexOf('(', end - 1) !== open || s.indexOf(')', open) !== end - 1) return undefined;
	const args = s.slice(open + 1, end - 1);
	if (args === '...') return undefined;
	return makeFrame(variant.func, keepArgs ? own(args) : '', false, variant.location);
}

/** One literal per shape, so every Frame shares a hidden class (no `pcOffset` when Go printed none). */
function makeFrame(func: string, args: string, inlined: boolean, at: Location): Frame {
	return at.pcOffset === undefined
		? {func, args, inlined, file: at.file, line: at.line}
		: {func, args, inlined, file: at.file, line: at.line, pcOffset: at.pcOffset};
}

function makeCreatedBy(func: string, parentId: number | undefined, at: Location): CreatedBy {
	const created: CreatedBy = {func, file: at.file, line: at.line};
	if (parentId !== undefined) created.parentId = parentId;
	if (at.pcOffset !== undefined) created.pcOffset = at.pcOffset;
	return created;
}
