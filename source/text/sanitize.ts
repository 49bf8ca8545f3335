// The one sanitizer for every byte gmon did not write itself: dump fields (function names, args,
// files, states, labels), a target's HTTP status text, headers and error bodies, file names, error
// messages. Every output path (TUI, text report, --json, diff, --watch, stderr) goes through here,
// so a hostile target or file can never clear the screen, set the title, write the clipboard
// (OSC 52), plant a link (OSC 8), or reorder what a person reads (bidi overrides).
//
// Unsafe characters are shown, never dropped: a reader sees `\x1b[2J` or `\u202e` and knows the
// target sent them. Pure and dependency-free so every layer (dump, fetch, view, report, cli) may
// import it.

/**
 * True for a character a terminal may act on or that hides or reorders text:
 * C0 controls, DEL, C1 controls (U+0080–U+009F: U+009B is a one-character CSI), the Arabic letter
 * mark, the Mongolian vowel separator, zero-width and direction marks (U+200B–U+200F), line and
 * paragraph separators (U+2028/U+2029), bidi embeddings/overrides (U+202A–U+202E), invisible
 * operators and bidi isolates (U+2060–U+206F), the BOM / zero-width no-break space (U+FEFF) and
 * the interlinear annotation controls (U+FFF9–U+FFFB).
 */
export function isUnsafeCode(c: number): boolean {
	if (c < 0x20) return true;
	if (c < 0x7f) return false;
	if (c <= 0x9f) return true;
	if (c < 0x061c) return false;
	return (
		c === 0x061c ||
		c === 0x180e ||
		(c >= 0x200b && c <= 0x200f) ||
		(c >= 0x2028 && c <= 0x202e) ||
		(c >= 0x2060 && c <= 0x206f) ||
		c === 0xfeff ||
		(c >= 0xfff9 && c <= 0xfffb)
	);
}

/** Any unsafe character in `text`? (No allocation: most text is plain ASCII.) */
export function hasUnsafe(text: string): boolean {
	for (let i = 0; i < text.length; i++) if (isUnsafeCode(text.charCodeAt(i))) return true;
	return false;
}

const hex = (c: number, width: number) => c.toString(16).padStart(width, '0');

/** `\x1b`, `\x9b`, `\u202e`: how an unsafe character is shown. */
export function escapeCode(c: number): string {
	return c < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

/**
 * `text` safe to print on one line: tabs, newlines and carriage returns become a space (one field
 * stays one line, and a newline cannot forge a report line), every other unsafe character is shown
 * as its escape (`\x1b`, `\u202e`). Plain text comes back as the same string.
 */
export function visible(text: string): string {
	if (!hasUnsafe(text)) return text;
	let out = '';
	let run = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (!isUnsafeCode(c)) continue;
		out += text.slice(run, i) + (c === 9 || c === 10 || c === 13 ? ' ' : escapeCode(c));
		run = i + 1;
	}
	return out + text.slice(run);
}

/**
 * JSON text (from JSON.stringify) with every unsafe character still raw in it written as `\uXXXX`.
 * JSON.stringify escapes C0 but leaves DEL, C1, bidi and zero-width characters as they are: valid
 * JSON, yet a terminal acts on them. Those characters can only sit inside strings (JSON's own
 * syntax is ASCII), where `\u` escapes decode to the same value: a script reads the exact data.
 */
export function jsonSafe(json: string): string {
	let out = '';
	let run = 0;
	for (let i = 0; i < json.length; i++) {
		const c = json.charCodeAt(i);
		// A raw newline in JSON text is layout (pretty printing), never string content.
		if (c === 10 || !isUnsafeCode(c)) continue;
		out += `${json.slice(run, i)}\\u${hex(c, 4)}`;
		run = i + 1;
	}
	return out + json.slice(run);
}

/** Typed input (the TUI's search box): unsafe characters are dropped, not shown — a person typed it. */
export function withoutUnsafe(text: string): string {
	if (!hasUnsafe(text)) return text;
	let out = '';
	for (let i = 0; i < text.length; i++) if (!isUnsafeCode(text.charCodeAt(i))) out += text[i];
	return out;
}

// gmon's own colour codes: SGR with numbers only (report/style.ts). Nothing else of ESC passes.
const ownSgr = /^\u001B\[[0-9;]{1,12}m/;

/**
 * The last guard before a report reaches stdout: every unsafe character left in `text` is shown as
 * its escape, except newlines and gmon's own SGR colour codes. Fields are made `visible` where they
 * are formatted (so widths are right); this catches any field a future change forgets.
 */
export function terminalSafe(text: string): string {
	if (!hasUnsafe(text)) return text;
	let out = '';
	let run = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10 || !isUnsafeCode(c)) continue;
		if (c === 0x1b) {
			const sgr = ownSgr.exec(text.slice(i, i + 16));
			if (sgr) {
				i += sgr[0].length - 1;
				continue;
			}
		}
		out += text.slice(run, i) + escapeCode(c);
		run = i + 1;
	}
	return out + text.slice(run);
}
