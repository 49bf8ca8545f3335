import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {baseState, canonicalState, classifyState, isBlockingClass, isWaitingState, neverWakes} from '../../source/dump/classify.ts';
import {parseDump} from '../../source/dump/parse.ts';
import type {Frame, Goroutine} from '../../source/dump/types.ts';
import {isUserFunc, packageOf, userFrame, whereFrame} from '../../source/dump/user-frame.ts';

const dumps = new URL('../fixtures/dumps/', import.meta.url);
const load = (name: string): Goroutine[] => parseDump(readFileSync(new URL(name, dumps), 'utf8')).goroutines;

const frame = (func: string, line = 1): Frame => ({func, args: '', inlined: false, file: '/x.go', line});

test('channel waits, selects and nil-channel waits are the channel class', () => {
	for (const state of ['chan send', 'chan receive', 'chan send (nil chan)', 'chan receive (nil chan)', 'select', 'select (no cases)']) {
		assert.equal(classifyState(state), 'channel', state);
	}
});

test('sync waits are the sync class under their Go 1.20+ and 1.24+ names', () => {
	for (const state of ['sync.Mutex.Lock', 'sync.RWMutex.RLock', 'sync.RWMutex.Lock', 'sync.WaitGroup.Wait', 'sync.Cond.Wait']) {
		assert.equal(classifyState(state), 'sync', state);
	}
});

test('synctest (1.24) and durable (1.25) suffixes classify like the plain wait reason', () => {
	assert.equal(classifyState('chan send (synctest)'), 'channel');
	assert.equal(classifyState('chan receive (durable)'), 'channel');
	assert.equal(classifyState('select (durable)'), 'channel');
	assert.equal(classifyState('sync.WaitGroup.Wait (durable)'), 'sync');
	assert.equal(baseState('chan send (durable)'), 'chan send');
	assert.equal(baseState('chan receive (nil chan)'), 'chan receive (nil chan)');
	assert.equal(baseState('chan send (leaked)'), 'chan send');
	assert.equal(baseState('select, 5 minutes, locked to thread'), 'select');
});

test('GC and runtime housekeeping waits are the runtime class', () => {
	for (const state of [
		'GC worker (idle)',
		'GC sweep wait',
		'GC scavenge wait',
		'finalizer wait',
		'force gc (idle)',
		'cleanup wait',
		'GOMAXPROCS updater (idle)',
		'trace reader (blocked)',
		'wait for GC cycle',
		'GC weak to strong wait',
		'stopping the world',
	]) {
		assert.equal(classifyState(state), 'runtime', state);
	}
});

test('io, sleep and on-CPU states have their own classes; unknown ones never throw', () => {
	assert.equal(classifyState('IO wait'), 'io');
	assert.equal(classifyState('sleep'), 'sleep');
	assert.equal(classifyState('running'), 'running');
	assert.equal(classifyState('runnable'), 'running');
	assert.equal(classifyState('syscall'), 'running');
	assert.equal(classifyState('chan frobnicate (future)'), 'channel');
	assert.equal(classifyState('waiting'), 'other');
	assert.equal(classifyState(''), 'other');
});

test('semacquire is refined by its frames: sync primitive, fd lock, or runtime semaphore', () => {
	assert.equal(classifyState('semacquire', [frame('sync.runtime_SemacquireMutex'), frame('sync.(*Mutex).lockSlow'), frame('main.f')]), 'sync');
	assert.equal(classifyState('semacquire', [frame('internal/poll.runtime_Semacquire'), frame('internal/poll.(*fdMutex).rwlock'), frame('main.f')]), 'io');
	assert.equal(classifyState('semacquire', [frame('runtime.semacquire1'), frame('runtime.gcMarkDone')]), 'runtime');
	assert.equal(classifyState('semacquire'), 'sync');
});

test('semacquire in a real Go 1.19 dump is the sync class and gets its modern name from the frames', () => {
	const gs = load('go1.19-statezoo-all-states.debug2.txt');
	const byId = new Map(gs.map(g => [g.id, g]));
	const mutex = byId.get(25)!;
	const rlock = byId.get(26)!;
	const wg = byId.get(28)!;
	const once = byId.get(30)!;
	for (const g of [mutex, rlock, wg, once]) {
		assert.equal(g.state, 'semacquire');
		assert.equal(classifyState(g.state, g.frames), 'sync');
	}
	assert.equal(canonicalState(mutex.state, mutex.frames), 'sync.Mutex.Lock');
	assert.equal(canonicalState(rlock.state, rlock.frames), 'sync.RWMutex.RLock');
	assert.equal(canonicalState(wg.state, wg.frames), 'sync.WaitGroup.Wait');
	assert.equal(canonicalState(once.state, once.frames), 'sync.Mutex.Lock');
	assert.equal(canonicalState('chan send', mutex.frames), 'chan send');
});

test('every goroutine of the state zoo lands in the class its wait reason means', () => {
	const counts: Record<string, number> = {};
	for (const g of load('go1.19-statezoo-all-states.debug2.txt')) {
		const c = classifyState(g.state, g.frames);
		counts[c] = (counts[c] ?? 0) + 1;
	}
	// chan receive 20 + chan send 3 + select 1 + select (no cases) 2 + nil chan 2 = 28;
	// semacquire 4 + sync.Cond.Wait 1 = 5; IO wait 4; sleep 1; running 1 + runnable 2 + syscall 1 = 4.
	assert.deepEqual(counts, {channel: 28, sync: 5, io: 4, sleep: 1, running: 4});
});

test('blocking, waiting and never-waking helpers', () => {
	assert.ok(isBlockingClass('channel'));
	assert.ok(isBlockingClass('sync'));
	assert.ok(!isBlockingClass('io'));
	assert.ok(!isBlockingClass('runtime'));
	assert.ok(isWaitingState('chan send, 2 minutes'));
	assert.ok(isWaitingState('syscall'));
	assert.ok(!isWaitingState('running'));
	assert.ok(!isWaitingState('runnable'));
	assert.ok(neverWakes('chan receive (nil chan)'));
	assert.ok(neverWakes('select (no cases)'));
	assert.ok(!neverWakes('select'));
});

test('packageOf cuts at the first dot after the last slash', () => {
	assert.equal(packageOf('github.com/ledgerwatch/erigon/p2p.(*Peer).run'), 'github.com/ledgerwatch/erigon/p2p');
	assert.equal(packageOf('main.main.func1.2'), 'main');
	assert.equal(packageOf('main.(*Pool[...]).Get'), 'main');
	assert.equal(packageOf('net/http.(*conn).serve'), 'net/http');
	assert.equal(packageOf('gopkg.in/yaml%2ev2.Unmarshal'), 'gopkg.in/yaml%2ev2');
	assert.equal(packageOf('panic'), '');
});

test('user code is main, module paths and dot-less module roots; not runtime, stdlib or golang.org/x', () => {
	for (const func of [
		'main.main',
		'main.(*Server).handleLocked',
		'github.com/acme/svc/handlers.(*API).Search',
		'example.com/statezoo.worker',
		'myservice/handlers.Serve',
		'command-line-arguments.TestX',
	]) {
		assert.ok(isUserFunc(func), func);
	}
	for (const func of [
		'runtime.gopark',
		'runtime/pprof.writeGoroutineStacks',
		'net/http.(*conn).serve',
		'sync.(*Mutex).Lock',
		'internal/poll.(*FD).Accept',
		'vendor/golang.org/x/net/http2/hpack.(*Decoder).Write',
		'golang.org/x/sync/errgroup.(*Group).Wait',
		'panic',
		'time.Sleep',
	]) {
		assert.ok(!isUserFunc(func), func);
	}
});

test('userFrame finds the handler under sync frames; whereFrame falls back to the top frame', () => {
	const gs = load('go1.19-statezoo-all-states.debug2.txt');
	const byId = new Map(gs.map(g => [g.id, g]));
	assert.equal(userFrame(byId.get(25)!)?.func, 'main.(*Server).handleLocked');
	assert.equal(userFrame(byId.get(1)!)?.func, 'main.main');
	const syscall = byId.get(43)!;
	assert.equal(syscall.frames[0]!.func, 'syscall.Syscall');
	// The pprof handler goroutine has no user frame at all.
	const pprof = byId.get(49)!;
	assert.equal(userFrame(pprof), undefined);
	assert.equal(whereFrame(pprof)?.func, 'runtime/pprof.writeGoroutineStacks');
	assert.equal(whereFrame({frames: []}), undefined);
});
