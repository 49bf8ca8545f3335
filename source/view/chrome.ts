// The header and footer as plain lines: poll status, totals, per-state counts (numbered, they are
// the 1–9 state filter), errors with a retry countdown; the active sort/filters and the keys.
import type {ModelSnapshot} from '../model/types.ts';
import type {FetchResult, PollerState} from '../fetch/types.ts';
import {formatBytes, formatDuration} from '../text/units.ts';
import {formatCount, formatDelta, sparkline, truncateEnd} from './format.ts';
import {stripControl} from './sanitize.ts';
import type {ListKind, Overlay, UiState, View} from './types.ts';

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
function ago(ms: number): string {
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

function pollStatus({poller, model, now}: HeaderInput): string {
	const parts: string[] = [];
	// First, so a narrow pane never cuts it off.
	if (poller.paused) parts.push('PAUSED');
	const last = poller.last;
	const profile = poller.lastProfile;
	// The poller stretches full dumps and fills in the counts from debug=1 between them: say how old each is.
	const countsNewer = last !== undefined && profile !== undefined && profile.at > last.at;
	if (last?.truncated) parts.push(cutNote(last, countsNewer ? model?.total : undefined));
	if (last) {
		const fetch = `${ago(now - last.at - last.durationMs)} in ${formatDuration(last.durationMs)}, ${formatBytes(last.bytes)}`;
		parts.push(countsNewer ? `full dump ${fetch} · counts ${ago(now - profile.at - profile.durationMs)}` : `polled ${fetch}`);
	} else if (!poller.error) parts.push('waiting for the first poll…');
	let interval = `every ${formatDuration(poller.effectiveIntervalMs)}`;
	if (poller.effectiveIntervalMs > poller.intervalMs) {
		interval += ` (stretched from ${formatDuration(poller.intervalMs)}${poller.stretchedReason ? `: ${stripControl(poller.stretchedReason)}` : ' to spare the target'})`;
	}
	// No "polling…" flag: it would flip twice per poll and redraw the whole frame for it.
	parts.push(interval);
	return parts.join(' · ');
}

/**
 * `✖ message · retry in 3s (attempt 2) · showing data from 12s ago`. The message gives way
 * first (cut at its end) so the countdown and the data's age stay on screen in narrow panes.
 */
function errorLine({poller, now, width}: HeaderInput): ChromeLine | undefined {
	const error = poller.error;
	if (!error) return undefined;
	const tail: string[] = [];
	if (poller.paused) tail.push('paused');
	else if (error.retryAt !== undefined) {
		const wait = error.retryAt - now;
		tail.push(`${wait >= 1000 ? `retry in ${formatDuration(wait)}` : 'retrying'}${error.attempt > 1 ? ` (attempt ${error.attempt})` : ''}`);
	}
	if (poller.last) tail.push(`showing data from ${ago(now - poller.last.at)}`);
	const message = `✖ ${stripControl(error.message)}`;
	let suffix = tail.map(part => ` · ${part}`).join('');
	// Keep at least a readable start of the message; drop the data's age before the countdown.
	if (width - suffix.length < 40 && tail.length > 1) suffix = ` · ${tail[0]}`;
	const room = Math.max(12, width - suffix.length);
	return {text: truncateEnd(truncateEnd(message, room) + suffix, width), tone: 'danger'};
}

function totals(model: ModelSnapshot, width: number): string {
	const stuck = model.groups.reduce((n, g) => n + g.stuck, 0);
	const proven = model.suspects.filter(s => s.proven).length;
	const history = model.totalHistory;
	const previous = history.length >= 2 ? history[history.length - 2]! : model.total;
	// Change since the previous poll; `±0` rather than a bare `0`, which reads like a stray count.
	const delta = model.total - previous;
	const parts = [`total ${formatCount(model.total)} ${sparkline(history, width >= 100 ? 24 : 12)} ${delta === 0 ? '±0' : formatDelta(delta)}`];
	if (stuck > 0) parts.push(`stuck ${formatCount(stuck)}`);
	if (model.suspects.length > 0) parts.push(`suspects ${model.suspects.length}${proven > 0 ? ` (${proven} proven)` : ''}`);
	if (model.newIds.length > 0) parts.push(`new ${formatCount(model.newIds.length)}`);
	if (model.restarted) parts.push('target restarted');
	return parts.join(' · ');
}

/**
 * `7:chan send 15  1:chan receive 4 …`: each state with its slot number (the key that toggles it),
 * listed by count, largest first, so a narrow pane cuts the smallest: the numbers stay put while
 * the order follows what matters now (a leak's 15 senders are never the part that is cut).
 */
function stateCounts(model: ModelSnapshot, order: readonly string[], ui: UiState): string {
	const count = (state: string): number => model.states[state] ?? 0;
	const listed = order.map((state, slot) => ({state, slot})).sort((a, b) => count(b.state) - count(a.state) || a.slot - b.slot);
	return listed
		.map(({state, slot}) => {
			const label = `${slot < 9 ? `${slot + 1}:` : ''}${stripControl(state)} ${formatCount(count(state))}`;
			return ui.states.includes(state) ? `[${label}]` : label;
		})
		.join('  ');
}

export function headerLines(input: HeaderInput): ChromeLine[] {
	const {poller, model, width, compact} = input;
	const lines: ChromeLine[] = [];
	const title = `gmon ${stripControl(poller.target)} · ${pollStatus(input)}`;
	lines.push({text: truncateEnd(title, width), tone: poller.paused || poller.last?.truncated ? 'warn' : 'title'});
	const error = errorLine(input);
	if (error) lines.push({...error, text: truncateEnd(error.text, width)});
	if (!model) {
		lines.push({text: compact ? '' : 'no goroutine data yet', tone: 'dim'});
		if (!compact) lines.push({text: '', tone: 'dim'});
		return lines;
	}
	if (compact) {
		lines.push({text: truncateEnd(`${totals(model, width)} │ ${stateCounts(model, input.stateOrder, input.ui)}`, width), tone: 'normal'});
	} else {
		lines.push({text: truncateEnd(totals(model, width), width), tone: 'normal'});
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
	width: number;
}

/** Footer line 1: the prompt while typing a filter, else sort, filters, position and any message. */
export function statusLine(input: StatusInput): ChromeLine {
	const {ui, width} = input;
	if (ui.editing) return {text: truncateEnd(`/${ui.query}█  (Enter keeps, Esc clears)`, width), tone: 'accent'};
	const parts: string[] = [];
	if (input.view.kind === 'stack') parts.push(input.view.target.type === 'goroutine' ? `stack of goroutine ${input.view.target.id}` : 'group stack');
	else if (input.groupLabel) parts.push(`group: ${input.groupLabel}`);
	if (input.view.kind !== 'stack') parts.push(sortLabel(ui, input.listKind));
	if (input.listKind === 'groups' && input.groupBy) parts.push(`by ${input.groupBy}`);
	if (ui.states.length > 0) parts.push(`states: ${ui.states.map(stripControl).join(', ')}`);
	if (ui.query !== '') parts.push(`filter "${ui.query}"`);
	if (ui.hideIdle) parts.push('idle hidden');
	if (input.position) parts.push(input.position);
	let tone: ChromeTone = 'dim';
	if (input.gone) {
		parts.unshift(`${input.gone} is gone; kept your place`);
		tone = 'warn';
	}
	if (ui.message) {
		parts.unshift(stripControl(ui.message));
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
	return listKind === 'groups' ? undefined : `grouping by ${by} (Tab shows the groups)`;
}

/** An overlay has the keyboard: its own keys, not the list's (Enter toggles a state in the picker). */
function overlayKeys(overlay: Overlay): string[] {
	return overlay === 'states'
		? ['↑↓ move  ⏎/Space toggle  1–9 toggle  0 clear all  f/Esc close  q quit', '↑↓ move  ⏎ toggle  0 clear  Esc close  q quit']
		: ['any key closes the help  q quit'];
}

/** Footer line 2: the keys that matter in this view; the shortest set that fits (`?` lists them all). */
export function keysLine(view: View, width: number, overlay?: Overlay): ChromeLine {
	let variants: string[];
	if (overlay) {
		variants = overlayKeys(overlay);
	} else if (view.kind === 'stack') {
		variants =
			view.target.type === 'goroutine'
				? ['↑↓ scroll  c parent  v group  Esc back  p pause  w write dump  ? help  q quit', '↑↓ scroll  c parent  v group  Esc back  ? help  q quit']
				: ['↑↓ scroll  ⏎ members  Esc back  p pause  w write dump  ? help  q quit', '↑↓ scroll  ⏎ members  Esc back  ? help  q quit'];
	} else if (view.kind === 'groups') {
		variants = [
			'↑↓ move  ⏎ goroutines  v stack  b group-by  Tab list  / filter  f states  s/S sort  H idle  p pause  r refresh  +/- interval  w write  ? help  q quit',
			'↑↓ move  ⏎ goroutines  v stack  b group-by  Tab list  / filter  f states  s sort  ? help  q quit',
			'⏎ open  v stack  b by  Tab list  / filter  f states  s sort  ? help  q quit',
		];
	} else {
		const tab = view.group === undefined ? 'Tab groups' : 'Esc back';
		variants = [
			`↑↓ move  ⏎ stack  v group  ${tab}  / filter  f states  s/S sort  H idle  p pause  r refresh  +/- interval  w write  ? help  q quit`,
			`↑↓ move  ⏎ stack  ${tab}  / filter  f states  s sort  H idle  ? help  q quit`,
			`⏎ stack  ${tab}  / filter  f states  s sort  ? help  q quit`,
		];
	}
	const fits = variants.find(text => text.length <= width) ?? variants[variants.length - 1]!;
	return {text: truncateEnd(fits, width), tone: 'dim'};
}

/**
 * The help overlay's lines, each with how much it is needed (1 most): each fits 80 columns, and
 * quit and the marks fit 60, so a small pane (60x12 has room for 6) keeps how to quit and what
 * the marks mean. A continuation line ranks below the line it continues.
 */
const help: ReadonlyArray<readonly [text: string, need: number]> = [
	['Move    ↑↓ j/k   PgUp/PgDn   Ctrl-u/Ctrl-d half page   g/G Home/End', 3],
	['Open    Enter: goroutine → its stack, group → its goroutines   Esc back / clear', 4],
	['Views   Tab goroutines ⇄ groups   v group stack   c parent goroutine', 7],
	['        b group by: stack → where (user frame) → top frame → creator', 10],
	['Sort    s next column: leak wait id state function file count growth   S reverse', 6],
	['Filter  f state picker   1–9 toggle a state   0 all states   H hide idle', 5],
	['        / fuzzy over function, file, created-by, state (spaces ok; Esc clears)', 9],
	['Target  p/Space pause   r refresh now   +/- poll interval   w write raw dump', 8],
	['Marks   ● stuck, deepening  + new  ? suspect  ! proven leak', 2],
	['Quit    q or Ctrl-C   any other key closes this help', 1],
];

/** The help overlay's lines, in their usual order. */
export const helpText: readonly string[] = help.map(([text]) => text);

/** The help as it fits `rows` lines (title included): the most needed lines, in their usual order. */
export function helpLines(rows: number): string[] {
	const room = Math.max(0, rows - 1);
	if (room >= help.length) return ['gmon keys', ...helpText];
	const kept = help.filter(([, need]) => need <= room).map(([text]) => text);
	return [`gmon keys (${help.length - room} more lines in a taller pane)`, ...kept];
}
