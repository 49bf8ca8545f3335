// The live view of several targets merges their models on every poll of any of them
// (model/fleet-merge.ts): groups by key, suspects by site, goroutine ids made unique per target.
// Three targets of 10k goroutines each (GMON_BENCH_GOROUTINES scales them), 300 stacks: the time
// of one merge when a target's new snapshot must have its ids remapped (every poll of targets 2
// and 3), and when none does (the filter changed). Run: `npm run bench -- fleet`.
import {loadavg} from 'node:os';
import {parseDump} from '../source/dump/parse.ts';
import {type FleetPart, mergeFleet} from '../source/model/fleet-merge.ts';
import {Tracker} from '../source/model/tracker.ts';
import {synthDump} from '../test/helpers/synth-dump.ts';

const GOROUTINES = Number(process.env['GMON_BENCH_GOROUTINES'] ?? 10_000);
const ROUNDS = 30;

const dumps = [1, 2, 3].map(seed => parseDump(synthDump({goroutines: GOROUTINES, seed})).goroutines);
const trackers = dumps.map(() => new Tracker());
const parts: FleetPart[] = dumps.map((goroutines, index) => ({index, label: String(index), snapshot: trackers[index]!.update({at: 0, goroutines})}));

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fresh: number[] = [];
const cached: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
	// Target 2 polled: a new snapshot, whose ids the merge remaps once.
	parts[1] = {...parts[1]!, snapshot: trackers[1]!.update({at: round * 1000, goroutines: dumps[1]!})};
	let start = performance.now();
	mergeFleet(parts, 3);
	fresh.push(performance.now() - start);
	start = performance.now();
	mergeFleet(parts, 3);
	cached.push(performance.now() - start);
}
const groups = parts.map(part => part.snapshot.groups.length).join('/');
console.log(`3 targets × ${GOROUTINES} goroutines (${groups} groups), ${ROUNDS} rounds, load ${loadavg()[0]!.toFixed(1)}`);
console.log(`merge after a poll (one target's ids remapped): median ${median(fresh).toFixed(1)} ms, worst ${Math.max(...fresh).toFixed(1)} ms`);
console.log(`merge again (remapped ids cached):              median ${median(cached).toFixed(1)} ms, worst ${Math.max(...cached).toFixed(1)} ms`);
