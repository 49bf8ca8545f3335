// The UI reducer: every key press becomes one of these intents. Pure: the current model and
// the screen size come in as `env`, so the same (state, action, env) always gives the same state.
import type {Frame, Goroutine} from '../dump/types.ts';
import type {Group, ModelSnapshot, TrackedGoroutine} from '../model/types.ts';
import type {LeakProof} from '../model/proof.ts';
import type {Selector} from './select.ts';
import {withoutUnsafe} from '../text/sanitize.ts';
import {helpMaxScroll} from './chrome.ts';
import {truncateEnd} from '../text/fit.ts';
import {goroutineStackLines, groupStackLines, type Line} from './stack-lines.ts';
import {goroutineNumber} from '../model/fleet-ids.ts';
import {goroutineSuspect} from './suspect-of.ts';
import type {FrameSource, SourceText} from './source-lines.ts';
import {
	defaultDesc,
	goroutineSorts,
	groupSorts,
	type Action,
	type GoroutinesView,
	type GroupsView,
	type ListKind,
	type Nav,
	type Selection,
	type StackView,
	type TreeView,
	type UiState,
	type View,
} from './types.ts';

export interface Env {
	model: ModelSnapshot | undefined;
	/**
	 * The parser's goroutines of the dump the model was built from (PollerState.last.dump): the
	 * model keeps arg-less frames to stay small, so the stack view takes the args from here.
	 */
	raw?: readonly Goroutine[] | undefined;
	/**
	 * Several targets: a goroutine's parser copy (with args) by its fleet id, from its own target's
	 * latest dump (view/fleet.ts fleetRawLookup). Used instead of `raw`, by the stack view and `y` alike.
	 */
	rawOf?: (id: number) => Goroutine | undefined;
	/** Several targets: their short labels (the ON column's), for a group's members per target. */
	targetLabels?: readonly string[];
	/** Rows between header and footer. Lists spend one of them on the column header. */
	bodyRows: number;
	columns: number;
	select: Selector;
	/** How many targets the view watches (default 1): `T` cycles through them. */
	targets?: number;
	/** Several targets: which of them a goroutine runs on or a group is found on, for the stack view. */
	onTargets?: (target: StackView['target']) => string | undefined;
	/** Whether Go's leak profile stands behind the verdicts (watch/proof.ts): a suspect's stack view says when not. */
	proof?: LeakProof | undefined;
	/** The open stack's blocking frame's file, as the UI's reader has it (stackFrame says which file). */
	source?: SourceText | undefined;
}

/** Rows a list shows: the body minus its column header. */
export function listRows(bodyRows: number): number {
	return Math.max(1, bodyRows - 1);
}

export interface InitialUi {
	view?: ListKind;
	hideIdle?: boolean;
}

export function initialUiState(options: InitialUi = {}): UiState {
	const root: View = options.view === 'groups' ? {kind: 'groups', sel: {index: 0, top: 0}} : {kind: 'goroutines', sel: {index: 0, top: 0}};
	return {
		views: [root],
		sort: {goroutines: {key: 'leak', desc: true}, groups: {key: 'leak', desc: true}},
		states: [],
		query: '',
		editing: false,
		hideIdle: options.hideIdle ?? false,
		picker: 0,
	};
}

export function currentView(state: UiState): View {
	return state.views[state.views.length - 1]!;
}

/** The list a sort or filter applies to: the current view, or the list under a stack view. */
export function currentListKind(state: UiState): ListKind {
	for (let i = state.views.length - 1; i >= 0; i--) {
		const view = state.views[i]!;
		if (view.kind === 'goroutines' || view.kind === 'groups') return view.kind;
	}
	return 'goroutines';
}

function sameFrames(a: Goroutine, b: Goroutine): boolean {
	return a.frames.length === b.frames.length && a.frames.every((frame, i) => frame.func === b.frames[i]!.func && frame.line === b.frames[i]!.line);
}

/**
 * The parser's copy of `g` (with args) from the latest dump, when that goroutine still stands
 * where `g` does: ids start over when the target restarts, and a group that `b` regrouped away
 * is "gone" while its sample goroutine is still in the dump.
 */
function withArgs(g: Goroutine, env: Env): Goroutine | undefined {
	const raw = env.rawOf ? env.rawOf(g.id) : env.select.rawGoroutine(env.raw, g.id);
	return raw && sameFrames(raw, g) ? raw : undefined;
}

/** What a stack view shows: the goroutine (live, else as last seen) or the group (followed across `b`). */
function stackSubject(view: StackView, env: Env): {t: TrackedGoroutine; live: boolean} | {group: Group; live: boolean} | undefined {
	if (view.target.type === 'goroutine') {
		const live = env.select.goroutineById(env.model, view.target.id);
		const t = live ?? (view.last && 'g' in view.last ? view.last : undefined);
		return t ? {t, live: live !== undefined} : undefined;
	}
	const live = followedGroup(view, env);
	const group = live ?? (view.last && 'key' in view.last ? view.last : undefined);
	return group ? {group, live: live !== undefined} : undefined;
}

/**
 * The frame whose source a stack view shows and `e` opens: where the goroutine (or the group) is
 * blocked in the user's own code, else its top frame. Undefined when it has no file.
 */
export function stackFrame(view: StackView, env: Env): Frame | undefined {
	const subject = stackSubject(view, env);
	if (!subject) return undefined;
	const frame = 't' in subject ? (subject.t.where ?? subject.t.g.frames[0]) : (subject.group.where ?? subject.group.sample.frames[0]);
	return frame?.file ? frame : undefined;
}

/** The source to show under the blocking frame, when the UI has read that frame's file. */
function frameSource(view: StackView, env: Env): {source: FrameSource} | Record<string, never> {
	const frame = env.source ? stackFrame(view, env) : undefined;
	return frame && env.source?.file === frame.file ? {source: {frame, text: env.source}} : {};
}

/** The stack view's lines, or undefined when there is nothing to show. */
export function stackContent(view: StackView, env: Env): {lines: Line[]; gone: boolean} {
	const content = stackLinesOf(view, env);
	// Several targets: which one(s), under the title.
	const on = content.lines.length > 0 ? env.onTargets?.(view.target) : undefined;
	if (on !== undefined) content.lines.splice(1, 0, {text: truncateEnd(on, env.columns), tone: 'accent'});
	return content;
}

function stackLinesOf(view: StackView, env: Env): {lines: Line[]; gone: boolean} {
	const {model, select, columns} = env;
	const subject = stackSubject(view, env);
	if (!subject) return {lines: [], gone: true};
	if ('t' in subject) {
		const {t} = subject;
		const raw = withArgs(t.g, env);
		const shown = raw ? {...t, g: raw} : t;
		// Its own site's suspect, never its group's (suspect-of.ts).
		const suspect = goroutineSuspect(t, select.suspectsByKey(model));
		return {
			lines: goroutineStackLines(shown, columns, {
				gone: !subject.live,
				argsKept: raw !== undefined,
				noLabels: !select.anyLabels(model),
				...(suspect ? {suspect} : {}),
				...(env.proof ? {proof: env.proof} : {}),
				...frameSource(view, env),
			}),
			gone: !subject.live,
		};
	}
	const {group} = subject;
	const raw = withArgs(group.sample, env);
	const shown = raw ? {...group, sample: raw} : group;
	const suspect = select.suspectsByKey(model).get(group.key);
	return {
		lines: groupStackLines(shown, columns, {
			gone: !subject.live,
			argsKept: raw !== undefined,
			...(suspect ? {suspect} : {}),
			...(model ? {now: model.at} : {}),
			...(env.proof ? {proof: env.proof} : {}),
			...(env.targetLabels ? {targetLabels: env.targetLabels} : {}),
			...frameSource(view, env),
		}),
		gone: !subject.live,
	};
}

function replaceTop(state: UiState, view: View): UiState {
	return {...state, views: [...state.views.slice(0, -1), view]};
}

function push(state: UiState, view: View): UiState {
	return {...state, views: [...state.views, view]};
}

function step(nav: Nav, page: number): number {
	switch (nav) {
		case 'up':
			return -1;
		case 'down':
			return 1;
		case 'pageUp':
			return -page;
		case 'pageDown':
			return page;
		case 'halfUp':
			return -Math.max(1, Math.floor(page / 2));
		case 'halfDown':
			return Math.max(1, Math.floor(page / 2));
		case 'top':
			return -Infinity;
		case 'bottom':
			return Infinity;
	}
}

type ListView = GoroutinesView | GroupsView | TreeView;

/** The list view with its selection resolved against the current data (so Esc returns exactly here). */
function resolvedList<V extends ListView>(state: UiState, view: V, env: Env): {view: V; keys: (i: number) => string | undefined; length: number};
function resolvedList(state: UiState, view: ListView, env: Env): {view: ListView; keys: (i: number) => string | undefined; length: number} {
	const rows = listRows(env.bodyRows);
	if (view.kind === 'tree') {
		const list = env.select.tree(env.model, state, view, rows);
		const key = list.items[list.index]?.node.key ?? view.sel.key;
		const sel: Selection = {index: list.index, top: list.top, ...(key === undefined ? {} : {key})};
		return {view: {...view, sel}, keys: i => list.items[i]?.node.key, length: list.items.length};
	}
	if (view.kind === 'goroutines') {
		const list = env.select.goroutines(env.model, state, view, rows);
		const key = list.items[list.index] === undefined ? view.sel.key : String(list.items[list.index]!.g.id);
		const sel: Selection = {index: list.index, top: list.top, ...(key === undefined ? {} : {key})};
		return {view: {...view, sel}, keys: i => (list.items[i] ? String(list.items[i]!.g.id) : undefined), length: list.items.length};
	}
	const list = env.select.groups(env.model, state, view, rows);
	const item = list.items[list.index];
	const key = item?.key ?? view.sel.key;
	const sel: Selection = {
		index: list.index,
		top: list.top,
		...(key === undefined ? {} : {key}),
		...(item
			? {by: item.by, anchor: item.sample.id}
			: view.sel.by === undefined
				? {}
				: {by: view.sel.by, ...(view.sel.anchor === undefined ? {} : {anchor: view.sel.anchor})}),
	};
	return {view: {...view, sel}, keys: i => list.items[i]?.key, length: list.items.length};
}

/** A group row's grouping and a goroutine of it, so the selection survives `b` (see Selection). */
function anchorOf(view: ListView, key: string | undefined, env: Env): Pick<Selection, 'by' | 'anchor'> {
	if (view.kind !== 'groups' || key === undefined) return {};
	const group = env.select.groupsByKey(env.model).get(key);
	return group ? {by: group.by, anchor: group.sample.id} : {};
}

function navigate(state: UiState, nav: Nav, env: Env): UiState {
	if (state.overlay === 'help') {
		const max = helpMaxScroll(env.bodyRows, env.columns);
		const scroll = Math.max(0, Math.min(max, (state.helpScroll ?? 0) + step(nav, Math.max(1, env.bodyRows - 1))));
		return {...state, helpScroll: scroll};
	}
	if (state.overlay === 'states') {
		const count = env.select.stateOrder(env.model, state).length;
		const picker = Math.max(0, Math.min(count - 1, state.picker + step(nav, env.bodyRows - 2)));
		return {...state, picker: Number.isFinite(picker) ? picker : 0};
	}
	const view = currentView(state);
	if (view.kind === 'stack') {
		const {lines} = stackContent(view, env);
		const max = Math.max(0, lines.length - env.bodyRows);
		const scroll = Math.max(0, Math.min(max, view.scroll + step(nav, env.bodyRows)));
		return replaceTop(state, {...view, scroll});
	}
	const rows = listRows(env.bodyRows);
	const {view: resolved, keys, length} = resolvedList(state, view, env);
	if (length === 0) return replaceTop({...state, message: undefined}, resolved);
	const index = Math.max(0, Math.min(length - 1, resolved.sel.index + step(nav, rows)));
	const key = keys(index);
	const top = Math.max(0, Math.min(Math.max(resolved.sel.top, index - rows + 1), index));
	const sel: Selection = {index, top, ...(key === undefined ? {} : {key}), ...anchorOf(resolved, key, env)};
	const {message: _drop, ...rest} = state;
	return replaceTop(rest, {...resolved, sel});
}

/**
 * The stack the keys `y` and `e` act on: the open stack, or the stack of the selected goroutine or
 * group (a tree node: its group, or its one goroutine). Undefined when nothing is selected.
 */
function selectedStack(state: UiState, env: Env): StackView | undefined {
	const view = currentView(state);
	if (view.kind === 'stack') return view;
	const {view: resolved} = resolvedList(state, view, env);
	const key = resolved.sel.key;
	if (key === undefined) return undefined;
	if (resolved.kind === 'goroutines') return {kind: 'stack', target: {type: 'goroutine', id: Number(key)}, scroll: 0};
	if (resolved.kind === 'groups') return {kind: 'stack', target: {type: 'group', key}, scroll: 0};
	const node = env.select.treeNode(env.model, state, key);
	if (node?.ids.length === 1) return {kind: 'stack', target: {type: 'goroutine', id: node.ids[0]!}, scroll: 0};
	if (node?.groupKey !== undefined) return {kind: 'stack', target: {type: 'group', key: node.groupKey}, scroll: 0};
	return undefined;
}

/** `e`: the frame to open in the editor (the blocking frame of the open or selected stack), if it has a file. */
export function editFrame(state: UiState, env: Env): Frame | undefined {
	const stack = selectedStack(state, env);
	return stack ? stackFrame(stack, env) : undefined;
}

/** Wide enough that `y` never cuts a path or function name to fit a pane. */
const textColumns = 400;

/**
 * `y`: the open stack, or the stack of the selected goroutine or group (a tree node: its group, or
 * its one goroutine), as plain text lines like the stack view shows them (every field already made
 * visible), with a file name for it. Undefined when nothing is selected.
 */
export function selectedText(state: UiState, env: Env): {name: string; text: string} | undefined {
	const stack = selectedStack(state, env);
	if (!stack) return undefined;
	const {lines} = stackContent(stack, {...env, columns: textColumns});
	if (lines.length === 0) return undefined;
	let name: string;
	if (stack.target.type === 'goroutine') name = `gmon-goroutine-${goroutineNumber(stack.target.id)}.txt`;
	else {
		const group = env.select.groupsByKey(env.model).get(stack.target.key) ?? (stack.last && 'key' in stack.last ? stack.last : undefined);
		name = `gmon-group-of-goroutine-${group ? goroutineNumber(group.sample.id) : 'gone'}.txt`;
	}
	return {name, text: `${lines.map(line => line.text.trimEnd()).join('\n')}\n`};
}

function enter(state: UiState, env: Env): UiState {
	const view = currentView(state);
	if (state.overlay === 'states') return togglePicked(state, env);
	if (view.kind === 'stack') {
		// Enter on a group's stack opens its members, as Enter on the group row does.
		if (view.target.type === 'group') {
			const group = followedGroup(view, env);
			return group ? push(state, membersView(group)) : {...state, message: 'the group is gone'};
		}
		return state;
	}
	const {view: resolved} = resolvedList(state, view, env);
	const key = resolved.sel.key;
	const here = replaceTop(state, resolved);
	if (key === undefined) return here;
	if (resolved.kind === 'tree') {
		const node = env.select.treeNode(env.model, state, key);
		if (!node) return here;
		// A node with no goroutine of its own (a stand-in for a gone creator) only holds others: Enter folds it.
		if (node.ids.length === 0) return fold(here, (state.folded ?? []).includes(key), env);
		if (node.ids.length === 1) {
			const t = env.select.goroutineById(env.model, node.ids[0]!);
			if (t) return push(here, {kind: 'stack', target: {type: 'goroutine', id: t.g.id}, last: t, scroll: 0});
		}
		return push(here, {kind: 'goroutines', node: key, sel: {index: 0, top: 0}});
	}
	if (resolved.kind === 'goroutines') {
		const t = env.select.goroutineById(env.model, Number(key));
		if (!t) return here;
		return push(here, {kind: 'stack', target: {type: 'goroutine', id: t.g.id}, last: t, scroll: 0});
	}
	const group = env.select.groupsByKey(env.model).get(key);
	if (!group) return here;
	return push(here, membersView(group));
}

/** How many of a group's goroutines its members list keeps, to find the group again after `b`. */
const anchorCount = 16;

/** The members list of a group, with what it needs to follow the group when `b` regroups. */
function membersView(group: Group): GoroutinesView {
	const anchors = [group.sample.id, ...group.ids.slice(0, anchorCount)];
	return {kind: 'goroutines', group: group.key, groupBy: group.by, anchors, sel: {index: 0, top: 0}};
}

/** A group stack view's group now: by its key, or after `b` the group that holds its goroutines. */
export function followedGroup(view: StackView, env: Env): Group | undefined {
	if (view.target.type !== 'group') return undefined;
	const last = view.last && 'key' in view.last ? view.last : undefined;
	const anchors = last ? [last.sample.id, ...last.ids.slice(0, anchorCount)] : undefined;
	return env.select.followGroup(env.model, view.target.key, last?.by, anchors);
}

function openGroupStack(state: UiState, env: Env): UiState {
	const view = currentView(state);
	let key: string | undefined;
	if (view.kind === 'groups') key = resolvedList(state, view, env).view.sel.key;
	else if (view.kind === 'tree') {
		const nodeKey = resolvedList(state, view, env).view.sel.key;
		key = nodeKey === undefined ? undefined : env.select.treeNode(env.model, state, nodeKey)?.groupKey;
	} else if (view.kind === 'goroutines') {
		const id = resolvedList(state, view, env).view.sel.key;
		key = id === undefined ? undefined : env.select.goroutineById(env.model, Number(id))?.groupKey;
	} else if (view.target.type === 'goroutine') {
		const id = view.target.id;
		key = (env.select.goroutineById(env.model, id) ?? (view.last && 'g' in view.last ? view.last : undefined))?.groupKey;
	}
	const group = key === undefined ? undefined : env.select.groupsByKey(env.model).get(key);
	if (!group) return {...state, message: 'no group to show'};
	const here = view.kind === 'stack' ? state : replaceTop(state, resolvedList(state, view, env).view);
	return push(here, {kind: 'stack', target: {type: 'group', key: group.key}, last: group, scroll: 0});
}

function jumpToParent(state: UiState, env: Env): UiState {
	const view = currentView(state);
	if (view.kind !== 'stack' || view.target.type !== 'goroutine') return state;
	const t = env.select.goroutineById(env.model, view.target.id) ?? (view.last && 'g' in view.last ? view.last : undefined);
	const parentId = t?.g.createdBy?.parentId;
	if (parentId === undefined) return {...state, message: 'Go printed no parent goroutine id (needs Go 1.21+)'};
	const parent = env.select.goroutineById(env.model, parentId);
	if (!parent) return {...state, message: `parent goroutine ${goroutineNumber(parentId)} is no longer running`};
	return push(state, {kind: 'stack', target: {type: 'goroutine', id: parentId}, last: parent, scroll: 0});
}

/** `t`: into the tree by creator, or (in it) back where the user was. */
function toggleTree(state: UiState, env: Env): UiState {
	const view = currentView(state);
	if (view.kind === 'tree') return state.views.length > 1 ? {...state, views: state.views.slice(0, -1), message: undefined} : state;
	const here = view.kind === 'stack' ? state : replaceTop(state, resolvedList(state, view, env).view);
	return push({...here, message: undefined}, {kind: 'tree', sel: {index: 0, top: 0}});
}

/**
 * ← / h folds the node under the cursor (on a leaf or a folded node: moves to its parent);
 * → / l unfolds it (on an open node: moves to its first child). The cursor follows the node's key.
 */
function fold(state: UiState, open: boolean, env: Env): UiState {
	const view = currentView(state);
	if (view.kind !== 'tree') return state;
	const rows = listRows(env.bodyRows);
	const list = env.select.tree(env.model, state, view, rows);
	const row = list.items[list.index];
	if (!row) return state;
	const {node} = row;
	const folded = state.folded ?? [];
	const select = (key: string): UiState => {
		const moved = {...view, sel: {...view.sel, key}};
		// Resolve against the new rows so index and top follow the key.
		return replaceTop(state, resolvedList(state, moved, env).view);
	};
	if (open) {
		if (row.folded) return {...state, folded: folded.filter(key => key !== node.key)};
		const first = node.children[0];
		return first ? select(first.key) : state;
	}
	if (node.children.length > 0 && !row.folded) return {...state, folded: [...folded, node.key]};
	// The parent is the nearest row above with less depth.
	for (let i = list.index - 1; i >= 0; i--) if (list.items[i]!.node.depth < node.depth) return select(list.items[i]!.node.key);
	return state;
}

/** `T`: all targets, then each in turn. Goroutine ids and group keys stay the same, so the cursor keeps its row where it still shows. */
function cycleTarget(state: UiState, env: Env): UiState {
	const targets = env.targets ?? 1;
	if (targets < 2) return {...state, message: 'T picks a target when gmon watches several (gmon a:6060 b:6060)'};
	const next = state.target === undefined ? 0 : state.target + 1 < targets ? state.target + 1 : undefined;
	const {target: _drop, message: _message, ...rest} = state;
	return next === undefined ? rest : {...rest, target: next};
}

function back(state: UiState): UiState {
	if (state.overlay) return {...state, overlay: undefined};
	if (state.editing) return {...state, editing: false, query: ''};
	if (state.views.length > 1) return {...state, views: state.views.slice(0, -1), message: undefined};
	if (state.query !== '') return {...state, query: ''};
	if (state.states.length > 0) return {...state, states: []};
	return {...state, message: undefined};
}

function toggleState(state: UiState, name: string): UiState {
	const states = state.states.includes(name) ? state.states.filter(s => s !== name) : [...state.states, name];
	return {...state, states};
}

function togglePicked(state: UiState, env: Env): UiState {
	const name = env.select.stateOrder(env.model, state)[state.picker];
	return name === undefined ? state : toggleState(state, name);
}

function toggleView(state: UiState, env: Env): UiState {
	const root = state.views[0]!;
	const resolvedRoot = root.kind === 'stack' ? root : resolvedList({...state, views: [root]}, root, env).view;
	const next: View = state.parked ?? (root.kind === 'groups' ? {kind: 'goroutines', sel: {index: 0, top: 0}} : {kind: 'groups', sel: {index: 0, top: 0}});
	return {...state, views: [next], parked: resolvedRoot, message: undefined};
}

export function reduce(state: UiState, action: Action, env: Env): UiState {
	switch (action.type) {
		case 'nav':
			return navigate(state, action.nav, env);
		case 'enter':
			return enter(state, env);
		case 'back':
			return back(state);
		case 'toggleView':
			return toggleView(state, env);
		case 'cycleSort': {
			const kind = currentListKind(state);
			const order = kind === 'groups' ? groupSorts : goroutineSorts;
			const key = order[(order.indexOf(state.sort[kind].key) + 1) % order.length]!;
			return {...state, sort: {...state.sort, [kind]: {key, desc: defaultDesc(key)}}};
		}
		case 'reverseSort': {
			const kind = currentListKind(state);
			return {...state, sort: {...state.sort, [kind]: {...state.sort[kind], desc: !state.sort[kind].desc}}};
		}
		case 'openStates':
			return {...state, overlay: state.overlay === 'states' ? undefined : 'states', picker: 0};
		case 'toggleState':
			return toggleState(state, action.state);
		case 'toggleStateAt': {
			const name = env.select.stateOrder(env.model, state)[action.index];
			return name === undefined ? state : toggleState(state, name);
		}
		case 'togglePicked':
			return togglePicked(state, env);
		case 'clearStates':
			return {...state, states: []};
		case 'startQuery':
			// A paste opens the prompt with its text typed in.
			return {...state, editing: true, overlay: undefined, ...(action.text ? {query: state.query + withoutUnsafe(action.text)} : {})};
		case 'typeQuery':
			return {...state, query: state.query + withoutUnsafe(action.text)};
		case 'backspaceQuery':
			return {...state, query: state.query.slice(0, -1)};
		case 'clearQuery':
			return {...state, query: ''};
		case 'acceptQuery':
			return {...state, editing: false};
		case 'toggleIdle':
			return {...state, hideIdle: !state.hideIdle};
		case 'toggleHelp':
			return {...state, overlay: state.overlay === 'help' ? undefined : 'help', helpScroll: 0};
		case 'jumpToParent':
			return jumpToParent(state, env);
		case 'openGroupStack':
			return openGroupStack(state, env);
		case 'toggleTree':
			return toggleTree(state, env);
		case 'fold':
			return fold(state, action.open, env);
		case 'cycleTarget':
			return cycleTarget(state, env);
		case 'message': {
			if (action.text === undefined) {
				const {message: _drop, ...rest} = state;
				return rest;
			}
			return {...state, message: action.text};
		}
	}
}
