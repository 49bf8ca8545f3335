// What a body that is not a dump starts with, for the error line: a person who pointed gmon at the
// wrong file or URL sees what it really is ("<!doctype html>", "Hello, world", "404 page not found").
import {isUnsafeCode, visible} from '../text/sanitize.ts';

/** Bytes kept from the start of a body: enough for a first line, never more. */
const headBytes = 512;
/** The longest first line shown. */
const shownChars = 80;

/** Keeps the first bytes of a stream as they pass. */
export class HeadKeeper {
	private readonly chunks: Buffer[] = [];
	private length = 0;

	push(chunk: Buffer): void {
		if (this.length >= headBytes) return;
		// A copy: the caller may reuse its buffer (a file's reader does), and a view would pin the whole chunk.
		const piece = Buffer.from(chunk.subarray(0, headBytes - this.length));
		this.chunks.push(piece);
		this.length += piece.length;
	}

	/** The first non-blank line, quoted, cut to 80 characters and made visible ('binary bytes' for binary); '' when there is none. */
	firstLine(): string {
		return quoteFirstLine(Buffer.concat(this.chunks).toString('utf8'));
	}
}

/** `"<!doctype html>"`: the first non-blank line of `text`, quoted, cut, every unsafe character shown escaped. */
export function quoteFirstLine(text: string): string {
	const line = (text.split('\n').find(part => part.trim() !== '') ?? '').trim();
	if (line === '') return '';
	// Random bytes or a binary file: a wall of escapes tells nothing; say what it is.
	let unsafe = 0;
	for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== 9 && (isUnsafeCode(line.charCodeAt(i)) || line.charCodeAt(i) === 0xfffd)) unsafe++;
	if (unsafe > line.length / 10) return 'binary bytes';
	const cut = line.length > shownChars ? `${line.slice(0, shownChars - 1)}…` : line;
	return `"${visible(cut)}"`;
}
