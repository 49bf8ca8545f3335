// Grouping, and the facts suspects are judged by: a poll's goroutines arrive per place (one
// interned stack + state + creator, see place.ts) as accumulators; a group is the places that share
// a key under the current --group-by, with its counts, waits, trend and the facts rankSuspects reads.
import type {Goroutine} from '../dump/types.ts';
import type {GroupHistory} from './group-history.ts';
import type {Place} from './place.ts';
import type {GroupFacts} from './suspects.ts';
import type {Group, GroupBy} from './types.ts';

/** One place's members in the current poll. */
export interface PlaceAcc {
	place: Place;
	count: number;
	ids: number[];
	stuck: number;
	leakShaped: number;
	leakStuck: number;
	stuckNewcomers: number;
	stuckMaxWaitMs: number;
	leaked: number;
	idle: number;
	minWaitMs: number;
	maxWaitMs: number;
	sample: Goroutine;
	sampleWaitMs: number;
}

export function newAcc(place: Place, g: Goroutine): PlaceAcc {
	return {
		place,
		count: 0,
		ids: place.lastCount > 0 ? new Array<number>(place.lastCount) : [],
		stuck: 0,
		leakShaped: 0,
		leakStuck: 0,
		stuckNewcomers: 0,
		stuckMaxWaitMs: 0,
		leaked: 0,
		idle: 0,
		minWaitMs: Infinity,
		maxWaitMs: 0,
		sample: g,
		sampleWaitMs: -1,
	};
}

export interface GroupingInput {
	by: GroupBy;
	/** The trends under `by`. */
	history: GroupHistory;
	/** A place's count: from the last full dump, or its share of a debug=1 profile read since. */
	countOf(acc: PlaceAcc): number;
	/** A stuck member that left a place after this time (epoch-ms) makes its group not a suspect. */
	recentSince: number;
}

/** The groups of one poll, unsorted, and the facts for suspects, one per group. */
export function buildGroups(accs: readonly PlaceAcc[], {by, history, countOf, recentSince}: GroupingInput): {groups: Group[]; facts: GroupFacts[]} {
	const merged = new Map<string, PlaceAcc[]>();
	for (const acc of accs) {
		const key = acc.place.keys[by];
		const list = merged.get(key);
		if (list) list.push(acc);
		else merged.set(key, [acc]);
	}
	const groups: Group[] = [];
	const facts: GroupFacts[] = [];
	for (const [key, list] of merged) {
		let count = 0;
		// Members seen in the last full dump (count differs after a debug=1 profile).
		let members = 0;
		let stuck = 0;
		let leaked = 0;
		let idle = 0;
		let leakStuck = 0;
		let leakShaped = 0;
		let stuckNewcomers = 0;
		let stuckMaxWaitMs = 0;
		let minWaitMs = Infinity;
		let maxWaitMs = 0;
		let best = list[0]!;
		const states: Record<string, number> = {};
		const ids: number[] = [];
		for (const acc of list) {
			count += countOf(acc);
			members += acc.count;
			stuck += acc.stuck;
			leaked += acc.leaked;
			idle += acc.idle;
			leakStuck += acc.leakStuck;
			leakShaped += acc.leakShaped;
			stuckNewcomers += acc.stuckNewcomers;
			stuckMaxWaitMs = Math.max(stuckMaxWaitMs, acc.stuckMaxWaitMs);
			minWaitMs = Math.min(minWaitMs, acc.minWaitMs);
			maxWaitMs = Math.max(maxWaitMs, acc.maxWaitMs);
			if (acc.sampleWaitMs > best.sampleWaitMs) best = acc;
			states[acc.place.state] = (states[acc.place.state] ?? 0) + countOf(acc);
			if (list.length > 1) for (const id of acc.ids) ids.push(id);
		}
		// Gone by the profile read since the last full dump.
		if (count === 0 && members > 0) continue;
		let state = best.place.state;
		let most = -1;
		for (const [s, n] of Object.entries(states)) {
			if (n > most) {
				most = n;
				state = s;
			}
		}
		const trend = history.trend(key);
		const group: Group = {
			key,
			by,
			count,
			states,
			state,
			sample: best.sample,
			where: best.place.where,
			// One place (the usual case under 'stack'): its id list as is (never written after its poll).
			ids: list.length === 1 ? list[0]!.ids : ids,
			minWaitMs: minWaitMs === Infinity ? 0 : minWaitMs,
			maxWaitMs,
			history: trend?.history ?? [count],
			growth: trend?.growth ?? 0,
			growthPerMin: trend?.growthPerMin ?? 0,
			delta: trend?.delta ?? count,
			// A group that shrank since (per the profile) cannot have more stuck or leaked than it has.
			stuck: Math.min(stuck, count),
			leaked: Math.min(leaked, count),
			idle: idle === members,
			stateClass: best.place.stateClass,
		};
		groups.push(group);
		facts.push({
			group,
			leakShaped,
			leakStuck: Math.min(leakStuck, count),
			stuckNewcomers: Math.min(stuckNewcomers, count),
			stuckMaxWaitMs,
			neverWakes: list.some(acc => acc.place.neverWakes && acc.leakShaped > 0),
			stuckLeftRecently: list.some(acc => acc.place.lastStuckExitAt > recentSince),
		});
	}
	return {groups, facts};
}
