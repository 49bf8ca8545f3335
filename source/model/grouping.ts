// Grouping, and the facts suspects are judged by: a poll's goroutines arrive per place (one
// interned stack + state + creator, see place.ts) as accumulators; a group is the places that share
// a key under the current --group-by, with its counts, waits and trend. Suspects are judged per
// blocking site (suspects.ts): the same accumulators, one SiteMember per leak-shaped place.
import type {Goroutine} from '../dump/types.ts';
import type {GroupHistory} from './group-history.ts';
import type {Place} from './place.ts';
import type {SiteMember} from './suspects.ts';
import type {GrowthStory} from './verdict.ts';
import {labelGroup, mostCommonState, type Group, type StackGroupBy, type TrackedGoroutine} from './types.ts';

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
	/** Go's largest `N minutes` among the leak-shaped members. */
	maxMinutes: number;
	/** Leak-shaped members whose creating function has returned (identity.ts, creatorsGone). */
	creatorGone: number;
	/** Leak-shaped members whose creator could be checked at all. */
	creatorKnown: number;
	/** Leak-shaped members absent from the --baseline dump. */
	sinceBaseline: number;
	/** Members whose creator's goroutine id is known (Go 1.21+ `in goroutine N`): creatorsGone looks each of those up; the rest are judged together. */
	withParent: number;
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
		maxMinutes: 0,
		creatorGone: 0,
		creatorKnown: 0,
		sinceBaseline: 0,
		withParent: 0,
		minWaitMs: Infinity,
		maxWaitMs: 0,
		sample: g,
		sampleWaitMs: -1,
	};
}

export interface GroupingInput {
	by: StackGroupBy;
	/** The trends under `by`. */
	history: GroupHistory;
	/** A place's count: from the last full dump, or its share of a debug=1 profile read since. */
	countOf(acc: PlaceAcc): number;
}

/** The groups of one poll, unsorted. */
export function buildGroups(accs: readonly PlaceAcc[], {by, history, countOf}: GroupingInput): Group[] {
	const merged = new Map<string, PlaceAcc[]>();
	for (const acc of accs) {
		const key = acc.place.keys[by];
		const list = merged.get(key);
		if (list) list.push(acc);
		else merged.set(key, [acc]);
	}
	const groups: Group[] = [];
	for (const [key, list] of merged) {
		let count = 0;
		// Members seen in the last full dump (count differs after a debug=1 profile).
		let members = 0;
		let stuck = 0;
		let leaked = 0;
		let idle = 0;
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
			minWaitMs = Math.min(minWaitMs, acc.minWaitMs);
			maxWaitMs = Math.max(maxWaitMs, acc.maxWaitMs);
			if (acc.sampleWaitMs > best.sampleWaitMs) best = acc;
			states[acc.place.state] = (states[acc.place.state] ?? 0) + countOf(acc);
			if (list.length > 1) for (const id of acc.ids) ids.push(id);
		}
		// Gone by the profile read since the last full dump.
		if (count === 0 && members > 0) continue;
		const state = mostCommonState(Object.entries(states), best.place.state);
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
			...growthOf(history, key),
			delta: trend?.delta ?? count,
			// A group that shrank since (per the profile) cannot have more stuck or leaked than it has.
			stuck: Math.min(stuck, count),
			leaked: Math.min(leaked, count),
			idle: idle === members,
			stateClass: best.place.stateClass,
		};
		groups.push(group);
	}
	return groups;
}

/**
 * The facts for suspects: every place where a leak can live (leak-shaped, or proven by Go anywhere),
 * counted as its group counts it (its share of a debug=1 profile read since the last full dump).
 */
export function siteMembers(accs: readonly PlaceAcc[], countOf: (acc: PlaceAcc) => number): SiteMember[] {
	const members: SiteMember[] = [];
	for (const acc of accs) {
		if (!acc.place.leakShaped && acc.leaked === 0) continue;
		const count = countOf(acc);
		members.push(count === acc.count ? acc : {...acc, count});
	}
	return members;
}

/** Goroutines per blocking site, for the sites' count history (the growth story). */
export function siteCounts(accs: readonly PlaceAcc[], countOf: (acc: PlaceAcc) => number): Map<string, number> {
	const sites = new Map<string, number>();
	for (const acc of accs) if (acc.place.leakShaped) sites.set(acc.place.site, (sites.get(acc.place.site) ?? 0) + countOf(acc));
	return sites;
}

/**
 * How many of the poll's goroutines have ids in [min, max] (verdict.ts, accumulated: an id in a gap
 * that the dump does not hold belonged to a goroutine that has exited). The ids are sorted once, on
 * the first question.
 */
export function idsAliveIn(tracked: readonly TrackedGoroutine[]): (min: number, max: number) => number {
	let sorted: Float64Array | undefined;
	// accumulated() asks about the gaps of a site's sorted ids in ascending order: each search starts
	// where the last one ended and gallops forward (a few steps), instead of halving the whole dump twice a gap.
	let cursor = 0;
	const lowerBound = (value: number): number => {
		const all = sorted!;
		let lo = cursor > 0 && all[cursor - 1]! < value ? cursor : 0;
		let step = 1;
		let hi = lo;
		while (hi < all.length && all[hi]! < value) {
			lo = hi + 1;
			hi += step;
			step *= 2;
		}
		hi = Math.min(hi, all.length);
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (all[mid]! < value) lo = mid + 1;
			else hi = mid;
		}
		cursor = lo;
		return lo;
	};
	return (min, max) => {
		if (!sorted) {
			sorted = new Float64Array(tracked.length);
			for (let i = 0; i < tracked.length; i++) sorted[i] = tracked[i]!.g.id;
			sorted.sort();
		}
		const from = lowerBound(min);
		return lowerBound(max + 1) - from;
	};
}

/**
 * The groups under a label grouping (`label:tenant`): one per value of the key, one for the
 * goroutines without it. Built from this poll's goroutines (a label is per goroutine, not per
 * place), `places` parallel to them. Counts are the last full dump's (debug=1 carries no labels).
 */
export function buildLabelGroups(tracked: readonly TrackedGoroutine[], places: readonly Place[], labelKey: string, history: GroupHistory): Group[] {
	const merged = new Map<string, {label: string; members: number[]}>();
	for (let i = 0; i < tracked.length; i++) {
		const t = tracked[i]!;
		let entry = merged.get(t.groupKey);
		if (!entry) {
			entry = {label: labelGroup(labelKey, t.g.labels).label, members: []};
			merged.set(t.groupKey, entry);
		}
		entry.members.push(i);
	}
	const groups: Group[] = [];
	for (const [key, {label, members}] of merged) {
		const states: Record<string, number> = {};
		const ids: number[] = [];
		let stuck = 0;
		let leaked = 0;
		let idle = 0;
		let minWaitMs = Infinity;
		let maxWaitMs = 0;
		let best = members[0]!;
		for (const i of members) {
			const t = tracked[i]!;
			ids.push(t.g.id);
			states[t.g.state] = (states[t.g.state] ?? 0) + 1;
			if (t.stuck) stuck++;
			if (t.g.leaked && !places[i]!.deliberatePark) leaked++;
			if (t.idle) idle++;
			minWaitMs = Math.min(minWaitMs, t.waitMs);
			maxWaitMs = Math.max(maxWaitMs, t.waitMs);
			if (t.waitMs > tracked[best]!.waitMs) best = i;
		}
		const sample = tracked[best]!;
		const count = members.length;
		const trend = history.trend(key);
		groups.push({
			key,
			by: `label:${labelKey}`,
			label,
			count,
			states,
			state: mostCommonState(Object.entries(states), sample.g.state),
			sample: sample.g,
			...(sample.where ? {where: sample.where} : {}),
			ids,
			minWaitMs: minWaitMs === Infinity ? 0 : minWaitMs,
			maxWaitMs,
			history: trend?.history ?? [count],
			growth: trend?.growth ?? 0,
			growthPerMin: trend?.growthPerMin ?? 0,
			...growthOf(history, key),
			// Chosen since the last poll: no change is known yet (not "+count").
			delta: trend?.delta ?? 0,
			stuck,
			leaked,
			idle: idle === count,
			stateClass: places[best]!.stateClass,
		});
	}
	return groups;
}

/** Goroutines per label group, for the label grouping's trends. */
export function labelCounts(tracked: readonly TrackedGoroutine[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const t of tracked) counts.set(t.groupKey, (counts.get(t.groupKey) ?? 0) + 1);
	return counts;
}

/** The group's growth story, as an optional field (absent when the count did not rise). */
function growthOf(history: GroupHistory, key: string): {growthStory?: GrowthStory} {
	const story = history.growthStory(key);
	return story ? {growthStory: story} : {};
}
