// pprof labels in a real terminal: test/go/labels (goroutines labelled with pprof.Do) built by
// Go 1.26 with GODEBUG=tracebacklabels=1 prints its own dump; gmon reads it from a file. `/` finds
// a label as `key=value`, the stack view shows the labels, and on a dump with none it says why.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {copyFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {binPath} from './helpers/built.ts';
import {goEnv} from './helpers/go-example.ts';
import {listRows, save, slow, typeFilter, waitForScreen} from './helpers/screen.ts';
import {goBuild} from './helpers/go-build.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../', import.meta.url));
const program = fileURLToPath(new URL('./go/labels/main.go', import.meta.url));
const unlabelled = fileURLToPath(new URL('./fixtures/dumps/go1.26-statezoo-all-states.debug2.txt', import.meta.url));

test('labels: /tenant=acme finds the labelled goroutine, its stack shows the labels; a dump without any says why', {
	skip: skipUnless('go', 'tmux'),
	timeout: 360_000,
}, async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-labels-e2e-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	copyFileSync(program, join(dir, 'main.go'));
	writeFileSync(join(dir, 'go.mod'), 'module labels\n\ngo 1.26\n');
	const env = {...goEnv(), GOTOOLCHAIN: 'local', GODEBUG: 'tracebacklabels=1'};
	const binary = await goBuild({dir, name: 'labels-go1.26', env});
	const {stdout} = await run(binary, [], {env, timeout: 60_000, maxBuffer: 1 << 24});
	const dump = join(dir, 'labelled.txt');
	writeFileSync(dump, stdout);

	const open = (file: string) => {
		const tmux = startTmux({command: `node ${JSON.stringify(binPath)} ${JSON.stringify(file)}; sleep 120`, cols: 100, rows: 24, env: {CI: 'false'}, cwd: repo});
		t.after(() => tmux.kill());
		return tmux;
	};

	const tmux = open(dump);
	await tmux.waitForText(/polled .* in \d/, slow);
	await typeFilter(tmux, 'tenant=acme');
	let screen = await waitForScreen(tmux, s => listRows(s).length === 1);
	tmux.send('Enter');
	screen = await tmux.waitForText(/^goroutine \d+ \[/m, slow);
	save('labels-stack-100x24.txt', screen);
	assert.match(screen, /labels handler=\/api\/v1\/export tenant=acme/);
	assert.doesNotMatch(screen, /no pprof labels/);

	const plain = open(unlabelled);
	await plain.waitForText(/polled .* in \d/, slow);
	plain.send('Enter');
	await plain.waitForText(/^goroutine \d+ \[/m, slow);
	// Under the stack: the end of the view.
	plain.send('G');
	screen = await plain.waitForText(/^no pprof labels here: Go 1\.27 prints them, 1\.26 with GODEBUG=tracebacklabels=1$/m, slow);
});
