// What a wait reason means for someone hunting a leak, across the Go versions that renamed them.
// The strings come from runtime2.go's waitReasonStrings (Go 1.14 … 1.26, see
// docs/dump-formats.md §2.3). Unknown strings never throw: they fall to keyword
// heuristics, then to 'other', so a new Go release degrades instead of breaking.
import type {StateClass} from './api.ts';
import type {Frame, Goroutine} from './types.ts';

export type {StateClass};

// Suffixes that qualify a wait reason without changing what it waits on: testing/synctest
// bubbles ((synctest) in 1.24, (durable) from 1.25) and header flags a caller may pass along.
const qualifier = / \((?:durable|synctest|leaked|scan)\)$/;

/**
 * The wait reason without flags: drops `, N minutes`/`, locked to thread` tails, a Go 1.26
 * ` labels:{…}` block, and the `(durable)`/`(synctest)`/`(leaked)`/`(scan)` qualifiers.
 * `chan receive (nil chan)` and `select (no cases)` keep their parentheses: those are the reason.
 */
export function baseState(state: string): string {
	let s = state;
	const labels = s.indexOf(' labels:{');
	if (labels >= 0) s = s.slice(0, labels);
	const comma = s.indexOf(', ');
	if (comma >= 0) s = s.slice(0, comma);
	s = s.trim();
	while (qualifier.test(s)) s = s.replace(qualifier, '');
	return s;
}

const exact = new Map<string, StateClass>([
	['chan send', 'channel'],
	['chan receive', 'channel'],
	['chan send (nil chan)', 'channel'],
	['chan receive (nil chan)', 'channel'],
	['select', 'channel'],
	['select (no cases)', 'channel'],
	// An un-stopped iter.Pull parks like an unbuffered channel hand-off (Go 1.23+).
	['coroutine', 'channel'],
	['sync.Mutex.Lock', 'sync'],
	['sync.RWMutex.RLock', 'sync'],
	['sync.RWMutex.Lock', 'sync'],
	['sync.WaitGroup.Wait', 'sync'],
	['sync.Cond.Wait', 'sync'],
	['synctest.Wait', 'sync'],
	['synctest.Run', 'sync'],
	['IO wait', 'io'],
	['sleep', 'sleep'],
	['running', 'running'],
	['runnable', 'running'],
	['syscall', 'running'],
	['preempted', 'running'],
	['copystack', 'running'],
	['GC assist marking', 'runtime'],
	['GC assist wait', 'runtime'],
	['GC sweep wait', 'runtime'],
	['GC scavenge wait', 'runtime'],
	['GC worker (idle)', 'runtime'],
	['GC worker (active)', 'runtime'],
	['GC mark termination', 'runtime'],
	['GC weak to strong wait', 'runtime'],
	['garbage collection', 'runtime'],
	['garbage collection scan', 'runtime'],
	['dumping heap', 'runtime'],
	['panicwait', 'runtime'],
	['finalizer wait', 'runtime'],
	['cleanup wait', 'runtime'],
	['force gc (idle)', 'runtime'],
	['timer goroutine (idle)', 'runtime'],
	['trace reader (blocked)', 'runtime'],
	['wait for GC cycle', 'runtime'],
	['GOMAXPROCS updater (idle)', 'runtime'],
	['stopping the world', 'runtime'],
	['flushing proc caches', 'runtime'],
	['trace goroutine status', 'runtime'],
	['trace proc status', 'runtime'],
	['page trace flush', 'runtime'],
	['debug call', 'runtime'],
	['idle', 'runtime'],
]);

/**
 * `semacquire` meant every sync.Mutex/RWMutex wait up to Go 1.19 and every WaitGroup wait up
 * to 1.23; later it is any other runtime semaphore. The frames say which it is.
 */
function classifySemacquire(frames: readonly Frame[] | undefined): StateClass {
	if (!frames || frames.length === 0) return 'sync';
	for (const frame of frames) {
		const func = frame.func;
		if (func.startsWith('sync.') || func.startsWith('golang.org/x/sync/')) return 'sync';
		// internal/poll's fdMutex: waiting for another goroutine's read/write on the same fd.
		if (func.startsWith('internal/poll.')) return 'io';
	}
	// Only runtime frames (stop-the-world, GC) left: a runtime semaphore.
	if (frames.every(frame => frame.func.startsWith('runtime.'))) return 'runtime';
	return 'sync';
}

/** Keyword fallback for wait reasons a newer Go may add. */
function classifyUnknown(state: string): StateClass {
	if (/\bchan\b|\bselect\b/.test(state)) return 'channel';
	if (state.startsWith('sync.') || /Mutex|WaitGroup|semacquire|Cond\b/.test(state)) return 'sync';
	if (/\bGC\b|garbage|finalizer|trace |scaveng|sweep|\(idle\)/.test(state)) return 'runtime';
	if (/\bIO\b/.test(state)) return 'io';
	return 'other';
}

/**
 * Classify a wait reason (`Goroutine.state`) into what it means. `frames` refine the
 * ambiguous `semacquire`; they are optional everywhere else.
 */
export function classifyState(state: string, frames?: readonly Frame[]): StateClass {
	const base = baseState(state);
	const known = exact.get(base);
	if (known) return known;
	if (base === 'semacquire') return classifySemacquire(frames);
	return classifyUnknown(base);
}

/** Blocked on a channel, select or sync primitive: the classes a leak hides in. */
export function isBlockingClass(stateClass: StateClass): boolean {
	return stateClass === 'channel' || stateClass === 'sync';
}

/** Waiting (parked or in a syscall) rather than on a CPU: the states that can be "stuck". */
export function isWaitingState(state: string): boolean {
	const base = baseState(state);
	return base !== 'running' && base !== 'runnable' && base !== 'preempted' && base !== 'copystack';
}

/**
 * Wait reasons that can never end: a nil channel operation, or a `select {}` (except the
 * deliberate one in main, which isDeliberatePark recognises by its frames).
 */
export function neverWakes(state: string): boolean {
	const base = baseState(state);
	return base === 'chan send (nil chan)' || base === 'chan receive (nil chan)' || base === 'select (no cases)';
}

/**
 * A wait in main.main that can never end — `select {}` (or a nil-channel operation) — is how a server
 * parks its main goroutine forever on purpose, not a leak. Go 1.26's goroutineleak profile proves it
 * leaked all the same (`[select (no cases) (leaked)]`, formats.md §9.3): every output asks this rule
 * before it calls a goroutine a proven leak or a never-waking suspect.
 */
export function isDeliberatePark(state: string, frames: readonly Frame[]): boolean {
	return neverWakes(state) && frames.some(frame => frame.func === 'main.main');
}

/** Go marked it `(leaked)` and it is not a deliberate park (isDeliberatePark): a proven leak. */
export function isProvenLeak(g: Pick<Goroutine, 'leaked' | 'state' | 'frames'>): boolean {
	return g.leaked && !isDeliberatePark(g.state, g.frames);
}

/**
 * The modern name of a wait reason: `semacquire` becomes `sync.Mutex.Lock`,
 * `sync.RWMutex.RLock`, `sync.RWMutex.Lock` or `sync.WaitGroup.Wait` when the frames show
 * which primitive it is (Go ≤1.19 / ≤1.23 dumps), so dumps of different versions read alike.
 * Anything else is returned as given.
 */
export function canonicalState(state: string, frames?: readonly Frame[]): string {
	if (baseState(state) !== 'semacquire' || !frames) return state;
	for (const frame of frames) {
		switch (frame.func) {
			case 'sync.(*Mutex).Lock':
			case 'sync.(*Mutex).lockSlow':
				return state.replace('semacquire', 'sync.Mutex.Lock');
			case 'sync.(*RWMutex).RLock':
				return state.replace('semacquire', 'sync.RWMutex.RLock');
			case 'sync.(*RWMutex).Lock':
				return state.replace('semacquire', 'sync.RWMutex.Lock');
			case 'sync.(*WaitGroup).Wait':
				return state.replace('semacquire', 'sync.WaitGroup.Wait');
			default:
		}
	}
	return state;
}
