// Issue 20: no byte from a target or a file reaches the terminal raw. A hostile dump (payloads in
// function names, file paths, states, creators) and hostile HTTP responses (a 500 whose body
// clears the screen and writes the clipboard, a redirect Location with a raw 0x9B byte) from a
// real loopback server, through every output path: --once text, --json, --watch (text and
// NDJSON), diff (text and JSON), error lines on stderr, and the live TUI's frames.
import {binPath} from './helpers/built.ts';
import {stripAnsi, renderTty} from './helpers/render-tty.tsx';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {buildConfig} from '../source/config.ts';
import {createMonitor} from '../source/watch/store.ts';
import {formatTextReport} from '../source/report/text.ts';
import {Tracker} from '../source/model/tracker.ts';
import {parseDump} from '../source/dump/parse.ts';
import {App} from '../source/ui/app.tsx';
import {hostileDump, payloads, rawUnsafe} from './helpers/hostile.ts';
import {repoDir, runCli, type CliResult} from './helpers/run-cli.ts';

const dump = hostileDump();
const errorBody = `oops ${payloads.clear}${payloads.osc52}${payloads.c1Csi}${payloads.rlo} boom`;

/**
 * A raw HTTP/1.1 server (node:net, so headers can carry bytes node:http refuses): /dump serves the
 * hostile dump, /err a 500 with the hostile body, /redir a 302 whose Location holds ESC-free but
 * C1 bytes (0x9B raw, latin1 as HTTP sends it).
 */
function rawServer(): Server {
	return createServer(socket => {
		socket.once('data', data => {
			const path = /^GET (\S+)/.exec(data.toString('latin1'))?.[1] ?? '';
			const send = (head: string, body: Buffer) =>
				socket.end(Buffer.concat([Buffer.from(`${head}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, 'latin1'), body]));
			if (path.startsWith('/debug/pprof/goroutine')) send('HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8', Buffer.from(dump));
			else if (path.startsWith('/err')) send('HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain', Buffer.from(errorBody));
			else if (path.startsWith('/redir')) send(`HTTP/1.1 302 Found\r\nLocation: http://evil.example/\x9B2J\x9D0;t\x9C/x`, Buffer.alloc(0));
			else send('HTTP/1.1 404 Not Found', Buffer.alloc(0));
		});
		socket.on('error', () => {});
	});
}

let server: Server;
let base = '';
let dir = '';
let file = '';

before(async () => {
	server = rawServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	dir = mkdtempSync(join(tmpdir(), 'gmon-hostile-'));
	file = join(dir, 'hostile.txt');
	writeFileSync(file, dump);
});

after(() => {
	server.close();
	rmSync(dir, {recursive: true, force: true});
});

function assertClean(result: {stdout: string; stderr: string}, what: string): void {
	assert.deepEqual(rawUnsafe(result.stdout), [], `${what}: raw characters on stdout`);
	assert.deepEqual(rawUnsafe(result.stderr), [], `${what}: raw characters on stderr`);
}

/** Runs gmon until `done(stdout, stderr)` holds, then sends SIGINT (for --watch). */
function runUntil(args: string[], done: (stdout: string, stderr: string) => boolean): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [binPath, ...args], {cwd: repoDir, env: {...process.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		const check = () => {
			if (done(stdout, stderr)) child.kill('SIGINT');
		};
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			check();
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			check();
		});
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		child.once('error', reject);
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
}

describe('a hostile dump (payloads in names, paths, states, creators)', () => {
	for (const [mode, args] of [
		['--once text from a file', ['--once']],
		['--once text from a live target', ['--once', 'LIVE']],
	] as Array<[string, string[]]>) {
		test(`${mode}: every payload shows as an escape, none raw`, async () => {
			const result = await runCli([...args.filter(arg => arg !== 'LIVE'), args.includes('LIVE') ? `${base}/debug/pprof/goroutine?debug=2` : file]);
			assert.equal(result.code, 0, result.stderr);
			assertClean(result, mode);
			assert.match(result.stdout, /main\.evil\\x1b\[2J\\x1b\[H\\x1b\]0;pwned\\x07/);
			assert.match(result.stdout, /\\u202e/);
		});
	}

	test('--json: valid JSON carrying the exact payloads, with C1, bidi, zero-width and BOM written as \\u escapes', async () => {
		for (const target of [file, `${base}/debug/pprof/goroutine?debug=2`]) {
			const result = await runCli(['--json', target]);
			assert.equal(result.code, 0, result.stderr);
			assertClean(result, `--json ${target}`);
			assert.match(result.stdout, /\\u009b/);
			assert.match(result.stdout, /\\u202e/);
			assert.match(result.stdout, /\\ufeff/);
			const document = JSON.parse(result.stdout) as {groups: Array<{stack: Array<{function: string; file: string}>}>; states: Record<string, number>};
			const functions = document.groups.flatMap(group => group.stack.map(frame => frame.function));
			// A script gets the data as the target sent it: escaping changed only how it is written.
			assert.ok(functions.includes(`main.evil${payloads.clear}${payloads.title}`), functions.join(' | '));
			assert.ok(Object.keys(document.states).some(state => state.includes(payloads.rlo)));
		}
	});

	test('--watch text and --watch --json (NDJSON): clean on every poll', async () => {
		const text = await runUntil(['--watch', '--interval', '200ms', `${base}/debug/pprof/goroutine?debug=2`], out => out.split('gmon report').length > 2);
		assertClean(text, '--watch');
		assert.match(text.stdout, /\\x1b\[2J/);
		const ndjson = await runUntil(['--watch', '--json', '--interval', '200ms', file], out => out.split('\n').length > 1);
		assertClean(ndjson, '--watch --json');
		JSON.parse(ndjson.stdout.split('\n')[0]!);
	});

	test('diff, text and JSON, a file against a live target: clean', async () => {
		const live = `${base}/debug/pprof/goroutine?debug=2`;
		const text = await runCli(['diff', file, live]);
		assert.equal(text.code, 0, text.stderr);
		assertClean(text, 'diff');
		const json = await runCli(['diff', '--json', file, live]);
		assert.equal(json.code, 0, json.stderr);
		assertClean(json, 'diff --json');
		JSON.parse(json.stdout);
		// Appeared/vanished groups are listed only with a difference: compare against an empty-ish dump too.
		const other = join(dir, 'other.txt');
		writeFileSync(other, 'goroutine 9 [running]:\nmain.main()\n\t/src/main.go:1 +0x1\n\n');
		const changed = await runCli(['diff', other, file]);
		assertClean(changed, 'diff with changes');
		assert.match(changed.stdout, /\\x1b\[2J/);
	});

	test('the text report keeps only gmon’s own colour codes, even with colour on', () => {
		const snapshot = new Tracker({groupBy: 'stack'}).update({goroutines: parseDump(dump).goroutines, at: 1});
		const meta = {at: 1, fetchMs: 1, bytes: dump.length, truncated: false};
		const text = formatTextReport(
			{target: `x${payloads.clear}`, kind: 'traceback', snapshot, polls: {count: 1, first: meta, last: meta}, errors: [], hideIdle: false},
			{color: true},
		);
		// Every ESC left opens an SGR colour (digits and `m`): no cursor moves, no OSC.
		assert.deepEqual(text.match(/\u001B(?!\[[0-9;]+m)/g) ?? [], []);
		assert.deepEqual(rawUnsafe(text.replace(/\u001B\[[0-9;]+m/g, '')), []);
	});

	test('the live TUI draws the payloads as escapes', async t => {
		const monitor = createMonitor(buildConfig(file));
		t.after(() => monitor.control.stop());
		const r = await renderTty(<App store={monitor} />, {columns: 120, rows: 30});
		t.after(() => r.unmount());
		for (let i = 0; i < 50 && !r.frame().includes('main.evil'); i++) await new Promise(resolve => setTimeout(resolve, 20));
		assert.match(r.frame(), /\\x1b/);
		// Ink's own styling is SGR; strip it and nothing unsafe is left.
		assert.deepEqual(rawUnsafe(stripAnsi(r.rawFrame())), []);
		await r.press('\r');
		assert.deepEqual(rawUnsafe(stripAnsi(r.rawFrame())), []);
	});
});

describe('hostile target responses on stderr', () => {
	for (const [mode, args] of [
		['--once', ['--once']],
		['--json', ['--json']],
	] as const) {
		test(`${mode}: a 500 whose body clears the screen and writes the clipboard is shown escaped`, async () => {
			const result = await runCli([...args, `${base}/err`]);
			assert.equal(result.code, 3);
			assertClean(result, mode);
			assert.match(result.stderr, /HTTP 500 Internal Server Error from the target: oops \\x1b\[2J\\x1b\[H\\x1b\]52;c;cHduZWQ=\\x1b\\\\x9b2J\\u202e boom\n$/);
			assert.doesNotMatch(result.stderr, /retrying/, 'a one-shot run ends here (exit 3): it does not retry');
		});
	}

	test('--watch: every failed poll’s line is escaped', async () => {
		const result = await runUntil(['--watch', '--interval', '200ms', `${base}/err`], (_out, err) => err.split('\n').length > 2);
		assertClean(result, '--watch');
		assert.match(result.stderr, /oops \\x1b\[2J.* boom — retrying\n/, 'the poller will poll again: the line says so');
	});

	test('diff: a failing side is reported escaped', async () => {
		const result = await runCli(['diff', file, `${base}/err`]);
		assert.equal(result.code, 3);
		assertClean(result, 'diff');
		assert.match(result.stderr, /\\x1b\[2J/);
		assert.doesNotMatch(result.stderr, /retrying/, 'diff reads each side once');
	});

	test('a redirect whose Location carries raw C1 bytes (0x9B CSI, 0x9D OSC) is shown escaped', async () => {
		const result = await runCli(['--once', `${base}/redir`]);
		assert.equal(result.code, 3);
		assertClean(result, 'redirect');
		assert.match(result.stderr, /redirects to http:\/\/evil\.example\/\\x9b2J\\x9d0;t\\x9c\/x/);
	});

	test('a file name with control characters is shown escaped in the error line', async () => {
		const result = await runCli(['--once', join(dir, `missing${payloads.clear}${payloads.rlo}.txt`)]);
		assert.equal(result.code, 3);
		assertClean(result, 'file name');
		assert.match(result.stderr, /missing\\x1b\[2J\\x1b\[H\\u202e\.txt/);
	});
});
