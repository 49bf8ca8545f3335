// The UI's own state: which screen, where the cursor is, sort, filters. Plain immutable data,
// changed only by the reducer in reducer.ts; no Ink, no React.
import type {Group, TrackedGoroutine} from '../model/types.ts';

export type ListKind = 'goroutines' | 'groups';

/** `leak`: proven leaks, then suspects, then stuck, then by wait — the default, so a leak is on top. */
export type SortKey = 'leak' | 'id' | 'state' | 'wait' | 'function' | 'file' | 'count' | 'growth';

export interface SortSpec {
	key: SortKey;
	desc: boolean;
}

/**
 * Where the cursor is in a list. `key` is what the selection follows across polls (a goroutine id
 * as text, or a group key); `index` is where it was, used to keep the neighbourhood when the
 * selected row disappears; `top` is the first visible row.
 */
export interface Selection {
	key?: string;
	index: number;
	top: number;
	/**
	 * A group list's grouping when `key` was taken, and a goroutine of that group: after `b`
	 * regroups, the old key names no group, yet nothing is gone; the anchor finds the new group.
	 */
	by?: string;
	anchor?: number;
}

export interface GoroutinesView {
	kind: 'goroutines';
	/** Only the members of this group (opened with Enter from the group list). */
	group?: string;
	/**
	 * The grouping `group` was keyed under and some of its members: after `b` regroups, the old key
	 * names no group, yet nothing is gone; the group that now holds these goroutines is the same one.
	 */
	groupBy?: string;
	anchors?: readonly number[];
	/** Only the goroutines of this node of the tree by creator (its key; opened with Enter in the tree). */
	node?: string;
	sel: Selection;
}

export interface GroupsView {
	kind: 'groups';
	sel: Selection;
}

/** The tree by creator (`t`): groups under the goroutines that started them. */
export interface TreeView {
	kind: 'tree';
	sel: Selection;
}

export interface StackView {
	kind: 'stack';
	/** A goroutine's stack, or a group's shared stack and members. */
	target: {type: 'goroutine'; id: number} | {type: 'group'; key: string};
	/** What was last seen, so the view still reads when the goroutine or group is gone. */
	last?: TrackedGoroutine | Group;
	scroll: number;
}

export type View = GoroutinesView | GroupsView | TreeView | StackView;

export type Overlay = 'help' | 'states';

export interface UiState {
	/** Screens the user drilled through; the last one is shown, Esc pops. Never empty. */
	views: View[];
	sort: Record<ListKind, SortSpec>;
	/** States the list is limited to (none = all). */
	states: string[];
	/** Fuzzy filter text. */
	query: string;
	/** The `/` prompt has the keyboard. */
	editing: boolean;
	hideIdle: boolean;
	overlay?: Overlay;
	/** Cursor row in the state picker. */
	picker: number;
	/** First help line shown when the help does not fit the pane (↑↓ PgUp/PgDn scroll it). */
	helpScroll?: number;
	/** The other root list (Tab), with its selection, so Tab back lands where the user was. */
	parked?: View;
	/** One line for the footer: a written dump's path, a gone goroutine, … */
	message?: string;
	/** Keys of the tree nodes whose children are hidden (← / h). */
	folded?: readonly string[];
	/** Several targets: the one the lists show (its index), or undefined for all of them (`T` cycles). */
	target?: number;
}

export const goroutineSorts: readonly SortKey[] = ['leak', 'wait', 'id', 'state', 'function', 'file', 'count', 'growth'];
export const groupSorts: readonly SortKey[] = ['leak', 'count', 'growth', 'wait', 'state', 'function', 'file'];

/** Counts, growth and waits read best largest-first; names and ids smallest-first. */
export function defaultDesc(key: SortKey): boolean {
	return key === 'leak' || key === 'wait' || key === 'count' || key === 'growth';
}

export type Nav = 'up' | 'down' | 'pageUp' | 'pageDown' | 'halfUp' | 'halfDown' | 'top' | 'bottom';

export type Action =
	| {type: 'nav'; nav: Nav}
	| {type: 'enter'}
	| {type: 'back'}
	| {type: 'toggleView'}
	| {type: 'cycleSort'}
	| {type: 'reverseSort'}
	| {type: 'openStates'}
	| {type: 'toggleState'; state: string}
	/** 1–9: toggle the n-th state in the header's order. */
	| {type: 'toggleStateAt'; index: number}
	/** Space/Enter in the state picker. */
	| {type: 'togglePicked'}
	| {type: 'clearStates'}
	| {type: 'startQuery'; text?: string}
	| {type: 'typeQuery'; text: string}
	| {type: 'backspaceQuery'}
	/** Ctrl-U in the prompt: erase the whole query, keep typing. */
	| {type: 'clearQuery'}
	| {type: 'acceptQuery'}
	| {type: 'toggleIdle'}
	| {type: 'toggleHelp'}
	| {type: 'jumpToParent'}
	| {type: 'openGroupStack'}
	/** `t`: open the tree by creator, or leave it. */
	| {type: 'toggleTree'}
	/** ← / → in the tree: fold or unfold the node (on a leaf ←: to its parent; → on an open node: its first child). */
	| {type: 'fold'; open: boolean}
	/** `T`: all targets → the first → … → the last → all again. */
	| {type: 'cycleTarget'}
	| {type: 'message'; text?: string};
