// Real, healthy Go services from Debian (etcd, alertmanager, caddy, prometheus), each on loopback
// random ports with its own temp dir: gmon as a CI job runs it (`--once --polls 3 --interval 1s
// --json`, the compiled binary) must find no likely-or-above leak and at most one possible site,
// idle and under ordinary load (the false-positive half of the verdicts' goal; `npm run eval`
// prints the same per service). The services run side by side to keep the file short.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {services, type RunningService, type ServiceSpec} from './corpus/services.ts';
import {runCli} from './helpers/run-cli.ts';
import {skipUnless} from './helpers/tools.ts';

interface Report {
	total: number;
	suspects: Array<{tier: 'proven' | 'likely' | 'possible'; reason: string}>;
}

// `--max-overhead 0`: 3 polls at 1 s as in `npm run eval`, also when a cold first dump on a busy
// machine is slow enough for gmon's overhead budget to space the full dumps out (seconds each).
async function report(service: RunningService): Promise<Report> {
	const args = [service.url, '--once', '--polls', '3', '--interval', '1s', '--max-overhead', '0', '--json'];
	const result = await runCli(args, {env: {NO_COLOR: '1'}});
	assert.equal(result.code, 0, `gmon exited ${result.code}: ${result.stderr}`);
	return JSON.parse(result.stdout) as Report;
}

function check(spec: ServiceSpec, mode: string, r: Report, diagnostic: (text: string) => void): void {
	const likely = r.suspects.filter(s => s.tier !== 'possible').map(s => s.reason);
	const possible = r.suspects.filter(s => s.tier === 'possible').map(s => s.reason);
	diagnostic(
		`${spec.name} ${mode}: ${r.total} goroutines, ${likely.length} likely+, ${possible.length} possible${possible.length ? `: ${possible.join(' | ')}` : ''}`,
	);
	assert.ok(r.total > 0, `${spec.name} ${mode}: gmon counted no goroutines`);
	assert.deepEqual(likely, [], `${spec.name} ${mode}: a healthy service flagged likely or above`);
	assert.ok(possible.length <= 1, `${spec.name} ${mode}: ${possible.length} possible sites (at most 1):\n${possible.join('\n')}`);
}

test('real Go services, idle and under ordinary load: no likely leak and at most one possible site each', {concurrency: true, timeout: 90_000}, async t => {
	await Promise.all(
		services.map(spec =>
			t.test(`${spec.name} (Debian ${spec.pkg}; load: ${spec.loadText})`, {skip: skipUnless(spec.tool)}, async t => {
				const service = await spec.start();
				t.after(() => service.stop());
				check(spec, 'idle', await report(service), text => t.diagnostic(text));

				const traffic = new AbortController();
				const load = service.load(traffic.signal);
				try {
					await sleep(1500); // connections opened, streams and groups set up, then gmon looks
					check(spec, 'under load', await report(service), text => t.diagnostic(text));
				} finally {
					traffic.abort();
					await load;
				}
			}),
		),
	);
});
