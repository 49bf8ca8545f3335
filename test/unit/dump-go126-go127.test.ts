// Every Go 1.26 / 1.27 dump in test/fixtures/dumps parses to exactly the facts its README lists
// (the facts below are the README's, transcribed): goroutine count, states, `(leaked)` marks, pprof
// labels in both header forms, created-by `in goroutine N` parents, elision markers, gp=/m= fields;
// then the format details of docs/dump-formats.md §9 one by one.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {isDeliberatePark, isProvenLeak} from '../../source/dump/classify.ts';
import {parseDump} from '../../source/dump/parse.ts';
import type {Dump, Goroutine} from '../../source/dump/types.ts';
import {isUserFunc, userFrame} from '../../source/dump/user-frame.ts';
import {isDeliberateParkRecord, isEmptyRecord, leakMatcher} from '../../source/model/leak-match.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, dumps));

interface Sample {
	id: number;
	/** The bracket body as the README's "header state" column (a Go 1.26 ` labels:{…}` tail removed). */
	header: string;
	top: string;
	frames: number;
	createdBy?: string;
	parentId?: number;
}

interface TracebackFacts {
	goroutines: number;
	/** Wait reason (flags and labels removed) → count. */
	states: Record<string, number>;
	locked: number[];
	createdBy: number;
	inGoroutine: number;
	/** Goroutine id → the N of its `...N frames elided...`. */
	elided: Record<string, number>;
	/** Headers carrying pprof labels (either form). */
	labelled?: number;
	/** Headers with `gp= m=` fields (crash dumps). */
	withFields?: number;
	leaked?: number;
	leakedStates?: Record<string, number>;
	/** `, N minutes` → count (0: none printed). */
	minutes?: Record<string, number>;
	samples: Sample[];
}

const tracebacks: Record<string, TracebackFacts> = {
	'go1.26-statezoo-all-states.debug2.txt': {
		goroutines: 42,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			'chan send': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			runnable: 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [34, 35],
		createdBy: 41,
		inGoroutine: 41,
		elided: {'27': 31},
		samples: [
			{id: 39, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 27, header: 'chan receive', top: 'main.deep', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 34, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 22, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 33, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main', parentId: 1},
			{id: 8, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.26-statezoo-tracebacklabels.debug2.txt': {
		goroutines: 42,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			'chan send': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			runnable: 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [46, 47],
		labelled: 7,
		createdBy: 41,
		inGoroutine: 41,
		elided: {'39': 31},
		samples: [
			{id: 59, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 39, header: 'chan receive', top: 'main.deep', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 50, header: 'chan receive', top: 'main.labelledWorkers.func1.1.1', frames: 3, createdBy: 'main.labelledWorkers.func1', parentId: 1},
			{id: 46, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 34, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 45, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.26-sigquit-crash.txt': {
		goroutines: 46,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			'chan send': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			syscall: 1,
			'force gc (idle)': 1,
			'GC sweep wait': 1,
			'GC scavenge wait': 1,
			'GOMAXPROCS updater (idle)': 1,
			'finalizer wait': 1,
			'cleanup wait': 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			runnable: 1,
		},
		locked: [34, 35],
		withFields: 46,
		createdBy: 45,
		inGoroutine: 45,
		elided: {'27': 36},
		samples: [
			{id: 33, header: 'syscall', top: 'syscall.Syscall', frames: 6, createdBy: 'main.main', parentId: 1},
			{id: 27, header: 'chan receive', top: 'runtime.gopark', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 34, header: 'chan receive, locked to thread', top: 'runtime.gopark', frames: 6, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.26-panic-gotraceback-all.txt': {
		goroutines: 39,
		states: {
			'chan receive': 20,
			'chan send': 3,
			'IO wait': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [34, 35],
		createdBy: 38,
		inGoroutine: 38,
		elided: {'27': 31},
		samples: [
			{id: 1, header: 'running', top: 'main.crash', frames: 2},
			{id: 27, header: 'chan receive', top: 'main.deep', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 34, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 22, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 8, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 33, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.26-fatal-deadlock.txt': {
		goroutines: 4,
		states: {'chan receive': 2, 'sync.WaitGroup.Wait': 1, 'chan send': 1},
		locked: [],
		createdBy: 3,
		inGoroutine: 3,
		elided: {},
		samples: [
			{id: 1, header: 'chan receive', top: 'main.crash', frames: 2},
			{id: 9, header: 'sync.WaitGroup.Wait', top: 'sync.runtime_SemacquireWaitGroup', frames: 3, createdBy: 'main.main', parentId: 1},
			{id: 10, header: 'chan send', top: 'main.Map[...]', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 8, header: 'chan receive', top: 'main.main.func1', frames: 1, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.26-leakzoo-goroutineleak.debug2.txt': {
		goroutines: 39,
		states: {
			'chan receive': 9,
			'chan send': 6,
			'sync.Mutex.Lock': 6,
			'IO wait': 4,
			select: 4,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
			running: 1,
		},
		locked: [],
		leaked: 21,
		leakedStates: {
			'chan send': 3,
			'chan receive': 3,
			select: 3,
			'sync.Mutex.Lock': 3,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
		},
		createdBy: 38,
		inGoroutine: 38,
		elided: {},
		samples: [
			{id: 69, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 1, header: 'IO wait', top: 'internal/poll.runtime_pollWait', frames: 10},
			{id: 21, header: 'chan send (leaked)', top: 'main.fetchWithTimeout.func1', frames: 1, createdBy: 'main.fetchWithTimeout', parentId: 1},
		],
	},
	'go1.26-leakzoo-goroutine-after-leakcheck.debug2.txt': {
		goroutines: 39,
		states: {
			'chan receive': 9,
			'chan send': 6,
			'sync.Mutex.Lock': 6,
			'IO wait': 4,
			select: 4,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
			running: 1,
		},
		locked: [],
		leaked: 21,
		leakedStates: {
			'chan send': 3,
			'chan receive': 3,
			select: 3,
			'sync.Mutex.Lock': 3,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
		},
		createdBy: 38,
		inGoroutine: 38,
		elided: {},
		samples: [
			{id: 71, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 1, header: 'IO wait', top: 'internal/poll.runtime_pollWait', frames: 10},
			{id: 21, header: 'chan send (leaked)', top: 'main.fetchWithTimeout.func1', frames: 1, createdBy: 'main.fetchWithTimeout', parentId: 1},
		],
	},
	'go1.27-statezoo-all-states.debug2.txt': {
		goroutines: 42,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			'chan send': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			runnable: 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [46, 47],
		labelled: 7,
		createdBy: 41,
		inGoroutine: 41,
		elided: {'39': 31},
		samples: [
			{id: 50, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 39, header: 'chan receive', top: 'main.deep', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 7, header: 'chan receive', top: 'main.labelledWorkers.func1.1.1', frames: 3, createdBy: 'main.labelledWorkers.func1', parentId: 1},
			{id: 46, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 34, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 45, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.27-sigquit-crash.txt': {
		goroutines: 47,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			'chan send': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			idle: 1,
			'force gc (idle)': 1,
			'GC sweep wait': 1,
			'GC scavenge wait': 1,
			'GOMAXPROCS updater (idle)': 1,
			'finalizer wait': 1,
			'cleanup wait': 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			syscall: 1,
			runnable: 1,
		},
		locked: [46, 47],
		labelled: 7,
		withFields: 47,
		createdBy: 45,
		inGoroutine: 45,
		elided: {'39': 36},
		samples: [
			{id: 0, header: 'idle', top: 'runtime.futex', frames: 8},
			{id: 39, header: 'chan receive', top: 'runtime.gopark', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 7, header: 'chan receive', top: 'runtime.gopark', frames: 8, createdBy: 'main.labelledWorkers.func1', parentId: 1},
			{id: 46, header: 'chan receive, locked to thread', top: 'runtime.gopark', frames: 6, createdBy: 'main.main', parentId: 1},
			{id: 2, header: 'force gc (idle)', top: 'runtime.gopark', frames: 4, createdBy: 'runtime.init.7', parentId: 1},
		],
	},
	'go1.27-panic-gotraceback-all.txt': {
		goroutines: 39,
		states: {
			'chan receive': 20,
			'chan send': 3,
			'IO wait': 3,
			'select (no cases)': 2,
			'sync.Mutex.Lock': 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.RWMutex.RLock': 1,
			'sync.Cond.Wait': 1,
			'sync.WaitGroup.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [34, 35],
		labelled: 7,
		createdBy: 38,
		inGoroutine: 38,
		elided: {'27': 31},
		samples: [
			{id: 1, header: 'running', top: 'main.crash', frames: 2},
			{id: 27, header: 'chan receive', top: 'main.deep', frames: 100, createdBy: 'main.main', parentId: 1},
			{id: 52, header: 'chan receive', top: 'main.labelledWorkers.func1.1.1', frames: 3, createdBy: 'main.labelledWorkers.func1', parentId: 1},
			{id: 34, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 22, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 8, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.27-fatal-deadlock.txt': {
		goroutines: 4,
		states: {'chan receive': 2, 'sync.WaitGroup.Wait': 1, 'chan send': 1},
		locked: [],
		createdBy: 3,
		inGoroutine: 3,
		elided: {},
		samples: [
			{id: 1, header: 'chan receive', top: 'main.crash', frames: 2},
			{id: 21, header: 'sync.WaitGroup.Wait', top: 'sync.runtime_SemacquireWaitGroup', frames: 3, createdBy: 'main.main', parentId: 1},
			{id: 22, header: 'chan send', top: 'main.Map[...]', frames: 1, createdBy: 'main.main', parentId: 1},
			{id: 20, header: 'chan receive', top: 'main.main.func1', frames: 1, createdBy: 'main.main', parentId: 1},
		],
	},
	'go1.27-leakzoo-goroutineleak.debug2.txt': {
		goroutines: 39,
		states: {
			'chan receive': 9,
			'chan send': 6,
			'sync.Mutex.Lock': 6,
			'IO wait': 4,
			select: 4,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
			running: 1,
		},
		locked: [],
		leaked: 21,
		leakedStates: {
			'chan send': 3,
			'chan receive': 3,
			select: 3,
			'sync.Mutex.Lock': 3,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
		},
		labelled: 7,
		createdBy: 38,
		inGoroutine: 38,
		elided: {},
		samples: [
			{id: 40, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 1, header: 'IO wait', top: 'internal/poll.runtime_pollWait', frames: 10},
			{id: 8, header: 'chan send (leaked)', top: 'main.fetchWithTimeout.func1', frames: 1, createdBy: 'main.fetchWithTimeout', parentId: 1},
		],
	},
	'go1.27-leakzoo-goroutine-after-leakcheck.debug2.txt': {
		goroutines: 39,
		states: {
			'chan receive': 9,
			'chan send': 6,
			'sync.Mutex.Lock': 6,
			select: 4,
			'IO wait': 3,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
			running: 1,
			runnable: 1,
		},
		locked: [],
		leaked: 21,
		leakedStates: {
			'chan send': 3,
			'chan receive': 3,
			select: 3,
			'sync.Mutex.Lock': 3,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
		},
		labelled: 7,
		createdBy: 38,
		inGoroutine: 38,
		elided: {},
		samples: [
			{id: 68, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 1, header: 'IO wait', top: 'internal/poll.runtime_pollWait', frames: 10},
			{id: 8, header: 'chan send (leaked)', top: 'main.fetchWithTimeout.func1', frames: 1, createdBy: 'main.fetchWithTimeout', parentId: 1},
		],
	},
	'go1.27-leakzoo-goroutineleak-1-minutes.debug2.txt': {
		goroutines: 39,
		states: {
			'chan receive': 9,
			'chan send': 6,
			'sync.Mutex.Lock': 6,
			'IO wait': 4,
			select: 4,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
			running: 1,
		},
		minutes: {'1': 17, '0': 22},
		locked: [],
		leaked: 21,
		leakedStates: {
			'chan send': 3,
			'chan receive': 3,
			select: 3,
			'sync.Mutex.Lock': 3,
			'sync.WaitGroup.Wait': 3,
			'chan receive (nil chan)': 3,
			'select (no cases)': 3,
		},
		labelled: 7,
		createdBy: 38,
		inGoroutine: 38,
		elided: {},
		samples: [
			{id: 102, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve', parentId: 1},
			{id: 1, header: 'IO wait, 1 minutes', top: 'internal/poll.runtime_pollWait', frames: 10},
			{id: 8, header: 'chan send (leaked)', top: 'main.fetchWithTimeout.func1', frames: 1, createdBy: 'main.fetchWithTimeout', parentId: 1},
		],
	},
};

interface ProfileFacts {
	name: string;
	total: number;
	records: number;
	/** Records with `# labels:`, and the goroutines they count. */
	labelled: [records: number, goroutines: number];
	zeroFrames: number;
	largest: Array<[count: number, top: string, frames: number]>;
	maxFrames: number;
}

const profiles: Record<string, ProfileFacts> = {
	'go1.26-statezoo-labels.debug1.txt': {
		name: 'goroutine',
		total: 42,
		records: 41,
		labelled: [7, 7],
		zeroFrames: 1,
		largest: [
			[2, 'internal/poll.runtime_pollWait', 7],
			[1, 'runtime/pprof.writeRuntimeProfile', 9],
			[1, 'main.spinner', 1],
		],
		maxFrames: 125,
	},
	'go1.26-leakzoo-goroutineleak.debug1.txt': {
		name: 'goroutineleak',
		total: 21,
		records: 7,
		labelled: [1, 3],
		zeroFrames: 0,
		largest: [
			[3, 'main.fetchWithTimeout.func1', 1],
			[3, 'main.nilChanLeak.func1', 1],
			[3, 'main.startConsumer.func1', 1],
		],
		maxFrames: 6,
	},
	'go1.27-statezoo-labels.debug1.txt': {
		name: 'goroutine',
		total: 42,
		records: 41,
		labelled: [7, 7],
		zeroFrames: 1,
		largest: [
			[2, 'internal/poll.runtime_pollWait', 7],
			[1, 'runtime/pprof.writeRuntimeProfile', 9],
			[1, 'main.spinner', 1],
		],
		maxFrames: 125,
	},
	'go1.27-leakzoo-goroutineleak.debug1.txt': {
		name: 'goroutineleak',
		total: 21,
		records: 7,
		labelled: [1, 3],
		zeroFrames: 0,
		largest: [
			[3, 'main.fetchWithTimeout.func1', 1],
			[3, 'main.nilChanLeak.func1', 1],
			[3, 'main.startConsumer.func1', 1],
		],
		maxFrames: 6,
	},
};

// The selectmain pair (README: "debug=2: 5 goroutines each (ids 1, 9, 21, 22 and one more IO wait),
// 1 `(leaked)` mark on 1.27, 2 on 1.26").
const selectmain: Record<string, {leakedIds: number[]}> = {
	'go1.26-selectmain-goroutineleak.debug2.txt': {leakedIds: [1, 22]},
	'go1.27-selectmain-goroutineleak.debug2.txt': {leakedIds: [22]},
};

function histogram(values: ReadonlyArray<string | number>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
}

/** The README's "header state": the bracket body without a Go 1.26 labels tail (1.27's labels are outside it). */
const headerState = (g: Goroutine): string => g.rawState.replace(/ labels:\{.*\}$/, '');

function parsed(name: string): Dump {
	const dump = parseDump(read(name));
	assert.equal(dump.kind, 'traceback');
	assert.equal(dump.truncated, false);
	assert.equal(dump.unparsedHeaders, undefined, 'every header understood');
	return dump;
}

test('the facts cover every go1.26-* / go1.27-* fixture', () => {
	const listed = new Set([...Object.keys(tracebacks), ...Object.keys(profiles), ...Object.keys(selectmain), ...Object.keys(selectmainProfiles)]);
	const files = readFileSync(new URL('README.md', dumps), 'utf8')
		.match(/^\| `(go1\.2[67]-[^`]+)`/gm)!
		.map(row => row.slice(3, -1));
	assert.ok(files.length >= 22);
	for (const file of files) assert.ok(listed.has(file), `${file} has facts here`);
});

for (const [name, facts] of Object.entries(tracebacks)) {
	test(`${name} parses to the README's facts`, () => {
		const gs = parsed(name).goroutines;
		assert.equal(gs.length, facts.goroutines, 'goroutines');
		assert.equal(new Set(gs.map(g => g.id)).size, gs.length, 'ids unique');
		assert.deepEqual(histogram(gs.map(g => g.state)), facts.states, 'state histogram');
		assert.deepEqual(
			gs
				.filter(g => g.locked)
				.map(g => g.id)
				.sort((a, b) => a - b),
			facts.locked,
			'locked ids',
		);
		assert.equal(gs.filter(g => g.createdBy).length, facts.createdBy, 'with created by');
		assert.equal(gs.filter(g => g.createdBy?.parentId !== undefined).length, facts.inGoroutine, 'in goroutine N');
		const elided = Object.fromEntries(gs.filter(g => g.elided).map(g => [String(g.id), g.elided!.count]));
		assert.deepEqual(elided, facts.elided, 'elision markers');
		for (const g of gs.filter(candidate => candidate.elided)) {
			// 50 frames, the marker, 50 frames (formats.md §9.1).
			assert.deepEqual([g.frames.length, g.elided!.at], [100, 50], `goroutine ${g.id} elision position`);
		}
		assert.equal(gs.filter(g => g.labels).length, facts.labelled ?? 0, 'labelled headers');
		assert.equal(gs.filter(g => g.fields?.['gp'] !== undefined && g.fields['m'] !== undefined).length, facts.withFields ?? 0, 'gp= m= headers');
		assert.equal(gs.filter(g => g.leaked).length, facts.leaked ?? 0, '(leaked) marks');
		if (facts.leakedStates) assert.deepEqual(histogram(gs.filter(g => g.leaked).map(g => g.state)), facts.leakedStates, '(leaked) by state');
		if (facts.minutes) assert.deepEqual(histogram(gs.map(g => g.waitMinutes)), facts.minutes, 'wait minutes');
		for (const g of gs) assert.equal(g.unknownFlags, undefined, `goroutine ${g.id}: every header token understood`);
		for (const sample of facts.samples) {
			const g = gs.find(candidate => candidate.id === sample.id);
			assert.ok(g, `goroutine ${sample.id} present`);
			assert.equal(headerState(g), sample.header, `goroutine ${sample.id} header state`);
			assert.equal(g.frames[0]?.func, sample.top, `goroutine ${sample.id} top frame`);
			assert.equal(g.frames.length, sample.frames, `goroutine ${sample.id} frames`);
			assert.equal(g.createdBy?.func, sample.createdBy, `goroutine ${sample.id} created by`);
			assert.equal(g.createdBy?.parentId, sample.parentId, `goroutine ${sample.id} parent`);
			assert.equal(g.truncated, undefined);
		}
	});
}

for (const [name, facts] of Object.entries(selectmain)) {
	test(`${name}: five goroutines, main in select {}, the forgotten sender marked (leaked)`, () => {
		const gs = parsed(name).goroutines;
		assert.equal(gs.length, 5);
		for (const id of [1, 9, 21, 22])
			assert.ok(
				gs.some(g => g.id === id),
				`goroutine ${id}`,
			);
		assert.deepEqual(histogram(gs.map(g => g.state)), {'IO wait': 2, 'chan send': 1, running: 1, 'select (no cases)': 1});
		assert.deepEqual(
			gs
				.filter(g => g.leaked)
				.map(g => g.id)
				.sort((a, b) => a - b),
			facts.leakedIds,
		);
		const main = gs.find(g => g.id === 1)!;
		assert.equal(main.state, 'select (no cases)');
		assert.equal(main.frames[0]?.func, 'main.main');
		assert.equal(isDeliberatePark(main.state, main.frames), true, 'main parked in select {} on purpose');
		assert.equal(isProvenLeak(main), false, 'never a proven leak, marked or not');
		const sender = gs.find(g => g.id === 22)!;
		assert.deepEqual(
			[sender.state, sender.frames[0]?.func, sender.frames[0]?.line, sender.createdBy?.parentId],
			['chan send', 'main.forgottenSender.func1', 18, 1],
		);
		assert.equal(isProvenLeak(sender), true);
	});
}

for (const [name, facts] of Object.entries(profiles)) {
	test(`${name} parses to the README's debug=1 facts`, () => {
		const dump = parseDump(read(name));
		assert.equal(dump.kind, 'profile');
		assert.equal(dump.profileName, facts.name);
		assert.equal(dump.profileTotal, facts.total);
		const records = dump.records;
		assert.equal(records.length, facts.records, 'records');
		assert.equal(
			records.reduce((n, r) => n + r.count, 0),
			facts.total,
			'sum of counts',
		);
		const labelled = records.filter(r => r.labels);
		assert.deepEqual([labelled.length, labelled.reduce((n, r) => n + r.count, 0)], facts.labelled, 'labelled records, goroutines');
		assert.equal(records.filter(r => r.frames.length === 0).length, facts.zeroFrames, 'records without frames');
		assert.equal(Math.max(...records.map(r => r.frames.length)), facts.maxFrames, 'max frames');
		const largest = [...records]
			.sort((a, b) => b.count - a.count)
			.slice(0, 3)
			.map(r => [r.count, r.frames[0]?.func, r.frames.length]);
		assert.deepEqual(largest, facts.largest, 'largest records');
		for (const record of records) {
			assert.equal(isEmptyRecord(record), false, 'no empty record here');
			assert.equal(isDeliberateParkRecord(record), false, 'no parked main here');
		}
	});
}

test('debug=1 keeps up to 128 PCs per record on Go 1.26 / 1.27 (125 frame lines for the deep recursion)', () => {
	for (const name of ['go1.26-statezoo-labels.debug1.txt', 'go1.27-statezoo-labels.debug1.txt']) {
		const deep = parseDump(read(name)).records.find(r => r.frames.length === 125)!;
		assert.equal(deep.pcs.length, 128, name);
		assert.ok(deep.frames.every(frame => frame.func === 'main.deep'));
	}
});

const selectmainProfiles: Record<string, {empty: number; park: number}> = {
	'go1.26-selectmain-goroutineleak.debug1.txt': {empty: 0, park: 1},
	'go1.27-selectmain-goroutineleak.debug1.txt': {empty: 1, park: 0},
};

for (const [name, facts] of Object.entries(selectmainProfiles)) {
	test(`${name}: total 2 in 2 records; the forgotten sender is the one proven leak`, () => {
		const dump = parseDump(read(name));
		assert.deepEqual([dump.kind, dump.profileName, dump.profileTotal, dump.records.length], ['profile', 'goroutineleak', 2, 2]);
		assert.equal(
			dump.records.reduce((n, r) => n + r.count, 0),
			2,
		);
		assert.equal(dump.records.filter(r => isEmptyRecord(r)).length, facts.empty, 'empty records');
		assert.equal(dump.records.filter(r => isDeliberateParkRecord(r)).length, facts.park, 'main parked in select {}');
		const sender = dump.records.find(r => r.frames[0]?.func === 'main.forgottenSender.func1')!;
		assert.equal(sender.frames[0]?.line, 18);
		assert.equal(isEmptyRecord(sender) || isDeliberateParkRecord(sender), false);
		// Matched against the live dump's places, only the sender's stack is proven.
		const matcher = leakMatcher(dump.records);
		assert.equal(matcher.leakedAt(sender.frames), 1);
		assert.equal(matcher.leakedAt([{func: 'main.main', args: '', inlined: false, file: '/home/dev/selectmain/main.go', line: 26}]), 0);
	});
}

test('Go 1.27.3 empty leak record: `1 @` with no PCs and one `#\\t0x0` line', () => {
	const empty = parseDump(read('go1.27-selectmain-goroutineleak.debug1.txt')).records[0]!;
	assert.deepEqual(empty.pcs, []);
	assert.deepEqual(
		empty.frames.map(frame => [frame.func, frame.pc]),
		[['', '0x0']],
	);
	// A record with PCs and no frame lines is a goroutine that has not started: not empty.
	assert.equal(isEmptyRecord({count: 1, pcs: ['0x4912e1'], frames: []}), false);
});

test('labels in both header forms read the same: Go 1.26 inside the bracket, Go 1.27 after it', () => {
	const labelsOf = (name: string) =>
		parsed(name)
			.goroutines.filter(g => g.labels)
			.map(g => JSON.stringify(g.labels))
			.sort();
	const inside = labelsOf('go1.26-statezoo-tracebacklabels.debug2.txt');
	const after = labelsOf('go1.27-statezoo-all-states.debug2.txt');
	assert.deepEqual(inside, after);
	assert.deepEqual(after, labelsOf('go1.27-panic-gotraceback-all.txt'));
	assert.deepEqual(after, labelsOf('go1.27-sigquit-crash.txt'));
	const g27 = parsed('go1.27-statezoo-all-states.debug2.txt').goroutines;
	const seven = g27.find(g => g.id === 7)!;
	assert.deepEqual([seven.state, seven.rawState, seven.labels], ['chan receive', 'chan receive', {handler: '/api/v1/export', tenant: 'acme', worker: '0'}]);
	// Quoted only when needed; a quoted value keeps its `, ` and escapes.
	assert.deepEqual(g27.find(g => g.id === 13)!.labels, {emoji: 'héllo wörld', query: 'select "x", \'y\' from t where a=1'});
	const g26 = parsed('go1.26-statezoo-tracebacklabels.debug2.txt').goroutines;
	const fifty = g26.find(g => g.id === 50)!;
	assert.deepEqual([fifty.state, fifty.labels], ['chan receive', {handler: '/api/v1/export', tenant: 'acme', worker: '0'}]);
	assert.deepEqual(g26.find(g => g.id === 56)!.labels, {emoji: 'héllo wörld', query: 'select "x", \'y\' from t where a=1'});
	// One shared, frozen object per header text.
	assert.ok(Object.isFrozen(seven.labels));
});

test('(leaked) and labels together; gp= fields and labels together', () => {
	const leak = parsed('go1.27-leakzoo-goroutineleak.debug2.txt').goroutines.find(g => g.id === 8)!;
	assert.deepEqual([leak.state, leak.rawState, leak.leaked, leak.labels], ['chan send', 'chan send (leaked)', true, {leak: 'forgotten-sender'}]);
	const crash = parsed('go1.27-sigquit-crash.txt').goroutines.find(g => g.id === 7)!;
	assert.deepEqual(
		[crash.state, crash.fields, crash.labels],
		['chan receive', {gp: '0x6a17b2c0780', m: 'nil'}, {handler: '/api/v1/export', tenant: 'acme', worker: '0'}],
	);
});

test("Go 1.27's SIGQUIT dump begins with goroutine 0 (m0's g0, idle): kept, not merged", () => {
	const gs = parsed('go1.27-sigquit-crash.txt').goroutines;
	const zero = gs[0]!;
	assert.deepEqual([zero.id, zero.state, zero.fields], [0, 'idle', {gp: '0xa66e00', m: '0', mp: '0xa67da0'}]);
	assert.deepEqual([zero.frames[0]?.func, zero.frames.length, zero.createdBy], ['runtime.futex', 8, undefined]);
});

test('a Mutex wait passes through internal/sync: standard library, the user frame is below it', () => {
	const g = parsed('go1.26-statezoo-all-states.debug2.txt').goroutines.find(candidate => candidate.id === 14)!;
	assert.deepEqual(
		g.frames.map(frame => frame.func),
		[
			'internal/sync.runtime_SemacquireMutex',
			'internal/sync.(*Mutex).lockSlow',
			'internal/sync.(*Mutex).Lock',
			'sync.(*Mutex).Lock',
			'main.(*Server).handleLocked',
		],
	);
	assert.equal(userFrame(g)?.func, 'main.(*Server).handleLocked');
	for (const frame of g.frames.slice(0, 4)) assert.equal(isUserFunc(frame.func), false, `${frame.func} is dimmed as the standard library`);
	const g27 = parsed('go1.27-statezoo-all-states.debug2.txt').goroutines.find(candidate => candidate.id === 27)!;
	assert.deepEqual([g27.state, g27.frames[0]?.func], ['sync.Mutex.Lock', 'internal/sync.runtime_SemacquireMutex']);
	assert.equal(userFrame(g27)?.func.startsWith('main.'), true);
});

test('a not-yet-started goroutine: entry frame without +0x, runtime.goexit({})', () => {
	const g = parsed('go1.26-statezoo-all-states.debug2.txt').goroutines.find(candidate => candidate.id === 40)!;
	assert.equal(g.frames[0]?.func, 'net/http.(*connReader).startBackgroundRead.gowrap2');
	assert.equal(g.frames[0]?.pcOffset, undefined);
	assert.deepEqual([g.frames.at(-1)?.func, g.frames.at(-1)?.args], ['runtime.goexit', '{}']);
});

test('`, N minutes` is read as printed (a floor measured from the previous GC, never an exact age)', () => {
	const gs = parsed('go1.27-leakzoo-goroutineleak-1-minutes.debug2.txt').goroutines;
	// The 500 ms ticker loop woke under a second earlier and still shows a minute (formats.md §9.4).
	assert.deepEqual([gs.find(g => g.id === 60)?.waitMinutes, gs.find(g => g.id === 60)?.rawState], [1, 'chan receive, 1 minutes']);
	// Leaked goroutines never carry minutes.
	assert.ok(gs.filter(g => g.leaked).every(g => g.waitMinutes === 0));
	assert.equal(gs.find(g => g.id === 56)?.rawState, 'chan receive, 1 minutes');
	assert.deepEqual(gs.find(g => g.id === 56)?.labels, {pool: 'jobs'});
});
