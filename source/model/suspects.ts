// Suspects: ONE per blocking site (the user frame where goroutines are parked + the wait), with
// its stack variants inside it, each judged by verdict.ts. Anchor: Uber's LeakProf — leaks are
// goroutines parked at one channel operation in the service's own code, counted per site, not
// per stack (one leak reached from 23 callers is one leak).
// Go's goroutineleak profile outranks every heuristic: `(leaked)` goroutines are proven.
import type {Frame} from '../dump/types.ts';
import type {Place} from './place.ts';
import {mostCommonState, type StackGroupBy, type Suspect} from './types.ts';
import {canonicalState} from '../dump/classify.ts';
import {accumulated, judgeSite, primitiveOf, siteLocation, type GrowthStory} from './verdict.ts';

/** One place's members in the poll, as grouping.ts aggregated them (a PlaceAcc). */
export interface SiteMember {
	place: Place;
	/** Members now (a debug=1 profile read since the full dump may have moved it). */
	count: number;
	ids: readonly number[];
	leaked: number;
	leakShaped: number;
	leakStuck: number;
	stuckNewcomers: number;
	stuckMaxWaitMs: number;
	maxMinutes: number;
	creatorGone: number;
	creatorKnown: number;
	sinceBaseline: number;
}

export interface SiteOptions {
	/** LeakProf's count rule: this many goroutines at one site weigh as a pile-up on their own. */
	leakThreshold: number;
	/** The stack grouping the groupKeys are under (a label grouping maps them after, tracker.ts). */
	by: StackGroupBy;
	now: number;
	/** Epoch-ms from which a stuck member leaving the site clears the growth signal. */
	recentSince: number;
	baseline: boolean;
	growth(site: string): GrowthStory | undefined;
	growthPerMin(site: string): number;
	/** How many goroutines of this poll have ids in [min, max]. */
	aliveIn(min: number, max: number): number;
}

interface Site {
	key: string;
	members: SiteMember[];
}

/** Suspects, best first: proven, then likely, then possible; by score inside a tier, then by key. */
export function rankSites(all: readonly SiteMember[], options: SiteOptions): Suspect[] {
	const sites = new Map<string, Site>();
	for (const m of all) {
		// A site is where a leak can live: blocked in user code, not benign (or proven by Go anywhere).
		if (m.count === 0 || (!m.place.leakShaped && m.leaked === 0)) continue;
		const site = sites.get(m.place.site);
		if (site) site.members.push(m);
		else sites.set(m.place.site, {key: m.place.site, members: [m]});
	}
	const out: Suspect[] = [];
	for (const site of sites.values()) {
		const suspect = judge(site, options);
		if (suspect) out.push(suspect);
	}
	out.sort((a, b) => b.score - a.score || (a.siteKey < b.siteKey ? -1 : a.siteKey > b.siteKey ? 1 : 0));
	return out;
}

function judge(site: Site, options: SiteOptions): Suspect | undefined {
	let count = 0;
	let leaked = 0;
	let neverWakes = false;
	let maxMinutes = 0;
	let creatorGone = 0;
	let creatorKnown = 0;
	let stuckNewcomers = 0;
	let stuck = 0;
	let maxWaitMs = 0;
	let sinceBaseline = 0;
	let leftRecently = false;
	const ids: number[] = [];
	const groupKeys: string[] = [];
	const states = new Map<string, number>();
	let best = site.members[0]!;
	for (const m of site.members) {
		count += m.count;
		leaked += m.leaked;
		if (m.place.neverWakes && m.leakShaped > 0) neverWakes = true;
		maxMinutes = Math.max(maxMinutes, m.maxMinutes);
		creatorGone += m.creatorGone;
		creatorKnown += m.creatorKnown;
		stuckNewcomers += m.stuckNewcomers;
		stuck += m.leakStuck;
		maxWaitMs = Math.max(maxWaitMs, m.stuckMaxWaitMs);
		sinceBaseline += m.sinceBaseline;
		if (m.place.lastStuckExitAt > options.recentSince) leftRecently = true;
		for (const id of m.ids) ids.push(id);
		const key = m.place.keys[options.by];
		if (!groupKeys.includes(key)) groupKeys.push(key);
		states.set(m.place.state, (states.get(m.place.state) ?? 0) + m.count);
		if (m.count > best.count) best = m;
	}
	const printed = mostCommonState(states, best.place.state);
	// `semacquire` (Go ≤1.19/1.23) reads as the primitive it is, so every Go version says the same.
	const state = canonicalState(printed, best.place.frames);
	const where: Frame | undefined = best.place.where;
	const spread = accumulated(ids, options.aliveIn);
	const growth = options.growth(site.key);
	const verdict = judgeSite({
		state,
		primitive: primitiveOf(state, best.place.frames),
		location: siteLocation(where),
		count,
		leaked: Math.min(leaked, count),
		neverWakes,
		maxMinutes,
		creatorGone,
		creatorKnown,
		accumulated: spread.accumulated,
		idSpan: spread.span,
		interleaved: spread.interleaved,
		stuckNewcomers: Math.min(stuckNewcomers, count),
		leftRecently,
		...(options.baseline ? {sinceBaseline} : {}),
		...(growth ? {growth} : {}),
		leakThreshold: options.leakThreshold,
		now: options.now,
	});
	if (!verdict) return undefined;
	return {
		siteKey: site.key,
		groupKey: groupKeys[0]!,
		groupKeys,
		variants: site.members.length,
		tier: verdict.tier,
		count,
		state,
		...(where ? {where} : {}),
		reason: verdict.reason,
		proven: verdict.tier === 'proven',
		score: verdict.score,
		stuck: Math.min(stuck, count),
		leaked: Math.min(leaked, count),
		growthPerMin: options.growthPerMin(site.key),
		...(growth ? {growthStory: growth} : {}),
		maxWaitMs,
	};
}
