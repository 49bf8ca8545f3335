// Chunk boundaries never change the result: one byte at a time (splitting lines, CRLFs and UTF-8
// sequences), random-size byte chunks and random-size string chunks all equal the whole input.
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {test} from 'node:test';
import {createDumpParser, parseDump} from '../../source/dump/parse.ts';
import {createParseCache} from '../../source/dump/parse-cache.ts';
import type {Dump, Goroutine} from '../../source/dump/types.ts';
import {sansShapes} from '../helpers/sans-shapes.ts';
import {prng, synthDump} from '../helpers/synth-dump.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const fixtures = readdirSync(dumps)
	.filter(name => name.endsWith('.txt') || name.endsWith('.gz'))
	.sort();

function feed(chunks: Iterable<Uint8Array | string>): {dump: Dump; streamed: Goroutine[]} {
	const parser = createDumpParser();
	const streamed: Goroutine[] = [];
	for (const chunk of chunks) streamed.push(...parser.write(chunk));
	const dump = parser.end();
	return {dump, streamed};
}

function* bytewise(bytes: Uint8Array): Generator<Uint8Array> {
	for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

function* randomSlices<T extends Uint8Array | string>(input: T, seed: number, max: number): Generator<T> {
	const random = prng(seed);
	for (let at = 0; at < input.length; ) {
		const size = 1 + Math.floor(random() * max);
		yield input.slice(at, at + size) as T;
		at += size;
	}
}

test('there are fixtures to feed', () => {
	assert.ok(fixtures.length >= 20);
});

for (const name of fixtures) {
	test(`${name}: one byte at a time equals the whole`, () => {
		const bytes = readFileSync(new URL(name, dumps));
		const whole = parseDump(bytes);
		const {dump, streamed} = feed(bytewise(bytes));
		assert.deepEqual(sansShapes(dump), sansShapes(whole));
		// write() handed out the goroutines in order, all but at most the last one (still open at EOF).
		assert.ok(streamed.length >= whole.goroutines.length - 1);
		assert.deepEqual(sansShapes(streamed), sansShapes(whole.goroutines.slice(0, streamed.length)));
	});

	test(`${name}: random byte chunks and random string chunks equal the whole`, () => {
		const bytes = readFileSync(new URL(name, dumps));
		const whole = parseDump(bytes);
		for (const seed of [1, 2, 3]) {
			assert.deepEqual(sansShapes(feed(randomSlices(bytes, seed, 700)).dump), sansShapes(whole), `bytes, seed ${seed}`);
		}
		if (!name.endsWith('.gz')) {
			const text = bytes.toString('utf8');
			assert.deepEqual(sansShapes(parseDump(text)), sansShapes(whole), 'one string');
			for (const seed of [4, 5]) {
				const {dump} = feed(randomSlices(text, seed, 300));
				assert.deepEqual(sansShapes({...dump, bytes: 0}), sansShapes({...whole, bytes: 0}), `strings, seed ${seed}`);
				assert.equal(dump.bytes, bytes.length);
			}
		}
	});
}

test('a multi-byte character split across chunks survives (label values in a debug=1 profile)', () => {
	const bytes = readFileSync(new URL('go1.19-statezoo-labels.debug1.txt', dumps));
	const at = bytes.indexOf(Buffer.from('héllo')) + 2; // inside the 2-byte é
	const {dump} = feed([bytes.subarray(0, at), bytes.subarray(at)]);
	assert.equal(dump.records.find(r => r.labels?.['emoji'])?.labels?.['emoji'], 'héllo wörld');
});

test('CRLF input split between CR and LF parses like LF input', () => {
	const bytes = readFileSync(new URL('go1.19-statezoo-all-states.debug2.txt', dumps));
	const crlf = Buffer.from(bytes.toString('latin1').replaceAll('\n', '\r\n'), 'latin1');
	const whole = parseDump(bytes);
	const {dump} = feed(randomSlices(crlf, 9, 50));
	assert.deepEqual(sansShapes({...dump, bytes: 0}), sansShapes({...whole, bytes: 0}));
});

test('a UTF-8 BOM is dropped however the first bytes are split, and only at the start', () => {
	const text = 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n';
	const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
	const whole = parseDump(text);
	assert.deepEqual({...feed(bytewise(bytes)).dump, bytes: 0}, {...whole, bytes: 0});
	assert.deepEqual({...feed([bytes.subarray(0, 2), bytes.subarray(2)]).dump, bytes: 0}, {...whole, bytes: 0});
	assert.deepEqual({...feed(['\uFEFF', text]).dump, bytes: 0}, {...whole, bytes: 0});
	// Without any newline at all.
	assert.equal(parseDump(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('goroutine 1 [running]:')])).goroutines[0]?.id, 1);
});

test('a generated 1000-goroutine dump: whole equals tiny random chunks (the cached and the line-by-line paths agree)', () => {
	const bytes = Buffer.from(synthDump({goroutines: 1000, seed: 11, stacks: 20}));
	const whole = parseDump(bytes);
	assert.equal(whole.goroutines.length, 1000);
	assert.deepEqual(sansShapes(feed(randomSlices(bytes, 12, 120)).dump), sansShapes(whole));
	// Stacks repeat, so frames are shared between goroutines (and must never be mutated by consumers).
	const frames = whole.goroutines.flatMap(g => g.frames);
	assert.ok(new Set(frames).size < frames.length / 2);
});

test('a cache shared across polls gives the same results and shares frames between snapshots', () => {
	const cache = createParseCache();
	const first = readFileSync(new URL('go1.19-big-1642-goroutines.debug2.txt', dumps));
	const second = readFileSync(new URL('go1.19-statezoo-all-states.debug2.txt', dumps));
	const a = parseDump(first, {cache});
	const b = parseDump(second, {cache});
	const again = parseDump(first, {cache});
	assert.deepEqual(sansShapes(a), sansShapes(parseDump(first)));
	assert.deepEqual(sansShapes(b), sansShapes(parseDump(second)));
	assert.deepEqual(sansShapes(again), sansShapes(a));
	// Later parses of the same dump reuse earlier Frame objects (the objects, not copies). A text is
	// cached on its second sighting, so from the third poll on nearly every frame is shared.
	const third = parseDump(first, {cache});
	const frames = third.goroutines.flatMap(g => g.frames);
	const before = new Set(again.goroutines.flatMap(g => g.frames));
	const shared = frames.filter(frame => before.has(frame)).length;
	assert.ok(shared > frames.length * 0.95, `${shared} of ${frames.length} frames shared`);
	const fresh = new Set(parseDump(first).goroutines.flatMap(g => g.frames));
	assert.equal(frames.filter(frame => fresh.has(frame)).length, 0, 'a parser without the cache shares nothing');
});
