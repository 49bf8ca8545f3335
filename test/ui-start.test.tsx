// startTui in a real terminal (tmux): the alternate screen is entered, and left again on q,
// Ctrl-C, SIGTERM, SIGHUP and a crash, with the right exit codes. This file is also the program
// under test: run with GMON_UI_START_CHILD=1 it starts the TUI on a fake store instead.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {FakeStore, snapshot, tracked} from './helpers/fake-store.ts';
import {startTmux, type TmuxSession} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

async function child(): Promise<void> {
	const {startTui} = await import('../source/ui/start.tsx');
	const store = new FakeStore(snapshot(Array.from({length: 30}, (_, i) => tracked({id: i + 1, waitMs: i * 1000}))), {
		last: {at: Date.now(), durationMs: 12, bytes: 4096, debug: 2, dump: {kind: 'traceback', goroutines: [], records: [], truncated: false, bytes: 4096, skippedLines: 0}, truncated: false},
	});
	if (process.env['GMON_UI_START_CRASH']) setTimeout(() => {
		throw new Error('boom in a timer');
	}, 300);
	await startTui(store);
	process.stdout.write(`tui ended; store calls: ${store.calls.join(',')}\n`);
}

function alternateOn(session: TmuxSession): boolean {
	return execFileSync('tmux', ['-L', session.name, 'display-message', '-p', '-t', session.name, '#{alternate_on}'], {encoding: 'utf8'}).trim() === '1';
}

/**
 * The screen plus its scrollback: with remain-on-exit, tmux's "Pane is dead" line scrolls the
 * restored main screen up by one, so its first line moves into the history.
 */
function screenAndHistory(session: TmuxSession): string {
	return execFileSync('tmux', ['-L', session.name, 'capture-pane', '-p', '-S', '-', '-t', session.name], {encoding: 'utf8'});
}

async function exited(session: TmuxSession, timeoutMs = 10_000): Promise<number | undefined> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = session.status();
		if (status.exited) return status.exitCode;
		if (Date.now() > deadline) throw new Error(`still running. Screen:\n${session.capture()}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

function start(env: Record<string, string> = {}): TmuxSession {
	const self = fileURLToPath(import.meta.url);
	const cwd = fileURLToPath(new URL('..', import.meta.url));
	// exec: the pane's pid is node itself, so signals reach it.
	return startTmux({command: `printf 'shell before gmon\\n'; exec node --import tsx ${self}`, cwd, cols: 80, rows: 24, env: {CI: 'false', GMON_UI_START_CHILD: '1', ...env}});
}

async function running(session: TmuxSession): Promise<void> {
	await session.waitForText(/gmon localhost:6060/, 20_000);
	assert.equal(alternateOn(session), true, 'the TUI runs in the alternate screen');
	assert.doesNotMatch(session.capture(), /shell before gmon/);
}

if (process.env['GMON_UI_START_CHILD']) {
	await child();
} else {
	test('q leaves the alternate screen, stops the store and returns', {skip: skipUnless('tmux')}, async t => {
		const session = start();
		t.after(() => session.kill());
		await running(session);
		session.send('q');
		assert.equal(await exited(session), 0);
		assert.equal(alternateOn(session), false);
		const screen = screenAndHistory(session);
		assert.match(screen, /shell before gmon\ntui ended; store calls: stop/);
		assert.doesNotMatch(screen, /ID STATE/);
	});

	test('Ctrl-C quits the same way', {skip: skipUnless('tmux')}, async t => {
		const session = start();
		t.after(() => session.kill());
		await running(session);
		session.send('C-c');
		assert.equal(await exited(session), 0);
		assert.equal(alternateOn(session), false);
		assert.match(session.capture(), /tui ended/);
	});

	for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
		test(`${signal} restores the screen and exits ${code}`, {skip: skipUnless('tmux')}, async t => {
			const session = start();
			t.after(() => session.kill());
			await running(session);
			process.kill(session.panePid(), signal);
			assert.equal(await exited(session), code);
			assert.equal(alternateOn(session), false);
			assert.match(screenAndHistory(session), /shell before gmon/);
			assert.doesNotMatch(screenAndHistory(session), /tui ended|ID STATE/);
		});
	}

	test('a crash restores the screen, prints the error and exits 1', {skip: skipUnless('tmux')}, async t => {
		const session = start({GMON_UI_START_CRASH: '1'});
		t.after(() => session.kill());
		assert.equal(await exited(session, 20_000), 1);
		assert.equal(alternateOn(session), false);
		const screen = screenAndHistory(session);
		assert.match(screen, /shell before gmon\ngmon crashed: Error: boom in a timer/);
	});
}
