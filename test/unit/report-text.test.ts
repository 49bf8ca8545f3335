// The --once text report as a pure function: real dumps through the real parser and tracker.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import type {Dump} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {ModelSnapshot} from '../../source/model/types.ts';
import {snapshotFromProfile} from '../../source/model/profile-snapshot.ts';
import {formatTextReport} from '../../source/report/text.ts';
import type {ReportInput} from '../../source/report/types.ts';

const fixtures = new URL('../fixtures/dumps/', import.meta.url);
const load = (name: string): Dump => parseDump(readFileSync(new URL(name, fixtures)));

const at = Date.parse('2026-11-23T12:00:00Z');
const pollOf = (dumps: Dump[], index: number, fetchMs: number) => ({at: at + index * 1000, fetchMs, bytes: dumps[index]!.bytes, truncated: false});

function reportOf(dumps: Dump[], overrides: Partial<ReportInput> = {}): ReportInput {
	const tracker = new Tracker();
	let snapshot: ModelSnapshot | undefined;
	for (const [index, dump] of dumps.entries()) snapshot = tracker.update({goroutines: dump.goroutines, at: at + index * 1000});
	return {
		target: 'localhost:6060',
		kind: 'traceback',
		snapshot: snapshot!,
		errors: [],
		hideIdle: false,
		polls: {count: dumps.length, first: pollOf(dumps, 0, 12), last: pollOf(dumps, dumps.length - 1, 12)},
		...overrides,
	};
}

const esc = '\u001B';

describe('formatTextReport', () => {
	const big = load('go1.19-big-1642-goroutines.debug2.txt');

	test('every line fits the width, at 100 and at 80 columns', () => {
		for (const width of [100, 80]) {
			const text = formatTextReport(reportOf([big]), {color: false, width});
			for (const line of text.split('\n')) assert.ok([...line].length <= width, `${[...line].length} > ${width}: ${line}`);
		}
	});

	test('a long target is printed whole on its own line; the fetch facts move to the next', () => {
		const target = `/check/${'deep/'.repeat(20)}go1.19-big-1642-goroutines.debug2.txt`;
		const lines = formatTextReport(reportOf([big], {target}), {color: false, width: 80}).split('\n');
		assert.equal(lines[0], `gmon report: ${target}`);
		assert.match(lines[1]!, /^\d+ KiB in 12ms$/);
		assert.match(lines[2]!, /^1642 goroutines/);
		const short = formatTextReport(reportOf([big]), {color: false, width: 80}).split('\n');
		assert.match(short[0]!, /^gmon report: localhost:6060 · \d+ KiB in 12ms$/);
	});

	test('a group row never cuts its file:line, at any width: the creator gives way first', () => {
		for (let width = 60; width <= 120; width++) {
			const text = formatTextReport(reportOf([big]), {color: false, width});
			for (const line of text.split('\n')) assert.doesNotMatch(line, /\.go(:\d*)?…$/, `width ${width}: ${line}`);
		}
	});

	test('no colour: no escape sequences at all; colour: styled with SGR codes', () => {
		assert.ok(!formatTextReport(reportOf([big]), {color: false}).includes(esc));
		assert.match(formatTextReport(reportOf([big]), {color: true}), /\u001B\[1m42|\u001B\[1m1642 goroutines/);
	});

	test('control characters from the dump never reach the terminal: they show as escapes', () => {
		const evil = parseDump(
			[
				'goroutine 7 [chan send]:',
				'main.evil\u001B]0;pwned\u0007\u001B[2J(0x1)',
				'\t/src/evil\u001B[31m.go:12 +0x1d',
				'created by main.main',
				'\t/src/main.go:3 +0x2',
				'',
			].join('\n'),
		);
		assert.equal(evil.goroutines.length, 1);
		const text = formatTextReport(reportOf([evil]), {color: false});
		assert.ok(!text.includes(esc) && !text.includes('\u0007'), text);
		assert.match(text, /main\.evil\\x1b\]0;pwned\\x07\\x1b\[2J/);
	});

	test('a single poll has no growth column; several polls show growth per group', () => {
		assert.doesNotMatch(formatTextReport(reportOf([big]), {color: false}), /GROWTH/);
		const statezoo = load('go1.19-statezoo-all-states.debug2.txt');
		const later = load('go1.19-wait-2-minutes-locked.debug2.txt');
		const text = formatTextReport(reportOf([statezoo, later]), {color: false, maxGroups: 40});
		assert.match(text, /^ {2}COUNT {2}GROWTH {2}STUCK {2}STATE/m);
		// The spinners gained a member between the dumps; running goroutines are never stuck.
		assert.match(text, /^ {6}2 {6}\+1 {6}0 {2}runnable +main\.spinner {2}main\.go:128/m);
		// Goroutines Go has seen parked for 2 minutes are stuck at once.
		assert.match(text, /^ {6}6 {7}0 {6}6 {2}chan receive +main\.labelledWorkers\.func1\.1\.1 {2}main\.go:141/m);
		assert.match(text, /· 2 polls over 1s ·/);
		assert.match(text, /^44 goroutines \(\+2 since the first poll\)/m);
	});

	test('--hide-idle leaves out known-benign groups and says how many goroutines it hid', () => {
		const input = reportOf([big]);
		const idle = input.snapshot.groups.filter(group => group.idle);
		assert.ok(idle.length > 0, 'the fixture has idle groups (accept loops, IO wait)');
		const hidden = formatTextReport({...input, hideIdle: true}, {color: false});
		const idleCount = input.snapshot.goroutines.filter(tracked => idle.some(group => group.key === tracked.groupKey)).length;
		assert.match(hidden, new RegExp(`\\(${idleCount} idle goroutines hidden by --hide-idle\\)`));
		assert.doesNotMatch(formatTextReport(input, {color: false}), /hidden by --hide-idle/);
	});

	test('a truncated dump and poll errors are said out loud', () => {
		const input = reportOf([big]);
		input.polls.last = {...input.polls.last, truncated: true};
		input.errors.push({at: Date.parse('2026-11-23T12:00:01Z'), kind: 'refused', message: 'connection refused at localhost:6060'});
		const text = formatTextReport(input, {color: false});
		assert.match(text, /\(TRUNCATED\)/);
		assert.match(text, /the dump was cut off/);
		assert.match(text, /^Errors \(1\)\n {2}2026-11-23T12:00:01\.000Z {2}connection refused at localhost:6060$/m);
	});

	test('a debug=1 profile is reported by its records', () => {
		const profile = load('go1.19-big-1642-goroutines.debug1.txt');
		const snapshot = snapshotFromProfile(profile, Date.now());
		const text = formatTextReport({...reportOf([big]), kind: 'profile', snapshot}, {color: false});
		assert.match(text, /^1642 goroutines/m);
		assert.match(text, /debug=1 profile: counts per stack only/);
		assert.match(text, /^ {4}400 {2}- +main\.poolWorkers\.func1 {2}main\.go:170$/m);
	});
});
