// Keys → intents, looked up in the one bindings table (bindings.ts). Pure (a subset of Ink's Key
// shape, no Ink import), so every binding is tested without a terminal.
import {GROUP_BYS, type GroupBy} from '../model/types.ts';
import {bindings, type Binding, type Intent, type KeyName, type Mode} from './bindings.ts';
import type {Action, UiState} from './types.ts';

export type {Command, Intent} from './bindings.ts';

export interface KeyLike {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	meta?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
}

/** Which binding a key press names, if any: `Ctrl-u`, `↑`, `Enter`, `j`, … (see bindings.ts). */
function keyNames(input: string, key: KeyLike): KeyName[] {
	if (key.escape) return ['Esc'];
	if (key.upArrow) return ['↑'];
	if (key.downArrow) return ['↓'];
	if (key.leftArrow) return ['←'];
	if (key.rightArrow) return ['→'];
	if (key.pageUp) return ['PgUp'];
	if (key.pageDown) return ['PgDn'];
	if (key.home) return ['Home'];
	if (key.end) return ['End'];
	if (key.return) return ['Enter'];
	if (key.tab) return ['Tab'];
	if (key.backspace) return ['Backspace'];
	// Forward Delete: the prompt's cursor is always at the end, so it has nothing to delete.
	if (key.delete) return [];
	if (key.ctrl) return input.length === 1 ? [`Ctrl-${input.toLowerCase()}`] : [];
	if (key.meta || input === '') return [];
	if (input === ' ') return ['Space', 'text'];
	if (/^[1-9]$/.test(input)) return [input, '1–9', 'text'];
	// A burst typed into the prompt is text only: typing "Enter" or "Paste" must not name a binding.
	return input.length === 1 ? [input, 'text'] : ['text'];
}

function modeOf(ui: UiState): Mode {
	if (ui.editing) return 'editing';
	if (ui.overlay === 'help') return 'help';
	if (ui.overlay === 'states') return 'states';
	return 'main';
}

/** The bindings of each mode, most specific key first: `text` and `any` only catch what nothing else does. */
const byMode = new Map<Mode, Binding[]>();
for (const mode of ['editing', 'help', 'states', 'main'] as const) {
	const here = bindings.filter(binding => binding.in.includes(mode));
	const catchAll = (binding: Binding) => binding.keys.includes('text') || binding.keys.includes('any');
	byMode.set(mode, [...here.filter(binding => !catchAll(binding)), ...here.filter(catchAll)]);
}

/** What a key press asks for, by the bindings table (bindings.ts). */
export function keyIntent(input: string, key: KeyLike, ui: UiState): Intent {
	const names = keyNames(input, key);
	for (const binding of byMode.get(modeOf(ui))!) {
		const name = binding.keys.includes('any') ? 'any' : names.find(candidate => binding.keys.includes(candidate));
		if (name === undefined) continue;
		return typeof binding.intent === 'function' ? binding.intent(name, input) : binding.intent;
	}
	return undefined;
}

/**
 * A paste (Ink's bracketed paste: the whole text at once, never as keys), as one line for the
 * `Paste` binding of the mode (bindings.ts): pasted text never runs as commands (a stray `q` would
 * quit). A mode without that binding (the help, the state picker) ignores it.
 */
export function pasteActions(text: string, ui: UiState): Action[] {
	// A copied line's trailing newline is no part of it; a leading space only matters after text.
	const line = text.replace(/\s+/g, ' ').trimEnd();
	if (line.trim() === '') return [];
	// Only a binding that names `Paste`: the help's "any key closes it" is about keys.
	const binding = byMode.get(modeOf(ui))!.find(candidate => candidate.keys.includes('Paste'));
	if (!binding) return [];
	const typed = ui.editing && ui.query !== '' ? line : line.trimStart();
	const intent = typeof binding.intent === 'function' ? binding.intent('Paste', typed) : binding.intent;
	return intent && 'action' in intent ? [intent.action] : [];
}

export interface KeyEvent {
	input: string;
	key: KeyLike;
}

/**
 * Esc pressed just before another key can reach Ink in one read (`\x1bs`), and Ink reports it
 * as Alt-s: key.meta with input `s`. gmon binds no Alt key, so such a key can only be Esc and
 * then the key; dropping it left the picker open and the sort unchanged.
 */
export function splitMeta(input: string, key: KeyLike): KeyEvent[] {
	const printable = input.length === 1 && input >= ' ' && input <= '~';
	if (!key.meta || key.escape || key.ctrl || !printable) return [{input, key}];
	return [
		{input: '', key: {escape: true}},
		{input, key: {}},
	];
}

/** `b`: the next group-by key: the stack groupings, then each pprof label key the dump carries (`label:tenant`). */
export function nextGroupBy(current: GroupBy | undefined, labelKeys: readonly string[] = []): GroupBy {
	const order: GroupBy[] = [...GROUP_BYS, ...labelKeys.map(key => `label:${key}` as const)];
	const i = order.indexOf(current ?? GROUP_BYS[0]);
	return order[(i + 1) % order.length]!;
}

/** `+`/`-`: the interval steps, so a few presses cover 250 ms to a minute. */
const intervalSteps = [250, 500, 1000, 2000, 3000, 5000, 10_000, 15_000, 30_000, 60_000];

export function nextInterval(current: number, direction: 'slower' | 'faster'): number {
	if (direction === 'slower') return intervalSteps.find(ms => ms > current) ?? intervalSteps[intervalSteps.length - 1]!;
	return [...intervalSteps].reverse().find(ms => ms < current) ?? intervalSteps[0]!;
}

/** One piece of an input burst: a run of printable text, or one control key. */
export type BurstPart = {text: string} | {key: KeyLike};

/**
 * Ink delivers a burst of input (fast typing, a paste, tmux send-keys) as one string, Enter and
 * Tab included (`/chan send\r`). Split it into printable runs and the keys between them.
 */
export function splitBurst(input: string): BurstPart[] {
	const parts: BurstPart[] = [];
	let run = '';
	const flush = () => {
		if (run !== '') parts.push({text: run});
		run = '';
	};
	for (const char of input) {
		let key: KeyLike | undefined;
		if (char === '\r' || char === '\n') key = {return: true};
		else if (char === '\t') key = {tab: true};
		else if (char === '\u007F' || char === '\b') key = {backspace: true};
		else if (char === '\u001B') key = {escape: true};
		else if (char < ' ') key = {};
		if (key === undefined) {
			run += char;
			continue;
		}
		flush();
		if (Object.keys(key).length > 0) parts.push({key});
	}
	flush();
	return parts;
}
