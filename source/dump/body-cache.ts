// Whole goroutine bodies (the lines between a header and its blank line) repeat: a pool of 10k
// identical workers prints the same stack 10k times. What does NOT repeat is the args of some frames
// (pointers: receivers, buffers, contexts) and Go 1.21+'s `created by F in goroutine N` parent: in the
// generated bench dump only ~8% of bodies repeat byte for byte, though 99.7% repeat a stack seen
// before. So a body is matched against a learnt TEMPLATE: the body's text cut at the args (or parent
// id) seen to differ ("holes"). Matching is a few native string compares of the fixed text between
// the holes plus a short scan of each hole; the Frame objects of the fixed frames (and, while no
// frame's args differ, the whole frames array) are shared with every goroutine that matches.
//
// Exactness: a template is only learnt from a body the line-by-line parser has just parsed, when the
// body has the plain shape `func(args)` + `\tfile` pairs, optionally closed by a `created by` pair,
// and each of the line parser's frames is found at its own line. Identical text parses identically, so
// only the holes need care: a hole is accepted only when its text is what the line parser would split
// the same way (no parens, not the inlined `...`), and its frame is then the template's frame with
// other args.
import type {CreatedBy, Frame, StackShape} from './types.ts';
import {hashRange, own, parseDecimal} from './lines.ts';

const OPEN = 40; // (
const CLOSE = 41; // )
const NEWLINE = 10;
const TAB = 9;

export class BodyTemplate {
	/** The body's text cut at everything that could become a hole: pieces.length = args.length + 1. */
	readonly pieces: string[];
	/** The args text of those frames (or the parent id's digits), as first seen. */
	readonly args: string[];
	/** Frame index of each of those frames (`PARENT` for the parent id). */
	readonly at: number[];
	/** Which of them were seen with other args (the holes). */
	readonly variable: boolean[];
	/** The frames as first parsed; shared as a whole by every match when there are no holes (or no args are kept). */
	readonly frames: Frame[];
	/** Matches get frames with their own args (see ParseCache.args); else args holes only check the shape. */
	readonly keepsArgs: boolean;
	readonly createdBy: CreatedBy | undefined;
	/** Handed to every goroutine that matches (holes never change frames' function, file or line). */
	readonly shape: StackShape = Object.freeze({stackShape: true});
	/** The body's length in chars. */
	get length(): number {
		return this.text.length;
	}

	/** Compiled: the fixed texts between holes (fixed.length = holes.length + 1). */
	fixed: string[] = [];
	/** Compiled: frame index (or `PARENT`) of each hole. */
	holes: number[] = [];

	/** The whole body as first seen (what `fixed` is while nothing varies). */
	private readonly text: string;

	constructor(text: string, pieces: string[], args: string[], at: number[], frames: Frame[], createdBy: CreatedBy | undefined, keepsArgs = true) {
		this.text = text;
		this.keepsArgs = keepsArgs;
		this.pieces = pieces;
		this.args = args;
		this.at = at;
		this.variable = args.map(() => false);
		this.frames = frames;
		this.createdBy = createdBy;
		this.compile();
	}

	/** Rebuilds `fixed` / `holes` from the pieces and the args that stay fixed. */
	compile(): void {
		if (!this.variable.includes(true)) {
			this.fixed = [this.text];
			this.holes = [];
			return;
		}
		const fixed: string[] = [];
		const holes: number[] = [];
		let text = this.pieces[0]!;
		for (let j = 0; j < this.args.length; j++) {
			if (this.variable[j]) {
				fixed.push(flat(text));
				holes.push(this.at[j]!);
				text = this.pieces[j + 1]!;
			} else {
				text += this.args[j]! + this.pieces[j + 1]!;
			}
		}
		fixed.push(flat(text));
		this.fixed = fixed;
		this.holes = holes;
	}
}

/** A flat (non-cons) copy, so the first compare against it does not pay for flattening. */
function flat(s: string): string {
	return s.length < 13 ? s : own(s);
}

/** The frames and created-by of the last successful `matchBody` / `matchShape`. */
export let matchedFrames: Frame[] = [];
export let matchedCreatedBy: CreatedBy | undefined;

/** `at` of the hole holding the parent goroutine id of `created by … in goroutine N` (Go 1.21+). */
const PARENT = -1;

/**
 * Where the hole at `pos` ends, or -1 when its text is not one the line parser would read the same
 * way. An args hole runs to the `)` ending its line; the line parser takes the last `(` as the args'
 * start and needs the only `)` after it to end the line, so parens (or `...`, the inlined marker) in it
 * are left to the line parser. A parent hole is the digits ending its line.
 */
function holeEnd(s: string, pos: number, parent: boolean): number {
	const nl = s.indexOf('\n', pos);
	if (nl < 0) return -1;
	if (parent) {
		if (nl === pos) return -1;
		for (let i = pos; i < nl; i++) {
			const code = s.charCodeAt(i);
			if (code < 48 || code > 57) return -1;
		}
		return nl;
	}
	const close = nl - 1;
	for (let i = pos; i < close; i++) {
		const code = s.charCodeAt(i);
		if (code === OPEN || code === CLOSE) return -1;
	}
	return close - pos === 3 && s.startsWith('...', pos) ? -1 : close;
}

/**
 * Matches the body at `start` against `t`: returns the index past the body's blank line and sets
 * `matchedFrames` / `matchedCreatedBy`, or returns -1. `bytes`: see `copy`.
 */
export function matchBody(t: BodyTemplate, s: string, start: number, bytes: Buffer | undefined): number {
	const fixed = t.fixed;
	let piece = fixed[0]!;
	let pos = start;
	if (s.slice(pos, pos + piece.length) !== piece) return -1;
	pos += piece.length;
	const holes = t.holes;
	matchedCreatedBy = t.createdBy;
	if (holes.length === 0) {
		matchedFrames = t.frames;
		return pos;
	}
	// Copied on the first frame that differs: while none does, the template's array is shared.
	let frames = t.frames;
	for (let h = 0; h < holes.length; h++) {
		const index = holes[h]!;
		const close = holeEnd(s, pos, index === PARENT);
		if (close < 0) return -1;
		piece = fixed[h + 1]!;
		if (s.slice(close, close + piece.length) !== piece) return -1;
		if (index === PARENT) {
			matchedCreatedBy = withParent(t.createdBy!, s, pos, close);
		} else if (t.keepsArgs) {
			const proto = frames[index]!;
			const args = proto.args;
			// (The last char first: pointers that differ mostly differ there, and it spares a slice.)
			if (args.length !== close - pos || args.charCodeAt(args.length - 1) !== s.charCodeAt(close - 1) || args !== s.slice(pos, close)) {
				if (frames === t.frames) frames = frames.slice();
				frames[index] = withArgs(proto, copy(s, pos, close, bytes));
			}
		}
		pos = close + piece.length;
	}
	matchedFrames = frames;
	return pos;
}

/**
 * Matches the body at `start` against `t` with EVERY possible hole taken as one (the body has the
 * template's shape, whatever its args): the args that differ from the template's become holes for
 * good. Returns the index past the body's blank line and sets `matchedFrames` / `matchedCreatedBy`, or -1.
 */
export function matchShape(t: BodyTemplate, s: string, start: number, bytes: Buffer | undefined): number {
	const pieces = t.pieces;
	let piece = pieces[0]!;
	let pos = start;
	if (s.slice(pos, pos + piece.length) !== piece) return -1;
	pos += piece.length;
	const args = t.args;
	let differ: number[] | undefined;
	for (let j = 0; j < args.length; j++) {
		const close = holeEnd(s, pos, t.at[j] === PARENT);
		if (close < 0) return -1;
		piece = pieces[j + 1]!;
		if (s.slice(close, close + piece.length) !== piece) return -1;
		if (args[j]!.length !== close - pos || args[j] !== s.slice(pos, close)) (differ ??= []).push(j, pos, close);
		pos = close + piece.length;
	}
	let frames = t.frames;
	matchedCreatedBy = t.createdBy;
	if (differ !== undefined) {
		for (let d = 0; d < differ.length; d += 3) {
			const j = differ[d]!;
			const index = t.at[j]!;
			t.variable[j] = true;
			if (index === PARENT) matchedCreatedBy = withParent(t.createdBy!, s, differ[d + 1]!, differ[d + 2]!);
			else if (t.keepsArgs) {
				if (frames === t.frames) frames = frames.slice();
				frames[index] = withArgs(frames[index]!, copy(s, differ[d + 1]!, differ[d + 2]!, bytes));
			}
		}
		t.compile();
	}
	matchedFrames = frames;
	return pos;
}

/** `created` with the parent id in s[from, to) (digits), in the shape the line parser builds. */
function withParent(created: CreatedBy, s: string, from: number, to: number): CreatedBy {
	const parentId = parseDecimal(s, from, to);
	if (parentId === created.parentId) return created;
	const copy: CreatedBy = {func: created.func, file: created.file, line: created.line, parentId};
	if (created.pcOffset !== undefined) copy.pcOffset = created.pcOffset;
	return copy;
}

/**
 * `s.slice(from, to)` as a string of its own (a slice would keep the whole chunk alive). `bytes`, when
 * given, are the bytes `s` was decoded from, one per char (pure ASCII): copying from them makes one flat
 * string, where `own` needs a wrapper object too.
 */
function copy(s: string, from: number, to: number, bytes: Buffer | undefined): string {
	if (bytes === undefined) return own(s.slice(from, to));
	// `latin1Slice` is what `toString('latin1', …)` calls after its argument checks (undici, pinned here,
	// calls its sibling `utf8Slice` the same way): a third of the cost of copying the args.
	return LATIN1_SLICE ? (bytes as unknown as Latin1Sliceable).latin1Slice(from, to) : bytes.toString('latin1', from, to);
}

interface Latin1Sliceable {
	latin1Slice(start: number, end: number): string;
}

const LATIN1_SLICE = typeof (Buffer.prototype as unknown as Partial<Latin1Sliceable>).latin1Slice === 'function';

/** `frame` with other args, in the same shape (hidden class) as the line parser builds. */
function withArgs(frame: Frame, args: string): Frame {
	return frame.pcOffset === undefined
		? {func: frame.func, args, inlined: false, file: frame.file, line: frame.line}
		: {func: frame.func, args, inlined: false, file: frame.file, line: frame.line, pcOffset: frame.pcOffset};
}

/**
 * Templates found by a cheap key: the top function's name and the `created by` function (without
 * `in goroutine N`), which tell most stacks apart; the few that share a key are all tried.
 */
export class BodyCache {
	private readonly buckets: Array<BodyTemplate[] | undefined>;
	/** By first function name: the template last matched (see `top`). */
	private readonly recent: Array<BodyTemplate | undefined>;
	private readonly mask: number;
	/** Templates kept, and their text (chars): both bounded, so a dump of all-different stacks cannot grow the cache without end. */
	private count = 0;
	private chars = 0;
	/**
	 * Past `eager` templates, a key must be seen twice before it gets one (`seen` holds the last key that
	 * missed in each slot): in a dump of all-different stacks, templates would cost without ever paying.
	 */
	private readonly seen: Int32Array;
	private readonly eager = 512;
	/** Bodies matched: when templates rarely match (every stack different), no more are made. */
	private hits = 0;
	private readonly maxCount: number;
	private readonly maxChars: number;
	private readonly perKey: number;
	/** See ParseCache.args: the frames parsed carry their args (else '' in every frame). */
	private readonly args: boolean;

	constructor(args = true, bits = 12, maxCount = 4096, maxChars = 16 << 20, perKey = 8) {
		this.args = args;
		this.buckets = new Array<BodyTemplate[] | undefined>(1 << bits).fill(undefined);
		this.recent = new Array<BodyTemplate | undefined>(1 << bits).fill(undefined);
		this.seen = new Int32Array(1 << bits);
		this.mask = (1 << bits) - 1;
		this.maxCount = maxCount;
		this.maxChars = maxChars;
		this.perKey = perKey;
	}

	/**
	 * The hash of the body's first function name (up to the first `(` of its first line), or -1 when it
	 * has none. The template last matched with it is tried first (`guess`), before looking for the
	 * body's end and its `key`.
	 */
	top(s: string, start: number): number {
		// Searched by hand: indexOf would run on through the chunk.
		let open = start;
		const limit = s.length;
		for (;;) {
			if (open >= limit) return -1;
			const code = s.charCodeAt(open);
			if (code === OPEN) break;
			if (code === NEWLINE) return -1;
			open++;
		}
		return open === start ? -1 : hashRange(s, start, open) & 0x7fffffff;
	}

	/** The template last matched by a body with the same `top` (a guess: always verified by matching). */
	guess(top: number): BodyTemplate | undefined {
		return this.recent[top & this.mask];
	}

	/** Remembers `t` as the last match for `top`. */
	matched(top: number, t: BodyTemplate): void {
		this.hits++;
		this.recent[top & this.mask] = t;
	}

	/** The key of the body [start, end) (`end` at its last newline) with first function hash `top`: a 31-bit hash. */
	key(s: string, start: number, end: number, top: number): number {
		let hash = top;
		// `created by F[ in goroutine N]` is the second-to-last line when present.
		const last = s.lastIndexOf('\n', end - 1);
		if (last > start) {
			const prev = s.lastIndexOf('\n', last - 1) + 1;
			if (prev > start && s.startsWith('created by ', prev)) {
				let stop = last;
				let i = stop;
				while (i > prev && s.charCodeAt(i - 1) >= 48 && s.charCodeAt(i - 1) <= 57) i--;
				if (i < stop && s.startsWith(' in goroutine ', i - 14)) stop = i - 14;
				hash = (Math.imul(hash, 31) + hashRange(s, prev + 11, stop)) | 0;
			}
		}
		return hash & 0x7fffffff;
	}

	candidates(key: number): BodyTemplate[] | undefined {
		return this.buckets[key & this.mask];
	}

	/** After a match of `list[index]`: keep the most used templates first. */
	promote(list: BodyTemplate[], index: number): void {
		if (index === 0) return;
		const t = list[index]!;
		list[index] = list[index - 1]!;
		list[index - 1] = t;
	}

	/**
	 * Learns from a body the line parser has just parsed: [start, blank) is its text up to the blank
	 * line, `frames` and `createdBy` what the parser made of it. Either widens a template with the same
	 * text outside the args (the args that differ become holes) or adds one.
	 */
	learn(key: number, s: string, start: number, blank: number, frames: readonly Frame[], createdBy: CreatedBy | undefined): void {
		const slot = key & this.mask;
		let list = this.buckets[slot];
		// Past the first templates: nothing more while templates do not pay (every stack different), and a
		// new template only for a key seen twice.
		if (this.count >= this.eager && (this.hits < this.count || (list === undefined && this.seen[slot] !== key))) {
			this.seen[slot] = key;
			return;
		}
		// One copy of the body; the pieces are slices of it (no chunk kept alive, one copy instead of one per piece).
		const text = own(s.slice(start, blank + 1));
		const pieces: string[] = [];
		const args: string[] = [];
		const at: number[] = [];
		let pieceStart = start;
		let i = start;
		let k = 0;
		let created = false;
		while (i < blank) {
			if (created) return;
			const nl = s.indexOf('\n', i);
			if (nl < 0 || nl >= blank) return;
			const fileStart = nl + 1;
			const fileEnd = s.indexOf('\n', fileStart);
			if (fileEnd < 0 || fileEnd >= blank || s.charCodeAt(fileStart) !== TAB || isBlankEnd(s.charCodeAt(fileEnd - 1))) return;
			if (s.charCodeAt(nl - 1) === CLOSE && k < frames.length) {
				const frame = frames[k]!;
				const open = i + frame.func.length;
				if (s.charCodeAt(open) !== OPEN || !s.startsWith(frame.func, i)) return;
				// The parser's frame is this line's: its args are the text's (or '' when none are kept).
				if (this.args ? frame.args.length !== nl - 1 - open - 1 || s.slice(open + 1, nl - 1) !== frame.args : frame.args !== '') return;
				if (!frame.inlined && holeable(s, open + 1, nl - 1)) {
					pieces.push(text.slice(pieceStart - start, open + 1 - start));
					args.push(this.args ? frame.args : text.slice(open + 1 - start, nl - 1 - start));
					at.push(k);
					pieceStart = nl - 1;
				}
				k++;
			} else if (s.startsWith('created by ', i) && createdBy !== undefined) {
				created = true;
				// Go 1.21+ `in goroutine N`: the parent differs between goroutines of one stack.
				if (createdBy.parentId !== undefined) {
					let digits = nl;
					while (digits > i && s.charCodeAt(digits - 1) >= 48 && s.charCodeAt(digits - 1) <= 57) digits--;
					if (digits < nl && s.startsWith(' in goroutine ', digits - 14) && parseDecimal(s, digits, nl) === createdBy.parentId) {
						pieces.push(text.slice(pieceStart - start, digits - start));
						args.push(own(s.slice(digits, nl)));
						at.push(PARENT);
						pieceStart = nl;
					}
				}
			} else {
				return;
			}
			i = fileEnd + 1;
		}
		if (i !== blank || k !== frames.length || created !== (createdBy !== undefined)) return;
		pieces.push(text.slice(pieceStart - start));

		if (list !== undefined) {
			for (const t of list) {
				if (!samePieces(t.pieces, pieces)) continue;
				let changed = false;
				for (let j = 0; j < args.length; j++) {
					if (!t.variable[j] && t.args[j] !== args[j]) {
						t.variable[j] = true;
						changed = true;
					}
				}
				if (changed) t.compile();
				return;
			}
		}
		if (this.count >= this.eager && (this.seen[slot] !== key || this.hits < this.count)) {
			this.seen[slot] = key;
			return;
		}
		// The body, and the compiled text once something varies: about twice the body.
		const chars = 2 * text.length;
		if (this.count >= this.maxCount || this.chars + chars > this.maxChars) return;
		const t = new BodyTemplate(text, pieces, args, at, frames.slice(), createdBy, this.args);
		if (list === undefined) {
			list = [];
			this.buckets[slot] = list;
		}
		if (list.length >= this.perKey) {
			const dropped = list.pop()!;
			this.count--;
			this.chars -= 2 * dropped.length;
		}
		list.push(t);
		this.count++;
		this.chars += chars;
	}
}

function isBlankEnd(code: number): boolean {
	return code === 32 || code === TAB || code === 13;
}

/** Args the hole matcher accepts: no parens, not `...`. */
function holeable(s: string, from: number, to: number): boolean {
	for (let i = from; i < to; i++) {
		const code = s.charCodeAt(i);
		if (code === OPEN || code === CLOSE || code === NEWLINE) return false;
	}
	return !(to - from === 3 && s.startsWith('...', from));
}

function samePieces(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
	return true;
}
