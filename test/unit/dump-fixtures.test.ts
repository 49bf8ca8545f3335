// Every real dump in test/fixtures/dumps parses to exactly the facts its README lists.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import type {Dump, Goroutine} from '../../source/dump/types.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, dumps));

interface Sample {
	id: number;
	/** The whole bracket body, as the README's "header state" column. */
	header: string;
	top: string;
	frames: number;
	createdBy?: string;
	parentId?: number;
	/** `additional` for Go ≤1.20's marker. */
	elided?: 'additional';
	ancestors?: number;
}

interface TracebackFacts {
	goroutines: number;
	states: Record<string, number>;
	minutes?: Record<number, number>;
	locked: number[];
	createdBy: number;
	inGoroutine: number;
	/** Goroutine ids carrying an elision marker. */
	elided: number[];
	ancestorBlocks?: number;
	withAncestors?: number;
	preamble?: string;
	samples: Sample[];
}

const tracebacks: Record<string, TracebackFacts> = {
	'go1.19-statezoo-all-states.debug2.txt': {
		goroutines: 42,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			semacquire: 4,
			'chan send': 3,
			'select (no cases)': 2,
			runnable: 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.Cond.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [44, 45],
		createdBy: 41,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 49, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve'},
			{id: 37, header: 'chan receive', top: 'main.deep', frames: 97, createdBy: 'main.main'},
			{id: 44, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main'},
			{id: 32, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main'},
			{id: 43, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main'},
			{id: 19, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main'},
		],
	},
	'go1.19-wait-2-minutes-locked.debug2.txt': {
		goroutines: 44,
		states: {
			'chan receive': 21,
			'IO wait': 4,
			semacquire: 4,
			'chan send': 3,
			runnable: 3,
			'select (no cases)': 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.Cond.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		minutes: {2: 38, 0: 6},
		locked: [44, 45],
		createdBy: 43,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 49, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve'},
			{id: 37, header: 'chan receive, 2 minutes', top: 'main.deep', frames: 97, createdBy: 'main.main'},
			{id: 44, header: 'chan receive, 2 minutes, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main'},
			{id: 32, header: 'chan receive, 2 minutes', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main'},
			{id: 19, header: 'chan send, 2 minutes', top: 'main.main.func3', frames: 1, createdBy: 'main.main'},
			{id: 43, header: 'syscall, 2 minutes', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main'},
		],
	},
	'go1.19-big-1642-goroutines.debug2.txt': {
		goroutines: 1642,
		states: {
			'chan receive': 820,
			select: 401,
			sleep: 401,
			semacquire: 5,
			'IO wait': 4,
			'chan send': 3,
			'select (no cases)': 2,
			running: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.Cond.Wait': 1,
			syscall: 1,
			runnable: 1,
		},
		locked: [46, 47],
		createdBy: 1641,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 1661, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve'},
			{id: 39, header: 'chan receive', top: 'main.deep', frames: 97, createdBy: 'main.main'},
			{id: 46, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main'},
			{id: 34, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main'},
			{id: 45, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main'},
			{id: 21, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main'},
		],
	},
	'go1.19-trimpath-relative-paths.debug2.txt': {
		goroutines: 41,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			semacquire: 4,
			'chan send': 3,
			'select (no cases)': 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.Cond.Wait': 1,
			sleep: 1,
			syscall: 1,
			runnable: 1,
		},
		locked: [44, 45],
		createdBy: 40,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 14, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve'},
			{id: 37, header: 'chan receive', top: 'main.deep', frames: 97, createdBy: 'main.main'},
			{id: 44, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main'},
			{id: 32, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main'},
			{id: 43, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main'},
			{id: 19, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main'},
		],
	},
	'go1.19-sigquit-crash.txt': {
		goroutines: 45,
		states: {
			'chan receive': 20,
			'IO wait': 4,
			semacquire: 4,
			'chan send': 3,
			'select (no cases)': 2,
			runnable: 2,
			syscall: 1,
			'force gc (idle)': 1,
			'GC sweep wait': 1,
			'GC scavenge wait': 1,
			'finalizer wait': 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.Cond.Wait': 1,
			sleep: 1,
		},
		locked: [44, 45],
		createdBy: 44,
		inGoroutine: 0,
		elided: [37],
		preamble: 'SIGQUIT: quit\nPC=0x403a2c m=0 sigcode=0',
		samples: [
			{id: 43, header: 'syscall', top: 'syscall.Syscall', frames: 6, createdBy: 'main.main'},
			{id: 37, header: 'chan receive', top: 'runtime.gopark', frames: 100, createdBy: 'main.main', elided: 'additional'},
			{id: 44, header: 'chan receive, locked to thread', top: 'runtime.gopark', frames: 6, createdBy: 'main.main'},
		],
	},
	'go1.19-panic-gotraceback-all.txt': {
		goroutines: 39,
		states: {
			'chan receive': 20,
			semacquire: 4,
			'chan send': 3,
			'IO wait': 3,
			'select (no cases)': 2,
			running: 1,
			select: 1,
			'chan receive (nil chan)': 1,
			'chan send (nil chan)': 1,
			'sync.Cond.Wait': 1,
			sleep: 1,
			syscall: 1,
		},
		locked: [44, 45],
		createdBy: 38,
		inGoroutine: 0,
		elided: [],
		preamble: 'panic: boom: xxx',
		samples: [
			{id: 1, header: 'running', top: 'main.crash', frames: 2},
			{id: 37, header: 'chan receive', top: 'main.deep', frames: 97, createdBy: 'main.main'},
			{id: 44, header: 'chan receive, locked to thread', top: 'main.lockedThreadWaiter', frames: 1, createdBy: 'main.main'},
			{id: 32, header: 'chan receive', top: 'main.(*Pool[...]).Get', frames: 1, createdBy: 'main.main'},
			{id: 43, header: 'syscall', top: 'syscall.Syscall', frames: 4, createdBy: 'main.main'},
			{id: 19, header: 'chan send', top: 'main.main.func3', frames: 1, createdBy: 'main.main'},
		],
	},
	'go1.19-panic-nil-deref-sigsegv.txt': {
		goroutines: 1,
		states: {running: 1},
		locked: [],
		createdBy: 0,
		inGoroutine: 0,
		elided: [],
		preamble: 'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6771a0]',
		samples: [{id: 1, header: 'running', top: 'main.nilDeref', frames: 3}],
	},
	'go1.19-fatal-deadlock.txt': {
		goroutines: 4,
		states: {'chan receive': 2, semacquire: 1, 'chan send': 1},
		locked: [],
		createdBy: 3,
		inGoroutine: 0,
		elided: [],
		preamble: 'fatal error: all goroutines are asleep - deadlock!',
		samples: [
			{id: 1, header: 'chan receive', top: 'main.crash', frames: 2},
			{id: 19, header: 'semacquire', top: 'sync.runtime_Semacquire', frames: 3, createdBy: 'main.main'},
			{id: 20, header: 'chan send', top: 'main.Map[...]', frames: 1, createdBy: 'main.main'},
			{id: 18, header: 'chan receive', top: 'main.main.func1', frames: 1, createdBy: 'main.main'},
		],
	},
	'go1.19-cgo-callbacks.debug2.txt': {
		goroutines: 6,
		states: {'chan receive': 2, running: 1, 'IO wait': 1, syscall: 1, runnable: 1},
		locked: [20, 21],
		createdBy: 5,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 5, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 9, createdBy: 'net/http.(*Server).Serve'},
			{id: 1, header: 'IO wait', top: 'internal/poll.runtime_pollWait', frames: 10},
			{id: 20, header: 'chan receive, locked to thread', top: 'main.goCallback', frames: 3, createdBy: 'main.main'},
			{id: 19, header: 'syscall', top: 'main._Cfunc_sleepInC', frames: 2, createdBy: 'main.main'},
		],
	},
	'go1.15-gostackparse-waitsince.debug2.txt': {
		goroutines: 9,
		states: {sleep: 3, 'IO wait': 3, running: 1, 'chan receive': 1, select: 1},
		minutes: {1: 8, 0: 1},
		locked: [],
		createdBy: 8,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 1, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 6},
			{id: 41, header: 'IO wait, 1 minutes', top: 'internal/poll.runtime_pollWait', frames: 15, createdBy: 'net/http.(*Server).Serve'},
			{id: 22, header: 'sleep, 1 minutes', top: 'time.Sleep', frames: 2, createdBy: 'main.indirectShortSleepLoop2'},
			{id: 6, header: 'chan receive, 1 minutes', top: 'main.chanReceiveForever', frames: 1, createdBy: 'main.main'},
		],
	},
	'go1.15-gostackparse-frameselided.debug2.txt': {
		goroutines: 1,
		states: {running: 1},
		locked: [],
		createdBy: 0,
		inGoroutine: 0,
		elided: [1],
		samples: [{id: 1, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 100, elided: 'additional'}],
	},
	'go1.15-gostackparse-frameselided-goroutine.debug2.txt': {
		goroutines: 2,
		states: {running: 1, 'chan receive': 1},
		locked: [],
		createdBy: 1,
		inGoroutine: 0,
		elided: [18],
		samples: [{id: 18, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 100, createdBy: 'main.main', elided: 'additional'}],
	},
	'go1.15-gostackparse-cgo.debug2.txt': {
		goroutines: 3,
		states: {running: 1, syscall: 1, sleep: 1},
		locked: [7],
		createdBy: 2,
		inGoroutine: 0,
		elided: [],
		samples: [
			{id: 1, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 4},
			{id: 7, header: 'sleep, locked to thread', top: 'time.Sleep', frames: 5, createdBy: 'main.main'},
			{id: 6, header: 'syscall', top: 'main._Cfunc_c_sleep_loop', frames: 2, createdBy: 'main.main'},
		],
	},
	'go1.15-gostackparse-lockedm-panic.txt': {
		goroutines: 1,
		states: {running: 1},
		locked: [7],
		createdBy: 1,
		inGoroutine: 0,
		elided: [],
		samples: [{id: 7, header: 'running, locked to thread', top: 'testing.tRunner.func1.1', frames: 5, createdBy: 'testing.(*T).Run'}],
	},
	'go1.15-gostackparse-windows-path.txt': {
		goroutines: 1,
		states: {running: 1},
		locked: [],
		createdBy: 0,
		inGoroutine: 0,
		elided: [],
		samples: [{id: 1, header: 'running', top: 'runtime/pprof.writeGoroutineStacks', frames: 1}],
	},
	'go1.21-gostackparse-created-in-goroutine.txt': {
		goroutines: 2,
		states: {running: 1, semacquire: 1},
		locked: [],
		createdBy: 1,
		inGoroutine: 1,
		elided: [],
		samples: [
			{id: 18, header: 'running', top: 'main.printStack', frames: 2, createdBy: 'main.main', parentId: 1},
			{id: 1, header: 'semacquire', top: 'sync.runtime_Semacquire', frames: 3},
		],
	},
	'go1.1x-gostackparse-tracebackancestors.txt': {
		goroutines: 3,
		states: {'chan receive': 2, running: 1},
		locked: [],
		createdBy: 2,
		inGoroutine: 0,
		elided: [],
		ancestorBlocks: 10,
		withAncestors: 2,
		samples: [
			{id: 1, header: 'running', top: 'main.stackAll', frames: 2},
			{id: 25, header: 'chan receive', top: 'main.bar', frames: 2, createdBy: 'main.d1', ancestors: 6},
		],
	},
};

function histogram<T extends string | number>(values: T[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
}

function checkSample(g: Goroutine, sample: Sample): void {
	assert.equal(g.rawState, sample.header, `goroutine ${sample.id} header state`);
	assert.equal(g.frames[0]?.func, sample.top, `goroutine ${sample.id} top frame`);
	assert.equal(g.frames.length, sample.frames, `goroutine ${sample.id} frames`);
	assert.equal(g.createdBy?.func, sample.createdBy, `goroutine ${sample.id} created by`);
	assert.equal(g.createdBy?.parentId, sample.parentId, `goroutine ${sample.id} parent`);
	if (sample.elided === 'additional') assert.deepEqual(g.elided, {at: sample.frames}, `goroutine ${sample.id} elision`);
	else assert.equal(g.elided, undefined, `goroutine ${sample.id} elision`);
	assert.equal(g.ancestors?.length, sample.ancestors, `goroutine ${sample.id} ancestors`);
	if (sample.createdBy) {
		assert.ok(g.createdBy!.file.endsWith('.go'), `goroutine ${sample.id} created-by file`);
		assert.ok(g.createdBy!.line > 0, `goroutine ${sample.id} created-by line`);
	}
	assert.equal(g.truncated, undefined);
}

for (const [name, facts] of Object.entries(tracebacks)) {
	test(`${name} parses to the README's facts`, () => {
		const dump: Dump = parseDump(read(name));
		assert.equal(dump.kind, 'traceback');
		assert.equal(dump.truncated, false);
		assert.deepEqual(dump.records, []);
		const gs = dump.goroutines;
		assert.equal(gs.length, facts.goroutines, 'goroutines');
		assert.equal(new Set(gs.map(g => g.id)).size, gs.length, 'ids unique');
		assert.deepEqual(histogram(gs.map(g => g.rawState.split(', ')[0]!)), facts.states, 'state histogram');
		// No fixture has (scan)/(leaked)/labels: the parsed state is the bracket text before the first `, `.
		for (const g of gs) assert.equal(g.state, g.rawState.split(', ')[0]);
		if (facts.minutes) assert.deepEqual(histogram(gs.map(g => g.waitMinutes)), facts.minutes, 'wait minutes');
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
		assert.deepEqual(
			gs.filter(g => g.elided).map(g => g.id),
			facts.elided,
			'elision markers',
		);
		assert.equal(
			gs.reduce((n, g) => n + (g.ancestors?.length ?? 0), 0),
			facts.ancestorBlocks ?? 0,
			'ancestor blocks',
		);
		assert.equal(gs.filter(g => g.ancestors).length, facts.withAncestors ?? 0, 'goroutines with ancestors');
		assert.equal(dump.preamble, facts.preamble, 'preamble');
		for (const sample of facts.samples) {
			const g = gs.find(candidate => candidate.id === sample.id);
			assert.ok(g, `goroutine ${sample.id} present`);
			checkSample(g, sample);
		}
		// Every frame got its file line.
		for (const g of gs) for (const frame of g.frames) assert.ok(frame.file !== '' && frame.line > 0, `${g.id} ${frame.func} has a location`);
	});
}

interface ProfileFacts {
	total: number;
	records: number;
	labelled: number;
	zeroFrames: number;
	largest: Array<[count: number, top: string, frames: number]>;
	maxFrames: number;
}

const profiles: Record<string, ProfileFacts> = {
	'go1.19-statezoo-labels.debug1.txt': {
		total: 42,
		records: 41,
		labelled: 7,
		zeroFrames: 1,
		largest: [
			[2, 'internal/poll.runtime_pollWait', 7],
			[1, 'runtime/pprof.runtime_goroutineProfileWithLabels', 10],
			[1, 'main.spinner', 1],
		],
		maxFrames: 29,
	},
	'go1.19-big-1642-goroutines.debug1.txt': {
		total: 1642,
		records: 51,
		labelled: 7,
		zeroFrames: 0,
		largest: [
			[400, 'main.poolWorkers.func1', 1],
			[400, 'main.poolWorkers.func2', 1],
			[400, 'time.Sleep', 3],
		],
		maxFrames: 29,
	},
	'go1.22-videoserver-cgo-kafka.debug1.txt': {
		total: 485,
		records: 20,
		labelled: 0,
		zeroFrames: 1,
		largest: [
			[118, 'syscall.Syscall6', 8],
			[117, 'github.com/confluentinc/confluent-kafka-go/v2/kafka._Cfunc_rd_kafka_flush', 3],
			[110, 'video_server/stream.(*chanWriter).Write', 9],
		],
		maxFrames: 15,
	},
};

for (const [name, facts] of Object.entries(profiles)) {
	test(`${name} parses to the README's debug=1 facts`, () => {
		const dump = parseDump(read(name));
		assert.equal(dump.kind, 'profile');
		assert.equal(dump.profileName, 'goroutine');
		assert.equal(dump.profileTotal, facts.total);
		assert.deepEqual(dump.goroutines, []);
		const records = dump.records;
		assert.equal(records.length, facts.records, 'records');
		assert.equal(
			records.reduce((n, r) => n + r.count, 0),
			facts.total,
			'sum of counts',
		);
		const labelled = records.filter(r => r.labels);
		assert.equal(labelled.length, facts.labelled, 'labelled records');
		assert.equal(
			labelled.reduce((n, r) => n + r.count, 0),
			facts.labelled,
			'labelled goroutines',
		);
		assert.equal(records.filter(r => r.frames.length === 0).length, facts.zeroFrames, 'records without frames');
		assert.equal(Math.max(...records.map(r => r.frames.length)), facts.maxFrames, 'max frames');
		const largest = [...records]
			.sort((a, b) => b.count - a.count)
			.slice(0, 3)
			.map(r => [r.count, r.frames[0]?.func, r.frames.length]);
		assert.deepEqual(largest, facts.largest, 'largest records');
		for (const record of records) {
			assert.ok(record.pcs.length > 0 && record.pcs.every(pc => /^0x[0-9a-f]+$/.test(pc)), 'pcs');
			for (const frame of record.frames) {
				assert.match(frame.pc ?? '', /^0x[0-9a-f]+$/);
				assert.ok(frame.file.length > 0 && frame.line > 0, `${frame.func} location`);
				assert.ok(frame.pcOffset !== undefined, `${frame.func} offset`);
			}
		}
	});
}

test('debug=1 labels are Go-unquoted, raw UTF-8 kept', () => {
	const dump = parseDump(read('go1.19-statezoo-labels.debug1.txt'));
	const labels = dump.records.map(r => r.labels).filter(Boolean);
	assert.deepEqual(labels[0], {emoji: 'héllo wörld', query: 'select "x", \'y\' from t where a=1'});
	assert.deepEqual(labels[1], {handler: '/api/v1/export', tenant: 'acme', worker: '0'});
});

test('debug=1 frame lines split on tab runs into pc, func+offset, file:line', () => {
	const dump = parseDump(read('go1.19-statezoo-labels.debug1.txt'));
	assert.deepEqual(dump.records[0]?.frames[3], {
		func: 'internal/poll.(*FD).Read',
		args: '',
		inlined: false,
		file: '/usr/lib/go-1.19/src/internal/poll/fd_unix.go',
		line: 167,
		pc: '0x4b1d27',
		pcOffset: 0x247,
	});
	assert.equal(dump.records[0]?.count, 2);
	assert.equal(dump.records[0]?.pcs.length, 10);
});

test('the debug=0 gzip protobuf is recognised, not decoded', () => {
	const bytes = read('go1.19-statezoo.debug0.pb.gz');
	assert.equal(bytes.length, 3559);
	assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b]);
	const dump = parseDump(bytes);
	assert.equal(dump.kind, 'protobuf');
	assert.equal(dump.bytes, 3559);
	assert.deepEqual(dump.goroutines, []);
	assert.deepEqual(dump.records, []);
});

test('frames carry args, inlined flag, file, line and pc offset as printed', () => {
	const gs = parseDump(read('go1.19-statezoo-all-states.debug2.txt')).goroutines;
	const byId = (id: number): Goroutine => gs.find(g => g.id === id)!;
	// goroutine 25: a mutex wait with the inlined Lock frame (file line without +0x).
	assert.deepEqual(
		byId(25).frames.map(f => f.func),
		['sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'main.(*Server).handleLocked'],
	);
	const lock = byId(25).frames[2]!;
	assert.equal(lock.inlined, true);
	assert.equal(lock.args, '...');
	assert.equal(lock.pcOffset, undefined);
	assert.equal(lock.file, '/usr/lib/go-1.19/src/sync/mutex.go');
	assert.ok(lock.line > 0);
	assert.equal(byId(14).state, 'runnable');
	assert.equal(byId(14).frames[0]?.func, 'main.spinner');
	assert.ok(byId(28).frames.some(f => f.func === 'sync.(*WaitGroup).Wait'));
	assert.equal(byId(28).state, 'semacquire');
	assert.ok(byId(26).frames.some(f => f.func === 'sync.(*RWMutex).RLock' && f.inlined));
	assert.ok(byId(26).frames.some(f => f.func === 'main.(*Server).readSnapshot'));
	assert.equal(byId(48).frames[0]?.func, 'main.closures.func1.1.1');
	assert.equal(byId(48).createdBy?.func, 'main.closures.func1.1');
	// goroutine 36: args truncated with `, ...`; 31: nested braces.
	assert.ok(byId(36).frames[0]!.args.endsWith(', ...'));
	assert.deepEqual(byId(31).frames[0], {
		func: 'main.Server.valueReceiver',
		args: '{{0x1, 0x0}, {{0x1, 0x0}, 0x0, 0x0, 0xc0000000, 0x0}, 0xc0000da980, 0xc0000822a0}, ...',
		inlined: false,
		file: '/home/dev/statezoo/main.go',
		line: 63,
		pcOffset: 0x27,
	});
	// goroutine 50 has not started: entry frame without +0x, runtime.goexit printed.
	const fifty = byId(50);
	assert.equal(fifty.frames[0]?.pcOffset, undefined);
	assert.equal(fifty.frames.at(-1)?.func, 'runtime.goexit');
	const top = byId(49).frames[0]!;
	assert.equal(top.file, '/usr/lib/go-1.19/src/runtime/pprof/pprof.go');
	assert.ok(top.pcOffset !== undefined && top.pcOffset > 0);
});

test('paths: relative (-trimpath), cgo, Windows drive, <autogenerated>', () => {
	const trim = parseDump(read('go1.19-trimpath-relative-paths.debug2.txt')).goroutines;
	assert.ok(trim.some(g => g.frames.some(f => f.file === 'runtime/pprof/pprof.go')));
	assert.ok(trim.some(g => g.frames.some(f => f.file === 'example.com/statezoo/main.go')));
	const cgo = parseDump(read('go1.19-cgo-callbacks.debug2.txt')).goroutines.find(g => g.id === 19)!;
	assert.deepEqual(cgo.frames[0], {func: 'main._Cfunc_sleepInC', args: '0xe10', inlined: false, file: '_cgo_gotypes.go', line: 58, pcOffset: 0x45});
	const windows = parseDump(read('go1.15-gostackparse-windows-path.txt')).goroutines[0]!;
	assert.deepEqual(windows.frames[0], {
		func: 'runtime/pprof.writeGoroutineStacks',
		args: '0x14e5940, 0xc0000abc50, 0x101b8a5, 0xc000333d20',
		inlined: false,
		file: 'C:/Users/felixge/pprof.go',
		line: 693,
		pcOffset: 0x9f,
	});
	const sigquit = parseDump(read('go1.19-sigquit-crash.txt')).goroutines;
	assert.ok(sigquit.some(g => g.frames.some(f => f.file === '<autogenerated>' && f.line === 1)));
	// fp=/sp=/pc= after the offset do not leak into the location.
	const syscall = sigquit.find(g => g.id === 43)!.frames[0]!;
	assert.deepEqual([syscall.file, syscall.line, syscall.pcOffset], ['/usr/lib/go-1.19/src/syscall/syscall_linux.go', 68, 0x27]);
});

test('the panicking frame of a signal panic has no pc offset', () => {
	const g = parseDump(read('go1.19-panic-nil-deref-sigsegv.txt')).goroutines[0]!;
	assert.deepEqual(g.frames[0], {func: 'main.nilDeref', args: '0xbebc200?', inlined: false, file: '/home/dev/statezoo/main.go', line: 195});
	assert.equal(g.frames[1]?.pcOffset, 0x8c);
});

test('ancestor blocks stay inside their goroutine with their own frames and created by', () => {
	const g = parseDump(read('go1.1x-gostackparse-tracebackancestors.txt')).goroutines.find(candidate => candidate.id === 25)!;
	const first = g.ancestors![0]!;
	assert.equal(first.id, 24);
	assert.equal(first.frames.length, 8);
	assert.deepEqual(first.frames[0], {
		func: 'main.d1',
		args: '...',
		inlined: true,
		file: '/Users/eric/Downloads/gostackparse/test-fixtures/ancestors.go',
		line: 70,
		pcOffset: 0x34,
	});
	assert.equal(first.createdBy?.func, 'main.d1');
	assert.equal(g.createdBy?.func, 'main.d1');
	assert.equal(g.frames.length, 2);
});

test('the sigquit register dump and the panic preambles are skipped, not frames', () => {
	const dump = parseDump(read('go1.19-sigquit-crash.txt'));
	assert.equal(dump.skippedLines, 2 + 21);
	const last = dump.goroutines.at(-1)!;
	assert.equal(last.id, 14);
	assert.equal(last.createdBy?.func, 'main.main');
	assert.equal(last.frames.at(-1)?.func, 'runtime.goexit');
});
