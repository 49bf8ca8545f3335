// Real Go services from Debian, healthy, for the false-positive half of the verdicts' goal: each
// starts on loopback random ports with its own temp dir (never the system instance a package's
// postinst may have started), serves net/http/pprof, and has an ordinary load to put on it.
// Shared by test/services.test.ts (gmon as a CI job runs it) and `npm run eval`.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {freePort} from '../helpers/ports.ts';

export interface RunningService {
	/** What gmon is pointed at: `http://127.0.0.1:PORT`, serving /debug/pprof/. */
	url: string;
	/** Ordinary traffic until the signal aborts; resolves when every client has stopped. */
	load(signal: AbortSignal): Promise<void>;
	stop(): Promise<void>;
}

export interface ServiceSpec {
	name: string;
	/** The Debian package that ships it (.ci/run installs it). */
	pkg: string;
	/** The binary; test/helpers/tools.ts probes it. */
	tool: string;
	/** One line: what the load is. */
	loadText: string;
	start(): Promise<RunningService>;
}

// Services left running when the process exits (a failed test) are killed: one listener for all.
const children = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

/**
 * Spawn the service in a fresh temp dir (HOME and XDG dirs too, so nothing lands in the user's),
 * wait until `ready` answers 2xx, and give back its stop (SIGKILL, then the dir is removed).
 */
async function launch(
	name: string,
	command: string,
	args: (dir: string) => string[],
	ready: string,
	files: Record<string, string> = {},
): Promise<{dir: string; stop(): Promise<void>}> {
	const dir = mkdtempSync(join(tmpdir(), `gmon-svc-${name}-`));
	for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
	const env = {...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config')};
	const child = spawn(command, args(dir), {cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe']});
	children.add(child);
	let log = '';
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		await exited;
		children.delete(child);
		rmSync(dir, {recursive: true, force: true});
	};
	const deadline = Date.now() + 15_000;
	for (;;) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`${name} exited (${child.exitCode}): ${log}`);
		}
		try {
			const response = await fetch(ready, {signal: AbortSignal.timeout(1000)});
			await response.arrayBuffer();
			if (response.ok) return {dir, stop};
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${name} not ready at ${ready} after 15 s: ${log}`);
		}
		await sleep(100);
	}
}

/** `clients` loops of `step` until the signal aborts; a failed request ends nothing but that request. */
async function clients(signal: AbortSignal, count: number, step: (client: number, i: number) => Promise<void>, pause = 20): Promise<void> {
	await Promise.all(
		Array.from({length: count}, async (_, client) => {
			for (let i = 0; !signal.aborted; i++) {
				try {
					await step(client, i);
				} catch {
					// an aborted or refused request: the loop decides whether to go on
				}
				await sleep(pause, undefined, {signal}).catch(() => undefined);
			}
		}),
	);
}

async function send(url: string, init: RequestInit = {}): Promise<string> {
	const response = await fetch(url, init);
	return response.text();
}

const json = (body: unknown, signal?: AbortSignal): RequestInit => ({
	method: 'POST',
	headers: {'content-type': 'application/json'},
	body: JSON.stringify(body),
	...(signal ? {signal} : {}),
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

// etcd 3.4: a single member; clients put and get through the gRPC gateway (JSON, base64 keys) and
// hold watch streams open on the keys they write.
const etcd: ServiceSpec = {
	name: 'etcd',
	pkg: 'etcd-server',
	tool: 'etcd',
	loadText: '4 clients put+get, 3 watch streams',
	async start() {
		const [client, peer] = [await freePort(), await freePort()];
		const url = `http://127.0.0.1:${client}`;
		const peerUrl = `http://127.0.0.1:${peer}`;
		const {stop} = await launch(
			'etcd',
			'etcd',
			dir => [
				'--name=gmon',
				`--data-dir=${join(dir, 'data')}`,
				`--listen-client-urls=${url}`,
				`--advertise-client-urls=${url}`,
				`--listen-peer-urls=${peerUrl}`,
				`--initial-advertise-peer-urls=${peerUrl}`,
				`--initial-cluster=gmon=${peerUrl}`,
				'--enable-pprof',
				'--log-level=error',
			],
			`${url}/health`,
		);
		return {
			url,
			stop,
			async load(signal) {
				const watches = Array.from({length: 3}, async (_, w) => {
					try {
						const response = await fetch(`${url}/v3/watch`, json({create_request: {key: b64(`k${w}-`), range_end: b64(`k${w}.`)}}, signal));
						for await (const _chunk of response.body!) if (signal.aborted) break;
					} catch {
						// aborted at the end of the load
					}
				});
				await clients(signal, 4, async (c, i) => {
					await send(`${url}/v3/kv/put`, json({key: b64(`k${c}-${i % 50}`), value: b64(`v${i}`)}));
					await send(`${url}/v3/kv/range`, json({key: b64(`k${c}-`), range_end: b64(`k${c}.`)}));
				});
				await Promise.all(watches);
			},
		};
	},
};

// Alertmanager: clustering off; alerts posted in batches with several names and instances, so it
// keeps one aggregation group (a per-key goroutine with its timers) per name and instance.
const alertmanager: ServiceSpec = {
	name: 'alertmanager',
	pkg: 'prometheus-alertmanager',
	tool: 'prometheus-alertmanager',
	loadText: '3 clients POST alerts (5 names × 4 instances)',
	async start() {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		const config = [
			'route:',
			'  receiver: discard',
			"  group_by: ['alertname', 'instance']",
			'  group_wait: 1s',
			'  group_interval: 2s',
			'  repeat_interval: 1h',
			'receivers:',
			'  - name: discard',
			'',
		].join('\n');
		const {stop} = await launch(
			'alertmanager',
			'prometheus-alertmanager',
			dir => [
				`--config.file=${join(dir, 'alertmanager.yml')}`,
				`--storage.path=${join(dir, 'data')}`,
				`--web.listen-address=127.0.0.1:${port}`,
				'--cluster.listen-address=',
				'--log.level=error',
			],
			`${url}/-/ready`,
			{'alertmanager.yml': config},
		);
		return {
			url,
			stop,
			async load(signal) {
				await clients(
					signal,
					3,
					async (c, i) => {
						const alerts = Array.from({length: 4}, (_, k) => ({
							labels: {alertname: `Alert${(i + k) % 5}`, instance: `host${(c + k) % 4}`, severity: 'warning'},
							annotations: {summary: 'gmon load'},
						}));
						await send(`${url}/api/v2/alerts`, json(alerts));
						if (i % 5 === 0) await send(`${url}/api/v2/alerts/groups`);
					},
					100,
				);
			},
		};
	},
};

// Caddy: the admin API (which serves /debug/pprof) on one port, a static site on another; clients
// make keep-alive requests to the site.
const caddy: ServiceSpec = {
	name: 'caddy',
	pkg: 'caddy',
	tool: 'caddy',
	loadText: '8 keep-alive clients GET the site',
	async start() {
		const [admin, site] = [await freePort(), await freePort()];
		const config = {
			admin: {listen: `127.0.0.1:${admin}`},
			logging: {logs: {default: {level: 'ERROR'}}},
			apps: {
				http: {
					servers: {
						site: {
							listen: [`127.0.0.1:${site}`],
							automatic_https: {disable: true},
							routes: [{handle: [{handler: 'static_response', status_code: 200, body: 'hello from caddy\n'}]}],
						},
					},
				},
			},
		};
		const {stop} = await launch('caddy', 'caddy', dir => ['run', '--config', join(dir, 'caddy.json')], `http://127.0.0.1:${site}/`, {
			'caddy.json': JSON.stringify(config),
		});
		return {
			url: `http://127.0.0.1:${admin}`,
			stop,
			async load(signal) {
				await clients(signal, 8, async () => void (await send(`http://127.0.0.1:${site}/`)), 5);
			},
		};
	},
};

// Prometheus: scrapes itself every second; clients run instant and range queries.
const prometheus: ServiceSpec = {
	name: 'prometheus',
	pkg: 'prometheus',
	tool: 'prometheus',
	loadText: 'self-scrape at 1 s, 2 clients query',
	async start() {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		const config = [
			'global:',
			'  scrape_interval: 1s',
			'  evaluation_interval: 1s',
			'scrape_configs:',
			'  - job_name: self',
			'    static_configs:',
			`      - targets: ['127.0.0.1:${port}']`,
			'',
		].join('\n');
		const {stop} = await launch(
			'prometheus',
			'prometheus',
			dir => [
				`--config.file=${join(dir, 'prometheus.yml')}`,
				`--storage.tsdb.path=${join(dir, 'data')}`,
				`--web.listen-address=127.0.0.1:${port}`,
				'--log.level=error',
			],
			`${url}/-/ready`,
			{'prometheus.yml': config},
		);
		const queries = ['up', 'rate(prometheus_http_requests_total[10s])', 'sum by (job) (go_goroutines)'];
		return {
			url,
			stop,
			async load(signal) {
				await clients(
					signal,
					2,
					async (c, i) => {
						const query = encodeURIComponent(queries[(c + i) % queries.length]!);
						const now = Date.now() / 1000;
						await send(`${url}/api/v1/query?query=${query}`);
						await send(`${url}/api/v1/query_range?query=${query}&start=${now - 60}&end=${now}&step=1`);
					},
					50,
				);
			},
		};
	},
};

export const services: readonly ServiceSpec[] = [etcd, alertmanager, caddy, prometheus];
