// The real `gmon` in a real terminal, beyond the 80x24 story of e2e-leak.test.ts: at 120x40 (and
// a 200x50 resize) the wide columns say where each leak was created and why its group is a
// suspect, in colour; leaks curled in one burst still become suspects; the fixed endpoints leave
// nothing stuck; the embedded demo shows suspects to someone with no Go service; and a filter
// typed in one burst (a paste, tmux send-keys) still lands. With GMON_CAPTURES_DIR set, the screens are saved there.
import {describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {setTimeout as delay} from 'node:timers/promises';
import {skipUnless} from './helpers/tools.ts';
import {startLeaky, leakSites} from './helpers/go-example.ts';
import {binPath} from './helpers/built.ts';
import {startTmux, type TmuxSession} from './helpers/tmux.ts';
import {curl, groupRows, listLength, listRows, parked, save, slow, statusOf, toPlainList, waitForScreen} from './helpers/screen.ts';

const skipGo = skipUnless('go', 'tmux');
const skipTmux = skipUnless('tmux');
const bin = binPath;
const repo = fileURLToPath(new URL('../', import.meta.url));

/**
 * Run after gmon in the pane's shell: a dead tmux pane is blanked, so the shell stays and prints
 * gmon's exit status (128+N after a signal) where the test can read it.
 */
const reportExit = 'echo "gmon exited with $?"; sleep 120';

async function quit(tmux: TmuxSession): Promise<void> {
	tmux.send('q');
	const screen = await tmux.waitForText(/^gmon exited with \d+$/m, slow);
	assert.match(screen, /^gmon exited with 0$/m, 'q exits with status 0');
	assert.doesNotMatch(screen, /^gmon 127|ID STATE|COUNT/m, 'the alternate screen is gone');
}

interface StyledLine {
	text: string;
	/** The foreground colour code in effect (`31`, `95`…; `39` or '' is the default). */
	fg: string;
	inverse: boolean;
}

/**
 * `capture-pane -e` lines with the style in effect at each line's start: tmux only writes the
 * attributes that change, so the state carries from line to line until a reset.
 */
function styledLines(escaped: string): StyledLine[] {
	let fg = '';
	let inverse = false;
	return escaped.split('\n').map(line => {
		let text = '';
		let at: {fg: string; inverse: boolean} | undefined;
		// Odd parts are SGR parameters, even parts visible text.
		line.split(/\u001B\[([0-9;]*)m/).forEach((part, i) => {
			if (i % 2 === 0) {
				if (part !== '' && at === undefined) at = {fg, inverse};
				text += part;
				return;
			}
			for (const code of part.split(';')) {
				const n = Number(code || '0');
				if (n === 0) {
					fg = '';
					inverse = false;
				} else if (n === 7) inverse = true;
				else if (n === 27) inverse = false;
				else if ((n >= 30 && n <= 39) || (n >= 90 && n <= 97)) fg = n === 39 ? '' : String(n);
			}
		});
		return {text, ...(at ?? {fg, inverse})};
	});
}

/**
 * The frame is whole: its keys line on the last row. A capture can land while tmux is still drawing
 * a frame (seen on a loaded machine: the rows there, the last line not yet), so waits that go on to
 * check the frame's shape include this.
 */
function drawn(screen: string, rows: number): boolean {
	return /\? help +q quit/.test(screen.split('\n')[rows - 1] ?? '');
}

/** The frame fills the terminal: the header on the first row, the keys line on the last, none scrolled off. */
function assertFrameHeight(screen: string, rows: number): void {
	const lines = screen.split('\n');
	assert.equal(lines.length, rows, 'capture-pane gives one line per terminal row');
	assert.match(lines[0]!, /^gmon /, 'the header is on the first row');
	assert.match(lines[rows - 1]!, /\? help +q quit/, 'the keys line is on the last row');
}

/** Each step is a subtest (one failing check does not hide the others); its screen is saved on failure. */
function stepper(t: TestContext, tmux: TmuxSession, prefix: string) {
	return (name: string, body: () => Promise<void>) =>
		t.test(name, async () => {
			try {
				await body();
			} catch (error) {
				try {
					save(
						`failed-${prefix}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.txt`,
						`${error instanceof Error ? error.message : String(error)}\n--- screen at failure:\n${tmux.capture()}`,
					);
				} catch {
					// the session is gone
				}
				throw error;
			}
		});
}

// Independent runs, each with its own service (or demo) and terminal, side by side: most of their
// time is spent waiting for polls, not computing (the e2e suite must stay well under 90 s).
describe('gmon in a real terminal', {concurrency: true}, () => {
	test('at 120x40 and 200x50 the wide columns show where each leak was created and why its group is a suspect', {skip: skipGo, timeout: 120_000}, async t => {
		let service = await startLeaky();
		t.after(() => service.stop());
		const port = service.port;
		const sites = leakSites();
		const fanout = sites.find(s => s.name === 'fanout')!;
		const ticker = sites.find(s => s.name === 'ticker')!;
		const tmux = startTmux({
			command: `node ${JSON.stringify(bin)} 127.0.0.1:${port} --interval 500ms --stuck-after 3 --max-overhead 0; ${reportExit}`,
			cols: 120,
			rows: 40,
			env: {CI: 'false'},
			cwd: repo,
		});
		t.after(() => tmux.kill());
		const step = stepper(t, tmux, 'e2e-tui-120x40');

		await step('three rounds of curls, the first seen on its own: all four leaks become suspects', async () => {
			await tmux.waitForText(/ · polled /, slow);
			tmux.send('Tab');
			await tmux.waitForText(/^ +COUNT +Δ TREND/m, slow);
			await Promise.all(sites.map(s => curl(service, s.path)));
			await parked(service, sites, 1);
			// gmon has seen the first round (4 fan-out workers) before the next: the groups grow.
			await tmux.waitForText(/^..[ >] *4 .*chan send +main\.fanoutWorker leaks\.go:/m, slow);
			for (let round = 0; round < 2; round++) await Promise.all(sites.map(s => curl(service, s.path)));
			await parked(service, sites, 3);
			await tmux.waitForText(/suspects 4\b/, slow);
		});

		await step('the group view at 120 columns: the fan-out group on top, its file:line and the full why', async () => {
			const screen = await waitForScreen(tmux, now => /^\?●[ >] *12 /m.test(now) && drawn(now, 40));
			const rows = groupRows(screen);
			assert.deepEqual({mark: rows[0]?.mark, count: rows[0]?.count, state: rows[0]?.state}, {mark: '?●', count: 12, state: 'chan send'}, screen);
			assert.equal(rows[0]!.where, `main.fanoutWorker ${fanout.file}:${fanout.line}`);
			assert.match(rows[0]!.why, /^(likely|proven)(: | leak: )/, 'why it is a suspect: its tier, then the sentence');
			for (const s of sites) {
				const group = rows.find(row => row.where === `${s.func} ${s.file}:${s.line}`);
				assert.equal(group?.mark, '?●', `${s.func} is a suspect`);
				assert.equal(group?.count, s.leakedPerCall * 3);
			}
			assertFrameHeight(screen, 40);
			save('e2e-120x40-groups.txt', screen);
		});

		await step('the list at 120 columns says who created each leaked goroutine', async () => {
			await toPlainList(tmux);
			// The last round's goroutines turn stuck a poll or two after the group became a suspect.
			const leakedOn = (screen: string) => listRows(screen).filter(row => sites.some(s => s.func === row.where));
			const screen = await waitForScreen(
				tmux,
				screen => leakedOn(screen).length >= 10 && leakedOn(screen).every(row => row.mark === '?●') && drawn(screen, 40),
			);
			const leaked = leakedOn(screen);
			for (const row of leaked) {
				const s = sites.find(site => site.func === row.where)!;
				const handler = {'forgotten-sender': 'main.leakForgottenSender', fanout: 'main.leakFanout', producer: 'main.leakProducer', ticker: 'main.leakTicker'}[
					s.name
				];
				// Go 1.21+ names the parent too (`in goroutine N`); the function is never cut to make room for it.
				const created = row.created.replace(/ in goroutine \d+$/, '');
				assert.deepEqual(
					{mark: row.mark, state: row.state, file: row.file, created},
					{mark: '?●', state: s.state, file: `${s.file}:${s.line}`, created: handler},
					`goroutine ${row.id}`,
				);
			}
			assertFrameHeight(screen, 40);
			save('e2e-120x40-list.txt', screen);
		});

		await step('stuck goroutines are coloured, suspects in a colour of their own, the cursor row inverse', async () => {
			const plain = await toPlainList(tmux);
			const lines = styledLines(tmux.capture({escapes: true}));
			const rows = listRows(plain);
			const styleOf = (id: number) => lines.find(line => new RegExp(`^..[ >] *${id} `).test(line.text));
			// The shade deepens with the wait (view/rows.ts stuckTone): compare rows waiting under a minute.
			// Go's own `N minutes` can say 1 for a goroutine parked a few seconds (it counts from a GC).
			const underAMinute = (wait: string) => !/\d+[mh]/.test(wait);
			const colours = (mark: string) =>
				new Set(rows.filter(row => row.mark === mark && !row.selected && underAMinute(row.wait)).map(row => styleOf(row.id)?.fg));
			const suspect = colours('?●');
			const stuck = colours(' ●');
			assert.equal(suspect.size, 1, 'one colour for suspects');
			assert.equal(stuck.size, 1, 'one colour for stuck goroutines (stuck for under a minute)');
			const [suspectFg] = suspect;
			const [stuckFg] = stuck;
			assert.ok(suspectFg && stuckFg, `suspect and stuck rows are coloured (${suspectFg}, ${stuckFg})`);
			assert.notEqual(suspectFg, stuckFg, 'suspects stand out from merely stuck goroutines');
			const plainRows = rows.filter(row => row.mark === '  ' && !row.selected);
			for (const row of plainRows) assert.notEqual(styleOf(row.id)?.fg, stuckFg, `goroutine ${row.id} (not stuck) is not coloured as stuck`);
			const cursor = rows.find(row => row.selected);
			assert.ok(cursor, 'a row has the cursor');
			assert.equal(styleOf(cursor.id)?.inverse, true, 'the cursor row is inverse');
			assert.ok(
				rows.filter(row => !row.selected).every(row => styleOf(row.id)?.inverse === false),
				'no other row is inverse',
			);
		});

		await step('Enter on a ticker leak shows its stack down to leaks.go, Esc goes back', async () => {
			await toPlainList(tmux);
			tmux.send('/');
			await tmux.waitForText(/^\/█/m, slow);
			tmux.sendLiteral('tickerLoop');
			await tmux.waitForText('/tickerLoop█', slow);
			tmux.send('Enter');
			const list = await tmux.waitForText(/filter "tickerLoop" · 1\/3$/m, slow);
			const id = listRows(list)[0]!.id;
			tmux.send('Enter');
			const screen = await tmux.waitForText(`stack of goroutine ${id}`, slow);
			assert.match(screen, new RegExp(`^goroutine ${id} \\[chan receive`, 'm'));
			assert.match(screen, /^main\.tickerLoop\(/m);
			assert.match(screen, new RegExp(`^ +\\S*/examples/leaky/leaks\\.go:${ticker.line}$`, 'm'));
			assert.match(
				screen,
				/^why: (likely|proven) leak: \d+ goroutines? in chan receive at leaks\.go:\d+ — /m,
				'the stack view says why it is a suspect: the same sentence',
			);
			save('e2e-120x40-stack.txt', screen);
			tmux.send('Escape');
			await tmux.waitForText(/filter "tickerLoop" · 1\/3$/m, slow);
			tmux.send('Escape');
			await tmux.waitForNoText(/filter "/, slow);
		});

		await step('resized to 200x50, gmon redraws at once to the new size', async () => {
			await toPlainList(tmux);
			tmux.send('Tab');
			await tmux.waitForText(/^ +COUNT +Δ TREND/m, slow);
			tmux.resize(200, 50);
			// At 200 columns the WHY column starts near column 100 (past any 80-column row) and holds the
			// tier and the why of the model's one sentence (the row itself shows count, state and place),
			// in its short form when the whole why does not fit.
			const screen = await tmux.waitForText(/^ +COUNT .{90,}WHY/m, 10_000);
			const top = groupRows(screen)[0];
			assert.match(
				top?.why ?? '',
				/^likely: \d+ (born while watched stayed parked; the functions that started|new stuck, creator gone)/,
				`the why: grown under watch, starters gone:\n${screen}`,
			);
			await tmux.waitForText(/\? help +q quit$/m, slow);
			const settled = tmux.capture();
			assertFrameHeight(settled, 50);
			assert.ok(groupRows(screen).length > 0);
			save('e2e-200x50-groups.txt', settled);
			tmux.send('Tab');
			const wide = await tmux.waitForText(/CREATED BY/, slow);
			save('e2e-200x50-list.txt', wide);
			// The width goes to what tells places apart: the end of the path, where the `go` statement is.
			assert.match(wide, / …\/(\S+\/)?leaky\/leaks\.go:\d+ +main\.leak\w+ in goroutine \d+ at leaks\.go:\d+/, wide);
			tmux.resize(120, 40);
			await tmux.waitForText(/^ +ID STATE .{60,100}CREATED BY *$/m, 10_000);
		});

		await step('the service dies: the banner says connection refused and counts down to the retry', async () => {
			await service.stop();
			const screen = await tmux.waitForText(/^✖ .*(refused|nothing listening)/m, slow);
			assert.ok(listRows(screen).length + groupRows(screen).length > 0, 'the last data stays');
			const banner = await tmux.waitForText(/^✖ .*retry/m, 10_000);
			save('e2e-120x40-error-banner.txt', banner);
		});

		await step('restarted on the same port: gmon recovers and says the target restarted', async () => {
			service = await startLeaky({port});
			await tmux.waitForNoText('✖', slow);
			const screen = await tmux.waitForText('target restarted', slow);
			assert.ok(!listRows(screen).some(row => sites.some(s => s.func === row.where)), 'the new process has no leaks');
		});

		await step('q quits with status 0', async () => {
			await toPlainList(tmux);
			await quit(tmux);
		});
	});

	// What a newcomer types: `for i in 1 2 3; do curl …; done` — all three calls land between two
	// polls, so every leak group appears at its full size at once. Stuck in the user's code at a
	// channel send, they must still become suspects (DESIGN: "growing or stuck").
	test('leaks curled three times in one burst, between two polls, still become suspects at 80x24', {skip: skipGo, timeout: 90_000}, async t => {
		const service = await startLeaky();
		t.after(() => service.stop());
		const sites = leakSites();
		const tmux = startTmux({
			command: `node ${JSON.stringify(bin)} 127.0.0.1:${service.port} --interval 500ms --stuck-after 3 --max-overhead 0`,
			cols: 80,
			rows: 24,
			env: {CI: 'false'},
			cwd: repo,
		});
		t.after(() => tmux.kill());
		await tmux.waitForText(/ · polled /, slow);
		tmux.send('Tab');
		await tmux.waitForText(/^ +COUNT +Δ TREND/m, slow);
		for (const s of sites) for (let i = 0; i < 3; i++) await curl(service, s.path);
		await parked(service, sites, 3);
		// Stuck after 3 polls of 500 ms; 15 s is ten times that.
		await tmux.waitForText(/^.●[ >] *12 .*chan send +main\.fanoutWorker/m, slow);
		let screen: string;
		try {
			screen = await tmux.waitForText(/suspects [1-9]/, 15_000);
		} catch {
			screen = tmux.capture();
			save('failed-e2e-tui-burst-no-suspects.txt', screen);
		}
		const top = groupRows(screen)[0];
		assert.deepEqual(
			{mark: top?.mark, count: top?.count, state: top?.state},
			{mark: '?●', count: 12, state: 'chan send'},
			`the fan-out group is a suspect on top:\n${screen}`,
		);
	});

	test('the fixed endpoints leave no stuck goroutines, where one leak call in the same run does', {skip: skipGo, timeout: 90_000}, async t => {
		const service = await startLeaky();
		t.after(() => service.stop());
		const sites = leakSites();
		const tmux = startTmux({
			command: `node ${JSON.stringify(bin)} 127.0.0.1:${service.port} --interval 500ms --stuck-after 3 --max-overhead 0`,
			cols: 120,
			rows: 40,
			env: {CI: 'false'},
			cwd: repo,
		});
		t.after(() => tmux.kill());
		await tmux.waitForText(/ · polled /, slow);

		for (let round = 0; round < 3; round++) await Promise.all(sites.map(s => curl(service, s.fixedPath)));
		// The control: one ticker leak after the fixed calls. Once gmon marks it stuck it has polled
		// at least 3 times since the fixed calls — a fixed goroutine that leaked would be stuck too.
		const ticker = sites.find(s => s.name === 'ticker')!;
		await curl(service, ticker.path);
		const screen = await tmux.waitForText(/^ ●.*chan receive.*main\.tickerLoop /m, slow);
		save('e2e-120x40-fixed.txt', screen);

		const rows = listRows(screen);
		assert.equal(rows.length, listLength(screen), `every goroutine is on screen:\n${screen}`);
		const fixedFuncs = [
			'main.searchWorker',
			'main.fanoutWorker',
			'main.produceResults',
			'main.produceResultsUntilDone',
			'main.tickerLoopUntilDone',
			'main.slowSearch',
		];
		assert.deepEqual(
			rows.filter(row => fixedFuncs.includes(row.where)).map(row => `${row.id} ${row.state} ${row.where}`),
			[],
			'nothing of the fixed endpoints is left',
		);
		assert.deepEqual(
			rows.filter(row => row.where === 'main.tickerLoop').map(row => row.mark),
			[' ●'],
			'only the control leak, stuck',
		);
		assert.doesNotMatch(screen.split('\n')[1]!, /suspects [1-9]/, 'no suspects in the header');
	});

	test('gmon --demo at 80x24 shows stuck suspects within seconds, with no Go service around', {skip: skipTmux, timeout: 90_000}, async t => {
		const started = Date.now();
		const tmux = startTmux({command: `node ${JSON.stringify(bin)} --demo; ${reportExit}`, cols: 80, rows: 24, env: {CI: 'false'}, cwd: repo});
		t.after(() => tmux.kill());
		const step = stepper(t, tmux, 'e2e-tui-demo');

		await step('suspects appear in the header and the list', async () => {
			// Both on one screen: a capture can land between the header's line and the rows' lines.
			const screen = await waitForScreen(tmux, now => /suspects [1-9]/.test(now) && listRows(now).some(row => row.mark === '?●') && drawn(now, 24), 45_000);
			t.diagnostic(`demo: suspects on screen ${((Date.now() - started) / 1000).toFixed(1)} s after start`);
			assert.match(screen, /^gmon 127\.0\.0\.1:\d+ · /m, 'the embedded target is on loopback');
			assertFrameHeight(screen, 24);
			save('demo-80x24-list.txt', screen);
		});

		await step('Tab: the suspect group is on top of the groups', async () => {
			tmux.send('Tab');
			const screen = await tmux.waitForText(/^ +COUNT +Δ TREND/m, slow);
			const rows = groupRows(screen);
			assert.equal(rows[0]?.mark, '?●', `top group:\n${screen}`);
			save('demo-80x24-groups.txt', screen);
		});

		// A paste or tmux send-keys delivers "chan send\r" in one read: the Enter must still accept.
		await step('a filter typed in one burst with Enter ("/chan send⏎") is accepted, spaces and all', async () => {
			tmux.send('/');
			await tmux.waitForText(/^\/█/m, slow);
			tmux.sendLiteral('chan send\r');
			// Either the accepted filter or the prompt still open, once the burst is drawn.
			await tmux.waitForText(/filter "chan send"|^\/chan send/m, slow);
			await delay(500);
			const settled = tmux.capture();
			assert.match(statusOf(settled), /filter "chan send"/, `the filter is accepted:\n${settled}`);
			const rows = groupRows(settled);
			assert.ok(rows.length > 0 && rows.every(row => row.state === 'chan send'), `only chan send groups:\n${settled}`);
		});

		await step('q quits with status 0', async () => {
			await toPlainList(tmux);
			await quit(tmux);
		});
	});
});
