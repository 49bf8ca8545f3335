// The body of a debug=2 dump exactly as received, kept so `w` can write it. Bounded: every kept
// chunk is memory outside V8's heap, and V8 answers that memory's growth with full collections of a
// heap that holds the whole parsed dump. Measured (`npm run bench -- pipeline`, a 291 MB dump of
// 100k goroutines): keeping every chunk made the parse 1.4 s instead of 0.9 s. Go's pprof handler
// stops a dump at 64 MB, so every dump a Go service serves fits the default limit.
export const MAX_RAW_BYTES = 64 * 2 ** 20;

export class RawKeeper {
	private chunks: Buffer[] | undefined = [];
	private bytes = 0;
	private readonly limit: number;

	constructor(limit: number) {
		this.limit = limit;
	}

	push(chunk: Buffer): void {
		if (this.chunks === undefined) return;
		this.bytes += chunk.length;
		// Past the limit nothing is kept: half a dump is no use to `w`.
		if (this.bytes > this.limit) this.chunks = undefined;
		else this.chunks.push(chunk);
	}

	/** The chunks, or undefined when the body was over the limit. */
	get kept(): Buffer[] | undefined {
		return this.chunks;
	}
}
