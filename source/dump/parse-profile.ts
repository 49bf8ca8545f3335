// The `?debug=1` aggregated profile (formats.md §3): `<name> profile: total N`, then records
// `COUNT @ 0x… 0x…`, an optional `# labels: {…}` line, `#\t0xPC\tfunc+0xoff\t\tfile:line` frame lines
// (columns separated by RUNS of tabs: tabwriter), a blank line. A record may have no frame lines.
import type {Frame, ProfileRecord} from './types.ts';
import {type Interner, type Location, own, parseDecimal, parseHex, hexEnd, parseLabels, parseLocation, skipBlanks} from './lines.ts';

const HEADER = /^(\w+) profile: total (\d+)\s*$/;

/** `goroutine profile: total 42` → {name, total}; undefined otherwise. */
export function parseProfileHeader(line: string): {name: string; total: number} | undefined {
	const match = HEADER.exec(line);
	if (!match) return undefined;
	return {name: match[1] ?? '', total: Number(match[2])};
}

export class ProfileParser {
	readonly records: ProfileRecord[] = [];
	skippedLines = 0;
	private current: ProfileRecord | undefined;
	private readonly strings: Interner;
	private readonly location: Location = {file: '', line: 0};

	constructor(strings: Interner) {
		this.strings = strings;
	}

	/** One line at [start, end) (CR and prefix already removed). */
	line(s: string, start: number, end: number): void {
		start = skipBlanks(s, start, end);
		if (start >= end) {
			this.current = undefined;
			return;
		}
		const code = s.charCodeAt(start);
		if (code >= 48 && code <= 57) {
			if (!this.record(s, start, end)) this.skippedLines++;
			return;
		}
		if (code === 35 /* # */ && this.current) {
			if (s.startsWith('# labels: {', start)) {
				this.current.labels = parseLabels(s, start + 10, end);
				return;
			}
			this.frame(this.current, s, start + 1, end);
			return;
		}
		this.skippedLines++;
	}

	private record(s: string, start: number, end: number): boolean {
		const at = s.indexOf(' @', start);
		// (A record line always has ` @` right after the count: a miss is found within the line.)
		if (at < 0 || at >= end) return false;
		const count = parseDecimal(s, start, at);
		if (count < 0) return false;
		const pcs =
			at + 2 < end
				? s
						.slice(at + 2, end)
						.trim()
						.split(/\s+/)
						.filter(pc => pc !== '')
						.map(pc => own(pc))
				: [];
		this.current = {count, pcs, frames: []};
		this.records.push(this.current);
		return true;
	}

	private frame(record: ProfileRecord, s: string, start: number, end: number): void {
		// Columns: PC, func+0xoff, file:line — split on runs of tabs.
		const columns: Array<[number, number]> = [];
		let i = start;
		while (i < end) {
			while (i < end && s.charCodeAt(i) === 9) i++;
			if (i >= end) break;
			let j = s.indexOf('\t', i);
			if (j < 0 || j > end) j = end;
			columns.push([i, j]);
			i = j;
		}
		const pcColumn = columns[0];
		if (!pcColumn) {
			this.skippedLines++;
			return;
		}
		const frame: Frame = {func: '', args: '', inlined: false, file: '', line: 0, pc: own(s.slice(pcColumn[0], pcColumn[1]).trim())};
		const funcColumn = columns[1];
		if (funcColumn) {
			const plus = s.lastIndexOf('+0x', funcColumn[1]);
			if (plus > funcColumn[0]) {
				frame.func = this.strings.get(s.slice(funcColumn[0], plus));
				const off = parseHex(s, plus + 3, funcColumn[1]);
				if (off >= 0 && hexEnd === funcColumn[1]) frame.pcOffset = off;
			} else {
				frame.func = this.strings.get(s.slice(funcColumn[0], funcColumn[1]).trim());
			}
		}
		// The file column may itself contain tabs only if a path does (never seen): take the rest of the line.
		const fileColumn = columns[2];
		if (fileColumn) {
			const location = this.location;
			location.pcOffset = undefined;
			parseLocation(s, fileColumn[0], end, this.strings, location);
			frame.file = location.file;
			frame.line = location.line;
		}
		record.frames.push(frame);
	}
}
