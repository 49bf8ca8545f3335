// Issue 16 under tmux, on the built gmon and an offline Go dump: a 60x15 pane keeps the state
// counts and scrolls the help; `y` and `w` write into ./gmon-dumps/ and print the full path.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {binPath} from './helpers/built.ts';
import {slow} from './helpers/screen.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const dump = fileURLToPath(new URL('./fixtures/dumps/go1.19-statezoo-all-states.debug2.txt', import.meta.url));

test('a 60x15 pane keeps the 1–9 state counts and scrolls the help; y and w write into ./gmon-dumps/ and say the full path', {
	skip: skipUnless('tmux'),
	timeout: 60_000,
}, async t => {
	const cwd = mkdtempSync(join(tmpdir(), 'gmon-e2e-small-'));
	const tmux = startTmux({command: `node ${JSON.stringify(binPath)} ${JSON.stringify(dump)}`, cols: 60, rows: 15, env: {CI: 'false'}, cwd});
	t.after(async () => {
		await tmux.kill();
		rmSync(cwd, {recursive: true, force: true});
	});
	const first = await tmux.waitForText(/ID STATE/, slow);
	const header = first.split('\n')[1]!;
	assert.match(header, /│ [1-9]:[a-z ]+ \d+ {2}[1-9]:[a-z]/, `the state counts are on the header:\n${first}`);
	assert.ok(header.trimEnd().length <= 60);

	tmux.send('?');
	const help = await tmux.waitForText(/^gmon keys, lines 1–\d+ of \d+/m, slow);
	assert.doesNotMatch(help, /taller pane/);
	tmux.send('PageDown');
	await tmux.waitForText(/^gmon keys, lines (?!1–)\d+–\d+ of \d+/m, slow);
	tmux.send('x');
	await tmux.waitForText(/ID STATE/, slow);

	tmux.resize(160, 30);
	await tmux.waitForText(/ID STATE {2}/, slow);
	tmux.send('y');
	const yanked = await tmux.waitForText(/wrote \S+gmon-goroutine-\d+\.txt/, slow);
	const path = /wrote (\S+gmon-goroutine-\d+\.txt)/.exec(yanked)![1]!;
	assert.equal(path, join(cwd, 'gmon-dumps', path.split('/').at(-1)!));
	assert.match(readFileSync(path, 'utf8'), /^goroutine \d+/m);

	tmux.send('w');
	const wrote = await tmux.waitForText(/wrote \S+\/gmon-dumps\/gmon-[^ ]+-\d{8}-\d{6}\.txt/, slow);
	const raw = /wrote (\S+)/.exec(wrote.split('\n').find(line => /gmon-\S+-\d{8}-\d{6}\.txt/.test(line))!)![1]!;
	assert.ok(existsSync(raw), raw);
	assert.equal(readFileSync(raw, 'utf8'), readFileSync(dump, 'utf8'));
	assert.deepEqual(readdirSync(cwd), ['gmon-dumps'], 'nothing loose in the start folder');
});
