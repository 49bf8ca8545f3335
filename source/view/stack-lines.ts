// The stack view's content as plain lines: every frame (function and args, then file:line),
// runtime and standard-library frames marked dim, the elision marker where Go put it, created-by;
// for a group its shared stack and member ids. The UI only colours and windows these lines.
import {isProvenLeak} from '../dump/classify.ts';
import {formatDuration} from '../text/units.ts';
import type {Frame, Goroutine} from '../dump/types.ts';
import {isUserFunc} from '../dump/user-frame.ts';
import type {Group, Suspect, TrackedGoroutine} from '../model/types.ts';
import {type LeakProof, proofSentence} from '../model/proof.ts';
import {createdByText} from './frames.ts';
import {formatDelta, groupStateText} from './format.ts';
import {describeGrowth} from '../model/verdict.ts';
import {truncateEnd, truncateMiddle, wrapWords} from '../text/fit.ts';
import {visible} from '../text/sanitize.ts';
import {fleetIndexOf, goroutineNumber} from '../model/fleet-ids.ts';
import {isSourceFrame, sourceLines, type FrameSource} from './source-lines.ts';

export type Tone = 'normal' | 'dim' | 'title' | 'warn' | 'danger' | 'accent';

export interface Line {
	text: string;
	tone: Tone;
}

/**
 * How a frame's args read. `argsKept` false: the frames are the model's arg-less copies (the
 * parsed dump that had the args is gone), so an empty string means "not kept", not "no args".
 */
function argsText(frame: Frame, argsKept: boolean): string {
	if (frame.inlined) return '...';
	if (frame.args === '' && !argsKept) return '…';
	return visible(frame.args);
}

function frameLines(frame: Frame, width: number, argsKept = true): Line[] {
	const tone: Tone = isUserFunc(frame.func) ? 'normal' : 'dim';
	const args = argsText(frame, argsKept);
	const call = truncateEnd(`${visible(frame.func)}(${args})`, width);
	const where = frame.file ? `${visible(frame.file)}${frame.line > 0 ? `:${frame.line}` : ''}` : '?';
	return [
		{text: call, tone},
		{text: `    ${truncateMiddle(where, width - 4)}`, tone: 'dim'},
	];
}

function stackLines(g: Goroutine, width: number, argsKept: boolean, source?: FrameSource): Line[] {
	const lines: Line[] = [];
	if (g.unavailable) lines.push({text: 'stack unavailable (running on another thread)', tone: 'dim'});
	let sourceShown = false;
	g.frames.forEach((frame, i) => {
		if (g.elided && g.elided.at === i) lines.push(elisionLine(g));
		lines.push(...frameLines(frame, width, argsKept));
		// The blocking frame's own code, under its file:line.
		if (!sourceShown && isSourceFrame(frame, source)) {
			sourceShown = true;
			lines.push(...sourceLines(source!, width));
		}
	});
	if (g.elided && g.elided.at >= g.frames.length) lines.push(elisionLine(g));
	if (g.truncated) lines.push({text: '…the dump was cut off here', tone: 'warn'});
	lines.push(...createdByLines(g.createdBy, width));
	// GODEBUG=tracebackancestors: the stacks of the goroutines that created this one.
	for (const ancestor of g.ancestors ?? []) {
		lines.push({text: `[originating from goroutine ${ancestor.id}]:`, tone: 'dim'});
		for (const frame of ancestor.frames) lines.push(...frameLines(frame, width).map(line => ({...line, tone: 'dim' as const})));
		lines.push(...createdByLines(ancestor.createdBy, width).map(line => ({...line, tone: 'dim' as const})));
	}
	return lines;
}

function createdByLines(createdBy: Goroutine['createdBy'], width: number): Line[] {
	if (!createdBy) return [];
	const lines: Line[] = [{text: truncateEnd(`created by ${createdByText(createdBy)}`, width), tone: isUserFunc(createdBy.func) ? 'accent' : 'dim'}];
	if (createdBy.file) lines.push({text: `    ${truncateMiddle(`${visible(createdBy.file)}:${createdBy.line}`, width - 4)}`, tone: 'dim'});
	return lines;
}

function elisionLine(g: Goroutine): Line {
	const n = g.elided?.count;
	return {text: n === undefined ? '...additional frames elided...' : `...${n} frames elided...`, tone: 'dim'};
}

/** Some frame would read `(…)`: the header says why. */
function argsMissing(g: Goroutine, argsKept: boolean): boolean {
	return !argsKept && g.frames.some(frame => !frame.inlined && frame.args === '');
}

export interface StackOptions {
	/** The goroutine or group has left the target since the view opened. */
	gone?: boolean;
	suspect?: Suspect;
	/** Whether Go's leak profile stands behind the verdicts: a suspect's view says when they are heuristics only, and why. */
	proof?: LeakProof;
	/**
	 * The frames carry their args (from the latest parsed dump). False when only the model's
	 * arg-less frames are left; default true.
	 */
	argsKept?: boolean;
	/** No goroutine of the dump carries pprof labels: say why the view shows none. */
	noLabels?: boolean;
	/** Epoch-ms of the poll shown (a group's growth story says "1m ago" from here). */
	now?: number;
	/** The blocking frame's source file (or that it is not readable here), shown under that frame. */
	source?: FrameSource;
	/** Several targets: their short labels (the ON column's), so a group's members are listed per target. */
	targetLabels?: readonly string[];
}

/** A suspect's why, and under it, when no verdict can be proven, why not (model/proof.ts). */
function whyLines({suspect, proof}: StackOptions, width: number): Line[] {
	if (!suspect) return [];
	const lines: Line[] = wrapWords(`why: ${visible(suspect.reason)}`, width, 5).map(text => ({text, tone: 'warn'}));
	if (proof && !proof.available) lines.push(...wrapWords(proofSentence(proof), width, 5).map(text => ({text, tone: 'dim' as const})));
	return lines;
}

function labelsText(labels: Record<string, string> | undefined): string {
	if (!labels) return '';
	const parts = Object.entries(labels).map(([k, v]) => `${visible(k)}=${visible(v)}`);
	return parts.length === 0 ? '' : `labels ${parts.join(' ')}`;
}

/**
 * Why a dump shows no labels: pprof.Do's labels reach a debug=2 dump only on Go 1.27, or 1.26 with
 * GODEBUG=tracebacklabels=1. The ONE sentence the stack view and the empty filtered list both say.
 */
export const NO_LABELS_NOTE = 'no pprof labels here: Go 1.27 prints them, 1.26 with GODEBUG=tracebacklabels=1';

/** A goroutine's stack view. `gone` when the goroutine has left the target since the view opened. */
export function goroutineStackLines(t: TrackedGoroutine, width: number, options: StackOptions = {}): Line[] {
	const {g} = t;
	const argsKept = options.argsKept ?? true;
	const lines: Line[] = [];
	lines.push({text: truncateEnd(`goroutine ${goroutineNumber(g.id)} [${visible(g.rawState)}]`, width), tone: 'title'});
	const facts: string[] = [];
	if (options.gone) facts.push('GONE: no longer in the dump (last seen below)');
	if (t.waitMs >= 1000) facts.push(`waiting ${formatDuration(t.waitMs)}`);
	if (t.stuck) facts.push(`stuck ${t.samePolls} polls`);
	if (t.isNew) facts.push('new');
	const proven = isProvenLeak(g);
	if (proven) facts.push('proven leak (goroutineleak)');
	else if (g.leaked) facts.push('marked (leaked) by Go: main parked on purpose, not a leak');
	else if (options.suspect) facts.push('suspect');
	const labels = labelsText(g.labels);
	if (labels) facts.push(labels);
	if (facts.length > 0) lines.push({text: truncateEnd(facts.join(' · '), width), tone: proven || options.gone ? 'danger' : t.stuck ? 'warn' : 'normal'});
	lines.push(...whyLines(options, width));
	if (argsMissing(g, argsKept)) lines.push({text: truncateEnd('(…): args are shown only while the goroutine is in the latest dump', width), tone: 'dim'});
	lines.push({text: '', tone: 'normal'});
	lines.push(...stackLines(g, width, argsKept, options.source));
	// A footnote under the stack, not among the facts: on most dumps (Go 1.26 without the GODEBUG) it
	// would take a line above every stack. Someone looking for labels meets it in the filter's empty
	// list too (chrome.ts emptyListText).
	if (options.noLabels) lines.push({text: truncateEnd(NO_LABELS_NOTE, width), tone: 'dim'});
	return lines;
}

/** A piece of a wrapped list: its text and what separates it from the piece before. */
interface Piece {
	sep: string;
	text: string;
}

/** Pieces joined by their separators, wrapped to `width`: a line that breaks ends with its separator (trimmed). */
function wrapPieces(pieces: readonly Piece[], width: number): Line[] {
	const lines: Line[] = [];
	let current = '';
	for (const {sep, text} of pieces) {
		if (current !== '' && current.length + sep.length + text.length > width) {
			lines.push({text: current + sep.trimEnd(), tone: 'normal'});
			current = text;
		} else {
			current += current === '' ? text : sep + text;
		}
	}
	if (current !== '') lines.push({text: current, tone: 'normal'});
	return lines;
}

/**
 * Member ids as Go printed them, comma-separated, wrapped to `width`. Several targets: per target
 * (`b: 7, 8 · a: 12`), the target with the most first (as the line under the title counts them).
 */
function idLines(ids: readonly number[], width: number, labels?: readonly string[]): Line[] {
	if (!labels || labels.length < 2)
		return wrapPieces(
			ids.map((id, i) => ({sep: i === 0 ? '' : ', ', text: String(goroutineNumber(id))})),
			width,
		);
	const byTarget = new Map<number, number[]>();
	for (const id of ids) {
		const index = fleetIndexOf(id);
		const list = byTarget.get(index);
		if (list) list.push(id);
		else byTarget.set(index, [id]);
	}
	const order = [...byTarget].sort(([a, x], [b, y]) => y.length - x.length || a - b);
	const pieces: Piece[] = [];
	for (const [index, list] of order) {
		list.forEach((id, i) => {
			const number = String(goroutineNumber(id));
			if (i > 0) pieces.push({sep: ', ', text: number});
			else pieces.push({sep: pieces.length === 0 ? '' : ' · ', text: `${labels[index] ?? '?'}: ${number}`});
		});
	}
	return wrapPieces(pieces, width);
}

/** A group's view: what it is, why it is a suspect, its shared stack (from a sample) and its members. */
export function groupStackLines(group: Group, width: number, options: StackOptions = {}): Line[] {
	const argsKept = options.argsKept ?? true;
	const lines: Line[] = [];
	// Growth as the model's one story (a burst that stopped reads as one, not as a rate that decays).
	const growth = group.growthStory && options.now !== undefined ? ` · ${describeGrowth(group.growthStory, options.now)}` : '';
	lines.push({
		text: truncateEnd(`group of ${group.count} · ${visible(groupStateText(group))} · Δ ${formatDelta(group.delta)}${growth}`, width),
		tone: 'title',
	});
	if (options.gone) lines.push({text: 'GONE: this group is no longer in the dump (last seen below)', tone: 'danger'});
	if (group.label !== undefined) lines.push({text: truncateEnd(`label group: ${visible(group.label)}`, width), tone: 'accent'});
	const states = Object.entries(group.states)
		.map(([state, n]) => `${visible(state)} ${n}`)
		.join(', ');
	lines.push({
		text: truncateEnd(
			`states: ${states} · stuck ${group.stuck} · waits ${formatDuration(group.minWaitMs)}–${formatDuration(group.maxWaitMs)}${group.idle ? ' · idle' : ''}`,
			width,
		),
		tone: 'normal',
	});
	if (group.leaked > 0) lines.push({text: truncateEnd(`proven leak: ${group.leaked} marked (leaked) by Go's goroutineleak profile`, width), tone: 'danger'});
	lines.push(...whyLines(options, width));
	if (argsMissing(group.sample, argsKept))
		lines.push({text: truncateEnd(`(…): args are shown only while goroutine ${goroutineNumber(group.sample.id)} is in the latest dump`, width), tone: 'dim'});
	lines.push({text: '', tone: 'normal'});
	lines.push({text: `shared stack (goroutine ${goroutineNumber(group.sample.id)}):`, tone: 'accent'});
	lines.push(...stackLines(group.sample, width, argsKept, options.source));
	lines.push({text: '', tone: 'normal'});
	lines.push({text: `members (${group.ids.length}):`, tone: 'accent'});
	lines.push(...idLines(group.ids, width, options.targetLabels));
	return lines;
}
