// The goroutine header: `goroutine <id>[ gp=… m=…[ mp=…]] [<state>[ (leaked)][ (scan)][, N minutes][, locked to thread]
// [, synctest bubble N][ labels:{…}]][ {…}]:`. Not fixed-shape across Go versions (formats.md §2.2, §9.2), so
// the bracket body is taken whole (it ends at the line's final `]:`, or at the `] {` before Go 1.27's labels)
// and split item by item. pprof labels come in two forms: Go 1.26 (`GODEBUG=tracebacklabels=1`) inside the
// bracket, `labels:{"k": "v"}`, always quoted; Go 1.27 after it, `{k: v, q: "a, b"}`, quoted only when needed.
import type {CreatedBy, Frame, Goroutine, StackShape} from './types.ts';
import type {LineCache} from './line-cache.ts';
import {type Interner, own, parseDecimal, parseLabels, labelsEnd, trimEnd} from './lines.ts';

const PREFIX = 'goroutine ';

/** What a bracket body says; cached per distinct body (`chan receive, 3 minutes` repeats thousands of times). */
export interface BracketState {
	state: string;
	rawState: string;
	waitMinutes: number;
	locked: boolean;
	scan: boolean;
	leaked: boolean;
	durable: boolean;
	synctestBubble: number | undefined;
	labels: Readonly<Record<string, string>> | undefined;
	unknownFlags: string[] | undefined;
}

/** True when [start, …) begins like a header: `goroutine ` then a digit. Cheap pre-check. */
export function looksLikeHeader(s: string, start: number): boolean {
	if (!s.startsWith(PREFIX, start)) return false;
	const code = s.charCodeAt(start + PREFIX.length);
	return code >= 48 && code <= 57;
}

export class HeaderParser {
	private readonly strings: Interner;
	private readonly brackets: LineCache<BracketState>;

	constructor(strings: Interner, brackets: LineCache<BracketState>) {
		this.strings = strings;
		this.brackets = brackets;
	}

	// What the last successful `parse` read, until `build` makes a goroutine of it.
	private id = 0;
	private bracket: BracketState | undefined;
	private fields: Record<string, string> | undefined;
	private extra: string[] | undefined;

	/** Parses a header line at [start, end) and returns a goroutine with no frames yet; undefined when it is not one. */
	parse(s: string, start: number, end: number): Goroutine | undefined {
		return this.read(s, start, end) ? this.build([], undefined) : undefined;
	}

	/** Reads a header line at [start, end) for `build`; false when it is not one. */
	read(s: string, start: number, end: number): boolean {
		if (!looksLikeHeader(s, start)) return false;
		end = trimEnd(s, start, end);
		// The body runs to the final `]:`; label values may hold `]`, so never search forwards for it.
		if (end - start < 14 || s.charCodeAt(end - 1) !== 58) return false;
		const close = s.charCodeAt(end - 2);
		// `]:`, or Go 1.27's `] {labels}:` (the labels end the line; found after the bracket below).
		if (close !== 93 /* ] */ && close !== 125 /* } */) return false;
		let i = start + PREFIX.length;
		const idStart = i;
		while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
		const id = parseDecimal(s, idStart, i);
		if (id < 0 || s.charCodeAt(i) !== 32) return false;

		let fields: Record<string, string> | undefined;
		let extra: string[] | undefined;
		// ` gp=0x… m=0 mp=0x…` (Go 1.23+ crash output) up to ` [`.
		while (i < end && s.charCodeAt(i) === 32) {
			i++;
			if (s.charCodeAt(i) === 91 /* [ */) break;
			let tokenEnd = s.indexOf(' ', i);
			if (tokenEnd < 0 || tokenEnd > end) tokenEnd = end;
			const token = s.slice(i, tokenEnd);
			const eq = token.indexOf('=');
			if (eq > 0) (fields ??= {})[this.strings.get(token.slice(0, eq))] = this.strings.get(token.slice(eq + 1));
			else (extra ??= []).push(own(token));
			i = tokenEnd;
		}
		if (s.charCodeAt(i) !== 91) return false;
		const bodyStart = i + 1;
		// For `] {…}:` the cached text runs to the closing brace: the bracket body and the labels are
		// read (and cached) together, as one text, so a pool of workers with the same labels costs one lookup.
		const bodyEnd = close === 93 ? end - 2 : end - 1;
		if (bodyEnd < bodyStart) return false;
		if (close === 125 && !hasTrailingLabels(s, bodyStart, bodyEnd)) return false;

		let b = this.brackets.get(s, bodyStart, bodyEnd, undefined)?.value;
		if (b === undefined) {
			b = parseBracket(s.slice(bodyStart, bodyEnd), this.strings);
			this.brackets.set(s, bodyStart, bodyEnd, b);
		}
		this.id = id;
		this.bracket = b;
		this.fields = fields;
		this.extra = extra;
		return true;
	}

	/**
	 * The goroutine of the last `read`, with its frames and created-by when already known (one object
	 * literal: a property added later would cost a separate property store per goroutine).
	 */
	build(frames: Frame[], createdBy: CreatedBy | undefined, shape?: StackShape): Goroutine {
		const b = this.bracket!;
		// One literal per set of present fields: each is one hidden class, and the model's loops stay monomorphic.
		const g: Goroutine =
			shape === undefined
				? createdBy === undefined
					? {
							id: this.id,
							state: b.state,
							rawState: b.rawState,
							waitMinutes: b.waitMinutes,
							locked: b.locked,
							scan: b.scan,
							leaked: b.leaked,
							durable: b.durable,
							frames,
						}
					: {
							id: this.id,
							state: b.state,
							rawState: b.rawState,
							waitMinutes: b.waitMinutes,
							locked: b.locked,
							scan: b.scan,
							leaked: b.leaked,
							durable: b.durable,
							frames,
							createdBy,
						}
				: createdBy === undefined
					? {
							id: this.id,
							state: b.state,
							rawState: b.rawState,
							waitMinutes: b.waitMinutes,
							locked: b.locked,
							scan: b.scan,
							leaked: b.leaked,
							durable: b.durable,
							frames,
							shape,
						}
					: {
							id: this.id,
							state: b.state,
							rawState: b.rawState,
							waitMinutes: b.waitMinutes,
							locked: b.locked,
							scan: b.scan,
							leaked: b.leaked,
							durable: b.durable,
							frames,
							createdBy,
							shape,
						};
		if (b.synctestBubble !== undefined) g.synctestBubble = b.synctestBubble;
		// Shared (frozen) with every goroutine of the same header: a pool of labelled workers has one object.
		if (b.labels) g.labels = b.labels;
		if (this.fields) g.fields = this.fields;
		if (this.extra || b.unknownFlags) g.unknownFlags = [...(this.extra ?? []), ...(b.unknownFlags ?? [])];
		return g;
	}
}

/**
 * True when [bodyStart, bodyEnd) is `<bracket body>] {…}` (Go 1.27 labels after the bracket, `bodyEnd`
 * just past the closing brace): the body holds no `]` (no wait reason or flag does), so the first `]`
 * closes it, and it must be followed by ` {`.
 */
function hasTrailingLabels(s: string, bodyStart: number, bodyEnd: number): boolean {
	const close = s.indexOf(']', bodyStart);
	return close > 0 && close + 2 < bodyEnd && s.charCodeAt(close + 1) === 32 && s.charCodeAt(close + 2) === 123;
}

/**
 * The bracket body (`chan receive, 2 minutes, locked to thread`) item by item; `text` may also carry
 * Go 1.27's labels after the bracket (`chan receive] {k: v}`: see hasTrailingLabels).
 */
export function parseBracket(text: string, strings: Interner): BracketState {
	let raw = text;
	let labels: Record<string, string> | undefined;
	if (text.charCodeAt(text.length - 1) === 125 /* } */) {
		const close = text.indexOf('] {');
		if (close >= 0) {
			raw = text.slice(0, close);
			labels = parseLabels(text, close + 2, text.length);
		}
	}
	const b: BracketState = {
		state: '',
		rawState: strings.get(raw),
		waitMinutes: 0,
		locked: false,
		scan: false,
		leaked: false,
		durable: false,
		synctestBubble: undefined,
		labels: undefined,
		unknownFlags: undefined,
	};
	// Go 1.26+ labels sit inside the brackets and may contain `, ` and `]`: cut them out by brace
	// matching before splitting the rest on `, `.
	let body = raw;
	const labelAt = labels === undefined ? findLabels(body) : -1;
	if (labelAt >= 0) {
		labels = parseLabels(body, labelAt + 7, body.length);
		body = body.slice(0, labelAt) + body.slice(labelsEnd);
	}
	if (labels !== undefined) b.labels = internLabels(labels, strings);

	const items = body.split(', ');
	let state = (items[0] ?? '').trim();
	// ` (scan)` / ` (leaked)` are flags appended to the status; `(nil chan)`, `(no cases)`, `(durable)`, `(idle)` belong to the wait reason.
	for (;;) {
		if (state.endsWith(' (scan)')) {
			b.scan = true;
			state = state.slice(0, -7);
		} else if (state.endsWith(' (leaked)')) {
			b.leaked = true;
			state = state.slice(0, -9);
		} else break;
	}
	b.state = strings.get(state);
	b.durable = state.endsWith('(durable)') || state.endsWith('(synctest)');

	for (let k = 1; k < items.length; k++) {
		const item = (items[k] ?? '').trim();
		if (item === '') continue;
		const minutes = /^(\d+) minutes?$/.exec(item);
		if (minutes) {
			b.waitMinutes = Number(minutes[1]);
			continue;
		}
		if (item === 'locked to thread') {
			b.locked = true;
			continue;
		}
		const bubble = /^synctest (?:group|bubble) (\d+)$/.exec(item);
		if (bubble) {
			b.synctestBubble = Number(bubble[1]);
			continue;
		}
		if (item === '(scan)') {
			b.scan = true;
			continue;
		}
		if (item === '(leaked)') {
			b.leaked = true;
			continue;
		}
		(b.unknownFlags ??= []).push(own(item));
	}
	return b;
}

/** Keys and values interned (a pool repeats them), the object frozen: it is shared by every goroutine of the header. */
function internLabels(labels: Record<string, string>, strings: Interner): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of Object.keys(labels)) out[strings.get(key)] = strings.get(labels[key]!);
	return Object.freeze(out);
}

/** Index of `labels:{` starting an item (after a space, a `, ` or at the start); -1 when absent. */
function findLabels(body: string): number {
	let at = body.indexOf('labels:{');
	while (at >= 0) {
		if (at === 0 || body[at - 1] === ' ' || body[at - 1] === ',') return at;
		at = body.indexOf('labels:{', at + 1);
	}
	return -1;
}
