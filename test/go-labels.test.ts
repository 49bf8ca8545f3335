// pprof labels read live from real Go programs: test/go/labels prints its own dump with labelled
// goroutines, built by Go 1.26 (GODEBUG=tracebacklabels=1: labels inside the bracket, always quoted)
// and by Go 1.27 (module `go 1.27`: labels after the bracket, quoted only when needed; the toolchain
// comes through the module proxy, GOTOOLCHAIN=go1.27.3).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {execFile} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {parseDump} from '../source/dump/parse.ts';
import type {Goroutine} from '../source/dump/types.ts';
import {goBuild, stableModule} from './helpers/go-build.ts';
import {goEnv} from './helpers/go-example.ts';
import {skipUnless} from './helpers/tools.ts';

const run = promisify(execFile);
const program = fileURLToPath(new URL('./go/labels/main.go', import.meta.url));

/** The program's output, built as a module with this `go` line, with these extra environment variables. */
async function dumpOf(goLine: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Goroutine[]> {
	const dir = stableModule(`labels-go${goLine}`, {'main.go': readFileSync(program, 'utf8'), 'go.mod': `module labels\n\ngo ${goLine}\n`});
	const binary = await goBuild({dir, name: `labels-go${goLine}`, env: {...goEnv(), ...env}});
	const {stdout} = await run(binary, args, {env: {...goEnv(), ...env}, timeout: 60_000, maxBuffer: 1 << 24});
	const dump = parseDump(stdout);
	assert.equal(dump.unparsedHeaders, undefined, 'every header understood');
	return dump.goroutines;
}

const expected = [{handler: '/api/v1/export', tenant: 'acme'}, {emoji: 'héllo wörld', query: 'select "x", \'y\' from t where a=1'}, {leak: 'forgotten-sender'}];

function labelled(gs: Goroutine[]): Array<Readonly<Record<string, string>>> {
	return gs.filter(g => g.labels).map(g => g.labels!);
}

test('Go 1.26 with GODEBUG=tracebacklabels=1: labels inside the bracket are read, the state stays clean', {
	skip: skipUnless('go'),
	timeout: 360_000,
}, async () => {
	const gs = await dumpOf('1.26', {GOTOOLCHAIN: 'local', GODEBUG: 'tracebacklabels=1'});
	assert.deepEqual(labelled(gs), expected);
	assert.deepEqual(
		gs.filter(g => g.labels).map(g => g.state),
		['chan receive', 'chan receive', 'chan send'],
	);
	assert.ok(gs.find(g => g.labels?.['tenant'])!.rawState.includes('labels:{'), 'printed inside the bracket');
});

test('Go 1.27 (module go 1.27): labels after the bracket are read, with (leaked) from the leak profile', {
	skip: skipUnless('go'),
	timeout: 360_000,
}, async () => {
	const plain = await dumpOf('1.27', {GOTOOLCHAIN: 'go1.27.3'});
	assert.deepEqual(labelled(plain), expected);
	assert.ok(
		plain.every(g => !g.rawState.includes('labels:')),
		'printed after the bracket',
	);
	const leaks = await dumpOf('1.27', {GOTOOLCHAIN: 'go1.27.3'}, ['goroutineleak']);
	const sender = leaks.find(g => g.labels?.['leak'] === 'forgotten-sender')!;
	assert.deepEqual([sender.state, sender.leaked, sender.frames.some(frame => frame.func.startsWith('main.main.func'))], ['chan send', true, true]);
	assert.deepEqual(
		leaks.filter(g => g.leaked).map(g => g.id),
		[sender.id],
	);
});
