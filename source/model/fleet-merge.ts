// Several targets' snapshots as ONE snapshot, so the live view's lists, sorts, filters, stacks and
// tree work on a fleet as they do on one process. Groups merge by their key and suspects by their
// site: both are content (function, file, line, state), the same in every replica of a binary.
// Goroutine ids are made unique per target (fleet-ids.ts). Beside the snapshot: each merged
// group's count per target (the per-target column), and each suspect's targets. Pure.
import type {Goroutine} from '../dump/types.ts';
import {fleetId} from './fleet-ids.ts';
import {compareGroups, mostCommonState, type Group, type ModelSnapshot, type Suspect, type TrackedGoroutine} from './types.ts';
import {describeGrowth, reasonParts, suspectScore, tierRank, type GrowthStory} from './verdict.ts';

export interface FleetPart {
	/** The target's place in the fleet (fixed for the run: its goroutine ids depend on it). */
	index: number;
	/** How the target is named in cells and sentences (short; see fleetLabels). */
	label: string;
	snapshot: ModelSnapshot;
}

export interface FleetMerge {
	model: ModelSnapshot;
	/** Group key → goroutines per target, by target index (length: the fleet's size). */
	groupCounts: Map<string, number[]>;
	/** Site key → goroutines per target, by target index. */
	suspectCounts: Map<string, number[]>;
}

/** target's goroutines with fleet ids; target 0 keeps its objects (its ids are already fleet ids). */
const remapped = new WeakMap<ModelSnapshot, {index: number; goroutines: TrackedGoroutine[]; groups: Group[]}>();

function remapGoroutine(index: number, g: Goroutine): Goroutine {
	const createdBy = g.createdBy?.parentId === undefined ? g.createdBy : {...g.createdBy, parentId: fleetId(index, g.createdBy.parentId)};
	return {...g, id: fleetId(index, g.id), ...(createdBy ? {createdBy} : {})};
}

function remapSnapshot(index: number, snapshot: ModelSnapshot): {goroutines: TrackedGoroutine[]; groups: Group[]} {
	if (index === 0) return snapshot;
	const cached = remapped.get(snapshot);
	if (cached?.index === index) return cached;
	// One copy per goroutine object, so a group's sample is the same object as its tracked goroutine's.
	const copies = new Map<Goroutine, Goroutine>();
	const copy = (g: Goroutine): Goroutine => {
		let out = copies.get(g);
		if (!out) {
			out = remapGoroutine(index, g);
			copies.set(g, out);
		}
		return out;
	};
	const goroutines = snapshot.goroutines.map(t => ({...t, g: copy(t.g)}));
	const groups = snapshot.groups.map(group => ({...group, sample: copy(group.sample), ids: group.ids.map(id => fleetId(index, id))}));
	const entry = {index, goroutines, groups};
	remapped.set(snapshot, entry);
	return entry;
}

/**
 * Several targets' growth as one story: the rises summed, from the first rise to the last (each
 * target's rising poll counts as a step, so two bursts on two targets read as two, never as one).
 */
function mergeGrowth(stories: ReadonlyArray<GrowthStory | undefined>): GrowthStory | undefined {
	let out: GrowthStory | undefined;
	for (const story of stories) {
		if (!story) continue;
		out = out
			? {
					added: out.added + story.added,
					steps: out.steps + story.steps,
					firstRiseAt: Math.min(out.firstRiseAt, story.firstRiseAt),
					lastRiseAt: Math.max(out.lastRiseAt, story.lastRiseAt),
				}
			: story;
	}
	return out;
}

/** Series of different lengths summed with their latest points aligned (the polls are not in step). */
function sumAligned(series: ReadonlyArray<readonly number[]>): number[] {
	const length = Math.max(0, ...series.map(s => s.length));
	const out = new Array<number>(length).fill(0);
	for (const s of series) for (let i = 0; i < s.length; i++) out[length - s.length + i]! += s[i]!;
	return out;
}

function mergeGroups(list: ReadonlyArray<{index: number; group: Group}>): Group {
	let best = list[0]!.group;
	const states: Record<string, number> = {};
	let count = 0;
	let stuck = 0;
	let leaked = 0;
	let growth = 0;
	let growthPerMin = 0;
	let delta = 0;
	let minWaitMs = Infinity;
	let maxWaitMs = 0;
	const ids: number[] = [];
	for (const {group} of list) {
		if (group.maxWaitMs > best.maxWaitMs) best = group;
		count += group.count;
		stuck += group.stuck;
		leaked += group.leaked;
		growth += group.growth;
		growthPerMin += group.growthPerMin;
		delta += group.delta;
		minWaitMs = Math.min(minWaitMs, group.minWaitMs);
		maxWaitMs = Math.max(maxWaitMs, group.maxWaitMs);
		for (const [state, n] of Object.entries(group.states)) states[state] = (states[state] ?? 0) + n;
		for (const id of group.ids) ids.push(id);
	}
	const {growthStory: _best, ...rest} = best;
	const growthStory = mergeGrowth(list.map(({group}) => group.growthStory));
	return {
		...rest,
		...(growthStory ? {growthStory} : {}),
		count,
		states,
		state: mostCommonState(Object.entries(states), best.state),
		ids,
		minWaitMs: minWaitMs === Infinity ? 0 : minWaitMs,
		maxWaitMs,
		history: sumAligned(list.map(({group}) => group.history)),
		growth,
		growthPerMin,
		delta,
		stuck,
		leaked,
		idle: list.every(({group}) => group.idle),
	};
}

/** The evidence part of a suspect's score (verdict.ts suspectScore packs tier, count and evidence). */
const evidenceOf = (score: number): number => score % 1000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The target whose count rose most in the window, the latest riser of equals (undefined: none rose). */
function mostGrown<T extends {suspect: Suspect}>(list: readonly T[]): (T & {suspect: {growthStory: GrowthStory}}) | undefined {
	let out: (T & {suspect: {growthStory: GrowthStory}}) | undefined;
	for (const item of list) {
		const story = item.suspect.growthStory;
		if (!story) continue;
		const best = out?.suspect.growthStory;
		if (!best || story.added > best.added || (story.added === best.added && story.lastRiseAt > best.lastRiseAt))
			out = item as T & {suspect: {growthStory: GrowthStory}};
	}
	return out;
}

/**
 * One suspect for a site over the targets that have it: the strongest tier, the counts summed, the
 * score by the one rule (verdict.ts) on the summed count. Its sentence says how many targets have it
 * and where it grew most, told as the one growth story (verdict.ts describeGrowth: "on 2 of 3
 * targets, +12 in one burst 1m ago on b"; "only on b of 3 targets"), before the why.
 */
function mergeSuspects(list: ReadonlyArray<{label: string; at: number; suspect: Suspect}>, targets: number): Suspect {
	const bestItem = list.reduce((a, b) => (b.suspect.score > a.suspect.score ? b : a));
	const best = bestItem.suspect;
	let tier = best.tier;
	let count = 0;
	let stuck = 0;
	let leaked = 0;
	let growthPerMin = 0;
	let maxWaitMs = 0;
	let variants = 0;
	let evidence = 0;
	const groupKeys: string[] = [];
	for (const {suspect} of list) {
		if (tierRank(suspect.tier) > tierRank(tier)) tier = suspect.tier;
		count += suspect.count;
		stuck += suspect.stuck;
		leaked += suspect.leaked;
		growthPerMin += suspect.growthPerMin;
		maxWaitMs = Math.max(maxWaitMs, suspect.maxWaitMs);
		variants = Math.max(variants, suspect.variants);
		evidence = Math.max(evidence, evidenceOf(suspect.score));
		for (const key of suspect.groupKeys) if (!groupKeys.includes(key)) groupKeys.push(key);
	}
	const grown = mostGrown(list);
	const {head, why: ownWhy} = reasonParts(best.reason);
	// The growth is told once, with the target it happened on (below): not again as one target's own.
	const ownStory = best.growthStory ? describeGrowth(best.growthStory, bestItem.at) : undefined;
	const kept = ownWhy
		?.split('; ')
		.filter(fragment => fragment !== ownStory)
		.join('; ');
	const why = kept === '' ? undefined : kept;
	// The head names the site with one target's count: the fleet's count replaces it.
	const fleetHead = head.replace(/^(\w+ leak: )\d+ goroutines?\b/, (_all, lead: string) => `${lead}${plural(count, 'goroutine')}`);
	const story = grown ? describeGrowth(grown.suspect.growthStory, grown.at) : undefined;
	const spread =
		list.length === 1
			? `only on ${list[0]!.label} of ${plural(targets, 'target')}${story ? `, ${story}` : ''}`
			: `on ${list.length} of ${plural(targets, 'target')}${story ? `, ${story} on ${grown!.label}` : ''}`;
	const {growthStory: _best, ...rest} = best;
	const growthStory = mergeGrowth(list.map(({suspect}) => suspect.growthStory));
	return {
		...rest,
		...(growthStory ? {growthStory} : {}),
		groupKeys,
		groupKey: groupKeys[0] ?? best.groupKey,
		variants,
		tier,
		count,
		reason: `${fleetHead} — ${spread}${why === undefined ? '' : `; ${why}`}`,
		proven: tier === 'proven',
		score: suspectScore(tier, count, evidence),
		stuck,
		leaked,
		growthPerMin,
		maxWaitMs,
	};
}

/**
 * The parts as one snapshot (parts without a snapshot yet are left out by the caller). `targets`
 * is the fleet's size: per-target counts are indexed by target, and sentences say "of N targets".
 * One part (the view filtered to one target) keeps its suspects' own sentences.
 */
export function mergeFleet(parts: readonly FleetPart[], targets: number): FleetMerge {
	const goroutines: TrackedGoroutine[] = [];
	const groupsByKey = new Map<string, Array<{index: number; group: Group}>>();
	const sitesByKey = new Map<string, Array<{index: number; label: string; at: number; suspect: Suspect}>>();
	const states: Record<string, number> = {};
	const newIds: number[] = [];
	const goneIds: number[] = [];
	let total = 0;
	let at = 0;
	let poll = 0;
	let epoch = 1;
	let restarted = false;
	for (const {index, label, snapshot} of parts) {
		const {goroutines: mine, groups} = remapSnapshot(index, snapshot);
		for (const t of mine) goroutines.push(t);
		for (const group of groups) {
			const list = groupsByKey.get(group.key);
			if (list) list.push({index, group});
			else groupsByKey.set(group.key, [{index, group}]);
		}
		for (const suspect of snapshot.suspects) {
			const list = sitesByKey.get(suspect.siteKey);
			if (list) list.push({index, label, at: snapshot.at, suspect});
			else sitesByKey.set(suspect.siteKey, [{index, label, at: snapshot.at, suspect}]);
		}
		for (const [state, n] of Object.entries(snapshot.states)) states[state] = (states[state] ?? 0) + n;
		for (const id of snapshot.newIds) newIds.push(fleetId(index, id));
		for (const id of snapshot.goneIds) goneIds.push(fleetId(index, id));
		total += snapshot.total;
		at = Math.max(at, snapshot.at);
		poll += snapshot.poll;
		epoch = Math.max(epoch, snapshot.epoch);
		restarted ||= snapshot.restarted;
	}
	const perTarget = <T>(list: ReadonlyArray<{index: number} & T>, countOf: (item: T) => number): number[] => {
		const counts = new Array<number>(targets).fill(0);
		for (const item of list) counts[item.index]! += countOf(item);
		return counts;
	};
	const groupCounts = new Map<string, number[]>();
	const groups: Group[] = [];
	for (const [key, list] of groupsByKey) {
		groups.push(list.length === 1 ? list[0]!.group : mergeGroups(list));
		groupCounts.set(
			key,
			perTarget(list, ({group}) => group.count),
		);
	}
	groups.sort(compareGroups);
	const suspectCounts = new Map<string, number[]>();
	const suspects: Suspect[] = [];
	for (const [site, list] of sitesByKey) {
		// Filtered to one target: its own suspects, sentences and all (the filter already says which).
		suspects.push(parts.length === 1 ? list[0]!.suspect : mergeSuspects(list, targets));
		suspectCounts.set(
			site,
			perTarget(list, ({suspect}) => suspect.count),
		);
	}
	suspects.sort((a, b) => b.score - a.score);
	const stateNames = new Set(parts.flatMap(({snapshot}) => Object.keys(snapshot.stateHistory)));
	const stateHistory: Record<string, number[]> = {};
	// A state one target never had counts 0 over that target's polls, so every series stays as long as totalHistory.
	for (const state of stateNames) {
		stateHistory[state] = sumAligned(parts.map(({snapshot}) => snapshot.stateHistory[state] ?? new Array<number>(snapshot.totalHistory.length).fill(0)));
	}
	return {
		model: {
			epoch,
			poll,
			at,
			total,
			states,
			goroutines,
			groups,
			suspects,
			totalHistory: sumAligned(parts.map(({snapshot}) => snapshot.totalHistory)),
			stateHistory,
			newIds,
			goneIds,
			restarted,
		},
		groupCounts,
		suspectCounts,
	};
}
