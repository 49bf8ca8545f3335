// The header and footer as plain lines: poll status, totals, per-state counts (numbered, they are
// the 1–9 state filter), errors with a retry countdown; the active sort/filters and the keys.
import type {Group, ModelSnapshot} from '../model/types.ts';
import type {FetchResult, PollerState} from '../fetch/types.ts';
import {formatBytes, formatDuration, formatPause, formatShare} from '../text/units.ts';
import {frozenShare} from '../fetch/budget.ts';
import {formatCount, formatDelta, sparkline} from './format.ts';
import {truncateEnd, truncateMiddle} from '../text/fit.ts';
import {visible} from '../text/sanitize.ts';
import {bindings, footerCell, sections, shownKeys, type FooterPlace} from './bindings.ts';
import {fileLine, shortFunc} from './frames.ts';
import {groupWhere} from './select.ts';
import type {ListKind, Overlay, UiState, View} from './types.ts';
import {goroutineNumber} from '../model/fleet-ids.ts';
import {unparsedHeadersText} from '../dump/unparsed.ts';
import {NO_LABELS_NOTE} from './stack-lines.ts';
import type {LeakProof} from '../model/proof.ts';
import {watchProof} from '../watch/proof.ts';

export type ChromeTone = 'normal' | 'dim' | 'warn' | 'danger' | 'accent' | 'title';

export interface ChromeLine {
	text: string;
	tone: ChromeTone;
}

export interface HeaderInput {
	poller: PollerState;
	model: ModelSnapshot | undefined;
	now: number;
	width: number;
	/** Small pane: two lines instead of three. */
	compact: boolean;
	stateOrder: readonly string[];
	ui: UiState;
}

/**
 * Under 5 s reads "just now": at the usual 1–2 s interval the text then stays the same between
 * polls, so the once-a-second clock tick redraws nothing (Ink skips an unchanged frame).
 */
export function ago(ms: number): string {
	return ms < 5000 ? 'just now' : `${formatDuration(ms)} ago`;
}

/**
 * Go stops writing a debug=2 dump at 64 MB (or --max-bytes cut it): the list then misses
 * goroutines, and the header must say so. The real total is known when a debug=1 profile (the
 * poller fetches one after a cut dump) is newer than the dump: the model's total then comes from it.
 */
function cutNote(last: FetchResult, total: number | undefined): string {
	const listed = last.dump.goroutines.length;
	const of = total !== undefined && total > listed ? ` of ${formatCount(total)}` : '';
	return `cut at ${formatBytes(last.bytes)}: ${formatCount(listed)}${of} listed`;
}

/** `full dump held: ~1.5s freeze (over --max-pause 1s), D takes one`: why there are no stacks, and the way to get them. */
export function heldNote(full: NonNullable<PollerState['fullDump']>): string {
	return `full dump held: ~${formatPause(full.predictedMs)} freeze${full.held ? ` (${full.held})` : ''}, D takes one`;
}

/** `pause 12ms, frozen 0.3%`: what the full dumps cost the target, measured (the share over the last 40 s). */
export function costNote(poller: PollerState, now: number): string | undefined {
	const last = poller.pauses.at(-1);
	if (!last) return undefined;
	return `pause ${formatPause(last.ms)}, frozen ${formatShare(frozenShare(poller.pauses, now, poller.since ?? last.at))}`;
}

/**
 * `every 2s`, or when full dumps come less often than the counts: `counts every 2s, full dump every
 * 28s (each freezes the target ~1.4s; --max-overhead 5%)`: the real intervals and why.
 */
function intervalNote(poller: PollerState): string {
	const every = formatDuration(poller.intervalMs);
	const full = formatDuration(poller.effectiveIntervalMs);
	if (poller.fullDump?.held || full === every) return `every ${every}`;
	return `counts every ${every}, full dump every ${full}`;
}

/** ` (each freezes the target ~1.4s; --max-overhead 5%)`: why full dumps come less often, after intervalNote. */
function intervalReason(poller: PollerState): string {
	const full = formatDuration(poller.effectiveIntervalMs);
	if (poller.fullDump?.held || full === formatDuration(poller.intervalMs) || !poller.stretchedReason) return '';
	return ` (${visible(poller.stretchedReason)})`;
}

/** What `D` asks before it freezes the target past the budget: the cost, the rule it breaks, how to go on. */
export function fullDumpPrompt(full: NonNullable<PollerState['fullDump']>): string {
	return `a full dump freezes the target ~${formatPause(full.predictedMs)} (${formatCount(full.goroutines)} goroutines${full.held ? `, ${full.held}` : ''}): press D again to take it`;
}

/** A `/` query that asks for a label: some word of it is `key=value` (or `key=`). */
export function asksForLabel(query: string): boolean {
	return /(^|\s)[^\s=]+=/.test(query);
}

/**
 * What an empty list says: what is wrong when there is no data, why there are no stacks when the
 * budget held the full dump, and "matches the filters" only when a filter is set; a `key=value`
 * filter on a dump that carries no labels says why none can match. `anyLabels`: some goroutine of
 * the dump carries pprof labels (select.ts anyLabels). Lines are split by `\n`.
 */
/** What the empty list's text depends on beyond the state: whether the dump has labels, and the clock. */
export interface EmptyListContext {
	/** Some goroutine of the dump carries pprof labels (default true: nothing said about labels). */
	anyLabels?: boolean;
	/** Now (ms), for the clock of a poll in flight; without it, no clock. */
	now?: number;
}

export function emptyListText(
	kind: 'goroutines' | 'groups',
	model: ModelSnapshot | undefined,
	poller: PollerState,
	ui: UiState,
	context: EmptyListContext = {},
): string {
	const {anyLabels = true, now} = context;
	if (!model) {
		if (poller.error) return `no data: ${visible(poller.error.message)}`;
		// The header says `3s of 1m`; here is room for the flag that sets the limit.
		const waiting = now === undefined ? undefined : waitingFor(poller, now);
		if (!waiting) return 'waiting for the first poll…';
		const flag = poller.deadline ? ` (${poller.deadline.flag})` : '';
		return `waiting for the first poll… ${waiting.elapsed}${waiting.limit ? ` of ${waiting.limit}${flag}` : ''}`;
	}
	const filtered = ui.states.length > 0 || ui.query !== '' || ui.hideIdle;
	if (filtered) {
		const none = `no ${kind === 'groups' ? 'group' : 'goroutine'} matches the filters (Esc clears)`;
		// On a line of its own: each is cut to the pane's width, not the reason by the other.
		return !anyLabels && asksForLabel(ui.query) ? `${none}\n${NO_LABELS_NOTE}` : none;
	}
	if (kind === 'goroutines' && !poller.last && poller.fullDump) {
		return `no stacks per goroutine yet: ${heldNote(poller.fullDump)}; Tab shows the groups (debug=1)`;
	}
	return `no ${kind === 'groups' ? 'groups' : 'goroutines'} in this dump`;
}

/**
 * How much of the poll's facts the title line gives up to fit: 0 says everything; then, one at a
 * time, the dump's size, the fetch's time, a plain interval and the word "polled". The cost to the
 * target (`pause 10ms, frozen 0.4%`) and a poll's elapsed time and limit are never given up: at 80
 * columns they stay whole.
 */
const TERSEST = 4;

/** `3s of 1m`: how long the poll in flight has run and the limit that ends it (whole seconds, so the clock redraws only then). */
export function waitingFor(poller: PollerState, now: number): {elapsed: string; limit?: string} | undefined {
	const running = poller.polling && poller.pollStartedAt !== undefined ? now - poller.pollStartedAt : 0;
	if (running < 2000) return undefined;
	const elapsed = formatDuration(Math.floor(running / 1000) * 1000);
	return poller.deadline ? {elapsed, limit: formatDuration(poller.deadline.ms)} : {elapsed};
}

/** The title's facts about polling, joined by ` · `; `cut` is the part after it that may be cut at its end (the stretch's reason). */
function pollStatus({poller, model, now}: HeaderInput, terse: number): {text: string; cut: string} {
	const parts: string[] = [];
	// First, so a narrow pane never cuts it off.
	if (poller.paused) parts.push('PAUSED');
	const last = poller.last;
	const profile = poller.lastProfile;
	// The poller stretches full dumps and fills in the counts from debug=1 between them: say how old each is.
	const countsNewer = last !== undefined && profile !== undefined && profile.at > last.at;
	if (last?.truncated) parts.push(cutNote(last, countsNewer ? model?.total : undefined));
	// Goroutines behind a header shape gmon does not know are in no count: say so (`--once` prints the line).
	const unparsed = last?.dump.unparsedHeaders?.count ?? 0;
	if (unparsed > 0) parts.push(unparsedHeadersText(unparsed, formatCount(unparsed)));
	const full = poller.fullDump;
	if (full?.held) parts.push(heldNote(full));
	if (last) {
		const size = terse >= 1 ? '' : `, ${formatBytes(last.bytes)}`;
		const took = terse >= 2 ? '' : ` in ${formatDuration(last.durationMs)}${size}`;
		const fetch = `${ago(now - last.at - last.durationMs)}${took}`;
		parts.push(countsNewer ? `full dump ${fetch} · counts ${ago(now - profile.at - profile.durationMs)}` : `${terse >= 4 ? '' : 'polled '}${fetch}`);
	} else if (profile) {
		parts.push(`counts ${ago(now - profile.at - profile.durationMs)}`);
	}
	// A poll taking long (a slow link, a target dripping bytes, one that never answers) shows its
	// time and the limit that ends it (the list's empty line names the flag: emptyListText).
	const waiting = waitingFor(poller, now);
	const slow = waiting ? ` ${waiting.elapsed}${waiting.limit ? ` of ${waiting.limit}` : ''}` : '';
	// A big dump's bytes so far (the poller publishes them from a second in, a few times a second).
	const running = poller.polling && poller.pollStartedAt !== undefined ? now - poller.pollStartedAt : 0;
	const read = running > 0 && poller.bytesRead !== undefined ? `${formatBytes(poller.bytesRead)} read` : '';
	if (!last && !profile && !poller.error) parts.push(`waiting for the first poll…${slow}`);
	else if (slow !== '') parts.push(`polling for${slow}`);
	else if (read !== '') parts.push('polling');
	if (read !== '') parts.push(read);
	const cost = costNote(poller, now);
	if (cost) parts.push(cost);
	// No "polling…" flag: it would flip twice per poll and redraw the whole frame for it.
	const interval = intervalNote(poller);
	const plain = interval === `every ${formatDuration(poller.intervalMs)}`;
	// Terse, a stretched interval keeps what the counts' interval does not say: how often the target freezes.
	if (!plain) parts.push(terse >= 3 ? `full dump every ${formatDuration(poller.effectiveIntervalMs)}` : interval);
	else if (terse < 3) parts.push(interval);
	return {text: parts.join(' · '), cut: plain || terse >= 3 ? '' : intervalReason(poller)};
}

/**
 * `✖ message · retry in 3s (attempt 2) · showing data from 12s ago`. The message gives way
 * first (cut at its end) so the countdown and the data's age stay on screen in narrow panes.
 */
export function errorLine({poller, now, width}: Pick<HeaderInput, 'poller' | 'now' | 'width'>): ChromeLine | undefined {
	const error = poller.error;
	if (!error) return undefined;
	const tail: string[] = [];
	if (poller.paused) tail.push('paused');
	else if (error.retryAt !== undefined) {
		const wait = error.retryAt - now;
		tail.push(`${wait >= 1000 ? `retry in ${formatDuration(wait)}` : 'retrying'}${error.attempt > 1 ? ` (attempt ${error.attempt})` : ''}`);
	}
	if (poller.last) tail.push(`showing data from ${ago(now - poller.last.at)}`);
	const message = `✖ ${visible(error.message)}`;
	let suffix = tail.map(part => ` · ${part}`).join('');
	// Keep at least a readable start of the message; drop the data's age before the countdown.
	if (width - suffix.length < 40 && tail.length > 1) suffix = ` · ${tail[0]}`;
	const room = Math.max(12, width - suffix.length);
	return {text: truncateEnd(truncateEnd(message, room) + suffix, width), tone: 'danger'};
}

/**
 * The totals' parts, most needed first: a small pane drops them from the end (the sparkline goes
 * first, then `new`, `stuck`, …) so the state counts beside them stay on the line.
 */
function totalsParts(model: ModelSnapshot, width: number, proof?: LeakProof): {head: string; trend: string; extras: string[]} {
	const stuck = model.groups.reduce((n, g) => n + g.stuck, 0);
	const proven = model.suspects.filter(s => s.proven).length;
	const history = model.totalHistory;
	const previous = history.length >= 2 ? history[history.length - 2]! : model.total;
	// Change since the previous poll; `±0` rather than a bare `0`, which reads like a stray count.
	const delta = model.total - previous;
	const extras: string[] = [];
	// Without Go's leak profile every verdict is a heuristic: said here, on the first screen, even with no suspects.
	const heuristics = proof && !proof.available ? ` (${proof.summary})` : '';
	if (model.suspects.length > 0 || heuristics !== '') extras.push(`suspects ${model.suspects.length}${proven > 0 ? ` (${proven} proven)` : heuristics}`);
	if (model.restarted) extras.push('target restarted');
	if (stuck > 0) extras.push(`stuck ${formatCount(stuck)}`);
	if (model.newIds.length > 0) extras.push(`new ${formatCount(model.newIds.length)}`);
	return {head: `total ${formatCount(model.total)}`, trend: `${sparkline(history, width >= 100 ? 24 : 12)} ${delta === 0 ? '±0' : formatDelta(delta)}`, extras};
}

export function totals(model: ModelSnapshot, width: number, proof?: LeakProof): string {
	const {head, trend, extras} = totalsParts(model, width, proof);
	// The usual order: stuck before suspects, new last.
	const order = ['stuck', 'suspects', 'new', 'target'];
	const sorted = [...extras].sort((a, b) => order.findIndex(word => a.startsWith(word)) - order.findIndex(word => b.startsWith(word)));
	return [`${head} ${trend}`, ...sorted].join(' · ');
}

/**
 * The small pane's one header line: totals │ state counts. The state counts are the 1–9 filter
 * keys, so they keep their room: the totals give up the sparkline, then their extras (the least
 * needed first), before a state is cut.
 */
export function compactCounts(model: ModelSnapshot, states: string, width: number, proof?: LeakProof): string {
	const full = `${totals(model, width, proof)} │ ${states}`;
	if (full.length <= width) return full;
	const {head, trend, extras} = totalsParts(model, width, proof);
	const delta = trend.slice(trend.lastIndexOf(' ') + 1);
	for (let keep = extras.length; keep >= 0; keep--) {
		const totalsText = [`${head} ${delta}`, ...extras.slice(0, keep)].join(' · ');
		const line = `${totalsText} │ ${states}`;
		if (line.length <= width || keep === 0) return truncateEnd(line, width);
	}
	return truncateEnd(full, width);
}

/**
 * `7:chan send 15  1:chan receive 4 …`: each state with its slot number (the key that toggles it),
 * listed by count, largest first, so a narrow pane cuts the smallest: the numbers stay put while
 * the order follows what matters now (a leak's 15 senders are never the part that is cut).
 */
export function stateCounts(model: ModelSnapshot, order: readonly string[], ui: UiState): string {
	const count = (state: string): number => model.states[state] ?? 0;
	const listed = order.map((state, slot) => ({state, slot})).sort((a, b) => count(b.state) - count(a.state) || a.slot - b.slot);
	return listed
		.map(({state, slot}) => {
			const label = `${slot < 9 ? `${slot + 1}:` : ''}${visible(state)} ${formatCount(count(state))}`;
			return ui.states.includes(state) ? `[${label}]` : label;
		})
		.join('  ');
}

export function headerLines(input: HeaderInput): ChromeLine[] {
	const {poller, model, width, compact} = input;
	const lines: ChromeLine[] = [];
	// A long target (a dump deep in a folder) gives way in its middle, so the poll's facts after it
	// stay on screen and the file's own name stays readable; 20 columns at least keep it recognisable.
	// The tersest status that fits beside the target (the target gives way first, down to 20 columns).
	const name = visible(poller.target);
	let status = pollStatus(input, 0);
	for (let terse = 1; terse <= TERSEST && 'gmon  · '.length + Math.min(name.length, 20) + status.text.length > width; terse++) {
		status = pollStatus(input, terse);
	}
	const target = truncateMiddle(name, Math.max(20, width - 'gmon  · '.length - status.text.length));
	const title = `gmon ${target} · ${status.text}${status.cut}`;
	lines.push({
		text: truncateEnd(title, width),
		tone: poller.paused || poller.last?.truncated || poller.last?.dump.unparsedHeaders || poller.fullDump?.held ? 'warn' : 'title',
	});
	const error = errorLine(input);
	if (error) lines.push({...error, text: truncateEnd(error.text, width)});
	if (!model) {
		lines.push({text: compact ? '' : 'no goroutine data yet', tone: 'dim'});
		if (!compact) lines.push({text: '', tone: 'dim'});
		return lines;
	}
	const proof = watchProof(poller, model);
	if (compact) {
		lines.push({text: compactCounts(model, stateCounts(model, input.stateOrder, input.ui), width, proof), tone: 'normal'});
	} else {
		lines.push({text: truncateEnd(totals(model, width, proof), width), tone: 'normal'});
		lines.push({text: truncateEnd(stateCounts(model, input.stateOrder, input.ui), width), tone: 'accent'});
	}
	return lines;
}

/** How many lines headerLines returns for this input (the layout needs it before rendering). */
export function headerHeight(hasError: boolean, compact: boolean): number {
	return (compact ? 2 : 3) + (hasError ? 1 : 0);
}

function sortLabel(ui: UiState, kind: 'goroutines' | 'groups'): string {
	const sort = ui.sort[kind];
	return `sort ${sort.key}${sort.desc ? '↓' : '↑'}`;
}

export interface StatusInput {
	ui: UiState;
	view: View;
	listKind: 'goroutines' | 'groups';
	/** "12/1234": the cursor row and the filtered length, for lists. */
	position?: string;
	gone?: string;
	groupBy?: string;
	groupLabel?: string;
	/** Several targets, filtered to one (`T`): its name. */
	target?: string;
	width: number;
}

/** Footer line 1: the prompt while typing a filter, else sort, filters, position and any message. */
export function statusLine(input: StatusInput): ChromeLine {
	const {ui, width} = input;
	if (ui.editing) return {text: truncateEnd(`/${ui.query}█  (Enter keeps, Esc clears)`, width), tone: 'accent'};
	const parts: string[] = [];
	if (input.view.kind === 'stack')
		parts.push(input.view.target.type === 'goroutine' ? `stack of goroutine ${goroutineNumber(input.view.target.id)}` : 'group stack');
	else if (input.view.kind === 'tree') parts.push('tree by creator');
	else if (input.groupLabel) parts.push(input.groupLabel);
	if (input.view.kind === 'goroutines' || input.view.kind === 'groups') parts.push(sortLabel(ui, input.listKind));
	if ((input.listKind === 'groups' || input.view.kind === 'tree') && input.groupBy) parts.push(`by ${groupByText(input.groupBy)}`);
	if (input.target !== undefined) parts.push(`target ${visible(input.target)}`);
	if (ui.states.length > 0) parts.push(`states: ${ui.states.map(visible).join(', ')}`);
	if (ui.query !== '') parts.push(`filter "${ui.query}"`);
	if (ui.hideIdle) parts.push('idle hidden');
	if (input.position) parts.push(input.position);
	let tone: ChromeTone = 'dim';
	if (input.gone) {
		parts.unshift(`${input.gone} is gone; kept your place`);
		tone = 'warn';
	}
	if (ui.message) {
		parts.unshift(visible(ui.message));
		tone = 'warn';
	}
	return {text: truncateEnd(parts.join(' · '), width), tone};
}

/**
 * `b` said "grouping by where" in the footer until the next move, while the status of a group
 * list (or a group's stack) already reads `by where`: only where the status does not show it
 * does the change need a word.
 */
export function groupByNotice(by: string, listKind: ListKind): string | undefined {
	return listKind === 'groups' ? undefined : `grouping by ${groupByText(by)} (Tab shows the groups)`;
}

/**
 * A group's members list, in the status line: `group tenant=acme: chan receive at main.worker
 * worker.go:41`. After `b` the list follows its goroutines into their group under the new key,
 * and says so (`group (now by where): …`); `group gone` when none of them is left.
 */
export function membersLabel(group: Group | undefined, openedBy: string | undefined): string {
	if (!group) return 'group gone';
	const frame = groupWhere(group);
	const label = group.label === undefined ? '' : ` ${visible(group.label)}`;
	const regrouped = openedBy !== undefined && group.by !== openedBy ? ` (now by ${groupByText(group.by)})` : '';
	return `group${label}${regrouped}: ${visible(group.state)} at ${shortFunc(frame?.func ?? '')} ${fileLine(frame)}`.trim();
}

/** A grouping as the status line says it: `stack`, `where`, … or `label tenant` (for `label:tenant`). */
export function groupByText(by: string): string {
	return by.startsWith('label:') ? `label ${visible(by.slice('label:'.length))}` : by;
}

/** Which footer a view (or the overlay over it) shows. */
function footerPlace(view: View, overlay?: Overlay): FooterPlace {
	if (overlay) return overlay;
	if (view.kind === 'stack') return view.target.type === 'goroutine' ? 'stack' : 'groupStack';
	if (view.kind === 'groups') return 'groups';
	if (view.kind === 'tree') return 'tree';
	return view.group === undefined && view.node === undefined ? 'goroutines' : 'members';
}

/** Footer line 2: the keys that matter in this view, from the bindings table; the most that fit (`?` lists them all). */
export function keysLine(view: View, width: number, overlay?: Overlay, fleet = false): ChromeLine {
	const place = footerPlace(view, overlay);
	const cells = bindings.flatMap(binding => (binding.fleet && !fleet ? [] : (footerCell(binding, place) ?? [])));
	let text = '';
	for (const tier of [3, 2, 1]) {
		text = cells
			.filter(cell => cell.tier <= tier)
			.map(cell => cell.text)
			.join('  ');
		if (text.length <= width) break;
	}
	return {text: truncateEnd(text, width), tone: 'dim'};
}

/** What the marks in the lists mean: not a key, but the help is where people look. */
const marksLine = 'Marks   ● stuck, deepening  + new  ? suspect  ! proven leak';
const helpWidth = 80;

/**
 * The help overlay's lines, generated from the bindings table: one line per section, wrapped at
 * `width` (80 at most); the marks and the quit keys come first. A fragment wider than the pane is cut
 * where it is drawn.
 */
function buildHelp(width: number): string[] {
	// The marks and the quit keys first: the top of the help is what a short pane shows unscrolled.
	const lines: string[] = [marksLine];
	for (const section of ['Quit', ...sections.filter(name => name !== 'Quit')] as const) {
		const fragments = bindings
			.filter(binding => binding.section === section)
			.flatMap(binding => wordWrap(`${shownKeys(binding)} ${binding.does}`, width - 8).map((text, i) => ({text, alone: i > 0})));
		let line = section.padEnd(8);
		for (const {text: fragment, alone} of fragments) {
			const joined = line.trim() === section || line.trim() === '' ? line + fragment : `${line}   ${fragment}`;
			if (!alone && (joined.length <= width || line.trim() === section || line.trim() === '')) {
				line = joined;
				continue;
			}
			lines.push(line);
			line = ' '.repeat(8) + fragment;
		}
		lines.push(line);
	}
	return lines;
}

/** `text` in pieces of at most `width` columns, broken at spaces (a longer word stays whole). */
function wordWrap(text: string, width: number): string[] {
	const pieces: string[] = [];
	let piece = '';
	for (const word of text.split(' ')) {
		if (piece !== '' && piece.length + 1 + word.length > width) {
			pieces.push(piece);
			piece = word;
		} else piece = piece === '' ? word : `${piece} ${word}`;
	}
	pieces.push(piece);
	return pieces;
}

const helpByWidth = new Map<number, readonly string[]>();

/** The help's lines wrapped for a pane `width` columns wide (80 at most). */
export function helpTextAt(width: number): readonly string[] {
	const wrap = Math.max(20, Math.min(helpWidth, width));
	let lines = helpByWidth.get(wrap);
	if (!lines) {
		lines = buildHelp(wrap);
		helpByWidth.set(wrap, lines);
	}
	return lines;
}

/** The help overlay's lines at full width, in their usual order. */
export const helpText: readonly string[] = helpTextAt(helpWidth);

/** How far the help can scroll in `rows` lines (title included) of a `width`-column pane. */
export function helpMaxScroll(rows: number, width: number): number {
	return Math.max(0, helpTextAt(width).length - Math.max(1, rows - 1));
}

/**
 * The help as it fits `rows` lines (title included), from line `scroll` on: a short pane scrolls
 * it (↑↓ j/k PgUp/PgDn) and the title says which lines are shown.
 */
export function helpLines(rows: number, width = helpWidth, scroll = 0): string[] {
	const text = helpTextAt(width);
	const room = Math.max(1, rows - 1);
	if (room >= text.length) return ['gmon keys', ...text];
	const from = Math.max(0, Math.min(scroll, helpMaxScroll(rows, width)));
	const to = from + room;
	return [`gmon keys, lines ${from + 1}–${to} of ${text.length} (↑↓ PgUp/PgDn scroll)`, ...text.slice(from, to)];
}
