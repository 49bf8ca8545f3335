// What gmon knows across polls, as plain immutable data for the views and reports.
import type {StateClass} from '../dump/api.ts';
import type {Frame, Goroutine} from '../dump/types.ts';
import type {GrowthStory, Tier} from './verdict.ts';

export type {Tier};

/** A goroutine as seen across polls (ids are unique for the life of a process). */
export interface TrackedGoroutine {
	g: Goroutine;
	/** Epoch-ms when gmon first saw this id. */
	firstSeen: number;
	/** Epoch-ms since when it has been in the same state at the same place (state + frames' func:line). */
	sameSince: number;
	/** Consecutive polls it has been unchanged (1 = first time seen in this state/place). */
	samePolls: number;
	/** Unchanged for at least `stuckAfter` polls (or the duration form of it). */
	stuck: boolean;
	/** How long it has waited: max(gmon's observation, Go's `N minutes`), ms. */
	waitMs: number;
	/** First seen in this poll (marked for one refresh). */
	isNew: boolean;
	/** Key of the group it belongs to under the current group-by. */
	groupKey: string;
	/**
	 * Its blocking site (place.ts `site`): the suspect that applies to this goroutine is its site's,
	 * never its group's (a label or creator group holds goroutines of many sites).
	 */
	siteKey?: string;
	/** The frame in the user's own code where it is parked (falls back to the top frame). */
	where?: Frame;
	/** What its wait reason means (channel, sync, io, sleep, running, runtime, other). */
	stateClass: StateClass;
	/** Known-benign (accept/keep-alive loops, runtime workers, …) or seen waking periodically: --hide-idle hides it. */
	idle: boolean;
}

/** What groups can be keyed by, in the order `b` cycles through them; the first is the default. */
export const GROUP_BYS = ['stack', 'where', 'top', 'creator'] as const;
/** A grouping by the stack itself (every place knows its key under each). */
export type StackGroupBy = (typeof GROUP_BYS)[number];
/**
 * `label:tenant`: by the value of one pprof label key; goroutines without that label are a group
 * of their own. The live view offers each key the dump carries after the stack groupings.
 */
export type LabelGroupBy = `label:${string}`;
export type GroupBy = StackGroupBy | LabelGroupBy;

/** The label key a grouping is by, or undefined for a stack grouping. */
export function labelKeyOf(by: GroupBy): string | undefined {
	return by.startsWith('label:') ? by.slice('label:'.length) : undefined;
}

/** A group's key and its text under a label grouping: `tenant=acme`, or `no tenant` for the goroutines without one. */
export function labelGroup(key: string, labels: Readonly<Record<string, string>> | undefined): {key: string; label: string} {
	const value = labels?.[key];
	const label = value === undefined ? `no ${key}` : `${key}=${value}`;
	// The NUL keeps `label:` keys apart from every stack key and from each other (a value may hold anything).
	return {key: `label:${key}\u0000${value === undefined ? '' : `=${value}`}`, label};
}

export interface Group {
	key: string;
	by: GroupBy;
	count: number;
	/** state → count within the group. */
	states: Record<string, number>;
	/** The most common state. */
	state: string;
	/** A representative member (the one with the longest wait). */
	sample: Goroutine;
	where?: Frame;
	ids: number[];
	minWaitMs: number;
	maxWaitMs: number;
	/** Count per poll, oldest first, bounded. */
	history: number[];
	/** Count change since the group first appeared (in this epoch). */
	growth: number;
	/** Count change per minute over the recent window (JSON only: people read growthStory, see verdict.ts describeGrowth). */
	growthPerMin: number;
	/** How the count rose over the recent window, poll by poll (undefined: it did not rise). */
	growthStory?: GrowthStory;
	/** Count change since the previous poll. */
	delta: number;
	/** How many members are stuck. */
	stuck: number;
	/** Members marked (leaked) by Go's goroutineleak profile. */
	leaked: number;
	/** True when every member is known-benign (idle accept loops, runtime workers, …). */
	idle: boolean;
	/** Class of the most common state. */
	stateClass: StateClass;
	/** Under a label grouping: what the members share (`tenant=acme`, or `no tenant`). */
	label?: string;
}

/** A leak suspect: ONE blocking site (the user frame where goroutines are parked + the wait). */
export interface Suspect {
	/** The site: wait + user frame (see place.ts). Stable across polls and runs. */
	siteKey: string;
	/** The first of groupKeys (the group a view lands on). */
	groupKey: string;
	/** Every group under the current group-by whose goroutines stand at this site (its stack variants under 'stack'). */
	groupKeys: string[];
	/** Distinct stacks (places) that reach the site. */
	variants: number;
	/** proven (Go's leak profile), likely, possible: see verdict.ts. */
	tier: Tier;
	count: number;
	state: string;
	where?: Frame;
	/** ONE sentence, the same in every view and output: "likely leak: 27 goroutines in chan send at leaks.go:81 — …". */
	reason: string;
	/** tier === 'proven': Go's goroutineleak profile marked these (leaked). */
	proven: boolean;
	score: number;
	/** Stuck members (blocked in user code, not benign). */
	stuck: number;
	/** Members proven leaked by Go's goroutineleak profile. */
	leaked: number;
	/** Count change per minute over the recent window (JSON only: people read growthStory). */
	growthPerMin: number;
	/** How the site's count rose over the recent window (undefined: it did not rise). */
	growthStory?: GrowthStory;
	/** Longest wait among the stuck members, ms. */
	maxWaitMs: number;
}

/** One poll's view of the model: everything the UI and the reports draw from. */
export interface ModelSnapshot {
	/** Increments when the target restarts (goroutine ids start over). */
	epoch: number;
	/** Poll number within the model's life. */
	poll: number;
	at: number;
	total: number;
	/** state → count. */
	states: Record<string, number>;
	goroutines: TrackedGoroutine[];
	groups: Group[];
	suspects: Suspect[];
	/** Total count per poll, oldest first, bounded. */
	totalHistory: number[];
	/** state → count per poll, oldest first, bounded (same length as totalHistory). */
	stateHistory: Record<string, number[]>;
	newIds: number[];
	goneIds: number[];
	/** This poll detected a restart and began a new epoch. */
	restarted: boolean;
}

/** A group's (or a blocking site's) state: the one most of its goroutines are in, the first of equals; `fallback` when none. */
export function mostCommonState(counts: Iterable<readonly [string, number]>, fallback: string): string {
	let state = fallback;
	let most = -1;
	for (const [s, n] of counts) {
		if (n > most) {
			most = n;
			state = s;
		}
	}
	return state;
}

/** The model's order of groups: largest first, then by key, so equal counts never swap between polls. */
export function compareGroups(a: Pick<Group, 'count' | 'key'>, b: Pick<Group, 'count' | 'key'>): number {
	return b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
