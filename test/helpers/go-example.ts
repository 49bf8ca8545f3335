// Builds and runs examples/leaky, the Go service with the classic goroutine leaks, for tests
// that need a real Go process to poll. The binary is built once per test run and cached.
import {spawn, execFile} from 'node:child_process';
import {readFileSync, accessSync, constants, mkdirSync} from 'node:fs';
import {tmpdir, homedir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {goBuild} from './go-build.ts';

const _execFileAsync = promisify(execFile);

/** Absolute path of examples/leaky (the Go module). */
export const leakyDir = fileURLToPath(new URL('../../examples/leaky/', import.meta.url));

/** The four leaks of the example, by the name their endpoint and `LEAK(name)` tag use. */
export type LeakName = 'forgotten-sender' | 'fanout' | 'producer' | 'ticker';

export interface LeakSite {
	name: LeakName;
	/** The function that blocks forever, as Go prints it in a dump: `main.searchWorker`. */
	func: string;
	/** The state Go prints for it: `chan send` or `chan receive`. */
	state: string;
	/** Source file name inside examples/leaky (`leaks.go`); dumps print it as an absolute path. */
	file: string;
	/** The blocking line (the one tagged `LEAK(name)` in the source). */
	line: number;
	/** The endpoint that leaks it (`/leak/fanout?n=5`) and how many goroutines one call leaks. */
	path: string;
	leakedPerCall: number;
	/** The fixed twin of the endpoint (`/fixed/fanout?n=5`), which leaks none. */
	fixedPath: string;
}

const sites: Omit<LeakSite, 'line' | 'file'>[] = [
	{
		name: 'forgotten-sender',
		func: 'main.searchWorker',
		state: 'chan send',
		path: '/leak/forgotten-sender',
		leakedPerCall: 1,
		fixedPath: '/fixed/forgotten-sender',
	},
	{name: 'fanout', func: 'main.fanoutWorker', state: 'chan send', path: '/leak/fanout?n=5', leakedPerCall: 4, fixedPath: '/fixed/fanout?n=5'},
	{name: 'producer', func: 'main.produceResults', state: 'chan send', path: '/leak/producer', leakedPerCall: 1, fixedPath: '/fixed/producer'},
	{name: 'ticker', func: 'main.tickerLoop', state: 'chan receive', path: '/leak/ticker', leakedPerCall: 1, fixedPath: '/fixed/ticker'},
];

/**
 * Where each leak blocks, read from the `LEAK(name)` tags in the Go source so tests follow
 * edits to the example instead of hard-coding line numbers.
 */
export function leakSites(): LeakSite[] {
	const file = 'leaks.go';
	const lines = readFileSync(join(leakyDir, file), 'utf8').split('\n');
	return sites.map(site => {
		const index = lines.findIndex(text => text.includes(`// LEAK(${site.name})`));
		if (index < 0) throw new Error(`examples/leaky/${file} has no LEAK(${site.name}) tag`);
		return {...site, file, line: index + 1};
	});
}

function writable(dir: string): boolean {
	try {
		mkdirSync(dir, {recursive: true});
		accessSync(dir, constants.W_OK);
		return true;
	} catch {
		return false;
	}
}

// Go needs a build cache; when HOME is read-only (some CI sandboxes) point it at a tmp dir.
export function goEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, CGO_ENABLED: process.env['CGO_ENABLED'] ?? '0', GOFLAGS: ''};
	const cache = env['GOCACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'go-build');
	if (!writable(cache)) env['GOCACHE'] = join(tmpdir(), 'gmon-test-gocache');
	if (!env['GOPATH'] && !writable(join(homedir(), 'go'))) env['GOPATH'] = join(tmpdir(), 'gmon-test-gopath');
	return env;
}

let built: Promise<string> | undefined;

/** examples/leaky's binary, built once for the whole test run (see go-build.ts); resolves to its path. */
export function buildLeaky(): Promise<string> {
	built ??= goBuild({dir: leakyDir, name: 'leaky', env: goEnv()}).catch(error => {
		built = undefined;
		throw error;
	});
	return built;
}

export interface LeakyProcess {
	/** `http://127.0.0.1:PORT` (no trailing slash). */
	url: string;
	port: number;
	pid: number;
	/** Kill the service (SIGTERM, then SIGKILL after 2 s) and wait for it to exit. Idempotent. */
	stop(): Promise<void>;
}

export interface StartLeakyOptions {
	/** Port to listen on; 0 (default) picks a free one. Reuse a port to restart a service. */
	port?: number;
	/** Run the healthy background load (default true). */
	background?: boolean;
	/** How long to wait for the `listening on` line, ms (default 15 s: the first call also builds). */
	timeoutMs?: number;
}

/** Start examples/leaky on 127.0.0.1 and resolve once it listens. Always `stop()` it (t.after). */
export async function startLeaky(options: StartLeakyOptions = {}): Promise<LeakyProcess> {
	const binary = await buildLeaky();
	const args = ['-addr', `127.0.0.1:${options.port ?? 0}`];
	if (options.background === false) args.push('-background=false');
	const child = spawn(binary, args, {stdio: ['ignore', 'ignore', 'pipe']});
	const exited = new Promise<void>(resolve => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
	let stopped = false;
	const stop = async () => {
		if (!stopped) {
			stopped = true;
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
				await exited;
				clearTimeout(timer);
			}
		}
		await exited;
	};
	// Don't leave the service behind if the test process dies without calling stop().
	const onExit = () => child.kill('SIGKILL');
	process.once('exit', onExit);
	void exited.then(() => process.removeListener('exit', onExit));

	try {
		const port = await new Promise<number>((resolve, reject) => {
			let stderr = '';
			const timer = setTimeout(() => reject(new Error(`leaky did not start within ${options.timeoutMs ?? 15000} ms: ${stderr}`)), options.timeoutMs ?? 15000);
			child.stderr.setEncoding('utf8');
			child.stderr.on('data', (chunk: string) => {
				stderr += chunk;
				const match = /leaky: listening on [^\s]*:(\d+)/.exec(stderr);
				if (match?.[1]) {
					clearTimeout(timer);
					resolve(Number(match[1]));
				}
			});
			child.once('exit', code => {
				clearTimeout(timer);
				reject(new Error(`leaky exited (${code}) before listening: ${stderr}`));
			});
			child.once('error', error => {
				clearTimeout(timer);
				reject(error);
			});
		});
		// Keep draining stderr so the child never blocks on a full pipe.
		child.stderr.resume();
		return {url: `http://127.0.0.1:${port}`, port, pid: child.pid ?? -1, stop};
	} catch (error) {
		await stop();
		throw error;
	}
}
