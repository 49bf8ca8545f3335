// A "place": the state + every frame's function and line (+ the creator), with args,
// addresses, ids and Go's `N minutes` left out. Two goroutines at the same place are one
// stack for grouping; one goroutine at the same place across polls is unchanged (stuck).
// Places are interned: each distinct one is built once, and everything derived from it (its
// class, user frame, group keys, benign verdict) is computed once, not per goroutine per poll.
import {baseState, canonicalState, classifyState, isBlockingClass, isDeliberatePark, isWaitingState, neverWakes, type StateClass} from '../dump/classify.ts';
import type {CreatedBy, Frame, Goroutine, StackShape} from '../dump/types.ts';
import {userFrameIndex} from '../dump/user-frame.ts';
import {benignReason, type BenignReason} from './benign.ts';
import {Interner} from './intern.ts';
import type {StackGroupBy} from './types.ts';

export interface Place {
	readonly id: number;
	readonly hash: number;
	readonly state: string;
	/** Interned frames without args (args differ per goroutine and are never compared). */
	readonly frames: readonly Frame[];
	readonly creator?: CreatedBy;
	readonly stateClass: StateClass;
	/** Parked or in a syscall (not running/runnable): the states that can be stuck. */
	readonly waiting: boolean;
	/** First frame in the user's own code, if any. */
	readonly user?: Frame;
	/** The user frame, else the top frame. */
	readonly where?: Frame;
	readonly benign?: BenignReason;
	/** A nil-channel operation or a `select {}` outside main.main: it can never wake. */
	readonly neverWakes: boolean;
	/** The same in main.main (isDeliberatePark): a park on purpose, never a leak, even when Go marks it (leaked). */
	readonly deliberatePark: boolean;
	/** Blocked on a channel/select/sync primitive in user code: where leaks live. */
	readonly leakShaped: boolean;
	/** The parser's frames array of the last goroutine seen here (see stillAtPlace). */
	rep: readonly Frame[] | undefined;
	/** The parser's state string of the last goroutine seen here. */
	repState: string;
	/** The parser's creator of the last goroutine seen here; null until one was seen. */
	repCreator: CreatedBy | undefined | null;
	/** The parser's stack shape of the last goroutine verified here in full (see stillAtPlace). */
	repShape: StackShape | undefined;
	/** Group key under each GroupBy. */
	readonly keys: Readonly<Record<StackGroupBy, string>>;
	/**
	 * The blocking site: the wait (canonical, without qualifiers) + the user frame where it is
	 * parked. One leak is one site, however many stack variants (callers, creators) reach it.
	 */
	readonly site: string;
	/** Last time (epoch-ms) a goroutine stood here; the table forgets places unused for a while. */
	lastUsedAt: number;
	/**
	 * Last time (epoch-ms) a stuck goroutine left this place (exited, moved on, or was seen
	 * waking). A leak's goroutines never leave; a place whose stuck ones do is not growing by
	 * leaking, however its count wanders.
	 */
	lastStuckExitAt: number;
	/** Goroutines here in the last poll: the size to allocate for this poll's id list. */
	lastCount: number;
	/** Scratch slot of the tracker's per-poll aggregation, valid while scratchPoll equals the pass stamp. */
	scratchPoll: number;
	scratchIndex: number;
}

const FNV_PRIME = 0x01000193;

function mixString(h: number, text: string): number {
	const n = text.length;
	// Length + three characters: cheap, and collisions are resolved by a full compare anyway.
	const sample = n === 0 ? 0 : n ^ (text.charCodeAt(n - 1) << 8) ^ (text.charCodeAt(n >> 1) << 16) ^ (text.charCodeAt(n >> 2) << 24);
	return Math.imul(h ^ sample, FNV_PRIME);
}

/** A cheap hash of what makes a place: state, frames' func and line, creator's func and line. */
export function placeHash(g: Pick<Goroutine, 'state' | 'frames' | 'createdBy' | 'shape'>): number {
	let h = mixString(0x811c9dc5, g.state);
	const frames = g.frames;
	for (let i = 0; i < frames.length; i++) {
		const frame = frames[i]!;
		h = Math.imul(h ^ frame.line, FNV_PRIME);
		h = mixString(h, frame.func);
	}
	const creator = g.createdBy;
	if (creator) {
		h = Math.imul(h ^ creator.line ^ 0x5bd1e995, FNV_PRIME);
		h = mixString(h, creator.func);
	}
	return h >>> 0;
}

/**
 * The per-poll identity check for a goroutine already known at `place`: the same state, every
 * frame's function and line, and the creator (args, addresses, minutes, ids ignored), in full.
 *
 * Cheap because the parser shares objects (Frame objects with the same text, whole frames
 * arrays of identical bodies, creators, state strings): the place remembers the parser's objects
 * of the last goroutine it validated (`rep*`), and a goroutine of the same stack in the same
 * parse then matches by identity — the whole array at once, or frame by frame without reading
 * the frame. Only a frame the parser did not share (args that differ per goroutine, or the first
 * goroutine of a place in a new parse) is read, for its line and function. Parsed dumps are
 * immutable, so identity implies equal text.
 *
 * Cheapest of all: the parser's stack shape (one per learnt body template, kept across polls by a
 * shared parse cache) stands for frames and creator, so a goroutine with the shape last verified
 * here is at the place without its frames being read at all (measured on the 100k bench: reading
 * them, cold from memory, was about half of the tracker's time).
 */
export function stillAtPlace(place: Place, g: Pick<Goroutine, 'state' | 'frames' | 'createdBy' | 'shape'>): boolean {
	const state = g.state;
	if (state !== place.repState) {
		if (state !== place.state) return false;
		place.repState = state;
	}
	const shape = g.shape;
	if (shape !== undefined && shape === place.repShape) return true;
	const c = g.createdBy;
	if (c !== place.repCreator) {
		const p = place.creator;
		if (!c || !p) {
			if (c || p) return false;
		} else if (c.line !== p.line || c.func !== p.func) {
			return false;
		}
		place.repCreator = c;
	}
	const b = g.frames;
	const rep = place.rep;
	if (b === rep) return true;
	const own = place.frames;
	const n = own.length;
	if (n !== b.length) return false;
	// A frame shared with the last goroutine seen here is equal without being read; any other is
	// compared with that goroutine's frame, whose function name is then (in the same parse) the
	// very same string: compared by identity. (Measured: comparing with the place's own, hot
	// copies is slower, the names then being compared char by char.)
	const seen = rep ?? own;
	for (let i = 0; i < n; i++) {
		const x = seen[i]!;
		const y = b[i]!;
		if (x !== y && (x.line !== y.line || x.func !== y.func)) return false;
	}
	place.rep = b;
	if (shape !== undefined) place.repShape = shape;
	return true;
}

function frameKey(frame: Pick<Frame, 'func' | 'line'>): string {
	return `${frame.func}:${frame.line}`;
}

/**
 * A group's key under `--group-by stack`: `state|func:line|…|<creator:line`. Keys are content, not
 * ids: they stay the same across polls, restarts and gmon runs, so a selection (and a diff of two
 * reports) can follow them. A debug=1 record has no state or creator: `|frames…|<`.
 */
export function stackGroupKey(state: string, frames: readonly Frame[], creator: CreatedBy | undefined): string {
	// One join: a flat string (a template of parts leaves a chain of concatenation nodes alive with the key).
	// No frames: `state||<creator`, the empty list between its two bars.
	const n = Math.max(1, frames.length);
	const parts = new Array<string>(n + 2).fill('');
	parts[0] = state;
	for (let i = 0; i < frames.length; i++) parts[i + 1] = frameKey(frames[i]!);
	parts[n + 1] = creator ? `<${frameKey(creator)}` : '<';
	return parts.join('|');
}

/**
 * A place's group key under each GroupBy, each built on first use: a report on one dump reads one
 * key of each place (the grouping it prints), and the stack key is the longest string a place has
 * (a dump of 350k distinct stacks built 350k of each for nothing). The TUI records every key each
 * poll (switching keys keeps its trend), so there they are all built on the first poll, as before.
 */
class PlaceKeys implements Readonly<Record<StackGroupBy, string>> {
	#stack: string | undefined;
	#where: string | undefined;

	constructor(
		private readonly state: string,
		private readonly frames: readonly Frame[],
		private readonly creatorOf: CreatedBy | undefined,
		private readonly whereOf: Frame | undefined,
	) {}

	get stack(): string {
		if (this.#stack === undefined) this.#stack = stackGroupKey(this.state, this.frames, this.creatorOf);
		return this.#stack;
	}

	get where(): string {
		if (this.#where === undefined) {
			const where = this.whereOf;
			this.#where = where ? `${where.func} ${where.file}:${where.line}` : `${this.state} (no frames)`;
		}
		return this.#where;
	}

	get top(): string {
		return this.frames[0]?.func ?? `${this.state} (no frames)`;
	}

	get creator(): string {
		return this.creatorOf ? this.creatorOf.func : '(no creator)';
	}
}

export class PlaceTable {
	private readonly byHash = new Map<number, Place | Place[]>();
	readonly strings = new Interner();
	private nextId = 1;
	private count = 0;

	/**
	 * `shareParsed`: a place takes the parser's frames array as its own when no frame carries args
	 * (reports parse without them, ParseCache.args false), instead of an interned copy. For a
	 * one-shot report, which holds the parsed dump anyway: a dump of distinct stacks would hold
	 * every frame twice. A tracker across polls copies (the parsed dump is dropped after its poll).
	 */
	constructor(private readonly shareParsed = false) {}

	get size(): number {
		return this.count;
	}

	/** The interned place the goroutine stands at, created on first sight. */
	placeOf(g: Goroutine, at: number): Place {
		const hash = placeHash(g);
		const slot = this.byHash.get(hash);
		if (slot !== undefined) {
			if (Array.isArray(slot)) {
				for (const place of slot) {
					if (stillAtPlace(place, g)) {
						place.lastUsedAt = at;
						return place;
					}
				}
			} else if (stillAtPlace(slot, g)) {
				slot.lastUsedAt = at;
				return slot;
			}
		}
		const place = this.create(g, hash, at);
		if (slot === undefined) this.byHash.set(hash, place);
		else if (Array.isArray(slot)) slot.push(place);
		else this.byHash.set(hash, [slot, place]);
		this.count++;
		return place;
	}

	private create(g: Goroutine, hash: number, at: number): Place {
		const s = this.strings;
		const frames: readonly Frame[] =
			this.shareParsed && g.frames.every(frame => frame.args === '')
				? g.frames
				: g.frames.map(frame => ({
						func: s.intern(frame.func),
						args: '',
						inlined: frame.inlined,
						file: s.intern(frame.file),
						line: frame.line,
					}));
		const c = g.createdBy;
		const creator: CreatedBy | undefined = c ? {func: s.intern(c.func), file: s.intern(c.file), line: c.line} : undefined;
		const state = s.intern(g.state);
		const stateClass = classifyState(state, frames);
		const userIndex = userFrameIndex(frames);
		const user = userIndex >= 0 ? frames[userIndex] : undefined;
		const where = user ?? frames[0];
		const benign = benignReason(state, frames, stateClass);
		// `select {}` at the end of main.main is how many programs park forever on purpose.
		const deliberatePark = isDeliberatePark(state, frames);
		const never = neverWakes(state) && !deliberatePark;
		return {
			id: this.nextId++,
			hash,
			state,
			frames,
			creator,
			stateClass,
			waiting: isWaitingState(state),
			user,
			where,
			benign,
			neverWakes: never,
			deliberatePark,
			leakShaped: benign === undefined && user !== undefined && isBlockingClass(stateClass),
			rep: g.frames,
			repState: g.state,
			repCreator: g.createdBy,
			repShape: g.shape,
			keys: new PlaceKeys(state, frames, creator, where),
			site: [baseState(canonicalState(state, frames)), '|', ...(where ? [where.func, ' ', where.file, ':', String(where.line)] : ['(no frames)'])].join(''),
			lastUsedAt: at,
			lastStuckExitAt: -Infinity,
			lastCount: 0,
			scratchPoll: -1,
			scratchIndex: -1,
		};
	}

	/** Forget places nobody has stood at since `before` (epoch-ms). */
	sweep(before: number): void {
		for (const [hash, slot] of this.byHash) {
			if (Array.isArray(slot)) {
				const kept = slot.filter(place => place.lastUsedAt >= before);
				this.count -= slot.length - kept.length;
				if (kept.length === 0) this.byHash.delete(hash);
				else if (kept.length === 1) this.byHash.set(hash, kept[0]!);
				else if (kept.length !== slot.length) this.byHash.set(hash, kept);
			} else if (slot.lastUsedAt < before) {
				this.byHash.delete(hash);
				this.count--;
			}
		}
	}
}
