// The contract of the dump module, implemented in parse.ts / classify.ts / user-frame.ts.
import type {Dump, DumpKind, Frame, Goroutine} from './types.ts';

export interface DumpParser {
	/** Feed the next chunk (any split: mid-line, mid-UTF-8). Returns the goroutines completed by this chunk. */
	write(chunk: Uint8Array | string): Goroutine[];
	/** Flush: a block still open is completed (marked truncated when cut mid-block). Returns the whole dump. */
	end(): Dump;
	/** What the input is, as far as read: 'unknown' until a header line says (a source stops reading a body of the wrong kind). */
	readonly kind: DumpKind;
}

/**
 * What a wait reason means for someone hunting a leak:
 * - channel: chan send/receive (incl. nil chan), select, select (no cases)
 * - sync: sync.Mutex.Lock, sync.RWMutex.*, sync.WaitGroup.Wait, sync.Cond.Wait, semacquire
 * - io: IO wait (network poller)
 * - sleep: time.Sleep
 * - running: running, runnable, syscall (on-CPU or in the kernel)
 * - runtime: GC workers, finalizer, force gc, trace reader, …
 * - other: anything else (kept, never an error)
 */
export type StateClass = 'channel' | 'sync' | 'io' | 'sleep' | 'running' | 'runtime' | 'other';

export type {Dump, Frame, Goroutine};
