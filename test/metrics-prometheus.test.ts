// gmon --metrics-listen scraped by a real Prometheus (Debian's `prometheus`): the leaky Go example
// leaks goroutines while gmon watches it headless, Prometheus scrapes gmon every second, and its
// HTTP API must then hold gmon_suspect_goroutines for the leak's function, file and line. The
// README's alert rule is loaded into the same Prometheus, which must accept it. Prometheus
// negotiates OpenMetrics, so this is also the judge of that format; promtool judges the classic one.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {curl} from './helpers/screen.ts';
import {leakSites, startLeaky} from './helpers/go-example.ts';
import {repoDir} from './helpers/run-cli.ts';
import {scrape, startMetricsGmon} from './helpers/serve-metrics.ts';
import {freePort} from './helpers/ports.ts';
import {skipUnless} from './helpers/tools.ts';

const skip = skipUnless('go', 'prometheus', 'promtool');

/** The alert rule block of the README, as written there. */
function readmeAlertRule(): string {
	const readme = readFileSync(join(repoDir, 'README.md'), 'utf8');
	const match = /<!-- alert rule:[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(readme);
	assert.ok(match?.[1], 'README.md has the alert rule block');
	return match[1];
}

interface Series {
	metric: Record<string, string>;
	value: [number, string];
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
		await delay(200);
	}
}

test('a real Prometheus scrapes gmon --metrics-listen and its API returns the leak as gmon_suspect_goroutines; the README alert rule loads', {
	skip,
	timeout: 40_000,
}, async t => {
	const service = await startLeaky({background: false});
	t.after(() => service.stop());
	const fanout = leakSites().find(site => site.name === 'fanout')!;
	const gmon = await startMetricsGmon(['--interval', '300ms', '--stuck-after', '2', '--max-overhead', '0', `127.0.0.1:${service.port}`]);
	t.after(() => gmon.stop());

	// Leak after gmon's first poll: goroutines born under watch that then stay stuck are a suspect.
	await until('gmon up', 5000, async () => ((await scrape(gmon.url)).body.includes(`gmon_up{target="127.0.0.1:${service.port}"} 1`) ? true : undefined));
	for (let call = 0; call < 3; call++) await curl(service, fanout.path);
	const classic = await until('the suspect on gmon /metrics', 8000, async () => {
		const {body} = await scrape(gmon.url);
		return body.includes('gmon_suspect_goroutines{') ? body : undefined;
	});

	// The classic text format, linted by Prometheus's own promtool.
	const lint = await new Promise<{code: number | null; out: string}>(resolve => {
		const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) =>
			resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, out: stdout + stderr}),
		);
		child.stdin!.end(classic);
	});
	assert.equal(lint.code, 0, `promtool check metrics: ${lint.out}`);

	const dir = mkdtempSync(join(tmpdir(), 'gmon-prometheus-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	writeFileSync(join(dir, 'rules.yml'), readmeAlertRule());
	const target = new URL(gmon.url).host;
	writeFileSync(
		join(dir, 'prometheus.yml'),
		[
			'global:',
			'  scrape_interval: 1s',
			'  evaluation_interval: 1s',
			'rule_files:',
			`  - ${join(dir, 'rules.yml')}`,
			'scrape_configs:',
			'  - job_name: gmon',
			`    static_configs: [{targets: ['${target}']}]`,
			'',
		].join('\n'),
	);
	const port = await freePort();
	const prometheus = spawn(
		'prometheus',
		[`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
		{stdio: ['ignore', 'ignore', 'pipe']},
	);
	let log = '';
	prometheus.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
	const prometheusExited = new Promise<void>(resolve => prometheus.once('exit', () => resolve()));
	t.after(async () => {
		prometheus.kill('SIGTERM');
		await prometheusExited;
	});
	const api = `http://127.0.0.1:${port}/api/v1`;

	const series = await until(`gmon_suspect_goroutines in Prometheus (log: ${log.slice(-400)})`, 15_000, async () => {
		const response = await fetch(`${api}/query?query=${encodeURIComponent('gmon_suspect_goroutines')}`);
		const json = (await response.json()) as {status: string; data: {result: Series[]}};
		return json.status === 'success' && json.data.result.length > 0 ? json.data.result : undefined;
	});
	const leak = series.find(s => s.metric['function'] === fanout.func);
	assert.ok(leak, `a series for ${fanout.func}: ${JSON.stringify(series)}`);
	assert.equal(leak.metric['job'], 'gmon');
	assert.equal(leak.metric['target'], `127.0.0.1:${service.port}`);
	assert.equal(leak.metric['state'], fanout.state);
	assert.equal(leak.metric['line'], String(fanout.line));
	assert.match(leak.metric['file'] ?? '', new RegExp(`/${fanout.file}$`));
	assert.ok(leak.metric['tier'], 'a tier label');
	assert.ok(Number(leak.value[1]) >= 3 * fanout.leakedPerCall, `all ${3 * fanout.leakedPerCall} leaked goroutines counted: ${leak.value[1]}`);

	// Prometheus asked for OpenMetrics and took it: the scrape is healthy.
	const targets = (await (await fetch(`${api}/targets`)).json()) as {data: {activeTargets: Array<{health: string; lastError: string}>}};
	assert.deepEqual(
		targets.data.activeTargets.map(active => [active.health, active.lastError]),
		[['up', '']],
	);
	// The README's alert rule: loaded, healthy, and its expression sees the leak (pending: `for: 10m`).
	const rules = await until('the alert rule evaluated', 5000, async () => {
		const json = (await (await fetch(`${api}/rules`)).json()) as {
			data: {groups: Array<{rules: Array<{name: string; health: string; state: string; alerts: unknown[]}>}>};
		};
		const rule = json.data.groups.flatMap(group => group.rules).find(r => r.name === 'GoroutineLeakSuspect');
		return rule && rule.health === 'ok' && rule.alerts.length > 0 ? rule : undefined;
	});
	assert.equal(rules.state, 'pending', 'the leak holds the alert pending until it lasts 10 minutes');
});
