import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keyIntent, nextGroupBy, nextInterval, pasteActions, splitBurst, splitMeta} from '../../source/view/keymap.ts';
import {createSelector} from '../../source/view/select.ts';
import {initialUiState, reduce, type Env} from '../../source/view/reducer.ts';
import type {UiState} from '../../source/view/types.ts';
import {snapshot, tracked} from '../helpers/fake-store.ts';

const ui = initialUiState();

test('Escape goes back, in the lists and in the prompt; it never quits', () => {
	assert.deepEqual(keyIntent('', {escape: true}, ui), {action: {type: 'back'}});
	assert.deepEqual(keyIntent('', {escape: true}, {...ui, editing: true}), {action: {type: 'back'}});
	assert.deepEqual(keyIntent('', {escape: true}, {...ui, overlay: 'help'}), {action: {type: 'back'}});
});

test('q and Ctrl-C quit; in the filter prompt q is a letter but Ctrl-C still quits', () => {
	assert.deepEqual(keyIntent('q', {}, ui), {command: 'quit'});
	assert.deepEqual(keyIntent('c', {ctrl: true}, ui), {command: 'quit'});
	const editing = {...ui, editing: true};
	assert.deepEqual(keyIntent('q', {}, editing), {action: {type: 'typeQuery', text: 'q'}});
	assert.deepEqual(keyIntent('chan receive', {}, editing), {action: {type: 'typeQuery', text: 'chan receive'}});
	assert.deepEqual(keyIntent('c', {ctrl: true}, editing), {command: 'quit'});
});

test('Backspace deletes in the prompt; forward Delete does nothing there (the cursor is at the end)', () => {
	const editing = {...ui, editing: true};
	assert.deepEqual(keyIntent('', {backspace: true}, editing), {action: {type: 'backspaceQuery'}});
	assert.equal(keyIntent('', {delete: true}, editing), undefined);
	assert.deepEqual(keyIntent('', {return: true}, editing), {action: {type: 'acceptQuery'}});
	assert.deepEqual(keyIntent('u', {ctrl: true}, editing), {action: {type: 'clearQuery'}});
});

test('movement keys: arrows, j/k, pages, Ctrl-u/d half pages, g/G and Home/End', () => {
	const nav = (input: string, key = {}) => {
		const intent = keyIntent(input, key, ui);
		return intent && 'action' in intent && intent.action.type === 'nav' ? intent.action.nav : undefined;
	};
	assert.equal(nav('', {upArrow: true}), 'up');
	assert.equal(nav('j'), 'down');
	assert.equal(nav('k'), 'up');
	assert.equal(nav('', {pageDown: true}), 'pageDown');
	assert.equal(nav('', {pageUp: true}), 'pageUp');
	assert.equal(nav('d', {ctrl: true}), 'halfDown');
	assert.equal(nav('u', {ctrl: true}), 'halfUp');
	assert.equal(nav('g'), 'top');
	assert.equal(nav('G'), 'bottom');
	assert.equal(nav('', {home: true}), 'top');
	assert.equal(nav('', {end: true}), 'bottom');
});

test('store commands: pause on p and Space, refresh, interval, write, group-by', () => {
	assert.deepEqual(keyIntent('p', {}, ui), {command: 'pause'});
	assert.deepEqual(keyIntent(' ', {}, ui), {command: 'pause'});
	assert.deepEqual(keyIntent('r', {}, ui), {command: 'refresh'});
	assert.deepEqual(keyIntent('+', {}, ui), {command: 'slower'});
	assert.deepEqual(keyIntent('-', {}, ui), {command: 'faster'});
	assert.deepEqual(keyIntent('w', {}, ui), {command: 'write'});
	assert.deepEqual(keyIntent('b', {}, ui), {command: 'groupBy'});
});

test('digits toggle states; in the picker Space toggles the row under the cursor', () => {
	assert.deepEqual(keyIntent('3', {}, ui), {action: {type: 'toggleStateAt', index: 2}});
	const picker = {...ui, overlay: 'states' as const};
	assert.deepEqual(keyIntent(' ', {}, picker), {action: {type: 'togglePicked'}});
	assert.deepEqual(keyIntent('j', {}, picker), {action: {type: 'nav', nav: 'down'}});
	assert.deepEqual(keyIntent('f', {}, picker), {action: {type: 'openStates'}});
});

test('b cycles stack → where → top → creator → stack; +/- step the interval', () => {
	assert.equal(nextGroupBy('stack'), 'where');
	assert.equal(nextGroupBy('where'), 'top');
	assert.equal(nextGroupBy('top'), 'creator');
	assert.equal(nextGroupBy('creator'), 'stack');
	assert.equal(nextInterval(2000, 'slower'), 3000);
	assert.equal(nextInterval(2000, 'faster'), 1000);
	assert.equal(nextInterval(1500, 'faster'), 1000);
	assert.equal(nextInterval(250, 'faster'), 250);
	assert.equal(nextInterval(60_000, 'slower'), 60_000);
});

test('with the help open, ↑↓ j/k PgUp/PgDn scroll it, q quits, any other key closes it', () => {
	const help = {...ui, overlay: 'help' as const};
	assert.deepEqual(keyIntent('', {downArrow: true}, help), {action: {type: 'nav', nav: 'down'}});
	assert.deepEqual(keyIntent('k', {}, help), {action: {type: 'nav', nav: 'up'}});
	assert.deepEqual(keyIntent('', {pageDown: true}, help), {action: {type: 'nav', nav: 'pageDown'}});
	assert.deepEqual(keyIntent('x', {}, help), {action: {type: 'toggleHelp'}});
	assert.deepEqual(keyIntent('', {return: true}, help), {action: {type: 'toggleHelp'}});
	assert.deepEqual(keyIntent('q', {}, help), {command: 'quit'});
});

test('a burst of input splits into text runs and the keys inside it', () => {
	assert.deepEqual(splitBurst('/chan send\r'), [{text: '/chan send'}, {key: {return: true}}]);
	assert.deepEqual(splitBurst('ab\u007Fc\tq'), [{text: 'ab'}, {key: {backspace: true}}, {text: 'c'}, {key: {tab: true}}, {text: 'q'}]);
	assert.deepEqual(splitBurst('x\u0001y'), [{text: 'x'}, {text: 'y'}]);
});

test('Esc and a key read together arrive as Alt+key; gmon binds no Alt key, so it is Esc then the key', () => {
	assert.deepEqual(splitMeta('s', {meta: true}), [
		{input: '', key: {escape: true}},
		{input: 's', key: {}},
	]);
	assert.deepEqual(splitMeta('S', {meta: true}), [
		{input: '', key: {escape: true}},
		{input: 'S', key: {}},
	]);
	// A lone Escape, Ctrl and named keys are left alone.
	assert.deepEqual(splitMeta('', {escape: true}), [{input: '', key: {escape: true}}]);
	assert.deepEqual(splitMeta('s', {}), [{input: 's', key: {}}]);
	assert.deepEqual(splitMeta('', {meta: true, upArrow: true}), [{input: '', key: {meta: true, upArrow: true}}]);
	assert.deepEqual(splitMeta('c', {ctrl: true, meta: true}), [{input: 'c', key: {ctrl: true, meta: true}}]);
	// Through the keymap and the reducer: the picker closes and the sort moves on.
	const model = snapshot([tracked({id: 1}), tracked({id: 2, state: 'select'})]);
	const env: Env = {model, bodyRows: 10, columns: 80, select: createSelector()};
	let state: UiState = {...ui, overlay: 'states'};
	for (const event of splitMeta('s', {meta: true})) {
		const intent = keyIntent(event.input, event.key, state);
		if (intent && 'action' in intent) state = reduce(state, intent.action, env);
	}
	assert.equal(state.overlay, undefined);
	assert.deepEqual(state.sort.goroutines, {key: 'wait', desc: true});
});

test('a paste is filter text, one line: it opens the prompt from a list, and is ignored over an overlay', () => {
	assert.deepEqual(pasteActions('main.(*Server).publish\n', ui), [{type: 'startQuery', text: 'main.(*Server).publish'}]);
	const env: Env = {model: snapshot([tracked({id: 1})]), bodyRows: 10, columns: 80, select: createSelector()};
	const opened = reduce(ui, pasteActions('main.(*Server).publish\n', ui)[0]!, env);
	assert.equal(opened.editing, true);
	assert.equal(opened.query, 'main.(*Server).publish');
	assert.deepEqual(pasteActions('chan\r\n  send', {...ui, editing: true}), [{type: 'typeQuery', text: 'chan send'}]);
	assert.deepEqual(pasteActions(' \n', ui), []);
	assert.deepEqual(pasteActions('q', {...ui, overlay: 'help'}), []);
	assert.deepEqual(pasteActions('q', {...ui, overlay: 'states'}), []);
});

test('text typed fast into the prompt is text, even when it spells a key name', () => {
	const editing = {...ui, editing: true};
	assert.deepEqual(keyIntent('Enter', {}, editing), {action: {type: 'typeQuery', text: 'Enter'}});
	assert.deepEqual(keyIntent('Paste', {}, editing), {action: {type: 'typeQuery', text: 'Paste'}});
});
