// The user story gmon exists for, end to end at 80x24: the leaky Go example runs, the real `gmon`
// CLI watches it in a tmux pane, curls leak goroutines, and the test reads the screen the way a
// person would — the leaks listed at the right function, marked stuck after exactly the
// configured polls, their groups on top as suspects, the filters narrowing the list, Enter
// landing on the blocking line, Esc going back, an error banner when the service dies, recovery
// when it returns, and q restoring the screen. With GMON_CAPTURES_DIR set, the screens are saved there.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {setTimeout as delay} from 'node:timers/promises';
import {skipUnless} from './helpers/tools.ts';
import {startLeaky, leakSites, type LeakSite} from './helpers/go-example.ts';
import {binPath} from './helpers/built.ts';
import {startTmux} from './helpers/tmux.ts';
import {
	curl,
	escapeRegExp,
	groupRows,
	headerStateCount,
	listLength,
	listRows,
	parked,
	save,
	slow,
	toPlainList,
	typeFilter,
	waitForScreen,
	type ListRow,
} from './helpers/screen.ts';

const skip = skipUnless('go', 'tmux');
const bin = binPath;
const repo = fileURLToPath(new URL('../', import.meta.url));

test('a curl-triggered leak watched live at 80x24: stuck after 3 polls, suspects on top, filters, stack, error banner, recovery, quit', {
	skip,
	timeout: 120_000,
}, async t => {
	let service = await startLeaky();
	t.after(() => service.stop());
	const port = service.port;
	const sites = leakSites();
	const site = (name: LeakSite['name']) => sites.find(s => s.name === name)!;

	// A line before gmon starts and the shell kept after it: after q the alternate screen must give
	// the line back (a dead tmux pane is blanked, so the shell stays and reports gmon's status).
	const tmux = startTmux({
		command: `printf 'before gmon\\n'; node ${JSON.stringify(bin)} 127.0.0.1:${port} --interval 500ms --stuck-after 3 --max-overhead 0; echo "gmon exited with $?"; sleep 120`,
		cols: 80,
		rows: 24,
		env: {CI: 'false'},
		cwd: repo,
	});
	t.after(() => tmux.kill());

	// Each step is a subtest, so one failing check is reported without hiding the others; its
	// screen is saved next to the captures.
	const step = (name: string, body: () => Promise<void>) =>
		t.test(name, async () => {
			try {
				await body();
			} catch (error) {
				try {
					save(
						`failed-e2e-leak-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.txt`,
						`${error instanceof Error ? error.message : String(error)}\n--- screen at failure:\n${tmux.capture()}`,
					);
				} catch {
					// the session is gone
				}
				throw error;
			}
		});

	await step('gmon draws its first poll of the target in the alternate screen', async () => {
		const screen = await tmux.waitForText(/ · polled /, slow);
		assert.match(screen, new RegExp(`^gmon 127\\.0\\.0\\.1:${port} · `), 'the header names the target');
		assert.doesNotMatch(screen, /before gmon/, "the shell's screen is hidden while gmon runs");
		assert.ok(
			listRows(screen).some(row => row.where === 'main.worker'),
			"the example's worker pool is listed",
		);
	});

	// Watch one function with the fuzzy filter, pause, and step polls with r: the leaked goroutine
	// is new on the first poll, plain on the second, stuck (●) on the third — --stuck-after 3.
	const sender = site('forgotten-sender');
	await step('a leaked goroutine is a suspect (?) on the first look, new on its first poll and marked stuck on exactly the 3rd (--stuck-after 3)', async () => {
		await typeFilter(tmux, 'searchWorker');
		tmux.send('p');
		// Paused, and no poll in flight: the last one is a second old.
		await tmux.waitForText(/^gmon .*PAUSED · polled [1-9]\d*s ago/m, slow);
		await Promise.all(sites.map(s => curl(service, s.path)));
		await parked(service, sites, 1);
		assert.equal(listRows(tmux.capture()).length, 0, 'nothing matches before gmon polls again');

		const row = () => listRows(tmux.capture()).find(r => r.where === sender.func);
		const waitRow = async (mark: string, what: string) => {
			const deadline = Date.now() + slow;
			while (row()?.mark !== mark) {
				if (Date.now() > deadline) throw new Error(`${what}: expected mark "${mark}", screen:\n${tmux.capture()}`);
				await delay(100);
			}
			return row()!;
		};
		tmux.send('r');
		// A sender whose handler has returned is a likely leak at once: `?` from the first poll on.
		const first = await waitRow('?+', 'poll 1 marks it new, and a suspect');
		assert.equal(first.state, sender.state);
		assert.equal(first.file, `${sender.file}:${sender.line}`);
		tmux.send('r');
		const second = await waitRow('? ', 'poll 2: neither new nor stuck yet');
		assert.equal(second.id, first.id);
		tmux.send('r');
		const third = await waitRow('?●', 'poll 3 marks it stuck');
		assert.equal(third.id, first.id);
	});

	// Two more rounds, live: the groups grow with goroutines born while gmon watched.
	await step('two more rounds of curls, live, make all four leaks suspects', async () => {
		if (/^gmon .*PAUSED/m.test(tmux.capture())) tmux.send('p');
		await tmux.waitForNoText(/^gmon .*PAUSED/m, slow);
		for (let round = 0; round < 2; round++) await Promise.all(sites.map(s => curl(service, s.path)));
		await parked(service, sites, 3);
		const screen = await tmux.waitForText(/suspects 4\b/, slow);
		assert.match(screen, /stuck \d+/, 'the header counts stuck goroutines');
	});

	// Each leak, found with `/`: every call's goroutines, in the right state at the tagged line,
	// stuck (●) and suspect (?).
	for (const s of sites) {
		await step(
			`/${s.func.replace(/^main\./, '')} lists the ${s.leakedPerCall * 3} goroutines of ${s.path} ×3: ${s.state} at ${s.file}:${s.line}, stuck and suspect`,
			async () => {
				const before = listLength(await toPlainList(tmux)) ?? 0;
				await typeFilter(tmux, s.func.replace(/^main\./, ''));
				const want = s.leakedPerCall * 3;
				await tmux.waitForText(new RegExp(`filter "[^"]+" · \\d+/${want}$`, 'm'), slow);
				// The last round turns stuck a poll or two after its group became a suspect: wait for
				// that, then check the screen (the checks below say what is wrong if it never comes).
				const settled = (screen: string) => listRows(screen).length === want && listRows(screen).every(row => row.mark === '?●');
				const screen = await waitForScreen(tmux, settled).catch(() => tmux.capture());
				assert.ok(before > want, `the fuzzy filter narrows the list (${before} → ${want})`);
				const rows = listRows(screen);
				assert.equal(rows.length, want, `${s.path} ×3 leaves ${want} goroutines`);
				for (const row of rows) {
					assert.deepEqual(
						{mark: row.mark, state: row.state, where: row.where, file: row.file},
						{mark: '?●', state: s.state, where: s.func, file: `${s.file}:${s.line}`},
						`row of goroutine ${row.id}`,
					);
				}
				if (s.name === 'fanout') save('e2e-80x24-list-filtered.txt', screen);
			},
		);
	}

	await step('Esc clears the filter: the whole list is back, stuck goroutines marked', async () => {
		let screen = await toPlainList(tmux);
		// `r` left "refreshing now" on the status line; one more Esc clears the message.
		if (/^refreshing now/m.test(screen)) {
			tmux.send('Escape');
			screen = await tmux.waitForNoText(/^refreshing now/m, slow);
		}
		assert.ok(listRows(screen).filter(row => row.mark.endsWith('●')).length > 5, 'stuck goroutines are marked in the full list');
		save('e2e-80x24-list-stuck.txt', screen);
	});

	// The state filter: `f` opens the picker, a digit toggles a state, the list keeps only it.
	await step("f and a digit filter the list to chan receive: exactly the header's count, the ticker leak among them", async () => {
		await toPlainList(tmux);
		tmux.send('f');
		// Picker rows: `[ ] 2 chan receive 7`, the cursor's row with a `>` before it.
		const picker = await tmux.waitForText(/^ *>?\[ \] \d chan receive \d+/m, slow);
		const digit = /^ *>?\[ \] (\d) chan receive/m.exec(picker)![1]!;
		tmux.send(digit);
		await tmux.waitForText(/^ *>?\[x\] \d chan receive/m, slow);
		tmux.send('Escape');
		const screen = await tmux.waitForText(/states: chan receive · \d+\/\d+$/m, slow);
		const rows = listRows(screen);
		assert.ok(rows.length > 0);
		assert.deepEqual([...new Set(rows.map(row => row.state))], ['chan receive'], 'only chan receive rows are listed');
		assert.equal(listLength(screen), headerStateCount(screen, 'chan receive'), "the list holds exactly the header's chan receive count");
		const ticker = site('ticker');
		assert.equal(rows.filter(row => row.where === ticker.func && row.file === `${ticker.file}:${ticker.line}`).length, 3, 'the ticker leak is among them');
		save('e2e-80x24-state-filter.txt', screen);
		tmux.send('0');
		await tmux.waitForNoText('states: chan receive', slow);
	});

	// Enter on a leaked goroutine: its stack, down to the blocking line of the example.
	let selected: ListRow | undefined;
	await step('Enter on a leaked goroutine shows its stack with the blocking file:line of the example', async () => {
		await toPlainList(tmux);
		await typeFilter(tmux, 'searchWorker');
		await tmux.waitForText(/filter "searchWorker" · 1\/3$/m, slow);
		// The second row, so going back can show it kept the place (not the top).
		tmux.send('j');
		const list = await tmux.waitForText(/filter "searchWorker" · 2\/3$/m, slow);
		selected = listRows(list)[1]!;
		assert.deepEqual(
			listRows(list).map(row => row.selected),
			[false, true, false],
			'the cursor (>) is on the second row',
		);
		tmux.send('Enter');
		const screen = await tmux.waitForText(`stack of goroutine ${selected.id}`, slow);
		assert.match(screen, new RegExp(`^goroutine ${selected.id} \\[chan send`, 'm'));
		assert.match(screen, /stuck \d+ polls/, 'the stack view says how long it has been stuck');
		assert.match(screen, /^main\.searchWorker\(/m, 'the blocking function');
		assert.match(screen, new RegExp(`^ +\\S*/examples/leaky/${escapeRegExp(sender.file)}:${sender.line}$`, 'm'), 'the blocking file:line of the example');
		assert.match(screen, /^created by main\.leakForgottenSender/m);
		save('e2e-80x24-stack.txt', screen);
	});

	await step("the stack view shows each frame's args as Go printed them", async () => {
		assert.ok(selected, 'the stack view is open');
		const dump = await (await fetch(`${service.url}/debug/pprof/goroutine?debug=2`)).text();
		const block = dump.split('\n\n').find(b => b.startsWith(`goroutine ${selected!.id} [`));
		const call = block?.split('\n').find(line => line.startsWith(`${sender.func}(`));
		assert.ok(call, `goroutine ${selected.id} is in the service's dump`);
		const screen = tmux.capture();
		assert.ok(screen.split('\n').includes(call), `the stack shows "${call}":\n${screen}`);
	});

	await step('Esc goes back from the stack to exactly where the user was', async () => {
		assert.ok(selected, 'the stack view is open');
		tmux.send('Escape');
		const back = await tmux.waitForText(/filter "searchWorker" · \d\/3$/m, slow);
		assert.match(back, /filter "searchWorker" · 2\/3$/m, 'the cursor is still on the second row');
		assert.equal(listRows(back).find(row => row.selected)?.id, selected.id, 'the cursor is on the same goroutine');
	});

	// Tab: the groups; the fan-out leak (12 goroutines) tops the list, every leak is a suspect.
	await step('Tab shows the groups: the fan-out leak (12) on top, all four leaks suspects with their counts', async () => {
		await toPlainList(tmux);
		tmux.send('Tab');
		const screen = await tmux.waitForText(/^ +COUNT +Δ TREND/m, slow);
		const rows = groupRows(screen);
		assert.deepEqual(
			{mark: rows[0]?.mark, count: rows[0]?.count, state: rows[0]?.state},
			{mark: '?●', count: 12, state: 'chan send'},
			`the top group:\n${screen}`,
		);
		assert.match(rows[0]!.where, /^main\.fanoutWorker/);
		// Why it is a suspect, its tier first: at 80 columns the verdict's short form, whole facts only.
		assert.match(rows[0]!.why, /^likely: [^…]+$/, screen);
		for (const s of sites) {
			const group = rows.find(row => row.where.startsWith(s.func));
			assert.ok(group, `a group for ${s.func}`);
			assert.equal(group.mark, '?●', `${s.func} is a stuck suspect`);
			assert.equal(group.count, s.leakedPerCall * 3, `${s.func} counts every leaked goroutine`);
			assert.equal(group.state, s.state);
		}
		assert.equal(rows.find(row => row.where.startsWith('main.worker'))?.mark[0], ' ', 'the idle worker pool is no suspect');
		assert.match(screen, /suspects 4\b/, 'the header counts the four leaks');
		save('e2e-80x24-groups.txt', screen);
	});

	await step('Enter on the top group lists its 12 goroutines; Esc goes back to the groups', async () => {
		// The cursor is on the top group (1/13); Enter alone (a key sent right behind another can
		// share its read and be lost: see the burst test in e2e-tui.test.ts).
		const groups = await tmux.waitForText(/ · 1\/\d+$/m, slow);
		assert.equal(groupRows(groups)[0]?.selected, true, 'the cursor (>) is on the top group');
		tmux.send('Enter');
		const screen = await tmux.waitForText(/^group: chan send at main\.fanoutWorker leaks\.go:\d+ · .* · 1\/12$/m, slow);
		const rows = listRows(screen);
		assert.equal(rows.length, 12);
		assert.ok(rows.every(row => row.where === 'main.fanoutWorker'));
		tmux.send('Escape');
		await tmux.waitForText(/^ +COUNT +Δ TREND/m, slow);
	});

	// The service dies: a banner says why, the last data stays; it comes back on the same port: gmon recovers.
	await step('killing the service shows an error banner (connection refused) over the last data', async () => {
		await toPlainList(tmux);
		await service.stop();
		const screen = await tmux.waitForText(/^✖ .*(refused|nothing listening)/m, slow);
		assert.ok(
			listRows(screen).some(row => row.mark === '?●'),
			'the last data stays on screen',
		);
		save('e2e-80x24-error-banner.txt', screen);
	});

	await step('the error banner shows the retry countdown at 80 columns', async () => {
		await tmux.waitForText(/^✖ .*retry/m, 5_000);
	});

	await step('restarting the service on the same port: the banner goes, polling resumes', async () => {
		service = await startLeaky({port});
		await tmux.waitForNoText('✖', slow);
		const screen = await tmux.waitForText(/ · polled /, slow);
		assert.match(screen, /^gmon 127\.0\.0\.1:\d+ · /);
		assert.ok(
			listRows(screen).some(row => row.where === 'main.worker'),
			'the new process is listed',
		);
		save('e2e-80x24-recovered.txt', screen);
	});

	await step('q quits with status 0 and gives the shell its screen back', async () => {
		tmux.send('q');
		const screen = await tmux.waitForText(/^gmon exited with \d+$/m, slow);
		assert.match(screen, /^gmon exited with 0$/m, 'q exits with status 0');
		assert.match(screen, /^before gmon$/m, 'the screen from before gmon is back');
		assert.doesNotMatch(screen, /^gmon 127|ID STATE|COUNT/m, 'nothing of the TUI is left');
		save('e2e-80x24-after-quit.txt', screen);
	});
});
