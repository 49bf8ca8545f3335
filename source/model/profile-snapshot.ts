// A `?debug=1` profile as a one-poll ModelSnapshot: one group per stack (counts, no goroutine
// ids, states or wait times), so the same text and JSON reports describe it. The per-goroutine
// dumps go through the model's Tracker instead; this covers what it cannot. A saved
// `goroutineleak` profile (Go 1.26+) lists only goroutines Go proved leaked: every group is a
// proven suspect, so `gmon --fail-on-suspects leaks.txt` gates on it — except main parked in
// `select {}` (Go 1.26 lists it) and Go 1.27.3's empty record (see leak-match.ts).
import {whereFrame} from '../dump/user-frame.ts';
import type {Dump, Goroutine, ProfileRecord} from '../dump/types.ts';
import {isDeliberateParkRecord, isEmptyRecord} from './leak-match.ts';
import {stackGroupKey} from './place.ts';
import {PROOF_WEIGHT, siteLocation, suspectScore} from './verdict.ts';
import {compareGroups, type Group, type ModelSnapshot, type Suspect} from './types.ts';

export function snapshotFromProfile(dump: Dump, at: number): ModelSnapshot {
	const leakProfile = dump.profileName === 'goroutineleak';
	// A record with no function (Go 1.27.3's empty leak record) is no goroutine and no place: left
	// out of the groups and of the total (the `total N` line counted it).
	const empty = leakProfile ? dump.records.filter(record => isEmptyRecord(record)) : [];
	const records = empty.length === 0 ? dump.records : dump.records.filter(record => !isEmptyRecord(record));
	const groups = mergeRecords(records).map(record => recordGroup(record, leakProfile && !isDeliberateParkRecord(record)));
	groups.sort(compareGroups);
	const listed = dump.profileTotal ?? dump.records.reduce((sum, record) => sum + record.count, 0);
	const total = Math.max(0, listed - empty.reduce((sum, record) => sum + record.count, 0));
	const suspects = groups.filter(group => group.leaked > 0).map(group => provenSuspect(group));
	return {
		epoch: 1,
		poll: 1,
		at,
		total,
		states: {},
		goroutines: [],
		groups,
		suspects,
		totalHistory: [total],
		stateHistory: {},
		newIds: [],
		goneIds: [],
		restarted: false,
	};
}

/** The model's stack key, with no state and no creator. */
const recordKey = (record: ProfileRecord) => stackGroupKey('', record.frames, undefined);

/** Records with the same frames (distinct PCs or labels) count as one stack. */
function mergeRecords(records: readonly ProfileRecord[]): ProfileRecord[] {
	const byKey = new Map<string, ProfileRecord>();
	for (const record of records) {
		const key = recordKey(record);
		const seen = byKey.get(key);
		byKey.set(key, seen ? {...seen, count: seen.count + record.count} : record);
	}

	return [...byKey.values()];
}

function recordGroup(record: ProfileRecord, proven: boolean): Group {
	const sample: Goroutine = {
		id: 0,
		state: '',
		rawState: '',
		waitMinutes: 0,
		locked: false,
		scan: false,
		leaked: false,
		durable: false,
		frames: record.frames,
		...(record.labels ? {labels: record.labels} : {}),
	};
	const where = whereFrame(sample);
	return {
		key: recordKey(record),
		by: 'stack',
		count: record.count,
		states: {},
		state: '',
		stateClass: 'other',
		sample,
		...(where ? {where} : {}),
		ids: [],
		minWaitMs: 0,
		maxWaitMs: 0,
		history: [record.count],
		growth: 0,
		growthPerMin: 0,
		delta: 0,
		stuck: 0,
		leaked: proven ? record.count : 0,
		idle: false,
	};
}

function provenSuspect(group: Group): Suspect {
	const where = group.where ? ` at ${siteLocation(group.where)}` : '';
	return {
		siteKey: group.key,
		groupKey: group.key,
		groupKeys: [group.key],
		variants: 1,
		tier: 'proven',
		count: group.count,
		state: '',
		...(group.where ? {where: group.where} : {}),
		reason: `proven leak: ${group.count} goroutine${group.count === 1 ? '' : 's'}${where} — Go's leak profile proved ${group.count === 1 ? 'it' : 'all'} unreachable`,
		proven: true,
		score: suspectScore('proven', group.count, PROOF_WEIGHT),
		stuck: 0,
		leaked: group.count,
		growthPerMin: 0,
		maxWaitMs: 0,
	};
}
