// The --json document and its schema: built from real dumps through the real tracker, checked by
// the test validator — and the validator itself checked to reject what the schema forbids.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import type {Dump} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {ModelSnapshot} from '../../source/model/types.ts';
import {buildJsonReport} from '../../source/report/json.ts';
import {snapshotFromProfile} from '../../source/model/profile-snapshot.ts';
import schema from '../../source/report/schema.json' with {type: 'json'};
import type {ReportInput} from '../../source/report/types.ts';
import {validate} from '../helpers/json-schema.ts';

const fixtures = new URL('../fixtures/dumps/', import.meta.url);
const load = (name: string): Dump => parseDump(readFileSync(new URL(name, fixtures)));
const at = Date.parse('2026-11-23T12:00:00Z');

const pollOf = (dumps: Dump[], index: number, fetchMs: number) => ({at: at + index * 1000, fetchMs, bytes: dumps[index]!.bytes, truncated: false});

function reportOf(dumps: Dump[], hideIdle = false): ReportInput {
	const tracker = new Tracker();
	let snapshot: ModelSnapshot | undefined;
	for (const [index, dump] of dumps.entries()) snapshot = tracker.update({goroutines: dump.goroutines, at: at + index * 1000});
	return {
		target: 'localhost:6060',
		kind: 'traceback',
		snapshot: snapshot!,
		errors: [],
		hideIdle,
		polls: {count: dumps.length, first: pollOf(dumps, 0, 12.345), last: pollOf(dumps, dumps.length - 1, 12.345)},
	};
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, any>;

describe('buildJsonReport', () => {
	test('every fixture with goroutines gives a document that validates against schema.json', () => {
		for (const name of [
			'go1.19-statezoo-all-states.debug2.txt',
			'go1.19-big-1642-goroutines.debug2.txt',
			'go1.19-sigquit-crash.txt',
			'go1.19-panic-gotraceback-all.txt',
			'go1.21-gostackparse-created-in-goroutine.txt',
			'go1.1x-gostackparse-tracebackancestors.txt',
			'go1.15-gostackparse-frameselided.debug2.txt',
			'go1.19-cgo-callbacks.debug2.txt',
		]) {
			const document = json(buildJsonReport(reportOf([load(name)])));
			assert.deepEqual(validate(schema, document), [], name);
		}
	});

	test('poll metadata: how many polls, when, what the last one cost', () => {
		const statezoo = load('go1.19-statezoo-all-states.debug2.txt');
		const document = json(buildJsonReport(reportOf([statezoo, statezoo])));
		assert.deepEqual(document['poll'], {polls: 2, at: '2026-11-23T12:00:01.000Z', fetchMs: 12.3, bytes: 22_402, truncated: false});
		assert.equal(document['at'], '2026-11-23T12:00:01.000Z');
	});

	test('created-by keeps the parent goroutine id of Go 1.21+', () => {
		const document = json(buildJsonReport(reportOf([load('go1.21-gostackparse-created-in-goroutine.txt')])));
		const withParent = (document['goroutines'] as Array<Record<string, any>>).filter(g => g['createdBy']?.parentId !== undefined);
		assert.ok(withParent.length > 0);
	});

	test('groups account for every goroutine listed, and each goroutine names its group', () => {
		for (const hideIdle of [false, true]) {
			const document = json(buildJsonReport(reportOf([load('go1.19-big-1642-goroutines.debug2.txt')], hideIdle)));
			const groups = document['groups'] as Array<{key: string; count: number; ids: number[]}>;
			const goroutines = document['goroutines'] as Array<{id: number; group: string}>;
			assert.equal(
				groups.reduce((sum, group) => sum + group.count, 0),
				goroutines.length,
			);
			const keys = new Set(groups.map(group => group.key));
			assert.ok(goroutines.every(g => keys.has(g.group)));
			if (hideIdle) assert.ok(goroutines.length < 1642);
			else assert.equal(goroutines.length, 1642);
		}
	});

	test('a debug=1 profile validates with kind profile and no per-goroutine list', () => {
		const profile = load('go1.19-statezoo-labels.debug1.txt');
		const input = {...reportOf([load('go1.19-statezoo-all-states.debug2.txt')]), kind: profile.kind, snapshot: snapshotFromProfile(profile, at)};
		const document = json(buildJsonReport(input));
		assert.deepEqual(validate(schema, document), []);
		assert.equal(document['kind'], 'profile');
		assert.equal(document['total'], 42);
		assert.deepEqual(document['goroutines'], []);
	});
});

describe('the test validator rejects what schema.json forbids', () => {
	const good = () => json(buildJsonReport(reportOf([load('go1.19-statezoo-all-states.debug2.txt')])));

	test('a missing required field', () => {
		const document = good();
		delete document['total'];
		assert.deepEqual(
			validate(schema, document).map(error => error.message),
			['missing required property total'],
		);
	});

	test('a wrong type deep inside', () => {
		const document = good();
		document['goroutines'][3].where.line = '88';
		assert.deepEqual(validate(schema, document), [{path: '/goroutines/3/where/line', message: 'expected integer, got string'}]);
	});

	test('a field the schema does not document', () => {
		const document = good();
		document['groups'][0].surprise = true;
		assert.deepEqual(validate(schema, document), [{path: '/groups/0/surprise', message: 'property not in the schema'}]);
	});

	test('a wrong schemaVersion, a negative count, a bad date', () => {
		const document = good();
		document['schemaVersion'] = 2;
		document['states']['chan send'] = -1;
		document['poll'].at = 'yesterday';
		assert.deepEqual(
			validate(schema, document)
				.map(error => error.path)
				.sort(),
			['/poll/at', '/schemaVersion', '/states/chan send'],
		);
	});
});
