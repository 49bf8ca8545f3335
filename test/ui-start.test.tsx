// startTui in a real terminal (tmux): the alternate screen is entered, and left again on q,
// Ctrl-C, SIGINT/SIGTERM (turned into an abort, as cli.tsx does), SIGHUP (Ink's own exit hook)
// and a crash, with the right exit codes. This file is also the program under test: run with
// GMON_UI_START_CHILD=1 it starts the TUI on a fake store instead.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {FakeStore, snapshot, tracked} from './helpers/fake-store.ts';
import {startTmux, type TmuxSession} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

async function child(): Promise<void> {
	const pidFile = process.env['GMON_UI_START_PIDFILE'];
	if (pidFile) writeFileSync(pidFile, String(process.pid));
	const [{startTui}, {abortOnSignals}, {signalExitCode}] = await Promise.all([
		import('../source/ui/start.tsx'),
		import('../source/cli/signals.ts'),
		import('../source/cli/exit-codes.ts'),
	]);
	const store = new FakeStore(snapshot(Array.from({length: 30}, (_, i) => tracked({id: i + 1, waitMs: i * 1000}))), {
		last: {
			at: Date.now(),
			durationMs: 12,
			bytes: 4096,
			debug: 2,
			dump: {kind: 'traceback', goroutines: [], records: [], truncated: false, bytes: 4096, skippedLines: 0},
			truncated: false,
		},
	});
	if (process.env['GMON_UI_START_CRASH'])
		setTimeout(() => {
			throw new Error('boom in a timer');
		}, 300);
	// As cli.tsx and run-tui.ts: SIGINT and SIGTERM abort, and the exit code follows the signal.
	const signal = abortOnSignals();
	await startTui(store, {signal});
	process.stdout.write(`tui ended; store calls: ${store.calls.join(',')}\n`);
	if (signal.aborted) process.exitCode = signalExitCode(signal.reason);
}

function alternateOn(session: TmuxSession): boolean {
	return execFileSync('tmux', ['-L', session.name, 'display-message', '-p', '-t', session.name, '#{alternate_on}'], {encoding: 'utf8'}).trim() === '1';
}

/** The screen plus its scrollback (whatever scrolled off the restored main screen). */
function screenAndHistory(session: TmuxSession): string {
	return execFileSync('tmux', ['-L', session.name, 'capture-pane', '-p', '-S', '-', '-t', session.name], {encoding: 'utf8'});
}

/**
 * The child's exit status, as the shell printed it after the child ended. (tmux 3.3 can report a
 * pane dead before it has reaped the process, with no status yet: the shell's word is reliable.)
 */
async function exited(session: TmuxSession, timeoutMs = 15_000): Promise<number> {
	const screen = await session.waitForText(/^child exited with \d+$/m, timeoutMs);
	return Number(/^child exited with (\d+)$/m.exec(screen)![1]);
}

interface Child {
	session: TmuxSession;
	/** The child's pid (written by the child when it starts). */
	pid(): number;
	cleanup(): Promise<void>;
}

function start(env: Record<string, string> = {}): Child {
	const self = fileURLToPath(import.meta.url);
	const cwd = fileURLToPath(new URL('..', import.meta.url));
	const dir = mkdtempSync(join(tmpdir(), 'gmon-ui-start-'));
	const pidFile = join(dir, 'pid');
	const session = startTmux({
		command: `printf 'shell before gmon\\n'; node --import tsx ${self}; echo "child exited with $?"`,
		cwd,
		cols: 80,
		rows: 24,
		env: {CI: 'false', GMON_UI_START_CHILD: '1', GMON_UI_START_PIDFILE: pidFile, ...env},
	});
	return {
		session,
		pid: () => Number(readFileSync(pidFile, 'utf8')),
		async cleanup() {
			await session.kill();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

async function running(session: TmuxSession): Promise<void> {
	await session.waitForText(/gmon localhost:6060/, 20_000);
	assert.equal(alternateOn(session), true, 'the TUI runs in the alternate screen');
	assert.doesNotMatch(session.capture(), /shell before gmon/);
	// Keys reach gmon only once Ink has the terminal in raw mode (set in an effect after the first
	// frame); before that Ctrl-C is a real SIGINT (exit 130). A key that visibly works proves it.
	session.send('?');
	await session.waitForText(/Quit +.*q Ctrl-C quit/, 20_000);
	session.send('Escape');
	await session.waitForNoText(/Quit +.*q Ctrl-C quit/, 20_000);
}

if (process.env['GMON_UI_START_CHILD']) {
	await child();
} else {
	test('q leaves the alternate screen, stops the store and returns', {skip: skipUnless('tmux')}, async t => {
		const {session, cleanup} = start();
		t.after(cleanup);
		await running(session);
		session.send('q');
		assert.equal(await exited(session), 0);
		assert.equal(alternateOn(session), false);
		const screen = screenAndHistory(session);
		assert.match(screen, /shell before gmon\ntui ended; store calls: stop\nchild exited with 0/);
		assert.doesNotMatch(screen, /ID STATE/);
	});

	test('Ctrl-C quits the same way', {skip: skipUnless('tmux')}, async t => {
		const {session, cleanup} = start();
		t.after(cleanup);
		await running(session);
		session.send('C-c');
		assert.equal(await exited(session), 0);
		assert.equal(alternateOn(session), false);
		assert.match(screenAndHistory(session), /shell before gmon\ntui ended/);
	});

	for (const [signal, code] of [
		['SIGTERM', 143],
		['SIGINT', 130],
	] as const) {
		test(`${signal} ends the TUI like q: the screen restored, the store stopped, exit ${code}`, {skip: skipUnless('tmux')}, async t => {
			const child = start();
			t.after(child.cleanup);
			await running(child.session);
			process.kill(child.pid(), signal);
			assert.equal(await exited(child.session), code);
			assert.equal(alternateOn(child.session), false);
			const screen = screenAndHistory(child.session);
			assert.match(screen, /shell before gmon\ntui ended; store calls: stop\nchild exited with \d+/);
			assert.doesNotMatch(screen, /ID STATE/);
		});
	}

	test('SIGHUP (nobody listens but Ink) restores the screen and kills the process with it: 129', {skip: skipUnless('tmux')}, async t => {
		const child = start();
		t.after(child.cleanup);
		await running(child.session);
		process.kill(child.pid(), 'SIGHUP');
		assert.equal(await exited(child.session), 129);
		assert.equal(alternateOn(child.session), false);
		const screen = screenAndHistory(child.session);
		// Between the two lines, bash's own report of the signal ("… Hangup  node …").
		assert.match(screen, /shell before gmon\n.*Hangup[\s\S]*?\nchild exited with 129/);
		assert.doesNotMatch(screen, /tui ended|ID STATE/);
	});

	test('a crash restores the screen, prints the error and exits 1', {skip: skipUnless('tmux')}, async t => {
		const {session, cleanup} = start({GMON_UI_START_CRASH: '1'});
		t.after(cleanup);
		assert.equal(await exited(session, 20_000), 1);
		assert.equal(alternateOn(session), false);
		assert.match(screenAndHistory(session), /^shell before gmon\ngmon crashed: Error: boom in a timer/m);
	});
}
