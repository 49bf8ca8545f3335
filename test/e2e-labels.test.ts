// pprof labels in a real terminal: test/go/labels (goroutines labelled with pprof.Do) built by
// Go 1.26 with GODEBUG=tracebacklabels=1 prints its own dump; gmon reads it from a file. `/` finds
// a label as `key=value`, the stack view shows the labels, and on a dump with none it says why.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {binPath} from './helpers/built.ts';
import {goEnv} from './helpers/go-example.ts';
import {groupRows, listRows, save, slow, statusOf, toPlainList, typeFilter, waitForScreen} from './helpers/screen.ts';
import {goBuild, stableModule} from './helpers/go-build.ts';
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
	// The same module as test/go-labels.test.ts builds: one binary, whose stacks point at main.go in a folder that stays.
	const module = stableModule('labels-go1.26', {'main.go': readFileSync(program, 'utf8'), 'go.mod': 'module labels\n\ngo 1.26\n'});
	const env = {...goEnv(), GOTOOLCHAIN: 'local', GODEBUG: 'tracebacklabels=1'};
	const binary = await goBuild({dir: module, name: 'labels-go1.26', env});
	const {stdout} = await run(binary, [], {env, timeout: 60_000, maxBuffer: 1 << 24});
	const dump = join(dir, 'labelled.txt');
	writeFileSync(dump, stdout);

	const open = (file: string) => {
		const tmux = startTmux({command: `node ${JSON.stringify(binPath)} ${JSON.stringify(file)}; sleep 120`, cols: 100, rows: 24, env: {CI: 'false'}, cwd: repo});
		t.after(() => tmux.kill());
		return tmux;
	};

	const tmux = open(dump);
	await tmux.waitForText(/ · polled /, slow);
	await typeFilter(tmux, 'tenant=acme');
	let screen = await waitForScreen(tmux, s => listRows(s).length === 1);
	tmux.send('Enter');
	screen = await tmux.waitForText(/^goroutine \d+ \[/m, slow);
	save('labels-stack-100x24.txt', screen);
	assert.match(screen, /labels handler=\/api\/v1\/export tenant=acme/);
	assert.doesNotMatch(screen, /no pprof labels/);
	// The program's own source is on this machine: the blocking line, marked, under its frame.
	screen = await tmux.waitForText(/^ {4}→ +\d+ │ +<-hold$/m, slow);

	// b goes through the stack groupings to each label key; by tenant: a group per value, and one without.
	await toPlainList(tmux);
	tmux.send('Tab');
	await tmux.waitForText(/by stack/, slow);
	const byOf = (s: string) => /· by (label \w+|\w+)/.exec(statusOf(s))?.[1];
	for (let i = 0; i < 12 && byOf(tmux.capture()) !== 'label tenant'; i++) {
		const before = byOf(tmux.capture());
		tmux.send('b');
		await waitForScreen(tmux, s => byOf(s) !== before);
	}
	screen = await tmux.waitForText(/by label tenant/, slow);
	save('labels-by-tenant-100x24.txt', screen);
	// One sparkline rule: the dump's steady total and each steady group draw alike, full height.
	assert.match(screen, /^total 4 █+ ±0/m);
	const rows = groupRows(screen);
	assert.ok(
		rows.every(row => /^.{3} +\d+ +█+ /.test(screen.split('\n').find(line => line.includes(row.where)) ?? '')),
		screen,
	);
	assert.ok(
		rows.some(row => /^tenant=acme · /.test(row.where) && row.count === 1),
		screen,
	);
	assert.ok(
		rows.some(row => /^no tenant · /.test(row.where)),
		screen,
	);
	// Its members: the one acme goroutine.
	const acme = rows.findIndex(row => row.where.startsWith('tenant=acme'));
	for (let i = 0; i < acme; i++) tmux.send('Down');
	await waitForScreen(
		tmux,
		s =>
			groupRows(s)
				.find(row => row.selected)
				?.where.startsWith('tenant=acme') === true,
	);
	tmux.send('Enter');
	screen = await waitForScreen(tmux, s => /^group tenant=acme: /m.test(statusOf(s)) && listRows(s).length === 1);
	const acmeId = listRows(screen)[0]!.id;
	// b from here (back to by stack): the list follows its goroutine into its group under the new
	// key — the stack it shares with the other labelled worker — and nothing is called gone.
	tmux.send('b');
	screen = await waitForScreen(tmux, s => /group \(now by stack\)/.test(statusOf(s)));
	assert.deepEqual(
		listRows(screen)
			.map(row => row.id)
			.includes(acmeId),
		true,
		screen,
	);
	assert.equal(listRows(screen).length, 2, screen);
	assert.doesNotMatch(screen, /gone/);

	const plain = open(unlabelled);
	await plain.waitForText(/ · polled /, slow);
	// A key=value filter on a dump without labels: the empty list says why nothing can match.
	await typeFilter(plain, 'tenant=acme');
	await plain.waitForText(/^no goroutine matches the filters \(Esc clears\)\nno pprof labels here: Go 1\.27 prints them/m, slow);
	plain.send('Escape');
	await waitForScreen(plain, s => listRows(s).length > 0);
	plain.send('Enter');
	await plain.waitForText(/^goroutine \d+ \[/m, slow);
	// A footnote under the stack: the end of the view.
	plain.send('G');
	screen = await plain.waitForText(/^no pprof labels here: Go 1\.27 prints them, 1\.26 with GODEBUG=tracebacklabels=1$/m, slow);
	const lines = screen.split('\n');
	const note = lines.findIndex(line => line.startsWith('no pprof labels here'));
	assert.ok(
		lines.slice(0, note).some(line => /^ {4}\S+\.go:\d+/.test(line)),
		`the note is under the stack:\n${screen}`,
	);
});
