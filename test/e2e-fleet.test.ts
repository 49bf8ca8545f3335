// Several targets in one live view, end to end: three real Go services (examples/leaky) on loopback
// ports, `gmon a b c` in a tmux pane at 80x24 and `gmon --watch a b c` beside it. A leak on two of
// them is one group with a count per target and one suspect "on 2 of 3 targets"; T shows one
// target at a time; one service killed is down in its header line with the reason while the others
// keep polling (a new leak on another still shows up); restarted, it is up in a new epoch. The
// --watch run prints each target's reports and says which target failed. One session for all.
import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {binPath} from './helpers/built.ts';
import {startLeaky} from './helpers/go-example.ts';
import {curl, save, slow, waitForScreen} from './helpers/screen.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const skip = skipUnless('go', 'tmux');
const repo = fileURLToPath(new URL('../', import.meta.url));

/** A target's header line (by its label: the port, at 80 columns), or undefined. */
const targetLine = (screen: string, port: number) => screen.split('\n').find(line => new RegExp(`^[ ▸] ${port} `).test(line));

/** The first row of the group list. */
const firstGroup = (screen: string) => {
	const lines = screen.split('\n');
	return lines[lines.findIndex(line => /^ +COUNT /.test(line)) + 1] ?? '';
};

/** The goroutines a target's header line counts. */
const goroutinesOn = (screen: string, port: number) => Number(/ up +(\d+) goroutines/.exec(targetLine(screen, port) ?? '')?.[1] ?? Number.NaN);

test('three Go services in one view at 80x24: merged groups with counts per target, T, one killed is down with its reason while the others poll, restarted in a new epoch; --watch beside it', {
	skip,
	timeout: 90_000,
}, async t => {
	// b runs its background load: its goroutine ids climb, so the restarted process (ids from 1
	// again) is told apart from the old one (see model/restart.ts).
	const [a, first, c] = await Promise.all([startLeaky({background: false}), startLeaky(), startLeaky({background: false})]);
	let b = first;
	t.after(() => Promise.all([a.stop(), b.stop(), c.stop()]));
	await Promise.all([curl(a, '/leak/fanout?n=5'), curl(b, '/leak/fanout?n=40')]);
	const targets = [a, b, c].map(service => `127.0.0.1:${service.port}`);

	const tmux = startTmux({
		command: `node ${JSON.stringify(binPath)} ${targets.join(' ')} --interval 300ms --max-overhead 0 --stuck-after 2`,
		cols: 80,
		rows: 24,
		env: {CI: 'false'},
		cwd: repo,
	});
	t.after(() => tmux.kill());
	const watch: ChildProcess = spawn(process.execPath, [binPath, '--watch', '--interval', '300ms', '--max-overhead', '0', ...targets], {
		cwd: repo,
		env: {...process.env, CI: 'true', NO_COLOR: ''},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	watch.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
	watch.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
	const watchExit = new Promise<number | null>(resolve => watch.once('close', code => resolve(code)));
	t.after(() => watch.kill('SIGKILL'));

	const step = (name: string, body: () => Promise<void>) =>
		t.test(name, async () => {
			try {
				await body();
			} catch (error) {
				save(`failed-e2e-fleet-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.txt`, `${String(error)}\n--- screen:\n${tmux.capture()}`);
				throw error;
			}
		});

	await step('a header line per target, each up with its goroutines and last poll', async () => {
		const screen = await waitForScreen(
			tmux,
			s => /^gmon 3 targets: 3 up/m.test(s) && [a, b, c].every(x => / up +\d+ goroutines · polled/.test(targetLine(s, x.port) ?? '')),
			slow,
		);
		assert.ok(goroutinesOn(screen, b.port) > goroutinesOn(screen, c.port), 'b holds its 39 leaked senders');
		assert.match(screen, /^ +ID ON {4}STATE/m, 'the goroutine list has a target column');
		assert.match(screen, new RegExp(`^\\?. +\\d+ (${b.port}|${a.port}) +chan send .*fanoutWorker`, 'm'), 'the leaked senders come first, each with its target');
		save('fleet-80x24-goroutines.txt', screen);
	});

	await step('the groups merge across targets: the fanout leak is one group with its count on each target, one suspect on 2 of 3', async () => {
		tmux.send('Tab');
		await tmux.waitForText(/^ +COUNT ON TARGETS +Δ/m, slow);
		// The leak sort puts the suspect first: the fanout senders (WHERE is cut at 80 columns). The
		// last of b's 40 workers may still be on its way to the send when the view first shows them.
		const merged = new RegExp(`^\\?.> +43 ${b.port}:39 ${a.port}:4 .*chan send +main\\.f`);
		const screen = await waitForScreen(tmux, s => merged.test(firstGroup(s)), slow);
		assert.match(firstGroup(screen), merged, 'one row, 43 goroutines: 39 on b and 4 on a');
		save('fleet-80x24-groups.txt', screen);
		tmux.send('v');
		const stack = await tmux.waitForText(/on 2 of 3 targets: /, slow);
		assert.match(stack, new RegExp(`^on 2 of 3 targets: ${b.port}:39 ${a.port}:4`, 'm'));
		assert.match(stack, /why: likely leak: 43 goroutines in chan send at leaks\.go:\d+ — on 2 of 3 targets/);
		tmux.send('Escape');
		await tmux.waitForText(/^ +COUNT ON TARGETS/m, slow);
	});

	await step('T shows one target at a time, then all again', async () => {
		tmux.send('T');
		let screen = await tmux.waitForText(`showing ${a.port} only`, slow);
		assert.match(screen, new RegExp(`^▸ ${a.port} +up`, 'm'));
		assert.match(screen, new RegExp(`target 127\\.0\\.0\\.1:${a.port}`), 'the status line names it');
		assert.match(firstGroup(screen), new RegExp(`^\\?.> +4 ${a.port}:4 .*chan send +main\\.f`));
		tmux.send('T', 'T', 'T');
		screen = await tmux.waitForNoText('showing', slow);
		assert.match(screen, /^gmon 3 targets: 3 up$/m);
	});

	await step('the tree says which target(s) each node runs on: the fanout leak on 2 of 3', async () => {
		tmux.send('t');
		const screen = await tmux.waitForText(/^ +TOTAL +OWN ON {4}STATE/m, slow);
		save('fleet-80x24-tree.txt', screen);
		assert.match(screen, /^.{3} +(\d+) +\1 2\/3 +chan send +main\.fanoutWorker/m, 'the fanout senders: on a and b, not c');
		assert.match(screen, /^.{3} +\d+ +\d+ all +.+▾ main\.main/m, 'main on all three');
		tmux.send('t');
		await tmux.waitForText(/^ +COUNT ON TARGETS/m, slow);
	});

	// How many reports of b --watch printed before b went down.
	let bReports = 0;
	const reported = (port: number) => out.split('\n').filter(line => line.startsWith(`gmon report: 127.0.0.1:${port} `)).length;

	await step('b killed: its line says down and why; a and c keep polling (a new leak on a shows up)', async () => {
		const before = goroutinesOn(tmux.capture(), a.port);
		// --watch (its own process) has reported every target before b goes: on a loaded machine it
		// can start later than this view.
		await waitFor(() => [a, b, c].every(service => reported(service.port) > 0));
		// b's live ids well above its start-up ones, polled before b goes, so the restarted process's
		// fresh ids are visibly low even when the backoff holds its first poll for seconds on a loaded
		// machine (see model/restart.ts).
		const bBefore = goroutinesOn(tmux.capture(), b.port);
		await curl(b, '/leak/fanout?n=300');
		await waitForScreen(tmux, s => goroutinesOn(s, b.port) >= bBefore + 290, slow);
		await b.stop();
		let screen = await waitForScreen(tmux, s => /down ✖ nothing listening on/.test(targetLine(s, b.port) ?? ''), slow);
		await waitFor(() => err.includes(`gmon: 127.0.0.1:${b.port}: nothing listening on 127.0.0.1:${b.port}`));
		bReports = reported(b.port);
		assert.match(screen, /^gmon 3 targets: 2 up, 1 down/m);
		await curl(a, '/leak/fanout?n=5');
		screen = await waitForScreen(tmux, s => goroutinesOn(s, a.port) >= before + 4, slow);
		assert.match(targetLine(screen, c.port) ?? '', / up +\d+ goroutines · polled just now/);
		assert.match(targetLine(screen, b.port) ?? '', /down ✖ nothing listening/, 'b is still down');
		save('fleet-80x24-one-down.txt', screen);
	});

	await step('b restarted on its port: up again, in a new epoch', async () => {
		b = await startLeaky({port: b.port});
		const screen = await waitForScreen(tmux, s => /up +\d+ goroutines · restarted: epoch 2/.test(targetLine(s, b.port) ?? ''), slow);
		assert.match(screen, /^gmon 3 targets: 3 up/m);
		assert.doesNotMatch(targetLine(screen, a.port) ?? '', /restarted/, 'a never restarted');
		save('fleet-80x24-restarted.txt', screen);
	});

	await step('a short pane folds the lines per target into one summary line', async () => {
		tmux.resize(80, 15);
		const screen = await tmux.waitForText(/^gmon 3 targets: 3 up\n.*│/m, slow);
		assert.equal(targetLine(screen, a.port), undefined, 'no line per target at 15 rows');
		tmux.resize(80, 24);
		tmux.send('q');
		await waitForScreen(tmux, () => tmux.status().exited, slow);
	});

	await step('--watch beside it: every target reported, b’s failures on stderr under its name, and b reported again after its restart', async () => {
		assert.ok(bReports > 0 && reported(a.port) > 0 && reported(c.port) > 0, 'every target was reported');
		// The restarted process's polls are reported again.
		await waitFor(() => reported(b.port) > bReports);
		watch.kill('SIGTERM');
		assert.equal(await watchExit, 0, `--watch ends on SIGTERM with 0: ${err.slice(-500)}`);
		assert.doesNotMatch(err, new RegExp(`127\\.0\\.0\\.1:(${a.port}|${c.port}): `), 'a and c never failed');
	});
});

async function waitFor(done: () => boolean): Promise<void> {
	const deadline = Date.now() + slow;
	while (!done()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
