// The stack view's source lines and `e`'s argv: pure view logic, fed the file's lines as data.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {editorArgv, editorCommand, splitWords} from '../../source/view/editor.ts';
import {currentView, editFrame, initialUiState, reduce, stackContent, stackFrame, type Env} from '../../source/view/reducer.ts';
import {createSelector} from '../../source/view/select.ts';
import {sourceLines} from '../../source/view/source-lines.ts';
import {snapshot, tracked} from '../helpers/fake-store.ts';

const file = '/home/dev/app/worker.go';
const code = Array.from({length: 60}, (_, i) => `\tline${i + 1}()`);

test('the blocking line ±3, numbered and marked; tabs as four columns; outside bytes escaped', () => {
	const lines = sourceLines({frame: {func: 'main.worker', file, line: 41}, text: {file, lines: code}}, 80);
	assert.deepEqual(
		lines.map(line => line.text),
		[
			'      38 │     line38()',
			'      39 │     line39()',
			'      40 │     line40()',
			'    → 41 │     line41()',
			'      42 │     line42()',
			'      43 │     line43()',
			'      44 │     line44()',
		],
	);
	assert.equal(lines[3]!.tone, 'accent');
	// Near the top of a file: only the lines there are.
	assert.equal(sourceLines({frame: {func: 'f', file, line: 1}, text: {file, lines: code}}, 80).length, 4);
	const hostile = sourceLines({frame: {func: 'f', file, line: 1}, text: {file, lines: ['x := "\u001B[2J\u001B]0;pwned\u0007"']}}, 80);
	assert.doesNotMatch(hostile[0]!.text, /\u001B|\u0007/);
	assert.match(hostile[0]!.text, /\\x1b\[2J/);
	// Cut to the pane.
	assert.ok(sourceLines({frame: {func: 'f', file, line: 5}, text: {file, lines: code.map(l => l.repeat(20))}}, 40).every(line => line.text.length <= 40));
});

test('a file not readable here says so and how to map it; a line past its end says the file differs', () => {
	assert.deepEqual(
		sourceLines({frame: {func: 'f', file, line: 3}, text: {file}}, 100).map(line => line.text),
		['    source not found here; --source-root DIR maps it'],
	);
	assert.match(
		sourceLines({frame: {func: 'f', file, line: 3}, text: {file, root: '/src/app'}}, 100)[0]!.text,
		/not found here or under --source-root \/src\/app$/,
	);
	assert.match(sourceLines({frame: {func: 'f', file, line: 99}, text: {file, lines: code}}, 100)[0]!.text, /line 99 is past the end/);
});

test('the stack view shows the source under the blocking (user) frame only, for a goroutine and for its group', () => {
	const t = tracked({id: 7, groupKey: 'k'});
	const model = snapshot([t]);
	const env: Env = {model, bodyRows: 20, columns: 100, select: createSelector()};
	const stack = {kind: 'stack', target: {type: 'goroutine', id: 7}, scroll: 0} as const;
	const frame = stackFrame(stack, env)!;
	assert.equal(frame.func, 'main.worker0');
	const without = stackContent(stack, env).lines.map(line => line.text);
	assert.ok(!without.some(text => text.includes('│')), 'no source until the UI has read it');
	const withSource = stackContent(stack, {...env, source: {file: frame.file, lines: code}}).lines.map(line => line.text);
	const at = withSource.findIndex(text => text.startsWith('main.worker0('));
	assert.match(withSource[at + 1]!, /worker\.go:40$/);
	assert.equal(withSource[at + 2], '      37 │     line37()');
	assert.equal(withSource[at + 5], '    → 40 │     line40()');
	assert.equal(withSource.filter(text => text.includes('│')).length, 7, 'once, under that frame (not under runtime.gopark)');
	// Another file's text is not this frame's.
	assert.ok(!stackContent(stack, {...env, source: {file: '/other.go', lines: code}}).lines.some(line => line.text.includes('│')));
	const group = {kind: 'stack', target: {type: 'group', key: 'k'}, scroll: 0} as const;
	assert.ok(stackContent(group, {...env, source: {file: frame.file, lines: code}}).lines.some(line => line.text === '    → 40 │     line40()'));
	// `e` in the list opens the selected goroutine's blocking frame; in its stack the same one.
	const ui = initialUiState();
	assert.deepEqual(editFrame(ui, env), frame);
	const opened = reduce(ui, {type: 'enter'}, env);
	assert.equal(currentView(opened).kind, 'stack');
	assert.deepEqual(editFrame(opened, env), frame);
});

test("e's argv: the editor's own words, then +LINE FILE (vim, nano, emacs, …) or -g FILE:LINE (VS Code)", () => {
	assert.deepEqual(editorArgv(['vim'], '/src/a.go', 41), ['vim', '+41', '/src/a.go']);
	assert.deepEqual(editorArgv(['/usr/bin/nvim'], '/src/a.go', 41), ['/usr/bin/nvim', '+41', '/src/a.go']);
	assert.deepEqual(editorArgv(['nano'], '/src/a.go', 41), ['nano', '+41', '/src/a.go']);
	assert.deepEqual(editorArgv(['emacsclient', '-t'], '/src/a.go', 41), ['emacsclient', '-t', '+41', '/src/a.go']);
	assert.deepEqual(editorArgv(['code', '--wait'], '/src/a.go', 41), ['code', '--wait', '-g', '/src/a.go:41']);
	assert.deepEqual(editorArgv(['subl'], '/src/a.go', 41), ['subl', '/src/a.go:41']);
	assert.deepEqual(editorArgv(['my-editor'], '/src/a.go', 41), ['my-editor', '+41', '/src/a.go']);
	assert.deepEqual(editorArgv(['vi'], '/src/a.go', 0), ['vi', '+1', '/src/a.go']);
});

test('the editor command comes from $VISUAL, else $EDITOR, split into words without a shell', () => {
	assert.deepEqual(editorCommand({VISUAL: 'nvim', EDITOR: 'nano'}), ['nvim']);
	assert.deepEqual(editorCommand({VISUAL: '  ', EDITOR: 'code --wait'}), ['code', '--wait']);
	assert.equal(editorCommand({}), undefined);
	assert.deepEqual(splitWords(`"/Applications/Sub Text/subl" -w 'a b' c\\ d`), ['/Applications/Sub Text/subl', '-w', 'a b', 'c d']);
	// Shell syntax is just text: nothing is expanded or chained.
	assert.deepEqual(splitWords('vim; rm -rf $HOME'), ['vim;', 'rm', '-rf', '$HOME']);
});
