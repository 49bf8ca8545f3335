// Dumps over HTTP(S) or a unix socket with undici: one kept-alive connection reused across polls,
// the body streamed into the parser (never buffered whole: a 64 MB dump read with text() costs
// +190 MB), and every failure worded by faults.ts.
import {readFileSync} from 'node:fs';
import type {Dispatcher} from 'undici';
import {ConfigError, type Config} from '../config.ts';
import {createDumpParser} from '../dump/parse.ts';
import {type ParseCache, parseCacheFor} from '../dump/parse-cache.ts';
import {formatDuration} from '../text/units.ts';
import {
	connectionLostCodes,
	endpoint,
	faultFromError,
	faultFromStatus,
	noGoroutinesFault,
	notADump,
	PollFault,
	secretsOf,
	type FaultContext,
} from './faults.ts';
import {noGoroutineRead} from '../dump/unparsed.ts';
import {HeadKeeper} from './first-line.ts';
import type {DumpSource, FetchOutcome, FetchRequest} from './source.ts';
import {MAX_RAW_BYTES, RawKeeper} from './raw-keeper.ts';
import {Yielder} from './yield.ts';

export interface HttpSourceOptions {
	/** Wall clock for `at` and durations (tests may inject). */
	now?: () => number;
	/** Proxy variables; default process.env. */
	env?: NodeJS.ProcessEnv;
}

const proxyVariables = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'];

/** The standard proxy variables, lowercase first (curl's rule, and undici's). Passed explicitly so an injected env is honoured. */
function proxySettings(env: NodeJS.ProcessEnv): {httpProxy: string; httpsProxy: string; noProxy: string} {
	const pick = (name: string): string => env[name] || env[name.toUpperCase()] || '';
	const httpProxy = pick('http_proxy');
	return {httpProxy, httpsProxy: pick('https_proxy') || httpProxy, noProxy: pick('no_proxy')};
}

/**
 * `/x/debug/pprof/goroutine?debug=2&seconds=1` → the URL the user gave at another debug level, or
 * goroutineleak at the same mount. The goroutine profile is always the URL as typed (a full
 * `…/goroutineleak` URL, a file-like path): its count is the count of what the dump would list.
 */
export function profilePath(goroutinePath: string, profile: string, debug: number): string {
	const queryAt = goroutinePath.indexOf('?');
	const pathname = queryAt === -1 ? goroutinePath : goroutinePath.slice(0, queryAt);
	const query = new URLSearchParams(queryAt === -1 ? '' : goroutinePath.slice(queryAt + 1));
	query.set('debug', String(debug));
	const mount = pathname.slice(0, pathname.lastIndexOf('/') + 1);
	return `${profile === 'goroutine' ? pathname : `${mount}${profile}`}?${query.toString()}`;
}

export class HttpSource implements DumpSource {
	readonly displayName: string;
	readonly repeats = true;
	readonly hasProfiles = true;
	/**
	 * undici is loaded at the first poll, not with this file: a file or stdin target never needs it, and
	 * loading it costs ~75 ms of a `--once` (create-source.ts imports this file for every target kind).
	 * Not when the source is made either: the TUI's first frame then came later (bench first-frame, median
	 * of 7: 299 → 243 ms); the TUI's first poll starts at once anyway.
	 */
	private readonly dispatcher: () => Promise<Dispatcher>;
	private made?: Promise<Dispatcher>;
	private readonly origin: string;
	private readonly goroutinePath: string;
	private readonly where: string;
	private readonly host: string;
	private readonly headers: Record<string, string>;
	private readonly secrets: string[];
	private readonly config: Config;
	private readonly now: () => number;
	/**
	 * One parse cache for every poll of this target: its stacks barely change between polls, so
	 * later parses are mostly template hits and consecutive snapshots share their Frame objects
	 * (which the tracker then compares by identity). Bounded, and valid across restarts.
	 */
	private parseCache: ParseCache | undefined;

	constructor(config: Config, options: HttpSourceOptions = {}) {
		const {target} = config;
		if (target.kind !== 'http' && target.kind !== 'unix') throw new Error(`HttpSource cannot read a ${target.kind} target`);
		this.config = config;
		this.now = options.now ?? Date.now;
		this.displayName = target.displayName;
		this.headers = {...config.headers};
		if (target.kind === 'http' && target.authHeader !== undefined && !('authorization' in this.headers)) {
			this.headers['authorization'] = target.authHeader;
		}
		this.secrets = secretsOf(this.headers);

		const connect: Record<string, unknown> = {};
		// The target's TLS options (--cacert, --insecure); also handed to a proxy agent as `requestTls`:
		// undici's ProxyAgent reads the tunnelled target's TLS options from there, not from `connect`.
		const tls: Record<string, unknown> = {};
		if (target.kind === 'unix') {
			this.origin = 'http://localhost';
			this.goroutinePath = target.path;
			this.where = `unix:${target.socketPath}`;
			this.host = 'localhost';
			connect['socketPath'] = target.socketPath;
		} else {
			const url = new URL(target.url);
			this.origin = url.origin;
			this.goroutinePath = `${url.pathname}${url.search}`;
			this.where = url.host;
			this.host = url.hostname;
			if (url.protocol === 'https:') {
				if (config.insecure) tls['rejectUnauthorized'] = false;
				if (config.caFile !== undefined) {
					try {
						tls['ca'] = readFileSync(config.caFile);
					} catch (error) {
						const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
						throw new ConfigError(`--cacert ${config.caFile}: cannot read it (${code})`);
					}
				}
				Object.assign(connect, tls);
			}
		}
		const agentOptions = {
			// Polls are sequential: one connection, kept alive across polls (the 4 s default would
			// reconnect on every 5 s poll).
			connections: 1,
			keepAliveTimeout: Math.max(10_000, 2 * config.intervalMs),
			keepAliveMaxTimeout: 10 * 60_000,
			// Go sends headers only after runtime.Stack() has collected the whole dump.
			headersTimeout: config.headersTimeoutMs,
			bodyTimeout: config.bodyTimeoutMs,
			connect,
			// undici 8 speaks HTTP/2 to a TLS server that offers it (Go's does). One request per poll gains
			// nothing from it, and the timeouts and fault wording here are HTTP/1.1's, tested as such.
			allowH2: false,
		};
		const env = options.env ?? process.env;
		const proxied = target.kind === 'http' && proxyVariables.some(name => (env[name] ?? '') !== '');
		// A plain Agent unless a proxy is configured: no surprises for localhost targets. Through a
		// proxy, an http target is forwarded in absolute form and an https one tunnelled with CONNECT
		// (curl's rule, undici 8's default: proxies often allow CONNECT to port 443 only).
		this.dispatcher = () =>
			(this.made ??= import('undici').then(module => {
				// undici is CommonJS: its exports are `default` when bundled (scripts/build.js), named and `default` when not.
				const {Agent, EnvHttpProxyAgent} = (module as unknown as {default?: typeof module}).default ?? module;
				return proxied ? new EnvHttpProxyAgent({...agentOptions, requestTls: tls, ...proxySettings(env)}) : new Agent(agentOptions);
			}));
		// Connection faults may then be the proxy's: say so rather than blame the target.
		if (proxied) this.where = `${this.where} (or the proxy from http(s)_proxy)`;
	}

	async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchOutcome> {
		try {
			return await this.fetchOnce(request, signal);
		} catch (error) {
			// A kept-alive connection the server closed while idle fails before any response: retry once on a fresh one.
			if (error instanceof PollFault && error.kind === 'refused' && connectionLostCodes.has(error.code ?? '') && !signal?.aborted) {
				return this.fetchOnce(request, signal);
			}
			throw error;
		}
	}

	/**
	 * One request under the --poll-timeout deadline (connect, headers and the whole body): undici's
	 * body timeout only fires on silence, so a target sending a byte a second would hold a poll forever.
	 */
	private async fetchOnce(request: FetchRequest, signal?: AbortSignal): Promise<FetchOutcome> {
		const deadline = new AbortController();
		const timer = setTimeout(() => deadline.abort(), this.config.pollTimeoutMs);
		const both = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
		const state = {bytes: 0};
		try {
			return await this.fetchWithin(request, both, state);
		} catch (error) {
			if (signal?.aborted) throw signal.reason;
			if (deadline.signal.aborted) {
				throw new PollFault(
					'timeout',
					`the poll took longer than ${formatDuration(this.config.pollTimeoutMs)} (--poll-timeout): ${state.bytes} bytes read from ${this.where} — the target is too slow or drip-feeding; raise --poll-timeout on a slow link`,
				);
			}
			throw error;
		} finally {
			clearTimeout(timer);
		}
	}

	private async fetchWithin(request: FetchRequest, signal: AbortSignal, state: {bytes: number}): Promise<FetchOutcome> {
		const path = request.profile === 'goroutine' && request.debug === 2 ? this.goroutinePath : profilePath(this.goroutinePath, request.profile, request.debug);
		const context: FaultContext = {
			where: this.where,
			host: this.host,
			path: path.split('?')[0] ?? path,
			sentAuth: 'authorization' in this.headers,
			headersTimeoutMs: this.config.headersTimeoutMs,
			bodyTimeoutMs: this.config.bodyTimeoutMs,
			bytes: 0,
			gotHeaders: false,
			secrets: this.secrets,
		};
		const at = this.now();
		let response: Dispatcher.ResponseData;
		let requestPath = path;
		for (let hop = 0; ; hop++) {
			try {
				response = await (await this.dispatcher()).request({
					origin: this.origin,
					path: requestPath,
					method: 'GET',
					headers: {...this.headers, 'user-agent': 'gmon'},
					signal,
				});
			} catch (error) {
				if (signal.aborted) throw signal.reason;
				throw faultFromError(error, context);
			}
			context.gotHeaders = true;
			if (response.statusCode === 200) break;
			// Always consume or destroy a body, or the one-connection pool stalls.
			const snippet = await readSnippet(response.body, signal);
			const location = String(response.headers['location'] ?? '');
			const next = response.statusCode >= 300 && response.statusCode < 400 ? sameOrigin(location, this.origin, requestPath) : undefined;
			// A redirect on the same host is followed (a proxy adding a slash, a moved mount), a few hops
			// at most; one to another host is explained with its Location (credentials are not sent there).
			if (next === undefined || hop >= maxRedirects) throw faultFromStatus(response.statusCode, context, snippet, location, hop >= maxRedirects);
			requestPath = next;
			context.path = next.split('?')[0] ?? next;
			context.gotHeaders = false;
		}
		const headersMs = this.now() - at;
		const {headers, body} = response;
		const encoding = String(headers['content-encoding'] ?? '').trim();
		if (encoding !== '' && !/^identity$/i.test(encoding)) {
			// gmon never asks for compression (undici sends no Accept-Encoding); a body coded anyway is not read.
			discard(body);
			throw notADump('encoded', context.path, encoding);
		}
		const type = String(headers['content-type'] ?? '');
		if (/html/i.test(type)) {
			discard(body);
			throw notADump('html', endpoint(context));
		}

		this.parseCache = parseCacheFor(this.parseCache, request.args ?? true);
		const parser = createDumpParser({cache: this.parseCache});
		const raw = request.keepRaw ? new RawKeeper(request.maxRawBytes ?? MAX_RAW_BYTES) : undefined;
		const head = new HeadKeeper();
		const maxBytes = this.config.maxBytes;
		const expected = request.debug === 2 ? 'traceback' : 'profile';
		let bytes = 0;
		let hitCap = false;
		let parseMs = 0;
		const yielder = new Yielder();
		try {
			for await (const chunk of body as AsyncIterable<Buffer>) {
				let piece = chunk;
				if (bytes + piece.length > maxBytes) {
					piece = piece.subarray(0, maxBytes - bytes);
					hitCap = true;
				}
				bytes += piece.length;
				context.bytes = bytes;
				state.bytes = bytes;
				request.onProgress?.(bytes);
				if (piece.length > 0) {
					const parseStart = performance.now();
					parser.write(piece);
					parseMs += performance.now() - parseStart;
					raw?.push(piece);
					head.push(piece);
				}
				if (hitCap) break; // leaving the loop destroys the body (and that connection)
				// A body of the wrong kind (a traceback where a debug=1 profile was asked, or the reverse) is
				// refused whole anyway: reading on would parse up to --max-bytes only to throw it away.
				if (parser.kind !== 'unknown' && parser.kind !== expected) break;
				if (yielder.due(piece.length)) await yielder.yieldNow();
			}
		} catch (error) {
			if (signal.aborted) throw signal.reason;
			throw faultFromError(error, context);
		}
		const endStart = performance.now();
		const dump = parser.end();
		parseMs += performance.now() - endStart;
		if (bytes === 0) throw notADump('empty', context.path);
		if (dump.kind !== expected) {
			if (dump.kind === 'protobuf') throw notADump('gzip', context.path);
			const first = head.firstLine();
			// An HTML page served as text/plain (or with no type at all) is still a web page.
			throw notADump(/^"<(!doctype|html|head|body)/i.test(first) ? 'html' : 'text', endpoint(context), '', first);
		}
		if (hitCap && dump.goroutines.length === 0 && dump.records.length === 0) {
			throw new PollFault('too-large', `the dump at ${context.path} is larger than --max-bytes (${bytes} bytes read) and nothing in it could be parsed`);
		}
		if (noGoroutineRead(dump)) throw noGoroutinesFault(`the response to ${context.path}`, dump, head.firstLine());
		const outcome: FetchOutcome = {
			result: {at, durationMs: this.now() - at, bytes, debug: request.debug, dump, truncated: hitCap || dump.truncated, parseMs},
			headersMs,
		};
		if (raw?.kept) outcome.raw = raw.kept;
		return outcome;
	}

	async close(): Promise<void> {
		if (this.made) await (await this.made).destroy().catch(() => {});
	}
}

/** Same-host redirects followed per request. */
const maxRedirects = 3;

/** A Location on the same origin → its request path; undefined when it leads elsewhere (or nowhere). */
function sameOrigin(location: string, origin: string, from: string): string | undefined {
	if (location === '') return undefined;
	let url: URL;
	try {
		url = new URL(location, `${origin}${from}`);
	} catch {
		return undefined;
	}
	return url.origin === origin ? `${url.pathname}${url.search}` : undefined;
}

/** The first bytes of an error body (for a 5xx message), then the rest thrown away. */
async function readSnippet(body: Dispatcher.ResponseData['body'], signal: AbortSignal): Promise<string> {
	let text = '';
	try {
		for await (const chunk of body as AsyncIterable<Buffer>) {
			text += chunk.toString('utf8');
			if (text.length >= 512 || signal.aborted) break;
		}
	} catch {
		// The status line is what matters; a broken error body changes nothing.
	}
	discard(body);
	return text.slice(0, 512);
}

/** Destroy a body we will not read; undici then emits "Request aborted", which is expected here. */
function discard(body: Dispatcher.ResponseData['body']): void {
	body.on('error', () => {});
	body.destroy();
}
