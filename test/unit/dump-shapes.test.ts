// The parser's stack-shape tokens (Goroutine.shape): one per learnt body template, handed to every
// goroutine whose body matched it. The model trusts a matching token instead of reading frames, so a
// token shared by two different stacks would hide a goroutine that moved: these cases hold the parser
// to "the same token means the same frames and creator".
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {test} from 'node:test';
import {createParseCache} from '../../source/dump/parse-cache.ts';
import {parseDump} from '../../source/dump/parse.ts';
import type {Goroutine} from '../../source/dump/types.ts';
import {prng, synthDump} from '../helpers/synth-dump.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const fixtures = readdirSync(dumps)
	.filter(name => name.endsWith('.txt') || name.endsWith('.gz'))
	.sort();

/** Everything of a goroutine's stack the token stands for: frames and creator without args or parent id. */
function stackText(g: Goroutine): string {
	const frames = g.frames.map(f => `${f.func}|${f.inlined}|${f.file}|${f.line}|${f.pcOffset}`);
	const c = g.createdBy;
	return `${frames.join('\n')}\n<${c ? `${c.func}|${c.file}|${c.line}|${c.pcOffset}` : ''}`;
}

/** Asserts that goroutines sharing a token share the stack; returns how many carried one. */
function assertTokensMeanSameStack(goroutines: readonly Goroutine[], label: string): number {
	const stackOf = new Map<object, string>();
	let carried = 0;
	for (const g of goroutines) {
		if (g.shape === undefined) continue;
		carried++;
		const text = stackText(g);
		const seen = stackOf.get(g.shape);
		if (seen === undefined) stackOf.set(g.shape, text);
		else assert.equal(text, seen, `${label}: goroutine ${g.id} shares a token with another stack`);
	}
	return carried;
}

test('across every fixture, parsed with one cache, goroutines that share a token print the same stack', () => {
	const cache = createParseCache();
	let carried = 0;
	// Twice over, so the second pass matches what the first one learnt (tokens then span dumps).
	const all: Goroutine[] = [];
	for (const pass of [1, 2]) {
		for (const name of fixtures) {
			const dump = parseDump(readFileSync(new URL(name, dumps)), {cache});
			all.push(...dump.goroutines);
			carried += assertTokensMeanSameStack(dump.goroutines, `${name} pass ${pass}`);
		}
	}
	assertTokensMeanSameStack(all, 'all fixtures together');
	assert.ok(carried > 1000, `${carried} goroutines carried a token`);
});

test('a generated dump with per-goroutine args and Go 1.21 parent ids: tokens follow the stack, not the args', () => {
	const random = prng(6);
	const text = synthDump({goroutines: 3000, seed: 5, stacks: 40})
		// Go 1.21+ prints the creating goroutine: it differs per goroutine of one stack.
		.replaceAll(/^created by (\S+)$/gm, (_line, func: string) => `created by ${func} in goroutine ${1 + Math.floor(random() * 500)}`);
	const dump = parseDump(text);
	assert.ok(dump.goroutines.filter(g => g.createdBy?.parentId !== undefined).length > 2900, 'parent ids were parsed');
	const carried = assertTokensMeanSameStack(dump.goroutines, 'generated');
	assert.ok(carried > 2900, `${carried} of 3000 carried a token`);
	const tokens = new Set(dump.goroutines.map(g => g.shape).filter(shape => shape !== undefined));
	const stacks = new Set(dump.goroutines.map(stackText));
	assert.ok(tokens.size <= stacks.size + 5, `${tokens.size} tokens for ${stacks.size} stacks`);
});

test('bodies that differ only in a line, a function, a pc offset or the creator get different tokens', () => {
	const body = (line: number, func: string, offset: string, creator: string) =>
		`main.${func}(0xc000010000)\n\t/app/work.go:${line} ${offset}\nmain.loop()\n\t/app/loop.go:9 +0x11\ncreated by main.${creator}\n\t/app/main.go:5 +0x3f\n`;
	const variants = [
		body(10, 'work', '+0x1d', 'main'),
		body(11, 'work', '+0x1d', 'main'),
		body(10, 'wark', '+0x1d', 'main'),
		body(10, 'work', '+0x1e', 'main'),
		body(10, 'work', '+0x1d', 'mein'),
	];
	// Each body three times (a template is learnt from the first, matched by the others), interleaved.
	const blocks: string[] = [];
	let id = 1;
	for (let round = 0; round < 3; round++) for (const variant of variants) blocks.push(`goroutine ${id++} [chan receive]:\n${variant}`);
	const dump = parseDump(`${blocks.join('\n')}\n`);
	assert.equal(dump.goroutines.length, 15);
	assertTokensMeanSameStack(dump.goroutines, 'variants');
	// The last round matched what the first ones taught (the very first body of a dump is read line by line).
	const late = dump.goroutines.slice(10);
	assert.ok(
		late.every(g => g.shape !== undefined),
		'the last round matched templates',
	);
	assert.equal(new Set(late.map(g => g.shape)).size, variants.length);
});

test('with one cache shared across polls, a stack keeps its token from poll to poll; a fresh cache shares none', () => {
	const text = synthDump({goroutines: 500, seed: 8, stacks: 20});
	const cache = createParseCache();
	const first = parseDump(text, {cache});
	const second = parseDump(text, {cache});
	const before = new Set(first.goroutines.map(g => g.shape));
	const kept = second.goroutines.filter(g => g.shape !== undefined && before.has(g.shape)).length;
	assert.ok(kept >= 495, `${kept} of 500 kept a token of the first poll`);
	const fresh = parseDump(text);
	assert.equal(fresh.goroutines.filter(g => g.shape !== undefined && before.has(g.shape)).length, 0);
});
