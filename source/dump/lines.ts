// Low-level helpers shared by the traceback and profile parsers. They work on (text, start, end)
// ranges of a decoded chunk instead of sliced lines: a 250 MB dump has ~5M lines and every
// avoided allocation shows in the bench.

/**
 * A copy of `s` that does not keep its source alive. V8 makes `slice()` results of 13+ chars
 * "sliced strings" pointing into the parent: keeping a function name sliced from a 64 KiB chunk
 * would keep the whole chunk (and, over a dump, every chunk) in memory. The concatenation forces
 * a flat copy of just this text.
 */
export function own(s: string): string {
	return s.length < 13 ? s : ` ${s}`.slice(1);
}

/**
 * Repeated strings (function names, files, states) stored once: stacks repeat heavily. Looked up by
 * the char range itself — a cheap sampled hash (open addressing), verified with a native `===` on an
 * O(1) slice — because a Map needs the whole string hashed first (`startsWith(key, at)` measured 3×
 * slower than the slice and `===`).
 */
export class Interner {
	private keys: Array<string | undefined> = new Array<string | undefined>(1 << 12);
	private mask = (1 << 12) - 1;
	private size = 0;
	private readonly limit: number;

	constructor(limit = 1 << 20) {
		this.limit = limit;
	}

	/** The text `s.slice(start, end)`, shared. */
	range(s: string, start: number, end: number): string {
		const length = end - start;
		const keys = this.keys;
		const mask = this.mask;
		let slot = hashRange(s, start, end) & mask;
		// The slice is O(1) (a view) and `===` compares natively: both far cheaper than a JS char loop.
		const text = s.slice(start, end);
		for (;;) {
			const key = keys[slot];
			if (key === undefined) break;
			if (key.length === length && key === text) return key;
			slot = (slot + 1) & mask;
		}
		const copy = own(text);
		// Past the limit (pathological input: every line unique) stop growing the table.
		if (this.size < this.limit) {
			keys[slot] = copy;
			this.size++;
			if (this.size * 2 > mask) this.grow();
		}
		return copy;
	}

	get(s: string): string {
		return this.range(s, 0, s.length);
	}

	private grow(): void {
		const old = this.keys;
		const keys = new Array<string | undefined>(old.length * 2);
		const mask = keys.length - 1;
		for (const key of old) {
			if (key === undefined) continue;
			let slot = hashRange(key, 0, key.length) & mask;
			while (keys[slot] !== undefined) slot = (slot + 1) & mask;
			keys[slot] = key;
		}
		this.keys = keys;
		this.mask = mask;
	}
}

/**
 * A cheap hash of s[start, end): the length, the last 16 chars (where args and method names differ)
 * and a sample of the rest. Collisions only cost a probe: entries are verified with `===`.
 */
export function hashRange(s: string, start: number, end: number): number {
	const length = end - start;
	let hash = length;
	const tailFrom = Math.max(end - 16, start);
	for (let i = tailFrom; i < end; i++) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
	const step = (length >> 4) + 1;
	for (let i = start; i < tailFrom; i += step) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
	return hash ^ (hash >>> 15);
}

const SPACE = 32;
const TAB = 9;
const COLON = 58;
const ZERO = 48;
const NINE = 57;

export function isSpace(code: number): boolean {
	return code === SPACE || code === TAB;
}

/** Index of the first non-blank char in [start, end). */
export function skipBlanks(s: string, start: number, end: number): number {
	while (start < end && isSpace(s.charCodeAt(start))) start++;
	return start;
}

/** End of [start, end) with trailing blanks (and a CR) removed. */
export function trimEnd(s: string, start: number, end: number): number {
	while (end > start) {
		const code = s.charCodeAt(end - 1);
		if (code !== SPACE && code !== TAB && code !== 13) break;
		end--;
	}
	return end;
}

/** Decimal digits at [start, end) as a number, or -1 when there are none / a non-digit. */
export function parseDecimal(s: string, start: number, end: number): number {
	if (start >= end) return -1;
	let value = 0;
	for (let i = start; i < end; i++) {
		const code = s.charCodeAt(i);
		if (code < ZERO || code > NINE) return -1;
		value = value * 10 + (code - ZERO);
	}
	return value;
}

/** Hex digits from `start` up to the first non-hex char; -1 when none. Returns value; `hexEnd` holds the stop index. */
export let hexEnd = 0;
export function parseHex(s: string, start: number, end: number): number {
	let value = 0;
	let i = start;
	for (; i < end; i++) {
		const code = s.charCodeAt(i);
		let digit: number;
		if (code >= ZERO && code <= NINE) digit = code - ZERO;
		else if (code >= 97 && code <= 102) digit = code - 87;
		else if (code >= 65 && code <= 70) digit = code - 55;
		else break;
		value = value * 16 + digit;
	}
	hexEnd = i;
	return i === start ? -1 : value;
}

/** Where a file location was found by `parseLocation`. */
export interface Location {
	file: string;
	line: number;
	pcOffset?: number;
}

/**
 * `path:line[ +0xoff][ fp=… sp=… pc=…]` in [start, end) (already past the indentation).
 * The line number is the LAST `:<digits>` followed by a space or the end, so Windows drives
 * (`C:/x.go:12`) and paths with spaces or colons survive. No `:<digits>` → whole text is the file, line 0.
 */
export function parseLocation(s: string, start: number, end: number, files: Interner, into: Location): void {
	let colon = s.lastIndexOf(':', end - 1);
	while (colon >= start) {
		let i = colon + 1;
		while (i < end) {
			const code = s.charCodeAt(i);
			if (code < ZERO || code > NINE) break;
			i++;
		}
		if (i > colon + 1 && (i === end || s.charCodeAt(i) === SPACE)) {
			into.file = files.range(s, start, colon);
			into.line = parseDecimal(s, colon + 1, i);
			// ` +0x1f` follows the line number directly when printed.
			if (i + 4 < end + 1 && s.charCodeAt(i + 1) === 43 /* + */ && s.charCodeAt(i + 2) === ZERO && s.charCodeAt(i + 3) === 120 /* x */) {
				const off = parseHex(s, i + 4, end);
				if (off >= 0) into.pcOffset = off;
			}
			return;
		}
		colon = colon === 0 ? -1 : s.lastIndexOf(':', colon - 1);
	}
	into.file = files.range(s, start, end);
	into.line = 0;
}

/**
 * Where the argument list of a `func(args)` line opens: scan backwards from the final `)`
 * counting parens, because `(*T)` receivers precede the args. -1 if unbalanced.
 */
export function argsOpen(s: string, start: number, close: number): number {
	let depth = 0;
	for (let i = close; i >= start; i--) {
		const code = s.charCodeAt(i);
		if (code === 41) depth++;
		else if (code === 40) {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/** Go `%q` string at s[start] === '"'; returns the decoded text and sets `quotedEnd` past the closing quote. */
export let quotedEnd = 0;
export function readQuoted(s: string, start: number, end: number): string {
	let out = '';
	let i = start + 1;
	let run = i;
	while (i < end) {
		const code = s.charCodeAt(i);
		if (code === 34 /* " */) {
			out += s.slice(run, i);
			quotedEnd = i + 1;
			return out;
		}
		if (code === 92 /* \ */ && i + 1 < end) {
			out += s.slice(run, i);
			const esc = s[i + 1];
			i += 2;
			switch (esc) {
				case 'n':
					out += '\n';
					break;
				case 't':
					out += '\t';
					break;
				case 'r':
					out += '\r';
					break;
				case 'a':
					out += '\x07';
					break;
				case 'b':
					out += '\b';
					break;
				case 'f':
					out += '\f';
					break;
				case 'v':
					out += '\v';
					break;
				case 'x':
				case 'u':
				case 'U': {
					const width = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
					const hex = s.slice(i, i + width);
					const value = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? Number.parseInt(hex, 16) : -1;
					if (value >= 0 && value <= 0x10ffff) {
						out += esc === 'x' ? String.fromCharCode(value) : String.fromCodePoint(value);
						i += width;
					} else {
						out += `\\${esc}`;
					}
					break;
				}
				default:
					if (esc !== undefined && esc >= '0' && esc <= '7' && /^[0-7]{3}$/.test(s.slice(i - 1, i + 2))) {
						out += String.fromCharCode(Number.parseInt(s.slice(i - 1, i + 2), 8));
						i += 1;
					} else {
						out += esc ?? '';
					}
			}
			run = i;
			continue;
		}
		i++;
	}
	// Unterminated (cut or damaged): keep what there is.
	out += s.slice(run, end);
	quotedEnd = end;
	return out;
}

/**
 * `{"k": "v", "k2": "v2"}` (traceback labels, Go 1.26+) or `{"k":"v", …}` (debug=1 `# labels:`),
 * `open` at the `{`. Values may hold `, `, `}` and `]` inside their quotes. Returns the labels and sets
 * `labelsEnd` past the closing brace (or to `end` when it is missing).
 */
export let labelsEnd = 0;
export function parseLabels(s: string, open: number, end: number): Record<string, string> {
	const labels: Record<string, string> = {};
	let i = open + 1;
	while (i < end) {
		const code = s.charCodeAt(i);
		if (code === 125 /* } */) {
			labelsEnd = i + 1;
			return labels;
		}
		if (code === SPACE || code === 44 /* , */) {
			i++;
			continue;
		}
		const key = readToken(s, i, end, true);
		i = tokenEnd;
		i = skipBlanks(s, i, end);
		if (s.charCodeAt(i) === COLON) i = skipBlanks(s, i + 1, end);
		const value = readToken(s, i, end, false);
		i = tokenEnd;
		labels[own(key)] = own(value);
	}
	labelsEnd = end;
	return labels;
}

let tokenEnd = 0;
function readToken(s: string, start: number, end: number, isKey: boolean): string {
	if (s.charCodeAt(start) === 34) {
		const text = readQuoted(s, start, end);
		tokenEnd = quotedEnd;
		return text;
	}
	// Unquoted (not what Go prints, but never fatal): up to the next delimiter.
	let i = start;
	while (i < end) {
		const code = s.charCodeAt(i);
		if (code === 44 || code === 125 || (isKey && code === COLON)) break;
		i++;
	}
	tokenEnd = i === start ? start + 1 : i;
	return s.slice(start, i).trim();
}
