// The model across polls: identity, stuck, new/gone, restarts (epochs), groups with their
// trends, the total and per-state trends, and the ranked suspects. Pure: every time comes in
// with the poll, nothing here reads a clock or does I/O, so tests replay poll sequences.
//
// Cost per poll, per goroutine: its record found in the previous poll's order (a Map lookup only
// when the dump's order changed), one frame-by-frame compare that mostly compares the parser's
// shared objects by identity (place.ts, stillAtPlace), and one row object; everything derived
// from a stack (class, user frame, keys, benign verdict) lives on its interned Place.
// Memory is bounded: histories are rings, gone goroutines and unused places are forgotten
// after `forgetAfterMs`, names are interned.
import type {Goroutine, ProfileRecord} from '../dump/types.ts';
import type {PollFeed, PollInput, TrackerLike, TrackerOptions} from './api.ts';
import {GroupHistory} from './group-history.ts';
import {leakMatcher, type LeakMatcher} from './leak-match.ts';
import {profileShares, stackKey} from './profile-counts.ts';
import {PlaceTable, stillAtPlace, type Place} from './place.ts';
import {emptyEvidence, isRestart, type RestartEvidence} from './restart.ts';
import {TotalsHistory} from './totals-history.ts';
import {buildGroups, buildLabelGroups, idsAliveIn, labelCounts, newAcc, siteCounts, siteMembers, type PlaceAcc} from './grouping.ts';
import {type CreatorFacts, compactView, creatorContradicts, creatorsGone, type Rec, viewFacts} from './identity.ts';
import {rankSites} from './suspects.ts';
import {
	compareGroups,
	GROUP_BYS,
	labelGroup,
	labelKeyOf,
	type GroupBy,
	type ModelSnapshot,
	type StackGroupBy,
	type Suspect,
	type TrackedGoroutine,
} from './types.ts';

/**
 * A goroutine's wait is stamped by the first GC after it parked (mgcmark.go sets waitsince)
 * and cleared whenever it runs (proc.go execute). The runtime forces a GC at least every
 * 2 minutes, so a goroutine truly parked for longer than ~3 minutes shows `, 1 minutes` or
 * more. One that gmon saw at the same place for longer, still without minutes, has woken and
 * parked again in between: a select on a timer/ticker, a channel fed now and then. The dump
 * cannot show a select's cases, so this behaviour is how we recognise timer selects. Only
 * trusted once some goroutine in the epoch showed minutes (GOGC=off disables the forced GC).
 */
export const PERIODIC_AFTER_MS = 3.5 * 60_000;

/** One tracking pass over a poll's goroutines, fed whole or chunk by chunk. */
interface Pass {
	at: number;
	poll: number;
	prevPoll: number;
	firstOfEpoch: boolean;
	evidence: RestartEvidence | undefined;
	stamp: number;
	tracked: TrackedGoroutine[];
	/** The records in this poll's order (parallel to tracked until endPoll appends those a truncated dump missed). */
	order: Rec[];
	/** Slot of the previous poll's order where the next goroutine is expected. */
	guess: number;
	placesOf: Place[];
	/** Goroutines tracked so far: the arrays above are allocated at the expected size up front and trimmed at the end. */
	n: number;
	accs: PlaceAcc[];
	newIds: number[];
	anyMinutes: boolean;
}

export class Tracker implements TrackerLike {
	private readonly stuckAfterPolls: number;
	private readonly stuckAfterMs: number | undefined;
	private readonly historyLength: number;
	private readonly forgetAfterMs: number;
	private readonly leakThreshold: number;
	private readonly keepArgs: boolean;
	private readonly oneShot: boolean;
	private readonly windowMs: number;
	private groupBy: GroupBy;

	private readonly places: PlaceTable;
	private readonly records = new Map<number, Rec>();
	/**
	 * The records in the last poll's order. Go prints goroutines in a stable order (allgs), so the
	 * next goroutine of a dump is almost always the record after the previous one's: found by
	 * reading the next slot instead of hashing its id, in memory order.
	 */
	private order: Rec[] = [];
	private readonly histories: Record<StackGroupBy, GroupHistory>;
	/** Trends of the label groups, recorded while a label grouping is on (keys carry the label key). */
	private readonly labelHistory: GroupHistory;
	/** Count history per blocking site (the suspects' key), for the growth story. */
	private readonly siteHistory: GroupHistory;
	/** Goroutine ids of the --baseline dump, taken before the workload. */
	private readonly baseline: ReadonlySet<number> | undefined;
	private readonly totals: TotalsHistory;

	private epoch = 1;
	private epochStartAt = 0;
	private epochPolls = 0;
	private minutesSeen = false;
	private poll = 0;
	/** Stamps the per-place scratch slots of one tracking pass (a poll may run two). */
	private stamp = 0;
	private prevCount = 0;
	private prevMax = 0;
	private leaks: LeakMatcher = leakMatcher([]);

	// The last poll, kept so setGroupBy can regroup without new data.
	private lastAt = 0;
	private lastAccs: PlaceAcc[] = [];
	/** Each place's share of the debug=1 profile read since the last full dump, if any. */
	private profileCounts: Map<PlaceAcc, number> | undefined;
	private lastTracked: TrackedGoroutine[] = [];
	private lastPlaces: Place[] = [];
	private lastStates: Record<string, number> = {};
	private lastNew: number[] = [];
	private lastGone: number[] = [];
	private lastRestarted = false;
	private current: ModelSnapshot | undefined;

	constructor(options: TrackerOptions = {}) {
		this.stuckAfterPolls = Math.max(1, options.stuckAfterPolls ?? 3);
		this.stuckAfterMs = options.stuckAfterMs;
		this.historyLength = Math.max(2, options.historyLength ?? 120);
		this.forgetAfterMs = options.forgetAfterMs ?? 10 * 60_000;
		this.leakThreshold = options.leakThreshold ?? 50;
		this.keepArgs = options.keepArgs ?? false;
		this.oneShot = options.oneShot ?? false;
		this.places = new PlaceTable(this.oneShot);
		this.groupBy = options.groupBy ?? 'stack';
		const windowMs = options.growthWindowMs ?? 5 * 60_000;
		this.windowMs = windowMs;
		this.histories = {
			stack: new GroupHistory(this.historyLength, windowMs),
			where: new GroupHistory(this.historyLength, windowMs),
			top: new GroupHistory(this.historyLength, windowMs),
			creator: new GroupHistory(this.historyLength, windowMs),
		};
		this.siteHistory = new GroupHistory(this.historyLength, windowMs);
		this.labelHistory = new GroupHistory(this.historyLength, windowMs);
		this.baseline = options.baselineIds;
		this.totals = new TotalsHistory(this.historyLength);
	}

	get snapshot(): ModelSnapshot | undefined {
		return this.current;
	}

	/** Goroutines remembered: this poll's, plus any missing from a truncated dump (forgotten after the window). */
	get rememberedGoroutines(): number {
		return this.records.size;
	}

	/** Distinct places remembered: bounded by the forget window. */
	get rememberedPlaces(): number {
		return this.places.size;
	}

	update(input: PollInput): ModelSnapshot {
		const feed = this.beginPoll(input.at, input.goroutines.length);
		feed.add(input.goroutines);
		const {goroutines: _goroutines, at: _at, ...options} = input;
		return feed.end(options);
	}

	/**
	 * The streaming form of `update`: feed the goroutines of one poll as the parser completes
	 * them (`createDumpParser().write(chunk)` returns them per chunk), then `end()`. Tracking a
	 * goroutine right after it was parsed reads memory that is still in the CPU cache; a whole
	 * 100k-goroutine poll read afterwards costs several cache misses per goroutine.
	 */
	beginPoll(at: number, expected = 0): PollFeed {
		const prevPoll = this.poll;
		const poll = ++this.poll;
		// One pass does identity, stuck and aggregation, and gathers the restart evidence on the
		// way (each goroutine's memory is touched once). A restart is rare: then the epoch is
		// reset and the chunks, kept until the end, are tracked again on the clean slate.
		const evidence = emptyEvidence(this.prevCount, this.prevMax);
		if (this.epochPolls === 0) this.epochStartAt = at;
		const pass = this.newPass(at, poll, prevPoll, this.epochPolls === 0, evidence, expected);
		const chunks: Array<readonly Goroutine[]> = [];
		let ended = false;
		return {
			add: goroutines => {
				if (ended) throw new Error('gmon: poll already ended');
				chunks.push(goroutines);
				this.track(pass, goroutines);
			},
			end: (options = {}) => {
				if (ended) throw new Error('gmon: poll already ended');
				ended = true;
				return runSteps(this.endPoll(pass, chunks, options));
			},
			endSteps: (options = {}) => {
				if (ended) throw new Error('gmon: poll already ended');
				ended = true;
				return this.endPoll(pass, chunks, options);
			},
		};
	}

	/**
	 * The end of a poll, in steps (a generator): it yields between its parts (~40 ms each at 100k
	 * goroutines on a loaded machine), so the watch engine can let keys in between. Nothing outside
	 * reads or changes the tracker between steps (the engine holds later polls and regrouping back).
	 */
	private *endPoll(first: Pass, chunks: ReadonlyArray<readonly Goroutine[]>, input: Omit<PollInput, 'goroutines' | 'at'>): Generator<void, ModelSnapshot> {
		const {at, poll, prevPoll} = first;
		const evidence = first.evidence!;
		if (input.reconnected) evidence.reconnected = true;
		if (input.leakRecords) this.leaks = leakMatcher(input.leakRecords);
		let pass = first;
		const restarted = this.epochPolls > 0 && isRestart(evidence);
		if (restarted) {
			this.newEpoch(at);
			pass = this.newPass(at, poll, prevPoll, true, undefined, first.n);
			for (const chunk of chunks) this.track(pass, chunk);
		}
		this.epochPolls++;
		if (pass.anyMinutes) this.minutesSeen = true;
		const {tracked, placesOf, accs, newIds} = pass;
		// Growing arrays one push at a time copies them over and over: they were allocated at the
		// expected size; cut them to what came (a duplicate id, a short streamed poll).
		if (tracked.length !== pass.n) {
			tracked.length = pass.n;
			if (!this.oneShot) pass.order.length = pass.n;
			placesOf.length = pass.n;
		}
		for (const acc of accs) {
			if (acc.ids.length !== acc.count) acc.ids.length = acc.count;
			acc.place.lastCount = acc.count;
		}
		const records = this.records;

		// Proven leaks from the goroutineleak profile: per place, capped by its members.
		// Matched afresh each poll: places are few next to goroutines, records fewer still.
		if (!this.leaks.empty) {
			for (const acc of accs) {
				if (!acc.place.deliberatePark) acc.leaked = Math.max(acc.leaked, Math.min(acc.count, this.leaks.leakedAt(acc.place.frames)));
			}
		}
		yield;
		creatorsGone(accs, this.oneShot ? oneShotRecords(accs, tracked, placesOf, poll) : records, poll);
		yield;

		// Gone goroutines (not after a truncated dump: the missing ones may be past the cut),
		// and forgetting the long gone.
		const goneIds: number[] = [];
		const forgetBefore = at - this.forgetAfterMs;
		// Go never reuses an id, so a goroutine gone from a complete dump is reported once and
		// dropped; one missing from a truncated dump may be past the cut and is kept (not
		// reported) until a complete dump, or the forget window, settles it. Skipped when every
		// remembered goroutine is in this poll.
		// Every remembered record is in the previous poll's order (this poll's, then the kept ones).
		const order = pass.order;
		if (!restarted && records.size !== tracked.length) {
			for (const rec of this.order) {
				if (rec.lastPoll === poll) continue;
				if (!input.truncated) {
					goneIds.push(rec.id);
					if (rec.stuck) rec.place.lastStuckExitAt = at;
					records.delete(rec.id);
				} else if (rec.lastAt < forgetBefore) {
					records.delete(rec.id);
				} else {
					rec.slot = order.length;
					order.push(rec);
				}
			}
		}
		this.order = order;
		this.places.sweep(forgetBefore);

		// Histories: groups under every key (so switching keys keeps its trend), total, states.
		this.profileCounts = undefined;
		const states: Record<string, number> = {};
		for (const acc of accs) states[acc.place.state] = (states[acc.place.state] ?? 0) + acc.count;
		if (!input.countsFollow) {
			this.recordGroups(accs, at, forgetBefore);
			this.totals.record(tracked.length, states, this.poll);
		}

		// A label grouping keys each goroutine by its labels, not its place.
		const label = labelKeyOf(this.groupBy);
		const shown = label === undefined ? tracked : relabel(tracked, label);
		if (label !== undefined && !input.countsFollow) this.labelHistory.record(labelCounts(shown), at, forgetBefore);

		this.prevCount = tracked.length;
		this.prevMax = evidence.max;
		this.lastAt = at;
		this.lastAccs = accs;
		this.lastTracked = shown;
		this.lastPlaces = placesOf;
		this.lastStates = states;
		this.lastNew = newIds;
		this.lastGone = restarted ? [] : goneIds;
		this.lastRestarted = restarted;
		yield;
		this.current = yield* this.buildSteps(shown);
		return this.current;
	}

	/** The per-goroutine pass: identity, stuck, wait, per-place aggregation (and restart evidence). */
	private newPass(at: number, poll: number, prevPoll: number, firstOfEpoch: boolean, evidence: RestartEvidence | undefined, expected: number): Pass {
		const sized = <T>(): T[] => (expected > 0 ? new Array<T>(expected) : []);
		return {
			at,
			poll,
			prevPoll,
			firstOfEpoch,
			evidence,
			stamp: ++this.stamp,
			tracked: sized(),
			order: this.oneShot ? [] : sized(),
			guess: 0,
			placesOf: sized(),
			n: 0,
			accs: [],
			newIds: [],
			anyMinutes: false,
		};
	}

	private track(pass: Pass, gs: readonly Goroutine[]): void {
		const {at, poll, prevPoll, firstOfEpoch, evidence, stamp, tracked, order, placesOf, accs, newIds} = pass;
		const records = this.records;
		const previous = this.order;
		let guess = pass.guess;
		let count = pass.n;
		let anyMinutes = false;
		const by = this.stackBy;
		const stuckAfterMs = this.stuckAfterMs;
		const stuckAfterPolls = this.stuckAfterPolls;
		const periodicTrusted = this.minutesSeen;
		const baseline = this.baseline;
		const strings = this.places.strings;
		const intern = (text: string): string => strings.intern(text);
		const oneShot = this.oneShot;
		for (let i = 0; i < gs.length; i++) {
			const g = gs[i]!;
			if (g.waitMinutes > 0) anyMinutes = true;
			let rec = oneShot ? undefined : previous[guess];
			if (!oneShot && (rec === undefined || rec.id !== g.id)) rec = records.get(g.id);
			if (rec !== undefined && rec.lastPoll !== poll) guess = rec.slot + 1;
			if (evidence) {
				if (g.id > evidence.max) evidence.max = g.id;
				evidence.count++;
				if (rec !== undefined && rec.lastPoll === prevPoll) {
					evidence.common++;
					if (!g.truncated && creatorContradicts(rec, g)) evidence.contradictions++;
				} else if (rec === undefined || rec.lastPoll !== poll) {
					evidence.fresh++;
					if (g.id * 2 < evidence.prevMax) evidence.freshLow++;
				}
			}
			let isNew = false;
			if (rec === undefined) {
				const place = this.places.placeOf(g, at);
				rec = {
					id: g.id,
					place,
					parentId: g.createdBy?.parentId,
					firstSeen: at,
					sameSince: at,
					samePolls: 1,
					lastPoll: poll,
					lastAt: at,
					lastMinutes: g.waitMinutes,
					periodic: false,
					stuck: false,
					creatorReturned: false,
					view: undefined,
					viewPlace: undefined,
					viewFacts: -1,
					viewRawLength: -1,
					slot: -1,
				};
				// One poll only: the record lives for this pass (a file's dumps are cut at a repeated id already: latestDump).
				if (!oneShot) records.set(g.id, rec);
				if (!firstOfEpoch) {
					isNew = true;
					newIds.push(g.id);
				}
			} else if (rec.lastPoll === poll) {
				continue; // the same id twice in one dump: keep the first
			} else {
				if (g.truncated || stillAtPlace(rec.place, g)) {
					rec.place.lastUsedAt = at;
					if (g.waitMinutes < rec.lastMinutes && !g.truncated) {
						// Go's wait clock went back at the same place: it woke and parked again.
						rec.sameSince = at;
						rec.samePolls = 1;
						rec.periodic = true;
						if (rec.stuck) rec.place.lastStuckExitAt = at;
					} else {
						rec.samePolls++;
					}
				} else {
					if (rec.stuck) rec.place.lastStuckExitAt = at;
					rec.place = this.places.placeOf(g, at);
					rec.sameSince = at;
					rec.samePolls = 1;
					rec.periodic = false;
				}
				rec.lastPoll = poll;
				rec.lastAt = at;
				rec.lastMinutes = g.waitMinutes;
			}

			const place = rec.place;
			const k = count++;
			rec.slot = k;
			if (!oneShot) order[k] = rec;
			let view: Goroutine;
			if (this.keepArgs) {
				view = g;
			} else {
				const facts = viewFacts(g);
				const rawLength = g.rawState.length;
				// Labels by identity: the parser shares one frozen object per header text (Go 1.27 prints them by default).
				if (
					rec.view !== undefined &&
					facts >= 0 &&
					facts === rec.viewFacts &&
					rec.viewPlace === place &&
					rawLength === rec.viewRawLength &&
					rec.view.labels === g.labels
				) {
					view = rec.view;
				} else {
					view = compactView(g, place, intern);
					if (!oneShot) rec.view = view;
					rec.viewPlace = place;
					rec.viewFacts = facts;
					rec.viewRawLength = rawLength;
				}
			}
			const waiting = place.waiting;
			const goMs = g.waitMinutes * 60_000;
			const observed = at - rec.sameSince;
			if (waiting && periodicTrusted && !rec.periodic && g.waitMinutes === 0 && observed > PERIODIC_AFTER_MS) {
				rec.periodic = true;
				if (rec.stuck) place.lastStuckExitAt = at;
			}
			const periodic = rec.periodic;
			const waitMs = waiting ? (periodic ? goMs : Math.max(observed, goMs)) : 0;
			// Stuck means something only where leaks live: blocked in user code, not a known-benign
			// loop (accept, connection, signal, runtime, a library's own), not seen waking (a timer select).
			const stuck =
				waiting &&
				place.leakShaped &&
				!periodic &&
				(stuckAfterMs === undefined ? rec.samePolls >= stuckAfterPolls || g.waitMinutes >= 1 : waitMs >= stuckAfterMs);
			rec.stuck = stuck;
			const idle = place.benign !== undefined || periodic;

			let acc: PlaceAcc;
			if (place.scratchPoll === stamp) {
				acc = accs[place.scratchIndex]!;
			} else {
				place.scratchPoll = stamp;
				place.scratchIndex = accs.length;
				acc = newAcc(place, view);
				accs.push(acc);
			}
			acc.ids[acc.count++] = g.id;
			if (rec.parentId !== undefined) acc.withParent++;
			if (waitMs < acc.minWaitMs) acc.minWaitMs = waitMs;
			if (waitMs > acc.maxWaitMs) acc.maxWaitMs = waitMs;
			if (waitMs > acc.sampleWaitMs) {
				acc.sampleWaitMs = waitMs;
				acc.sample = view;
			}
			if (idle) acc.idle++;
			// Go 1.26 marks main parked in `select {}` (leaked) too: never a proven leak (isDeliberatePark).
			if (g.leaked && !place.deliberatePark) acc.leaked++;
			if (place.leakShaped && !periodic) {
				acc.leakShaped++;
				if (g.waitMinutes > acc.maxMinutes) acc.maxMinutes = g.waitMinutes;
				if (baseline !== undefined && !baseline.has(g.id)) acc.sinceBaseline++;
			}
			if (stuck) {
				acc.stuck++;
				if (place.leakShaped && !periodic) {
					acc.leakStuck++;
					if (rec.firstSeen > this.epochStartAt) acc.stuckNewcomers++;
					if (waitMs > acc.stuckMaxWaitMs) acc.stuckMaxWaitMs = waitMs;
				}
			}

			tracked[k] = {
				g: view,
				firstSeen: rec.firstSeen,
				sameSince: rec.sameSince,
				samePolls: rec.samePolls,
				stuck,
				waitMs,
				isNew,
				groupKey: place.keys[by],
				siteKey: place.site,
				where: place.where,
				stateClass: place.stateClass,
				idle,
			};
			placesOf[k] = place;
		}

		if (anyMinutes) pass.anyMinutes = true;
		pass.guess = guess;
		pass.n = count;
	}

	/**
	 * A debug=1 profile between full dumps: the total moves, and each group takes its share of the
	 * profile (see profile-counts.ts) so counts, trends and growth keep moving. Members, waits and
	 * stuck marks stay those of the last full dump: debug=1 has no ids.
	 */
	updateProfile(records: ProfileRecord[], at: number): ModelSnapshot {
		let total = 0;
		for (const record of records) total += record.count;
		// debug=1 has no states: the groups' shares carry their states (before any full dump, the last mix).
		let states = this.lastStates;
		const accs = this.lastAccs;
		if (accs.length > 0) {
			const shares = profileShares(
				accs.map(acc => stackKey(acc.place.frames)),
				accs.map(acc => acc.count),
				records,
			);
			const counts = new Map<PlaceAcc, number>();
			states = {};
			for (let i = 0; i < accs.length; i++) {
				const acc = accs[i]!;
				const count = shares.counts[i]!;
				counts.set(acc, count);
				if (count > 0) states[acc.place.state] = (states[acc.place.state] ?? 0) + count;
			}
			this.profileCounts = counts;
			this.recordGroups(accs, at, at - this.forgetAfterMs);
		}
		this.totals.record(total, states, this.poll);
		this.lastAt = at;
		this.current = {...this.build(this.lastTracked), at, total, states, newIds: [], goneIds: [], restarted: false};
		return this.current;
	}

	/**
	 * One history point per group under every key (so switching keys keeps its trend). One-shot
	 * records the current key only: a report prints one grouping, and a group with no trend reads
	 * as one point anyway (buildGroups), so regrouping one poll still gives the same groups.
	 */
	private recordGroups(accs: readonly PlaceAcc[], at: number, forgetBefore: number): void {
		for (const key of this.oneShot ? [this.stackBy] : GROUP_BYS) {
			const counts = new Map<string, number>();
			for (const acc of accs) {
				const k = acc.place.keys[key];
				counts.set(k, (counts.get(k) ?? 0) + this.countOf(acc));
			}
			this.histories[key].record(counts, at, forgetBefore);
		}
		this.siteHistory.record(
			siteCounts(accs, acc => this.countOf(acc)),
			at,
			forgetBefore,
		);
	}

	/** A place's count: from the last full dump, or its share of the debug=1 profile read since. */
	private countOf(acc: PlaceAcc): number {
		return this.profileCounts?.get(acc) ?? acc.count;
	}

	/** The stack grouping under the current one (a label grouping's goroutines still have places). */
	private get stackBy(): StackGroupBy {
		return labelKeyOf(this.groupBy) === undefined ? (this.groupBy as StackGroupBy) : 'stack';
	}

	setGroupBy(by: GroupBy): ModelSnapshot {
		this.groupBy = by;
		const label = labelKeyOf(by);
		const stackBy = this.stackBy;
		const tracked =
			label === undefined ? this.lastTracked.map((t, i) => ({...t, groupKey: this.lastPlaces[i]!.keys[stackBy]})) : relabel(this.lastTracked, label);
		this.lastTracked = tracked;
		this.current = this.build(tracked);
		return this.current;
	}

	private newEpoch(at: number): void {
		this.epoch++;
		this.epochPolls = 0;
		this.epochStartAt = at;
		this.records.clear();
		this.order = [];
		for (const key of GROUP_BYS) this.histories[key].clear();
		this.siteHistory.clear();
		this.labelHistory.clear();
		this.leaks = leakMatcher([]);
		this.minutesSeen = false;
	}

	private build(tracked: TrackedGoroutine[]): ModelSnapshot {
		return runSteps(this.buildSteps(tracked));
	}

	private *buildSteps(tracked: TrackedGoroutine[]): Generator<void, ModelSnapshot> {
		const countOf = (acc: PlaceAcc): number => this.countOf(acc);
		const label = labelKeyOf(this.groupBy);
		const by = this.stackBy;
		const groups =
			label === undefined
				? buildGroups(this.lastAccs, {by, history: this.histories[by], countOf})
				: buildLabelGroups(tracked, this.lastPlaces, label, this.labelHistory);
		groups.sort(compareGroups);
		yield;
		// One suspect per blocking site, judged from this poll's members and the sites' histories.
		const sites = this.siteHistory;
		const ranked = rankSites(siteMembers(this.lastAccs, countOf), {
			aliveIn: idsAliveIn(this.lastTracked),
			leakThreshold: this.leakThreshold,
			by,
			now: this.lastAt,
			recentSince: this.lastAt - this.windowMs,
			baseline: this.baseline !== undefined,
			growth: site => sites.growthStory(site),
			growthPerMin: site => sites.trend(site)?.growthPerMin ?? 0,
		});
		const suspects = label === undefined ? ranked : suspectsInLabelGroups(ranked, tracked, this.lastPlaces);
		return {
			epoch: this.epoch,
			poll: this.poll,
			at: this.lastAt,
			total: tracked.length,
			states: {...this.lastStates},
			goroutines: tracked,
			groups,
			suspects,
			totalHistory: this.totals.totalArray(),
			stateHistory: this.totals.stateArrays(),
			newIds: this.lastNew,
			goneIds: this.lastGone,
			restarted: this.lastRestarted,
		};
	}
}

/** The poll's goroutines keyed by one label (`label:tenant`): the labels object is shared per header text, so each is keyed once. */
function relabel(tracked: readonly TrackedGoroutine[], labelKey: string): TrackedGoroutine[] {
	const keys = new Map<object | undefined, string>();
	return tracked.map(t => {
		let key = keys.get(t.g.labels);
		if (key === undefined) {
			key = labelGroup(labelKey, t.g.labels).key;
			keys.set(t.g.labels, key);
		}
		return key === t.groupKey ? t : {...t, groupKey: key};
	});
}

/** Under a label grouping, a suspect's groups are the label groups its goroutines are in, largest first. */
function suspectsInLabelGroups(suspects: readonly Suspect[], tracked: readonly TrackedGoroutine[], places: readonly Place[]): Suspect[] {
	if (suspects.length === 0) return [];
	const bySite = new Map<string, Map<string, number>>();
	for (let i = 0; i < tracked.length; i++) {
		const site = places[i]!.site;
		let groups = bySite.get(site);
		if (!groups) {
			groups = new Map();
			bySite.set(site, groups);
		}
		const key = tracked[i]!.groupKey;
		groups.set(key, (groups.get(key) ?? 0) + 1);
	}
	return suspects.map(suspect => {
		const groups = bySite.get(suspect.siteKey);
		if (!groups) return suspect;
		const groupKeys = [...groups].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key]) => key);
		return {...suspect, groupKey: groupKeys[0]!, groupKeys};
	});
}

/**
 * What creatorsGone reads of the records, for a one-shot tracker that keeps none: each goroutine's
 * parent id and place, from this poll's rows, built only when some leak-shaped place has members naming their parent.
 */
function oneShotRecords(
	accs: readonly PlaceAcc[],
	tracked: readonly TrackedGoroutine[],
	placesOf: readonly Place[],
	poll: number,
): ReadonlyMap<number, CreatorFacts> {
	const byId = new Map<number, CreatorFacts>();
	if (!accs.some(acc => acc.place.leakShaped && acc.place.creator && acc.withParent > 0)) return byId;
	for (let i = 0; i < tracked.length; i++) {
		const g = tracked[i]!.g;
		byId.set(g.id, {parentId: g.createdBy?.parentId, lastPoll: poll, place: placesOf[i]!});
	}
	return byId;
}

/** Runs a step-wise computation (endPoll, buildSteps) to its end at once. */
function runSteps<T>(steps: Generator<void, T>): T {
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}
