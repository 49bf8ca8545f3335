// What `gmon --metrics-listen` exports, per target: goroutines by state, the top groups and every
// suspect, stuck goroutines, restarts, and what polling costs. Pure: the targets' state in,
// families out (exposition.ts writes them). Cardinality is bounded by design: the top N groups
// plus the suspects, and at most `maxStates` states; a fleet's thousand small groups stay in gmon.
import type {Frame} from '../dump/types.ts';
import {compareGroups, type Group, type ModelSnapshot} from '../model/types.ts';
import type {Family, Sample} from './exposition.ts';

export interface MetricsTarget {
	/** The target as shown to the user (never with credentials). */
	target: string;
	/** The last poll went through (no error since the last whole dump). */
	up: boolean;
	/** The model after the last whole dump; undefined before the first. */
	snapshot?: ModelSnapshot;
	/** The fetch behind the last whole dump. */
	lastPoll?: {at: number; durationMs: number; bytes: number};
	/** Requested and actual (cost-stretched) interval between full dumps, ms. */
	intervalMs: number;
	effectiveIntervalMs: number;
	/** Whole dumps taken in since gmon started. */
	polls: number;
	/** Failed polls since gmon started, by the poller's error kind. */
	errors: Readonly<Record<string, number>>;
}

export interface MetricsOptions {
	/** Groups exported per target besides the suspects (--metrics-top). */
	topGroups: number;
}

export const defaultTopGroups = 20;

/** Go has a few dozen wait reasons; a dump inventing more gets the rest folded into `other`. */
export const maxStates = 50;

function whereLabels(where: Frame | undefined): {function: string; file: string; line: string} {
	return where ? {function: where.func, file: where.file, line: String(where.line)} : {function: '', file: '', line: ''};
}

const groupWhere = (group: Group): Frame | undefined => group.where ?? group.sample.frames[0];

function stateSamples(target: string, states: Record<string, number>): Sample[] {
	const entries = Object.entries(states).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
	const kept = entries.slice(0, maxStates).map(([state, count]) => ({labels: {target, state}, value: count}));
	const rest = entries.slice(maxStates).reduce((sum, [, count]) => sum + count, 0);
	return rest > 0 ? [...kept, {labels: {target, state: 'other'}, value: rest}] : kept;
}

export function metricFamilies(targets: readonly MetricsTarget[], options: MetricsOptions): Family[] {
	const family = (name: string, type: Family['type'], help: string, samples: Sample[]): Family => ({name, type, help, samples});
	const each = (value: (t: MetricsTarget) => number | undefined): Sample[] =>
		targets.flatMap(t => {
			const v = value(t);
			return v === undefined ? [] : [{labels: {target: t.target}, value: v}];
		});
	const groups: Sample[] = [];
	const suspects: Sample[] = [];
	const states: Sample[] = [];
	for (const t of targets) {
		const snapshot = t.snapshot;
		if (!snapshot) continue;
		states.push(...stateSamples(t.target, snapshot.states));
		// A suspect is a site; every group standing at it (its stack variants) is exported.
		const suspectKeys = new Set(snapshot.suspects.flatMap(suspect => suspect.groupKeys));
		const top = [...snapshot.groups].sort(compareGroups).slice(0, options.topGroups);
		const exported = [...top, ...snapshot.groups.filter(group => suspectKeys.has(group.key) && !top.includes(group))];
		for (const group of exported) groups.push({labels: {target: t.target, ...whereLabels(groupWhere(group)), state: group.state}, value: group.count});
		for (const suspect of snapshot.suspects) {
			suspects.push({labels: {target: t.target, ...whereLabels(suspect.where), state: suspect.state, tier: suspect.tier}, value: suspect.count});
		}
	}
	const stuck = (snapshot: ModelSnapshot) => snapshot.groups.reduce((sum, group) => sum + group.stuck, 0);
	return [
		family(
			'gmon_up',
			'gauge',
			'Whether the last poll of the target went through (1) or failed (0).',
			each(t => (t.up ? 1 : 0)),
		),
		family('gmon_goroutines', 'gauge', 'Goroutines in the last dump, by state.', states),
		family(
			'gmon_stuck_goroutines',
			'gauge',
			'Goroutines unchanged (same state, same place) for --stuck-after.',
			each(t => t.snapshot && stuck(t.snapshot)),
		),
		family('gmon_group_goroutines', 'gauge', 'Goroutines per group (where they are parked), for the top --metrics-top groups and every suspect.', groups),
		family('gmon_suspect_goroutines', 'gauge', 'Goroutines at each leak-suspect site; tier says how sure gmon is (proven, likely, possible).', suspects),
		family(
			'gmon_target_restarts',
			'counter',
			'Restarts of the target gmon saw (goroutine ids started over).',
			each(t => t.snapshot && t.snapshot.epoch - 1),
		),
		family(
			'gmon_polls',
			'counter',
			'Whole goroutine dumps taken in.',
			each(t => t.polls),
		),
		family(
			'gmon_poll_errors',
			'counter',
			'Failed polls, by kind (refused, timeout, not-a-dump, ...).',
			targets.flatMap(t => Object.entries(t.errors).map(([kind, count]) => ({labels: {target: t.target, kind}, value: count}))),
		),
		family(
			'gmon_poll_duration_seconds',
			'gauge',
			"The last full dump's fetch and parse time: what one poll costs.",
			each(t => t.lastPoll && t.lastPoll.durationMs / 1000),
		),
		family(
			'gmon_poll_bytes',
			'gauge',
			"The last full dump's size.",
			each(t => t.lastPoll?.bytes),
		),
		family(
			'gmon_poll_interval_seconds',
			'gauge',
			'Time between full dumps, after --max-overhead stretched it to spare the target.',
			each(t => t.effectiveIntervalMs / 1000),
		),
		family(
			'gmon_last_poll_timestamp_seconds',
			'gauge',
			'When the last full dump was taken (Unix time).',
			each(t => t.lastPoll && t.lastPoll.at / 1000),
		),
	];
}
