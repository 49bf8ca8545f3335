// Every key binding of the live view, in ONE table: the key handler (keymap.ts), the help overlay,
// the footer and the README's key table are all generated from it, so a key cannot do one thing
// and be documented as another. Conventions from htop, k9s and lazygit; Esc goes back or clears,
// never quits. Pure: no Ink import.
import {GROUP_BYS} from '../model/types.ts';
import {DUMP_FOLDER} from '../watch/dump-folder.ts';
import {goroutineSorts, type Action, type Nav} from './types.ts';

/** Things a key asks of the store (the poller) or the process rather than of the UI state. */
export type Command = 'quit' | 'pause' | 'refresh' | 'fullDump' | 'slower' | 'faster' | 'write' | 'yank' | 'groupBy' | 'edit';

export type Intent = {action: Action} | {command: Command} | undefined;

/**
 * Who has the keyboard: the filter prompt, the help overlay, the state picker, or the lists and
 * stacks (main).
 */
export type Mode = 'editing' | 'help' | 'states' | 'main';

/** Where a footer is drawn: each list, stack and overlay shows the keys that matter there. */
export type FooterPlace = 'goroutines' | 'members' | 'groups' | 'tree' | 'stack' | 'groupStack' | 'states' | 'help';

/**
 * A key as matched and as printed: `↑ ↓ PgUp PgDn Home End Enter Tab Esc Backspace Space`,
 * `Ctrl-x`, `1–9` (a digit), `text` (any printable text: the prompt), `any` (any key at all),
 * `Paste` (a bracketed paste, as one line: keymap.ts pasteActions), or one printable character.
 */
export type KeyName = string;

/** The help's lines and the README's key table, in this order. */
export const sections = ['Move', 'Open', 'Views', 'Sort', 'Filter', 'Target', 'Quit'] as const;
export type Section = (typeof sections)[number];

export interface FooterCell {
	/** 1: shown at every width; 2: when there is room; 3: on wide terminals only. */
	tier: 1 | 2 | 3;
	/** The word after the keys here, when not the binding's `short`. */
	label?: string;
	/** The keys as printed here, when not the binding's `show`. */
	show?: string;
}

export interface Binding {
	keys: readonly KeyName[];
	/** The keys as the help and README print them (default: the keys joined by `/`). */
	show?: string;
	/** What it does, for the help overlay and the README. */
	does: string;
	/** The footer's one word for it (default: `does`). */
	short?: string;
	/** The help line (and README group) it belongs to; undefined: only the footer mentions it. */
	section?: Section;
	in: readonly Mode[];
	intent: Intent | ((key: KeyName, input: string) => Intent);
	footer?: Partial<Record<FooterPlace, FooterCell>>;
	/** Its footer cells show only when gmon watches several targets. */
	fleet?: true;
}

const act = (action: Action): Intent => ({action});
const cmd = (command: Command): Intent => ({command});
const nav = (to: Nav): Intent => act({type: 'nav', nav: to});
const lists: readonly Mode[] = ['main'];
const moving: readonly Mode[] = ['states', 'main'];
/** Moving keys that also scroll the help when it is taller than the pane. */
const scrolling: readonly Mode[] = ['help', 'states', 'main'];
const everywhere: readonly Mode[] = ['editing', 'help', 'states', 'main'];
const allLists = {goroutines: {tier: 1}, members: {tier: 1}, groups: {tier: 1}, tree: {tier: 1}} as const;
const wideLists = {goroutines: {tier: 3}, members: {tier: 3}, groups: {tier: 3}, tree: {tier: 3}} as const;

/** In footer order: each footer lists its cells in this order. */
export const bindings: readonly Binding[] = [
	// The filter prompt: typing is text; these keys edit it.
	{keys: ['Enter'], does: 'accept the filter', in: ['editing'], intent: act({type: 'acceptQuery'})},
	{keys: ['Backspace'], does: 'delete a character', in: ['editing'], intent: act({type: 'backspaceQuery'})},
	{keys: ['Paste'], does: 'type the pasted line', in: ['editing'], intent: (_key, text) => act({type: 'typeQuery', text})},
	{keys: ['Ctrl-u'], does: 'clear the filter', in: ['editing'], intent: act({type: 'clearQuery'})},
	{keys: ['↑', '↓'], does: 'move', in: ['editing'], intent: key => nav(key === '↑' ? 'up' : 'down')},
	{
		keys: ['↑', '↓', 'j', 'k'],
		show: '↑↓ j/k',
		does: 'move',
		section: 'Move',
		in: scrolling,
		intent: key => nav(key === '↑' || key === 'k' ? 'up' : 'down'),
		footer: {
			goroutines: {tier: 2, show: '↑↓'},
			members: {tier: 2, show: '↑↓'},
			groups: {tier: 3, show: '↑↓'},
			tree: {tier: 3, show: '↑↓'},
			stack: {tier: 1, show: '↑↓', label: 'scroll'},
			groupStack: {tier: 1, show: '↑↓', label: 'scroll'},
			states: {tier: 1, show: '↑↓'},
			help: {tier: 2, show: '↑↓', label: 'scroll'},
		},
	},
	{keys: ['PgUp', 'PgDn'], does: 'page', section: 'Move', in: scrolling, intent: key => nav(key === 'PgUp' ? 'pageUp' : 'pageDown')},
	{keys: ['Ctrl-u', 'Ctrl-d'], does: 'half page', section: 'Move', in: moving, intent: key => nav(key === 'Ctrl-u' ? 'halfUp' : 'halfDown')},
	{
		keys: ['g', 'G', 'Home', 'End'],
		show: 'g/G Home/End',
		does: 'first/last',
		section: 'Move',
		in: lists,
		intent: key => nav(key === 'g' || key === 'Home' ? 'top' : 'bottom'),
	},
	{keys: ['Home', 'End'], does: 'first/last', in: ['states'], intent: key => nav(key === 'Home' ? 'top' : 'bottom')},
	{
		keys: ['←', '→', 'h', 'l'],
		show: '←→ h/l',
		does: 'in the tree: fold/unfold a node (← on a leaf: its parent)',
		short: 'fold',
		section: 'Move',
		in: lists,
		intent: key => act({type: 'fold', open: key === '→' || key === 'l'}),
		footer: {tree: {tier: 1, show: '←→'}},
	},
	{
		keys: ['Enter'],
		show: '⏎',
		does: 'open: a goroutine → its stack, a group → its goroutines',
		section: 'Open',
		in: lists,
		intent: act({type: 'enter'}),
		footer: {
			goroutines: {tier: 1, label: 'stack'},
			members: {tier: 1, label: 'stack'},
			groups: {tier: 1, label: 'open'},
			tree: {tier: 1, label: 'open'},
			groupStack: {tier: 1, label: 'members'},
		},
	},
	{
		keys: ['Enter', 'Space'],
		show: '⏎/Space',
		does: 'in the picker: toggle the state under the cursor',
		short: 'toggle',
		section: 'Filter',
		in: ['states'],
		intent: act({type: 'togglePicked'}),
		footer: {states: {tier: 1}},
	},
	{
		keys: ['1–9'],
		does: 'toggle the n-th state of the header',
		short: 'toggle',
		section: 'Filter',
		in: moving,
		intent: (_key, input) => act({type: 'toggleStateAt', index: Number(input) - 1}),
		footer: {states: {tier: 2}},
	},
	{
		keys: ['0', 'x'],
		show: '0',
		does: 'all states again',
		short: 'clear all',
		section: 'Filter',
		in: ['states'],
		intent: act({type: 'clearStates'}),
		footer: {states: {tier: 1}},
	},
	{keys: ['0'], does: 'all states again', in: lists, intent: act({type: 'clearStates'})},
	{
		keys: ['e'],
		does: 'open the blocking line in $VISUAL/$EDITOR (--source-root maps it)',
		short: 'edit',
		section: 'Open',
		in: lists,
		intent: cmd('edit'),
		footer: {goroutines: {tier: 3}, members: {tier: 3}, groups: {tier: 3}, stack: {tier: 1}, groupStack: {tier: 1}},
	},
	{
		keys: ['c'],
		does: 'the parent goroutine (in a stack)',
		short: 'parent',
		section: 'Views',
		in: lists,
		intent: act({type: 'jumpToParent'}),
		footer: {stack: {tier: 1}},
	},
	{
		keys: ['v'],
		does: "the group's stack",
		short: 'group',
		section: 'Views',
		in: lists,
		intent: act({type: 'openGroupStack'}),
		footer: {goroutines: {tier: 3}, members: {tier: 3}, groups: {tier: 2, label: 'stack'}, tree: {tier: 2, label: 'stack'}, stack: {tier: 1}},
	},
	{
		keys: ['t'],
		does: 'the tree by creator: who started whom (t again: back)',
		short: 'tree',
		section: 'Views',
		in: lists,
		intent: act({type: 'toggleTree'}),
		footer: {goroutines: {tier: 3}, members: {tier: 3}, groups: {tier: 3}, tree: {tier: 1, label: 'back'}},
	},
	{
		keys: ['b'],
		does: `group by the next key (${GROUP_BYS.join(' → ')} → each label)`,
		short: 'group-by',
		section: 'Views',
		in: lists,
		intent: cmd('groupBy'),
		footer: {groups: {tier: 1}},
	},
	{
		keys: ['Tab'],
		does: 'goroutines ⇄ groups',
		section: 'Views',
		in: lists,
		intent: act({type: 'toggleView'}),
		footer: {goroutines: {tier: 1, label: 'groups'}, groups: {tier: 1, label: 'list'}},
	},
	{
		keys: ['Esc'],
		does: 'back, or clear the filter; never quits',
		short: 'back',
		section: 'Open',
		in: everywhere,
		intent: act({type: 'back'}),
		footer: {members: {tier: 1}, stack: {tier: 1}, groupStack: {tier: 1}, states: {tier: 1, show: 'f/Esc', label: 'close'}},
	},
	{
		keys: ['/'],
		does: 'fuzzy: function, file, created-by, state, key=value labels; Esc clears',
		short: 'filter',
		section: 'Filter',
		in: lists,
		intent: act({type: 'startQuery'}),
		footer: allLists,
	},
	{
		keys: ['Paste'],
		show: 'paste',
		does: 'goes into the filter as one line (opening it); never runs as keys',
		section: 'Filter',
		in: lists,
		intent: (_key, text) => act({type: 'startQuery', text}),
	},
	{
		keys: ['f'],
		does: 'the state picker (counts; several states can be on)',
		short: 'states',
		section: 'Filter',
		in: moving,
		intent: act({type: 'openStates'}),
		footer: {goroutines: {tier: 2}, members: {tier: 2}, groups: {tier: 2}, tree: {tier: 3}},
	},
	{
		keys: ['s'],
		does: `next column: ${goroutineSorts.join(' ')}`,
		short: 'sort',
		section: 'Sort',
		in: lists,
		intent: act({type: 'cycleSort'}),
		footer: {goroutines: {tier: 1}, members: {tier: 1}, groups: {tier: 2}},
	},
	{keys: ['S'], does: 'reverse', section: 'Sort', in: lists, intent: act({type: 'reverseSort'})},
	{
		keys: ['T'],
		does: 'with several targets: show one target, the next, … then all again',
		short: 'target',
		section: 'Filter',
		in: lists,
		intent: act({type: 'cycleTarget'}),
		fleet: true,
		footer: {goroutines: {tier: 2}, members: {tier: 2}, groups: {tier: 1}, tree: {tier: 3}},
	},
	{
		keys: ['H'],
		does: 'hide idle and runtime goroutines',
		short: 'idle',
		section: 'Filter',
		in: lists,
		intent: act({type: 'toggleIdle'}),
		footer: {goroutines: {tier: 2}, members: {tier: 2}, groups: {tier: 3}, tree: {tier: 3}},
	},
	{
		keys: ['p', 'Space'],
		does: 'pause polling',
		short: 'pause',
		section: 'Target',
		in: lists,
		intent: cmd('pause'),
		footer: {...wideLists, stack: {tier: 2}, groupStack: {tier: 2}},
	},
	{
		keys: ['r'],
		does: 'refresh now (a full dump only within the budget)',
		short: 'refresh',
		section: 'Target',
		in: lists,
		intent: cmd('refresh'),
		footer: wideLists,
	},
	{
		keys: ['D'],
		does: 'a full dump now, over the budget (says its cost and asks again first)',
		short: 'full dump',
		section: 'Target',
		in: lists,
		intent: cmd('fullDump'),
		footer: wideLists,
	},
	{
		keys: ['+', '=', '-', '_'],
		show: '+/-',
		does: 'poll interval',
		short: 'interval',
		section: 'Target',
		in: lists,
		intent: key => cmd(key === '+' || key === '=' ? 'slower' : 'faster'),
		footer: wideLists,
	},
	{
		keys: ['w'],
		does: `write the raw dump into ./${DUMP_FOLDER}/ (the footer says where)`,
		short: 'write',
		section: 'Target',
		in: lists,
		intent: cmd('write'),
		footer: {...wideLists, stack: {tier: 2, label: 'write dump'}, groupStack: {tier: 2, label: 'write dump'}},
	},
	{
		keys: ['y'],
		does: 'save the selected stack or group as text (--clipboard: copy it too)',
		short: 'save text',
		section: 'Target',
		in: lists,
		intent: cmd('yank'),
		footer: {...wideLists, stack: {tier: 2}, groupStack: {tier: 2}},
	},
	{
		keys: ['?'],
		does: 'this help',
		short: 'help',
		section: 'Quit',
		in: lists,
		intent: act({type: 'toggleHelp'}),
		footer: {...allLists, stack: {tier: 1}, groupStack: {tier: 1}},
	},
	{
		keys: ['any'],
		show: 'any other key',
		does: 'closes it',
		short: 'closes the help',
		section: 'Quit',
		in: ['help'],
		intent: act({type: 'toggleHelp'}),
		footer: {help: {tier: 1}},
	},
	{keys: ['text'], does: 'type the filter', in: ['editing'], intent: (_key, input) => act({type: 'typeQuery', text: input})},
	{
		keys: ['q', 'Ctrl-c'],
		show: 'q Ctrl-C',
		does: 'quit',
		section: 'Quit',
		in: ['help', 'states', 'main'],
		intent: cmd('quit'),
		footer: Object.fromEntries(
			(['goroutines', 'members', 'groups', 'tree', 'stack', 'groupStack', 'states', 'help'] as const).map(place => [place, {tier: 1, show: 'q'}]),
		),
	},
	// In the prompt `q` is a letter; Ctrl-C still quits.
	{keys: ['Ctrl-c'], does: 'quit', in: ['editing'], intent: cmd('quit')},
];

/** `q quit`, `↑↓ scroll`: one footer cell of a binding at a place. */
export function footerCell(binding: Binding, place: FooterPlace): {text: string; tier: number} | undefined {
	const cell = binding.footer?.[place];
	if (!cell) return undefined;
	const show = cell.show ?? binding.show ?? binding.keys[0]!;
	return {text: `${show} ${cell.label ?? binding.short ?? binding.does}`, tier: cell.tier};
}

/** How the help and the README print a binding's keys. */
export const shownKeys = (binding: Binding): string => binding.show ?? binding.keys.join('/');

/**
 * The README's "Keys in the live view" table, generated from this one so the README cannot
 * drift from what the keys do (test/unit/one-fact.test.ts compares the two).
 */
export function keysMarkdown(): string {
	const rows = sections.flatMap(section =>
		bindings.filter(binding => binding.section === section).map(binding => `| \`${shownKeys(binding)}\` | ${binding.does} |`),
	);
	return ['| key | does |', '|---|---|', ...rows].join('\n');
}
