// One target, two outputs: the TUI's store and the report (`gmon --json --polls N`, the real binary)
// both subscribe to the watch engine, so the same poll sequence from a loopback target — real dumps
// of two processes (a restart), a failed poll between them, and Go's goroutineleak profile — gives
// the same groups, the same suspects and the same proven leaks.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test} from 'node:test';
import {buildConfig} from '../source/config.ts';
import {buildJsonReport, type JsonReport} from '../source/report/json.ts';
import type {PollMeta} from '../source/report/types.ts';
import type {MonitorState} from '../source/watch/types.ts';
import {createMonitor} from '../source/watch/store.ts';
import {fixture, runCli} from './helpers/run-cli.ts';

const zoo = readFileSync(fixture('go1.26-statezoo-all-states.debug2.txt'));
const leakzoo = readFileSync(fixture('go1.26-leakzoo-goroutine-after-leakcheck.debug2.txt'));
const leakProfile = readFileSync(fixture('go1.26-leakzoo-goroutineleak.debug1.txt'));
/** What the target answers to the n-th debug=2 request: a 503 is a failed poll, then another process. */
const sequence: Array<Buffer | 503> = [zoo, zoo, 503, leakzoo, leakzoo, leakzoo];

/** A pprof look-alike that walks through `sequence` (the last answer repeats), one request at a time. */
async function sequenceTarget(t: {after(fn: () => unknown): void}): Promise<{target: string; requests: string[]}> {
	const requests: string[] = [];
	let next = 0;
	const server = createServer((request, response) => {
		requests.push(request.url ?? '');
		const url = new URL(request.url ?? '/', 'http://x');
		if (url.pathname === '/debug/pprof/goroutine' && url.searchParams.get('debug') === '2') {
			const answer = sequence[Math.min(next++, sequence.length - 1)]!;
			if (answer === 503) response.writeHead(503).end('busy\n');
			else response.end(answer);
		} else if (url.pathname === '/debug/pprof/goroutineleak') response.end(leakProfile);
		else response.writeHead(404).end('404 page not found\n');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	return {target: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests};
}

const flags = {interval: '100ms', maxOverhead: 0, stuckAfter: 2};

/** The store, fed until it has seen as many polls (dumps or failures) as the sequence has. */
async function throughStore(target: string): Promise<JsonReport> {
	const monitor = createMonitor(buildConfig(target, flags));
	let previous: MonitorState = monitor.getState();
	let polls = 0;
	const metas: PollMeta[] = [];
	const errors: Array<{at: number; kind: string; message: string}> = [];
	await new Promise<void>(resolve => {
		monitor.subscribe(() => {
			const state = monitor.getState();
			if (state.dump && state.dump !== previous.dump) {
				polls++;
				metas.push({at: state.dump.at, fetchMs: state.dump.durationMs, bytes: state.dump.bytes, truncated: state.dump.truncated});
			} else if (state.poller.error && state.poller.error !== previous.poller.error) {
				polls++;
				errors.push(state.poller.error);
			}
			previous = state;
			if (polls === sequence.length) resolve();
		});
	});
	await monitor.control.stop();
	const state = monitor.getState();
	return buildJsonReport({
		target,
		kind: state.dump!.dump.kind,
		snapshot: state.model!,
		polls: {count: metas.length, first: metas[0]!, last: metas.at(-1)!},
		errors,
		hideIdle: false,
	});
}

/** What both outputs must agree on; timings (growth per minute, observed waits, scores) move with the clock. */
function verdict(document: JsonReport) {
	const byKey = (a: {key: string}, b: {key: string}) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
	return {
		total: document.total,
		states: document.states,
		polls: document.poll.polls,
		errors: document.errors.map(error => error.kind),
		groups: document.groups.map(g => ({key: g.key, count: g.count, states: g.states, stuck: g.stuck, leaked: g.leaked, suspect: g.suspect})).sort(byKey),
		suspects: document.suspects.map(s => ({key: s.group, count: s.count, state: s.state, proven: s.proven, where: s.where})).sort(byKey),
		leaked: document.goroutines.filter(g => g.leaked).map(g => g.id),
	};
}

test('the TUI store and the JSON report see one poll sequence alike: groups, suspects, proven leaks, the failed poll', async t => {
	const forStore = await sequenceTarget(t);
	const store = verdict(await throughStore(forStore.target));

	const forReport = await sequenceTarget(t);
	const result = await runCli([
		'--json',
		'--polls',
		String(sequence.length),
		'--interval',
		'100ms',
		'--max-overhead',
		'0',
		'--stuck-after',
		'2',
		forReport.target,
	]);
	assert.equal(result.code, 0, result.stderr);
	const report = verdict(JSON.parse(result.stdout) as JsonReport);

	assert.deepEqual(report, store);
	// The comparison has teeth: the sequence reached the second process, Go's proof, and the failure.
	assert.equal(store.polls, 5);
	assert.deepEqual(store.errors, ['server']);
	assert.ok(
		store.suspects.some(suspect => suspect.proven),
		'a proven leak among the suspects',
	);
	assert.ok(store.leaked.length > 0, 'goroutines marked leaked');
	assert.ok(store.groups.length > 3);
	assert.deepEqual(forReport.requests.filter(url => url.includes('debug=2')).length, sequence.length, 'the report asked for exactly one dump per poll');
});
