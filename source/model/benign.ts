// Goroutines every healthy Go service has, parked by design: never leak suspects, and hidden
// by --hide-idle. The lists follow what goleak ignores by default (testing internals,
// os/signal, runtime helpers) and what LeakProf treats as known false positives (the
// net/http server and client connection loops).
import {classifyState, type StateClass} from '../dump/classify.ts';
import type {Frame} from '../dump/types.ts';
import {isUserFunc} from '../dump/user-frame.ts';

// Any frame with one of these functions marks a connection or listener loop of net/http
// (and its x/net/http2 twin), or a stdlib housekeeping loop.
const loopFuncs = new Set([
	'net/http.(*conn).serve',
	'net/http.(*connReader).backgroundRead',
	'net/http.(*persistConn).readLoop',
	'net/http.(*persistConn).writeLoop',
	'net/http.(*http2serverConn).serve',
	'net/http.(*http2serverConn).readFrames',
	'net/http.(*http2ClientConn).readLoop',
	'net/http.(*http2clientConnReadLoop).run',
	'golang.org/x/net/http2.(*serverConn).serve',
	'golang.org/x/net/http2.(*serverConn).readFrames',
	'golang.org/x/net/http2.(*ClientConn).readLoop',
	'golang.org/x/net/http2.(*clientConnReadLoop).run',
	'os/signal.signal_recv',
	'os/signal.loop',
	'database/sql.(*DB).connectionOpener',
	'database/sql.(*DB).connectionResetter',
	// gmon's own request: the goroutine writing the dump it is reading.
	'runtime/pprof.writeGoroutineStacks',
]);

// gRPC's own goroutines are connection and stream loops, like net/http's above: per connection a
// transport reader, a keepalive loop, a loopy writer and callback serializers; per stream a
// context watcher; its health service's Watch handler waiting for the next status. They live as
// long as their connection or stream, and LeakProf-style they are known false positives: a frame
// of these packages is not the user's wait (a user frame below it still is: a client's own loop
// parked in Recv is the user's). The limit: a ClientConn never closed leaks goroutines that are
// all gRPC's, which this hides as a net/http response body never closed hides its persistConn loops.
const loopLibraries = ['google.golang.org/grpc.', 'google.golang.org/grpc/'];

function inLoopLibrary(func: string): boolean {
	return loopLibraries.some(prefix => func.startsWith(prefix));
}

/** A listener's accept: `IO wait` under internal/poll's Accept is an idle accept loop. */
function isAccept(frame: Frame): boolean {
	return frame.func === 'internal/poll.(*FD).Accept' || frame.func.endsWith('Listener).Accept') || frame.func === 'net.(*netFD).accept';
}

export type BenignReason = 'runtime' | 'accept loop' | 'connection loop' | 'testing' | 'own poll' | 'library';

/**
 * Why a goroutine in this state at this stack is known-benign, or undefined when it is not.
 * A select that also waits on a timer or ticker cannot be seen in the frames (the cases are
 * not printed); the tracker recognises those by behaviour instead (see tracker.ts, "periodic").
 */
export function benignReason(state: string, frames: readonly Frame[], stateClass: StateClass = classifyState(state, frames)): BenignReason | undefined {
	if (stateClass === 'runtime') return 'runtime';
	if (frames.length > 0 && frames.every(frame => frame.func.startsWith('runtime.') || frame.func === 'panic')) return 'runtime';
	const top = frames[0]?.func ?? '';
	// goleak's rule: goroutines whose top function is in package testing are the harness.
	if (top.startsWith('testing.')) return 'testing';
	// Innermost first: a handler parked in user code above net/http.(*conn).serve is the user's
	// wait, not the server's, so the first user frame ends the search.
	for (const frame of frames) {
		if (isUserFunc(frame.func) && !inLoopLibrary(frame.func)) return undefined;
		if (loopFuncs.has(frame.func)) return frame.func === 'runtime/pprof.writeGoroutineStacks' ? 'own poll' : 'connection loop';
		if (stateClass === 'io' && isAccept(frame)) return 'accept loop';
	}
	// Parked with no frame of the user's own code at all (a library's housekeeping loop, a
	// transport's reader): nothing there for the user to fix, and not where a leak is reported
	// (LeakProf reports only locations in the service's own code). Idle, not an alarm.
	if (frames.length > 0 && stateClass !== 'running' && stateClass !== 'other') return 'library';
	return undefined;
}
