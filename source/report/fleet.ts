// The overall part of a report on several targets (`gmon --once a:6060 b:6060 c:6060`): one line per
// target (up or down, goroutines, suspects, the last poll), and each leak suspect merged across the
// targets that have it ("2 of 3 targets"), by the place it is parked: function, file, line and
// state, which replicas of one binary share. Pure: the per-target inputs in, text or JSON out.
import {shortLocation} from '../dump/names.ts';
import type {Suspect} from '../model/types.ts';
import {describeGrowth, type GrowthStory, type Tier, tierRank} from '../model/verdict.ts';
import {visible} from '../text/sanitize.ts';
import {formatBytes, formatDuration} from '../text/units.ts';
import {suspectCount} from './rank.ts';
import {createStyle} from './style.ts';
import {truncateEnd} from '../text/fit.ts';
import type {ReportInput} from './types.ts';

export interface FleetEntry {
	/** The target as shown to the user. */
	target: string;
	/** Its report input; undefined when no dump ever came. */
	input?: ReportInput;
	/** Why it is down: the last poll error (a down target has no report). */
	down?: string;
}

export interface FleetSuspect {
	function: string;
	file: string;
	line: number;
	state: string;
	/** The strongest tier any target gives it. */
	tier: Tier;
	/** Goroutines at this place over every target. */
	count: number;
	/** The targets that have it, most goroutines first. */
	targets: FleetSuspectTarget[];
}

export interface FleetSuspectTarget {
	target: string;
	count: number;
	growthPerMin: number;
	proven: boolean;
	/** How its count rose (text only: told by describeGrowth as of `at`, the target's poll). */
	growthStory?: GrowthStory;
	at: number;
}

export interface FleetSummary {
	targets: number;
	up: number;
	total: number;
	/** Goroutines in likely and proven suspects (what the gate counts by default), as each target's headline. */
	suspects: number;
	/** Goroutines in possible ones. */
	possible: number;
	/** Targets with a likely or proven suspect. */
	suspectTargets: number;
	merged: FleetSuspect[];
}

export function fleetSuspects(entries: readonly FleetEntry[]): FleetSuspect[] {
	const byPlace = new Map<string, FleetSuspect>();
	for (const {target, input} of entries) {
		const at = input?.snapshot.at ?? 0;
		for (const suspect of input?.snapshot.suspects ?? []) {
			const where = suspect.where;
			const key = `${where?.func ?? ''}\u0000${where?.file ?? ''}\u0000${where?.line ?? 0}\u0000${suspect.state}`;
			let merged = byPlace.get(key);
			if (!merged) {
				merged = {
					function: where?.func ?? '',
					file: where?.file ?? '',
					line: where?.line ?? 0,
					state: suspect.state,
					tier: suspect.tier,
					count: 0,
					targets: [],
				};
				byPlace.set(key, merged);
			}
			if (tierRank(suspect.tier) > tierRank(merged.tier)) merged.tier = suspect.tier;
			merged.count += suspect.count;
			const on = merged.targets.find(entry => entry.target === target);
			if (on) {
				on.count += suspect.count;
				on.growthPerMin += suspect.growthPerMin;
				on.proven ||= suspect.tier === 'proven';
				if (suspect.growthStory && suspect.growthStory.added > (on.growthStory?.added ?? 0)) on.growthStory = suspect.growthStory;
			} else {
				merged.targets.push({
					target,
					count: suspect.count,
					growthPerMin: suspect.growthPerMin,
					proven: suspect.tier === 'proven',
					...(suspect.growthStory ? {growthStory: suspect.growthStory} : {}),
					at,
				});
			}
		}
	}
	const list = [...byPlace.values()];
	for (const merged of list) merged.targets.sort((a, b) => b.count - a.count || (a.target < b.target ? -1 : 1));
	// The strongest tier first, then the place on the most targets, then the most goroutines.
	return list.sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || b.targets.length - a.targets.length || b.count - a.count);
}

/** Likely and proven: what each target's headline and the default gate count. */
const strong = (suspects: readonly Suspect[]) => suspects.filter(suspect => suspect.tier !== 'possible');

export function fleetSummary(entries: readonly FleetEntry[]): FleetSummary {
	const up = entries.filter(entry => entry.input);
	return {
		targets: entries.length,
		up: up.length,
		total: up.reduce((sum, entry) => sum + entry.input!.snapshot.total, 0),
		suspects: up.reduce((sum, entry) => sum + suspectCount(strong(entry.input!.snapshot.suspects)), 0),
		possible: up.reduce((sum, entry) => sum + suspectCount(entry.input!.snapshot.suspects.filter(suspect => suspect.tier === 'possible')), 0),
		suspectTargets: up.filter(entry => strong(entry.input!.snapshot.suspects).length > 0).length,
		merged: fleetSuspects(entries),
	};
}

/** Every target's suspects in one list, most likely first: what the leak gate judges over a fleet. */
export function allSuspects(entries: readonly FleetEntry[]): Suspect[] {
	return entries.flatMap(entry => entry.input?.snapshot.suspects ?? []).sort((a, b) => b.score - a.score);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatFleetText(entries: readonly FleetEntry[], options: {color: boolean; width?: number}): string {
	const style = createStyle(options.color);
	const width = options.width ?? 100;
	const summary = fleetSummary(entries);
	const down = summary.targets - summary.up;
	const possible = summary.possible > 0 ? style.yellow(` · ${summary.possible} possible`) : '';
	const strongPart =
		summary.suspects === 0
			? style.green('no likely leaks')
			: style.red(`${plural(summary.suspects, 'suspect goroutine')} on ${summary.suspectTargets} of ${plural(summary.targets, 'target')}`);
	const verdict = `${strongPart}${possible}`;
	const head = `gmon fleet: ${plural(summary.targets, 'target')}, ${summary.up} up${down > 0 ? `, ${down} down` : ''} · ${plural(summary.total, 'goroutine')}`;
	const lines = [`${style.bold(head)} · ${verdict}`];
	const nameWidth = Math.min(40, Math.max(6, ...entries.map(entry => visible(entry.target).length)));
	lines.push(style.dim(`  ${'TARGET'.padEnd(nameWidth)}  UP    GOROUTINES  SUSPECTS  POSSIBLE  LAST POLL`));
	for (const entry of entries) {
		const name = truncateEnd(visible(entry.target), nameWidth).padEnd(nameWidth);
		if (!entry.input) {
			lines.push(style.red(truncateEnd(`  ${name}  down  ${visible(entry.down ?? 'no dump')}`, width)));
			continue;
		}
		const {snapshot, polls} = entry.input;
		const poll = `${formatBytes(polls.last.bytes)} in ${formatDuration(polls.last.fetchMs)}`;
		const weak = suspectCount(snapshot.suspects.filter(suspect => suspect.tier === 'possible'));
		lines.push(
			`  ${name}  up    ${String(snapshot.total).padStart(10)}  ${String(suspectCount(strong(snapshot.suspects))).padStart(8)}  ${String(weak).padStart(8)}  ${poll}`,
		);
	}
	if (summary.merged.length > 0) {
		lines.push('', style.bold('Suspects across targets, most widespread first'));
		for (const [index, merged] of summary.merged.entries()) {
			const place = `${merged.tier} ${visible(merged.function)} ${visible(shortLocation(merged.file, merged.line))} ${visible(merged.state)}`;
			const on = merged.targets
				.map(entry => `${visible(entry.target)} ${entry.count}${entry.growthStory ? ` (${describeGrowth(entry.growthStory, entry.at)})` : ''}`)
				.join(', ');
			const color = merged.tier === 'possible' ? style.yellow : style.red;
			lines.push(color(truncateEnd(`  ${index + 1}. ${place}: ${merged.targets.length} of ${plural(summary.targets, 'target')}, ${on}`, width)));
		}
	}
	return `${lines.join('\n')}\n`;
}

export interface JsonFleet {
	targets: number;
	up: number;
	total: number;
	suspects: number;
	possible: number;
	suspectTargets: number;
	down: Array<{target: string; error: string}>;
	suspectsAcrossTargets: Array<Omit<FleetSuspect, 'targets'> & {targets: Array<Pick<FleetSuspectTarget, 'target' | 'count' | 'growthPerMin' | 'proven'>>}>;
}

export function fleetJson(entries: readonly FleetEntry[]): JsonFleet {
	const summary = fleetSummary(entries);
	return {
		targets: summary.targets,
		up: summary.up,
		total: summary.total,
		suspects: summary.suspects,
		possible: summary.possible,
		suspectTargets: summary.suspectTargets,
		down: entries.filter(entry => !entry.input).map(entry => ({target: entry.target, error: entry.down ?? 'no dump'})),
		suspectsAcrossTargets: summary.merged.map(merged => ({
			...merged,
			targets: merged.targets.map(entry => ({
				target: entry.target,
				count: entry.count,
				growthPerMin: Math.round(entry.growthPerMin * 100) / 100,
				proven: entry.proven,
			})),
		})),
	};
}
