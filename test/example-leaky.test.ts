// examples/leaky is the real Go service the README and the end-to-end tests watch: each leak
// endpoint must leave exactly the goroutines it reports, parked at its tagged line, and each
// fixed twin must leave none.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {setTimeout as delay} from 'node:timers/promises';
import {skipUnless} from './helpers/tools.ts';
import {buildLeaky, startLeaky, leakSites, type LeakyProcess} from './helpers/go-example.ts';
import {startTmux} from './helpers/tmux.ts';

const skip = skipUnless('go');

interface Block {
	id: number;
	state: string;
	frames: {func: string; file: string; line: number}[];
	createdBy?: string;
}

// A deliberately small reading of the debug=2 format (header, func/file line pairs, created
// by), independent of source/dump so this test checks the example, not the parser.
function readDump(text: string): Block[] {
	const blocks: Block[] = [];
	for (const chunk of text.split('\n\n')) {
		const lines = chunk.split('\n').filter(Boolean);
		const header = /^goroutine (\d+) \[([^\],]+)(?:, [^\]]*)?\]:$/.exec(lines[0] ?? '');
		if (!header) continue;
		const block: Block = {id: Number(header[1]), state: header[2]!, frames: []};
		for (let i = 1; i + 1 < lines.length; i += 2) {
			const where = /^\t(.*):(\d+)(?: \+0x[0-9a-f]+)?$/.exec(lines[i + 1]!);
			const func = lines[i]!;
			if (func.startsWith('created by ')) {
				block.createdBy = func.slice('created by '.length).replace(/ in goroutine \d+$/, '');
				continue;
			}
			block.frames.push({func: func.replace(/\([^()]*\)$/, ''), file: where?.[1] ?? '', line: Number(where?.[2] ?? 0)});
		}
		blocks.push(block);
	}
	return blocks;
}

async function dump(service: LeakyProcess): Promise<Block[]> {
	const response = await fetch(`${service.url}/debug/pprof/goroutine?debug=2`);
	assert.equal(response.status, 200);
	return readDump(await response.text());
}

async function leakReport(service: LeakyProcess, path: string): Promise<{leaked: number; blocked_in?: string}> {
	const response = await fetch(service.url + path);
	assert.equal(response.status, 200, path);
	const lines = (await response.text()).trim().split('\n');
	return JSON.parse(lines.at(-1)!) as {leaked: number; blocked_in?: string};
}

/** Poll the dump until `done` holds (the late workers park a few tens of ms after the response). */
async function dumpUntil(service: LeakyProcess, done: (blocks: Block[]) => boolean): Promise<Block[]> {
	let blocks: Block[] = [];
	for (let attempt = 0; attempt < 40; attempt++) {
		blocks = await dump(service);
		if (done(blocks)) return blocks;
		await delay(100);
	}
	return blocks;
}

const topIs = (func: string) => (block: Block) => block.frames[0]?.func === func;

test('each leak endpoint parks the goroutines it reports at its tagged line, and they stay there', {skip}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());

	for (const site of leakSites()) {
		const body = await leakReport(service, site.path);
		assert.equal(body.leaked, site.leakedPerCall, `${site.path} reports what it leaked`);
		assert.equal(body.blocked_in, site.func);
	}
	for (const site of leakSites()) {
		// Call twice more: the leaked goroutines accumulate, they are never reused.
		await leakReport(service, site.path);
		await leakReport(service, site.path);
	}

	const sites = leakSites();
	const blocks = await dumpUntil(service, all => sites.every(site => all.filter(topIs(site.func)).length === 3 * site.leakedPerCall));
	for (const site of sites) {
		const leaked = blocks.filter(topIs(site.func));
		assert.equal(leaked.length, 3 * site.leakedPerCall, `${site.func} goroutines after 3 calls`);
		for (const block of leaked) {
			assert.equal(block.state, site.state, `${site.func} state`);
			assert.ok(block.frames[0]!.file.endsWith(`/examples/leaky/${site.file}`), block.frames[0]!.file);
			assert.equal(block.frames[0]!.line, site.line, `${site.func} blocks at ${site.file}:${site.line}`);
			assert.match(block.createdBy ?? '', /^main\.leak[A-Z]/, `${site.func} is created by its handler`);
		}
	}

	// Stuck, not slow: the same goroutine ids are still parked at the same line later on.
	const before = new Set(blocks.filter(block => sites.some(site => topIs(site.func)(block))).map(block => block.id));
	await delay(300);
	const after = await dump(service);
	const still = after.filter(block => before.has(block.id) && sites.some(site => topIs(site.func)(block) && block.frames[0]!.line === site.line));
	assert.equal(still.length, before.size);
});

test('the fixed endpoints leave no goroutine behind', {skip}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());

	for (const site of leakSites()) {
		const body = await leakReport(service, site.fixedPath);
		assert.equal(body.leaked, 0, site.fixedPath);
	}
	// The fixed workers finish their slow search (≤ 70 ms) and exit; nothing may remain parked.
	const ours = /^main\.(searchWorker|fanoutWorker|produceResults|produceResultsUntilDone|tickerLoop|tickerLoopUntilDone|slowSearch)$/;
	const blocks = await dumpUntil(service, all => !all.some(block => block.frames.some(frame => ours.test(frame.func))));
	const left = blocks.filter(block => block.frames.some(frame => ours.test(frame.func)));
	assert.deepEqual(
		left.map(block => `${block.id} [${block.state}] ${block.frames[0]?.func}`),
		[],
	);
	assert.match(await (await fetch(`${service.url}/`)).text(), /Leaked so far: 0 goroutines/);
});

test('the healthy background idles in the usual states: worker pool, ticker loop, keep-alive connections', {skip}, async t => {
	const service = await startLeaky();
	t.after(() => service.stop());

	// The health checker makes its first keep-alive call after 500 ms.
	const blocks = await dumpUntil(service, all => all.some(topIs('net/http.(*persistConn).writeLoop')));
	const states = (func: string) => blocks.filter(block => block.frames.some(frame => frame.func === func)).map(block => block.state);
	assert.equal(states('main.worker').length, 4);
	assert.ok(states('main.worker').every(state => state === 'chan receive' || state === 'sleep' || state === 'runnable'));
	assert.deepEqual(
		states('main.feedJobs').filter(state => state !== 'runnable' && state !== 'chan send'),
		['select'],
	);
	assert.deepEqual(states('net/http.(*persistConn).writeLoop'), ['select']);
	assert.deepEqual(states('net/http.(*persistConn).readLoop'), ['IO wait']);
	assert.deepEqual(states('main.main'), ['IO wait'], 'the listener waits in Accept');
	// Every goroutine but main has a creator; every frame has a file:line.
	for (const block of blocks) {
		if (block.id !== 1) assert.ok(block.createdBy, `goroutine ${block.id} has created by`);
		for (const frame of block.frames) assert.ok(frame.file && frame.line > 0, `${frame.func} has file:line`);
	}
});

test('the index page lists every leak endpoint and its fixed twin', {skip}, async t => {
	const service = await startLeaky({background: false});
	t.after(() => service.stop());
	const text = await (await fetch(`${service.url}/`)).text();
	for (const site of leakSites()) {
		assert.ok(text.includes(site.path.replace(/\?.*/, '')), site.path);
		assert.ok(text.includes(site.fixedPath.replace(/\?.*/, '')), site.fixedPath);
		assert.ok(text.includes(site.func), site.func);
	}
	assert.equal((await fetch(`${service.url}/nope`)).status, 404);
});

test('run in a terminal, the example prints where it listens, serves, and stops on Ctrl-C', {skip: skipUnless('go', 'tmux')}, async t => {
	const binary = await buildLeaky();
	const terminal = startTmux({cols: 80, rows: 10, command: `${binary} -addr 127.0.0.1:0 -background=false`});
	t.after(() => terminal.kill());
	const screen = await terminal.waitForText(/leaky: listening on 127\.0\.0\.1:\d+/);
	const port = /listening on 127\.0\.0\.1:(\d+)/.exec(screen)![1];
	const body = (await (await fetch(`http://127.0.0.1:${port}/leak/fanout?n=3`)).json()) as {leaked: number};
	assert.equal(body.leaked, 2);
	assert.deepEqual(terminal.status(), {exited: false});
	terminal.send('C-c');
	for (let attempt = 0; attempt < 50 && !terminal.status().exited; attempt++) await delay(100);
	assert.equal(terminal.status().exited, true);
	await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
});
