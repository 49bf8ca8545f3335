// Parsing a big dump is seconds of CPU in the one thread the TUI also answers keys on. A body that
// arrives faster than it parses (loopback, a pipe, a file) is read chunk after chunk in microtasks,
// which never let a key, a timer or a frame in. Sources call `due()` between chunks and yield to the
// event loop with setImmediate after every slice of work: a key then waits one slice at most.

/** Wall time of one slice: a key waits at most this (plus one chunk's parse) — well under the 50 ms goal. */
export const SLICE_MS = 8;
/** Bytes of one slice, whatever the clock says: a fast machine still lets the loop in regularly. */
export const SLICE_BYTES = 2 << 20;

export class Yielder {
	private startedAt = performance.now();
	private bytes = 0;

	/** Count `bytes` just handled; true when the slice is over and the caller should `await yieldNow()`. */
	due(bytes: number): boolean {
		this.bytes += bytes;
		return this.bytes >= SLICE_BYTES || performance.now() - this.startedAt >= SLICE_MS;
	}

	/** Let the event loop run (timers, input, rendering), then start a new slice. */
	async yieldNow(): Promise<void> {
		await new Promise<void>(resolve => setImmediate(resolve));
		this.startedAt = performance.now();
		this.bytes = 0;
	}
}
