// First contact, tried as a new user would: the wrong port, a 404, an HTML page, a file that is not
// a dump, a target that never answers, a redirect, a URL typed in full, a target too big to dump
// unasked. Each against a real loopback server (node's http), through the real gmon binary for
// `--once`, through tmux for the TUI, and through the store and the header lines for what the TUI shows.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {flagDefinitions, helpText} from '../source/cli/flags.ts';
import {buildConfig} from '../source/config.ts';
import {emptyListText, headerLines} from '../source/view/chrome.ts';
import {initialUiState} from '../source/view/reducer.ts';
import {createMonitor} from '../source/watch/store.ts';
import {binPath} from './helpers/built.ts';
import {repoDir, runCli} from './helpers/run-cli.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const dumps = new URL('./fixtures/dumps/', import.meta.url);
const debug2 = readFileSync(new URL('go1.19-statezoo-all-states.debug2.txt', dumps));
const debug1 = readFileSync(new URL('go1.19-statezoo-labels.debug1.txt', dumps));

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server; `paths` records every request path it saw. */
async function serve(t: {after(fn: () => unknown): void}, handler: Handler): Promise<{url: string; host: string; paths: string[]}> {
	const paths: string[] = [];
	const server = createServer((req, res) => {
		paths.push(req.url ?? '');
		handler(req, res);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	return {url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, paths};
}

/** Go's net/http/pprof as far as paths go: exactly /debug/pprof/goroutine (not goroutine/), debug=1 or 2. */
const goLike: Handler = (req, res) => {
	const url = new URL(req.url ?? '/', 'http://x');
	if (url.pathname !== '/debug/pprof/goroutine') {
		res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'});
		res.end('404 page not found\n');
		return;
	}
	res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
	res.end(url.searchParams.get('debug') === '1' ? debug1 : debug2);
};

const html: Handler = (_req, res) => {
	res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
	res.end('<!doctype html><html><body><h1>Orders service</h1></body></html>');
};

function tempFile(t: {after(fn: () => unknown): void}, name: string, text: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-contact-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
}

test('--help lists every flag gmon accepts', () => {
	const kebab = (name: string) => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
	for (const name of Object.keys(flagDefinitions)) assert.match(helpText, new RegExp(`--(no-)?${kebab(name)}\\b`), `--${kebab(name)} in --help`);
	for (const flag of ['--headers-timeout', '--body-timeout', '--poll-timeout', '--max-pause', '--max-overhead']) assert.ok(helpText.includes(flag), flag);
});

test('--once: a 404 says this is not a pprof endpoint and how to add one; exit 3', async t => {
	const server = await serve(t, (_req, res) => {
		res.writeHead(404, {'content-type': 'text/plain'});
		res.end('404 page not found\n');
	});
	const result = await runCli(['--once', server.url]);
	assert.equal(result.code, 3, result.stderr);
	assert.equal(
		result.stderr,
		`gmon: ${server.host}/debug/pprof/goroutine is not a pprof endpoint (404 Not Found): does the service import _ "net/http/pprof"?\n`,
	);
});

test('--once: an HTML page says "got HTML", whether or not its type says so; exit 3', async t => {
	const typed = await serve(t, html);
	const result = await runCli(['--once', typed.url]);
	assert.equal(result.code, 3, result.stderr);
	assert.equal(result.stderr, `gmon: ${typed.host}/debug/pprof/goroutine is not a pprof endpoint: got HTML (a web page, not a goroutine dump)\n`);
	const untyped = await serve(t, (_req, res) => {
		res.writeHead(200, {'content-type': 'text/plain'});
		res.end('<!DOCTYPE html>\n<html><body>Login</body></html>\n');
	});
	const plain = await runCli(['--once', `${untyped.url}/index.html`]);
	assert.equal(plain.code, 3, plain.stderr);
	// The path typed was used as given (not /index.html/goroutine), and the reply says what it is.
	assert.equal(untyped.paths[0], '/index.html?debug=1');
	assert.match(plain.stderr, new RegExp(`^gmon: ${untyped.host}/index\\.html is not a pprof endpoint: got HTML`));
});

test('--once: a text file that is not a dump exits 2 with its first line, escaped', async t => {
	const file = tempFile(t, 'notes.txt', '\n  Meeting notes \u001b[2J\u001b]52;c;eA==\u0007 for Monday\nnothing else\n');
	const result = await runCli(['--once', file]);
	assert.equal(result.code, 2, result.stderr);
	assert.equal(
		result.stderr,
		`gmon: ${file} is not a goroutine dump: no "goroutine N [state]:" blocks or "goroutine profile:" header found; it starts with "Meeting notes \\x1b[2J\\x1b]52;c;eA==\\x07 for Monday"\n`,
	);
	const missing = await runCli(['--once', join(file, '..', 'missing.txt')]);
	assert.equal(missing.code, 3);
	assert.match(missing.stderr, /^gmon: no such file: .*missing\.txt\n$/);
});

test('--once: a 200 body with no goroutine in it (one header-like line in prose) is not a dump, not "0 goroutines"; exit 3', async t => {
	const prose = await serve(t, (_req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		res.end('Service notes\n    goroutine 86 [chan send]\n');
	});
	const result = await runCli(['--once', prose.url]);
	assert.equal(result.code, 3, result.stderr);
	assert.equal(
		result.stderr,
		'gmon: the response to /debug/pprof/goroutine is not a goroutine dump: no goroutine in it could be read (1 goroutine header not understood: "goroutine 86 [chan send]"); it starts with "Service notes"\n',
	);
	assert.equal(result.stdout, '');
});

test('the TUI on a text file that is not a dump: no live view, the same line, exit 2', {skip: skipUnless('tmux')}, async t => {
	const file = tempFile(t, 'notes.txt', 'hello, this is not a dump\n');
	const tmux = startTmux({
		command: `node ${JSON.stringify(binPath)} ${JSON.stringify(file)}; echo "gmon exited with $?"; sleep 60`,
		env: {CI: 'false'},
		cwd: repoDir,
	});
	t.after(() => tmux.kill());
	const screen = await tmux.waitForText(/gmon exited with \d+/, 15_000);
	assert.match(screen, /gmon exited with 2/);
	// (tmux wraps the long line at 80 columns.)
	assert.match(screen.replaceAll('\n', ''), /is not a goroutine dump: .*it starts with "hello,\s?this is not a dump"/);
	assert.doesNotMatch(screen, /waiting for the first poll|no goroutine/);
});

test('the TUI on a 404 or nothing listening: the header and the list say what is wrong, never "matches the filters"', async t => {
	const notFound = await serve(t, (_req, res) => {
		res.writeHead(404);
		res.end();
	});
	for (const [target, expected] of [
		[notFound.url, /is not a pprof endpoint \(404 Not Found\)/],
		['127.0.0.1:1', /nothing listening on 127\.0\.0\.1:1 \(connection refused\)/],
	] as const) {
		const monitor = createMonitor(buildConfig(target), {maxBackoffMs: 60_000});
		t.after(() => monitor.control.stop());
		await monitor.poller.whenIdle();
		const state = monitor.getState();
		const ui = initialUiState();
		const empty = emptyListText('goroutines', state.model, state.poller, ui);
		assert.match(empty, /^no data: /);
		assert.match(empty, expected);
		const header = headerLines({poller: state.poller, model: state.model, now: Date.now(), width: 200, compact: false, stateOrder: [], ui});
		assert.match(header[1]!.text, expected);
		await monitor.control.stop();
	}
});

test('a target that accepts and never answers: the waiting line shows the time and the limit that ends it', async t => {
	const hung = await serve(t, () => {});
	const monitor = createMonitor(buildConfig(hung.url, {headersTimeout: '1m'}));
	t.after(() => monitor.control.stop());
	await new Promise(resolve => setTimeout(resolve, 2300));
	const state = monitor.getState();
	const ui = initialUiState();
	const now = Date.now();
	const header = headerLines({poller: state.poller, model: state.model, now, width: 80, compact: false, stateOrder: [], ui});
	assert.match(header[0]!.text, /waiting for the first poll… 2s of 1m/, 'at 80 columns');
	assert.match(emptyListText('goroutines', state.model, state.poller, ui, {now: now}), /waiting for the first poll… 2s of 1m \(--headers-timeout\)/);
	await monitor.control.stop();
});

test('URLs as typed: goroutine/ is trimmed (Go 404s on it), a same-host redirect is followed, another host is explained', async t => {
	const go = await serve(t, goLike);
	const slash = await runCli(['--once', `${go.url}/debug/pprof/goroutine/`]);
	assert.equal(slash.code, 0, slash.stderr);
	assert.match(slash.stdout, /^gmon report: /);
	const moved = await serve(t, (req, res) => {
		if ((req.url ?? '').startsWith('/pprof/')) {
			res.writeHead(301, {location: `/debug/pprof/goroutine?${new URL(req.url ?? '/', 'http://x').searchParams}`});
			res.end();
			return;
		}
		goLike(req, res);
	});
	const followed = await runCli(['--once', `${moved.url}/pprof/goroutine`]);
	assert.equal(followed.code, 0, followed.stderr);
	assert.deepEqual(moved.paths.slice(0, 2), ['/pprof/goroutine?debug=1', '/debug/pprof/goroutine?debug=1']);
	const away = await serve(t, (_req, res) => {
		res.writeHead(302, {location: 'http://other.example:6060/debug/pprof/goroutine?debug=2'});
		res.end();
	});
	const explained = await runCli(['--once', away.url]);
	assert.equal(explained.code, 3);
	assert.equal(
		explained.stderr,
		'gmon: HTTP 302 Found — the target redirects to http://other.example:6060/debug/pprof/goroutine?debug=2 (another host: not followed): use that URL as the target\n',
	);
});

test('?debug=1 in the URL: counts only, said on stderr, no full dump asked for', async t => {
	const go = await serve(t, goLike);
	const result = await runCli(['--once', `${go.url}/debug/pprof/goroutine?debug=1`]);
	assert.equal(result.code, 0, result.stderr);
	assert.ok(!go.paths.some(path => path.includes('debug=2')), go.paths.join(' '));
	assert.match(
		result.stderr,
		/^gmon: no full dump taken: the target URL asks for \?debug=1 \(counts only\); this report is the debug=1 profile \(counts per stack\) — drop \?debug=1 for the stacks\n$/,
	);
	const refused = await runCli(['--once', `${go.url}/debug/pprof/goroutine?debug=0`]);
	assert.equal(refused.code, 2);
	assert.match(refused.stderr, /\?debug=0 is the gzipped protobuf profile, which gmon does not read/);
});

test('a target too big to dump unasked: --once reports its groups from debug=1 and says what a full dump would cost', async t => {
	// 12,000 goroutines 30 PCs deep (a service's handler stacks; debug=1 hides the runtime's frames but
	// lists their PCs): ~1.9 s of stopped world predicted, over --max-pause 1s.
	const pcs = Array.from({length: 30}, (_, i) => `0x${(i + 1).toString(16)}`).join(' ');
	const profile = `12000 @ ${pcs}\n#\t0x1\tmain.worker+0x1\t/app/main.go:10\n#\t0x2\tmain.main+0x2\t/app/main.go:20\n`;
	const big = await serve(t, (req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.pathname !== '/debug/pprof/goroutine') {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		res.end(url.searchParams.get('debug') === '1' ? `goroutine profile: total 12000\n${profile}` : debug2);
	});
	const result = await runCli(['--once', big.url]);
	assert.equal(result.code, 0, result.stderr);
	assert.ok(!big.paths.some(path => path.includes('debug=2')), `never asked for a full dump: ${big.paths.join(' ')}`);
	assert.equal(
		result.stderr,
		'gmon: no full dump taken: it would freeze the target ~1.9s for 12.0k goroutines (over --max-pause 1s); this report is the debug=1 profile (counts per stack) — raise that limit to take one\n',
	);
	assert.match(result.stdout, /12000|12\.0k/);
	assert.match(result.stdout, /main\.worker/);
	// Raising the limit takes it.
	const raised = await runCli(['--once', '--max-pause', '5s', big.url]);
	assert.equal(raised.code, 0, raised.stderr);
	assert.ok(big.paths.some(path => path.includes('debug=2')));
});
