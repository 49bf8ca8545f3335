// The `/` filter: fuzzysort over one line of text per goroutine (state, function, file, created-by).
// Preparing a target is what costs (~5 µs each; 0.5 s for 100k fresh strings), and goroutines
// repeat the same stacks heavily, so prepared targets are cached by text across polls and each
// distinct text is searched once, however many goroutines share it.
import fuzzysort, {type Prepared} from 'fuzzysort';

/** fuzzysort 4's default threshold (0.5) hides fair matches like `wrk` → `worker`; 0 keeps any in-order match. */
const threshold = 0;

export class FuzzyIndex {
	#prepared = new Map<string, Prepared>();
	#lastQuery = '';
	#lastTexts: readonly string[] | undefined;
	#lastMatches = new Set<string>();

	/**
	 * The texts (from `texts`, distinct) that match `query`. An empty or blank query matches nothing
	 * here: callers skip filtering instead (fuzzysort 4 would return arbitrary results for it).
	 */
	match(query: string, texts: readonly string[]): Set<string> {
		const q = query.trim();
		if (q === '') return new Set();
		if (q === this.#lastQuery && texts === this.#lastTexts) return this.#lastMatches;
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
		const matches = new Set<string>();
		for (const result of results) matches.add(result.target);
		this.#lastQuery = q;
		this.#lastTexts = texts;
		this.#lastMatches = matches;
		return matches;
	}

	/** How many prepared targets are cached (for tests and the bench). */
	get size(): number {
		return this.#prepared.size;
	}
}

