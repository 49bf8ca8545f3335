// Damaged input never throws and never loses what came before the damage: every fixture cut at many
// offsets or with random bytes flipped yields, unchanged, every goroutine (or debug=1 record) whose
// block ended before the damage. And a dump cut at the byte cap parses.
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {test} from 'node:test';
import {createDumpParser, parseDump} from '../../source/dump/parse.ts';
import type {Dump} from '../../source/dump/types.ts';
import {assertSameData} from '../helpers/same-data.ts';
import {prng, synthDumpChunks} from '../helpers/synth-dump.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const fixtures = readdirSync(dumps)
	.filter(name => name.endsWith('.txt'))
	.sort();

/**
 * Byte offsets where each block after the first starts (goroutine headers, or `N @` record lines):
 * block k is complete once the input reaches starts[k + 1].
 */
function blockStarts(bytes: Buffer, profile: boolean): number[] {
	const text = bytes.toString('latin1');
	const pattern = profile ? /^\d+ @/gm : /^goroutine \d+ [^\n]*\]:\r?$/gm;
	return [...text.matchAll(pattern)].map(match => match.index);
}

/** What must survive damage at `offset`: the blocks that ended before it, exactly as parsed whole. */
function assertPrefixKept(damaged: Dump, whole: Dump, starts: number[], offset: number, label: string): void {
	let complete = 0;
	while (complete + 1 < starts.length && starts[complete + 1]! <= offset) complete++;
	const kept: unknown[] = whole.kind === 'profile' ? damaged.records.slice(0, complete) : damaged.goroutines.slice(0, complete);
	const expected: unknown[] = whole.kind === 'profile' ? whole.records.slice(0, complete) : whole.goroutines.slice(0, complete);
	assertSameData(kept, expected, label);
}

for (const name of fixtures) {
	test(`${name}: cut at many offsets, never throws and keeps every block before the cut`, () => {
		const bytes = readFileSync(new URL(name, dumps));
		const whole = parseDump(bytes);
		const starts = blockStarts(bytes, whole.kind === 'profile');
		const random = prng(name.length);
		// Block boundaries (and just around them) are where a parser goes wrong; sample ~12 of them.
		const step = Math.max(1, Math.floor(starts.length / 12));
		const boundaries = starts.filter((_, i) => i % step === 0);
		const offsets = new Set<number>([0, 1, 2, bytes.length - 1, ...boundaries, ...boundaries.map(at => at - 1), ...boundaries.map(at => at + 5)]);
		// Fewer cuts for the one big (495 KB) fixture keep the file fast; small ones get more. Across
		// the ~35 fixtures that is ~3,000 cuts a run, each run with other offsets' neighbours alike.
		const many = bytes.length > 100_000 ? 12 : 25;
		for (let i = 0; i < many; i++) offsets.add(Math.floor(random() * bytes.length));
		for (let i = 1; i < many; i++) offsets.add(Math.floor((bytes.length * i) / many));
		for (const offset of offsets) {
			if (offset < 0 || offset > bytes.length) continue;
			const cut = parseDump(bytes.subarray(0, offset));
			assertPrefixKept(cut, whole, starts, offset, `cut at ${offset}`);
			if (whole.kind === 'traceback' && cut.goroutines.length > 0) {
				// Nothing is invented: at most the goroutines the whole dump has, the last one possibly short.
				assert.ok(cut.goroutines.length <= whole.goroutines.length);
				assert.equal(cut.goroutines.at(-1)!.id, whole.goroutines[cut.goroutines.length - 1]!.id);
			}
		}
	});

	test(`${name}: random bytes flipped, never throws and keeps every block before the first flip`, () => {
		const bytes = readFileSync(new URL(name, dumps));
		const whole = parseDump(bytes);
		const starts = blockStarts(bytes, whole.kind === 'profile');
		const random = prng(7 + name.length);
		for (let trial = 0; trial < (bytes.length > 100_000 ? 8 : 20); trial++) {
			const damaged = Buffer.from(bytes);
			let first = damaged.length;
			const flips = 1 + Math.floor(random() * 4);
			for (let f = 0; f < flips; f++) {
				const at = Math.floor(random() * damaged.length);
				// Any byte: newlines, NULs, invalid UTF-8 lead bytes, brackets.
				damaged[at] = Math.floor(random() * 256);
				first = Math.min(first, at);
			}
			const dump = parseDump(damaged);
			assertPrefixKept(dump, whole, starts, first, `trial ${trial}, first flip at ${first}`);
		}
	});
}

test('a cut mid-stack marks the last goroutine and the dump truncated', () => {
	const bytes = readFileSync(new URL('go1.19-statezoo-all-states.debug2.txt', dumps));
	const text = bytes.toString('latin1');
	const whole = parseDump(bytes);
	// Right after a function line: its file line is missing.
	const funcLine = text.indexOf('main.(*Server).handleLocked(');
	const afterFunc = text.indexOf('\n', funcLine) + 1;
	const a = parseDump(bytes.subarray(0, afterFunc));
	assert.equal(a.truncated, true);
	assert.equal(a.goroutines.at(-1)!.truncated, true);
	assert.equal(a.goroutines.at(-1)!.frames.at(-1)!.func, 'main.(*Server).handleLocked');
	assert.equal(a.goroutines.at(-1)!.frames.at(-1)!.file, '');
	// In the middle of a function line.
	const b = parseDump(bytes.subarray(0, funcLine + 10));
	assert.equal(b.truncated, true);
	assert.equal(b.goroutines.at(-1)!.truncated, true);
	// In the middle of a file line, before the +0x offset.
	const fileLine = text.indexOf('\t', afterFunc) + 5;
	const c = parseDump(bytes.subarray(0, fileLine));
	assert.equal(c.truncated, true);
	// Right after the header.
	const header = text.indexOf('goroutine 26 [');
	const d = parseDump(bytes.subarray(0, text.indexOf('\n', header) + 1));
	assert.equal(d.truncated, true);
	assert.equal(d.goroutines.at(-1)!.id, 26);
	assert.deepEqual(d.goroutines.at(-1)!.frames, []);
	// A cut exactly between blocks is not truncation.
	const between = text.indexOf('\ngoroutine 26 [') + 1;
	const e = parseDump(bytes.subarray(0, between));
	assert.equal(e.truncated, false);
	assert.deepEqual(e.goroutines, whole.goroutines.slice(0, e.goroutines.length));
	assert.equal(e.goroutines.at(-1)!.truncated, undefined);
});

test('a dump cut at exactly the --max-bytes cap parses, the last goroutine marked truncated', () => {
	// 16 MiB of a 100k-goroutine dump: the same cut as Go's 64 MiB default, a quarter of the bytes to
	// make (the 64 MiB case itself is measured in bench/memory.bench.ts and bench/parse.bench.ts).
	const cap = 16 * 1024 * 1024;
	const parser = createDumpParser({maxBytes: cap});
	let fed = 0;
	let streamed = 0;
	let tail = Buffer.alloc(0);
	for (const piece of synthDumpChunks({goroutines: 100_000, seed: 64})) {
		const bytes = Buffer.from(piece);
		streamed += parser.write(bytes).length;
		fed += bytes.length;
		tail = bytes;
		if (fed > cap) break;
	}
	assert.ok(fed > cap, 'the generated dump is bigger than the cap');
	const dump = parser.end();
	assert.equal(dump.kind, 'traceback');
	assert.equal(dump.truncated, true);
	assert.equal(dump.bytes, fed);
	const last = dump.goroutines.at(-1)!;
	assert.equal(last.truncated, true, 'the last goroutine is marked truncated');
	assert.equal(dump.goroutines.filter(g => g.truncated).length, 1);
	assert.ok(dump.goroutines.length > 5_000, `${dump.goroutines.length} goroutines`);
	assert.equal(streamed, dump.goroutines.length - 1);
	for (const g of dump.goroutines.slice(0, -1)) {
		assert.ok(g.frames.length >= 5 && g.frames.length <= 40, `goroutine ${g.id}: ${g.frames.length} frames`);
		assert.ok(g.createdBy);
	}
	assert.ok(tail.length > 0);
});

test('random text built from dump tokens never throws, in any chunking', () => {
	const random = prng(2026);
	const tokens = [
		'goroutine ',
		'1',
		'42 ',
		'[',
		']',
		']:',
		':',
		'(',
		')',
		'...',
		'\t',
		'    ',
		'\n',
		'\r\n',
		', ',
		'created by ',
		' in goroutine ',
		'+0x1f',
		'labels:{"k": "v, ]"}',
		'"',
		'\\',
		'frames elided...',
		'[originating from goroutine ',
		'runtime stack:',
		'goroutine profile: total 3\n',
		'# labels: {',
		'#\t0x1\t',
		'1 @ 0x2',
		'é',
		'\uFFFD',
		' minutes',
		'locked to thread',
		'gp=0x1 m=nil ',
	];
	for (let doc = 0; doc < 300; doc++) {
		let text = '';
		const length = Math.floor(random() * 400);
		for (let i = 0; i < length; i++) text += tokens[Math.floor(random() * tokens.length)];
		const whole = parseDump(text);
		assert.ok(['traceback', 'profile', 'unknown'].includes(whole.kind));
		const parser = createDumpParser();
		const bytes = Buffer.from(text);
		for (let at = 0; at < bytes.length; ) {
			const size = 1 + Math.floor(random() * 40);
			parser.write(bytes.subarray(at, at + size));
			at += size;
		}
		assert.deepEqual({...parser.end(), bytes: 0}, {...whole, bytes: 0}, `document ${doc}`);
	}
});
