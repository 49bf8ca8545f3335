// A whole poll, end to end, as `gmon host:port` does it (issue 7: with 10k goroutines a poll's work
// after the bytes arrive — parse, track, select the visible rows, render a frame — ≤ 150 ms; with
// 100k ≤ 1.5 s). Run: `npm run bench -- pipeline`.
//
// Real parts: a target in another process serving `/debug/pprof/goroutine?debug=2` over loopback
// HTTP, gmon's own monitor (poller, undici HTTP source with its per-target parse cache, tracker)
// and its App rendering into a 120x40 fake TTY (bench/fake-tty.ts; React's production build, as
// the gmon binary runs). The target's dump changes every poll by 1% churn (bench/churning-dump.ts).
//
// Timed per poll, from the request to the frame on screen:
//   request → last byte parsed   the poller's fetch: headers, the body streamed through the parser
//     of which parse             the source's own time inside parser.write/end (FetchResult.parseMs)
//   track                        tracker.update on the parsed dump
//   select + render              the model published → Ink's frame written
// "A poll's work after the bytes arrive" is judged as parse + track + select + render, each measured
// on the live path; the whole (which also waits on the target and the transfer) is printed too. The
// target here is a node process reading the dump from disk, so its headers and transfer times are
// this machine's, not a Go service's (Go stops the world while it writes the dump).
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {BenchStdin, BenchStdout, benchSize} from './fake-tty.ts';
import {ChurningDump} from './churning-dump.ts';

if (!process.env['GMON_BENCH_DEV']) process.env['NODE_ENV'] = 'production';
delete process.env['CI'];

const [{render}, React, {App}, {createMonitor}, {buildConfig}, {Tracker}, {createDumpParser}, {createParseCache}, {createSource}] = await Promise.all([
	import('ink'),
	import('react'),
	import('../source/ui/app.tsx'),
	import('../source/watch/store.ts'),
	import('../source/config.ts'),
	import('../source/model/tracker.ts'),
	import('../source/dump/parse.ts'),
	import('../source/dump/parse-cache.ts'),
	import('../source/fetch/create-source.ts'),
]);
type DumpSource = import('../source/fetch/source.ts').DumpSource;
type ModelSnapshot = import('../source/model/types.ts').ModelSnapshot;
type PollInput = import('../source/model/api.ts').PollInput;
type GroupBy = import('../source/model/types.ts').GroupBy;
type ProfileRecord = import('../source/dump/types.ts').ProfileRecord;

const POLLS = Number(process.env['GMON_BENCH_POLLS'] ?? 8);
const [columns, rows] = benchSize();

/** The target: a plain node HTTP server in its own process, serving the file the bench rewrites between polls. */
async function startTarget(file: string): Promise<{port: number; child: ChildProcess}> {
	const code = `
		const http = require('node:http');
		const fs = require('node:fs');
		const server = http.createServer((req, res) => {
			if (req.url === '/debug/pprof/goroutine?debug=2') {
				const body = fs.readFileSync(${JSON.stringify(file)});
				res.writeHead(200, {'content-type': 'text/plain; charset=utf-8', 'content-length': body.length});
				res.end(body);
			} else {
				res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'});
				res.end('404 page not found\\n');
			}
		});
		server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
	`;
	const child = spawn(process.execPath, ['-e', code], {stdio: ['ignore', 'pipe', 'inherit']});
	const port = await new Promise<number>((resolve, reject) => {
		child.once('error', reject);
		child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
	});
	return {port, child};
}

interface Sample {
	total: number;
	parse: number;
	headers: number;
	fetch: number;
	track: number;
	render: number;
	bytes: number;
}

const fmt = (values: number[]): string => {
	const sorted = [...values].sort((a, b) => a - b);
	const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
	return `mean ${mean.toFixed(0)} ms, median ${(sorted[sorted.length >> 1] ?? 0).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`;
};
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

console.log(
	`React build: ${process.env['NODE_ENV'] === 'production' ? 'production' : 'development'}; terminal ${columns}x${rows}; ${POLLS} timed polls per size after 2 untimed ones`,
);
let failed = false;
const dir = mkdtempSync(join(tmpdir(), 'gmon-pipeline-'));
const targets: ChildProcess[] = [];
try {
	for (const [n, limit] of [
		[10_000, 150],
		[100_000, 1500],
	] as const) {
		const population = new ChurningDump(n, {seed: 7, stacks: 300});
		const file = join(dir, `dump-${n}.txt`);
		writeFileSync(file, population.bytes());
		const {port, child} = await startTarget(file);
		targets.push(child);

		// The tracker gmon would build, timed from outside.
		const tracker = new Tracker();
		let trackMs = 0;
		const timedTracker = {
			update(input: PollInput): ModelSnapshot {
				const start = performance.now();
				const snapshot = tracker.update(input);
				trackMs = performance.now() - start;
				return snapshot;
			},
			updateProfile: (records: ProfileRecord[], at: number) => tracker.updateProfile(records, at),
			setGroupBy: (by: GroupBy) => tracker.setGroupBy(by),
			get snapshot() {
				return tracker.snapshot;
			},
		};
		// Go itself stops a debug=2 dump at 64 MB (runtime/pprof), gmon's default --max-bytes; the 100k dump
		// here is far larger and is read whole: the stricter case.
		const config = buildConfig(`127.0.0.1:${port}`, {interval: '1h', maxOverhead: 0, maxBytes: 1 << 30});
		// gmon's HTTP source, watched from outside for each fetch's time to response headers.
		const http = createSource(config);
		let headersMs = 0;
		const source: DumpSource = {
			displayName: http.displayName,
			repeats: http.repeats,
			hasProfiles: http.hasProfiles,
			async fetch(request, signal) {
				const outcome = await http.fetch(request, signal);
				if (outcome !== 'unchanged' && request.debug === 2) headersMs = outcome.headersMs ?? 0;
				return outcome;
			},
			close: () => http.close(),
		};
		const monitor = createMonitor(config, {source, tracker: timedTracker, autoStart: false});

		// Subscribed before the App, so the model's arrival is stamped before React renders it.
		let lastModel: ModelSnapshot | undefined;
		let modelAt = 0;
		let frameForModel: ((at: number) => void) | undefined;
		monitor.subscribe(() => {
			const model = monitor.getState().model;
			if (model !== undefined && model !== lastModel) {
				lastModel = model;
				modelAt = performance.now();
			}
		});
		const stdout = new BenchStdout(columns, rows);
		const write = stdout.write;
		stdout.write = (chunk: string) => {
			const result = write(chunk);
			if (frameForModel && stdout.lastFrameAt >= modelAt && modelAt > 0) {
				const resolve = frameForModel;
				frameForModel = undefined;
				resolve(stdout.lastFrameAt);
			}
			return result;
		};
		const app = render(React.createElement(App, {store: monitor}), {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: new BenchStdin() as unknown as NodeJS.ReadStream,
			debug: true,
			exitOnCtrlC: false,
			patchConsole: false,
		});

		const samples: Sample[] = [];
		for (let poll = 0; poll < POLLS + 2; poll++) {
			if (poll > 0) {
				population.churn();
				writeFileSync(file, population.bytes());
			}
			modelAt = 0;
			const framed = new Promise<number>(resolve => {
				frameForModel = resolve;
			});
			const start = performance.now();
			const state = await monitor.poller.poll();
			const frameAt = await framed;
			const last = state.last;
			if (state.error || !last) throw new Error(`poll failed: ${state.error?.message ?? 'no dump'}`);
			if (last.dump.goroutines.length !== population.goroutines)
				throw new Error(`parsed ${last.dump.goroutines.length} of ${population.goroutines} goroutines`);
			if (poll < 2) continue; // the first poll learns every stack; the second warms the JIT on the matched path
			samples.push({
				total: frameAt - start,
				parse: last.parseMs ?? Number.NaN,
				headers: headersMs,
				fetch: last.durationMs,
				track: trackMs,
				render: frameAt - modelAt,
				bytes: last.bytes,
			});
		}

		// The parse alone, from memory, with a cache warmed on the previous poll's dump (as the source's is).
		const cache = createParseCache();
		const parseFrom = (bytes: Buffer): number => {
			const start = performance.now();
			const parser = createDumpParser({cache});
			for (let at = 0; at < bytes.length; at += 1 << 16) parser.write(bytes.subarray(at, at + (1 << 16)));
			parser.end();
			return performance.now() - start;
		};
		parseFrom(population.bytes());
		population.churn();
		const parseAlone: number[] = [];
		for (let i = 0; i < 3; i++) {
			population.churn();
			parseAlone.push(parseFrom(population.bytes()));
		}

		app.unmount();
		await monitor.control.stop();

		const afterBytes = samples.map(s => s.parse + s.track + s.render);
		const ok = mean(afterBytes) <= limit;
		if (!ok) failed = true;
		console.log(`\n${n} goroutines, ${(samples[0]!.bytes / 1e6).toFixed(0)} MB per dump, ${samples.length} polls`);
		console.log(`  request → frame on screen:        ${fmt(samples.map(s => s.total))}`);
		console.log(`    time to response headers:        ${fmt(samples.map(s => s.headers))}`);
		console.log(`    request → last byte parsed:      ${fmt(samples.map(s => s.fetch))} (body over loopback + streaming parse)`);
		console.log(`      of which parse:                ${fmt(samples.map(s => s.parse))}`);
		console.log(`    track:                           ${fmt(samples.map(s => s.track))}`);
		console.log(`    select + render the frame:       ${fmt(samples.map(s => s.render))}`);
		console.log(`  parse alone, from memory, warm cache: ${fmt(parseAlone)}`);
		console.log(
			`  ${ok ? 'ok  ' : 'SLOW'} a poll's work after the bytes arrive (parse + track + select + render): ${fmt(afterBytes)} (target ≤ ${limit} ms, mean)`,
		);
	}
} finally {
	for (const child of targets) child.kill();
	rmSync(dir, {recursive: true, force: true});
}
if (failed) process.exitCode = 1;
