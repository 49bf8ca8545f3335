// Starts the real gmon in its headless metrics mode (`--metrics-listen 127.0.0.1:0 …`) and resolves
// with the /metrics URL it prints once it listens. Always `stop()` it (t.after).
import {spawn} from 'node:child_process';
import {binPath} from './built.ts';
import {repoDir} from './run-cli.ts';

export interface MetricsGmon {
	/** `http://127.0.0.1:PORT/metrics`. */
	url: string;
	/** What gmon wrote to stderr so far. */
	stderr(): string;
	/** SIGTERM, then wait for the exit code. Idempotent. */
	stop(): Promise<number | null>;
}

export async function startMetricsGmon(args: readonly string[], timeoutMs = 10_000): Promise<MetricsGmon> {
	const child = spawn(process.execPath, [binPath, '--metrics-listen', '127.0.0.1:0', ...args], {
		cwd: repoDir,
		env: {...process.env, CI: 'true', NO_COLOR: ''},
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	const onExit = () => child.kill('SIGKILL');
	process.once('exit', onExit);
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		const code = await exited;
		process.removeListener('exit', onExit);
		return code;
	};
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`gmon did not listen within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
		child.stderr.on('data', () => {
			const match = /serving metrics of \d+ targets? on (http:\/\/\S+\/metrics)/.exec(stderr);
			if (match?.[1]) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		void exited.then(code => {
			clearTimeout(timer);
			reject(new Error(`gmon exited (${code}) before listening: ${stderr}`));
		});
	}).catch(async (error: unknown) => {
		await stop();
		throw error;
	});
	return {url, stderr: () => stderr, stop};
}

/** One scrape of gmon's /metrics, as Prometheus's classic text format. */
export async function scrape(url: string, accept = 'text/plain'): Promise<{type: string; body: string}> {
	const response = await fetch(url, {headers: {accept}});
	return {type: response.headers.get('content-type') ?? '', body: await response.text()};
}
