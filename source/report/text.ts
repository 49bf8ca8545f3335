// The `--once` text report: what a person reads in a terminal or a CI log. Pure: ReportInput in,
// lines out, at most `width` (100) columns, colour only through the Style it is given.
import type {Frame, Goroutine} from '../dump/types.ts';
import {visible} from '../text/sanitize.ts';
import type {Group, Suspect} from '../model/types.ts';
import {reasonParts} from '../model/verdict.ts';
import {proofSentence} from '../model/proof.ts';
import {rank, suspectCount} from './rank.ts';
import {formatBytes, formatDuration} from '../text/units.ts';
import {shortLocation} from '../dump/names.ts';
import {unparsedHeadersText} from '../dump/unparsed.ts';
import {createStyle, signed, type Style} from './style.ts';
import {truncateEnd, truncateMiddle, wrapWords} from '../text/fit.ts';
import type {ReportInput} from './types.ts';

export interface TextOptions {
	color: boolean;
	/** Columns (default 100). */
	width?: number;
	/** Groups listed (default 10). */
	maxGroups?: number;
	/** Stacks printed for the top groups (default 3). */
	maxStacks?: number;
	/** Frames printed per stack (default 12). */
	maxFrames?: number;
}

export function formatTextReport(input: ReportInput, options: TextOptions): string {
	const style = createStyle(options.color);
	const width = options.width ?? 100;
	const {snapshot} = input;
	const ranked = rank(snapshot, input.hideIdle);
	const perGoroutine = input.kind !== 'profile';
	const lines: string[] = [];
	const push = (line = '') => lines.push(line);

	lines.push(...headerLines(input, style, width));
	if (input.preamble) {
		for (const line of input.preamble.split('\n').slice(0, 3)) push(style.red(truncateEnd(visible(line), width)));
	}

	push();
	if (perGoroutine) {
		lines.push(...stateLines(snapshot.states, snapshot.total, style, width));
	} else {
		push(style.dim(truncateEnd('debug=1 profile: counts per stack only (no states, ids or wait times; fetch ?debug=2 for those)', width)));
	}

	push();
	lines.push(...suspectLines(ranked.suspects, style, width, perGoroutine));
	push();
	lines.push(...groupLines(ranked.groups, input, style, width, options.maxGroups ?? 10));
	if (ranked.hiddenIdle > 0) push(style.dim(`(${ranked.hiddenIdle} idle goroutines hidden by --hide-idle)`));

	const stackGroups = ranked.groups.slice(0, options.maxStacks ?? 3);
	if (stackGroups.length > 0) {
		push();
		push(style.bold('Where the top groups are parked'));
		for (const [index, group] of stackGroups.entries()) {
			if (index > 0) push();
			lines.push(...stackLines(group, style, width, options.maxFrames ?? 12));
		}
	}

	if (input.errors.length > 0) {
		push();
		push(style.bold(`Errors (${input.errors.length})`));
		for (const error of input.errors) push(style.red(truncateEnd(`  ${new Date(error.at).toISOString()}  ${visible(error.message)}`, width)));
	}

	return `${lines.join('\n')}\n`;
}

function headerLines(input: ReportInput, style: Style, width: number): string[] {
	const {snapshot, polls} = input;
	const {first, last} = polls;
	const title = `gmon report: ${visible(input.target)}`;
	const facts: string[] = [];
	if (polls.count > 1) facts.push(`${polls.count} polls over ${formatDuration(last.at - first.at)}`);
	facts.push(`${formatBytes(last.bytes)} in ${formatDuration(last.fetchMs)}${last.truncated ? ' (TRUNCATED)' : ''}`);
	// The target is never cut: a report read later in a CI log must say which file or host it was.
	// When title and facts do not share a line, the facts get their own.
	const oneLine = [title, ...facts].join(' · ');
	const header = oneLine.length <= width ? [style.bold(oneLine)] : [style.bold(title), style.bold(truncateMiddle(facts.join(' · '), width))];
	const total = `${snapshot.total} goroutine${snapshot.total === 1 ? '' : 's'}`;
	const growth = snapshot.totalHistory.length > 1 ? ` (${signed(snapshot.total - snapshot.totalHistory[0]!)} since the first poll)` : '';
	// The headline counts what the gate counts by default (likely and proven); possible ones follow.
	const strong = snapshot.suspects.filter(suspect => suspect.tier !== 'possible');
	const weak = snapshot.suspects.filter(suspect => suspect.tier === 'possible');
	const suspects = suspectCount(strong);
	const proven = suspectCount(snapshot.suspects.filter(suspect => suspect.proven));
	const possible = weak.length > 0 ? ` · ${suspectCount(weak)} possible at ${weak.length} site${weak.length === 1 ? '' : 's'}` : '';
	const verdict =
		suspects === 0
			? `${style.green('no likely leaks')}${style.yellow(possible)}`
			: `${style.red(
					`${suspects} suspect goroutine${suspects === 1 ? '' : 's'} at ${strong.length} site${strong.length === 1 ? '' : 's'}${proven > 0 ? `, ${proven} proven leaked` : ''}`,
				)}${style.yellow(possible)}`;
	const lines = [...header, `${style.bold(total)}${growth} · ${verdict}`];
	// Whether a verdict can be a proof: said once, under the verdict (model/proof.ts has the words).
	if (input.proof) lines.push(...wrapWords(`Verdicts: ${proofSentence(input.proof)}`, width, 2).map(line => style.dim(line)));
	if (last.truncated) lines.push(style.yellow(truncateEnd('the dump was cut off: the last goroutine may be incomplete and some are missing', width)));
	if (input.unparsedHeaders) lines.push(style.yellow(truncateEnd(unparsedNote(input.unparsedHeaders), width)));
	return lines;
}

/** `1 goroutine header not understood: goroutine 7 …`: those goroutines are in no count, and the reader must know. */
function unparsedNote({count, first}: {count: number; first: string}): string {
	return `${unparsedHeadersText(count)}: ${visible(first)}`;
}

function stateLines(states: Record<string, number>, total: number, style: Style, width: number): string[] {
	const entries = Object.entries(states).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	if (entries.length === 0) return [style.bold('States'), '  (none)'];
	const nameWidth = Math.min(32, Math.max(...entries.map(([state]) => state.length)));
	const countWidth = String(total).length;
	const barRoom = width - 2 - nameWidth - 2 - countWidth - 2 - 7;
	const lines = [style.bold('States')];
	for (const [state, count] of entries) {
		const bar = '█'.repeat(Math.max(count > 0 ? 1 : 0, Math.round((count / Math.max(total, 1)) * barRoom)));
		const percent = `${((count / Math.max(total, 1)) * 100).toFixed(1)}%`.padStart(6);
		lines.push(`  ${truncateEnd(visible(state), nameWidth).padEnd(nameWidth)}  ${String(count).padStart(countWidth)}  ${percent} ${style.dim(bar)}`);
	}

	return lines;
}

function suspectLines(suspects: readonly Suspect[], style: Style, width: number, perGoroutine: boolean): string[] {
	if (suspects.length === 0) {
		const why = perGoroutine ? 'nothing blocked in your own code is growing or stuck' : 'a debug=1 profile has no states; fetch ?debug=2 to rank suspects';
		return [style.bold('Suspects: none'), style.dim(truncateEnd(`  ${why}`, width))];
	}

	const lines = [
		style.bold(`Suspects (${suspects.length} site${suspects.length === 1 ? '' : 's'}, ${suspectCount(suspects)} goroutines), most likely leak first`),
	];
	const numberWidth = String(suspects.length).length;
	for (const [index, suspect] of suspects.entries()) {
		// The model's one sentence, in two parts: what and where, then why (after its dash), so a
		// cut at the width never eats the file:line. Proven in bold red, likely red, possible yellow.
		const {head, why} = reasonParts(visible(suspect.reason));
		const tone = suspect.tier === 'proven' ? (text: string) => style.red(style.bold(text)) : suspect.tier === 'likely' ? style.red : style.yellow;
		lines.push(`  ${String(index + 1).padStart(numberWidth)}. ${tone(truncateMiddle(head, width - 4 - numberWidth))}`);
		// The why wraps rather than being cut: it is the sentence the reader acts on.
		if (why !== undefined) for (const line of wrapWords(`— ${why}`, width - 4 - numberWidth, 2)) lines.push(`  ${' '.repeat(numberWidth)}  ${style.dim(line)}`);
	}

	return lines;
}

function groupLines(groups: readonly Group[], input: ReportInput, style: Style, width: number, max: number): string[] {
	const multiPoll = input.polls.count > 1;
	const shown = groups.slice(0, max);
	const lines = [style.bold(`Groups by ${groups[0]?.by ?? 'stack'} (${shown.length} of ${groups.length}), suspects first`)];
	if (shown.length === 0) return [...lines, '  (none)'];
	const countWidth = Math.max(5, ...shown.map(group => String(group.count).length));
	const stateWidth = Math.min(24, Math.max(5, ...shown.map(group => group.state.length)));
	// Growth and stuck need several polls; a single dump has neither.
	const head = `  ${'COUNT'.padStart(countWidth)}${multiPoll ? '  GROWTH  STUCK' : ''}  ${'STATE'.padEnd(stateWidth)}  WHERE`;
	lines.push(style.dim(head));
	const whereWidth = width - (2 + countWidth + (multiPoll ? 15 : 0) + 2 + stateWidth + 2);
	for (const group of shown) {
		const trend = multiPoll ? `  ${signed(group.growth).padStart(6)}  ${String(group.stuck).padStart(5)}` : '';
		const state = truncateEnd(visible(group.state || '-'), stateWidth).padEnd(stateWidth);
		const where = describeWhere(group.where, group.sample, whereWidth);
		const mark = group.stuck > 0 || group.leaked > 0 ? style.yellow : (text: string) => text;
		lines.push(`  ${String(group.count).padStart(countWidth)}${trend}  ${mark(state)}  ${where}`);
	}

	if (groups.length > shown.length) {
		const rest = groups.slice(max).reduce((sum, group) => sum + group.count, 0);
		lines.push(style.dim(`  … ${groups.length - shown.length} more groups (${rest} goroutines); --json lists them all`));
	}

	return lines;
}

/** `func  file:line  ← creator`, cut to `width`: the creator goes first, then the function's middle; the location stays. */
function describeWhere(where: Frame | undefined, sample: Goroutine, width: number): string {
	if (!where) return sample.unavailable ? '(stack unavailable)' : '(no frames)';
	const location = visible(shortLocation(where.file, where.line));
	const func = visible(where.func);
	const created = sample.createdBy ? visible(`  ← ${sample.createdBy.func}`) : '';
	const full = `${func}  ${location}${created}`;
	if (full.length <= width) return full;
	const bare = `${func}  ${location}`;
	// The creator, cut at its end, only when a readable start of it fits (`  ← x…`); else none.
	if (bare.length + 6 <= width) return truncateEnd(full, width);
	if (bare.length <= width) return bare;
	return `${truncateMiddle(func, Math.max(8, width - location.length - 2))}  ${location}`;
}

function stackLines(group: Group, style: Style, width: number, maxFrames: number): string[] {
	const {sample} = group;
	const title = `▸ ${group.count} × ${group.state || 'profile record'}${group.where ? ` in ${group.where.func}` : ''}`;
	const lines = [style.bold(truncateMiddle(visible(title), width))];
	const frames = sample.frames.slice(0, maxFrames);
	for (const frame of frames) {
		// The model's `where` is an interned copy: compare by content.
		const parked = group.where !== undefined && frame.func === group.where.func && frame.line === group.where.line && frame.file === group.where.file;
		const name = truncateMiddle(visible(`${frame.func}(${frame.inlined ? '...' : ''})`), width - 6);
		const location = truncateMiddle(visible(frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file), width - 8);
		lines.push(`    ${parked ? style.yellow(name) : name}${parked ? style.yellow(' ◀') : ''}`);
		if (location) lines.push(style.dim(`        ${location}`));
	}

	if (sample.frames.length > frames.length) lines.push(style.dim(`    … ${sample.frames.length - frames.length} more frames`));
	if (sample.elided) lines.push(style.dim(`    …${sample.elided.count === undefined ? 'additional' : ` ${sample.elided.count}`} frames elided by Go…`));
	if (sample.createdBy) {
		const by = sample.createdBy;
		const parent = by.parentId === undefined ? '' : ` in goroutine ${by.parentId}`;
		lines.push(`    ${style.dim('created by')} ${truncateMiddle(visible(`${by.func}${parent}`), width - 15)}`);
		if (by.file) lines.push(style.dim(`        ${truncateMiddle(visible(`${by.file}:${by.line}`), width - 8)}`));
	}

	return lines;
}
