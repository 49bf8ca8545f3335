// What the poller asks of a place dumps come from (http, unix socket, file, stdin, the demo).
import type {FetchResult} from './types.ts';

export interface FetchRequest {
	/** `goroutine` (the dump) or Go ≥1.26 `goroutineleak`. */
	profile: 'goroutine' | 'goroutineleak';
	debug: 1 | 2;
	/** Keep the raw body chunks (for `w`, write the dump): debug=2 goroutine fetches only. */
	keepRaw?: boolean;
	/** Keep them only while the body is at most this long (default MAX_RAW_BYTES, see raw-keeper.ts). */
	maxRawBytes?: number;
	/** Frames with their args (default true); reports ask without, as they never print args (see ParseCache.args). */
	args?: boolean;
	/** Called with the bytes read so far as the body arrives (every chunk: the caller throttles). */
	onProgress?: (bytes: number) => void;
}

export interface FetchOutcome {
	result: FetchResult;
	/** The body as received (up to --max-bytes), when keepRaw was asked and it fit maxRawBytes. */
	raw?: Buffer[];
	/** Time until response headers, ms: for Go this is the time it spent collecting the dump (the world is stopped). */
	headersMs?: number;
}

export interface DumpSource {
	/** As shown to the user, credentials removed. */
	readonly displayName: string;
	/** Polled on the interval (http, unix, `--watch` files); a plain file or stdin is read once. */
	readonly repeats: boolean;
	/** Serves the debug=1 profile and may serve goroutineleak (http and unix only). */
	readonly hasProfiles: boolean;
	/** Throws a PollFault (worded for the user). `'unchanged'`: a watched file did not change since the last read. */
	fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchOutcome | 'unchanged'>;
	close(): Promise<void>;
}
