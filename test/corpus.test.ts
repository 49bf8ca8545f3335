// A representative slice of the labelled corpus (test/corpus; `npm run eval` runs all of it):
// real Go programs leak the way services do, and one dump read through gmon's own parser and
// model must flag each leak at its labelled line with the expected tier, and never flag the
// healthy shapes likely. The baseline gate runs through the real CLI.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {buildCorpus, buildSpecs, labelledSites, model, poll, score, startScenario} from './corpus/corpus.ts';
import {runCli} from './helpers/run-cli.ts';
import {skipUnless} from './helpers/tools.ts';

const skip = skipUnless('go');

// One dump, 1.5 s after start: a burst of 6 requests and a few more have leaked.
const expected: ReadonlyArray<[string, 'likely' | 'possible' | 'none']> = [
	['forgotten-sender', 'likely'], // a sender whose starter returned: nobody will receive
	['nil-chan-send', 'likely'], // can never wake
	['waitgroup-add-too-many', 'likely'],
	['range-never-closed', 'possible'], // a receive: healthy workers wait like this too
	['mutex-never-unlocked', 'possible'],
	['idle-pool', 'none'],
	['per-key-goroutines', 'none'],
	['backpressure', 'none'],
];

/** The built gmon (binPath), as a CI job runs it. */
const gmon = (args: string[]) => runCli(args, {env: {NO_COLOR: '1'}});

test('the corpus: each leak flagged at its labelled line with its tier from ONE dump; healthy shapes never likely; the baseline gate', {
	skip,
	timeout: 120_000,
}, async t => {
	const build = await buildCorpus(buildSpecs[0]!);
	const sites = labelledSites();
	const running = await Promise.all(expected.map(([name]) => startScenario(build.binary, name)));
	// The baseline scenario: no burst, a trickle that starts after the baseline is taken.
	const quiet = await startScenario(build.binary, 'forgotten-sender', ['-burst', '0', '-every', '150ms']);
	const healthy = await startScenario(build.binary, 'idle-pool');
	t.after(() => Promise.all([...running, quiet, healthy].map(r => r.stop())));
	const baselines = await Promise.all(
		[quiet, healthy].map(async r => {
			const file = join(tmpdir(), `gmon-baseline-${r.name}-${process.pid}.txt`);
			writeFileSync(file, Buffer.from(await (await fetch(`${r.url}/debug/pprof/goroutine?debug=2`)).arrayBuffer()));
			return file;
		}),
	);
	await sleep(1500);
	const polls = await Promise.all(running.map(r => poll(r.url, false)));

	for (const [index, [name, tier]] of expected.entries()) {
		await t.test(`${name}: ${tier === 'none' ? 'no likely suspect, at most one possible' : `${tier} at its LEAK(${name}) line`}`, () => {
			const s = score(model([polls[index]!]), sites.get(name) ?? []);
			const others = s.suspects.filter(x => !(sites.get(name) ?? []).some(site => x.where?.line === site.line));
			if (tier === 'none') {
				assert.deepEqual(
					others.filter(x => x.tier !== 'possible').map(x => x.reason),
					[],
				);
				assert.ok(others.length <= 1, others.map(x => x.reason).join(' | '));
				return;
			}
			assert.equal(s.tier, tier, `${name}: ${s.suspects.map(x => x.reason).join(' | ')}`);
			assert.ok(s.atSites >= 3, `${s.atSites} goroutines at the site`);
			assert.equal(s.caught.possible, s.atSites, 'every goroutine at the site is in the suspect');
			assert.match(s.reason!, new RegExp(`^${tier} leak: \\d+ goroutines in ${escapeRegExp(s.suspects[0]!.state)} at \\w+\\.go:\\d+ — `));
			assert.deepEqual(
				others.filter(x => x.tier !== 'possible').map(x => x.reason),
				[],
				'nothing else is likely',
			);
		});
	}

	await t.test('--baseline: what appeared during the workload and stays parked fails the gate; a healthy pool passes', async () => {
		const [leak, ok] = await Promise.all([
			gmon(['--once', '--baseline', baselines[0]!, quiet.url]),
			gmon(['--once', '--baseline', baselines[1]!, healthy.url]),
		]);
		assert.equal(leak.code, 1, leak.stdout + leak.stderr);
		assert.match(
			leak.stderr,
			/^gmon: leak gate failed: \d+ likely-or-above suspect goroutines \(threshold 1\); top: likely leak: \d+ goroutines in chan send at leaks_chan\.go:\d+ — .*appeared since the baseline/m,
		);
		assert.equal(ok.code, 0, ok.stdout + ok.stderr);
		assert.match(ok.stdout, /no likely leaks/);
	});
});

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
