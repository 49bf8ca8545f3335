// The parser's stack-shape tokens (Goroutine.shape) say which learnt template a body matched: they depend
// on what the parse cache had seen before, not on the text. Tests that compare two parses of the same text
// for equality compare them without the tokens (dump-shapes.test.ts checks the tokens themselves).
import type {Dump, Goroutine} from '../../source/dump/types.ts';

function sansShape(g: Goroutine): Goroutine {
	const {shape: _shape, ...rest} = g;
	return rest;
}

/** A dump, a goroutine or a list of goroutines, with every `shape` token left out. */
export function sansShapes<T extends Dump | Goroutine | readonly Goroutine[] | undefined>(value: T): T {
	if (value === undefined) return value;
	if (Array.isArray(value)) return value.map(sansShape) as unknown as T;
	if ('goroutines' in value) return {...value, goroutines: value.goroutines.map(sansShape)} as T;
	return sansShape(value as Goroutine) as T;
}
