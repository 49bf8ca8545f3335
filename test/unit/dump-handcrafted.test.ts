// Shapes no fixture has (newer Go versions, pasted text, crash-only lines), written by hand from
// the Go source and real third-party dumps quoted in docs/dump-formats.md.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createDumpParser, parseDump} from '../../source/dump/parse.ts';
import type {Goroutine} from '../../source/dump/types.ts';

const one = (text: string): Goroutine => {
	const dump = parseDump(text);
	assert.equal(dump.goroutines.length, 1, 'one goroutine');
	return dump.goroutines[0]!;
};

function deepStack(from: number, count: number): string {
	let text = '';
	for (let i = 0; i < count; i++) text += `main.recurse(0x${(from + i).toString(16)})\n\t/app/main.go:${10 + i} +0x1f\n`;
	return text;
}

test('Go 1.21+ elision sits between the inner and outer 50 frames, created-by still follows', () => {
	const g = one(
		`goroutine 7 [chan receive]:\n${deepStack(0, 50)}...864 frames elided...\n${deepStack(100, 50)}created by main.main in goroutine 1\n\t/app/main.go:5 +0x25\n`,
	);
	assert.equal(g.frames.length, 100);
	assert.deepEqual(g.elided, {count: 864, at: 50});
	assert.equal(g.frames[49]?.args, '0x31');
	assert.equal(g.frames[50]?.args, '0x64');
	assert.deepEqual(g.createdBy, {func: 'main.main', file: '/app/main.go', line: 5, parentId: 1, pcOffset: 0x25});
	assert.equal(g.truncated, undefined);
});

test('Go <=1.20 elision marker has no count', () => {
	const g = one(`goroutine 7 [running]:\n${deepStack(0, 100)}...additional frames elided...\ncreated by main.main\n\t/app/main.go:5 +0x25\n`);
	assert.deepEqual(g.elided, {at: 100});
	assert.equal(g.createdBy?.func, 'main.main');
	assert.equal(g.createdBy?.parentId, undefined);
});

test('gp= m= mp= header fields (Go 1.23+ crashes), m=nil included', () => {
	const dump = parseDump(
		'goroutine 6 gp=0xc0000036c0 m=0 mp=0x579480 [running]:\nmain.main()\n\t/app/main.go:3 +0x1\n\n' +
			'goroutine 1 gp=0xc000002380 m=nil [sync.WaitGroup.Wait]:\nsync.runtime_SemacquireWaitGroup(0xc00001c0f8?)\n\t/usr/local/go/src/runtime/sema.go:110 +0x25\n',
	);
	assert.deepEqual(
		dump.goroutines.map(g => [g.id, g.state, g.fields]),
		[
			[6, 'running', {gp: '0xc0000036c0', m: '0', mp: '0x579480'}],
			[1, 'sync.WaitGroup.Wait', {gp: '0xc000002380', m: 'nil'}],
		],
	);
});

test('(scan) and (leaked) are flags; (durable), (nil chan), (no cases) stay in the state', () => {
	const states = parseDump(
		[
			'goroutine 1 [chan receive (scan)]:',
			'goroutine 2 [chan receive (leaked)]:',
			'goroutine 3 [select (no cases) (leaked), 12 minutes]:',
			'goroutine 4 [chan send (durable), synctest bubble 3]:',
			'goroutine 5 [chan receive (synctest), synctest group 8]:',
			'goroutine 6 [chan receive (nil chan)]:',
			'goroutine 7 [sync.WaitGroup.Wait (durable)]:',
		]
			.map(header => `${header}\nmain.f()\n\t/app/f.go:1 +0x1\n`)
			.join('\n'),
	).goroutines.map(g => ({id: g.id, state: g.state, scan: g.scan, leaked: g.leaked, durable: g.durable, bubble: g.synctestBubble, minutes: g.waitMinutes}));
	assert.deepEqual(states, [
		{id: 1, state: 'chan receive', scan: true, leaked: false, durable: false, bubble: undefined, minutes: 0},
		{id: 2, state: 'chan receive', scan: false, leaked: true, durable: false, bubble: undefined, minutes: 0},
		{id: 3, state: 'select (no cases)', scan: false, leaked: true, durable: false, bubble: undefined, minutes: 12},
		{id: 4, state: 'chan send (durable)', scan: false, leaked: false, durable: true, bubble: 3, minutes: 0},
		{id: 5, state: 'chan receive (synctest)', scan: false, leaked: false, durable: true, bubble: 8, minutes: 0},
		{id: 6, state: 'chan receive (nil chan)', scan: false, leaked: false, durable: false, bubble: undefined, minutes: 0},
		{id: 7, state: 'sync.WaitGroup.Wait (durable)', scan: false, leaked: false, durable: true, bubble: undefined, minutes: 0},
	]);
});

test('Go 1.26 labels inside the brackets: values holding `, `, `]`, `}` and escaped quotes', () => {
	const g = one(
		'goroutine 9 [chan receive, 3 minutes, locked to thread labels:{"q": "a, b]: c", "k\\"x": "v}", "tenant": "acme"}]:\nmain.f()\n\t/app/f.go:1 +0x1\n',
	);
	assert.equal(g.state, 'chan receive');
	assert.equal(g.waitMinutes, 3);
	assert.equal(g.locked, true);
	assert.deepEqual(g.labels, {q: 'a, b]: c', 'k"x': 'v}', tenant: 'acme'});
	assert.equal(g.unknownFlags, undefined);
	const simple = one('goroutine 8 [running labels:{"foobar": "baz"}]:\nmain.f()\n\t/app/f.go:1 +0x1\n');
	assert.equal(simple.state, 'running');
	assert.deepEqual(simple.labels, {foobar: 'baz'});
	const asItem = one('goroutine 8 [select, labels:{"a": "1"}, 4 minutes]:\nmain.f()\n\t/app/f.go:1 +0x1\n');
	assert.equal(asItem.state, 'select');
	assert.equal(asItem.waitMinutes, 4);
	assert.deepEqual(asItem.labels, {a: '1'});
});

test('Go 1.27 labels after the bracket: quoted only when needed, a quoted value may hold `, `, `]`, `}` and `:`', () => {
	const g = one(
		'goroutine 9 [chan receive (leaked), 3 minutes, locked to thread] {a: 1, "k\\"x": "v}, ]: w", path: /api/v1/x.y_z}:\nmain.f()\n\t/app/f.go:1 +0x1\n',
	);
	assert.deepEqual(
		[g.state, g.rawState, g.leaked, g.waitMinutes, g.locked],
		['chan receive', 'chan receive (leaked), 3 minutes, locked to thread', true, 3, true],
	);
	assert.deepEqual(g.labels, {a: '1', 'k"x': 'v}, ]: w', path: '/api/v1/x.y_z'});
	assert.equal(g.unknownFlags, undefined);
	const crash = one('goroutine 7 gp=0xc000007c00 m=nil [select (no cases)] {handler: /api}:\nmain.f()\n\t/app/f.go:1 +0x1\n');
	assert.deepEqual([crash.state, crash.fields, crash.labels], ['select (no cases)', {gp: '0xc000007c00', m: 'nil'}, {handler: '/api'}]);
	// Labels are shared between goroutines with the same header (the bracket cache), so never writable.
	const pool = parseDump(
		'goroutine 1 [select] {pool: jobs}:\nmain.w()\n\t/app/w.go:1 +0x1\n\ngoroutine 2 [select] {pool: jobs}:\nmain.w()\n\t/app/w.go:1 +0x1\n',
	).goroutines;
	assert.deepEqual(
		pool.map(p => p.labels),
		[{pool: 'jobs'}, {pool: 'jobs'}],
	);
	assert.ok(pool.every(p => Object.isFrozen(p.labels)));
});

test('a header shape gmon does not know is counted and kept, never dropped in silence', () => {
	const frame = (name: string) => `main.${name}()\n\t/app/${name}.go:1 +0x1\n`;
	const dump = parseDump(
		`goroutine 1 [running]:\n${frame('a')}\ngoroutine 7 [chan receive] <future: x>:\n${frame('b')}\ngoroutine 8 [chan send]:\n${frame('c')}` +
			// Pasted without a blank line: the unknown goroutine's frames must not join goroutine 8.
			`goroutine 9 {new shape}:\n${frame('d')}goroutine 10 [select]:\n${frame('e')}`,
	);
	assert.deepEqual(
		dump.goroutines.map(g => [g.id, g.frames.map(f => f.func)]),
		[
			[1, ['main.a']],
			[8, ['main.c']],
			[10, ['main.e']],
		],
	);
	assert.deepEqual(dump.unparsedHeaders, {count: 2, first: 'goroutine 7 [chan receive] <future: x>:'});
	// The first header unknown: still a traceback (not "not a dump"), its goroutine counted as not understood.
	const only = parseDump('goroutine 3 [idle] ~ {x}:\nruntime.futex()\n\t/go/src/runtime/sys.s:1 +0x1\n');
	assert.deepEqual([only.kind, only.goroutines.length, only.unparsedHeaders?.count], ['traceback', 0, 1]);
	// Prose mentioning a goroutine is no header.
	assert.equal(parseDump('goroutine 5 is fine\ngoroutine 1 [running]:\nmain.f()\n\t/app/f.go:1 +0x1\n').unparsedHeaders, undefined);
});

test('unknown header tokens are kept, never fatal', () => {
	const g = one('goroutine 5 future=1 oddtoken [chan receive, something new, 3 minutes]:\nmain.f()\n\t/app/f.go:1 +0x1\n');
	assert.equal(g.state, 'chan receive');
	assert.equal(g.waitMinutes, 3);
	assert.deepEqual(g.fields, {future: '1'});
	assert.deepEqual(g.unknownFlags, ['oddtoken', 'something new']);
	assert.equal(g.rawState, 'chan receive, something new, 3 minutes');
});

test('CRLF line endings', () => {
	const g = one(
		'goroutine 1 [chan receive, 2 minutes]:\r\nmain.f(0x1)\r\n\tC:/work/app/f.go:12 +0x1d\r\ncreated by main.main\r\n\tC:/work/app/main.go:3 +0x2\r\n',
	);
	assert.equal(g.rawState, 'chan receive, 2 minutes');
	assert.deepEqual(g.frames, [{func: 'main.f', args: '0x1', inlined: false, file: 'C:/work/app/f.go', line: 12, pcOffset: 0x1d}]);
	assert.equal(g.createdBy?.file, 'C:/work/app/main.go');
});

test('a dump inside markdown fences with prose around it', () => {
	const dump = parseDump('Here is what I got:\n\n```go\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:10 +0x1d\n```\n\nAny idea?\n');
	assert.equal(dump.kind, 'traceback');
	assert.equal(dump.goroutines.length, 1);
	assert.deepEqual(dump.goroutines[0]!.frames, [{func: 'main.main', args: '', inlined: false, file: '/app/main.go', line: 10, pcOffset: 0x1d}]);
	assert.equal(dump.preamble, 'Here is what I got:');
	assert.equal(dump.goroutines[0]!.truncated, undefined);
});

test('a dump indented by 4 spaces, file lines by a tab or by 8 spaces', () => {
	const dump = parseDump(
		'    goroutine 1 [select]:\n    main.loop(0xc000010000)\n    \t/app/main.go:20 +0x3c\n    main.main()\n            /app/main.go:9 +0x1d\n\n    goroutine 2 [sleep]:\n    time.Sleep(0x3b9aca00)\n    \t/usr/local/go/src/runtime/time.go:195 +0x135\n',
	);
	assert.deepEqual(
		dump.goroutines.map(g => [g.id, g.state, g.frames.map(f => `${f.func} ${f.file}:${f.line}`)]),
		[
			[1, 'select', ['main.loop /app/main.go:20', 'main.main /app/main.go:9']],
			[2, 'sleep', ['time.Sleep /usr/local/go/src/runtime/time.go:195']],
		],
	);
});

test('log prefixes with changing timestamps before every line', () => {
	const dump = parseDump(
		'2024/01/02 15:04:05 starting\n2024/01/02 15:04:05 goroutine 1 [running]:\n2024/01/02 15:04:05 main.main()\n2024/01/02 15:04:06 \t/app/main.go:10 +0x1d\n2024/01/02 15:04:06 \n2024/01/02 15:04:06 goroutine 2 [IO wait]:\n2024/01/02 15:04:07 internal/poll.runtime_pollWait(0x7f, 0x72)\n2024/01/02 15:04:07 \t/usr/local/go/src/runtime/netpoll.go:305 +0x89\n',
	);
	assert.deepEqual(
		dump.goroutines.map(g => [g.id, g.state, g.frames.length, g.frames[0]?.line]),
		[
			[1, 'running', 1, 10],
			[2, 'IO wait', 1, 305],
		],
	);
});

test('goroutine running on other thread; stack unavailable', () => {
	const g = one(
		'goroutine 7 [running]:\n\tgoroutine running on other thread; stack unavailable\ncreated by main.main in goroutine 1\n\t/app/main.go:20 +0x25\n',
	);
	assert.equal(g.unavailable, true);
	assert.deepEqual(g.frames, []);
	assert.equal(g.createdBy?.parentId, 1);
	assert.equal(g.truncated, undefined);
});

test('paths with spaces, Windows drives, <autogenerated>, no +0x', () => {
	const g = one(
		'goroutine 1 [running]:\nmain.main()\n\tC:/Program Files/Go/src/runtime/proc.go:250 +0x1f\nnet/http.(*onceCloseListener).Accept(0xc0000a4000?)\n\t<autogenerated>:1 +0x24\nmain.inl(...)\n\t/home/me/my project/main.go:7\nmain.weird()\n\t/srv/a:b/c.go:12 +0x2 fp=0xc000 sp=0xc000 pc=0x4\n',
	);
	assert.deepEqual(
		g.frames.map(f => [f.func, f.args, f.inlined, f.file, f.line, f.pcOffset]),
		[
			['main.main', '', false, 'C:/Program Files/Go/src/runtime/proc.go', 250, 0x1f],
			['net/http.(*onceCloseListener).Accept', '0xc0000a4000?', false, '<autogenerated>', 1, 0x24],
			['main.inl', '...', true, '/home/me/my project/main.go', 7, undefined],
			['main.weird', '', false, '/srv/a:b/c.go', 12, 0x2],
		],
	);
});

test('function names: generics, pointer receivers, closures, panic pseudo-frame, nested parens in args', () => {
	const g = one(
		'goroutine 1 [running]:\npanic({0x4a5b20, 0xc000010250})\n\t/usr/local/go/src/runtime/panic.go:884 +0x212\nmain.(*Pool[...]).Get(0xc000012345)\n\t/app/pool.go:9 +0x2\nmain.closures.func1.1.1()\n\t/app/c.go:3 +0x1\nmain.Map[...]({0xc000012000?, 0x3, 0x4})\n\t/app/m.go:4 +0x5\n',
	);
	assert.deepEqual(
		g.frames.map(f => [f.func, f.args]),
		[
			['panic', '{0x4a5b20, 0xc000010250}'],
			['main.(*Pool[...]).Get', '0xc000012345'],
			['main.closures.func1.1.1', ''],
			['main.Map[...]', '{0xc000012000?, 0x3, 0x4}'],
		],
	);
});

test('crash output: goroutine 0 [idle], runtime stack sections and register dumps are not goroutine frames', () => {
	const dump = parseDump(
		[
			'runtime: goroutine stack exceeds 1000000000-byte limit',
			'fatal error: stack overflow',
			'',
			'runtime stack:',
			'runtime.throw({0x4c1b2b?, 0x0?})',
			'\t/usr/local/go/src/runtime/panic.go:1047 +0x5d fp=0x7ffd1 sp=0x7ffd2 pc=0x434b9d',
			'',
			'goroutine 0 [idle]:',
			'runtime.futex(0x5a0e50, 0x80, 0x0, 0x0, 0x0, 0x0)',
			'\t/usr/local/go/src/runtime/sys_linux_amd64.s:557 +0x21 fp=0x7ffd3 sp=0x7ffd4 pc=0x4631a1',
			'',
			'goroutine 1 [running]:',
			'main.f(...)',
			'\t/app/main.go:5',
			'runtime stack:',
			'runtime.morestack()',
			'\t/usr/local/go/src/runtime/asm_amd64.s:570 +0x8b',
			'',
			'rax    0x0',
			'rbx    0x6',
			'exit status 2',
		].join('\n'),
	);
	assert.deepEqual(
		dump.goroutines.map(g => [g.id, g.state, g.frames.map(f => f.func)]),
		[
			[0, 'idle', ['runtime.futex']],
			[1, 'running', ['main.f']],
		],
	);
	assert.equal(
		dump.preamble,
		'runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\nruntime stack:\nruntime.throw({0x4c1b2b?, 0x0?})\n/usr/local/go/src/runtime/panic.go:1047 +0x5d fp=0x7ffd1 sp=0x7ffd2 pc=0x434b9d',
	);
	assert.equal(dump.truncated, false);
});

test('junk before the first header becomes the preamble (first lines only)', () => {
	const junk = Array.from({length: 20}, (_, i) => `log line ${i}`).join('\n');
	const dump = parseDump(`${junk}\npanic: oops\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n`);
	assert.equal(dump.goroutines.length, 1);
	assert.equal(dump.preamble?.split('\n').length, 8);
	assert.ok(dump.preamble?.startsWith('log line 0\nlog line 1'));
	assert.equal(dump.skippedLines, 21);
});

test('goroutineleak profile (Go 1.26 debug=1): name, total, labels, a record without frames', () => {
	const dump = parseDump(
		'goroutineleak profile: total 3\n2 @ 0x43b296 0x406d56 0x46b2e1\n# labels: {"job":"sync"}\n#\t0x406d55\tmain.leaky+0x35\t\t/app/leak.go:12\n\n1 @ 0x46b2e1\n\n',
	);
	assert.equal(dump.kind, 'profile');
	assert.equal(dump.profileName, 'goroutineleak');
	assert.equal(dump.profileTotal, 3);
	assert.deepEqual(dump.records, [
		{
			count: 2,
			pcs: ['0x43b296', '0x406d56', '0x46b2e1'],
			labels: {job: 'sync'},
			frames: [{func: 'main.leaky', args: '', inlined: false, file: '/app/leak.go', line: 12, pc: '0x406d55', pcOffset: 0x35}],
		},
		{count: 1, pcs: ['0x46b2e1'], frames: []},
	]);
});

test('anything else is unknown; empty input too', () => {
	assert.equal(parseDump('hello\nworld\n').kind, 'unknown');
	assert.equal(parseDump('hello\nworld\n').skippedLines, 2);
	const empty = parseDump('');
	assert.deepEqual(empty, {kind: 'unknown', goroutines: [], records: [], truncated: false, bytes: 0, skippedLines: 0});
	assert.equal(parseDump(new Uint8Array([0x1f, 0x8b, 0x08, 0x00])).kind, 'protobuf');
});

test('a UTF-8 BOM and missing trailing newline are fine', () => {
	const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('goroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1')]);
	const dump = parseDump(bytes);
	assert.equal(dump.goroutines[0]?.frames[0]?.pcOffset, 1);
	assert.equal(dump.truncated, false);
	assert.equal(dump.bytes, bytes.length);
});

test('write() returns each goroutine as soon as its block ends; end() returns them all', () => {
	const parser = createDumpParser();
	assert.deepEqual(parser.write('goroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n'), []);
	const first = parser.write('\ngoroutine 2 [sle');
	assert.deepEqual(
		first.map(g => g.id),
		[1],
	);
	assert.deepEqual(parser.write('ep]:\ntime.Sleep(0x1)\n\t/t.go:1 +0x1\n'), []);
	const dump = parser.end();
	assert.deepEqual(
		dump.goroutines.map(g => g.id),
		[1, 2],
	);
	assert.equal(dump.goroutines[0], first[0]);
	assert.throws(() => parser.write('x'));
});

test('maxBytes stops consuming and marks the dump truncated', () => {
	const text = 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n\ngoroutine 2 [sleep]:\ntime.Sleep(0x1)\n\t/t.go:1 +0x1\n';
	const parser = createDumpParser({maxBytes: text.indexOf('time.Sleep') + 4});
	parser.write(text);
	const dump = parser.end();
	assert.equal(dump.truncated, true);
	assert.equal(dump.bytes, text.length);
	assert.deepEqual(
		dump.goroutines.map(g => [g.id, g.truncated]),
		[
			[1, undefined],
			[2, true],
		],
	);
});

test('ancestors with their own elision and created by, then the next goroutine', () => {
	const dump = parseDump(
		'goroutine 25 [chan receive]:\nmain.bar()\n\t/a.go:57 +0x11c\ncreated by main.d1 in goroutine 24\n\t/a.go:69 +0x34\n[originating from goroutine 24]:\nmain.d1(...)\n\t/a.go:70 +0x34\n...additional frames elided...\ncreated by main.foo\n\t/a.go:40 +0x2\n[originating from goroutine 3]:\nmain.foo(...)\n\t/a.go:41 +0x3\n\ngoroutine 26 [running]:\nmain.z()\n\t/a.go:1 +0x1\n',
	);
	const g = dump.goroutines[0]!;
	assert.equal(dump.goroutines.length, 2);
	assert.equal(g.frames.length, 1);
	assert.deepEqual(
		g.ancestors?.map(a => [a.id, a.frames.length, a.elided, a.createdBy?.func]),
		[
			[24, 1, {at: 1}, 'main.foo'],
			[3, 1, undefined, undefined],
		],
	);
	assert.equal(g.createdBy?.parentId, 24);
});

test('a line longer than a megabyte is skipped as one line, whatever the chunking', () => {
	const text = `goroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n\n${'x'.repeat(3 << 20)}\ngoroutine 2 [sleep]:\ntime.Sleep(0x1)\n\t/t.go:1 +0x1\n`;
	const whole = parseDump(text);
	assert.deepEqual(
		whole.goroutines.map(g => [g.id, g.frames.length]),
		[
			[1, 1],
			[2, 1],
		],
	);
	assert.equal(whole.skippedLines, 1);
	const parser = createDumpParser();
	const bytes = Buffer.from(text);
	for (let at = 0; at < bytes.length; at += 65536) parser.write(bytes.subarray(at, at + 65536));
	assert.deepEqual(parser.end(), whole);
});
