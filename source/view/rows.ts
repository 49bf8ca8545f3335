// One list row as one fixed-width string plus a tone the UI maps to a colour. Building the whole
// line here (instead of a Box per cell) keeps Ink at one Yoga node per row and makes rows testable.
import type {Group, Suspect, TrackedGoroutine} from '../model/types.ts';
import type {CreatedBy} from '../dump/types.ts';
import {createdByText, fileLine, shortFunc} from './frames.ts';
import {formatCount, formatDelta, formatWait, groupStateText, padEnd, padStart, sparkline} from './format.ts';
import {truncateEnd, truncateMiddle} from '../text/fit.ts';
import {visible} from '../text/sanitize.ts';
import {reasonParts, shortWhy} from '../model/verdict.ts';
import {groupWhere, whereFrame, whereFunc} from './select.ts';
import {goroutineNumber} from '../model/fleet-ids.ts';
import {goroutineSuspect} from './suspect-of.ts';

/**
 * proven > suspect > stuck (deepening with time) > new > idle > normal: what should catch the eye first.
 */
export type RowTone = 'normal' | 'new' | 'stuck1' | 'stuck2' | 'stuck3' | 'suspect' | 'proven' | 'idle';

export interface Row {
	key: string;
	text: string;
	tone: RowTone;
}

/** Stuck for under a minute, under ten minutes, or longer. */
export function stuckTone(waitMs: number): RowTone {
	if (waitMs < 60_000) return 'stuck1';
	if (waitMs < 600_000) return 'stuck2';
	return 'stuck3';
}

export interface GoroutineColumns {
	width: number;
	id: number;
	state: number;
	wait: number;
	where: number;
	file: number;
	created: number;
	/** pprof labels (`tenant=acme handler=/export`): on wide terminals, when the dump has any. */
	labels: number;
	/**
	 * A wide terminal: WHERE names the function with its package path and FILE keeps the end of the
	 * path (`…/leaky/leaks.go:97`), what tells two packages' `server.go` apart. CREATED BY stays short
	 * (the function and `in goroutine N`, which the tree and `c` follow) and adds where the `go`
	 * statement is when that fits.
	 */
	full: boolean;
}

/** Two mark characters and a space. */
const markWidth = 3;

/** From here the goroutine list has room for whole names, paths and the labels. */
export const fullWidth = 160;

/**
 * Column widths for a terminal `width` wide: fixed id/state/wait, the rest shared by where/file
 * (and created-by when there is room; labels too on a wide one when `labels`). `idDigits` is the
 * widest id in the snapshot.
 */
export function goroutineColumns(width: number, idDigits = 5, labels = false): GoroutineColumns {
	// One column more than the widest id, so the `>` cursor never touches a number.
	const id = Math.max(2, idDigits) + 1;
	const state = width >= 100 ? 18 : 15;
	const wait = 6;
	const rest = Math.max(0, width - markWidth - id - state - wait - 4);
	if (width >= fullWidth) {
		// Package-qualified names run to ~60 columns; past that the room goes to the creator and labels.
		const where = Math.min(60, Math.floor(rest * 0.36));
		const file = Math.min(40, Math.floor(rest * 0.2));
		const left = rest - where - file - 2;
		const created = labels ? Math.min(48, Math.floor(left * 0.6)) : left;
		return {width, id, state, wait, where, file, created, labels: labels ? left - created - 1 : 0, full: true};
	}
	if (width >= 120) {
		const where = Math.floor(rest * 0.4);
		const file = Math.floor(rest * 0.27);
		return {width, id, state, wait, where, file, created: rest - where - file - 2, labels: 0, full: false};
	}
	const where = Math.floor(rest * 0.56);
	return {width, id, state, wait, where, file: rest - where - 1, created: 0, labels: 0, full: false};
}

/** A column title row: after the mark column, each title fitted to its width (right-aligned for numbers), one space apart. */
export function headerRow(width: number, cells: ReadonlyArray<readonly [title: string, width: number, align: 'left' | 'right']>): string {
	const titles = cells.filter(([, cellWidth]) => cellWidth > 0).map(([title, cellWidth, align]) => (align === 'right' ? padStart : padEnd)(title, cellWidth));
	return padEnd(' '.repeat(markWidth) + titles.join(' '), width);
}

export function goroutineHeader(cols: GoroutineColumns): string {
	return headerRow(cols.width, [
		['ID', cols.id, 'right'],
		['STATE', cols.state, 'left'],
		['WAIT', cols.wait, 'right'],
		['WHERE', cols.where, 'left'],
		['FILE', cols.file, 'left'],
		['CREATED BY', cols.created, 'left'],
		['LABELS', cols.labels, 'left'],
	]);
}

/** The end of a path, cut at its start (`…/leaky/leaks.go:97`): the file and its folders are what tell places apart. */
function pathTail(text: string, width: number): string {
	if (text.length <= width) return text;
	if (width <= 1) return width === 1 ? '…' : '';
	const tail = text.slice(text.length - (width - 1));
	const slash = tail.indexOf('/');
	return `…${slash > 0 && tail.length - slash > width / 3 ? tail.slice(slash) : tail}`;
}

/** `tenant=acme handler=/export`, as the stack view prints them. */
function labelsCell(labels: Record<string, string> | undefined): string {
	if (!labels) return '';
	return Object.entries(labels)
		.map(([key, value]) => `${visible(key)}=${visible(value)}`)
		.join(' ');
}

export interface RowContext {
	/** Built by suspect-of.ts suspectLookup (group keys and sites). */
	suspects: Map<string, Suspect>;
}

function mark(first: string, second: string): string {
	return `${first + second} `;
}

export function goroutineRow(t: TrackedGoroutine, cols: GoroutineColumns, ctx: RowContext): Row {
	const suspect = goroutineSuspect(t, ctx.suspects);
	const proven = t.g.leaked || suspect?.proven === true;
	const tone: RowTone = proven ? 'proven' : suspect ? 'suspect' : t.stuck ? stuckTone(t.waitMs) : t.isNew ? 'new' : 'normal';
	const m = mark(proven ? '!' : suspect ? '?' : ' ', t.stuck ? '●' : t.isNew ? '+' : ' ');
	const frame = whereFrame(t);
	let line =
		m +
		padStart(String(goroutineNumber(t.g.id)), cols.id) +
		' ' +
		padEnd(visible(t.g.state), cols.state) +
		' ' +
		padStart(formatWait(t.waitMs), cols.wait) +
		' ' +
		padEnd(truncateMiddle(cols.full ? visible(whereFunc(t)) : shortFunc(whereFunc(t)), cols.where), cols.where) +
		' ' +
		padEnd(cols.full ? pathTail(fileLine(frame, false), cols.file) : truncateMiddle(fileLine(frame), cols.file), cols.file);
	if (cols.created > 0) line += ` ${padEnd(createdCell(t.g.createdBy, cols.created, cols.full), cols.created)}`;
	if (cols.labels > 0) line += ` ${padEnd(truncateEnd(labelsCell(t.g.labels), cols.labels), cols.labels)}`;
	return {key: String(t.g.id), text: padEnd(line, cols.width), tone};
}

/**
 * The creator in a list cell: the function is what tells one leak from another, so it is never cut to
 * make room for Go 1.21's `in goroutine N`, which shows only when it fits whole.
 */
function createdCell(createdBy: CreatedBy | undefined, width: number, full: boolean): string {
	if (!createdBy) return '';
	const func = shortFunc(createdBy.func);
	const whole = shortFunc(createdByText(createdBy));
	// A wide list also says where the `go` statement is, when it fits whole.
	const at = full && createdBy.file ? `${whole} at ${fileLine(createdBy)}` : whole;
	if (at.length <= width) return at;
	return whole.length <= width ? whole : truncateMiddle(func, width);
}

export interface GroupColumns {
	width: number;
	count: number;
	delta: number;
	trend: number;
	state: number;
	where: number;
	why: number;
}

export function groupColumns(width: number): GroupColumns {
	const wide = width >= 120;
	const count = 6;
	const delta = wide ? 5 : 4;
	const trend = wide ? 16 : 6;
	const state = wide ? 18 : 14;
	const rest = Math.max(0, width - markWidth - count - delta - trend - state - 5);
	// A wide pane gives WHERE what a `func file:line` needs (50 columns hold nearly all) and the rest to
	// WHY, the verdict's sentence, which is what a wide pane is for.
	// A narrow one keeps WHY 20 columns when WHERE keeps as many: the verdict's short form
	// ("likely: creator gone"); a small pane gives WHERE the larger share.
	const why = rest >= 41 ? Math.max(20, Math.floor(rest * 0.4)) : Math.floor(rest * 0.4);
	const where = wide ? Math.min(Math.floor(rest * 0.5), 50) : Math.max(0, rest - 1 - why);
	return {width, count, delta, trend, state, where, why: rest - where - 1};
}

/** `func file:line` in `width`: both when the function keeps a readable length, else the function alone. */
function whereText(func: string, file: string, width: number): string {
	if (file === '') return truncateMiddle(func, width);
	const room = width - file.length - 1;
	if (func.length <= room || room >= 16) return `${truncateMiddle(func, room)} ${file}`;
	return truncateMiddle(func, width);
}

export function groupHeader(cols: GroupColumns): string {
	return headerRow(cols.width, [
		['COUNT', cols.count, 'right'],
		['Δ', cols.delta, 'right'],
		['TREND', cols.trend, 'left'],
		['STATE', cols.state, 'left'],
		['WHERE', cols.where, 'left'],
		['WHY', cols.why, 'left'],
	]);
}

/**
 * The model's one sentence when it fits; otherwise its tier and the why after the dash (the row
 * already shows the count, state and place the sentence opens with); narrower still, the verdict's
 * own short form ("likely: creator returned, 12 senders"). Never another judgement: the list, the
 * stack view and the reports say the same thing.
 */
export function suspectWhy(suspect: Suspect, width: number): string {
	const reason = visible(suspect.reason);
	if (reason.length <= width) return reason;
	const {why} = reasonParts(reason);
	if (why === undefined) return reason;
	const long = `${suspect.tier}: ${why}`;
	if (long.length <= width) return long;
	// As many whole facts as fit ("likely: creator gone" rather than "likely: creator gone, par…").
	let text = `${suspect.tier}:`;
	for (const [i, fact] of shortWhy(why).split(', ').entries()) {
		const next = `${text}${i === 0 ? ' ' : ', '}${fact}`;
		if (next.length > width) return i === 0 ? truncateEnd(next, width) : text;
		text = next;
	}
	return text;
}

export function groupRow(group: Group, cols: GroupColumns, ctx: RowContext): Row {
	const suspect = ctx.suspects.get(group.key);
	const proven = group.leaked > 0 || suspect?.proven === true;
	const tone: RowTone = proven ? 'proven' : suspect ? 'suspect' : group.stuck > 0 ? stuckTone(group.maxWaitMs) : group.idle ? 'idle' : 'normal';
	const m = mark(proven ? '!' : suspect ? '?' : ' ', group.stuck > 0 ? '●' : ' ');
	const frame = groupWhere(group);
	const place = whereText(
		shortFunc(frame?.func ?? ''),
		fileLine(frame),
		Math.max(0, cols.where - (group.label === undefined ? 0 : visible(group.label).length + 3)),
	);
	// A label group is its label; where its longest-waiting member stands comes after.
	const where = group.label === undefined ? place : `${visible(group.label)} · ${place}`;
	const why = suspect ? suspectWhy(suspect, cols.why) : group.idle ? 'idle' : group.stuck > 0 ? `${group.stuck} stuck` : '';
	const line =
		m +
		padStart(formatCount(group.count), cols.count) +
		' ' +
		padStart(group.delta === 0 ? '' : formatDelta(group.delta), cols.delta) +
		' ' +
		padEnd(sparkline(group.history, cols.trend), cols.trend) +
		' ' +
		padEnd(visible(groupStateText(group)), cols.state) +
		' ' +
		padEnd(truncateMiddle(where, cols.where), cols.where) +
		' ' +
		padEnd(why, cols.why);
	return {key: group.key, text: padEnd(line, cols.width), tone};
}
