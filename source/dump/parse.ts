// The streaming dump parser: bytes in (any chunking), goroutines out as soon as each block is
// complete. Only the unfinished last block (or line) is carried between chunks, so a 250 MB dump is
// never one string.
//
// Bytes are decoded only up to each chunk's last blank line (else its last newline; a newline byte
// never sits inside a UTF-8 sequence), so every decoded text is one flat string of whole lines, and a
// goroutine's body is never split between two texts: it can be matched whole (body-cache.ts). Each
// byte is decoded once. A block that Go ended with a blank line is handed out with the chunk holding
// that blank line; one closed only by the next header (pasted text) may wait for the next chunk.
// This file also finds what the
// input is (traceback, debug=1 profile, gzip protobuf, unknown) and strips paste prefixes; the
// grammars live in parse-traceback.ts, parse-header.ts and parse-profile.ts.
import {isAscii} from 'node:buffer';
import type {DumpParser} from './api.ts';
import type {Dump, DumpKind, Goroutine} from './types.ts';
import {type Interner, own, skipBlanks, trimEnd} from './lines.ts';
import {type ParseCache, createParseCache} from './parse-cache.ts';
import {looksLikeHeader} from './parse-header.ts';
import {ProfileParser, parseProfileHeader} from './parse-profile.ts';
import {TracebackParser} from './parse-traceback.ts';

export interface DumpParserOptions {
	/** Stop consuming after this many bytes (like Go's own 64 MiB cap); the rest is counted but ignored. */
	maxBytes?: number;
	/**
	 * Reuse what earlier parses of the same target learned (see parse-cache.ts): later polls parse
	 * faster and share Frame objects with earlier snapshots. Default: a fresh cache per parser.
	 */
	cache?: ParseCache;
	/** Without a `cache`: whether frames carry their args (see ParseCache.args; default true). */
	args?: boolean;
}

/** How lines are prefixed in pasted text, learned from the first header line. */
// biome-ignore lint/suspicious/noConstEnum: inlined by tsc and tsx; the parser's hot loop compares these per line
const enum Prefix {
	None,
	/** Indentation (markdown code block, quoted issue text): strip up to `prefix.length` blanks. */
	Blank,
	/** `2024/01/02 15:04:05 ` style log timestamps: strip whatever matches LOG_PREFIX. */
	Log,
	/** Any other constant text (`> `, `[pod-1] `): strip it when present. */
	Literal,
}

const LOG_PREFIX = /^\d{4}[-/]\d\d[-/]\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? +/;
const PREAMBLE_LINES = 8;
const MAX_LINE = 1 << 20;
/** runtime/pprof writeGoroutineStacks stops at exactly this many bytes. */
const GO_CAP = 64 << 20;

/** Mode detection, paste-prefix stripping and the preamble; the grammars live in parse-traceback/parse-profile. */
class Parser {
	kind: DumpKind = 'unknown';
	preamble: string[] = [];
	skippedLines = 0;
	profile: ProfileParser | undefined;
	profileName: string | undefined;
	profileTotal: number | undefined;
	readonly traceback: TracebackParser;

	private readonly strings: Interner;
	private prefixKind = Prefix.None;
	private prefix = '';

	constructor(cache: ParseCache) {
		this.strings = cache.strings;
		this.traceback = new TracebackParser(cache);
	}

	/**
	 * The line at [start, nl) — `nl` its newline, or the end of the text for a final line without one
	 * (`complete` false). Returns where the next unread line starts.
	 */
	line(s: string, start: number, nl: number, complete: boolean): number {
		// CR (CRLF dumps) and trailing blanks never matter.
		const end = trimEnd(s, start, nl);
		if (this.kind === 'traceback') {
			// Reading a frame's file line ahead is only done on unprefixed text (the prefix must be stripped per line).
			if (this.prefixKind === Prefix.None) return this.traceback.line(s, start, end, complete ? nl : -1, complete);
			if (start < end) start = this.stripPrefix(s, start, end);
			this.traceback.line(s, start, end, -1, complete);
			return nl + 1;
		}
		if (this.prefixKind !== Prefix.None && start < end) start = this.stripPrefix(s, start, end);
		if (this.kind === 'profile') this.profile!.line(s, start, end);
		else this.searchLine(s, start, end, complete);
		return nl + 1;
	}

	/** Before the first goroutine: find a header (learning the prefix) or a profile header; keep a preamble. */
	private searchLine(s: string, start: number, end: number, complete: boolean): void {
		const first = skipBlanks(s, start, end);
		if (first >= end) return;
		// Search within the line only: indexOf over the rest of the chunk would go quadratic on junk.
		const line = s.slice(start, end);
		const at = line.indexOf('goroutine ');
		if (at >= 0 && looksLikeHeader(line, at) && this.traceback.header(line, at, line.length, complete)) {
			this.learnPrefix(line.slice(0, at));
			this.kind = 'traceback';
			return;
		}
		// A header of a shape no grammar here knows (a newer Go): the input is still a traceback, and
		// the header is counted as not understood rather than taken for preamble.
		if (at >= 0 && first === start + at && this.traceback.unknownHeader(line, at, line.length)) {
			this.kind = 'traceback';
			return;
		}
		const text = s.slice(first, end);
		const profile = parseProfileHeader(text);
		if (profile) {
			this.kind = 'profile';
			this.profileName = own(profile.name);
			this.profileTotal = profile.total;
			this.profile = new ProfileParser(this.strings);
			return;
		}
		this.skippedLines++;
		if (this.preamble.length < PREAMBLE_LINES && !text.startsWith('```')) this.preamble.push(own(text.length > 500 ? text.slice(0, 500) : text));
	}

	private learnPrefix(prefix: string): void {
		if (prefix === '') return;
		if (/^[ \t]+$/.test(prefix)) {
			this.prefixKind = Prefix.Blank;
		} else if (LOG_PREFIX.test(prefix)) {
			this.prefixKind = Prefix.Log;
		} else {
			this.prefixKind = Prefix.Literal;
		}
		this.prefix = own(prefix);
	}

	private stripPrefix(s: string, start: number, end: number): number {
		switch (this.prefixKind) {
			case Prefix.Blank: {
				const limit = Math.min(end, start + this.prefix.length);
				let i = start;
				while (i < limit && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
				return i;
			}
			case Prefix.Log: {
				const head = s.slice(start, Math.min(end, start + 64));
				const match = LOG_PREFIX.exec(head);
				return match ? start + match[0].length : start;
			}
			case Prefix.Literal:
				return s.startsWith(this.prefix, start) ? start + this.prefix.length : start;
			default:
				return start;
		}
	}
}

class StreamingDumpParser implements DumpParser {
	private readonly parser: Parser;
	private readonly maxBytes: number;
	/** Bytes of the incomplete last line, decoded together with the next chunk. */
	private carry: Buffer | undefined;
	/**
	 * Chunks without a newline that continue `carry`, joined only when a newline comes: a long line in
	 * small pieces is then copied once, not once per piece (which went quadratic: seconds per line).
	 */
	private carryMore: Buffer[] = [];
	private carryMoreBytes = 0;
	/** The same for string input. */
	private carryText = '';
	private bytes = 0;
	private started = false;
	private ended = false;
	private protobuf = false;
	private capped = false;
	/** Inside an over-long line: drop input until the next newline. */
	private dropping = false;
	/** Some text was decoded already (a BOM can only come first). */
	private decoded = false;
	/** The bytes of the text `decode` just returned, when it is pure ASCII. */
	private textBytes: Buffer | undefined;

	constructor(options: DumpParserOptions = {}) {
		this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
		this.parser = new Parser(options.cache ?? createParseCache(options.args === undefined ? {} : {args: options.args}));
	}

	get kind(): DumpKind {
		return this.parser.kind;
	}

	write(chunk: Uint8Array | string): Goroutine[] {
		if (this.ended) throw new Error('DumpParser.write() after end()');
		let size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
		if (this.capped) {
			this.bytes += size;
			return [];
		}
		if (this.bytes + size > this.maxBytes) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			chunk = bytes.subarray(0, Math.max(0, this.maxBytes - this.bytes));
			this.bytes += size;
			size = chunk.byteLength;
			this.capped = true;
		} else {
			this.bytes += size;
		}
		if (size === 0 || this.protobuf) return [];

		if (!this.started) {
			if (this.isGzip(chunk)) {
				this.protobuf = true;
				this.parser.kind = 'protobuf';
				return [];
			}
			// Wait for a second byte before deciding on a lone 1f.
			if (!(size === 1 && (typeof chunk === 'string' ? chunk.charCodeAt(0) : chunk[0]) === 0x1f)) this.started = true;
		}
		return typeof chunk === 'string' ? this.writeText(chunk) : this.writeBytes(chunk);
	}

	/** Gzip magic 1f 8b (`?debug=0`), also when the bytes came in as a (latin1 or replaced) string. */
	private isGzip(chunk: Uint8Array | string): boolean {
		const first = this.carry ? this.carry[0] : typeof chunk === 'string' ? chunk.charCodeAt(0) : chunk[0];
		const second = this.carry ? (typeof chunk === 'string' ? chunk.charCodeAt(0) : chunk[0]) : typeof chunk === 'string' ? chunk.charCodeAt(1) : chunk[1];
		return first === 0x1f && (second === 0x8b || second === 0xfffd);
	}

	private writeBytes(chunk: Uint8Array): Goroutine[] {
		let buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		if (this.carryText !== '') {
			buffer = Buffer.concat([Buffer.from(this.carryText), buffer]);
			this.carryText = '';
		}
		if (this.dropping) {
			const nl = buffer.indexOf(10);
			if (nl < 0) return [];
			this.dropping = false;
			buffer = buffer.subarray(nl + 1);
		}
		if (this.carry && buffer.indexOf(10) < 0) return this.carryOn(buffer);
		this.joinCarry();
		let head: Goroutine[] | undefined;
		if (this.carry) {
			// Finish the held-back block on its own, with the new bytes up to their first blank line:
			// copying it together with the whole chunk would cost a copy of the input.
			const blank = buffer.indexOf(BLANK_LINE);
			const joined = Buffer.concat(blank >= 0 && blank < MAX_HELD ? [this.carry, buffer.subarray(0, blank + 2)] : [this.carry, buffer]);
			this.carry = undefined;
			if (blank >= 0 && blank < MAX_HELD) {
				head = this.lines(this.decode(joined, joined.byteLength));
				buffer = buffer.subarray(blank + 2);
			} else {
				buffer = joined;
			}
		}
		const cut = cutAt(buffer);
		if (cut < 0) {
			if (buffer.byteLength > MAX_LINE) {
				const dropped = this.dropLine(buffer);
				if (head === undefined) return dropped;
				for (const g of dropped) head.push(g);
				return head;
			}
			this.keep(buffer);
			return head ?? [];
		}
		const text = this.decode(buffer, cut);
		const rest = buffer.subarray(cut);
		const out = this.lines(text);
		if (rest.byteLength > MAX_LINE) for (const g of this.dropLine(rest)) out.push(g);
		else this.keep(rest);
		if (head === undefined) return out;
		for (const g of out) head.push(g);
		return head;
	}

	/** Bytes [0, end) as text; a UTF-8 BOM at the very start of the input is dropped. */
	private decode(buffer: Buffer, end: number): string {
		let from = 0;
		if (!this.decoded) {
			this.decoded = true;
			if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) from = 3;
		}
		const bytes = buffer.subarray(from, end);
		// Pure ASCII (one byte per char, the same text in any decoding): args can then be copied straight
		// from the bytes (see body-cache.ts). Not "as many chars as bytes": invalid bytes decode to one U+FFFD each.
		const ascii = isAscii(bytes);
		this.textBytes = ascii ? bytes : undefined;
		// (For ASCII, latin1 decodes the same text, as a plain copy.)
		return bytes.toString(ascii ? 'latin1' : 'utf8');
	}

	/** More of the carried line (no newline in `piece`); past MAX_LINE the line is dropped as `keep` does. */
	private carryOn(piece: Buffer): Goroutine[] {
		this.carryMoreBytes += piece.byteLength;
		if (this.carry!.byteLength + this.carryMoreBytes > MAX_LINE) {
			const carry = this.carry!;
			this.carry = undefined;
			this.carryMore = [];
			this.carryMoreBytes = 0;
			return this.dropLine(carry);
		}
		// Copy: the caller may reuse its buffer.
		this.carryMore.push(Buffer.from(piece));
		return [];
	}

	/**
	 * The last line of `rest` is over MAX_LINE: drop it up to its newline, after parsing the whole
	 * lines before it (a held block's header must not go with it: the whole input keeps it).
	 */
	private dropLine(rest: Buffer): Goroutine[] {
		const nl = rest.lastIndexOf(10);
		const out = nl >= 0 ? this.lines(this.decode(rest, nl + 1)) : [];
		this.parser.skippedLines++;
		this.dropping = true;
		return out;
	}

	private joinCarry(): void {
		if (this.carryMore.length === 0) return;
		this.carry = Buffer.concat([this.carry!, ...this.carryMore]);
		this.carryMore = [];
		this.carryMoreBytes = 0;
	}

	private keep(rest: Buffer): void {
		if (rest.byteLength === 0) return;
		if (rest.byteLength > MAX_LINE) {
			// No newline in a megabyte: not a goroutine dump line. Skip to the next newline.
			this.parser.skippedLines++;
			this.dropping = true;
			return;
		}
		// Copy: the caller may reuse its buffer, and a view would pin the whole chunk.
		this.carry = Buffer.from(rest);
	}

	private writeText(chunk: string): Goroutine[] {
		let s = this.carryText + chunk;
		this.joinCarry();
		if (this.carry) {
			s = this.carry.toString('utf8') + s;
			this.carry = undefined;
		}
		if (this.dropping) {
			const nl = s.indexOf('\n');
			if (nl < 0) return [];
			this.dropping = false;
			s = s.slice(nl + 1);
		}
		if (!this.decoded && s !== '') {
			this.decoded = true;
			if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
		}
		const cut = cutAt(s);
		if (cut < 0) {
			this.keepText(s);
			return [];
		}
		this.keepText(s.slice(cut));
		return this.lines(s.slice(0, cut));
	}

	private keepText(rest: string): void {
		if (rest.length > MAX_LINE) {
			this.parser.skippedLines++;
			this.dropping = true;
			this.carryText = '';
			return;
		}
		this.carryText = rest;
	}

	/** Every line of `s` (which ends with a newline) through the parser. */
	private lines(s: string): Goroutine[] {
		const parser = this.parser;
		const out: Goroutine[] = [];
		// (A line of only blanks is a blank line, whole or streamed: the traceback reader's look-ahead for
		// a frame's file line checks for one itself, rather than a pass over every text here.)
		// A line over MAX_LINE bytes is dropped however it arrived: streamed, `keep` drops it once the
		// carried part passes the limit; here the same for one that came whole within a big chunk.
		if (s.length > MAX_LINE / 3) {
			const kept = withoutLongLines(s);
			if (kept.dropped > 0) {
				s = kept.text;
				parser.skippedLines += kept.dropped;
				this.textBytes = undefined;
			}
		}
		parser.traceback.out = out;
		// Only a text just decoded by `decode` has bytes; the caller's buffer is never kept past this call.
		parser.traceback.bytes = this.textBytes !== undefined && this.textBytes.byteLength === s.length ? this.textBytes : undefined;
		this.textBytes = undefined;
		let pos = 0;
		let nl = s.indexOf('\n');
		while (nl >= 0) {
			pos = parser.line(s, pos, nl, true);
			nl = s.indexOf('\n', pos);
		}
		parser.traceback.bytes = undefined;
		return out;
	}

	end(): Dump {
		if (!this.ended) {
			this.ended = true;
			const parser = this.parser;
			if (!this.protobuf) {
				let s = this.carryText;
				this.joinCarry();
				if (this.carry) s = this.decode(this.carry, this.carry.byteLength) + s;
				else if (!this.decoded && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
				this.carry = undefined;
				this.carryText = '';
				// Whole lines held back with the last block, then a final line without newline: it may be cut
				// (Go's 64 MiB cap, a broken connection).
				const last = s.lastIndexOf('\n');
				if (last >= 0) {
					this.lines(s.slice(0, last + 1));
					s = s.slice(last + 1);
				}
				if (s !== '' && !this.dropping) {
					parser.line(s, 0, s.length, false);
					// Known cut mid-line: by our own maxBytes, or by Go's cap (its output is then exactly 64 MiB).
					if (parser.kind === 'traceback' && (this.capped || this.bytes === GO_CAP)) parser.traceback.markTruncated();
				}
				if (parser.kind === 'traceback') parser.traceback.finish();
				// Input beyond maxBytes was dropped: the dump is cut (its last goroutine is marked only when visibly short).
				if (this.capped && parser.kind === 'traceback') parser.traceback.truncated = true;
			}
		}
		return this.result();
	}

	private result(): Dump {
		const parser = this.parser;
		const dump: Dump = {
			kind: parser.kind,
			goroutines: parser.kind === 'traceback' ? parser.traceback.goroutines : [],
			records: parser.profile?.records ?? [],
			truncated: parser.kind === 'traceback' && parser.traceback.truncated,
			bytes: this.bytes,
			skippedLines: parser.skippedLines + parser.traceback.skippedLines + (parser.profile?.skippedLines ?? 0),
		};
		if (parser.profileName !== undefined) dump.profileName = parser.profileName;
		if (parser.profileTotal !== undefined) dump.profileTotal = parser.profileTotal;
		const traceback = parser.traceback;
		if (traceback.unparsedHeaders > 0) dump.unparsedHeaders = {count: traceback.unparsedHeaders, first: traceback.firstUnparsedHeader ?? ''};
		if (parser.preamble.length > 0) dump.preamble = own(parser.preamble.join('\n'));
		return dump;
	}
}

const BLANK_LINE = Buffer.from('\n\n');
/** `s` without its lines longer than MAX_LINE bytes (newline included in what is removed). */
function withoutLongLines(s: string): {text: string; dropped: number} {
	let text = '';
	let run = 0;
	let dropped = 0;
	for (let pos = 0; pos < s.length; ) {
		let nl = s.indexOf('\n', pos);
		if (nl < 0) nl = s.length;
		// Bytes, as `keep` counts them: a line of MAX_LINE/3 chars or fewer cannot pass MAX_LINE bytes.
		if (nl - pos > MAX_LINE / 3 && Buffer.byteLength(s.slice(pos, nl)) > MAX_LINE) {
			text += s.slice(run, pos);
			run = Math.min(s.length, nl + 1);
			dropped++;
		}
		pos = nl + 1;
	}
	return dropped === 0 ? {text: s, dropped} : {text: text + s.slice(run), dropped};
}

/** Blocks held back at most: beyond this, text is cut at its last newline (see `cutAt`). */
const MAX_HELD = 256 << 10;

/**
 * Where to cut text for parsing now (the rest waits for the next chunk): past its last blank line, so a
 * goroutine body is never split between two texts and can be matched whole (see body-cache.ts); else
 * past its last newline. -1: no newline at all.
 */
function cutAt(text: Buffer | string): number {
	const blank = text.lastIndexOf('\n\n');
	if (blank >= 0 && text.length - (blank + 2) <= MAX_HELD) return blank + 2;
	const last = typeof text === 'string' ? text.lastIndexOf('\n') : text.lastIndexOf(10);
	return last < 0 ? -1 : last + 1;
}

/** A streaming parser: `write()` chunks as they arrive (split anywhere), `end()` for the whole dump. */
export function createDumpParser(options?: DumpParserOptions): DumpParser {
	return new StreamingDumpParser(options);
}

/** Parse a whole dump at once (file contents, a test string). */
export function parseDump(input: string | Uint8Array, options?: DumpParserOptions): Dump {
	const parser = createDumpParser(options);
	// Feed big inputs in slices so even this path never decodes one giant string at once.
	if (typeof input === 'string' || input.byteLength <= 1 << 20) parser.write(input);
	else for (let at = 0; at < input.byteLength; at += 1 << 20) parser.write(input.subarray(at, at + (1 << 20)));
	return parser.end();
}
