// The live view of several targets, as plain data: short labels for the targets, the merged model
// under the target filter (model/fleet-merge.ts, cached), the header's line per target (or one
// summary line when the pane is short), and the list rows with the target of each goroutine and
// each group's count per target. Pure; the Ink side is a prop on the lists and a branch in app.tsx.
import type {Goroutine} from '../dump/types.ts';
import type {PollerState} from '../fetch/types.ts';
import type {CreatorNode, FlatNode} from '../model/creator-tree.ts';
import {fleetId, fleetIndexOf, goroutineNumber} from '../model/fleet-ids.ts';
import {type FleetMerge, type FleetPart, mergeFleet} from '../model/fleet-merge.ts';
import type {Group, ModelSnapshot, TrackedGoroutine} from '../model/types.ts';
import {visible} from '../text/sanitize.ts';
import {formatDuration} from '../text/units.ts';
import type {FleetTarget} from '../watch/types.ts';
import {type ChromeLine, ago, compactCounts, costNote, errorLine, stateCounts, totals} from './chrome.ts';
import {formatCount, padEnd, padStart} from './format.ts';
import {truncateEnd, truncateMiddle} from '../text/fit.ts';
import {
	type GoroutineColumns,
	type GroupColumns,
	goroutineColumns,
	goroutineHeader,
	goroutineRow,
	groupColumns,
	groupHeader,
	groupRow,
	type Row,
	type RowContext,
} from './rows.ts';
import {type TreeColumns, treeColumns, treeHeader, treeRow} from './tree-rows.ts';
import type {UiState} from './types.ts';

/** Where names split into parts: between host, port, path and file-name parts; `-` and `_` only for long names. */
const strong = /([.:/@?=&\s]+)/;
const weak = /([.:/@?=&\s_-]+)/;
const labelWidth = 16;

/** The names without the parts they all share at their start and end; undefined when that leaves nothing to tell them apart. */
function distinctParts(shown: readonly string[], separator: RegExp): string[] | undefined {
	const tokens = shown.map(name => name.split(separator).filter(part => part !== ''));
	const shortest = Math.min(...tokens.map(list => list.length));
	let head = 0;
	while (head < shortest - 1 && tokens.every(list => list[head] === tokens[0]![head])) head++;
	let tail = 0;
	while (tail < shortest - 1 - head && tokens.every(list => list[list.length - 1 - tail] === tokens[0]![tokens[0]!.length - 1 - tail])) tail++;
	// A leftover separator at either end reads as noise: `:6061` → `6061`.
	const trim = new RegExp(`^${separator.source}|${separator.source}$`, 'g');
	const labels = tokens.map(list =>
		list
			.slice(head, list.length - tail)
			.join('')
			.replace(trim, ''),
	);
	return labels.some(label => label === '') || new Set(labels).size !== labels.length ? undefined : labels;
}

/**
 * Each target's short name for cells and sentences: what tells it from the others. The parts all
 * names share at their start and end go (`127.0.0.1:6061` → `6061`, `a:6060` → `a`, two dump files
 * → what differs in their names); names that share nothing stay whole. At most 16 columns, cut at
 * the end (where they differ least) unless that makes two alike.
 */
export function fleetLabels(names: readonly string[]): string[] {
	const shown = names.map(name => visible(name));
	if (shown.length < 2) return shown.map(name => truncateMiddle(name, labelWidth));
	let labels = distinctParts(shown, strong) ?? shown;
	if (labels.some(label => label.length > labelWidth)) {
		const finer = distinctParts(shown, weak);
		if (finer && finer.join('').length < labels.join('').length) labels = finer;
	}
	const cut = labels.map(label => truncateEnd(label, labelWidth));
	return new Set(cut).size === cut.length ? cut : labels.map(label => truncateMiddle(label, labelWidth));
}

export interface FleetView {
	/** The fleet's targets, in the order given, with their short labels. */
	targets: readonly FleetTarget[];
	labels: readonly string[];
	/** The target filter: a target's index, or undefined for all. */
	only: number | undefined;
	/** The targets' models merged under the filter; undefined until a shown target has one. */
	merged: FleetMerge | undefined;
}

/** One per App: the merge is redone only when a target's model or the filter changed. */
export function createFleetSelector(): (targets: readonly FleetTarget[], only: number | undefined) => FleetView {
	let lastNames: readonly string[] = [];
	let labels: string[] = [];
	let lastModels: ReadonlyArray<ModelSnapshot | undefined> = [];
	let lastOnly: number | undefined;
	let merged: FleetMerge | undefined;
	return (targets, only) => {
		const names = targets.map(target => target.name);
		if (names.length !== lastNames.length || names.some((name, i) => name !== lastNames[i])) {
			lastNames = names;
			labels = fleetLabels(names);
		}
		const models = targets.map(target => target.model);
		const filter = only !== undefined && only < targets.length ? only : undefined;
		if (filter !== lastOnly || models.length !== lastModels.length || models.some((model, i) => model !== lastModels[i])) {
			lastModels = models;
			lastOnly = filter;
			const parts: FleetPart[] = targets.flatMap((target, index) =>
				target.model && (filter === undefined || filter === index) ? [{index, label: labels[index]!, snapshot: target.model}] : [],
			);
			merged = parts.length === 0 ? undefined : mergeFleet(parts, targets.length);
		}
		return {targets, labels, only: filter, merged};
	};
}

/** Down: the last poll failed (its error stays until a poll succeeds). */
const isDown = (poller: PollerState) => poller.error !== undefined;

/** `2 up, 1 down`: the fleet in a few words. */
function upDown(targets: readonly FleetTarget[]): string {
	const down = targets.filter(target => isDown(target.poller)).length;
	const waiting = targets.filter(target => !target.model && !isDown(target.poller)).length;
	const up = targets.length - down - waiting;
	return [`${up} up`, ...(down > 0 ? [`${down} down`] : []), ...(waiting > 0 ? [`${waiting} waiting`] : [])].join(', ');
}

/** How old a target's data is (its last full dump or counts, whichever is newer), and on a wide pane how long the poll took. */
function lastPoll(poller: PollerState, now: number, wide: boolean): string | undefined {
	const newest = [poller.last, poller.lastProfile].filter(fetch => fetch !== undefined).sort((a, b) => b.at - a.at)[0];
	if (!newest) return undefined;
	return `polled ${ago(now - newest.at - newest.durationMs)}${wide ? ` in ${formatDuration(newest.durationMs)}` : ''}`;
}

interface LineLayout {
	/** Each target's name as the header shows it. */
	names: readonly string[];
	nameWidth: number;
	countWidth: number;
	now: number;
	width: number;
}

/**
 * One target's header line: name, up or down (with the error and the retry), goroutines, the
 * last poll's age and what polling costs it, and its epoch once it restarted.
 */
function targetLine(target: FleetTarget, index: number, layout: LineLayout, picked: boolean): ChromeLine {
	const {nameWidth, now, width} = layout;
	const mark = picked ? '▸ ' : '  ';
	const name = padEnd(truncateMiddle(layout.names[index]!, nameWidth), nameWidth);
	const {poller, model} = target;
	const lead = `${mark}${name}  `;
	if (isDown(poller)) {
		const error = errorLine({poller, now, width: Math.max(20, width - lead.length - 5)});
		return {text: truncateEnd(`${lead}down ${error?.text ?? ''}`, width), tone: 'danger'};
	}
	if (!model) return {text: truncateEnd(`${lead}waiting for the first poll…`, width), tone: 'dim'};
	const parts = [`${padStart(formatCount(model.total), layout.countWidth)} goroutines`];
	// A restart (ids started over) is rare and matters more than the cost: before it, so a narrow pane keeps it.
	if (model.epoch > 1) parts.push(`restarted: epoch ${model.epoch}`);
	if (poller.paused) parts.push('paused');
	const poll = lastPoll(poller, now, width >= 120);
	if (poll) parts.push(poll);
	const cost = costNote(poller, now);
	if (cost) parts.push(cost);
	return {text: truncateEnd(`${lead}up  ${parts.join(' · ')}`, width), tone: picked ? 'accent' : 'normal'};
}

export interface FleetHeaderInput {
	view: FleetView;
	now: number;
	width: number;
	rows: number;
	stateOrder: readonly string[];
	ui: UiState;
}

/** Rows a body keeps before the header gives up its line per target. */
const minBodyRows = 8;

/** One line per target, unless the pane is short (or the fleet long): then one summary line. */
export function fleetHeaderCompact(targets: number, rows: number): boolean {
	return rows < 20 || rows - fleetHeaderHeight(targets, false) - 2 < minBodyRows;
}

/** The header's height (the layout needs it before drawing). */
export function fleetHeaderHeight(targets: number, compact: boolean): number {
	return compact ? 2 : targets + 3;
}

/**
 * The header of a fleet: a title (how many targets are up, which one the filter shows), a line per
 * target, the merged totals and the state counts (the 1–9 keys). Short pane: the title with each
 * down target's reason, and the counts on one line.
 */
export function fleetHeaderLines({view, now, width, rows, stateOrder, ui}: FleetHeaderInput): ChromeLine[] {
	const {targets, labels, only, merged} = view;
	const compact = fleetHeaderCompact(targets.length, rows);
	const anyDown = targets.some(target => isDown(target.poller));
	const showing = only === undefined ? '' : ` · showing ${labels[only]} only (T: next)`;
	const model = merged?.model;
	const lines: ChromeLine[] = [];
	if (compact) {
		const down = targets.flatMap((target, i) => (isDown(target.poller) ? [`${labels[i]} ✖ ${visible(target.poller.error!.message)}`] : []));
		const title = `gmon ${targets.length} targets: ${upDown(targets)}${showing}${down.length > 0 ? ` · ${down.join(' · ')}` : ''}`;
		lines.push({text: truncateEnd(title, width), tone: anyDown ? 'danger' : 'title'});
		lines.push({text: model ? compactCounts(model, stateCounts(model, stateOrder, ui), width) : 'no goroutine data yet', tone: model ? 'normal' : 'dim'});
		return lines;
	}
	lines.push({text: truncateEnd(`gmon ${targets.length} targets: ${upDown(targets)}${showing}`, width), tone: anyDown ? 'warn' : 'title'});
	// Whole names when they fit a sixth of the pane; else the labels (the part that tells them apart).
	const whole = targets.map(target => visible(target.name));
	const names = Math.max(...whole.map(name => name.length)) <= Math.max(12, Math.floor(width / 6)) ? whole : labels;
	const layout: LineLayout = {
		names,
		nameWidth: Math.min(Math.max(...names.map(name => name.length)), Math.max(12, Math.floor(width / 4))),
		countWidth: Math.max(...targets.map(target => formatCount(target.model?.total ?? 0).length)),
		now,
		width,
	};
	targets.forEach((target, i) => {
		lines.push(targetLine(target, i, layout, only === i));
	});
	if (!model) {
		lines.push({text: 'no goroutine data yet', tone: 'dim'}, {text: '', tone: 'dim'});
		return lines;
	}
	lines.push({text: truncateEnd(totals(model, width), width), tone: 'normal'});
	lines.push({text: truncateEnd(stateCounts(model, stateOrder, ui), width), tone: 'accent'});
	return lines;
}

/** What the fleet's list rows need: the labels and each group's count per target. */
export interface FleetRows {
	labels: readonly string[];
	groupCounts: ReadonlyMap<string, readonly number[]>;
}

export function fleetRows(view: FleetView): FleetRows | undefined {
	return view.merged ? {labels: view.labels, groupCounts: view.merged.groupCounts} : undefined;
}

/** The target column of the goroutine list: as wide as the longest label. */
function targetWidth(rows: FleetRows): number {
	return Math.max(2, ...rows.labels.map(label => label.length));
}

/** A column spliced in (a space, then the cell) after `at` columns of a row built for the narrower width. */
function splice(text: string, at: number, cell: string): string {
	return `${text.slice(0, at)} ${cell}${text.slice(at)}`;
}

const markWidth = 3;

export function fleetGoroutineColumns(width: number, rows: FleetRows, idDigits?: number, labels?: boolean): GoroutineColumns {
	return goroutineColumns(width - targetWidth(rows) - 1, idDigits, labels);
}

export function fleetGoroutineHeader(cols: GoroutineColumns, rows: FleetRows): string {
	const at = markWidth + cols.id;
	return splice(goroutineHeader(cols), at, padEnd(targetWidth(rows) >= 6 ? 'TARGET' : 'ON', targetWidth(rows)));
}

/** A goroutine row with the target it runs on after its id. */
export function fleetGoroutineRow(t: TrackedGoroutine, cols: GoroutineColumns, ctx: RowContext, rows: FleetRows): Row {
	const row = goroutineRow(t, cols, ctx);
	const label = rows.labels[fleetIndexOf(t.g.id)] ?? '?';
	return {...row, text: splice(row.text, markWidth + cols.id, padEnd(label, targetWidth(rows)))};
}

/**
 * A group's counts per target: a column each when every label and count fits in a quarter of the
 * pane, else one cell `a:12 b:3` (targets without any left out, cut at its end).
 */
interface CountsLayout {
	kind: 'columns' | 'cell';
	/** Columns: each target's width; cell: the cell's width. */
	widths: number[];
}

function countsLayout(width: number, rows: FleetRows): CountsLayout {
	const widths = rows.labels.map(label => Math.max(5, label.length));
	const total = widths.reduce((sum, w) => sum + w + 1, -1);
	if (total <= Math.floor(width / 6)) return {kind: 'columns', widths};
	// Room for the two targets with the most (`api-1:12 api-3:4`), within a fifth of the pane.
	const longest = Math.max(...rows.labels.map(label => label.length));
	return {kind: 'cell', widths: [Math.max(10, Math.min(28, Math.floor(width / 5), 2 * (longest + 4) + 1))]};
}

const layoutWidth = (layout: CountsLayout) => layout.widths.reduce((sum, w) => sum + w + 1, -1);

export interface FleetGroupColumns extends GroupColumns {
	counts: CountsLayout;
}

export function fleetGroupColumns(width: number, rows: FleetRows): FleetGroupColumns {
	const counts = countsLayout(width, rows);
	return {...groupColumns(width - layoutWidth(counts) - 1), counts};
}

export function fleetGroupHeader(cols: FleetGroupColumns, rows: FleetRows): string {
	const cell =
		cols.counts.kind === 'columns'
			? rows.labels.map((label, i) => padStart(label, cols.counts.widths[i]!)).join(' ')
			: padEnd('ON TARGETS', cols.counts.widths[0]!);
	return splice(groupHeader(cols), markWidth + cols.count, cell);
}

/** `a:12 b:3`: the targets that have the group, most first. */
export function countsCell(counts: readonly number[], labels: readonly string[], width: number): string {
	const on = counts.map((count, i) => ({count, label: labels[i] ?? '?'})).filter(entry => entry.count > 0);
	on.sort((a, b) => b.count - a.count);
	return padEnd(truncateEnd(on.map(entry => `${entry.label}:${formatCount(entry.count)}`).join(' '), width), width);
}

/** A group row with its count on each target after its total. */
export function fleetGroupRow(group: Group, cols: FleetGroupColumns, ctx: RowContext, rows: FleetRows): Row {
	const row = groupRow(group, cols, ctx);
	const counts = rows.groupCounts.get(group.key) ?? [];
	const cell =
		cols.counts.kind === 'columns'
			? cols.counts.widths.map((w, i) => padStart(counts[i] ? formatCount(counts[i]!) : '·', w)).join(' ')
			: countsCell(counts, rows.labels, cols.counts.widths[0]!);
	return {...row, text: splice(row.text, markWidth + cols.count, cell)};
}

/** The targets a tree node's subtree (what its TOTAL counts) runs on, by index; memoized per node (a tree is rebuilt, never changed). */
const subtreeTargets = new WeakMap<CreatorNode, readonly number[]>();

export function nodeTargets(root: CreatorNode): readonly number[] {
	const known = subtreeTargets.get(root);
	if (known) return known;
	// Leaves first, iteratively: a chain of creators can be thousands deep.
	const order: CreatorNode[] = [];
	const stack = [root];
	while (stack.length > 0) {
		const node = stack.pop()!;
		if (subtreeTargets.has(node)) continue;
		order.push(node);
		for (const child of node.children) stack.push(child);
	}
	for (let i = order.length - 1; i >= 0; i--) {
		const node = order[i]!;
		const on = new Set<number>();
		for (const id of node.ids) on.add(fleetIndexOf(id));
		for (const child of node.children) for (const index of subtreeTargets.get(child)!) on.add(index);
		const sorted = [...on].sort((a, b) => a - b);
		subtreeTargets.set(node, sorted);
	}
	return subtreeTargets.get(root)!;
}

/** The tree's target column: the longest label, and room for `all` or `2/3`. */
function treeTargetWidth(rows: FleetRows): number {
	return Math.max(4, targetWidth(rows));
}

/**
 * A tree node's target cell: its one target's label; on several, their labels (`a,b`) when they
 * fit, else `all` or how many of how many (`2/5`).
 */
export function treeTargetCell(on: readonly number[], labels: readonly string[], width: number): string {
	if (on.length === 1) return labels[on[0]!] ?? '?';
	const joined = on.map(index => labels[index] ?? '?').join(',');
	if (joined.length <= width) return joined;
	return on.length === labels.length ? 'all' : `${on.length}/${labels.length}`;
}

export function fleetTreeColumns(width: number, rows: FleetRows): TreeColumns {
	return treeColumns(width - treeTargetWidth(rows) - 1);
}

/** Where the target column goes: after the counts (TOTAL and OWN). */
const treeTargetAt = (cols: TreeColumns) => markWidth + cols.total + 1 + cols.own;

export function fleetTreeHeader(cols: TreeColumns, rows: FleetRows): string {
	const w = treeTargetWidth(rows);
	return splice(treeHeader(cols), treeTargetAt(cols), padEnd(w >= 6 ? 'TARGET' : 'ON', w));
}

/** A tree row with the target(s) its node runs on after its counts. */
export function fleetTreeRow(flat: FlatNode, cols: TreeColumns, rows: FleetRows): Row {
	const row = treeRow(flat, cols);
	const w = treeTargetWidth(rows);
	const cell = truncateEnd(treeTargetCell(nodeTargets(flat.node), rows.labels, w), w);
	return {...row, text: splice(row.text, treeTargetAt(cols), padEnd(cell, w))};
}

/** For the stack view: the target a goroutine runs on, or the targets a group is found on. */
export function fleetOnTargets(view: FleetView): ((target: {type: 'goroutine'; id: number} | {type: 'group'; key: string}) => string | undefined) | undefined {
	const {targets, labels, merged} = view;
	if (!merged) return undefined;
	return target => {
		if (target.type === 'goroutine') {
			const name = targets[fleetIndexOf(target.id)]?.name;
			return name === undefined ? undefined : `on target ${visible(name)}`;
		}
		const counts = merged.groupCounts.get(target.key);
		if (!counts) return undefined;
		const on = counts.filter(count => count > 0).length;
		return `on ${on} of ${targets.length} targets: ${countsCell(counts, labels, 200).trimEnd()}`;
	};
}

/**
 * The stack view (and `y`) show a goroutine's args from the parser's copy in the latest dump (the
 * model keeps arg-less frames). Of a fleet, a goroutine is looked up by its fleet id in its own
 * target's latest dump (by the id Go printed) and handed over under its fleet id.
 */
export function fleetRawLookup(
	view: FleetView,
	find: (raw: readonly Goroutine[] | undefined, id: number) => Goroutine | undefined,
): (id: number) => Goroutine | undefined {
	return id => {
		const index = fleetIndexOf(id);
		const g = find(view.targets[index]?.poller.last?.dump.goroutines, goroutineNumber(id));
		return g ? {...g, id: fleetId(index, g.id)} : undefined;
	};
}
