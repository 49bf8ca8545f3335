import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {buildConfig, ConfigError, parseDuration, parseTarget, type PathKind} from '../../source/config.ts';

const nothingOnDisk = {pathKind: (): PathKind => 'missing'};
const target = (text: string) => parseTarget(text, nothingOnDisk);

test('bare addresses mean the default pprof goroutine URL on http', () => {
	assert.deepEqual(target('localhost:6060'), {kind: 'http', url: 'http://localhost:6060/debug/pprof/goroutine?debug=2', displayName: 'localhost:6060'});
	assert.deepEqual(target(':6060'), {kind: 'http', url: 'http://localhost:6060/debug/pprof/goroutine?debug=2', displayName: 'localhost:6060'});
	assert.deepEqual(target('6060'), {kind: 'http', url: 'http://localhost:6060/debug/pprof/goroutine?debug=2', displayName: 'localhost:6060'});
	assert.deepEqual(target('10.0.0.7:8080'), {kind: 'http', url: 'http://10.0.0.7:8080/debug/pprof/goroutine?debug=2', displayName: '10.0.0.7:8080'});
	assert.deepEqual(target('[::1]:6060'), {kind: 'http', url: 'http://[::1]:6060/debug/pprof/goroutine?debug=2', displayName: '[::1]:6060'});
});

test('URLs: empty path, pprof mount, custom mount and a full goroutine URL', () => {
	assert.equal((target('http://svc:6060') as {url: string}).url, 'http://svc:6060/debug/pprof/goroutine?debug=2');
	assert.equal((target('http://svc:6060/') as {url: string}).url, 'http://svc:6060/debug/pprof/goroutine?debug=2');
	assert.equal((target('https://svc/debug/pprof/') as {url: string}).url, 'https://svc/debug/pprof/goroutine?debug=2');
	assert.equal((target('http://svc:1/debug/pprof') as {url: string}).url, 'http://svc:1/debug/pprof/goroutine?debug=2');
	const custom = target('https://svc:8443/internal/debug/pprof/');
	assert.deepEqual(custom, {
		kind: 'http',
		url: 'https://svc:8443/internal/debug/pprof/goroutine?debug=2',
		displayName: 'https://svc:8443/internal/debug/pprof',
	});
	assert.equal((target('http://svc:1/x/debug/pprof/goroutine?debug=2') as {url: string}).url, 'http://svc:1/x/debug/pprof/goroutine?debug=2');
	assert.equal((target('svc:6060/internal/pprof/') as {url: string}).url, 'http://svc:6060/internal/pprof/goroutine?debug=2');
});

test('URLs follow what the user typed: a full profile URL as given, a mount gets /goroutine, a file-like path as given', () => {
	const url = (text: string) => (target(text) as {url: string}).url;
	// A full profile URL is used as given; the slash after goroutine goes (Go's pprof answers 404 to it).
	assert.equal(url('http://svc:1/debug/pprof/goroutine'), 'http://svc:1/debug/pprof/goroutine?debug=2');
	assert.equal(url('http://svc:1/debug/pprof/goroutine/'), 'http://svc:1/debug/pprof/goroutine?debug=2');
	assert.equal(url('http://svc:1/debug/pprof/goroutine/?debug=2'), 'http://svc:1/debug/pprof/goroutine?debug=2');
	assert.equal(url('http://svc:1/debug/pprof/goroutineleak'), 'http://svc:1/debug/pprof/goroutineleak?debug=2');
	assert.equal(target('http://svc:1/debug/pprof/goroutineleak').displayName, 'svc:1/debug/pprof/goroutineleak');
	// A base path (with or without its slash) is a mount.
	assert.equal(url('http://svc:1/pprof'), 'http://svc:1/pprof/goroutine?debug=2');
	assert.equal(url('http://svc:1/pprof/'), 'http://svc:1/pprof/goroutine?debug=2');
	// A path naming a file is not a mount: it is asked as given, and the reply says what it is.
	assert.equal(url('http://svc:1/index.html'), 'http://svc:1/index.html?debug=2');
	assert.equal(target('http://svc:1/index.html').displayName, 'svc:1/index.html');
	// Other parameters stay.
	assert.equal(url('http://svc:1/debug/pprof/goroutine?token=t'), 'http://svc:1/debug/pprof/goroutine?token=t&debug=2');
});

test('?debug=1 is honoured as counts only; ?debug=0 and other levels are refused with the way out', () => {
	const counts = target('http://svc:1/debug/pprof/goroutine?debug=1&token=t');
	assert.deepEqual(counts, {kind: 'http', url: 'http://svc:1/debug/pprof/goroutine?debug=2&token=t', displayName: 'svc:1', countsOnly: true});
	assert.equal((target('http://svc:1/debug/pprof/goroutine?debug=2') as {countsOnly?: true}).countsOnly, undefined);
	assert.throws(() => target('http://svc:1/debug/pprof/goroutine?debug=0'), {
		name: 'ConfigError',
		message:
			'?debug=0 is the gzipped protobuf profile, which gmon does not read: drop it (gmon reads ?debug=2, with ?debug=1 between full dumps), or ?debug=1 for counts only',
	});
	assert.throws(() => target('http://svc:1/debug/pprof/goroutine?debug=9'), {message: /^\?debug=9 is not a debug level pprof has/});
});

test('user:pass@ becomes a Basic header and is gone from the URL and the display name', () => {
	const parsed = target('http://alice:s3cr%40t@svc:6060/debug/pprof/');
	assert.equal(parsed.kind, 'http');
	if (parsed.kind !== 'http') return;
	assert.equal(parsed.url, 'http://svc:6060/debug/pprof/goroutine?debug=2');
	assert.equal(parsed.displayName, 'svc:6060');
	assert.equal(parsed.authHeader, `Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
	assert.doesNotMatch(JSON.stringify({...parsed, authHeader: undefined}), /s3cr|alice/);
	const bare = target('bob:pw@localhost:6060');
	assert.equal(bare.kind === 'http' && bare.authHeader, `Basic ${Buffer.from('bob:pw').toString('base64')}`);
});

test('- is stdin; existing files, sockets and unix: targets', t => {
	assert.deepEqual(target('-'), {kind: 'stdin', displayName: 'stdin'});
	const dir = mkdtempSync(join(tmpdir(), 'gmon-config-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const file = join(dir, 'crash.log');
	writeFileSync(file, 'goroutine 1 [running]:\n');
	assert.deepEqual(parseTarget(file), {kind: 'file', path: file, displayName: file});
	// A file literally named like a port is a file.
	const kinds = {pathKind: (path: string): PathKind => (path === '6060' ? 'file' : 'missing')};
	assert.equal(parseTarget('6060', kinds).kind, 'file');

	const fake = {pathKind: (path: string): PathKind => (path === '/run/app.sock' ? 'socket' : 'missing')};
	assert.deepEqual(parseTarget('unix:/run/app.sock', fake), {
		kind: 'unix',
		socketPath: '/run/app.sock',
		path: '/debug/pprof/goroutine?debug=2',
		displayName: 'unix:/run/app.sock',
	});
	assert.deepEqual(parseTarget('/run/app.sock', fake), {
		kind: 'unix',
		socketPath: '/run/app.sock',
		path: '/debug/pprof/goroutine?debug=2',
		displayName: 'unix:/run/app.sock',
	});
	assert.deepEqual(parseTarget('unix:/run/app.sock:/internal/debug/pprof/', fake), {
		kind: 'unix',
		socketPath: '/run/app.sock',
		path: '/internal/debug/pprof/goroutine?debug=2',
		displayName: 'unix:/run/app.sock:/internal/debug/pprof/',
	});
	assert.throws(() => parseTarget('unix:/nope.sock', fake), {name: 'ConfigError', message: 'no such socket: /nope.sock'});
	assert.throws(() => parseTarget(dir), {message: `${dir} is a directory, not a dump file or socket`});
});

test('a real unix socket path on disk is recognised as a socket', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-config-'));
	const server = createServer();
	const socketPath = join(dir, 'p.sock');
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	t.after(() => {
		server.close();
		rmSync(dir, {recursive: true, force: true});
	});
	assert.equal(parseTarget(socketPath).kind, 'unix');
});

test('targets that cannot be understood get one clear line', () => {
	assert.throws(() => target('crash.log'), {name: 'ConfigError', message: 'no such file: crash.log'});
	assert.throws(() => target('./dumps/x'), {message: 'no such file: ./dumps/x'});
	assert.throws(() => target('myhost'), {message: 'myhost is not a file, and an address needs a port: did you mean myhost:6060?'});
	assert.throws(() => target('localhost:99999'), {message: 'port 99999 is out of range (1-65535)'});
	assert.throws(() => target('ftp://x:1/'), {message: 'unsupported scheme ftp: (use http, https, unix: or a file)'});
	assert.throws(() => target(''), {message: 'no target given: try `gmon localhost:6060`, a URL, a dump file, or `-` for stdin'});
});

test('durations: 2s, 500ms, 1m, 1m30s and plain seconds', () => {
	assert.equal(parseDuration('2s', '--interval'), 2000);
	assert.equal(parseDuration('500ms', '--interval'), 500);
	assert.equal(parseDuration('1m', '--interval'), 60_000);
	assert.equal(parseDuration('1m30s', '--interval'), 90_000);
	assert.equal(parseDuration('1.5', '--interval'), 1500);
	assert.equal(parseDuration(3, '--interval'), 3000);
	assert.throws(() => parseDuration('fast', '--interval'), {name: 'ConfigError', message: '--interval "fast": expected a duration like 2s, 500ms or 1m'});
});

test('buildConfig: defaults', () => {
	const config = buildConfig('localhost:6060', {}, nothingOnDisk);
	assert.deepEqual(config, {
		target: {kind: 'http', url: 'http://localhost:6060/debug/pprof/goroutine?debug=2', displayName: 'localhost:6060'},
		intervalMs: 2000,
		maxOverheadPct: 5,
		maxPauseMs: 1000,
		maxBytes: 64 * 1024 * 1024,
		headers: {},
		insecure: false,
		watch: false,
		headersTimeoutMs: 60_000,
		bodyTimeoutMs: 30_000,
		pollTimeoutMs: 300_000,
	});
});

test('buildConfig: --interval and --poll-timeout stay within what a timer can hold, and are never negative', () => {
	assert.throws(() => buildConfig('localhost:6060', {interval: '600h'}, nothingOnDisk), /^ConfigError: --interval 600h is too long \(at most 24h\)$/);
	assert.throws(() => buildConfig('localhost:6060', {interval: '-1s'}, nothingOnDisk), /--interval "-1s": a duration cannot be negative/);
	assert.throws(() => buildConfig('localhost:6060', {pollTimeout: '25h'}, nothingOnDisk), /--poll-timeout 25h is too long/);
	assert.throws(() => buildConfig('localhost:6060', {pollTimeout: '10ms'}, nothingOnDisk), /--poll-timeout 10ms is too short/);
	assert.equal(buildConfig('localhost:6060', {interval: '24h', pollTimeout: '30s'}, nothingOnDisk).pollTimeoutMs, 30_000);
});

test('buildConfig: every flag', () => {
	const config = buildConfig(
		'https://u:p@svc:443/',
		{
			interval: '500ms',
			maxOverhead: '0',
			maxBytes: '8MB',
			header: ['X-Token: abc', 'Authorization: Bearer tok'],
			cacert: '/etc/ca.pem',
			insecure: true,
			stuckAfter: '30s',
			headersTimeout: '2s',
			bodyTimeout: '1s',
		},
		nothingOnDisk,
	);
	assert.equal(config.intervalMs, 500);
	assert.equal(config.maxOverheadPct, 0);
	assert.equal(config.maxBytes, 8 * 1024 * 1024);
	// An explicit -H Authorization wins over user:pass@.
	assert.deepEqual(config.headers, {'x-token': 'abc', authorization: 'Bearer tok'});
	assert.equal(config.caFile, '/etc/ca.pem');
	assert.equal(config.insecure, true);
	assert.equal(config.stuckAfterMs, 30_000);
	assert.equal(config.headersTimeoutMs, 2000);
	assert.equal(config.bodyTimeoutMs, 1000);
	assert.equal(buildConfig('6060', {stuckAfter: '5'}, nothingOnDisk).stuckAfterPolls, 5);
	assert.equal(buildConfig('u:p@h:1', {}, nothingOnDisk).headers['authorization'], `Basic ${Buffer.from('u:p').toString('base64')}`);
	// --watch means "keep polling": harmless on a network target, which always repeats.
	assert.equal(buildConfig('6060', {watch: true}, nothingOnDisk).watch, true);
});

test('buildConfig: bad values are ConfigErrors with one line, never echoing a header value', () => {
	const bad = (flags: Parameters<typeof buildConfig>[1], message: string) =>
		assert.throws(
			() => buildConfig('6060', flags, nothingOnDisk),
			(error: unknown) => {
				assert.ok(error instanceof ConfigError);
				assert.equal(error.message, message);
				return true;
			},
		);
	bad({interval: '10ms'}, '--interval 10ms is too short (at least 100ms)');
	bad({interval: 'soon'}, '--interval "soon": expected a duration like 2s, 500ms or 1m');
	bad({maxOverhead: '150'}, '--max-overhead "150": expected a percentage from 0 (off) to 100, e.g. 5');
	bad({maxBytes: 'lots'}, '--max-bytes "lots": expected a size like 64MB, 512KB or a byte count');
	bad({maxBytes: '10'}, '--max-bytes 10 is too small (at least 1KB)');
	bad({header: ['Authorization Bearer supersecret']}, "-H header: expected 'Name: value', e.g. -H 'Authorization: Bearer …'");
	bad({stuckAfter: '0'}, '--stuck-after must be at least 1 poll');
	bad({stuckAfter: 'often'}, '--stuck-after "often": expected a number of polls (3) or a duration (30s, 2m)');
});
