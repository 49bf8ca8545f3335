// Offline dumps: a file (read once, or re-read on the interval with --watch so `kill -QUIT` output
// appended to a log shows up live) or stdin (`curl … | gmon -`). Streamed like the network body.
import {constants, createReadStream, openSync} from 'node:fs';
import {Socket} from 'node:net';
import {open, stat} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import {createDumpParser} from '../dump/parse.ts';
import {type ParseCache, parseCacheFor} from '../dump/parse-cache.ts';
import type {Dump} from '../dump/types.ts';
import {formatBytes, formatDuration} from '../text/units.ts';
import {noGoroutineRead} from '../dump/unparsed.ts';
import {noGoroutinesFault, PollFault} from './faults.ts';
import {HeadKeeper} from './first-line.ts';
import {MAX_RAW_BYTES, RawKeeper} from './raw-keeper.ts';
import {FileChunks} from './file-chunks.ts';
import type {DumpSource, FetchOutcome, FetchRequest} from './source.ts';
import {Yielder} from './yield.ts';

export interface FileSourceOptions {
	/** `--watch`: poll the file; unchanged files (same size and mtime) are not re-read. */
	watch?: boolean;
	maxBytes: number;
	/** --poll-timeout: the most one read may take (a FIFO or a slow pipe that never ends). Default: none. */
	deadlineMs?: number;
	now?: () => number;
}

const ioReasons: Record<string, string> = {
	ENOENT: 'no such file',
	EACCES: 'permission denied',
	EISDIR: 'it is a directory',
	EMFILE: 'too many open files',
};

export class FileSource implements DumpSource {
	readonly displayName: string;
	readonly repeats: boolean;
	readonly hasProfiles = false;
	private readonly path: string;
	private readonly options: FileSourceOptions;
	private seen?: {size: number; mtimeMs: number};
	/** With --watch the file is re-read every change: its stacks are learnt once, as the http source's are. */
	private parseCache: ParseCache | undefined;

	constructor(path: string, displayName: string, options: FileSourceOptions) {
		this.path = path;
		this.displayName = displayName;
		this.options = options;
		this.repeats = options.watch === true;
	}

	async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchOutcome | 'unchanged'> {
		let info: Awaited<ReturnType<typeof stat>>;
		try {
			info = await stat(this.path);
		} catch (error) {
			throw ioFault(this.displayName, error);
		}
		if (this.options.watch && this.seen && this.seen.size === info.size && this.seen.mtimeMs === info.mtimeMs) return 'unchanged';
		// A log can hold many dumps (each `kill -QUIT` of a supervised service appends one): read the last.
		// Only a regular file has an end to search up to: /dev/zero or a FIFO is read from its start,
		// under --max-bytes like a network body.
		let start = 0;
		let cutFront = false;
		if (info.isFile()) {
			try {
				start = await lastDumpStart(this.path, info.size, this.options.maxBytes, signal);
			} catch (error) {
				if (signal?.aborted) throw signal.reason;
				throw ioFault(this.displayName, error);
			}
			// Never more than --max-bytes: a huge last dump is read from its end, cut at the front.
			cutFront = info.size - start > this.options.maxBytes;
			if (cutFront) start = info.size - this.options.maxBytes;
		}
		// A FIFO or a device cannot seek: a start offset (even 0) makes the read fail with ESPIPE.
		// A FIFO is read through a pipe handle (non-blocking): a file-stream read of a silent FIFO blocks a
		// thread-pool thread that no deadline or signal can take back, and gmon could not exit.
		let stream: ChunkStream;
		try {
			stream = info.isFile() ? new FileChunks(this.path, start) : info.isFIFO() ? fifoStream(this.path) : createReadStream(this.path);
		} catch (error) {
			throw ioFault(this.displayName, error);
		}
		this.parseCache = parseCacheFor(this.parseCache, request.args ?? true);
		const outcome = await readDump(stream, this.displayName, request, this.options, signal, !this.repeats, this.parseCache);
		if (cutFront) outcome.result = {...outcome.result, truncated: true};
		this.seen = {size: info.size, mtimeMs: info.mtimeMs};
		return outcome;
	}

	async close(): Promise<void> {}
}

export class StdinSource implements DumpSource {
	readonly displayName = 'stdin';
	readonly repeats = false;
	readonly hasProfiles = false;
	private readonly input: Readable;
	private readonly options: FileSourceOptions;
	private done = false;

	constructor(input: Readable, options: FileSourceOptions) {
		this.input = input;
		this.options = options;
	}

	async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchOutcome | 'unchanged'> {
		// stdin can be read once; a second ask has nothing new.
		if (this.done) return 'unchanged';
		this.done = true;
		return readDump(this.input, 'stdin', request, this.options, signal, true);
	}

	async close(): Promise<void> {
		this.input.destroy();
	}
}

/** What a dump is read from: a Readable (stdin, a FIFO, a device) or a regular file's `FileChunks`. */
type ChunkStream = {destroy(error?: Error): unknown} & AsyncIterable<Buffer | string>;

async function readDump(
	stream: ChunkStream,
	name: string,
	request: FetchRequest,
	options: FileSourceOptions,
	signal: AbortSignal | undefined,
	emptyIsFinal: boolean,
	cache?: ParseCache,
): Promise<FetchOutcome> {
	const now = options.now ?? Date.now;
	const at = now();
	const parser = createDumpParser(cache ? {cache} : {args: request.args ?? true});
	let parseMs = 0;
	const yielder = new Yielder();
	const raw = request.keepRaw ? new RawKeeper(request.maxRawBytes ?? MAX_RAW_BYTES) : undefined;
	const head = new HeadKeeper();
	let bytes = 0;
	let hitCap = false;
	let late = false;
	const deadline =
		options.deadlineMs === undefined
			? undefined
			: setTimeout(() => {
					late = true;
					stream.destroy(new Error('deadline'));
				}, options.deadlineMs);
	// A signal ends a read that is waiting for data too (a FIFO nobody writes to).
	const onAbort = () => stream.destroy();
	signal?.addEventListener('abort', onAbort, {once: true});
	try {
		// A file's pieces are views of its reader's two buffers: what is kept past this turn is copied.
		const reused = stream instanceof FileChunks;
		for await (const data of stream) {
			if (signal?.aborted) throw signal.reason;
			let chunk = typeof data === 'string' ? Buffer.from(data) : data;
			if (bytes + chunk.length > options.maxBytes) {
				chunk = chunk.subarray(0, options.maxBytes - bytes);
				hitCap = true;
			}
			bytes += chunk.length;
			request.onProgress?.(bytes);
			const parseStart = performance.now();
			parser.write(chunk);
			parseMs += performance.now() - parseStart;
			raw?.push(reused ? Buffer.from(chunk) : chunk);
			head.push(chunk);
			if (hitCap) break;
			if (yielder.due(chunk.length)) await yielder.yieldNow();
		}
	} catch (error) {
		if (signal?.aborted) throw signal.reason;
		if (late) {
			throw new PollFault(
				'timeout',
				`reading ${name} took longer than ${formatDuration(options.deadlineMs ?? 0)} (--poll-timeout) after ${formatBytes(bytes)}: it is too slow or never ends`,
			);
		}
		throw ioFault(name, error);
	} finally {
		clearTimeout(deadline);
		signal?.removeEventListener('abort', onAbort);
		stream.destroy();
	}
	const endStart = performance.now();
	const dump = latestDump(parser.end());
	parseMs += performance.now() - endStart;
	if (bytes === 0) {
		const fault = new PollFault('not-a-dump', `${name} is empty: expected a goroutine dump`);
		// Not a dump, like any other (exit 2) — unless --watch waits for a file still being written.
		if (emptyIsFinal) fault.final = true;
		throw fault;
	}
	if (noGoroutineRead(dump)) {
		// Read again it is the same file: the run ends (exit 2), as for any input that is not a dump.
		const fault = noGoroutinesFault(name, dump, head.firstLine());
		fault.final = true;
		throw fault;
	}
	if (dump.kind !== 'traceback' && dump.kind !== 'profile') {
		const why =
			dump.kind === 'protobuf'
				? 'it is gzip-compressed (a debug=0 protobuf profile, or a .gz file): save ?debug=2, or gunzip it first'
				: hitCap
					? `no "goroutine N [state]:" blocks or "goroutine profile:" header in its first ${formatBytes(bytes)} (--max-bytes)`
					: 'no "goroutine N [state]:" blocks or "goroutine profile:" header found';
		const first = dump.kind === 'protobuf' ? '' : head.firstLine();
		const fault = new PollFault('not-a-dump', `${name} is not a goroutine dump: ${why}${first === '' ? '' : `; it starts with ${first}`}`);
		// Read again it is the same file: end the run (a file being written is empty, and waited for with --watch).
		fault.final = true;
		throw fault;
	}
	const outcome: FetchOutcome = {
		result: {at, durationMs: now() - at, bytes, debug: dump.kind === 'profile' ? 1 : 2, dump, truncated: hitCap || dump.truncated, parseMs},
	};
	if (raw?.kept) outcome.raw = raw.kept;
	return outcome;
}

function fifoStream(path: string): Readable {
	const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
	return new Socket({fd, readable: true, writable: false});
}

function ioFault(name: string, error: unknown): PollFault {
	if (error instanceof PollFault) return error;
	const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
	return new PollFault('io', `cannot read ${name}: ${ioReasons[code] ?? (code || 'read failed')}`);
}

/**
 * Lines that open a new dump in a log: a signal or crash header, or a debug=1 profile header. Each holds
 * ": ", which a debug=2 dump never prints (frames, headers and `created by` lines have none), so the
 * search looks for that pair alone (memchr speed, ~5 GB/s) and checks the line around each hit.
 */
const dumpOpeners = ['SIGQUIT: quit', 'SIGABRT: abort', 'panic: ', 'fatal error: ', 'goroutine profile: total ', 'goroutineleak profile: total '].map(text => ({
	bytes: Buffer.from(text, 'latin1'),
	colon: text.indexOf(': '),
}));
const colonSpace = Buffer.from(': ', 'latin1');
/** Bytes a window reaches past its own range: the newline before an opener, and an opener's text up to its ": ". */
const REACH = Math.max(...dumpOpeners.map(opener => opener.bytes.length)) + 1;
/** One step of the backwards search: openers whose line starts in [from, end); its bytes from `base`. */
interface SearchWindow {
	from: number;
	end: number;
	base: number;
	read: Promise<{bytesRead: number}>;
}
/** Bytes searched per step backwards. */
const SEARCH_CHUNK = 1 << 20;

/**
 * Byte offset of the last line that opens a dump (0 when there is none), searched backwards from
 * `size` and no further back than `within` bytes before it: an opener further back would be cut off by
 * --max-bytes anyway (the caller then starts `within` bytes before the end). The forward regex pass
 * over the whole file was a sixth of `--once`'s time on a 280 MiB file; this reads at most the part
 * --max-bytes lets through, and only the last dump of a log.
 */
export async function lastDumpStart(path: string, size: number, within = size, signal?: AbortSignal): Promise<number> {
	if (size === 0) return 0;
	const floor = Math.max(0, size - within);
	const handle = await open(path, 'r');
	// Two buffers in turn: the window before is read (thread pool) while this one is searched.
	const buffers = [Buffer.allocUnsafe(SEARCH_CHUNK + 2 * REACH), Buffer.allocUnsafe(SEARCH_CHUNK + 2 * REACH)];
	/** The window for openers whose line starts in [from, end): from the byte before `from` to `REACH` past `end`. */
	const windowAt = (end: number, buffer: Buffer): SearchWindow => {
		const from = Math.max(floor, end - SEARCH_CHUNK);
		const base = Math.max(0, from - 1);
		return {from, end, base, read: handle.read(buffer, 0, Math.min(size, end + REACH) - base, base)};
	};
	let turn = 0;
	let next: SearchWindow | undefined = windowAt(size, buffers[0]!);
	try {
		while (next !== undefined) {
			if (signal?.aborted) throw signal.reason;
			const {from, end, base, read}: SearchWindow = next;
			const {bytesRead} = await read;
			const window = buffers[turn]!.subarray(0, bytesRead);
			turn ^= 1;
			next = from > floor ? windowAt(from, buffers[turn]!) : undefined;
			// Searched forward (native forward search is about half again as fast as backward), keeping the last.
			let last = -1;
			for (let at = window.indexOf(colonSpace); at >= 0; at = window.indexOf(colonSpace, at + 1)) {
				for (const opener of dumpOpeners) {
					const lineStart = at - opener.colon; // in the window
					const absolute = base + lineStart;
					if (absolute < from || absolute >= end || lineStart < 0) continue;
					if (absolute > 0 && window[lineStart - 1] !== 0x0a) continue;
					if (window.subarray(lineStart, lineStart + opener.bytes.length).equals(opener.bytes)) last = Math.max(last, absolute);
				}
			}
			if (last >= 0) return last;
		}
		return 0;
	} finally {
		// A read still in flight must finish before the handle closes.
		if (next !== undefined) await next.read.catch(() => undefined);
		await handle.close();
	}
}

/**
 * Dumps appended without an opener line (`curl …?debug=2 >> log`): goroutine ids are unique
 * within one dump, so an id seen again starts the next one. Keep the goroutines of the last.
 */
export function latestDump(dump: Dump): Dump {
	const seen = new Set<number>();
	let start = 0;
	dump.goroutines.forEach((g, index) => {
		if (seen.has(g.id)) {
			seen.clear();
			start = index;
		}
		seen.add(g.id);
	});
	return start === 0 ? dump : {...dump, goroutines: dump.goroutines.slice(start)};
}
