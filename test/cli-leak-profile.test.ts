// A leak proven by Go's goroutineleak profile (Go 1.26+) through the real binary. Go 1.19 here
// cannot serve that profile, so a loopback server stands in for the target: it serves a real
// debug=2 dump and a goroutineleak record cut from the same process's debug=1 profile.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test} from 'node:test';
import schema from '../source/report/schema.json' with {type: 'json'};
import {validate} from './helpers/json-schema.ts';
import {fixture, runCli} from './helpers/run-cli.ts';

const dump = readFileSync(fixture('go1.19-statezoo-all-states.debug2.txt'));
// Goroutine 19 of that dump, `[chan send]` in main.main.func3, as its debug=1 record.
const leakProfile = [
	'goroutineleak profile: total 1',
	'1 @ 0x43b296 0x40708c 0x406c3d 0x67914a 0x46b2e1',
	'#\t0x679149\tmain.main.func3+0x69\t/home/dev/statezoo/main.go:241',
	'',
	'',
].join('\n');

test('goroutines Go proved leaked rank first as PROVEN and fail the gate at any threshold', async t => {
	const requests: string[] = [];
	const server = createServer((request, response) => {
		requests.push(request.url ?? '');
		const url = new URL(request.url ?? '/', 'http://x');
		if (url.pathname === '/debug/pprof/goroutine' && url.searchParams.get('debug') === '2') response.end(dump);
		else if (url.pathname === '/debug/pprof/goroutineleak' && url.searchParams.get('debug') === '1') response.end(leakProfile);
		else response.writeHead(404).end('404 page not found\n');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => new Promise<void>(resolve => server.close(() => resolve())));
	const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;

	const json = await runCli(['--json', '--fail-on-suspects=1000', target]);
	assert.equal(json.code, 1, json.stderr);
	assert.match(json.stderr, /^gmon: leak gate failed: Go proved 1 goroutine leaked; top: proven leak: /);
	const document = JSON.parse(json.stdout) as Record<string, any>;
	assert.deepEqual(validate(schema, document), []);
	const top = document['suspects'][0];
	assert.equal(top.proven, true);
	assert.equal(top.where.function, 'main.main.func3');
	assert.equal(top.state, 'chan send');
	assert.equal(document['goroutines'].find((g: {id: number}) => g.id === 19).leaked, true);
	assert.ok(
		requests.some(url => url.startsWith('/debug/pprof/goroutineleak')),
		'gmon asked for the leak profile',
	);

	const text = await runCli(['--once', target]);
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /, 1 proven leaked( · \d+ possible at \d+ sites?)?$/m);
	assert.match(text.stdout, /^ {2}1\. proven leak: 1 goroutine in chan send at main\.go:241/m);
});

test('a saved goroutineleak profile is all proven leaks: the gate fails whatever the threshold', async () => {
	const saved = leakProfile.replace('total 1', 'total 3').replace('1 @', '3 @');
	const result = await runCli(['--once', '--fail-on-suspects=10', '-'], {stdin: saved});
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.stdout, /^3 goroutines · 3 suspect goroutines at 1 site, 3 proven leaked$/m);
	assert.match(result.stdout, /^ {2}1\. proven leak: 3 goroutines at main\.go:241$/m);
	assert.match(result.stderr, /^gmon: leak gate failed: Go proved 3 goroutines leaked/);
	// Nothing is missing from a leak profile: no word about debug=1.
	assert.doesNotMatch(result.stderr, /debug=1/);
});

test('on a debug=1 goroutine profile the gate says it could count only proven leaks, and passes with none', async () => {
	// 1642 goroutines, counts per stack, no states: the model can find no suspects in it.
	const result = await runCli(['--once', '--fail-on-suspects', fixture('go1.19-big-1642-goroutines.debug1.txt')]);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout, /^1642 goroutines/m);
	const lines = result.stderr.split('\n').filter(line => line !== '');
	assert.equal(lines.length, 1, `expected one line on stderr, got:\n${result.stderr}`);
	assert.match(lines[0]!, /^gmon: the leak gate could count only proven leaks: a debug=1 profile has no goroutine states .*; fetch \?debug=2$/);
});
