// The streamed --json writer gives exactly JSON.stringify's text (pretty and NDJSON), piece by
// piece, with characters a terminal acts on escaped as \u… (and decoding to the same data).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {Writable} from 'node:stream';
import {test} from 'node:test';
import {parseDump} from '../../source/dump/parse.ts';
import {Tracker} from '../../source/model/tracker.ts';
import {buildJsonReport, jsonReportParts} from '../../source/report/json.ts';
import {jsonPieces, writePieces} from '../../source/report/json-stream.ts';
import {hostileDump} from '../helpers/hostile.ts';
import {fixture} from '../helpers/run-cli.ts';

function reportOf(text: string | Buffer) {
	const snapshot = new Tracker({groupBy: 'stack'}).update({goroutines: parseDump(text).goroutines, at: 1000});
	const meta = {at: 1000, fetchMs: 3, bytes: text.length, truncated: false};
	return {target: 'x', kind: 'traceback' as const, snapshot, polls: {count: 1, first: meta, last: meta}, errors: [], hideIdle: false};
}

test('pretty and compact pieces join to exactly JSON.stringify of the whole document', () => {
	const input = reportOf(readFileSync(fixture('go1.19-big-1642-goroutines.debug2.txt')));
	const whole = buildJsonReport(input);
	assert.equal([...jsonPieces(jsonReportParts(input), true)].join(''), JSON.stringify(whole, null, 2));
	assert.equal([...jsonPieces(jsonReportParts(input), false)].join(''), JSON.stringify(whole));
	assert.equal([...jsonPieces({empty: [], none: undefined, n: 1}, true)].join(''), JSON.stringify({empty: [], n: 1}, null, 2));
});

test('C1, bidi, zero-width and BOM characters are written as \\u escapes and decode to the same data', async () => {
	const input = reportOf(hostileDump());
	let text = '';
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			text += chunk.toString();
			done();
		},
	});
	await writePieces(sink, jsonPieces(jsonReportParts(input), true), '\n');
	assert.doesNotMatch(text, /[\u0080-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/);
	assert.match(text, /\\u009b/);
	assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(buildJsonReport(input))));
});

test('pprof labels from a target are escaped like every other string: in both header forms, keys and values', () => {
	// Go prints label text quoted (%q): the parser unquotes it, so the raw ESC / C1 CSI / U+202E are in the data.
	const text =
		'goroutine 7 [chan receive] {"ev\\x1bil": "\\x1b]52;c;eA==\\a\\u202e", k: v}:\nmain.f()\n\t/app/f.go:1 +0x1\n\n' +
		'goroutine 8 [select labels:{"t": "\\x9b2J"}]:\nmain.g()\n\t/app/f.go:2 +0x1\n';
	const input = reportOf(text);
	const json = [...jsonPieces(jsonReportParts(input), true)].join('');
	assert.doesNotMatch(json, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/, 'no raw control or bidi character');
	const labels = (JSON.parse(json) as {goroutines: Array<{id: number; labels?: Record<string, string>}>}).goroutines.map(g => [g.id, g.labels]);
	assert.deepEqual(labels, [
		[7, {'ev\u001bil': '\u001b]52;c;eA==\u0007\u202e', k: 'v'}],
		[8, {t: '\u009b2J'}],
	]);
});
