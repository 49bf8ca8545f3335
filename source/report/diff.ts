// `gmon diff BEFORE AFTER`: which groups appeared, vanished, grew or shrank between two dumps —
// the diff people hand-roll with grep and sort today. Pure. Groups come from the model (by
// default the stack: state + every frame's function and line + the creator; args, addresses,
// ids and wait times ignored) and are matched by key, never by goroutine id, so dumps of two
// different processes (before and after a deploy) compare too.
import type {Frame} from '../dump/types.ts';
import {visible} from '../text/sanitize.ts';
import type {Group, ModelSnapshot} from '../model/types.ts';
import {shortLocation} from '../dump/names.ts';
import {signed, createStyle} from './style.ts';
import {truncateEnd, truncateMiddle} from '../text/fit.ts';

export type ChangeKind = 'appeared' | 'vanished' | 'grew' | 'shrank' | 'unchanged';

export interface GroupChange {
	key: string;
	change: ChangeKind;
	state: string;
	before: number;
	after: number;
	delta: number;
	where?: Frame;
	/** Frames of a representative goroutine, innermost first. */
	frames: Frame[];
	createdBy?: string;
}

export interface DiffSide {
	name: string;
	total: number;
	groups: number;
}

export interface DumpDiff {
	by: string;
	before: DiffSide;
	after: DiffSide;
	/** Every group present in either dump: appeared, grew, shrank, vanished, then unchanged. */
	changes: GroupChange[];
}

const changeOrder: Record<ChangeKind, number> = {appeared: 0, grew: 1, shrank: 2, vanished: 3, unchanged: 4};

const byKeyText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function diffSnapshots(before: ModelSnapshot, after: ModelSnapshot, names: {before: string; after: string}): DumpDiff {
	const a = new Map(before.groups.map(group => [group.key, group]));
	const b = new Map(after.groups.map(group => [group.key, group]));
	const changes: GroupChange[] = [];
	for (const key of new Set([...a.keys(), ...b.keys()])) {
		const was = a.get(key);
		const now = b.get(key);
		const beforeCount = was?.count ?? 0;
		const afterCount = now?.count ?? 0;
		const delta = afterCount - beforeCount;
		const change: ChangeKind = !was ? 'appeared' : !now ? 'vanished' : delta > 0 ? 'grew' : delta < 0 ? 'shrank' : 'unchanged';
		const group = (now ?? was)!;
		changes.push(changeOf(group, change, beforeCount, afterCount));
	}

	// Stable order: by kind, then the biggest change first, then the bigger group, then the key.
	changes.sort(
		(x, y) =>
			changeOrder[x.change] - changeOrder[y.change] ||
			Math.abs(y.delta) - Math.abs(x.delta) ||
			Math.max(y.before, y.after) - Math.max(x.before, x.after) ||
			byKeyText(x.key, y.key),
	);
	return {
		by: after.groups[0]?.by ?? before.groups[0]?.by ?? 'stack',
		before: {name: names.before, total: before.total, groups: a.size},
		after: {name: names.after, total: after.total, groups: b.size},
		changes,
	};
}

function changeOf(group: Group, change: ChangeKind, before: number, after: number): GroupChange {
	const where = group.where ?? group.sample.frames[0];
	return {
		key: group.key,
		change,
		state: group.state,
		before,
		after,
		delta: after - before,
		frames: group.sample.frames,
		...(where ? {where} : {}),
		...(group.sample.createdBy ? {createdBy: group.sample.createdBy.func} : {}),
	};
}

export interface DiffJson {
	schemaVersion: number;
	kind: 'diff';
	by: string;
	before: DumpDiff['before'];
	after: DumpDiff['after'];
	delta: number;
	changes: Array<{
		change: ChangeKind;
		state: string;
		before: number;
		after: number;
		delta: number;
		where: {function: string; file: string; line: number} | null;
		stack: Array<{function: string; file: string; line: number}>;
		createdBy: string | null;
		key: string;
	}>;
}

export function buildDiffJson(diff: DumpDiff, schemaVersion: number): DiffJson {
	return {
		schemaVersion,
		kind: 'diff',
		by: diff.by,
		before: diff.before,
		after: diff.after,
		delta: diff.after.total - diff.before.total,
		changes: diff.changes.map(change => ({
			change: change.change,
			state: change.state,
			before: change.before,
			after: change.after,
			delta: change.delta,
			where: change.where ? {function: change.where.func, file: change.where.file, line: change.where.line} : null,
			stack: change.frames.map(frame => ({function: frame.func, file: frame.file, line: frame.line})),
			createdBy: change.createdBy ?? null,
			key: change.key,
		})),
	};
}

const headings: Record<Exclude<ChangeKind, 'unchanged'>, string> = {
	appeared: 'Appeared (in AFTER only)',
	grew: 'Grew',
	shrank: 'Shrank',
	vanished: 'Vanished (in BEFORE only)',
};

export function formatDiffText(diff: DumpDiff, options: {color: boolean; width?: number}): string {
	const style = createStyle(options.color);
	const width = options.width ?? 100;
	const lines: string[] = [];
	const delta = diff.after.total - diff.before.total;
	lines.push(
		style.bold(
			truncateEnd(
				`gmon diff by ${diff.by}: ${diff.before.total} → ${diff.after.total} goroutines (${signed(delta)}), ${diff.before.groups} → ${diff.after.groups} groups`,
				width,
			),
		),
	);
	lines.push(`  before  ${truncateMiddle(visible(diff.before.name), width - 10)}`, `  after   ${truncateMiddle(visible(diff.after.name), width - 10)}`);
	const countWidth = Math.max(4, ...diff.changes.map(change => String(Math.max(change.before, change.after)).length));
	const stateWidth = Math.min(24, Math.max(5, ...diff.changes.map(change => (change.state || 'profile').length)));
	for (const kind of ['appeared', 'grew', 'shrank', 'vanished'] as const) {
		const section = diff.changes.filter(change => change.change === kind);
		if (section.length === 0) continue;
		const moved = section.reduce((sum, change) => sum + change.delta, 0);
		lines.push('', style.bold(`${headings[kind]}: ${section.length} group${section.length === 1 ? '' : 's'}, ${signed(moved)} goroutines`));
		lines.push(style.dim(`  ${'DELTA'.padStart(6)}  ${'BEFORE'.padStart(countWidth)} → ${'AFTER'.padEnd(countWidth)}  ${'STATE'.padEnd(stateWidth)}  WHERE`));
		for (const change of section) {
			const paint = change.delta > 0 ? style.red : change.delta < 0 ? style.green : (text: string) => text;
			const counts = `${String(change.before).padStart(countWidth)} → ${String(change.after).padEnd(countWidth)}`;
			const state = truncateEnd(visible(change.state || 'profile'), stateWidth).padEnd(stateWidth);
			const prefix = `  ${signed(change.delta).padStart(6)}  ${counts}  ${state}  `;
			const where = change.where ? visible(`${change.where.func}  ${shortLocation(change.where.file, change.where.line)}`) : '(no frames)';
			const text = `${where}${change.createdBy ? visible(`  ← ${change.createdBy}`) : ''}`;
			lines.push(`${paint(prefix.slice(0, 10))}${prefix.slice(10)}${truncateEnd(text, width - prefix.length)}`);
		}
	}

	const same = diff.changes.filter(change => change.change === 'unchanged');
	if (same.length > 0) {
		const count = same.reduce((sum, change) => sum + change.after, 0);
		lines.push('', style.dim(truncateEnd(`Unchanged: ${same.length} group${same.length === 1 ? '' : 's'} (${count} goroutines)`, width)));
	}

	if (diff.changes.every(change => change.change === 'unchanged')) lines.push('', `No differences by ${diff.by}.`);
	return `${lines.join('\n')}\n`;
}
