// Whole goroutine bodies are matched against learnt templates (source/dump/body-cache.ts) instead of
// being parsed line by line. The oracle: a goroutine parsed inside a big dump (where templates match it)
// equals the same goroutine parsed alone (the first goroutine of a dump is always parsed line by line).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createDumpParser, parseDump} from '../../source/dump/parse.ts';
import type {Dump, Goroutine} from '../../source/dump/types.ts';
import {assertSameData} from '../helpers/same-data.ts';
import {sansShapes} from '../helpers/sans-shapes.ts';
import {prng, synthDump} from '../helpers/synth-dump.ts';

/** The blocks of a dump (header + body), as Go separates them: by a blank line. */
function blocks(text: string): string[] {
	return text.split('\n\n').filter(block => block.trim() !== '');
}

/** Each goroutine of `text` parsed within the whole dump (as bytes and as a string) equals it parsed on its own. */
function assertEachAsAlone(text: string): Goroutine[] {
	const whole = parseDump(Buffer.from(text));
	assertSameData(sansShapes({...parseDump(text), bytes: whole.bytes}), sansShapes(whole), 'string input');
	const parts = blocks(text);
	assert.equal(whole.goroutines.length, parts.length);
	for (const [i, part] of parts.entries()) {
		// Closed by a blank line and another goroutine, as inside the dump (a last block could be cut short).
		const alone = parseDump(`${part}\n\ngoroutine 999999 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n`);
		assert.equal(alone.goroutines.length, 2, `block ${i} alone`);
		assertSameData(sansShapes(whole.goroutines[i]), sansShapes(alone.goroutines[0]), `goroutine ${i} (id ${alone.goroutines[0]!.id})`);
	}
	return whole.goroutines;
}

test('a generated dump: every goroutine parses the same inside the dump as alone, and bodies were matched whole', () => {
	// Plus a stack whose args never differ, interleaved: its goroutines share one frames array once learnt.
	const idle = (id: number) => `goroutine ${id} [select, 3 minutes]:\nmain.idle(0x0?)\n\t/app/idle.go:7 +0x25\ncreated by main.main\n\t/app/main.go:9 +0x3c`;
	const parts = blocks(synthDump({goroutines: 500, seed: 5, stacks: 12}));
	const text = `${parts.map((part, i) => (i % 20 === 10 ? `${part}\n\n${idle(100_000 + i)}` : part)).join('\n\n')}\n`;
	const goroutines = assertEachAsAlone(text);
	const idles = goroutines.filter(g => g.frames[0]?.func === 'main.idle');
	assert.equal(idles.length, 25);
	assert.ok(new Set(idles.map(g => g.frames)).size <= 2, 'matched bodies without holes share the frames array');
	// Frames are shared between goroutines; those at holes are per goroutine.
	const frames = goroutines.flatMap(g => g.frames);
	assert.ok(new Set(frames).size < frames.length / 3);
});

test('Go 1.21+ `created by F in goroutine N`: the parent differs per goroutine, the stack is still matched whole', () => {
	const random = prng(21);
	const idle = (id: number, parent: number) =>
		`goroutine ${id} [select]:\nmain.idle(0x0?)\n\t/app/idle.go:7 +0x25\ncreated by main.spawn in goroutine ${parent}\n\t/app/main.go:9 +0x3c`;
	const parts = blocks(synthDump({goroutines: 400, seed: 6, stacks: 10})).map(part =>
		part.replace(/^(created by .*)$/m, line => `${line} in goroutine ${1 + Math.floor(random() * 4)}`),
	);
	const text = `${parts.map((part, i) => (i % 10 === 5 ? `${part}\n\n${idle(100_000 + i, i % 3 === 0 ? 7 : 100 + i)}` : part)).join('\n\n')}\n`;
	const goroutines = assertEachAsAlone(text);
	const idles = goroutines.filter(g => g.frames[0]?.func === 'main.idle');
	assert.equal(idles.length, 40);
	assert.ok(new Set(idles.map(g => g.frames)).size <= 2, 'matched whole: the frames array is shared');
	assert.ok(idles.every(g => g.createdBy?.func === 'main.spawn' && g.createdBy.file === '/app/main.go' && g.createdBy.pcOffset === 0x3c));
	assert.equal(new Set(idles.map(g => g.createdBy!.parentId)).size, 28);
	assert.ok(goroutines.every(g => g.createdBy?.parentId !== undefined || g.frames[0]?.func.startsWith('runtime/pprof')));
});

/** Line edits that the template matcher must either reproduce exactly or hand back to the line parser. */
const EDITS: Array<[string, (line: string, random: () => number) => string]> = [
	['args with parens', line => line.replace(/\(([^()]*)\)$/, '($1, (0x1))')],
	['a closing paren inside the args', line => line.replace(/\)$/, ', 0x2))')],
	['args `...` (inlined)', line => line.replace(/\([^()]*\)$/, '(...)')],
	['empty args', line => line.replace(/\([^()]*\)$/, '()')],
	['other args', (line, random) => line.replace(/\([^()]*\)$/, `(0xc${Math.floor(random() * 1e9).toString(16)}?, {0x1, 0x2})`)],
	['a trailing space', line => `${line} `],
	['a CR', line => `${line}\r`],
	['another line number', line => line.replace(/:(\d+)( |$)/, (_m, n: string, end: string) => `:${Number(n) + 1}${end}`)],
	['another pc offset', line => line.replace(/\+0x[0-9a-f]+$/, '+0x7ff')],
	['no pc offset', line => line.replace(/ \+0x[0-9a-f]+$/, '')],
	['an elision marker after it', line => `${line}\n...7 frames elided...`],
	['an ancestor block after it', line => `${line}\n[originating from goroutine 3]:\nmain.origin(0x1)\n\t/app/origin.go:5 +0x1d`],
	['a junk line after it', line => `${line}\nsome log line`],
	['a space-indented file line', line => line.replace(/^\t/, '        ')],
	['stack unavailable', line => `${line}\n\tgoroutine running on other thread; stack unavailable`],
	['created by in goroutine N', line => line.replace(/^created by (.*)$/, 'created by $1 in goroutine 77')],
	['the line removed', () => ''],
];

test('bodies edited in every way a template could get wrong parse the same inside the dump as alone', () => {
	const random = prng(99);
	const parts = blocks(synthDump({goroutines: 800, seed: 8, stacks: 6}));
	let edited = 0;
	// Leave the first 200 as they are, so templates (with holes) are learnt first; then edit every other one.
	for (let i = 200; i < parts.length; i += 2) {
		const lines = parts[i]!.split('\n');
		const at = 1 + Math.floor(random() * (lines.length - 1));
		const [, edit] = EDITS[Math.floor(random() * EDITS.length)]!;
		const line = edit(lines[at]!, random);
		if (line === '') lines.splice(at, 1);
		else lines[at] = line;
		parts[i] = lines.join('\n');
		edited++;
	}
	assert.ok(edited >= 300);
	assertEachAsAlone(`${parts.join('\n\n')}\n`);
});

test('a hole learnt from differing args: parens, `...`, a CR or a trailing blank in it go line by line', () => {
	const block = (id: number, funcLine: string) =>
		`goroutine ${id} [chan receive]:\n${funcLine}\n\t/app/work.go:10 +0x1d\nmain.loop()\n\t/app/loop.go:20 +0x2e\ncreated by main.main\n\t/app/main.go:5 +0x3f\n`;
	const lines = [
		'main.work(0xc000010000)',
		'main.work(0xc000010000)',
		'main.work(0xc000020000)',
		'main.work(0xc000030000?)',
		'main.work((0x1))',
		'main.work(...)',
		'main.work(0xc000040000))',
		'main.work()',
		'main.work(0xc000050000) ',
		'main.work(0xc000060000)\r',
		'main.work({0x1, 0x2})',
	];
	const goroutines = assertEachAsAlone(lines.map((line, i) => block(i + 1, line)).join('\n'));
	assert.deepEqual(goroutines[3]!.frames[0], {func: 'main.work', args: '0xc000030000?', inlined: false, file: '/app/work.go', line: 10, pcOffset: 0x1d});
	assert.deepEqual(goroutines[5]!.frames[0], {func: 'main.work', args: '...', inlined: true, file: '/app/work.go', line: 10, pcOffset: 0x1d});
	assert.deepEqual(goroutines.map(g => g.frames[0]!.args).slice(7), ['', '0xc000050000', '0xc000060000', '{0x1, 0x2}']);
	// Goroutines matched by one template share its frames.
	assert.equal(goroutines[1]!.frames[1], goroutines[2]!.frames[1]);
	assert.equal(goroutines[1]!.frames[1], goroutines[3]!.frames[1]);
});

test('args with invalid UTF-8 bytes in a hole come out as the line parser decodes them (U+FFFD)', () => {
	const block = (id: number, args: Buffer) =>
		Buffer.concat([
			Buffer.from(`goroutine ${id} [chan receive]:\nmain.work(`),
			args,
			Buffer.from(`)\n\t/app/work.go:10 +0x1d\ncreated by main.main\n\t/app/main.go:5 +0x3f\n`),
		]);
	const args = [
		Buffer.from('0xc000010000'),
		Buffer.from('0xc000020000'),
		Buffer.from('0xc000030000'),
		Buffer.from([0x30, 0x78, 0xff, 0xfe, 0x41]),
		Buffer.from('0xc000040000'),
	];
	const bytes = Buffer.concat(args.flatMap((a, i) => [block(i + 1, a), Buffer.from('\n')]));
	const whole = parseDump(bytes);
	assert.equal(whole.goroutines[3]!.frames[0]!.args, '0x\uFFFD\uFFFDA');
	for (const [i, a] of args.entries()) assert.deepEqual(sansShapes(whole.goroutines[i]), sansShapes(parseDump(block(i + 1, a)).goroutines[0]));
});

test('a goroutine is handed out by the write() that brings its blank line, with the next block held back whole', () => {
	const block = (id: number) =>
		`goroutine ${id} [select]:\nmain.loop(0xc0000${id}0000)\n\t/app/loop.go:20 +0x2e\ncreated by main.main\n\t/app/main.go:5 +0x3f\n`;
	const parser = createDumpParser();
	const cut = block(3).indexOf('\t/app/loop');
	assert.deepEqual(
		parser.write(Buffer.from(`${block(1)}\n${block(2)}`)).map(g => g.id),
		[1],
	);
	assert.deepEqual(
		parser.write(Buffer.from(`\n${block(3).slice(0, cut)}`)).map(g => g.id),
		[2],
	);
	assert.deepEqual(
		parser.write(Buffer.from(`${block(3).slice(cut)}\n`)).map(g => g.id),
		[3],
	);
	assert.deepEqual(
		parser.end().goroutines.map(g => [g.id, g.frames[0]!.args, g.truncated]),
		[
			[1, '0xc000010000', undefined],
			[2, '0xc000020000', undefined],
			[3, '0xc000030000', undefined],
		],
	);
});

test('bodies split across chunks at every offset parse the same as whole', () => {
	const text = synthDump({goroutines: 60, seed: 3, stacks: 2});
	const bytes = Buffer.from(text);
	const whole = sansShapes(parseDump(bytes));
	for (let at = 0; at < bytes.length; at += 193) assertSameData(sansShapes(parseDumpInTwo(bytes, at)), whole, `split at ${at}`);
});

function parseDumpInTwo(bytes: Buffer, at: number): Dump {
	const parser = createDumpParser();
	parser.write(bytes.subarray(0, at));
	parser.write(bytes.subarray(at));
	return parser.end();
}
