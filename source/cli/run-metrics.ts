// `gmon --metrics-listen ADDR TARGET...`: headless. One watch engine per target (each with its own
// poller, cost budget, backoff and restart epochs), and an HTTP server whose /metrics renders what
// the engines hold at the moment of the scrape. A scrape never polls a target: Prometheus scraping
// every second costs the targets nothing more than gmon's own interval and budget allow.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createRequire} from 'node:module';

// node:http through require, not an ESM import: the ESM facade reads every export of node:http, and
// its lazy WebSocket/fetch getters then load Node's internal undici (~50 ms of start-up on 2 cores).
const {createServer} = createRequire(import.meta.url)('node:http') as typeof import('node:http');
import type {AddressInfo} from 'node:net';
import type {Writable} from 'node:stream';
import {contentTypes, negotiate, writeExposition} from '../report/exposition.ts';
import {metricFamilies, type MetricsTarget} from '../report/metrics.ts';
import {FOR_REPORTS, configWatchOptions, createWatch, type WatchEngine} from '../watch/engine.ts';
import {isUp, tallyWatch, type TallyHandle} from '../watch/tally.ts';
import {exitCodes, UsageError, type ExitCode} from './exit-codes.ts';
import type {CliOptions} from './options.ts';
import {openSource, resolveConfig} from './resolve-target.ts';
import {stuckRule} from './run-report.ts';
import {sayError} from './say.ts';

export interface MetricsIo {
	stderr: Writable;
	/** Ends the run (SIGINT/SIGTERM). */
	signal?: AbortSignal;
}

interface Watched {
	name: string;
	engine: WatchEngine;
	tally: TallyHandle;
}

export async function runMetrics(targetTexts: readonly string[], options: CliOptions, io: MetricsIo): Promise<ExitCode> {
	const listen = options.metricsListen;
	if (!listen) throw new UsageError('--metrics-listen needs an address');
	// Every target is checked before any is polled: a typo in the tenth line of --targets is a usage error, not a dead series.
	const configs = targetTexts.map(text => resolveConfig(text, options));
	const watched: Watched[] = configs.map(config => {
		const engine = createWatch(openSource(config), {...configWatchOptions(config), ...FOR_REPORTS, groupBy: options.groupBy, ...stuckRule(config, options)});
		return {name: config.target.displayName, engine, tally: tallyWatch(engine)};
	});
	const render = (accept: string | undefined): {type: string; body: string} => {
		const format = negotiate(accept);
		const targets = watched.map(({name, engine, tally}): MetricsTarget => {
			const state = engine.getState();
			const counts = tally.get();
			return {
				target: name,
				up: isUp(state),
				...(state.model ? {snapshot: state.model} : {}),
				...(state.dump ? {lastPoll: {at: state.dump.at, durationMs: state.dump.durationMs, bytes: state.dump.bytes}} : {}),
				intervalMs: state.poller.intervalMs,
				effectiveIntervalMs: state.poller.effectiveIntervalMs,
				polls: counts.polls,
				errors: counts.errors,
			};
		});
		return {type: contentTypes[format], body: writeExposition(metricFamilies(targets, {topGroups: options.metricsTop}), format)};
	};

	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const path = (request.url ?? '/').split('?')[0];
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, {allow: 'GET, HEAD', 'content-type': 'text/plain'}).end('method not allowed\n');
			return;
		}
		if (path === '/metrics') {
			const {type, body} = render(request.headers.accept);
			response.writeHead(200, {'content-type': type, 'cache-control': 'no-store'}).end(request.method === 'HEAD' ? undefined : body);
			return;
		}
		if (path === '/') {
			response.writeHead(200, {'content-type': 'text/plain; charset=utf-8'}).end('gmon: goroutine metrics at /metrics\n');
			return;
		}
		response.writeHead(404, {'content-type': 'text/plain'}).end('not found: gmon serves /metrics\n');
	});

	try {
		const address = await new Promise<AddressInfo>((resolve, reject) => {
			server.once('error', reject);
			server.listen(listen.port, listen.host, () => resolve(server.address() as AddressInfo));
		});
		const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
		sayError(io.stderr, `serving metrics of ${watched.length} target${watched.length === 1 ? '' : 's'} on http://${host}:${address.port}/metrics`);
		await new Promise<void>(resolve => {
			if (io.signal?.aborted) resolve();
			io.signal?.addEventListener('abort', () => resolve(), {once: true});
		});
		return exitCodes.ok;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
			throw new UsageError(
				`--metrics-listen ${listen.host}:${listen.port}: ${code === 'EADDRINUSE' ? 'the address is in use' : code === 'EACCES' ? 'permission denied' : 'no such local address'}`,
			);
		}
		throw error;
	} finally {
		server.closeAllConnections();
		await new Promise<void>(resolve => server.close(() => resolve()));
		for (const {engine, tally} of watched) {
			tally.stop();
			await engine.stop();
		}
	}
}
