// Keys → intents. Pure (a subset of Ink's Key shape, no Ink import), so every binding is tested
// without a terminal. Conventions from htop, k9s and lazygit; Esc goes back or clears, never quits.
import {GROUP_BYS, type GroupBy} from '../model/types.ts';
import type {Action, UiState} from './types.ts';

export interface KeyLike {
	upArrow?: boolean;
	downArrow?: boolean;
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

/** Things the key asks of the store (the poller) or the process rather than of the UI state. */
export type Command = 'quit' | 'pause' | 'refresh' | 'slower' | 'faster' | 'write' | 'groupBy';

export type Intent = {action: Action} | {command: Command} | undefined;

const act = (action: Action): Intent => ({action});
const cmd = (command: Command): Intent => ({command});

export function keyIntent(input: string, key: KeyLike, ui: UiState): Intent {
	if (key.ctrl && input === 'c') return cmd('quit');
	// Ink 6.8 sets key.meta on a lone Escape too: test escape first.
	if (key.escape) return act({type: 'back'});

	if (ui.editing) {
		if (key.return) return act({type: 'acceptQuery'});
		// Ink 6.8 reports the Backspace key (0x7f) as key.delete.
		if (key.backspace || key.delete) return act({type: 'backspaceQuery'});
		if (key.upArrow) return act({type: 'nav', nav: 'up'});
		if (key.downArrow) return act({type: 'nav', nav: 'down'});
		if (key.ctrl && input === 'u') return act({type: 'clearQuery'});
		if (key.ctrl || key.meta || key.tab || input === '') return undefined;
		return act({type: 'typeQuery', text: input});
	}

	if (ui.overlay === 'help') {
		if (input === 'q') return cmd('quit');
		// Any other key closes the help and is otherwise ignored, so nothing happens unseen.
		return act({type: 'toggleHelp'});
	}

	if (key.upArrow) return act({type: 'nav', nav: 'up'});
	if (key.downArrow) return act({type: 'nav', nav: 'down'});
	if (key.pageUp) return act({type: 'nav', nav: 'pageUp'});
	if (key.pageDown) return act({type: 'nav', nav: 'pageDown'});
	if (key.home) return act({type: 'nav', nav: 'top'});
	if (key.end) return act({type: 'nav', nav: 'bottom'});
	if (key.ctrl && input === 'u') return act({type: 'nav', nav: 'halfUp'});
	if (key.ctrl && input === 'd') return act({type: 'nav', nav: 'halfDown'});
	if (key.ctrl || key.meta) return undefined;

	if (ui.overlay === 'states') {
		if (key.return || input === ' ') return act({type: 'togglePicked'});
		if (input === 'j') return act({type: 'nav', nav: 'down'});
		if (input === 'k') return act({type: 'nav', nav: 'up'});
		if (input === 'f') return act({type: 'openStates'});
		if (input === 'x' || input === '0') return act({type: 'clearStates'});
		if (/^[1-9]$/.test(input)) return act({type: 'toggleStateAt', index: Number(input) - 1});
		if (input === 'q') return cmd('quit');
		return undefined;
	}

	if (key.return) return act({type: 'enter'});
	if (key.tab) return act({type: 'toggleView'});
	switch (input) {
		case 'j':
			return act({type: 'nav', nav: 'down'});
		case 'k':
			return act({type: 'nav', nav: 'up'});
		case 'g':
			return act({type: 'nav', nav: 'top'});
		case 'G':
			return act({type: 'nav', nav: 'bottom'});
		case 's':
			return act({type: 'cycleSort'});
		case 'S':
			return act({type: 'reverseSort'});
		case 'f':
			return act({type: 'openStates'});
		case '0':
			return act({type: 'clearStates'});
		case '/':
			return act({type: 'startQuery'});
		case 'H':
			return act({type: 'toggleIdle'});
		case '?':
			return act({type: 'toggleHelp'});
		case 'c':
			return act({type: 'jumpToParent'});
		case 'v':
			return act({type: 'openGroupStack'});
		case 'b':
			return cmd('groupBy');
		case 'p':
		case ' ':
			return cmd('pause');
		case 'r':
			return cmd('refresh');
		case '+':
		case '=':
			return cmd('slower');
		case '-':
		case '_':
			return cmd('faster');
		case 'w':
			return cmd('write');
		case 'q':
			return cmd('quit');
	}
	if (/^[1-9]$/.test(input)) return act({type: 'toggleStateAt', index: Number(input) - 1});
	return undefined;
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

/** `b`: the next group-by key. */
export function nextGroupBy(current: GroupBy | undefined): GroupBy {
	const i = GROUP_BYS.indexOf(current ?? GROUP_BYS[0]);
	return GROUP_BYS[(i + 1) % GROUP_BYS.length]!;
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
		else if (char === '\u007F' || char === '\b') key = {delete: true};
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
