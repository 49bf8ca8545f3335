// Offline sources: a dump file (once, or --watch), stdin, and what is not a dump.
import assert from 'node:assert/strict';
import {appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {buildConfig} from '../../source/config.ts';
import {createSource} from '../../source/fetch/create-source.ts';
import {Poller} from '../../source/fetch/poller.ts';
import {lastDumpStart} from '../../source/fetch/file-source.ts';
import {ManualTimers} from '../../source/fetch/timers.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const fixture = (name: string) => new URL(name, dumps).pathname;

function tempDir(t: {after(fn: () => unknown): void}): string {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-file-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	return dir;
}

test('a dump file is read once: no polling afterwards', async t => {
	const path = fixture('go1.19-sigquit-crash.txt');
	const timers = new ManualTimers();
	const poller = new Poller(createSource(buildConfig(path)), {intervalMs: 1000, maxOverheadPct: 5, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	const state = poller.getState();
	assert.equal(state.error, undefined);
	assert.equal(state.last?.dump.kind, 'traceback');
	assert.equal(state.last?.bytes, readFileSync(path).length);
	assert.ok((state.last?.dump.goroutines.length ?? 0) > 0);
	assert.equal(state.leakProfile, 'absent', 'files have no leak profile to probe');
	assert.deepEqual(timers.delays, [], 'nothing scheduled');
	assert.ok(Buffer.concat(poller.lastRaw ?? []).equals(readFileSync(path)));
});

test('--watch re-reads the file on the interval, only when it changed; a missing file recovers when it appears', async t => {
	const dir = tempDir(t);
	const path = join(dir, 'app.log');
	const timers = new ManualTimers();
	const poller = new Poller(createSource(buildConfig(path, {watch: true}, {pathKind: () => 'file'})), {
		intervalMs: 1000,
		maxOverheadPct: 5,
		maxBackoffMs: 1000,
		timers,
	});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	assert.equal(poller.getState().error?.kind, 'io');
	assert.equal(poller.getState().error?.message, `cannot read ${path}: no such file`);

	copyFileSync(fixture('go1.19-statezoo-all-states.debug2.txt'), path);
	timers.fire();
	await poller.whenIdle();
	const first = poller.getState().last;
	assert.equal(poller.getState().error, undefined);
	assert.equal(first?.dump.goroutines.length, 42);

	timers.fire();
	await poller.whenIdle();
	assert.equal(poller.getState().last, first, 'an unchanged file is not a new poll');

	// A new dump written to the file shows up (size and mtime changed).
	writeFileSync(path, readFileSync(fixture('go1.19-big-1642-goroutines.debug2.txt')));
	timers.fire();
	await poller.whenIdle();
	assert.equal(poller.getState().last?.dump.goroutines.length, 1642);
	assert.deepEqual(timers.delays.length, 1, 'still watching');
});

test('stdin: `curl … | gmon -` streams the dump in chunks', async t => {
	const stdin = new PassThrough();
	const poller = new Poller(createSource(buildConfig('-'), {stdin}), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
	t.after(() => poller.stop());
	const text = readFileSync(fixture('go1.19-statezoo-all-states.debug2.txt'));
	const done = poller.poll();
	for (let at = 0; at < text.length; at += 777) stdin.write(text.subarray(at, at + 777));
	stdin.end();
	const state = await done;
	assert.equal(state.target, 'stdin');
	assert.equal(state.last?.dump.goroutines.length, 42);
	assert.equal(state.last?.bytes, text.length);
});

test('a debug=1 profile file arrives as the profile, not the dump', async t => {
	const poller = new Poller(createSource(buildConfig(fixture('go1.19-statezoo-labels.debug1.txt'))), {
		intervalMs: 1000,
		maxOverheadPct: 5,
		timers: new ManualTimers(),
	});
	t.after(() => poller.stop());
	const state = await poller.poll();
	assert.equal(state.last, undefined);
	assert.equal(state.lastProfile?.debug, 1);
	assert.equal(state.lastProfile?.dump.records.length, 41);
});

test('files that are not goroutine dumps say what they are, and end the run (final: exit 2)', async t => {
	const dir = tempDir(t);
	const notes = join(dir, 'notes.txt');
	writeFileSync(notes, 'hello\nthis is not a dump\n');
	const empty = join(dir, 'empty.txt');
	writeFileSync(empty, '');
	// Prose that quotes one header-like line: no goroutine read, so not a dump (not "0 goroutines").
	const prose = join(dir, 'README.md');
	writeFileSync(prose, '# Leaks\n\nA sender parks like this:\n\n    goroutine 86 [chan send]\n\nand \u001b[2J stays there.\n');
	// A dump of a Go whose header shape gmon does not know: the same error, and it says how many headers it could not read.
	const future = join(dir, 'future.txt');
	writeFileSync(
		future,
		'goroutine 1 [running] <new \u001b[31mshape>:\nmain.main()\n\t/app/main.go:3 +0x1\n\ngoroutine 7 [chan receive] <new shape>:\nmain.f()\n\t/app/f.go:1 +0x1\n',
	);
	const cases: [string, string][] = [
		[notes, `${notes} is not a goroutine dump: no "goroutine N [state]:" blocks or "goroutine profile:" header found; it starts with "hello"`],
		[empty, `${empty} is empty: expected a goroutine dump`],
		[
			prose,
			`${prose} is not a goroutine dump: no goroutine in it could be read (1 goroutine header not understood: "goroutine 86 [chan send]"); it starts with "# Leaks"`,
		],
		[
			future,
			`${future} is not a goroutine dump: no goroutine in it could be read (2 goroutine headers not understood: "goroutine 1 [running] <new \\x1b[31mshape>:"); it starts with "goroutine 1 [running] <new \\x1b[31mshape>:"`,
		],
		[
			fixture('go1.19-statezoo.debug0.pb.gz'),
			`${fixture('go1.19-statezoo.debug0.pb.gz')} is not a goroutine dump: it is gzip-compressed (a debug=0 protobuf profile, or a .gz file): save ?debug=2, or gunzip it first`,
		],
	];
	for (const [path, message] of cases) {
		const poller = new Poller(createSource(buildConfig(path)), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
		t.after(() => poller.stop());
		const state = await poller.poll();
		assert.equal(state.error?.kind, 'not-a-dump');
		assert.equal(state.error?.message, message);
		assert.equal(state.error?.retryAt, undefined, 'a file read once is not retried');
		assert.equal(state.error?.final, true, `${path}: retrying cannot help, the run ends (exit 2)`);
	}
});

test('stdin with no goroutine in it, or nothing at all, is not a dump either; an empty file under --watch is waited for', async t => {
	for (const [text, message] of [
		['', 'stdin is empty: expected a goroutine dump'],
		[
			'a sender parks as\ngoroutine 86 [chan send]\n',
			'stdin is not a goroutine dump: no goroutine in it could be read (1 goroutine header not understood: "goroutine 86 [chan send]"); it starts with "a sender parks as"',
		],
	] as const) {
		const input = new PassThrough();
		input.end(text);
		const poller = new Poller(createSource(buildConfig('-'), {stdin: input}), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
		t.after(() => poller.stop());
		const state = await poller.poll();
		assert.equal(state.error?.message, message);
		assert.equal(state.error?.final, true);
	}
	const empty = join(tempDir(t), 'being-written.txt');
	writeFileSync(empty, '');
	const watching = new Poller(createSource(buildConfig(empty, {watch: true}, {pathKind: () => 'file'})), {
		intervalMs: 1000,
		maxOverheadPct: 5,
		timers: new ManualTimers(),
	});
	t.after(() => watching.stop());
	const state = await watching.poll();
	assert.equal(state.error?.kind, 'not-a-dump');
	assert.equal(state.error?.final, undefined, 'a file still being written may fill: --watch reads it again');
	assert.notEqual(state.error?.retryAt, undefined);
});

test('--max-bytes cuts a big file: a truncated dump with the goroutines read so far', async t => {
	const dir = tempDir(t);
	const path = join(dir, 'big.txt');
	copyFileSync(fixture('go1.19-big-1642-goroutines.debug2.txt'), path);
	const poller = new Poller(createSource(buildConfig(path, {maxBytes: '100KB'})), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
	t.after(() => poller.stop());
	const state = await poller.poll();
	assert.equal(state.last?.truncated, true);
	assert.equal(state.last?.bytes, 100 * 1024);
	assert.ok((state.last?.dump.goroutines.length ?? 0) < 1642);
});

test('a log with many dumps: the last one is read (kill -QUIT appends, curl >> appends)', async t => {
	const dir = tempDir(t);
	const path = join(dir, 'service.log');
	const sigquit = readFileSync(fixture('go1.19-sigquit-crash.txt'));
	const panic = readFileSync(fixture('go1.19-panic-gotraceback-all.txt'));
	const zoo = readFileSync(fixture('go1.19-statezoo-all-states.debug2.txt'));
	writeFileSync(path, Buffer.concat([Buffer.from('2026/11/23 15:00:00 listening on :8080\n'), sigquit]));
	const timers = new ManualTimers();
	const poller = new Poller(createSource(buildConfig(path, {watch: true})), {intervalMs: 1000, maxOverheadPct: 5, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	assert.equal(poller.getState().last?.dump.goroutines.length, 45);
	assert.match(poller.getState().last?.dump.preamble ?? '', /^SIGQUIT: quit/);

	// The supervisor restarts it; later it panics: the log grows by a second dump.
	appendFileSync(path, Buffer.concat([Buffer.from('2026/11/23 15:05:00 listening on :8080\n'), panic]));
	timers.fire();
	await poller.whenIdle();
	const last = poller.getState().last;
	assert.equal(last?.dump.goroutines.length, panicGoroutines(panic));
	assert.match(last?.dump.preamble ?? '', /^panic: /);
	assert.ok(Buffer.concat(poller.lastRaw ?? []).equals(panic), 'the raw bytes are the last dump only');

	// Two debug=2 dumps saved one after the other have no opener line: a repeated id starts the second.
	const twice = join(dir, 'twice.txt');
	writeFileSync(twice, Buffer.concat([zoo, zoo]));
	const once = new Poller(createSource(buildConfig(twice)), {intervalMs: 1000, maxOverheadPct: 5, timers: new ManualTimers()});
	t.after(() => once.stop());
	assert.equal((await once.poll()).last?.dump.goroutines.length, 42);
});

function panicGoroutines(text: Buffer): number {
	return text
		.toString()
		.split('\n')
		.filter(line => /^goroutine \d+ \[/.test(line)).length;
}

test('the last dump opener is found backwards: across the 1 MiB search windows, only at a line start, never before the --max-bytes tail', async t => {
	const path = join(tempDir(t), 'log.txt');
	const filler = `${'x'.repeat(1023)}\n`; // 1 KiB lines
	const head = `${filler.repeat(100)}SIGQUIT: quit\n`;
	// The opener's line starts 5 bytes before the last window's edge (1 MiB from the end): its text is split between two reads.
	const after = `${'z'.repeat(1000)}\nnot an opener: panic: \n`;
	const rest = 1024 * 1024 + 5 - 'fatal error: '.length - after.length;
	const split = `${head}y\nfatal error: ${after}${'w'.repeat(rest - 1)}\n`;
	writeFileSync(path, split, 'latin1');
	const size = Buffer.byteLength(split, 'latin1');
	const opener = split.indexOf('fatal error: ');
	assert.equal(size - opener, 1024 * 1024 + 5);
	assert.equal(await lastDumpStart(path, size), opener);
	// Within the tail only (what --max-bytes lets through), an opener further back is not looked for.
	assert.equal(await lastDumpStart(path, size, size - opener - 1), 0);
	assert.equal(await lastDumpStart(path, size, size - opener), opener);
	// No opener at a line start: 0 (the file is read from its start).
	writeFileSync(path, 'goroutine 1 [running]:\nmain.f(panic: x)\n', 'latin1');
	assert.equal(await lastDumpStart(path, 39), 0);
});
