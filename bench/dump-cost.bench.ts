// `npm run bench -- dump-cost`: what one goroutine dump costs the target, per Go version (issue 14).
// bench/dumpcost parks N goroutines (a pool in `chan receive`, timer selects, 5-deep call chains
// waiting on a channel) and serves net/http/pprof; this times, from outside, the requests gmon sends.
// Go writes a whole `?debug=2` dump into a buffer with the world stopped before it sends the headers,
// so the time to the headers is close to how long the target was frozen in all; the rest is the
// transfer. It is several freezes, not one (runtime.Stack is retried with a buffer twice as big while
// the dump does not fit, 1 MB first, and each try walks every goroutine): the target's heartbeat
// (bench/dumpcost/main.go) gives the longest single one.
// Each figure is the median of 5 requests. The machine is shared: the load average is printed, and
// the caption says when it was high enough (> 4) to inflate the figures.
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {request} from 'node:http';
import {cpus, loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {formatBytes} from '../source/text/units.ts';
import {goEnv} from '../test/helpers/go-example.ts';

const execFileAsync = promisify(execFile);
const sourceDir = fileURLToPath(new URL('./dumpcost/', import.meta.url));
const sizes = [1_000, 10_000, 100_000] as const;
const repeats = 5;

type Query = 'debug2' | 'debug1' | 'leak';
const paths: Record<Query, string> = {
	debug2: '/debug/pprof/goroutine?debug=2',
	debug1: '/debug/pprof/goroutine?debug=1',
	leak: '/debug/pprof/goroutineleak?debug=1',
};

interface Binary {
	/** The row's Go version: two binaries of one version share its rows. */
	version: string;
	build: string;
	go: string;
	env: NodeJS.ProcessEnv;
	queries: readonly Query[];
}

// Go 1.26 needs GOEXPERIMENT=goroutineleakprofile for /goroutineleak, and the experiment changes the
// runtime, so the plain build (what most services run) gives the dump columns and the experiment build
// only the leak column. Go 1.27 serves the leak profile by default; Go 1.19 has none.
const binaries: readonly Binary[] = [
	{version: 'Go 1.26', build: 'go 1.26', go: 'go', env: {}, queries: ['debug2', 'debug1']},
	{
		version: 'Go 1.26',
		build: 'go 1.26 + GOEXPERIMENT=goroutineleakprofile',
		go: 'go',
		env: {GOEXPERIMENT: 'goroutineleakprofile'},
		queries: ['leak'],
	},
	{version: 'Go 1.27', build: 'GOTOOLCHAIN=go1.27.3', go: 'go', env: {GOTOOLCHAIN: 'go1.27.3'}, queries: ['debug2', 'debug1', 'leak']},
	{version: 'Go 1.19', build: 'Debian /usr/lib/go-1.19', go: '/usr/lib/go-1.19/bin/go', env: {}, queries: ['debug2', 'debug1']},
];

interface Timing {
	headersMs: number;
	totalMs: number;
	bytes: number;
	/** The longest gap between the target's 1 ms heartbeat ticks during the request: its longest freeze. */
	longestFreezeMs: number;
}

type Fetched = Omit<Timing, 'longestFreezeMs'> & {body: string};

/** One GET with a fresh connection: ms to the response headers, ms to the end of the body, body bytes. */
function timeRequest(port: number, path: string): Promise<Fetched> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const req = request({host: '127.0.0.1', port, path, agent: false, timeout: 120_000}, res => {
			const headersMs = performance.now() - started;
			let bytes = 0;
			let body = ''; // kept only for the short replies (the heartbeat, an error)
			res.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				if (body.length < 500) body += chunk.toString('utf8', 0, 500);
			});
			res.on('end', () => {
				if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
				else resolve({headersMs, totalMs: performance.now() - started, bytes, body});
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${path}: no answer in 120 s`)));
		req.on('error', reject);
		req.end();
	});
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const heartbeatMs = async (port: number): Promise<number> => Number((await timeRequest(port, '/heartbeat')).body) / 1000;

async function measure(port: number, path: string): Promise<Timing> {
	const runs: Timing[] = [];
	for (let i = 0; i < repeats; i++) {
		await heartbeatMs(port); // starts the heartbeat's record again
		const run = await timeRequest(port, path);
		await new Promise(resolve => setTimeout(resolve, 20)); // the heartbeat wakes after the last freeze
		runs.push({...run, longestFreezeMs: await heartbeatMs(port)});
	}
	return {
		headersMs: median(runs.map(run => run.headersMs)),
		totalMs: median(runs.map(run => run.totalMs)),
		bytes: median(runs.map(run => run.bytes)),
		longestFreezeMs: median(runs.map(run => run.longestFreezeMs)),
	};
}

// Targets left running when the bench fails are killed: one listener for all.
const children = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

/** Start the program with n parked goroutines; resolves once it prints its port. */
function start(binary: string, n: number): Promise<{port: number; stop: () => void}> {
	const child = spawn(binary, ['-n', String(n)], {stdio: ['ignore', 'pipe', 'inherit']});
	children.add(child);
	const stop = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		children.delete(child);
	};
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			out += chunk;
			const match = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
			if (match) resolve({port: Number(match[1]), stop});
		});
		child.once('exit', code => reject(new Error(`${binary} -n ${n} exited ${code} before listening: ${out}`)));
	});
}

async function build(spec: Binary, dir: string): Promise<string | undefined> {
	if (spec.go !== 'go' && !existsSync(spec.go)) {
		console.log(`skip ${spec.build}: ${spec.go} is not installed`);
		return undefined;
	}
	const binary = join(dir, spec.build.replace(/[^a-z0-9.]+/gi, '-'));
	try {
		await execFileAsync(spec.go, ['build', '-o', binary, '.'], {cwd: sourceDir, env: {...goEnv(), ...spec.env}});
	} catch (error) {
		// Go 1.27 comes from the module proxy; without it the other versions still make a table.
		const stderr = (error as {stderr?: string}).stderr ?? String(error);
		console.log(`skip ${spec.build}: go build failed: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
		return undefined;
	}
	const {stdout} = await execFileAsync(spec.go, ['version', binary], {env: goEnv()});
	console.log(`built ${spec.build}: ${stdout.trim().split(' ').at(1)}`);
	return binary;
}

interface Row {
	version: string;
	goroutines: number;
	debug2?: Timing;
	debug1?: Timing;
	leak?: Timing;
}

const load = (): string =>
	loadavg()
		.map(value => value.toFixed(2))
		.join(' ');

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-dumpcost-'));
	process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
	const loadsBefore = loadavg()[0]!;
	console.log(`load average before: ${load()}`);

	const loads = [loadsBefore];
	const rows = new Map<string, Row>();
	for (const spec of binaries) {
		const binary = await build(spec, dir);
		if (!binary) continue;
		for (const goroutines of sizes) {
			const target = await start(binary, goroutines);
			const key = `${spec.version} ${goroutines}`;
			const row = rows.get(key) ?? {version: spec.version, goroutines};
			rows.set(key, row);
			try {
				for (const query of spec.queries) row[query] = await measure(target.port, paths[query]);
			} finally {
				target.stop();
			}
			loads.push(loadavg()[0]!);
		}
	}

	const loadsAfter = loadavg()[0]!;
	const worst = Math.max(...loads, loadsAfter);
	const ms = (timing: Timing | undefined, field: 'headersMs' | 'totalMs' | 'longestFreezeMs'): string =>
		timing ? timing[field].toFixed(timing[field] < 10 ? 1 : 0) : '-';
	const withFreeze = (timing: Timing | undefined): string => (timing ? `${ms(timing, 'totalMs')} (${ms(timing, 'longestFreezeMs')})` : '-');
	console.log(
		`\nOne goroutine dump, timed from outside: median of ${repeats} requests each; 1-minute load average ${loadsBefore.toFixed(1)} before, ` +
			`${worst.toFixed(1)} at most, ${loadsAfter.toFixed(1)} after (${load()}; ${cpus().length} cores)` +
			(worst > 4 ? `: a loaded machine (above 4), so the times are inflated against an idle one.` : '.'),
	);
	console.log('');
	console.log(
		'| Go | goroutines | debug=2 to headers ms (≈ frozen in all) | longest single freeze ms | debug=2 total ms | debug=2 body | µs per goroutine (to headers) | debug=1 ms (longest freeze) | goroutineleak ms (longest freeze) |',
	);
	console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const row of rows.values()) {
		const perGoroutine = row.debug2 ? ((row.debug2.headersMs * 1000) / row.goroutines).toFixed(0) : '-';
		console.log(
			`| ${row.version} | ${row.goroutines.toLocaleString('en-US')} | ${ms(row.debug2, 'headersMs')} | ${ms(row.debug2, 'longestFreezeMs')} | ` +
				`${ms(row.debug2, 'totalMs')} | ` +
				`${row.debug2 ? formatBytes(row.debug2.bytes) : '-'} | ${perGoroutine} | ${withFreeze(row.debug1)} | ${withFreeze(row.leak)} |`,
		);
	}
}

await main();
