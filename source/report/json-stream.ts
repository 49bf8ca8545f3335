// A JSON document written piece by piece: the top-level object's arrays and iterables are written
// one element at a time, so a report on 2 million goroutines never becomes one string (V8 caps a
// string near 512 MB; a 64 MB dump of tiny goroutines makes a ~600 MB document). The text is
// exactly what JSON.stringify(value, null, 2) (or compact, for NDJSON) gives, with every character
// a terminal could act on escaped as \u… (text/sanitize.ts jsonSafe).
import {once} from 'node:events';
import type {Writable} from 'node:stream';
import {jsonSafe} from '../text/sanitize.ts';

const isIterable = (value: unknown): value is Iterable<unknown> =>
	typeof value === 'object' && value !== null && typeof (value as {[Symbol.iterator]?: unknown})[Symbol.iterator] === 'function';

/** The pieces of `value` (a plain object) as JSON: pretty (2-space indent) or compact (one line). */
export function* jsonPieces(value: Record<string, unknown>, pretty: boolean): Generator<string> {
	const entries = Object.entries(value).filter(([, item]) => item !== undefined && typeof item !== 'function');
	if (entries.length === 0) {
		yield '{}';
		return;
	}
	yield pretty ? '{\n' : '{';
	for (const [index, [key, item]] of entries.entries()) {
		const head = `${pretty ? '  ' : ''}${JSON.stringify(key)}:${pretty ? ' ' : ''}`;
		const tail = index < entries.length - 1 ? (pretty ? ',\n' : ',') : pretty ? '\n' : '';
		if (isIterable(item) && typeof item !== 'string') {
			yield head;
			yield* arrayPieces(item, pretty);
			yield tail;
		} else {
			yield `${head}${stringify(item, pretty, '  ')}${tail}`;
		}
	}
	yield '}';
}

function* arrayPieces(items: Iterable<unknown>, pretty: boolean): Generator<string> {
	let first = true;
	for (const item of items) {
		yield `${first ? '[' : ','}${pretty ? '\n    ' : ''}${stringify(item, pretty, '    ')}`;
		first = false;
	}
	yield first ? '[]' : pretty ? '\n  ]' : ']';
}

/** One value as JSON, its inner lines indented by `indent` (where it sits in the document). */
function stringify(value: unknown, pretty: boolean, indent: string): string {
	const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
	const safe = jsonSafe(text ?? 'null');
	return pretty ? safe.replaceAll('\n', `\n${indent}`) : safe;
}

/** Writes the pieces in ~64 KB batches (small: pieces die young, before a scavenge can promote them), waiting whenever the stream asks to (a slow pipe). */
export async function writePieces(stream: Writable, pieces: Iterable<string>, end = ''): Promise<void> {
	let batch = '';
	for (const piece of pieces) {
		batch += piece;
		if (batch.length >= 64 << 10) {
			if (!stream.write(batch)) await once(stream, 'drain');
			batch = '';
		}
	}
	batch += end;
	if (batch !== '' && !stream.write(batch)) await once(stream, 'drain');
}
