// The tree by creator as list rows: counts (the subtree's and the node's own), the state, the
// node's function indented under its creator, and where it waits. One fixed-width string per row.
import {entryFunc, type FlatNode} from '../model/creator-tree.ts';
import {visible} from '../text/sanitize.ts';
import {fileLine, shortFunc} from './frames.ts';
import {formatCount, formatWait, padEnd, padStart} from './format.ts';
import {truncateMiddle} from '../text/fit.ts';
import {headerRow, type Row, type RowTone, stuckTone} from './rows.ts';
import {whereFrame, whereFunc} from './select.ts';

export interface TreeColumns {
	width: number;
	total: number;
	own: number;
	state: number;
	wait: number;
	tree: number;
	file: number;
}

/** Deeper nodes stop indenting here, so a long chain keeps its names readable. */
const maxIndent = 12;

export function treeColumns(width: number): TreeColumns {
	const wide = width >= 120;
	const total = 6;
	const own = 5;
	const state = wide ? 18 : 14;
	const wait = wide ? 6 : 0;
	const rest = Math.max(0, width - 3 - total - own - state - (wait > 0 ? wait + 1 : 0) - 4);
	// Names seldom need more than 70 columns; a wide terminal spends the rest on the full file path.
	const tree = Math.min(Math.floor(rest * (wide ? 0.62 : 0.66)), 70);
	return {width, total, own, state, wait, tree, file: rest - tree - 1};
}

export function treeHeader(cols: TreeColumns): string {
	return headerRow(cols.width, [
		['TOTAL', cols.total, 'right'],
		['OWN', cols.own, 'right'],
		['STATE', cols.state, 'left'],
		['WAIT', cols.wait, 'right'],
		['CREATOR TREE', cols.tree, 'left'],
		['WHERE', cols.file, 'left'],
	]);
}

function tone(worst: number, waitMs: number): RowTone {
	if (worst >= 3) return 'proven';
	if (worst === 2) return 'suspect';
	if (worst === 1) return stuckTone(waitMs);
	return 'normal';
}

/**
 * `▾ main.main`, `  ▸ main.handler`: the node's place in the tree and its function (the creator,
 * for a parent that is gone). A folded node shows ▸, an open one ▾, a leaf none.
 */
function treeCell({node, folded}: FlatNode, width: number): string {
	const indent = '  '.repeat(Math.min(node.depth, maxIndent));
	const glyph = node.children.length === 0 ? '  ' : folded ? '▸ ' : '▾ ';
	const name = node.kind === 'creator' ? `created by ${shortFunc(node.creator!.func)}` : shortFunc(entryFunc((node.sample ?? node.via)!));
	return truncateMiddle(indent + glyph + name, width);
}

export function treeRow(flat: FlatNode, cols: TreeColumns): Row {
	const {node} = flat;
	const sample = node.sample;
	const worst = node.worst;
	const m = `${worst >= 3 ? '!' : worst === 2 ? '?' : ' '}${worst === 1 ? '●' : ' '} `;
	// Where it waits: the function when it is not the one the tree names, and the file (the whole
	// path when the column can hold one).
	const short = cols.file < 60;
	let where = '';
	if (node.kind === 'creator') where = fileLine(node.creator, short);
	else if (sample) {
		const func = whereFunc(sample);
		const file = fileLine(whereFrame(sample), short);
		// A narrow column keeps the file whole rather than two halves of a name and a file.
		where = func === entryFunc(sample) || cols.file < 30 ? file : `${shortFunc(func)} ${file}`;
	}
	let line =
		m +
		padStart(formatCount(node.total), cols.total) +
		' ' +
		padStart(node.ids.length === 0 ? '' : formatCount(node.ids.length), cols.own) +
		' ' +
		// A stand-in has no goroutine of its own: its state cell says why it stands in.
		padEnd(sample ? visible(sample.g.state) : node.kind === 'creator' ? '(parent gone)' : '', cols.state) +
		' ';
	if (cols.wait > 0) line += `${padStart(sample ? formatWait(sample.waitMs) : '', cols.wait)} `;
	line += `${padEnd(treeCell(flat, cols.tree), cols.tree)} ${padEnd(truncateMiddle(where, cols.file), cols.file)}`;
	return {key: node.key, text: padEnd(line, cols.width), tone: tone(worst, sample?.waitMs ?? 0)};
}
