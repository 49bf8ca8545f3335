import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatBytes, formatDuration} from '../../source/text/units.ts';
import {padEnd, sparkline} from '../../source/view/format.ts';
import {truncateMiddle, wrapWords} from '../../source/text/fit.ts';
import type {Suspect} from '../../source/model/types.ts';
import {isUserFunc} from '../../source/dump/user-frame.ts';
import {shortFunc} from '../../source/view/frames.ts';
import {goroutineStackLines} from '../../source/view/stack-lines.ts';
import {tracked} from '../helpers/fake-store.ts';
import {visible} from '../../source/text/sanitize.ts';

test('truncateMiddle keeps both ends and fits the width exactly', () => {
	const text = 'github.com/acme/service/internal/handlers.(*Server).handleUpload';
	const cut = truncateMiddle(text, 30);
	assert.equal(cut.length, 30);
	assert.ok(cut.startsWith('github.com/ac'));
	assert.ok(cut.endsWith('handleUpload'));
	assert.ok(cut.includes('…'));
	assert.equal(truncateMiddle('short', 30), 'short');
	assert.equal(truncateMiddle('abcdef', 1), '…');
	assert.equal(truncateMiddle('abcdef', 0), '');
});

test('padEnd pads short text and cuts long text to the exact width', () => {
	assert.equal(padEnd('ab', 4), 'ab  ');
	assert.equal(padEnd('abcdef', 4), 'abc…');
});

test('durations read short at every scale', () => {
	assert.equal(formatDuration(850), '850ms');
	assert.equal(formatDuration(12_000), '12s');
	assert.equal(formatDuration(185_000), '3m05s');
	assert.equal(formatDuration(2 * 3_600_000 + 14 * 60_000), '2h14m');
	assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d04h');
	// Floored like Go's wait minutes, and a zero last part left off: "stuck 2m", never "2m00s".
	assert.equal(formatDuration(119_999), '1m59s');
	assert.equal(formatDuration(120_000), '2m');
	assert.equal(formatDuration(3_600_000), '1h');
	assert.equal(formatDuration(999.6), '1s');
	assert.equal(formatDuration(-1), '-');
	assert.equal(formatBytes(25 * 1024 * 1024), '25 MiB');
	assert.equal(formatBytes(1200), '1.2 KiB');
});

test('sparkline: one rule, from zero to the max, keeping the last values', () => {
	assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8), '▂▃▄▅▅▆▇█');
	assert.equal(sparkline([0, 100, 0, 100], 2), '▁█');
	assert.equal(sparkline([], 5), '');
	assert.equal(sparkline([0, 0], 5), '▁▁');
	// A pool going 3 → 4 stays high and level; a leak 0 → 12 climbs; a steady count is full height.
	assert.equal(sparkline([3, 4, 4], 3), '▆██');
	assert.equal(sparkline([0, 6, 12], 3), '▁▅█');
	assert.equal(sparkline([5, 5, 5], 8), '███');
});

test('visible shows escape sequences, C1 controls and bidi overrides as escapes, never raw', () => {
	assert.equal(visible('main.\u001B[2J\u001B]0;pwned\u0007evil'), 'main.\\x1b[2J\\x1b]0;pwned\\x07evil');
	assert.equal(visible('a\u009Bb\u202Ec\u0000d\u200Be\uFEFFf\u2066g'), 'a\\x9bb\\u202ec\\x00d\\u200be\\ufefff\\u2066g');
	assert.equal(visible('tab\there\nnew'), 'tab here new');
	const plain = 'main.(*Server).Serve(0xc000010000)';
	assert.equal(visible(plain), plain);
	assert.doesNotMatch(visible('x\u001Bx'), /\u001B/);
});

test("the stack view dims exactly the frames the model does not call the user's (one rule: dump/user-frame.ts)", () => {
	const frames: Array<[string, string, number]> = [
		['runtime.gopark', '/usr/local/go/src/runtime/proc.go', 381],
		['internal/poll.(*FD).Read', '/usr/local/go/src/internal/poll/fd_unix.go', 167],
		['golang.org/x/sync/errgroup.(*Group).Wait', '/go/pkg/mod/golang.org/x/sync/errgroup/errgroup.go', 56],
		// A module path without a dot (a monorepo's `myservice/…`) is the user's code, not the standard library.
		['myservice/handlers.(*S).Get', '/src/myservice/handlers/get.go', 88],
		['github.com/caddyserver/caddy/v2.trapSignalsPosix.func1', '/go/pkg/mod/caddy/sigtrap_posix.go', 33],
		['main.main', '/src/main.go', 12],
	];
	const lines = goroutineStackLines(tracked({id: 7, frames}), 200);
	for (const [func] of frames) {
		const line = lines.find(candidate => candidate.text.startsWith(func));
		assert.ok(line, `${func} is in the stack view`);
		assert.equal(line.tone, isUserFunc(func) ? 'normal' : 'dim', func);
	}
	assert.deepEqual(
		frames.map(([func]) => isUserFunc(func)),
		[false, false, false, true, true, true],
	);
});

test('a short function name keeps the module element before a /vN major version', () => {
	assert.equal(shortFunc('github.com/caddyserver/caddy/v2.trapSignalsPosix.func1'), 'caddy/v2.trapSignalsPosix.func1');
	assert.equal(shortFunc('github.com/caddyserver/caddy/v2/modules/caddyhttp.(*Server).ServeHTTP'), 'caddyhttp.(*Server).ServeHTTP');
	assert.equal(shortFunc('github.com/jackc/pgx/v5/pgxpool.(*Pool).Acquire'), 'pgxpool.(*Pool).Acquire');
	assert.equal(shortFunc('github.com/acme/svc/handlers.(*S).Get'), 'handlers.(*S).Get');
	assert.equal(shortFunc('main.main.func1'), 'main.main.func1');
	assert.equal(shortFunc('net/http.(*conn).serve'), 'http.(*conn).serve');
	assert.equal(shortFunc('example.com/v2.Run'), 'example.com/v2.Run');
});

test('wrapWords breaks a sentence between words, indents the rest, and never exceeds the width', () => {
	const sentence = 'why: likely leak: 12 goroutines in chan send at leaks.go:97 — the functions that started them have returned, so nobody will receive';
	const lines = wrapWords(sentence, 40, 5);
	assert.ok(lines.length > 1);
	for (const line of lines) assert.ok(line.length <= 40, line);
	for (const line of lines.slice(1)) assert.match(line, /^ {5}\S/);
	assert.equal(lines.map(line => line.trim()).join(' '), sentence, 'every word kept, in order');
	assert.deepEqual(wrapWords('a-very-long-word-that-cannot-fit', 10, 2), ['a-very-lo…']);
});

test("the stack view gives a suspect's whole why at 80 columns, wrapped, not cut", () => {
	const reason = 'likely leak: 12 goroutines in chan send at leaks.go:97 — the functions that started them have returned, so nobody will receive';
	const suspect = {reason, tier: 'likely'} as unknown as Suspect;
	const lines = goroutineStackLines(tracked({id: 7, state: 'chan send'}), 80, {suspect}).map(line => line.text);
	const start = lines.findIndex(line => line.startsWith('why: '));
	assert.ok(start >= 0, lines.join('\n'));
	const why = lines.slice(start, start + 3).filter(line => line.startsWith('why: ') || line.startsWith('     '));
	assert.equal(why.map(line => line.trim()).join(' '), `why: ${reason}`);
});

test('truncateMiddle never cuts inside a module path version element like /v2', () => {
	// The head stops before `/v9` rather than leaving `redis/v…`.
	assert.equal(truncateMiddle('redis/v9.(*Client).Process', 15), 'redis…).Process');
	assert.equal(truncateMiddle('github.com/jackc/pgx/v5/pgxpool.(*Pool).Acquire', 30), 'github.com/jac…(*Pool).Acquire');
	// The tail keeps `redis/v9` whole when the cut would land in it and it fits.
	const tail = truncateMiddle('example.com/some/long/prefix/redis/v9.Do', 20);
	assert.equal(tail.length, 20);
	assert.match(tail, /…redis\/v9\.Do$/);
	for (const width of [5, 8, 12, 17, 21, 26, 33]) {
		for (const text of ['github.com/redis/go-redis/v9.(*baseClient).process', 'k8s.io/client-go/v2/tools.Run', 'gopkg.in/yaml.v3.Unmarshal']) {
			const cut = truncateMiddle(text, width);
			assert.ok(cut.length <= width, `${width}: ${cut}`);
			assert.doesNotMatch(cut, /\/v\d*…|\/…/, `${width}: ${cut}`);
		}
	}
});
