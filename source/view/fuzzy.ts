// The `/` filter: fuzzysort over one line of text per goroutine (state, function, file, created-by).
// Preparing a target is what costs (~5 µs each; 0.5 s for 100k fresh strings), and goroutines
// repeat the same stacks heavily, so prepared targets are cached by text across polls and each
// distinct text is searched once, however many goroutines share it.
import fuzzysort, {type Prepared} from 'fuzzysort';

/**
 * fuzzysort 4's default threshold (0.5) hides fair abbreviations (`wrk` → `worker` scores ~0.3),
 * so ask for every in-order match (0)… and then keep those scoring at least half the best one:
 * when a query matches some text strongly (`sel` → `select`, 0.78), letters strewn across a long
 * line (`s…e…l` in `chan send … publish`, 0.29) are noise, not an answer.
 */
const threshold = 0;
const relativeCutoff = 0.5;

export class FuzzyIndex {
	#prepared = new Map<string, Prepared>();
	#lastQuery = '';
	#lastTexts: readonly string[] | undefined;
	#lastLength = 0;
	#lastMatches = new Set<string>();

	/**
	 * The texts (from `texts`, distinct) that match `query`. An empty or blank query matches nothing
	 * here: callers skip filtering instead (fuzzysort 4 would return arbitrary results for it).
	 */
	match(query: string, texts: readonly string[]): Set<string> {
		const q = query.trim();
		if (q === '') return new Set();
		// `texts` may grow in place (SearchTexts): the length is part of what was searched.
		if (q === this.#lastQuery && texts === this.#lastTexts && texts.length === this.#lastLength) return this.#lastMatches;
		const targets: Prepared[] = [];
		const next = new Map<string, Prepared>();
		for (const text of texts) {
			let prepared = this.#prepared.get(text);
			if (!prepared) prepared = fuzzysort.prepare(text);
			next.set(text, prepared);
			targets.push(prepared);
		}
		// Keep only the texts of the current poll, so the cache never outgrows one snapshot.
		this.#prepared = next;
		const results = fuzzysort.go(q, targets, {limit: 0, threshold});
		let best = 0;
		for (const result of results) if (result.score > best) best = result.score;
		const matches = new Set<string>();
		for (const result of results) if (result.score >= best * relativeCutoff) matches.add(result.target);
		this.#lastQuery = q;
		this.#lastTexts = texts;
		this.#lastLength = texts.length;
		this.#lastMatches = matches;
		return matches;
	}

	/** How many prepared targets are cached (for tests and the bench). */
	get size(): number {
		return this.#prepared.size;
	}
}
