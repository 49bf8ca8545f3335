// Issue 20: the streamed parser equals the whole parser under any chunking, on real fixtures
// mutated the way hostile or damaged input looks (bytes flipped, lines dropped or repeated, a line
// holding only a tab, a very long line, CRLF, NULs), fed in random piece sizes down to 1 byte.
// Seeded (the project's PRNG), bounded: a fixed number of cases that runs in about a second.
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {test} from 'node:test';
import {createDumpParser} from '../../source/dump/parse.ts';
import type {Dump} from '../../source/dump/types.ts';
import {prng} from '../../source/fetch/demo/prng.ts';
import {sansShapes} from '../helpers/sans-shapes.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const fixtures = readdirSync(dumps)
	.filter(name => name.endsWith('.txt'))
	.sort()
	.map(name => ({name, bytes: readFileSync(new URL(name, dumps))}));

/** The whole input in one write: the reference. */
function whole(bytes: Buffer): Dump {
	const parser = createDumpParser();
	parser.write(bytes);
	return parser.end();
}

/** The same bytes in random pieces (1 byte up to `max`), as a socket may deliver them. */
function streamed(bytes: Buffer, random: () => number, max: number): Dump {
	const parser = createDumpParser();
	for (let at = 0; at < bytes.length; ) {
		const size = random() < 0.2 ? 1 : 1 + Math.floor(random() * max);
		parser.write(bytes.subarray(at, at + size));
		at += size;
	}
	return parser.end();
}

const mutations: Array<(lines: string[], random: () => number) => void> = [
	// A line holding only a tab (or blanks) inside a goroutine block.
	(lines, random) => lines.splice(Math.floor(random() * lines.length), 0, random() < 0.5 ? '\t' : ' \t '),
	// A byte changed.
	(lines, random) => {
		const at = Math.floor(random() * lines.length);
		const line = lines[at] ?? '';
		const pos = Math.floor(random() * (line.length + 1));
		const chars = ['\u0000', '\u001b', '(', ')', ':', ' ', '\t', '[', ']', '\uFFFD', '\u202E', 'x', '0'];
		lines[at] = line.slice(0, pos) + chars[Math.floor(random() * chars.length)] + line.slice(pos + 1);
	},
	// A line dropped or repeated.
	(lines, random) => {
		const at = Math.floor(random() * lines.length);
		if (random() < 0.5) lines.splice(at, 1);
		else lines.splice(at, 0, lines[at] ?? '');
	},
	// A blank line, or a CRLF ending.
	(lines, random) => {
		const at = Math.floor(random() * lines.length);
		if (random() < 0.5) lines.splice(at, 0, '');
		else lines[at] = `${lines[at] ?? ''}\r`;
	},
];

function mutate(bytes: Buffer, random: () => number): Buffer {
	const lines = bytes.toString('latin1').split('\n');
	const count = 1 + Math.floor(random() * 4);
	for (let i = 0; i < count; i++) mutations[Math.floor(random() * mutations.length)]!(lines, random);
	return Buffer.from(lines.join('\n'), 'latin1');
}

test('streamed equals whole on 200 mutated real dumps in random pieces (1 byte up to 4 KiB)', () => {
	const random = prng(20);
	for (let i = 0; i < 200; i++) {
		const {name, bytes: original} = fixtures[i % fixtures.length]!;
		// Big fixtures are cut to a window so the test stays bounded in time.
		const start = original.length > 32 << 10 ? Math.floor(random() * (original.length - (32 << 10))) : 0;
		const bytes = mutate(original.subarray(start, start + (32 << 10)), random);
		const seed = Math.floor(random() * 2 ** 31);
		const piecewise = streamed(bytes, prng(seed), random() < 0.5 ? 32 : 4096);
		assert.deepEqual(sansShapes(piecewise), sansShapes(whole(bytes)), `${name} case ${i} (pieces seed ${seed})`);
	}
});

test('a line holding only a tab does not cut the goroutine it sits in, whole or streamed', () => {
	const text = Buffer.from('goroutine 1 [chan receive]:\nmain.a()\n\t/a.go:1 +0x1\n\t\nmain.b()\n\t/b.go:2 +0x1\n\n');
	const reference = whole(text);
	for (let piece = 1; piece <= 8; piece++) assert.deepEqual(sansShapes(streamed(text, () => 0.99, piece)), sansShapes(reference));
});

test('a line of only blanks right after a function or created-by line is a blank line, never its file line, whole or streamed', () => {
	// Goroutine 1 comes second: the first header is found by a line search, the later ones read their body whole.
	const opener = 'goroutine 9 [running]:\nmain.main()\n\t/m.go:1 +0x1\n\n';
	for (const blanks of ['\t', '\t \t', '\t\r']) {
		for (const text of [
			`${opener}goroutine 1 [chan receive]:\nmain.a()\n${blanks}\nmain.b()\n\t/b.go:2 +0x1\n\ngoroutine 2 [select]:\nmain.c()\n\t/c.go:3 +0x1\n\n`,
			`${opener}goroutine 1 [chan receive]:\nmain.a()\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1\n${blanks}\nmain.b()\n\t/b.go:2 +0x1\n\n`,
		]) {
			const bytes = Buffer.from(text);
			const reference = whole(bytes);
			// Read alone, the blank line closes goroutine 1 (its frame or creator has no file line); the
			// frame after it belongs to no goroutine and is skipped, function and file line.
			const first = reference.goroutines[1]!;
			assert.equal(first.createdBy?.file ?? first.frames[0]!.file, '', JSON.stringify(text));
			assert.deepEqual(
				first.frames.map(frame => frame.func),
				['main.a'],
				JSON.stringify(text),
			);
			assert.equal(reference.skippedLines, 2, JSON.stringify(text));
			for (let piece = 1; piece <= 8; piece++) assert.deepEqual(sansShapes(streamed(bytes, () => 0.99, piece)), sansShapes(reference));
		}
	}
});

test('a 1.5 MB line gives the same goroutines whole and streamed', () => {
	const head = 'goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\n\n';
	const tail = 'goroutine 2 [select]:\nmain.b()\n\t/b.go:2 +0x1\n\n';
	const bytes = Buffer.from(`${head}goroutine 3 [chan send]:\nmain.c(${'x'.repeat(1_500_000)})\n\t/c.go:3 +0x1\n\n${tail}`);
	const reference = whole(bytes);
	assert.deepEqual(sansShapes(streamed(bytes, prng(1), 1024)), sansShapes(reference));
	assert.deepEqual(sansShapes(streamed(bytes, prng(2), 65536)), sansShapes(reference));
});
