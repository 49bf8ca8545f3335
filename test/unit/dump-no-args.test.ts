// Reports never print a frame's args, so they parse without them (ParseCache.args false): the same
// goroutines, frames, creators and labels as a parse with args, every args text '', and bodies that
// differ only in their args share one frames array instead of a copy each.
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {test} from 'node:test';
import {createParseCache} from '../../source/dump/parse-cache.ts';
import {createDumpParser} from '../../source/dump/parse.ts';
import type {Dump, Goroutine} from '../../source/dump/types.ts';
import {sansShapes} from '../helpers/sans-shapes.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const fixtures = readdirSync(dumps)
	.filter(name => name.endsWith('.txt'))
	.sort();

function parse(bytes: Buffer, args: boolean, piece = 4096): Dump {
	const parser = createDumpParser({args});
	for (let at = 0; at < bytes.length; at += piece) parser.write(bytes.subarray(at, at + piece));
	return parser.end();
}

/** A goroutine as a parse without args would give it: every frame's args '' (ancestors' too). */
function withoutArgs(g: Goroutine): Goroutine {
	const copy: Goroutine = {...g, frames: g.frames.map(frame => ({...frame, args: ''}))};
	if (g.ancestors) copy.ancestors = g.ancestors.map(ancestor => ({...ancestor, frames: ancestor.frames.map(frame => ({...frame, args: ''}))}));
	return copy;
}

test('every fixture parsed without args equals the parse with args, args aside', () => {
	for (const name of fixtures) {
		const bytes = readFileSync(new URL(name, dumps));
		const full = parse(bytes, true);
		const bare = parse(bytes, false);
		assert.deepEqual(sansShapes(bare), sansShapes({...full, goroutines: full.goroutines.map(withoutArgs)}), name);
		if (full.goroutines.some(g => g.frames.some(frame => frame.args !== ''))) {
			assert.ok(
				bare.goroutines.every(g => g.frames.every(frame => frame.args === '')),
				`${name}: no args kept`,
			);
		}
	}
});

test('without args, goroutines whose stacks differ only in args share one frames array', () => {
	const body = (id: number, pointer: string) =>
		`goroutine ${id} [chan send, 3 minutes]:\nmain.worker(${pointer}, 0x1)\n\t/app/main.go:10 +0x1d\nmain.serve(0x${id.toString(16)})\n\t/app/main.go:20 +0x2e\ncreated by main.main in goroutine 1\n\t/app/main.go:30 +0x3f\n\n`;
	let text = '';
	for (let id = 10; id < 210; id++) text += body(id, `0xc000${(id * 7919).toString(16).padStart(6, '0')}`);
	const bytes = Buffer.from(text);
	const bare = parse(bytes, false, 1 << 20);
	const full = parse(bytes, true, 1 << 20);
	assert.equal(bare.goroutines.length, 200);
	// The line parser reads the first bodies; from the template on, every match shares its array.
	const arrays = new Set(bare.goroutines.map(g => g.frames));
	assert.ok(arrays.size <= 3, `${arrays.size} frames arrays for 200 goroutines of one stack`);
	// With args each goroutine needs its own frames (their args differ).
	assert.equal(new Set(full.goroutines.map(g => g.frames)).size, 200);
	assert.deepEqual(
		full.goroutines.slice(-1)[0]!.frames.map(frame => frame.args),
		[`0xc000${(209 * 7919).toString(16).padStart(6, '0')}, 0x1`, '0xd1'],
	);
});

test('a parse cache keeps to its mode: args or none', () => {
	assert.equal(createParseCache().args, true);
	const cache = createParseCache({args: false});
	const parser = createDumpParser({cache});
	parser.write('goroutine 1 [running]:\nmain.main(0x1)\n\t/app/main.go:1 +0x1\n\n');
	assert.equal(parser.end().goroutines[0]!.frames[0]!.args, '');
});
