// What the CLI decides when it runs in a real terminal (tmux): hints instead of hangs, colour only
// on a terminal and only when allowed, and the live TUI even with CI exported.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {binPath} from './helpers/built.ts';
import {fixture, repoDir} from './helpers/run-cli.ts';
import {startTmux, type TmuxSession} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const gmon = (args: string) => `node ${binPath} ${args}`;
// The shell reports gmon's exit status on screen and keeps the pane (and its text) alive.
const reportingExit = (args: string) => `${gmon(args)}; echo "exit=$?"; sleep 60`;

async function exitOf(session: TmuxSession): Promise<number> {
	const screen = await session.waitForText(/^exit=\d+$/m, 20_000);
	return Number(/^exit=(\d+)$/m.exec(screen)![1]);
}

describe('gmon in a terminal', {skip: skipUnless('tmux'), concurrency: 3}, () => {
	test('with no target it prints a hint that suggests --demo and exits 2', async t => {
		const session = startTmux({command: reportingExit(''), cwd: repoDir, cols: 120});
		t.after(() => session.kill());
		assert.equal(await exitOf(session), 2);
		assert.match(session.capture(), /^gmon: no target: try gmon localhost:6060, .* or gmon --demo/m);
	});

	test('- with the terminal as stdin refuses instead of waiting forever', async t => {
		const session = startTmux({command: reportingExit('-'), cwd: repoDir, cols: 120});
		t.after(() => session.kill());
		assert.equal(await exitOf(session), 2);
		assert.match(session.capture(), /stdin is the terminal: pipe one in/);
	});

	test('--once on a terminal is coloured; --no-color and NO_COLOR turn it off', async t => {
		const file = fixture('go1.19-statezoo-all-states.debug2.txt');
		const sessions = [
			startTmux({command: `${gmon(`--once ${file}`)} | head -3; sleep 30`, cwd: repoDir, cols: 100, rows: 10}),
			startTmux({command: `${gmon(`--once ${file}`)}; sleep 30`, cwd: repoDir, cols: 100, rows: 60}),
			startTmux({command: `${gmon(`--once --no-color ${file}`)}; sleep 30`, cwd: repoDir, cols: 100, rows: 60}),
			startTmux({command: `${gmon(`--once ${file}`)}; sleep 30`, cwd: repoDir, cols: 100, rows: 60, env: {NO_COLOR: '1'}}),
		];
		t.after(() => Promise.all(sessions.map(session => session.kill())));
		for (const session of sessions) await session.waitForText(/Where the top groups are parked|42 goroutines/);
		const [piped, coloured, noColor, noColorEnv] = sessions.map(session => session.capture({escapes: true}));
		assert.doesNotMatch(piped!, /\u001B\[/, 'a pipe gets no colour even inside a terminal');
		assert.match(coloured!, /\u001B\[(0;)?1m/, 'bold (tmux may merge it with a reset)');
		assert.doesNotMatch(noColor!, /\u001B\[/);
		assert.doesNotMatch(noColorEnv!, /\u001B\[/);
	});

	test('--demo starts the live TUI even with CI exported, and q quits with 0', async t => {
		const session = startTmux({command: reportingExit('--demo'), cwd: repoDir, cols: 100, rows: 30, env: {CI: 'true'}});
		t.after(() => session.kill());
		// Ink draws nothing until exit when it believes it is in CI: a drawn header proves gmon cleared it.
		await session.waitForText(/total \d+/, 20_000);
		session.send('q');
		assert.equal(await exitOf(session), 0);
	});

	test('SIGTERM ends the live TUI like q: the screen is given back, and the exit code says SIGTERM (143)', async t => {
		const dir = mkdtempSync(join(tmpdir(), 'gmon-tty-'));
		const pidFile = join(dir, 'pid');
		// The inner shell writes its pid and becomes gmon (exec), so the pid is gmon's.
		const command = `printf 'shell before gmon\\n'; sh -c 'echo $$ > ${pidFile}; exec ${gmon('--demo')}'; echo "exit=$?"; sleep 60`;
		const session = startTmux({command, cwd: repoDir, cols: 100, rows: 30});
		t.after(async () => {
			await session.kill();
			rmSync(dir, {recursive: true, force: true});
		});
		await session.waitForText(/total \d+/, 20_000);
		process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
		assert.equal(await exitOf(session), 143);
		const screen = session.capture();
		assert.match(screen, /^shell before gmon\nexit=143$/m);
		assert.doesNotMatch(screen, /total \d+/, 'the alternate screen is gone');
	});
});
