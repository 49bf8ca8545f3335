// The text the `/` filter searches for each goroutine — state, function, file:line, created-by —
// numbered so a filter pass is an array lookup per goroutine. Building a string per goroutine
// per poll (100k concatenations plus a WeakMap entry each) cost ~0.7 s at 100k; goroutines share
// a few hundred distinct texts, so each distinct text is built once and found again through
// nested Maps keyed by its parts (strings the parser already holds).
import type {TrackedGoroutine} from '../model/types.ts';
import {baseName} from '../dump/names.ts';

/** A trie level: keyed by text, line number, or a labels object (the parser shares one per header). */
type Level = Map<string | number | object, Level | number>;

/**
 * The line the fuzzy filter searches for a goroutine: state, function, file:line, created-by, and
 * its pprof labels as `key=value` (so `/tenant=acme` finds a tenant's goroutines).
 */
export function searchTextOf(t: TrackedGoroutine): string {
	const frame = t.where ?? t.g.frames[0];
	const file = frame?.file ? `${baseName(frame.file)}:${frame.line}` : '';
	const labels = t.g.labels
		? Object.entries(t.g.labels)
				.map(([key, value]) => ` ${key}=${value}`)
				.join('')
		: '';
	return `${t.g.state} ${frame?.func ?? ''} ${file} ${t.g.createdBy?.func ?? ''}${labels}`;
}

/** Past this many distinct texts (a target with ever-changing stacks), start over. */
const maxTexts = 200_000;

export class SearchTexts {
	#root: Level = new Map();
	/** Every distinct text, by id. */
	texts: string[] = [];

	/** The id of a goroutine's search text, building the text the first time it is seen. */
	idOf(t: TrackedGoroutine): number {
		const frame = t.where ?? t.g.frames[0];
		const func = frame?.func ?? '';
		const file = frame?.file ?? '';
		const line = frame?.line ?? 0;
		const parts: Array<string | number | object> = [t.g.state, func, file, line, t.g.createdBy?.func ?? '', t.g.labels ?? ''];
		let level = this.#root;
		for (let i = 0; i < parts.length - 1; i++) {
			let next = level.get(parts[i]!);
			if (next === undefined) {
				next = new Map();
				level.set(parts[i]!, next);
			}
			level = next as Level;
		}
		const last = parts[parts.length - 1]!;
		const known = level.get(last);
		if (known !== undefined) return known as number;
		const id = this.texts.length;
		this.texts.push(searchTextOf(t));
		level.set(last, id);
		return id;
	}

	/** Ids for a whole list, in its order. */
	idsOf(list: readonly TrackedGoroutine[]): Int32Array {
		// Start over between lists, never within one, so all ids of one list share one table.
		if (this.texts.length > maxTexts) this.clear();
		const ids = new Int32Array(list.length);
		for (let i = 0; i < list.length; i++) ids[i] = this.idOf(list[i]!);
		return ids;
	}

	clear(): void {
		this.#root = new Map();
		this.texts = [];
	}
}
