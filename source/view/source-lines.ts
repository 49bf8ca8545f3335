// The blocking frame's source in the stack view: the lines around it (±3), the blocking line
// marked, or one line saying why there are none. The lines come in as data (the UI's reader in
// watch/source-files.ts reads them); they are outside bytes, so each passes through visible().
import type {Frame} from '../dump/types.ts';
import {visible} from '../text/sanitize.ts';
import {padStart} from './format.ts';
import {truncateEnd} from '../text/fit.ts';

/** A line of the stack view (stack-lines.ts Line; its tones are a subset). */
export interface SourceLine {
	text: string;
	tone: 'normal' | 'dim' | 'accent' | 'warn';
}

/** Lines shown on each side of the blocking line. */
export const sourceContext = 3;

/** A frame's file as the UI's reader found it: its lines, or `missing` (with the --source-root it tried). */
export interface SourceText {
	/** The file as the dump prints it (the frame's `file`). */
	file: string;
	lines?: readonly string[];
	/** --source-root, when given (the missing line says where it looked). */
	root?: string;
}

/** A frame and its file's text, for the stack view to show under that frame. */
export interface FrameSource {
	frame: Pick<Frame, 'func' | 'file' | 'line'>;
	text: SourceText;
}

/** Go's tabs as four columns: visible() would make each one a single space. */
function expandTabs(text: string): string {
	return text.replace(/\t/g, '    ');
}

/** The lines around `source.frame.line`, indented under the frame's file:line. */
export function sourceLines(source: FrameSource, width: number): SourceLine[] {
	const {text, frame} = source;
	const indent = '    ';
	if (!text.lines) {
		const why =
			text.root === undefined ? 'source not found here; --source-root DIR maps it' : `source not found here or under --source-root ${visible(text.root)}`;
		return [{text: truncateEnd(indent + why, width), tone: 'dim'}];
	}
	const at = frame.line;
	// A file whose last line is empty has one line less than split() gives.
	const count = text.lines.at(-1) === '' ? text.lines.length - 1 : text.lines.length;
	if (at < 1 || at > count) return [{text: truncateEnd(`${indent}line ${at} is past the end of this file here (another version?)`, width), tone: 'warn'}];
	const first = Math.max(1, at - sourceContext);
	const last = Math.min(count, at + sourceContext);
	const digits = String(last).length;
	const out: SourceLine[] = [];
	for (let n = first; n <= last; n++) {
		const mark = n === at ? '→' : ' ';
		const code = visible(expandTabs(text.lines[n - 1] ?? '')).trimEnd();
		out.push({text: truncateEnd(`${indent}${mark} ${padStart(String(n), digits)} │ ${code}`, width), tone: n === at ? 'accent' : 'normal'});
	}
	return out;
}

/** Whether `frame` is the one the source is for (the first such frame of a stack gets the lines). */
export function isSourceFrame(frame: Pick<Frame, 'func' | 'file' | 'line'>, source: FrameSource | undefined): boolean {
	return source !== undefined && frame.file === source.frame.file && frame.line === source.frame.line && frame.func === source.frame.func;
}
