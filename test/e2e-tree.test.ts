// The tree by creator (`t`) in a real terminal, live on examples/leaky at 80x24: each leaked
// worker under its creator (the handler, whose goroutine is gone once the request ended), the
// cursor staying on its node when a poll moves it, ← / → folding, Enter opening a node's goroutines.
import assert from 'node:assert/strict';
import {Agent, get} from 'node:http';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {binPath} from './helpers/built.ts';
import {startLeaky, leakSites} from './helpers/go-example.ts';
import {parked, save, slow, statusOf, waitForScreen} from './helpers/screen.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));

interface TreeRow {
	selected: boolean;
	total: number;
	/** Columns of indent before the node's name (the fold glyph counts as indent). */
	indent: number;
	name: string;
	state: string;
}

/** The tree's rows as a person reads them, cut at the header's columns. */
function treeRows(screen: string): TreeRow[] {
	const lines = screen.split('\n');
	const head = lines.findIndex(line => /TOTAL +OWN STATE .*CREATOR TREE +WHERE/.test(line));
	if (head < 0) return [];
	const header = lines[head]!;
	const stateAt = header.indexOf('STATE');
	const treeAt = header.indexOf('CREATOR TREE');
	const whereAt = header.indexOf('WHERE');
	const rows: TreeRow[] = [];
	for (const line of lines.slice(head + 1)) {
		const total = /^..[ >] *(\d+) /.exec(line);
		if (!total) break;
		const cell = line.slice(treeAt, whereAt).trimEnd();
		const name = cell.replace(/^[ ▾▸]+/, '');
		rows.push({selected: line[2] === '>', total: Number(total[1]), indent: cell.length - name.length, name, state: line.slice(stateAt, treeAt).trim()});
	}
	return rows;
}

/**
 * GET `url` on a connection of `agent`: a fresh one closed after the response (the default, so the
 * handler's goroutine is gone when it returns), or a kept-alive one whose goroutine stays.
 */
/** The nearest row above `at` that is less indented: the node's parent. */
function parentRow(rows: readonly TreeRow[], at: number): TreeRow | undefined {
	for (let i = at - 1; i >= 0; i--) if (rows[i]!.indent < rows[at]!.indent) return rows[i];
	return undefined;
}

function request(url: string, agent: Agent | false = false): Promise<void> {
	return new Promise((resolve, reject) => {
		get(url, {agent}, response => {
			response.resume();
			response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${response.statusCode}`))));
		}).on('error', reject);
	});
}

test('t: the tree by creator, live at 80x24', {skip: skipUnless('go', 'tmux'), timeout: 120_000}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());
	const fanout = leakSites().find(site => site.name === 'fanout')!;
	const sender = leakSites().find(site => site.name === 'forgotten-sender')!;
	await request(service.url + fanout.path);
	await request(service.url + fanout.path);
	// One request on a connection that stays open: its goroutine (net/http's conn.serve) lives on.
	const keep = new Agent({keepAlive: true, maxSockets: 1});
	t.after(() => keep.destroy());
	await request(service.url + sender.path, keep);
	await parked(service, [fanout, sender], 1);

	const tmux = startTmux({
		command: `node ${JSON.stringify(binPath)} 127.0.0.1:${service.port} --interval 500ms --max-overhead 0; sleep 120`,
		cols: 80,
		rows: 24,
		env: {CI: 'false'},
		cwd: repo,
	});
	t.after(() => tmux.kill());
	const step = (name: string, body: () => Promise<void>) =>
		t.test(name, async () => {
			try {
				await body();
			} catch (error) {
				save(`failed-e2e-tree-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.txt`, `${String(error)}\n--- screen:\n${tmux.capture()}`);
				throw error;
			}
		});
	const row = (screen: string, name: string) => treeRows(screen).find(r => r.name === name);

	await step('t draws the leaked workers under the handler that started them, its goroutine gone', async () => {
		await tmux.waitForText(/ · polled /, slow);
		tmux.send('t');
		const screen = await waitForScreen(tmux, s => row(s, 'main.fanoutWorker')?.total === 8);
		save('tree-80x24.txt', screen);
		const rows = treeRows(screen);
		const at = rows.findIndex(r => r.name === 'main.fanoutWorker');
		assert.deepEqual(rows[at - 1], {...rows[at - 1]!, name: 'created by main.leakFanout', state: '(parent gone)', total: 8});
		assert.ok(rows[at]!.indent > rows[at - 1]!.indent, 'indented under its creator');
		const main = rows.find(r => r.name === 'main.main')!;
		assert.equal(main.indent, rows[at - 1]!.indent, 'the stand-in is a root, like main');
		assert.ok(
			rows.some(r => r.name === 'main.worker' && r.indent > main.indent),
			"main's workers sit under main",
		);
		// The kept-alive request's leak: under its connection's goroutine, under main (which accepted it).
		const search = rows.findIndex(r => r.name === 'main.searchWorker');
		const conn = parentRow(rows, search)!;
		assert.equal(conn.name, 'http.(*conn).serve');
		assert.ok(conn.indent > main.indent && parentRow(rows, rows.indexOf(conn))?.name === 'main.main');
		assert.match(statusOf(screen), /^tree by creator · by stack · 1\/\d+$/);
		assert.match(screen.split('\n').at(-1)!, /←→ fold +⏎ open .*t back/);
	});

	await step('the cursor stays on its node when a poll moves the node down the tree', async () => {
		// Paused, so no poll reorders the rows under the keys: one key at a time, each waited for.
		tmux.send('p');
		let screen = await tmux.waitForText(/^gmon .*PAUSED/, slow);
		for (let i = 0; i < 40; i++) {
			const rows = treeRows(screen);
			const at = rows.findIndex(r => r.selected);
			const want = rows.findIndex(r => r.name === 'main.fanoutWorker');
			if (at === want) break;
			tmux.send(at < want ? 'j' : 'k');
			screen = await waitForScreen(tmux, next => treeRows(next).findIndex(r => r.selected) !== at, 10_000);
		}
		const before = treeRows(screen).findIndex(r => r.selected);
		assert.equal(treeRows(screen)[before]!.name, 'main.fanoutWorker');
		tmux.send('p');
		await tmux.waitForNoText(/^gmon .*PAUSED/, slow);
		// Nine forgotten senders: their creator's subtree (9) outgrows fanout's (8) and sorts above it.
		for (let i = 0; i < 9; i++) await request(service.url + sender.path);
		// Once they are as stuck as fanout's (the leakiest sort first), the bigger subtree sorts first.
		screen = await waitForScreen(tmux, s => {
			const rows = treeRows(s);
			// At 80 columns the stand-in's name is cut in the middle: `created by ma…ForgottenSender`.
			const senders = rows.findIndex(r => r.name.startsWith('created by') && r.name.endsWith('ForgottenSender'));
			return senders >= 0 && senders < rows.findIndex(r => r.name === 'main.fanoutWorker');
		});
		const after = treeRows(screen).findIndex(r => r.selected);
		assert.equal(treeRows(screen)[after]!.name, 'main.fanoutWorker', 'the same node is selected');
		assert.ok(after > before, `the node moved down (${before} → ${after})`);
		assert.doesNotMatch(statusOf(screen), /gone/);
	});

	await step('← on a leaf goes to its parent, ← again folds it (▸), → unfolds', async () => {
		tmux.send('Left');
		let screen = await waitForScreen(tmux, s => row(s, 'created by main.leakFanout')?.selected === true);
		tmux.send('h');
		screen = await waitForScreen(tmux, s => row(s, 'main.fanoutWorker') === undefined);
		assert.match(screen, /▸ created by main\.leakFanout/);
		tmux.send('Right');
		screen = await waitForScreen(tmux, s => row(s, 'main.fanoutWorker') !== undefined);
		assert.match(screen, /▾ created by main\.leakFanout/);
	});

	await step('Enter on a node lists its own goroutines; Esc comes back to the tree', async () => {
		tmux.send('l');
		await waitForScreen(tmux, s => row(s, 'main.fanoutWorker')?.selected === true);
		tmux.send('Enter');
		const screen = await waitForScreen(tmux, s => /^ +ID STATE/m.test(s) && /1\/8$/.test(statusOf(s)));
		assert.match(statusOf(screen), /^tree node main\.fanoutWorker \(8\) · sort leak↓ · 1\/8$/);
		tmux.send('Escape');
		await waitForScreen(tmux, s => row(s, 'main.fanoutWorker')?.selected === true);
	});
});
