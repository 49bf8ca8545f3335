// The model at scale: 100k goroutines polled 100 times with 1% churn per poll (1% exit, 1% new
// ids with stacks drawn from the population, 1% move to another stack). Targets (issue 4):
// tracking + grouping ≤ 100 ms per poll, heap ≤ 400 MB. Run: `npm run bench -- model` (needs
// --expose-gc, which bench/run.ts passes). GMON_BENCH_GOROUTINES / GMON_BENCH_POLLS scale it.
// By default every poll's parser shares one ParseCache, as the http source's do (one per target):
// frames and stack shapes are then shared across polls too. GMON_BENCH_FRESH_CACHE=1 gives each
// poll a cache of its own (what a file source, or a first poll, sees).
//
// Every poll is a real dump text (the synthetic Go 1.19-style dump of test/helpers/synth-dump.ts,
// its goroutine blocks reshuffled by the churn) parsed by the real parser, so the tracker reads
// exactly the objects production hands it: frames shared between goroutines where the text is
// the same, unique where args differ. Only `tracker.update` is timed; text and parse are not.
import {loadavg, cpus} from 'node:os';
import {createDumpParser} from '../source/dump/parse.ts';
import {createParseCache, type ParseCache} from '../source/dump/parse-cache.ts';
import type {Goroutine} from '../source/dump/types.ts';
import {Tracker} from '../source/model/tracker.ts';
import {ChurningDump} from './churning-dump.ts';

const GOROUTINES = Number(process.env['GMON_BENCH_GOROUTINES'] ?? 100_000);
const POLLS = Number(process.env['GMON_BENCH_POLLS'] ?? 100);
const SHARED_CACHE = process.env['GMON_BENCH_FRESH_CACHE'] !== '1';
const CHURN = 0.01;
const INTERVAL_MS = 2000;
/** Poll times are epoch-ms as in production (too big for V8's small integers, as real ones are). */
const T0 = Date.UTC(2026, 10, 23, 17, 0, 0);
const CHUNK_CHARS = 1 << 16;

const gc = (globalThis as {gc?: () => void}).gc;
const heapMb = (): number => {
	// Twice: one full collection can leave garbage that only a second one frees (weak references).
	gc?.();
	gc?.();
	return process.memoryUsage().heapUsed / 2 ** 20;
};
const cpuMs = (): number => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};
const load = (): string =>
	loadavg()
		.map(x => x.toFixed(1))
		.join(' ');

const population = new ChurningDump(GOROUTINES, {seed: 7, stacks: 300, churnRate: CHURN});

const sharedCache: ParseCache | undefined = SHARED_CACHE ? createParseCache() : undefined;
function parse(): Goroutine[] {
	const parser = createDumpParser(sharedCache ? {cache: sharedCache} : {});
	for (const chunk of population.chunks(CHUNK_CHARS)) parser.write(chunk);
	return parser.end().goroutines;
}

// Sharing the parser hands out (what the tracker's memos can exploit). A function, not a block: the
// module's top level is async, and a block's locals can outlive the block there, skewing the heap baseline.
function describeSharing(): void {
	const sample = parse();
	const frameObjects = new Set<unknown>();
	const arrays = new Set<unknown>();
	let frames = 0;
	for (const g of sample) {
		arrays.add(g.frames);
		for (const f of g.frames) frameObjects.add(f);
		frames += g.frames.length;
	}
	console.log(
		`population: ${population.stacks} distinct stacks; ${sample.length} goroutines from the parser, ${(frames / sample.length).toFixed(1)} frames each; ${frameObjects.size} distinct Frame objects, ${arrays.size} distinct frames arrays; parse cache ${SHARED_CACHE ? 'shared across polls' : 'fresh per poll'}`,
	);
}
describeSharing();

// GMON_BENCH_PROFILE=out.cpuprofile: a CPU profile of the timed updates only (open in Chrome DevTools).
const profileFile = process.env['GMON_BENCH_PROFILE'];
const inspector = profileFile ? new (await import('node:inspector')).Session() : undefined;
const post = (method: string, params?: object): Promise<unknown> =>
	new Promise((resolve, reject) => inspector!.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
if (inspector) {
	inspector.connect();
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', {interval: 100});
}

const baseline = heapMb();
const tracker = new Tracker({historyLength: 120});
const times: number[] = [];
const cpuTimes: number[] = [];
const loads: number[] = [];
let peakHeap = 0;
interface Profile {
	nodes: Array<{id: number; callFrame: object; children?: number[]}>;
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}
const profiles: Profile[] = [];
/** Profiles of separate updates as one (node ids renumbered per profile). */
function mergeProfiles(list: Profile[]): Profile {
	const out: Profile = {nodes: [], samples: [], timeDeltas: [], startTime: list[0]?.startTime ?? 0, endTime: 0};
	let offset = 0;
	for (const p of list) {
		let max = 0;
		for (const node of p.nodes) {
			out.nodes.push({...node, id: node.id + offset, children: node.children?.map(c => c + offset)});
			max = Math.max(max, node.id);
		}
		out.samples.push(...p.samples.map(s => s + offset));
		out.timeDeltas.push(...p.timeDeltas);
		out.endTime += p.endTime - p.startTime;
		offset += max;
	}
	out.endTime += out.startTime;
	return out;
}
let input = parse();
gc?.();
let start = performance.now();
let snapshot = tracker.update({goroutines: input, at: T0});
const first = performance.now() - start;
input = [];

for (let poll = 1; poll < POLLS; poll++) {
	population.churn();
	input = parse();
	// The parse's garbage is the parser's cost, not the model's: collect it, and let V8's
	// background threads finish sweeping it before the clock starts.
	gc?.();
	await new Promise(resolve => setTimeout(resolve, 50));
	if (inspector) await post('Profiler.start');
	const cpu0 = cpuMs();
	start = performance.now();
	snapshot = tracker.update({goroutines: input, at: T0 + poll * INTERVAL_MS});
	times.push(performance.now() - start);
	cpuTimes.push(cpuMs() - cpu0);
	if (inspector) profiles.push(((await post('Profiler.stop')) as {profile: Profile}).profile);
	loads.push(loadavg()[0]!);
	// gmon's heap while it holds both the model and the dump it was fed (the poller keeps it).
	if (poll % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed / 2 ** 20 - baseline);
	input = [];
	if (poll % 10 === 0) console.log(`  poll ${poll}: ${times.at(-1)!.toFixed(1)} ms wall, ${cpuTimes.at(-1)!.toFixed(1)} ms cpu, load ${load()}`);
}

if (inspector && profileFile) {
	// One profile of all timed updates: the samples of each, back to back.
	const merged = profiles[0]!;
	(await import('node:fs')).writeFileSync(profileFile, JSON.stringify(mergeProfiles(profiles)));
	void merged;
	console.log(`profile of the timed updates: ${profileFile}`);
}

const regroup = (() => {
	const t0 = performance.now();
	tracker.setGroupBy('where');
	return performance.now() - t0;
})();
const stats = (values: number[]): string => {
	const sorted = [...values].sort((a, b) => a - b);
	const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
	const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
	return `mean ${mean.toFixed(1)} ms, median ${at(0.5).toFixed(1)} ms, min ${(sorted[0] ?? 0).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
};
const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
const heap = heapMb() - baseline;

console.log(`first poll (all new): ${first.toFixed(0)} ms`);
console.log(`tracking + grouping per poll, wall: ${stats(times)} over ${times.length} polls (target <= 100 ms)`);
console.log(`tracking + grouping per poll, CPU (process.cpuUsage, incl. GC threads): ${stats(cpuTimes)}`);
console.log(
	`load average (1 min) during the timed polls: min ${Math.min(...loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}; now ${load()} on ${cpus().length} cores`,
);
console.log(`regroup (setGroupBy where): ${regroup.toFixed(0)} ms`);
console.log(
	`gmon heap: model after ${POLLS} polls (gc'd, dump dropped) ${heap.toFixed(0)} MB; peak with the last dump still held ${peakHeap.toFixed(0)} MB (target <= 400 MB)`,
);
console.log(
	`model: epoch ${snapshot.epoch}, ${snapshot.groups.length} groups, ${snapshot.suspects.length} suspects, ${tracker.rememberedGoroutines} goroutines remembered, ${tracker.rememberedPlaces} places, total trend ${snapshot.totalHistory.length} points`,
);

if (mean > 100 || Math.max(heap, peakHeap) > 400) process.exitCode = 1;
