// The `--json` document: a stable contract for scripts (jq, CI, log pipelines), described by
// schema.json next to this file. Add fields freely; never rename or retype one without bumping
// schemaVersion.
import {isProvenLeak} from '../dump/classify.ts';
import type {Frame} from '../dump/types.ts';
import type {Group, Suspect, TrackedGoroutine} from '../model/types.ts';
import {rank} from './rank.ts';
import type {ReportInput} from './types.ts';

export const schemaVersion = 1;

export interface JsonWhere {
	function: string;
	file: string;
	line: number;
}

export interface JsonGoroutine {
	id: number;
	state: string;
	waitMinutes: number;
	/** gmon's observed wait merged with Go's minutes, ms. */
	waitMs: number;
	stuck: boolean;
	locked: boolean;
	leaked: boolean;
	where: JsonWhere | null;
	createdBy: (JsonWhere & {parentId?: number}) | null;
	group: string;
	/** pprof labels from its header (Go 1.27, or 1.26 with tracebacklabels=1); absent when it has none. */
	labels?: Record<string, string>;
}

export interface JsonGroup {
	key: string;
	by: string;
	count: number;
	state: string;
	states: Record<string, number>;
	where: JsonWhere | null;
	growth: number;
	growthPerMin: number;
	delta: number;
	stuck: number;
	leaked: number;
	idle: boolean;
	suspect: boolean;
	/** The representative member's stack, innermost first. */
	stack: JsonWhere[];
	createdBy: JsonWhere | null;
	ids: number[];
}

export interface JsonSuspect {
	/** The first group at the site (see groups). */
	group: string;
	/** Every group (stack variant under --group-by stack) whose goroutines stand at this blocking site. */
	groups: string[];
	/** The blocking site: wait + user frame. */
	site: string;
	/** proven (Go's leak profile), likely or possible. */
	tier: string;
	variants: number;
	count: number;
	state: string;
	where: JsonWhere | null;
	reason: string;
	proven: boolean;
	score: number;
}

export interface JsonReport {
	schemaVersion: number;
	target: string;
	/** traceback (debug=2, panics, SIGQUIT) or profile (debug=1: no per-goroutine data). */
	kind: string;
	/** ISO time of the last poll. */
	at: string;
	total: number;
	states: Record<string, number>;
	poll: {polls: number; at: string; fetchMs: number; bytes: number; truncated: boolean};
	goroutines: JsonGoroutine[];
	groups: JsonGroup[];
	suspects: JsonSuspect[];
	errors: Array<{at: string; kind: string; message: string}>;
	preamble?: string;
	/** Goroutine headers of a shape gmon does not know: their goroutines are in no count. */
	unparsedHeaders?: {count: number; first: string};
	/** Whether Go's goroutineleak profile stands behind the verdicts (model/proof.ts); null while not known. */
	leakProof: {available: boolean; summary: string; why: string} | null;
}

export const toWhere = (frame: Frame | undefined): JsonWhere | null => (frame ? {function: frame.func, file: frame.file, line: frame.line} : null);

/** The document with its two long lists as lazy sequences: written piece by piece (see json-stream.ts). */
export type JsonReportParts = Omit<JsonReport, 'goroutines' | 'groups'> & {goroutines: Iterable<JsonGoroutine>; groups: Iterable<JsonGroup>};

export function buildJsonReport(input: ReportInput): JsonReport {
	const parts = jsonReportParts(input);
	return {...parts, goroutines: [...parts.goroutines], groups: [...parts.groups]};
}

/**
 * The report with its goroutines and groups built one at a time as they are written: 2 million
 * goroutines as objects and then one string would need gigabytes (and pass V8's string limit).
 */
export function jsonReportParts(input: ReportInput): JsonReportParts {
	const {snapshot} = input;
	const ranked = rank(snapshot, input.hideIdle);
	const suspectKeys = new Set(snapshot.suspects.flatMap(suspect => suspect.groupKeys));
	// The leak profile counts per stack, without ids: a goroutine is known leaked when its whole group is.
	const provenGroups = new Set(snapshot.groups.filter(group => group.leaked > 0 && group.leaked >= group.count).map(group => group.key));
	const {last} = input.polls;
	const at = new Date(last.at).toISOString();
	return {
		schemaVersion,
		target: input.target,
		kind: input.kind,
		at,
		total: snapshot.total,
		states: {...snapshot.states},
		poll: {
			polls: input.polls.count,
			at,
			fetchMs: Math.round(last.fetchMs * 10) / 10,
			bytes: last.bytes,
			truncated: last.truncated,
		},
		goroutines: mapLazily(ranked.goroutines, tracked => jsonGoroutine(tracked, provenGroups.has(tracked.groupKey))),
		groups: mapLazily(ranked.groups, group => jsonGroup(group, suspectKeys.has(group.key))),
		suspects: ranked.suspects.map(suspect => jsonSuspect(suspect)),
		errors: input.errors.map(error => ({at: new Date(error.at).toISOString(), kind: error.kind, message: error.message})),
		...(input.preamble ? {preamble: input.preamble} : {}),
		...(input.unparsedHeaders ? {unparsedHeaders: {...input.unparsedHeaders}} : {}),
		leakProof: input.proof ? {...input.proof} : null,
	};
}

/** A re-readable lazy map (each iteration maps afresh; nothing is kept). */
function mapLazily<T, U>(items: readonly T[], map: (item: T) => U): Iterable<U> {
	return {
		*[Symbol.iterator]() {
			for (const item of items) yield map(item);
		},
	};
}

function jsonGoroutine({g, stuck, waitMs, where, groupKey}: TrackedGoroutine, groupProven: boolean): JsonGoroutine {
	return {
		id: g.id,
		state: g.state,
		waitMinutes: g.waitMinutes,
		waitMs,
		stuck,
		locked: g.locked,
		// (A `(leaked)` main parked in `select {}` on purpose is no proven leak: isProvenLeak.)
		leaked: isProvenLeak(g) || groupProven,
		where: toWhere(where ?? g.frames[0]),
		createdBy: g.createdBy
			? {
					function: g.createdBy.func,
					file: g.createdBy.file,
					line: g.createdBy.line,
					...(g.createdBy.parentId === undefined ? {} : {parentId: g.createdBy.parentId}),
				}
			: null,
		group: groupKey,
		// Target text like every other string here: json-stream.ts escapes what a terminal could act on.
		...(g.labels ? {labels: {...g.labels}} : {}),
	};
}

function jsonGroup(group: Group, suspect: boolean): JsonGroup {
	const by = group.sample.createdBy;
	return {
		key: group.key,
		by: group.by,
		count: group.count,
		state: group.state,
		states: {...group.states},
		where: toWhere(group.where ?? group.sample.frames[0]),
		growth: group.growth,
		growthPerMin: Math.round(group.growthPerMin * 100) / 100,
		delta: group.delta,
		stuck: group.stuck,
		leaked: group.leaked,
		idle: group.idle,
		suspect,
		stack: group.sample.frames.map(frame => ({function: frame.func, file: frame.file, line: frame.line})),
		createdBy: by ? {function: by.func, file: by.file, line: by.line} : null,
		ids: [...group.ids],
	};
}

function jsonSuspect(suspect: Suspect): JsonSuspect {
	return {
		group: suspect.groupKey,
		groups: [...suspect.groupKeys],
		site: suspect.siteKey,
		tier: suspect.tier,
		variants: suspect.variants,
		count: suspect.count,
		state: suspect.state,
		where: toWhere(suspect.where),
		reason: suspect.reason,
		proven: suspect.proven,
		score: Math.round(suspect.score * 1000) / 1000,
	};
}
