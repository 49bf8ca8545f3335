// What the poller publishes: immutable snapshots of each fetch, and its own status.
import type {Dump, ProfileRecord} from '../dump/types.ts';
import type {Pause} from './budget.ts';

export interface FetchResult {
	/** Epoch-ms when the fetch started. */
	at: number;
	/** Wall time of the fetch (time to headers + streaming + parse), ms. */
	durationMs: number;
	bytes: number;
	/** 2 = per-goroutine tracebacks; 1 = the cheap aggregated profile. */
	debug: 1 | 2;
	dump: Dump;
	/** The body hit --max-bytes (or Go's 64 MB cap) and was cut. */
	truncated: boolean;
	/**
	 * gmon's own time parsing the body (inside durationMs, which also waits on the network), ms: what
	 * a dump costs gmon once its bytes are here.
	 */
	parseMs?: number;
}

export interface PollError {
	/** One line a person reads, with the fix when there is one. Never contains secrets. */
	message: string;
	/** Machine-readable kind, for tests and exit codes. */
	kind: 'refused' | 'dns' | 'tls' | 'auth' | 'not-found' | 'server' | 'not-a-dump' | 'timeout' | 'cut-off' | 'too-large' | 'io' | 'other';
	at: number;
	/** When the next retry is due (epoch-ms). */
	retryAt?: number;
	attempt: number;
	/** Retrying cannot help (a file that is not a goroutine dump): no retry is scheduled, and a run ends on it. */
	final?: true;
}

export interface PollerState {
	/** The target as shown to the user (credentials removed). */
	target: string;
	/** Last good debug=2 fetch (per-goroutine). Kept across errors. */
	last?: FetchResult;
	/** Last good debug=1 fetch, when the poller is sparing the target. */
	lastProfile?: FetchResult;
	/** goroutineleak profile records when the target serves it. */
	leakRecords?: ProfileRecord[];
	leakProfile: 'unknown' | 'absent' | 'present';
	/** A file or stdin: no profiles to ask for, the goroutineleak one included (model/proof.ts says why). */
	offline?: true;
	error?: PollError;
	paused: boolean;
	polling: boolean;
	/** When the poll in flight started (epoch-ms), while `polling`: a slow poll shows how long it has taken. */
	pollStartedAt?: number;
	/**
	 * Bytes of the full dump read so far, once that poll has run a second (a big dump on a slow link
	 * shows it is moving). Updated at most every PROGRESS_EVERY_MS; gone when the poll ends.
	 */
	bytesRead?: number;
	/** Requested interval, ms. */
	intervalMs: number;
	/** Interval actually used for debug=2 after cost stretching, ms. */
	effectiveIntervalMs: number;
	/** Why full dumps come less often than the interval, when they do ("each freezes the target ~1.4s; --max-overhead 5%"). */
	stretchedReason?: string;
	nextPollAt?: number;
	/** The full dumps' measured world stops in the last budget window, oldest first: the live cost. */
	pauses: readonly Pause[];
	/** When polling began (epoch-ms): the first window's share counts from here. */
	since?: number;
	/**
	 * What the next full dump is predicted to cost, from the latest count and the cost measured so
	 * far; `held` says why gmon will not take one by itself (`D` takes one anyway).
	 */
	fullDump?: {goroutines: number; predictedMs: number; held?: string};
	/** The limit the poll in flight runs under, for the waiting line ("12s of --headers-timeout 1m"). */
	deadline?: {ms: number; flag: string};
}
