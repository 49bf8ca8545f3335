// Go's two text encodings of the goroutine profile, written the way the Go runtime writes them,
// so demo dumps go through exactly the parser path real ones do.
import type {CreatorTemplate, FrameTemplate} from './stacks.ts';

/** A frame with its args already filled in for one goroutine (no `@P` placeholders left). */
export type FilledFrame = FrameTemplate;

/** One `func(args)\n\tfile:line +0xoff\n` pair, as runtime.traceback prints it at level 1. */
export function formatFrame(frame: FilledFrame): string {
	if (frame.off === undefined) return `${frame.func}(...)\n\t${frame.file}:${frame.line}\n`;
	return `${frame.func}(${frame.args})\n\t${frame.file}:${frame.line} +0x${frame.off.toString(16)}\n`;
}

/** Go 1.21+ created-by line: `created by F in goroutine N`. */
export function formatCreatedBy(creator: CreatorTemplate, parentId: number): string {
	return `created by ${creator.func} in goroutine ${parentId}\n\t${creator.file}:${creator.line} +0x${creator.off.toString(16)}\n`;
}

/** `goroutine N [state, M minutes]:` — minutes only from 1 on, never singularised (Go prints `1 minutes`). */
export function formatHeader(id: number, state: string, minutes: number): string {
	return `goroutine ${id} [${state}${minutes >= 1 ? `, ${minutes} minutes` : ''}]:\n`;
}

// --- debug=1 ------------------------------------------------------------------------------------

function fnv1a(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash;
}

/** A stable fake text address for a function, so the same stack always has the same PCs. */
function entryOf(func: string): number {
	return 0x401000 + ((fnv1a(func) % 0x3c0000) & ~0x1f);
}

// The runtime frames debug=1 hides at the top of each stack still have PCs on the `@` line.
const hiddenPcs: Record<string, number[]> = {
	'chan receive': [0x43e4ce, 0x4098c5, 0x4094d2],
	'chan send': [0x43e4ce, 0x4081ed, 0x407da5],
	select: [0x43e4ce, 0x44f385],
	'IO wait': [0x43e4ce, 0x4370d7],
	sleep: [0x43e4ce],
	running: [0x43a8f6],
};
const goexitPc = 0x471ba1;

export interface ProfileStack {
	state: string;
	frames: FilledFrame[];
}

/**
 * `?debug=1`: identical stacks counted, sorted by count (then by PC list), each frame as
 * `#\t0xPC\tfunc+0xoff\tfile:line`, aligned by text/tabwriter with tab padding
 * (minwidth 1, tabwidth 8, padding 1), which puts a varying run of TABs between columns.
 */
export function formatProfile(name: string, stacks: ProfileStack[]): string {
	const records = new Map<string, {count: number; pcs: string; rows: string[][]}>();
	for (const stack of stacks) {
		const pcs: number[] = [...(hiddenPcs[stack.state] ?? [0x43e4ce])];
		const rows: string[][] = [];
		// An inlined frame shares the return PC of the first real frame below it.
		let pending: FilledFrame[] = [];
		for (const frame of stack.frames) {
			if (frame.off === undefined) {
				pending.push(frame);
				continue;
			}
			const entry = entryOf(frame.func);
			const pc = entry + frame.off;
			pcs.push(pc);
			for (const inner of [...pending, frame]) {
				rows.push(['#', `0x${(pc - 1).toString(16)}`, `${inner.func}+0x${(pc - 1 - entry).toString(16)}`, `${inner.file}:${inner.line}`]);
			}
			pending = [];
		}
		pcs.push(goexitPc);
		const key = `@ ${pcs.map(pc => `0x${pc.toString(16)}`).join(' ')}`;
		const record = records.get(key);
		if (record) record.count++;
		else records.set(key, {count: 1, pcs: key, rows});
	}
	const sorted = [...records.values()].sort((a, b) => b.count - a.count || (a.pcs < b.pcs ? -1 : a.pcs > b.pcs ? 1 : 0));
	let out = `${name} profile: total ${stacks.length}\n`;
	for (const record of sorted) {
		out += `${record.count} ${record.pcs}\n${tabAlign(record.rows)}\n`;
	}
	return out;
}

/** text/tabwriter with padchar '\t': every column is as wide as its widest cell + 1, rounded up to a tab stop. */
export function tabAlign(rows: string[][]): string {
	const columns = Math.max(0, ...rows.map(row => row.length - 1));
	const widths: number[] = [];
	for (let column = 0; column < columns; column++) {
		const widest = Math.max(...rows.map(row => row[column]?.length ?? 0)) + 1;
		widths.push(Math.ceil(widest / 8) * 8);
	}
	let out = '';
	for (const row of rows) {
		row.forEach((cell, column) => {
			out += cell;
			const width = widths[column];
			if (column < row.length - 1 && width !== undefined) out += '\t'.repeat(Math.ceil((width - cell.length) / 8));
		});
		out += '\n';
	}
	return out;
}
