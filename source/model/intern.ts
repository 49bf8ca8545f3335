// Function and file names repeat across thousands of goroutines and every poll: keep one
// copy of each. The table is bounded by the code of the watched binaries, and cleared when
// it grows past what any real binary has (garbage input, many restarts of different builds).

export class Interner {
	private readonly table = new Map<string, string>();

	constructor(private readonly limit = 200_000) {}

	intern(text: string): string {
		const known = this.table.get(text);
		if (known !== undefined) return known;
		if (this.table.size >= this.limit) this.table.clear();
		// Flatten before storing, so a name sliced out of a parser chunk doesn't pin the chunk.
		const own = text.length > 12 ? flatCopy(text) : text;
		this.table.set(own, own);
		return own;
	}

	get size(): number {
		return this.table.size;
	}
}

// String concatenation + a number lookup makes V8 build a new flat sequential string, dropping
// any reference to a larger parent string.
function flatCopy(text: string): string {
	const copy = ` ${text}`.slice(1);
	void copy.charCodeAt(0);
	return copy;
}
