// The source lines and `e` in a real terminal, on a -trimpath dump (paths like
// example.com/statezoo/main.go, built elsewhere) mapped with --source-root to a checkout here; the
// editor is a tiny script that writes its argv to a file: gmon hands it the terminal and takes it back.
import assert from 'node:assert/strict';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {setTimeout as delay} from 'node:timers/promises';
import {binPath} from './helpers/built.ts';
import {save, slow, toPlainList, typeFilter} from './helpers/screen.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const dump = fileURLToPath(new URL('./fixtures/dumps/go1.19-trimpath-relative-paths.debug2.txt', import.meta.url));

async function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
	const deadline = Date.now() + slow;
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(50);
	}
}

test('source lines under --source-root, and e opens the blocking line in $EDITOR and comes back', {skip: skipUnless('tmux'), timeout: 120_000}, async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-source-e2e-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	// The checkout: main.go with the line the dump names (339) marked, and a hostile byte in a neighbour.
	const checkout = join(dir, 'statezoo');
	const lines = Array.from({length: 400}, (_, i) => `\t// statezoo line ${i + 1}`);
	lines[338] = '\tselect {} // main parks here';
	lines[336] = '\tx := "\u001B]0;pwned\u0007"';
	mkdirSync(checkout);
	writeFileSync(join(checkout, 'main.go'), `${lines.join('\n')}\n`);
	const argvFile = join(dir, 'editor-argv.txt');
	const editor = join(dir, 'editor.sh');
	writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
	chmodSync(editor, 0o755);

	const tmux = startTmux({
		command: `node ${JSON.stringify(binPath)} --source-root ${JSON.stringify(checkout)} ${JSON.stringify(dump)}; sleep 120`,
		cols: 100,
		rows: 40,
		env: {CI: 'false', EDITOR: editor, VISUAL: ''},
		cwd: repo,
	});
	t.after(() => tmux.kill());
	await tmux.waitForText(/ · polled /, slow);
	await typeFilter(tmux, 'main.go:339');
	tmux.send('Enter');
	let screen = await tmux.waitForText(/^ {4}→ 339 │ {5}select \{\} \/\/ main parks here$/m, slow);
	save('source-100x40.txt', screen);
	assert.match(screen, /^main\.main\(\)\n {4}example\.com\/statezoo\/main\.go:339\n {6}336 │ {5}\/\/ statezoo line 336$/m);
	assert.match(screen, /^ {6}342 │ {5}\/\/ statezoo line 342$/m);
	assert.match(screen, /x := "\\x1b\]0;pwned\\x07"/, 'bytes from the file are shown escaped');

	tmux.send('e');
	// Read once the script has written it: the file exists (empty) a moment before printf fills it.
	const argv = await waitFor(() => (existsSync(argvFile) ? readFileSync(argvFile, 'utf8') || undefined : undefined), 'the editor');
	assert.equal(argv, `+339\n${join(checkout, 'main.go')}\n`);
	// Back in the live view, redrawn whole, the keys working.
	screen = await tmux.waitForText(/^back from editor\.sh \(main\.go:339\)/m, slow);
	assert.match(screen, /^gmon /m);
	assert.match(screen, /→ 339 │/);

	// A frame whose file is not in the checkout: the view and `e` say so.
	await toPlainList(tmux);
	await typeFilter(tmux, 'writeGoroutineStacks');
	tmux.send('Enter');
	screen = await tmux.waitForText(/^ {4}source not found here or under --source-root .*statezoo$/m, slow);
	tmux.send('e');
	await tmux.waitForText(/runtime\/pprof\/pprof\.go:692 is not here or under .*statezoo/, slow);
});
