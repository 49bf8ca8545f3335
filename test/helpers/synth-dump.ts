// Realistic Go 1.19-style `?debug=2` dumps of any size, for tests and benches. Like a real service,
// goroutines share a limited set of stacks (worker pools, connections, timers) while their args,
// ids and wait times differ — so interning, grouping and memory behave as they would in the wild.
// Deterministic for a given seed.
import {closeSync, openSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {prng} from '../../source/fetch/demo/prng.ts';

export interface SynthDumpOptions {
	goroutines: number;
	seed?: number;
	/** Distinct stacks to draw from (default 300). */
	stacks?: number;
}

export {prng} from '../../source/fetch/demo/prng.ts';

interface TemplateFrame {
	func: string;
	file: string;
	line: number;
	offset: number;
	inlined: boolean;
	argCount: number;
	/** Args printed the same by every goroutine of this stack (Go ≥1.18 prints stale register args as `0x0?`, shared channels as the same pointer); undefined: they differ per goroutine. */
	fixedArgs?: string;
}

interface Template {
	state: string;
	frames: TemplateFrame[];
	createdBy: {func: string; file: string; line: number; offset: number};
	locked: boolean;
}

const GOROOT = '/usr/local/go/src';
const MODULES = [
	['github.com/acme/orders', '/app'],
	['github.com/acme/orders/internal/billing', '/app/internal/billing'],
	['github.com/acme/orders/internal/store', '/app/internal/store'],
	['github.com/acme/orders/pkg/queue', '/app/pkg/queue'],
	['google.golang.org/grpc/internal/transport', '/go/pkg/mod/google.golang.org/grpc@v1.58.3/internal/transport'],
	['github.com/jackc/pgx/v5/pgconn', '/go/pkg/mod/github.com/jackc/pgx/v5@v5.4.3/pgconn'],
	['github.com/segmentio/kafka-go', '/go/pkg/mod/github.com/segmentio/kafka-go@v0.4.42'],
	['go.opentelemetry.io/otel/sdk/trace', '/go/pkg/mod/go.opentelemetry.io/otel/sdk@v1.19.0/trace'],
] as const;
const TYPES = ['Worker', 'Pool', 'Conn', 'Server', 'Client', 'batcher', 'Consumer', 'http2Client', 'loopyWriter', 'Store'];
const METHODS = ['run', 'loop', 'Serve', 'handle', 'process', 'flush', 'Read', 'Write', 'dispatch', 'Get', 'wait', 'poll', 'reader', 'keepalive'];
const FILES = ['worker.go', 'pool.go', 'conn.go', 'server.go', 'client.go', 'batch.go', 'consumer.go', 'http2_client.go', 'controlbuf.go', 'store.go'];

const TOPS: Record<string, TemplateFrame[][]> = {
	'IO wait': [
		[
			{func: 'internal/poll.runtime_pollWait', file: `${GOROOT}/runtime/netpoll.go`, line: 305, offset: 0x89, inlined: false, argCount: 2},
			{func: 'internal/poll.(*pollDesc).wait', file: `${GOROOT}/internal/poll/fd_poll_runtime.go`, line: 84, offset: 0x32, inlined: false, argCount: 3},
			{func: 'internal/poll.(*pollDesc).waitRead', file: `${GOROOT}/internal/poll/fd_poll_runtime.go`, line: 89, offset: 0, inlined: true, argCount: 0},
			{func: 'internal/poll.(*FD).Read', file: `${GOROOT}/internal/poll/fd_unix.go`, line: 167, offset: 0x25a, inlined: false, argCount: 2},
			{func: 'net.(*netFD).Read', file: `${GOROOT}/net/fd_posix.go`, line: 55, offset: 0x29, inlined: false, argCount: 2},
			{func: 'net.(*conn).Read', file: `${GOROOT}/net/net.go`, line: 183, offset: 0x45, inlined: false, argCount: 2},
			{func: 'bufio.(*Reader).Read', file: `${GOROOT}/bufio/bufio.go`, line: 237, offset: 0x1bb, inlined: false, argCount: 2},
		],
	],
	semacquire: [
		[
			{func: 'sync.runtime_SemacquireMutex', file: `${GOROOT}/runtime/sema.go`, line: 77, offset: 0x25, inlined: false, argCount: 3},
			{func: 'sync.(*Mutex).lockSlow', file: `${GOROOT}/sync/mutex.go`, line: 171, offset: 0x165, inlined: false, argCount: 1},
			{func: 'sync.(*Mutex).Lock', file: `${GOROOT}/sync/mutex.go`, line: 90, offset: 0, inlined: true, argCount: 0},
		],
		[
			{func: 'sync.runtime_Semacquire', file: `${GOROOT}/runtime/sema.go`, line: 62, offset: 0x25, inlined: false, argCount: 1},
			{func: 'sync.(*WaitGroup).Wait', file: `${GOROOT}/sync/waitgroup.go`, line: 139, offset: 0x52, inlined: false, argCount: 1},
		],
	],
	sleep: [[{func: 'time.Sleep', file: `${GOROOT}/runtime/time.go`, line: 195, offset: 0x135, inlined: false, argCount: 1}]],
	syscall: [
		[
			{func: 'syscall.Syscall', file: `${GOROOT}/syscall/syscall_linux.go`, line: 68, offset: 0x27, inlined: false, argCount: 4},
			{func: 'syscall.read', file: `${GOROOT}/syscall/zsyscall_linux_amd64.go`, line: 696, offset: 0x45, inlined: false, argCount: 2},
		],
	],
};

const STATES = [
	'chan receive',
	'chan receive',
	'chan receive',
	'select',
	'select',
	'IO wait',
	'IO wait',
	'semacquire',
	'sleep',
	'chan send',
	'runnable',
	'syscall',
];

function pick<T>(random: () => number, items: readonly T[]): T {
	return items[Math.floor(random() * items.length)]!;
}

function userFrame(random: () => number): TemplateFrame {
	const [pkg, dir] = pick(random, MODULES);
	const type = pick(random, TYPES);
	const method = pick(random, METHODS);
	const shape = random();
	const func =
		shape < 0.5 ? `${pkg}.(*${type}).${method}` : shape < 0.75 ? `${pkg}.${type}.${method}.func${1 + Math.floor(random() * 4)}` : `${pkg}.${method}${type}`;
	const inlined = random() < 0.08;
	return {
		func,
		file: `${dir}/${pick(random, FILES)}`,
		line: 20 + Math.floor(random() * 900),
		offset: inlined ? 0 : 0x20 + Math.floor(random() * 0x400),
		inlined,
		argCount: Math.floor(random() * 4),
	};
}

function makeTemplate(random: () => number): Template {
	const state = pick(random, STATES);
	const depth = 5 + Math.floor(random() * 36);
	const tops = TOPS[state];
	const frames: TemplateFrame[] = tops ? [...pick(random, tops)] : [];
	while (frames.length < depth) frames.push(userFrame(random));
	// As in real dumps (see the 1642-goroutine fixture: 5432 function lines, 188 distinct), most
	// frames print identical args in every goroutine of a pool; about a quarter carry per-goroutine pointers.
	for (const [i, frame] of frames.entries()) {
		if (random() < 0.75) frames[i] = {...frame, fixedArgs: args(random, frame.argCount)};
	}
	const root = userFrame(random);
	return {
		state,
		frames: frames.slice(0, depth),
		createdBy: {func: root.func, file: root.file, line: root.line, offset: 0x40 + Math.floor(random() * 0x300)},
		locked: random() < 0.01,
	};
}

const RUNNING: Template = {
	state: 'running',
	frames: [
		{func: 'runtime/pprof.writeGoroutineStacks', file: `${GOROOT}/runtime/pprof/pprof.go`, line: 692, offset: 0x70, inlined: false, argCount: 1},
		{func: 'runtime/pprof.writeGoroutine', file: `${GOROOT}/runtime/pprof/pprof.go`, line: 681, offset: 0x2b, inlined: false, argCount: 2},
		{func: 'runtime/pprof.(*Profile).WriteTo', file: `${GOROOT}/runtime/pprof/pprof.go`, line: 330, offset: 0x14b, inlined: false, argCount: 3},
		{func: 'net/http/pprof.handler.ServeHTTP', file: `${GOROOT}/net/http/pprof/pprof.go`, line: 253, offset: 0x4a5, inlined: false, argCount: 3},
		{func: 'net/http.(*conn).serve', file: `${GOROOT}/net/http/server.go`, line: 1995, offset: 0x612, inlined: false, argCount: 2},
	],
	createdBy: {func: 'net/http.(*Server).Serve', file: `${GOROOT}/net/http/server.go`, line: 3089, offset: 0x5ed},
	locked: false,
};

function hex(random: () => number): string {
	return (
		'0xc000' +
		Math.floor(random() * 0xffffff)
			.toString(16)
			.padStart(6, '0')
	);
}

function args(random: () => number, count: number): string {
	if (count === 0) return '';
	let out = '';
	for (let i = 0; i < count; i++) {
		if (i > 0) out += ', ';
		const kind = random();
		out +=
			kind < 0.45
				? hex(random) + (kind < 0.25 ? '?' : '')
				: kind < 0.7
					? `{${hex(random)}, 0x${Math.floor(random() * 64).toString(16)}}`
					: kind < 0.9
						? '0x0?'
						: '0x0';
	}
	return out;
}

function block(random: () => number, id: number, t: Template): string {
	let header = t.state;
	if (t.state !== 'running' && t.state !== 'runnable' && random() < 0.3) header += `, ${1 + Math.floor(random() * 90)} minutes`;
	if (t.locked) header += ', locked to thread';
	let text = `goroutine ${id} [${header}]:\n`;
	for (const f of t.frames) {
		text += f.inlined
			? `${f.func}(...)\n\t${f.file}:${f.line}\n`
			: `${f.func}(${f.fixedArgs ?? args(random, f.argCount)})\n\t${f.file}:${f.line} +0x${f.offset.toString(16)}\n`;
	}
	const c = t.createdBy;
	text += `created by ${c.func}\n\t${c.file}:${c.line} +0x${c.offset.toString(16)}\n`;
	return text;
}

/**
 * The dump as pieces of about `chunkChars` characters (whole goroutine blocks), so a 250 MB dump
 * never has to exist as one string. Joined, the pieces are exactly `synthDump(options)`.
 */
export function* synthDumpChunks(options: SynthDumpOptions, chunkChars = 1 << 16): Generator<string> {
	const random = prng(options.seed ?? 1);
	const templates: Template[] = [];
	for (let i = 0; i < (options.stacks ?? 300); i++) templates.push(makeTemplate(random));
	let piece = '';
	for (let n = 0; n < options.goroutines; n++) {
		// Like Go: the caller of runtime.Stack comes first; ids are not in order.
		const id = n === 0 ? 1 + Math.floor(random() * 50) + options.goroutines * 6 : 1 + n + Math.floor(random() * 3) * options.goroutines * 2;
		piece += (n === 0 ? '' : '\n') + block(random, id, n === 0 ? RUNNING : pick(random, templates));
		if (piece.length >= chunkChars) {
			yield piece;
			piece = '';
		}
	}
	if (piece !== '') yield piece;
}

/** The whole dump as one string (fine up to tens of MB). */
export function synthDump(options: SynthDumpOptions): string {
	let text = '';
	for (const piece of synthDumpChunks(options)) text += piece;
	return text;
}

/** The dump of `options` written to `dir/synth-N.txt` piece by piece (a 100k dump is ~280 MiB); its path. */
export function writeSynthDump(dir: string, options: SynthDumpOptions): string {
	const file = join(dir, `synth-${options.goroutines}.txt`);
	const fd = openSync(file, 'w');
	try {
		for (const piece of synthDumpChunks(options)) writeSync(fd, piece);
	} finally {
		closeSync(fd);
	}
	return file;
}
