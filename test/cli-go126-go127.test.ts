// Go 1.26 / 1.27 dumps through the real binary: `--once --json` counts every goroutine of every
// go1.26-* / go1.27-* fixture; the leak profile's edges (main parked in `select {}`, Go 1.27.3's
// empty record) are never proven leaks, offline or live; a header shape gmon does not know is shown.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import schema from '../source/report/schema.json' with {type: 'json'};
import {validate} from './helpers/json-schema.ts';
import {fixture, runCli} from './helpers/run-cli.ts';

type Report = Record<string, any>;

async function jsonReport(args: readonly string[]): Promise<Report> {
	const result = await runCli(['--once', '--json', ...args]);
	assert.equal(result.code, 0, result.stderr);
	const document = JSON.parse(result.stdout) as Report;
	assert.deepEqual(validate(schema, document), [], 'matches source/report/schema.json');
	return document;
}

/**
 * Goroutines per fixture, from test/fixtures/dumps/README.md. A goroutineleak debug=1 profile counts
 * its records, less Go 1.27.3's empty one (no goroutine: see leak-match.ts).
 */
const counts: Record<string, number> = {
	'go1.26-fatal-deadlock.txt': 4,
	'go1.26-leakzoo-goroutine-after-leakcheck.debug2.txt': 39,
	'go1.26-leakzoo-goroutineleak.debug1.txt': 21,
	'go1.26-leakzoo-goroutineleak.debug2.txt': 39,
	'go1.26-panic-gotraceback-all.txt': 39,
	'go1.26-selectmain-goroutineleak.debug1.txt': 2,
	'go1.26-selectmain-goroutineleak.debug2.txt': 5,
	'go1.26-sigquit-crash.txt': 46,
	'go1.26-statezoo-all-states.debug2.txt': 42,
	'go1.26-statezoo-labels.debug1.txt': 42,
	'go1.26-statezoo-tracebacklabels.debug2.txt': 42,
	'go1.27-fatal-deadlock.txt': 4,
	'go1.27-leakzoo-goroutine-after-leakcheck.debug2.txt': 39,
	'go1.27-leakzoo-goroutineleak-1-minutes.debug2.txt': 39,
	'go1.27-leakzoo-goroutineleak.debug1.txt': 21,
	'go1.27-leakzoo-goroutineleak.debug2.txt': 39,
	'go1.27-panic-gotraceback-all.txt': 39,
	'go1.27-selectmain-goroutineleak.debug1.txt': 1,
	'go1.27-selectmain-goroutineleak.debug2.txt': 5,
	'go1.27-sigquit-crash.txt': 47,
	'go1.27-statezoo-all-states.debug2.txt': 42,
	'go1.27-statezoo-labels.debug1.txt': 42,
};

/**
 * One `gmon --once --json` over every fixture, shared by the tests below: several targets give one
 * fleet document whose `reports` are each exactly what `gmon --once --json FILE` prints (cli-fleet
 * checks that), and one process instead of 22 keeps the suite inside its time.
 */
async function reportAll(): Promise<Map<string, Report>> {
	const names = Object.keys(counts);
	const fleet = await jsonReport(names.map(name => fixture(name)));
	const documents = new Map<string, Report>();
	for (const document of fleet['reports'] as Report[]) documents.set(String(document['target']).split('/').at(-1)!, document);
	assert.deepEqual([...documents.keys()].sort(), [...names].sort(), 'one report per fixture');
	return documents;
}

let reports: Promise<Map<string, Report>> | undefined;
async function report(name: string): Promise<Report> {
	reports ??= reportAll();
	return (await reports).get(name)!;
}

test('gmon --once --json counts every goroutine of every Go 1.26 / 1.27 fixture', async () => {
	const readme = readFileSync(fixture('README.md'), 'utf8');
	const files = readme.match(/^\| `(go1\.2[67]-[^`]+)`/gm)!.map(row => row.slice(3, -1));
	assert.deepEqual(files.sort(), Object.keys(counts).sort(), 'every fixture has its count here');
	for (const [name, count] of Object.entries(counts)) {
		const document = await report(name);
		assert.equal(document['total'], count, `${name}: total`);
		assert.equal(document['unparsedHeaders'], undefined, `${name}: every header understood`);
		if (document['kind'] === 'traceback') {
			assert.equal(document['goroutines'].length, count, `${name}: goroutines listed`);
			const states = Object.values(document['states'] as Record<string, number>).reduce((a, b) => a + b, 0);
			assert.equal(states, count, `${name}: states sum to the total`);
		}
	}
});

test("--json carries each goroutine's pprof labels: Go 1.26 with tracebacklabels=1 (in the bracket) and Go 1.27 (after it)", async () => {
	// README facts: 7 labelled headers in each; ids 50–56 (1.26) and 7–13 (1.27), in the same order.
	for (const [name, firstId] of [
		['go1.26-statezoo-tracebacklabels.debug2.txt', 50],
		['go1.27-statezoo-all-states.debug2.txt', 7],
	] as const) {
		const goroutines = (await report(name))['goroutines'] as Report[];
		const labelled = goroutines.filter(g => g['labels'] !== undefined);
		assert.deepEqual(
			labelled.map(g => g['id']),
			[0, 1, 2, 3, 4, 5, 6].map(i => firstId + i),
			`${name}: the labelled goroutines`,
		);
		const byId = new Map(labelled.map(g => [g['id'] as number, g['labels']]));
		assert.deepEqual(byId.get(firstId), {handler: '/api/v1/export', tenant: 'acme', worker: '0'}, name);
		assert.deepEqual(byId.get(firstId + 5), {handler: '/api/v1/export', tenant: 'globex', worker: '2'}, name);
		// Quoted with escapes in the dump (`"h\u00e9llo w\u00f6rld"`, `"select \"x\", …"`): unquoted here.
		assert.deepEqual(byId.get(firstId + 6), {emoji: 'héllo wörld', query: `select "x", 'y' from t where a=1`}, name);
	}
	const unlabelled = (await report('go1.26-statezoo-all-states.debug2.txt'))['goroutines'] as Report[];
	assert.ok(
		unlabelled.every(g => !('labels' in g)),
		'no labels key where the header has none',
	);
});

/** Goroutines in proven suspects. */
const provenCount = (document: Report): number =>
	(document['suspects'] as Report[]).filter(suspect => suspect.proven).reduce((sum, suspect) => sum + suspect.count, 0);

test("each leakzoo fixture's proven count equals its (leaked) marks: 21", async () => {
	const names = Object.keys(counts).filter(name => name.includes('-leakzoo-'));
	assert.equal(names.length, 7);
	for (const name of names) {
		const document = await report(name);
		assert.equal(provenCount(document), 21, name);
		if (document['kind'] === 'traceback') {
			assert.equal((document['goroutines'] as Report[]).filter(g => g.leaked).length, 21, `${name}: goroutines marked`);
		}
	}
});

const selectmain = [
	'go1.26-selectmain-goroutineleak.debug1.txt',
	'go1.26-selectmain-goroutineleak.debug2.txt',
	'go1.27-selectmain-goroutineleak.debug1.txt',
	'go1.27-selectmain-goroutineleak.debug2.txt',
];

function assertOneProvenAtLine18(document: Report, label: string): void {
	const proven = (document['suspects'] as Report[]).filter(suspect => suspect.proven);
	assert.equal(proven.length, 1, `${label}: one proven suspect`);
	assert.deepEqual([proven[0]!.count, proven[0]!.where.function, proven[0]!.where.line], [1, 'main.forgottenSender.func1', 18], label);
	assert.match(proven[0]!.where.file, /\/main\.go$/);
	assert.equal(provenCount(document), 1, `${label}: one goroutine proven`);
}

test('each selectmain fixture gives exactly one proven suspect, at main.go:18: main parked in select {} is no leak', async () => {
	for (const name of selectmain) {
		const document = await report(name);
		assertOneProvenAtLine18(document, name);
		assert.ok(!(document['suspects'] as Report[]).some(suspect => suspect.where?.function === 'main.main' || !suspect.where?.function), name);
		if (document['kind'] === 'traceback') {
			const main = (document['goroutines'] as Report[]).find(g => g.id === 1)!;
			assert.deepEqual([main.state, main.leaked], ['select (no cases)', false], `${name}: main is not reported leaked`);
		}
	}
	const text = await runCli(['--once', fixture('go1.27-selectmain-goroutineleak.debug1.txt')]);
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /^ {2}1\. proven leak: 1 goroutine at main\.go:18$/m);
	assert.doesNotMatch(text.stdout, /goroutines? at $/m, 'no proven leak at an empty place');
});

test('--fail-on-suspects does not fail on the empty record or the parked main alone, and fails on the real leak', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-leak-edges-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const [empty, sender] = readFileSync(fixture('go1.27-selectmain-goroutineleak.debug1.txt'), 'latin1').split('\n\n');
	// Only Go 1.27.3's empty record, as its own profile.
	const onlyEmpty = join(dir, 'empty.txt');
	writeFileSync(onlyEmpty, `${empty!.replace('total 2', 'total 1')}\n\n`);
	// Only Go 1.26's record of main parked in select {}.
	const go126 = readFileSync(fixture('go1.26-selectmain-goroutineleak.debug1.txt'), 'latin1').split('\n\n');
	const onlyMain = join(dir, 'main.txt');
	writeFileSync(onlyMain, `goroutineleak profile: total 1\n${go126[1]}\n\n`);
	assert.match(sender!, /main\.forgottenSender\.func1/);
	for (const file of [onlyEmpty, onlyMain]) {
		const result = await runCli(['--once', '--fail-on-suspects=1', file]);
		assert.equal(result.code, 0, `${file}: ${result.stdout}${result.stderr}`);
		assert.match(result.stdout, /no likely leaks$/m);
	}
	for (const name of [selectmain[0]!, selectmain[3]!]) {
		const result = await runCli(['--once', '--fail-on-suspects=1000', fixture(name)]);
		assert.equal(result.code, 1, name);
		assert.match(result.stderr, /leak gate failed: Go proved 1 goroutine leaked; top: proven leak: 1 goroutine (in chan send )?at main\.go:18/, name);
	}
});

test('live: a target serving the selectmain dump and its leak profile shows one proven suspect, at main.go:18', async t => {
	for (const version of ['go1.26', 'go1.27']) {
		const dump = readFileSync(fixture(`${version}-selectmain-goroutineleak.debug2.txt`));
		const leaks = readFileSync(fixture(`${version}-selectmain-goroutineleak.debug1.txt`));
		const server = createServer((request, response) => {
			const url = new URL(request.url ?? '/', 'http://x');
			if (url.pathname === '/debug/pprof/goroutine' && url.searchParams.get('debug') === '2') response.end(dump);
			else if (url.pathname === '/debug/pprof/goroutineleak' && url.searchParams.get('debug') === '1') response.end(leaks);
			else response.writeHead(404).end('404 page not found\n');
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		t.after(() => new Promise<void>(resolve => server.close(() => resolve())));
		const document = await jsonReport([`127.0.0.1:${(server.address() as AddressInfo).port}`]);
		assert.equal(document['total'], 5, version);
		assertOneProvenAtLine18(document, version);
	}
});

test('a header shape gmon does not know: counted in --once text (sanitized), --json and the schema', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-unknown-header-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const file = join(dir, 'future.txt');
	writeFileSync(
		file,
		'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:3 +0x1\n\ngoroutine 7 [chan receive] <\x1b[31mfuture: x>:\nmain.f()\n\t/app/f.go:1 +0x1\n\ngoroutine 8 [chan receive]:\nmain.g()\n\t/app/f.go:2 +0x1\n',
	);
	const text = await runCli(['--once', file]);
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /^2 goroutines · /m);
	assert.match(text.stdout, /^1 goroutine header not understood: goroutine 7 \[chan receive\] <\\x1b\[31mfuture: x>:$/m);
	assert.doesNotMatch(text.stdout, /\x1b/, 'no byte from the target reaches the terminal unescaped');
	const document = await jsonReport([file]);
	assert.equal(document['total'], 2);
	assert.deepEqual(document['unparsedHeaders'], {count: 1, first: 'goroutine 7 [chan receive] <\x1b[31mfuture: x>:'});
});
