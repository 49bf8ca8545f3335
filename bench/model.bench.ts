// The model at scale: 100k goroutines polled 100 times with 1% churn per poll (1% exit, 1%
// new ids at the same mix of stacks, 1% move to another stack). Targets (issue 4): tracking +
// grouping ≤ 100 ms per poll, heap ≤ 400 MB. Run: `npm run bench -- model` (needs --expose-gc,
// which bench/run.ts passes).
//
// The first population comes from the real parser on a synthetic Go 1.19-style dump; every
// later poll is a fresh copy (new objects, new function-name strings) as a new parse would
// give, so identity checks compare unequal string objects like they do in production. Only
// `tracker.update` is timed; the copying is the bench's own cost.
import {createDumpParser} from '../source/dump/index.ts';
import type {Frame, Goroutine} from '../source/dump/types.ts';
import {Tracker} from '../source/model/index.ts';
import {prng, synthDumpChunks} from '../test/helpers/synth-dump.ts';

const GOROUTINES = Number(process.env['GMON_BENCH_GOROUTINES'] ?? 100_000);
const POLLS = Number(process.env['GMON_BENCH_POLLS'] ?? 100);
const CHURN = 0.01;
const INTERVAL_MS = 2000;

const gc = (globalThis as {gc?: () => void}).gc;
const heapMb = (): number => {
	gc?.();
	return process.memoryUsage().heapUsed / 2 ** 20;
};

// A new string object with the same text (a parse yields new strings every poll).
const fresh = (text: string): string => (text + '\u0000').slice(0, -1);

// The population as the real parser gives it, then reduced to what a generator needs: the
// distinct stacks (templates) and per goroutine its id, template and minutes. Each poll builds
// brand-new Goroutine objects from that, as a new parse would, and drops them after the update
// (the model must not need them: it keeps compact copies).
const baseline = heapMb();
const templates: Goroutine[] = [];
interface Member {
	id: number;
	/** Template of the stack (state + frames). */
	t: number;
	/** Template of the creator: fixed for the goroutine's life, as in Go. */
	c: number;
	minutes: number;
}
let members: Member[] = [];
{
	const parser = createDumpParser();
	for (const chunk of synthDumpChunks({goroutines: GOROUTINES, seed: 7, stacks: 300})) parser.write(chunk);
	const parsed = parser.end().goroutines;
	const byStack = new Map<string, number>();
	let frames = 0;
	for (const g of parsed) {
		frames += g.frames.length;
		const key = `${g.state}|${g.frames.map(f => `${f.func}:${f.line}`).join('|')}|${g.createdBy?.func}:${g.createdBy?.line}`;
		let t = byStack.get(key);
		if (t === undefined) {
			t = templates.length;
			templates.push(g);
			byStack.set(key, t);
		}
		members.push({id: g.id, t, c: t, minutes: g.waitMinutes});
	}
	console.log(`population: ${parsed.length} goroutines from the parser, ${(frames / parsed.length).toFixed(1)} frames each, ${templates.length} distinct stacks`);
}

function materialise(m: Member): Goroutine {
	const g = templates[m.t]!;
	const c = templates[m.c]!.createdBy;
	return {
		...g,
		id: m.id,
		state: fresh(g.state),
		rawState: fresh(g.rawState),
		waitMinutes: m.minutes,
		frames: g.frames.map((frame: Frame) => ({...frame, func: fresh(frame.func), file: fresh(frame.file), args: fresh(frame.args)})),
		createdBy: c ? {...c, func: fresh(c.func), file: fresh(c.file)} : undefined,
	};
}

const random = prng(11);
let nextId = members.reduce((max, m) => Math.max(max, m.id), 0) + 1;
const tracker = new Tracker({historyLength: 120});
const times: number[] = [];
let peakHeap = 0;
let input = members.map(materialise);
gc?.();
let start = performance.now();
let snapshot = tracker.update({goroutines: input, at: 0});
const first = performance.now() - start;

for (let poll = 1; poll < POLLS; poll++) {
	const n = members.length;
	const next: Member[] = [];
	for (const m of members) {
		const r = random();
		if (r < CHURN) continue; // exited
		if (r < 2 * CHURN) {
			// moved to another stack of the same creator's family: same id, new place
			next.push({id: m.id, t: (m.t + 1) % templates.length, c: m.c, minutes: 0});
			continue;
		}
		next.push(m);
	}
	const born = Math.round(n * CHURN);
	for (let i = 0; i < born; i++) {
		const t = Math.floor(random() * templates.length);
		next.push({id: nextId++, t, c: t, minutes: 0});
	}
	members = next;
	input = members.map(materialise);
	gc?.(); // the input's allocation is the parser's cost, not the model's
	start = performance.now();
	snapshot = tracker.update({goroutines: input, at: poll * INTERVAL_MS});
	times.push(performance.now() - start);
	input = [];
	if (poll % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed / 2 ** 20 - baseline);
}

const regroup = (() => {
	const start = performance.now();
	tracker.setGroupBy('where');
	return performance.now() - start;
})();
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
const heap = heapMb();
console.log(`first poll (all new): ${first.toFixed(0)} ms`);
console.log(`tracking + grouping per poll: mean ${mean.toFixed(1)} ms, median ${(times[times.length >> 1] ?? 0).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms (target <= 100 ms) over ${times.length} polls`);
console.log(`regroup (setGroupBy where): ${regroup.toFixed(0)} ms`);
console.log(`model heap after ${POLLS} polls (gc'd; snapshot + tracker, input dropped): ${(heap - baseline).toFixed(0)} MB; sampled between polls before gc: peak ${peakHeap.toFixed(0)} MB (target <= 400 MB)`);
console.log(`model: epoch ${snapshot.epoch}, ${snapshot.groups.length} groups, ${snapshot.suspects.length} suspects, ${tracker.rememberedGoroutines} goroutines remembered, ${tracker.rememberedPlaces} places, total trend ${snapshot.totalHistory.length} points`);
if (mean > 100) process.exitCode = 1;
