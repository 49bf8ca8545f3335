// Goroutine tracebacks (`?debug=2`, runtime.Stack(all), panics, fatal errors, SIGQUIT): a line state
// machine keyed on the first char of each line (formats.md §7), never on a whole-line regex:
// TAB/space → a file line; `goroutine N [` → a header; `created by`; `...` elision; `[originating from`;
// anything else ending in `)` inside a goroutine → a function line. A blank line closes the goroutine:
// crash dumps put `runtime stack:` sections and register dumps after blank lines, and they belong to none.
//
// Frame and CreatedBy objects are shared between goroutines whose lines are identical (args included):
// treat parsed dumps as immutable.
import type {Ancestor, CreatedBy, Frame, Goroutine} from './types.ts';
import {LineCache} from './line-cache.ts';
import {type Interner, type Location, argsOpen, own, parseDecimal, parseLocation, skipBlanks} from './lines.ts';
import {HeaderParser, looksLikeHeader} from './parse-header.ts';

/** A parsed `func(args)` line and the frames built from it with each file line seen after it. */
interface FuncLine {
	func: string;
	args: string;
	inlined: boolean;
	lastFile: FileLine | undefined;
	lastFrame: Frame | undefined;
	more: Map<FileLine, Frame> | undefined;
}

/** A parsed `\tfile:line +0xoff` line. */
interface FileLine {
	file: string;
	line: number;
	pcOffset: number | undefined;
}

/** A parsed `created by F [in goroutine N]` line and the CreatedBy built with each file line after it. */
interface CreatedLine {
	func: string;
	parentId: number | undefined;
	lastFile: FileLine | undefined;
	lastCreated: CreatedBy | undefined;
	more: Map<FileLine, CreatedBy> | undefined;
}

const NO_FILE: FileLine = {file: '', line: 0, pcOffset: undefined};

export class TracebackParser {
	readonly goroutines: Goroutine[] = [];
	/** Goroutines completed since the caller last emptied it. */
	out: Goroutine[] = [];
	skippedLines = 0;
	truncated = false;

	private readonly strings: Interner;
	private readonly files: Interner;
	private readonly headers: HeaderParser;
	private readonly funcLines = new LineCache<FuncLine>(15);
	private readonly fileLines = new LineCache<FileLine>(15);
	private readonly createdLines = new LineCache<CreatedLine>(10);
	private readonly location: Location = {file: '', line: 0};

	private current: Goroutine | undefined;
	/** Where frames go: the goroutine, or its latest `[originating from goroutine N]` block. */
	private target: Goroutine | Ancestor | undefined;
	/** A function line waiting for its file line. */
	private pendingFunc: FuncLine | undefined;
	/** A created-by line waiting for its file line. */
	private pendingCreated: CreatedLine | undefined;

	constructor(strings: Interner, files: Interner) {
		this.strings = strings;
		this.files = files;
		this.headers = new HeaderParser(strings);
	}

	/** Tries [start, end) as a header (used before the first goroutine too). */
	header(s: string, start: number, end: number, complete: boolean): boolean {
		const g = this.headers.parse(s, start, end);
		if (!g) return false;
		this.close();
		this.current = g;
		this.target = g;
		if (!complete) this.markTruncated();
		return true;
	}

	/** One line at [start, end): CR, trailing blanks and any paste prefix already removed. `complete` is false for a final line without newline. */
	line(s: string, start: number, end: number, complete: boolean): void {
		if (start >= end) {
			this.close();
			return;
		}
		const code = s.charCodeAt(start);
		const target = this.target;

		// File line: TAB, or spaces in pasted dumps.
		if (code === 9 || code === 32) {
			if (target === undefined) {
				this.skippedLines++;
				return;
			}
			const from = skipBlanks(s, start, end);
			if (this.pendingFunc !== undefined) {
				const file = this.fileLine(s, from, end);
				const func = this.pendingFunc;
				this.pendingFunc = undefined;
				target.frames.push(frameFor(func, file));
				// A final line without newline and without `+0x` may have been cut before it.
				if (!complete && file.pcOffset === undefined && !func.inlined) this.markTruncated();
				return;
			}
			if (this.pendingCreated !== undefined) {
				const file = this.fileLine(s, from, end);
				target.createdBy = createdFor(this.pendingCreated, file);
				this.pendingCreated = undefined;
				if (!complete && file.pcOffset === undefined) this.markTruncated();
				return;
			}
			if (s.startsWith('goroutine running on other thread', from)) {
				this.current!.unavailable = true;
				return;
			}
			// An indented header (pasted text with uneven indentation).
			if (looksLikeHeader(s, from) && this.header(s, from, end, complete)) return;
			this.skippedLines++;
			return;
		}

		if (code === 103 /* g */ && looksLikeHeader(s, start)) {
			if (this.header(s, start, end, complete)) return;
			if (!complete) this.truncated = true;
			this.skippedLines++;
			return;
		}

		if (target === undefined) {
			this.skippedLines++;
			return;
		}
		this.flushPending(target);

		if (s.charCodeAt(end - 1) === 41 /* ) */) {
			let func = this.funcLines.get(s, start, end);
			if (func === undefined) {
				func = this.funcLine(s, start, end);
				if (func !== undefined) this.funcLines.set(s, start, end, func);
			}
			if (func !== undefined) {
				this.pendingFunc = func;
				if (!complete) this.markTruncated();
				return;
			}
		}
		if (code === 99 /* c */ && s.startsWith('created by ', start)) {
			let created = this.createdLines.get(s, start, end);
			if (created === undefined) {
				created = this.createdLine(s, start + 11, end);
				this.createdLines.set(s, start, end, created);
			}
			this.pendingCreated = created;
			if (!complete) this.markTruncated();
			return;
		}
		if (code === 46 /* . */ && this.elision(target, s, start, end)) return;
		if (code === 91 /* [ */ && s.startsWith('[originating from goroutine ', start)) {
			const idEnd = s.indexOf(']', start);
			const id = idEnd > 0 && idEnd < end ? parseDecimal(s, start + 28, idEnd) : -1;
			if (id >= 0) {
				const ancestor: Ancestor = {id, frames: []};
				(this.current!.ancestors ??= []).push(ancestor);
				this.target = ancestor;
				return;
			}
		}
		if (code === 114 /* r */ && s.startsWith('runtime stack:', start)) {
			// A crash's system-stack section: it has no header and belongs to no goroutine.
			this.close();
			return;
		}
		// Anything else (a fence, a log line, a cut function line) belongs to no grammar.
		if (!complete) this.markTruncated();
		this.skippedLines++;
	}

	private funcLine(s: string, start: number, end: number): FuncLine | undefined {
		const open = argsOpen(s, start, end - 1);
		if (open <= start) return undefined;
		const args = s.slice(open + 1, end - 1);
		return {
			func: this.strings.range(s, start, open),
			args: own(args),
			inlined: args === '...',
			lastFile: undefined,
			lastFrame: undefined,
			more: undefined,
		};
	}

	private fileLine(s: string, start: number, end: number): FileLine {
		let file = this.fileLines.get(s, start, end);
		if (file === undefined) {
			const location = this.location;
			location.pcOffset = undefined;
			parseLocation(s, start, end, this.files, location);
			file = {file: location.file, line: location.line, pcOffset: location.pcOffset};
			this.fileLines.set(s, start, end, file);
		}
		return file;
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
		return {func: this.strings.get(text), parentId, lastFile: undefined, lastCreated: undefined, more: undefined};
	}

	/** `...additional frames elided...` (Go ≤1.20) or `...N frames elided...` (Go ≥1.21). */
	private elision(target: Goroutine | Ancestor, s: string, start: number, end: number): boolean {
		if (!s.startsWith('...', start) || end - start < 19 || !s.startsWith('frames elided...', end - 16)) return false;
		const middle = s.slice(start + 3, end - 16).trim();
		if (middle === 'additional') {
			target.elided = {at: target.frames.length};
			return true;
		}
		const count = parseDecimal(middle, 0, middle.length);
		if (count < 0) return false;
		target.elided = {count, at: target.frames.length};
		return true;
	}

	/** A function or created-by line whose file line never came: keep it without a location. */
	private flushPending(target: Goroutine | Ancestor): void {
		if (this.pendingFunc !== undefined) {
			target.frames.push(frameFor(this.pendingFunc, NO_FILE));
			this.pendingFunc = undefined;
		}
		if (this.pendingCreated !== undefined) {
			target.createdBy = createdFor(this.pendingCreated, NO_FILE);
			this.pendingCreated = undefined;
		}
	}

	/** The goroutine being parsed (and so the dump) was cut short. */
	markTruncated(): void {
		if (this.current) this.current.truncated = true;
		this.truncated = true;
	}

	/** The goroutine is complete: hand it out. */
	close(): void {
		const g = this.current;
		if (g === undefined) return;
		if (this.target !== undefined) this.flushPending(this.target);
		this.current = undefined;
		this.target = undefined;
		this.goroutines.push(g);
		this.out.push(g);
	}

	/** End of input: a goroutine still open is complete unless it visibly stops short. */
	finish(): void {
		const g = this.current;
		if (g === undefined) return;
		const short = this.pendingFunc !== undefined || this.pendingCreated !== undefined || (g.frames.length === 0 && !g.unavailable && g.createdBy === undefined);
		if (short) this.markTruncated();
		this.close();
	}
}

function frameFor(func: FuncLine, file: FileLine): Frame {
	if (func.lastFile === file) return func.lastFrame!;
	let frame = func.more?.get(file);
	if (frame !== undefined) return frame;
	frame = file.pcOffset === undefined
		? {func: func.func, args: func.args, inlined: func.inlined, file: file.file, line: file.line}
		: {func: func.func, args: func.args, inlined: func.inlined, file: file.file, line: file.line, pcOffset: file.pcOffset};
	if (func.lastFile === undefined) {
		func.lastFile = file;
		func.lastFrame = frame;
	} else if (file !== NO_FILE) {
		(func.more ??= new Map()).set(file, frame);
	}
	return frame;
}

function createdFor(line: CreatedLine, file: FileLine): CreatedBy {
	if (line.lastFile === file) return line.lastCreated!;
	let created = line.more?.get(file);
	if (created !== undefined) return created;
	created = {func: line.func, file: file.file, line: file.line};
	if (line.parentId !== undefined) created.parentId = line.parentId;
	if (file.pcOffset !== undefined) created.pcOffset = file.pcOffset;
	if (line.lastFile === undefined) {
		line.lastFile = file;
		line.lastCreated = created;
	} else if (file !== NO_FILE) {
		(line.more ??= new Map()).set(file, created);
	}
	return created;
}
