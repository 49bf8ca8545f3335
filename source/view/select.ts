// From a ModelSnapshot and the UI state to the rows a list shows: filter (state, idle, fuzzy,
// group), sort, and the window of visible rows around a selection that follows its key.
// Each step is cached on its inputs, so a key press that only moves the cursor costs a Map
// lookup and a slice, and a new poll costs one sort and one filter pass.
import type {Frame, Goroutine} from '../dump/types.ts';
import type {Group, ModelSnapshot, Suspect, TrackedGoroutine} from '../model/types.ts';
import {baseName} from '../dump/names.ts';
import {buildCreatorTree, flattenTree, indexTree, lastStep, type CreatorNode, type FlatNode} from '../model/creator-tree.ts';
import {FuzzyIndex} from './fuzzy.ts';
import {SearchTexts} from './search-texts.ts';
import {nextSlots, type StateSlot} from './state-slots.ts';
import type {GoroutinesView, GroupsView, Selection, SortSpec, TreeView, UiState} from './types.ts';
import {goroutineNumber} from '../model/fleet-ids.ts';
import {goroutineSuspect, suspectLookup} from './suspect-of.ts';

export interface ListResult<T> {
	/** The whole filtered, sorted list (not only the visible rows). */
	items: readonly T[];
	/** Cursor row in `items` (0 when empty). */
	index: number;
	/** First visible row. */
	top: number;
	/** The selected row vanished from the target (not merely filtered out): what it was. */
	gone?: string;
}

/** The function a goroutine is parked in: its user frame, else its top frame. */
export function whereFunc(t: TrackedGoroutine): string {
	return t.where?.func ?? t.g.frames[0]?.func ?? '';
}

export function whereFrame(t: TrackedGoroutine) {
	return t.where ?? t.g.frames[0];
}

export function groupWhere(group: Group) {
	return group.where ?? group.sample.frames[0];
}

/** The first visible row that keeps `index` on screen, moving `top` as little as possible. */
export function windowTop(index: number, top: number, length: number, viewport: number): number {
	if (viewport <= 0 || length <= viewport) return 0;
	let t = Math.min(Math.max(top, index - viewport + 1), index);
	t = Math.max(0, Math.min(t, length - viewport));
	return t;
}

/** One cached computation: recomputes only when an input changed (by identity). */
function memo<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
	let lastArgs: A | undefined;
	let last: R;
	return (...args: A) => {
		if (lastArgs && lastArgs.length === args.length && lastArgs.every((a, i) => a === args[i])) return last;
		last = fn(...args);
		lastArgs = args;
		return last;
	};
}

export function groupSearchText(group: Group): string {
	const frame = groupWhere(group);
	const file = frame?.file ? `${baseName(frame.file)}:${frame.line}` : '';
	return `${group.label === undefined ? '' : `${group.label} `}${group.state} ${frame?.func ?? ''} ${file} ${group.sample.createdBy?.func ?? ''}`;
}

/** The pprof label keys the goroutines carry, sorted (each shared labels object read once): what `b` can group by. */
export function labelKeys(goroutines: readonly TrackedGoroutine[]): string[] {
	const seen = new Set<object>();
	const keys = new Set<string>();
	for (const t of goroutines) {
		const labels = t.g.labels;
		if (!labels || seen.has(labels)) continue;
		seen.add(labels);
		for (const key of Object.keys(labels)) keys.add(key);
	}
	return [...keys].sort();
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** By file, then line: the `file` sort of both lists. */
function compareLocation(a: Frame | undefined, b: Frame | undefined): number {
	return compareText(a?.file ?? '', b?.file ?? '') || (a?.line ?? 0) - (b?.line ?? 0);
}

/** How loudly a row says "leak": 3 proven, 2 suspect, 1 stuck, 0 otherwise. */
function leakTier(t: TrackedGoroutine, suspects: Map<string, Suspect>): number {
	const suspect = goroutineSuspect(t, suspects);
	if (t.g.leaked || suspect?.proven) return 3;
	if (suspect) return 2;
	return t.stuck ? 1 : 0;
}

function groupLeakTier(group: Group, suspect: Suspect | undefined): number {
	if (suspect?.proven || group.leaked > 0) return 3;
	if (suspect) return 2;
	return group.stuck > 0 && !group.idle ? 1 : 0;
}

function sortGoroutines(list: readonly TrackedGoroutine[], sort: SortSpec, groups: Map<string, Group>, suspects: Map<string, Suspect>): TrackedGoroutine[] {
	const dir = sort.desc ? -1 : 1;
	let primary: (a: TrackedGoroutine, b: TrackedGoroutine) => number;
	switch (sort.key) {
		case 'leak':
			primary = (a, b) =>
				leakTier(a, suspects) - leakTier(b, suspects) ||
				(goroutineSuspect(a, suspects)?.score ?? 0) - (goroutineSuspect(b, suspects)?.score ?? 0) ||
				a.waitMs - b.waitMs;
			break;
		case 'id':
			primary = () => 0;
			break;
		case 'state':
			primary = (a, b) => compareText(a.g.state, b.g.state);
			break;
		case 'wait':
			primary = (a, b) => a.waitMs - b.waitMs;
			break;
		case 'function':
			primary = (a, b) => compareText(whereFunc(a), whereFunc(b));
			break;
		case 'file':
			primary = (a, b) => compareLocation(whereFrame(a), whereFrame(b));
			break;
		case 'count':
			primary = (a, b) => (groups.get(a.groupKey)?.count ?? 0) - (groups.get(b.groupKey)?.count ?? 0);
			break;
		case 'growth':
			primary = (a, b) => (groups.get(a.groupKey)?.growth ?? 0) - (groups.get(b.groupKey)?.growth ?? 0);
			break;
	}
	// Ties always by id ascending, so equal rows never swap places between polls.
	const idDir = sort.key === 'id' ? dir : 1;
	return list.slice().sort((a, b) => dir * primary(a, b) || idDir * (a.g.id - b.g.id));
}

function sortGroups(list: readonly Group[], sort: SortSpec, suspects: Map<string, Suspect>): Group[] {
	const dir = sort.desc ? -1 : 1;
	let primary: (a: Group, b: Group) => number;
	switch (sort.key) {
		case 'leak':
			primary = (a, b) => {
				const sa = suspects.get(a.key);
				const sb = suspects.get(b.key);
				return groupLeakTier(a, sa) - groupLeakTier(b, sb) || (sa?.score ?? 0) - (sb?.score ?? 0) || a.count - b.count;
			};
			break;
		case 'id':
		case 'count':
			primary = (a, b) => a.count - b.count;
			break;
		case 'growth':
			primary = (a, b) => a.growth - b.growth || a.delta - b.delta;
			break;
		case 'wait':
			primary = (a, b) => a.maxWaitMs - b.maxWaitMs;
			break;
		case 'state':
			primary = (a, b) => compareText(a.state, b.state);
			break;
		case 'function':
			primary = (a, b) => compareText(groupWhere(a)?.func ?? '', groupWhere(b)?.func ?? '');
			break;
		case 'file':
			primary = (a, b) => compareLocation(groupWhere(a), groupWhere(b));
			break;
	}
	return list.slice().sort((a, b) => dir * primary(a, b) || compareText(a.key, b.key));
}

function distinct(texts: Iterable<string>): string[] {
	return [...new Set(texts)];
}

/**
 * Where `key` sits in `items`, remembering the last answer: a linear scan costs ~1 ms at 100k
 * rows, far less than building a 100k-entry Map on every filter keystroke or poll.
 */
function keyFinder<T, K>(toKey: (key: string) => K, keyOf: (item: T) => K) {
	let lastItems: readonly T[] | undefined;
	let lastKey: string | undefined;
	let lastIndex: number | undefined;
	return (items: readonly T[], key: string | undefined, hint: number): number | undefined => {
		if (key === undefined) return undefined;
		if (items === lastItems && key === lastKey) return lastIndex;
		let found: number | undefined;
		const want = toKey(key);
		// The row is usually where it was: look there first.
		if (items[hint] !== undefined && keyOf(items[hint]!) === want) found = hint;
		else {
			const i = items.findIndex(item => keyOf(item) === want);
			found = i === -1 ? undefined : i;
		}
		lastItems = items;
		lastKey = key;
		lastIndex = found;
		return found;
	};
}

/** Resolves a selection against a list: follow the key, else keep the neighbourhood. */
function resolve<T>(items: readonly T[], found: number | undefined, sel: Selection, viewport: number): {index: number; top: number; found: boolean} {
	const index = items.length === 0 ? 0 : (found ?? Math.max(0, Math.min(sel.index, items.length - 1)));
	return {index, top: windowTop(index, sel.top, items.length, viewport), found: found !== undefined};
}

export interface Selector {
	goroutines(model: ModelSnapshot | undefined, ui: UiState, view: GoroutinesView, viewport: number): ListResult<TrackedGoroutine>;
	groups(model: ModelSnapshot | undefined, ui: UiState, view: GroupsView, viewport: number): ListResult<Group>;
	/** The tree by creator's visible rows (the filters apply; folded nodes hide their children). */
	tree(model: ModelSnapshot | undefined, ui: UiState, view: TreeView, viewport: number): ListResult<FlatNode>;
	/** A node of the tree under the current filters, by key. */
	treeNode(model: ModelSnapshot | undefined, ui: UiState, key: string): CreatorNode | undefined;
	/** States in header order: numbered slots that do not move between polls, plus any filtered-on state without one. */
	stateOrder(model: ModelSnapshot | undefined, ui: UiState): string[];
	groupsByKey(model: ModelSnapshot | undefined): Map<string, Group>;
	suspectsByKey(model: ModelSnapshot | undefined): Map<string, Suspect>;
	goroutineById(model: ModelSnapshot | undefined, id: number): TrackedGoroutine | undefined;
	/** The parser's own goroutine `id` (with args) from the dump's list, if it is there. */
	rawGoroutine(raw: readonly Goroutine[] | undefined, id: number): Goroutine | undefined;
	/**
	 * The group `key` names, or after `b` regrouped (the grouping is no longer `by`) the group that
	 * now holds one of `anchors` (goroutines of the old group): the same goroutines under the new key.
	 */
	followGroup(model: ModelSnapshot | undefined, key: string, by?: string, anchors?: readonly number[]): Group | undefined;
	/** Whether any goroutine of the dump carries pprof labels (the stack view says when none does). */
	anyLabels(model: ModelSnapshot | undefined): boolean;
	/** Digits of the largest goroutine id, so the ID column is as wide as it needs. */
	idDigits(model: ModelSnapshot | undefined): number;
	/** The fuzzy index (exposed for tests and the bench). */
	readonly fuzzy: FuzzyIndex;
}

const noGoroutines: TrackedGoroutine[] = [];
const noGroups: Group[] = [];
const noSuspects: Suspect[] = [];

/** One selector per App: its caches (including prepared fuzzy targets) live as long as the App. */
export function createSelector(): Selector {
	const fuzzy = new FuzzyIndex();
	const groupFuzzy = new FuzzyIndex();

	const groupsByKey = memo((groups: readonly Group[]) => new Map(groups.map(group => [group.key, group])));
	// A suspect is one blocking site; under the current group-by it may span several groups (its stack variants).
	// By site too: a goroutine's suspect is its own site's (suspect-of.ts).
	const suspectsByKey = memo(suspectLookup);
	const idDigits = memo((list: readonly TrackedGoroutine[]) => {
		let max = 0;
		for (const t of list) if (goroutineNumber(t.g.id) > max) max = goroutineNumber(t.g.id);
		return String(max).length;
	});
	const anyLabels = memo((list: readonly TrackedGoroutine[]) => list.some(t => t.g.labels !== undefined));
	const byId = memo((list: readonly TrackedGoroutine[]) => new Map(list.map(t => [t.g.id, t])));
	const groupTexts = memo((list: readonly Group[]) => distinct(list.map(groupSearchText)));
	const sortedGoroutines = memo(
		(list: readonly TrackedGoroutine[], key: SortSpec['key'], desc: boolean, groups: readonly Group[], suspects: readonly Suspect[]) =>
			sortGoroutines(list, {key, desc}, groupsByKey(groups), suspectsByKey(suspects)),
	);
	const sortedGroups = memo((list: readonly Group[], key: SortSpec['key'], desc: boolean, suspects: readonly Suspect[]) =>
		sortGroups(list, {key, desc}, suspectsByKey(suspects)),
	);
	const texts = new SearchTexts();
	// Search-text ids in the sorted order, once per poll and sort (only while a query is typed).
	const textIds = memo((sorted: readonly TrackedGoroutine[]) => texts.idsOf(sorted));
	/** Which text ids match; call after textIds(), so `texts` holds every text the ids name. */
	const matchedIds = (query: string): Uint8Array => {
		const hits = fuzzy.match(query, texts.texts);
		const matched = new Uint8Array(texts.texts.length);
		texts.texts.forEach((text, id) => {
			if (hits.has(text)) matched[id] = 1;
		});
		return matched;
	};
	const filterGoroutines = (
		sorted: readonly TrackedGoroutine[],
		groups: readonly Group[],
		states: string,
		hideIdle: boolean,
		query: string,
		group: string | undefined,
		only: ReadonlySet<number> | undefined,
	) => {
		const stateSet = states === '' ? undefined : new Set(states.split('\u0000'));
		const idle = hideIdle ? new Set(groups.filter(g => g.idle).map(g => g.key)) : undefined;
		const ids = query.trim() === '' ? undefined : textIds(sorted);
		const matched = ids ? matchedIds(query) : undefined;
		if (!stateSet && !idle && !matched && group === undefined && !only) return sorted;
		const out: TrackedGoroutine[] = [];
		for (let i = 0; i < sorted.length; i++) {
			const t = sorted[i]!;
			if (group !== undefined && t.groupKey !== group) continue;
			if (only && !only.has(t.g.id)) continue;
			if (stateSet && !stateSet.has(t.g.state)) continue;
			if (idle && (t.idle || idle.has(t.groupKey))) continue;
			if (matched && ids && matched[ids[i]!] !== 1) continue;
			out.push(t);
		}
		return out;
	};
	const filteredGoroutines = memo(filterGoroutines);
	// The tree's own cache: the members list of a node filters as well, and one cache would thrash.
	const treeFiltered = memo(filterGoroutines);
	const filteredGroups = memo((sorted: readonly Group[], all: readonly Group[], states: string, hideIdle: boolean, query: string) => {
		const stateSet = states === '' ? undefined : new Set(states.split('\u0000'));
		const matches = query.trim() === '' ? undefined : groupFuzzy.match(query, groupTexts(all));
		if (!stateSet && !hideIdle && !matches) return sorted;
		return sorted.filter(
			group =>
				(!stateSet || Object.keys(group.states).some(state => stateSet.has(state))) &&
				(!hideIdle || !group.idle) &&
				(!matches || matches.has(groupSearchText(group))),
		);
	});
	// One goroutine looked up per render of the stack view: a scan (~1 ms at 100k), remembered.
	const rawById = memo((raw: readonly Goroutine[], id: number) => raw.find(g => g.id === id));
	const findGoroutine = keyFinder(Number, (t: TrackedGoroutine) => t.g.id);
	const findGroup = keyFinder(String, (group: Group) => group.key);
	const findNode = keyFinder(String, (row: FlatNode) => row.node.key);
	// The tree is built from the filtered list (so a filter shows only the paths to what matches)
	// with every goroutine of the dump at hand to place the parents.
	const buildTree = (shown: readonly TrackedGoroutine[], all: readonly TrackedGoroutine[], suspects: readonly Suspect[]) => {
		const ids = byId(all);
		const bySuspect = suspectsByKey(suspects);
		return buildCreatorTree({shown, byId: id => ids.get(id), tierOf: t => leakTier(t, bySuspect)});
	};
	const treeRoots = memo(buildTree);
	const treeRootsAll = memo(buildTree);
	const treeIndex = memo((roots: readonly CreatorNode[]) => indexTree(roots));
	const treeIndexAll = memo((roots: readonly CreatorNode[]) => indexTree(roots));
	const flatTree = memo((roots: readonly CreatorNode[], folded: readonly string[] | undefined) => flattenTree(roots, new Set(folded)));
	const nodeMembers = memo((node: CreatorNode | undefined) => (node ? new Set(node.ids) : new Set<number>()));
	/** The tree of what the filters leave, and (for a gone node) of everything. */
	const shownGoroutines = (model: ModelSnapshot | undefined, ui: UiState, unfiltered = false): readonly TrackedGoroutine[] => {
		const all = model?.goroutines ?? noGoroutines;
		const groups = model?.groups ?? noGroups;
		const sort = ui.sort.goroutines;
		const sorted = sortedGoroutines(all, sort.key, sort.desc, groups, model?.suspects ?? noSuspects);
		if (unfiltered) return sorted;
		return treeFiltered(sorted, groups, ui.states.join('\u0000'), ui.hideIdle, ui.query, undefined, undefined);
	};
	const rootsOf = (model: ModelSnapshot | undefined, ui: UiState, unfiltered = false) =>
		(unfiltered ? treeRootsAll : treeRoots)(shownGoroutines(model, ui, unfiltered), model?.goroutines ?? noGoroutines, model?.suspects ?? noSuspects);
	// Slots, not a sort per poll: the 1–9 keys must mean the same state from one poll to the next
	// (see state-slots.ts). Advanced once per snapshot, however often a frame asks.
	let slots: StateSlot[] = [];
	let slotsModel: ModelSnapshot | undefined;
	const stateOrder = memo((current: readonly StateSlot[], selected: readonly string[]) => {
		const order = current.map(slot => slot.state);
		for (const state of selected) if (!order.includes(state)) order.push(state);
		return order;
	});

	const followGroup = (model: ModelSnapshot | undefined, key: string, by?: string, anchors?: readonly number[]): Group | undefined => {
		const byKey = groupsByKey(model?.groups ?? noGroups);
		const found = byKey.get(key);
		const now = model?.groups[0]?.by;
		if (found || by === undefined || now === undefined || now === by || !anchors) return found;
		const ids = byId(model?.goroutines ?? noGoroutines);
		for (const id of anchors) {
			const moved = ids.get(id)?.groupKey;
			if (moved !== undefined) return byKey.get(moved);
		}
		return undefined;
	};

	return {
		fuzzy,
		followGroup,
		goroutines(model, ui, view, viewport) {
			const all = model?.goroutines ?? noGoroutines;
			const groups = model?.groups ?? noGroups;
			const sort = ui.sort.goroutines;
			const sorted = sortedGoroutines(all, sort.key, sort.desc, groups, model?.suspects ?? noSuspects);
			const only = view.node === undefined ? undefined : nodeMembers(treeIndex(rootsOf(model, ui)).get(view.node));
			const group = view.group === undefined ? undefined : (followGroup(model, view.group, view.groupBy, view.anchors)?.key ?? view.group);
			const items = filteredGoroutines(sorted, groups, ui.states.join('\u0000'), ui.hideIdle, ui.query, group, only);
			const {index, top, found} = resolve(items, findGoroutine(items, view.sel.key, view.sel.index), view.sel, viewport);
			const key = view.sel.key;
			const gone = !found && key !== undefined && model && !byId(all).has(Number(key)) ? `goroutine ${key}` : undefined;
			return gone === undefined ? {items, index, top} : {items, index, top, gone};
		},
		groups(model, ui, view, viewport) {
			const all = model?.groups ?? noGroups;
			const sort = ui.sort.groups;
			const sorted = sortedGroups(all, sort.key, sort.desc, model?.suspects ?? noSuspects);
			const items = filteredGroups(sorted, all, ui.states.join('\u0000'), ui.hideIdle, ui.query);
			let at = findGroup(items, view.sel.key, view.sel.index);
			// `b` regrouped since the key was taken: the old key names no group now, yet nothing is
			// gone. The group that holds the same goroutine is the same place; failing that, the row.
			const regrouped = view.sel.by !== undefined && all[0] !== undefined && all[0].by !== view.sel.by;
			if (at === undefined && regrouped && view.sel.anchor !== undefined) {
				const moved = byId(model?.goroutines ?? noGoroutines).get(view.sel.anchor)?.groupKey;
				const i = moved === undefined ? -1 : items.findIndex(group => group.key === moved);
				if (i >= 0) at = i;
			}
			const {index, top, found} = resolve(items, at, view.sel, viewport);
			const key = view.sel.key;
			const gone = !found && !regrouped && key !== undefined && model && !groupsByKey(all).has(key) ? 'group' : undefined;
			return gone === undefined ? {items, index, top} : {items, index, top, gone};
		},
		tree(model, ui, view, viewport) {
			const items = flatTree(rootsOf(model, ui), ui.folded);
			let at = findNode(items, view.sel.key, view.sel.index);
			// Its path changed (the request that started a worker ended: its creator now stands in
			// for it): the same group is the same item, wherever it hangs now.
			if (at === undefined && view.sel.key !== undefined) {
				const step = lastStep(view.sel.key);
				const moved = items.findIndex(row => lastStep(row.node.key) === step);
				if (moved >= 0) at = moved;
			}
			const {index, top, found} = resolve(items, at, view.sel, viewport);
			const key = view.sel.key;
			// Gone only when no goroutine of the dump is on that path any more (not merely filtered out).
			const gone = !found && key !== undefined && model && !treeIndexAll(rootsOf(model, ui, true)).has(key) ? 'tree node' : undefined;
			return gone === undefined ? {items, index, top} : {items, index, top, gone};
		},
		treeNode(model, ui, key) {
			return treeIndex(rootsOf(model, ui)).get(key);
		},
		stateOrder(model, ui) {
			if (model && model !== slotsModel) {
				slots = nextSlots(slots, model.states, model.at, ui.states);
				slotsModel = model;
			}
			return stateOrder(slots, ui.states);
		},
		groupsByKey(model) {
			return groupsByKey(model?.groups ?? noGroups);
		},
		suspectsByKey(model) {
			return suspectsByKey(model?.suspects ?? []);
		},
		rawGoroutine(raw, id) {
			return raw ? rawById(raw, id) : undefined;
		},
		anyLabels(model) {
			return anyLabels(model?.goroutines ?? noGoroutines);
		},
		idDigits(model) {
			return idDigits(model?.goroutines ?? noGoroutines);
		},
		goroutineById(model, id) {
			return byId(model?.goroutines ?? noGoroutines).get(id);
		},
	};
}
