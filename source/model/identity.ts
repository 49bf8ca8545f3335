// Identity across polls: a goroutine id's record (where it stood, since when, how many polls
// unchanged) and the compact copy of the goroutine the model hands out. An id is the same
// goroutine only while nothing contradicts it (a different creator means the id was reused).
import type {Goroutine} from '../dump/types.ts';
import type {PlaceAcc} from './grouping.ts';
import type {Place} from './place.ts';

export interface Rec {
	readonly id: number;
	place: Place;
	parentId: number | undefined;
	firstSeen: number;
	sameSince: number;
	samePolls: number;
	lastPoll: number;
	lastAt: number;
	lastMinutes: number;
	/** Seen waking and parking again at the same place: not stuck, idle. */
	periodic: boolean;
	/** Stuck as of its last poll. */
	stuck: boolean;
	/**
	 * The call that created it was seen to have returned (its parent gone, or no longer in the
	 * creating function) at some poll: a call that returned never comes back, so the parent running
	 * that function again later is another call (the next request on a keep-alive connection).
	 */
	creatorReturned: boolean;
	/** The compact copy handed out last poll, reused while nothing in it changed. */
	view: Goroutine | undefined;
	/** What `view` was built from: its place and the header facts it copies (see viewFacts). */
	viewPlace: Place | undefined;
	viewFacts: number;
	/** Length of the raw state the view was built from (its text beyond the facts: bubbles, unknown flags). */
	viewRawLength: number;
	/** Index in the previous poll's order (see Tracker.order): where to look for the next id. */
	slot: number;
}

/**
 * What the model keeps of a parsed goroutine: the header, and the place's interned frames
 * (no args). The parser's own objects hold every arg string and slices of its input chunks;
 * keeping them would make the model as big as the dump (~4 KB per goroutine at 100k).
 */
export function compactView(g: Goroutine, place: Place, intern: (text: string) => string): Goroutine {
	const view: Goroutine = {
		id: g.id,
		state: place.state,
		rawState: intern(g.rawState),
		waitMinutes: g.waitMinutes,
		locked: g.locked,
		scan: g.scan,
		leaked: g.leaked,
		durable: g.durable,
		frames: place.frames as Goroutine['frames'],
	};
	if (g.synctestBubble !== undefined) view.synctestBubble = g.synctestBubble;
	if (g.labels) view.labels = g.labels;
	if (g.fields) view.fields = g.fields;
	if (g.unknownFlags) view.unknownFlags = g.unknownFlags;
	if (g.elided) view.elided = g.elided;
	if (place.creator) view.createdBy = g.createdBy?.parentId === undefined ? place.creator : {...place.creator, parentId: g.createdBy.parentId};
	if (g.ancestors) view.ancestors = g.ancestors;
	if (g.unavailable) view.unavailable = true;
	if (g.truncated) view.truncated = true;
	return view;
}

/**
 * The header facts a compact view copies, as one number: equal numbers (with the same place and
 * raw state and labels object) mean the last view still fits, without reading it. -1: never reuse (a cut block).
 */
export function viewFacts(g: Goroutine): number {
	if (g.truncated) return -1;
	return g.waitMinutes * 8 + (g.leaked ? 4 : 0) + (g.locked ? 2 : 0) + (g.scan ? 1 : 0);
}

/** The goroutine's creator says it is not the one this record followed: an id reused after a restart. */
export function creatorContradicts(rec: Rec, g: Goroutine): boolean {
	const was = rec.place.creator;
	const now = g.createdBy;
	if (!was || !now) return !was !== !now;
	// Lengths, not contents: enough to tell two go statements apart, without reading names.
	return (
		was.line !== now.line || was.func.length !== now.func.length || (rec.parentId !== undefined && now.parentId !== undefined && rec.parentId !== now.parentId)
	);
}

/**
 * For each leak-shaped place: how many members outlived the function that started them. Go 1.21+
 * names the creating goroutine (`created by F in goroutine N`): gone from the dump, or no longer
 * inside F, means F returned. Older dumps have no parent id: F on no stack at all says the same.
 * A sender whose starter returned has most likely lost its receiver (see verdict.ts). Only
 * leak-shaped places are read, and only their members' records: a few lookups per poll.
 */
/** What creatorsGone reads of a record (and `creatorReturned`, which it sets). */
export type CreatorFacts = Pick<Rec, 'parentId' | 'lastPoll' | 'place'> & {creatorReturned?: boolean};

export function creatorsGone(accs: readonly PlaceAcc[], records: ReadonlyMap<number, CreatorFacts>, poll: number): void {
	let live: Set<string> | undefined;
	const creatorLive = (func: string): boolean => {
		if (!live) {
			live = new Set();
			for (const other of accs) for (const frame of other.place.frames) live.add(frame.func);
		}
		return live.has(func);
	};
	for (const acc of accs) {
		const creator = acc.place.creator;
		if (!acc.place.leakShaped || !creator) continue;
		let gone = 0;
		if (acc.withParent === 0) {
			// No member names its parent (Go ≤1.20): one answer for them all, without a lookup per member.
			gone = creatorLive(creator.func) ? 0 : acc.ids.length;
		} else {
			// Whether a parent's place runs the creator, once per place (members share a few parents' places).
			const runsCreator = new Map<Place, boolean>();
			for (const id of acc.ids) {
				const member = records.get(id);
				// Seen returned at an earlier poll: gone for good, whatever its parent runs now.
				if (member?.creatorReturned) {
					gone++;
					continue;
				}
				const parentId = member?.parentId;
				let returned: boolean;
				if (parentId !== undefined) {
					const parent = records.get(parentId);
					if (!parent || parent.lastPoll !== poll) returned = true;
					else {
						let runs = runsCreator.get(parent.place);
						if (runs === undefined) {
							runs = parent.place.frames.some(frame => frame.func === creator.func);
							runsCreator.set(parent.place, runs);
						}
						returned = !runs;
					}
				} else {
					returned = !creatorLive(creator.func);
				}
				if (returned) {
					gone++;
					if (member) member.creatorReturned = true;
				}
			}
		}
		acc.creatorGone = gone;
		acc.creatorKnown = acc.ids.length;
	}
}
