// Target text + flags → Config. No network, no parsing of dumps: only the one filesystem question a
// target text can raise ("is this an existing file or socket?"), injectable so tests stay pure.
import {statSync} from 'node:fs';

/** Where dumps come from. Never holds a password in a shown field: credentials live in `authHeader` only. */
export type Target =
	| {
			kind: 'http';
			/** The debug=2 goroutine URL, credentials removed. */
			url: string;
			displayName: string;
			authHeader?: string;
			/** The URL asked for `?debug=1`: counts and groups only, a full dump only when asked. */
			countsOnly?: true;
	  }
	| {
			kind: 'unix';
			socketPath: string;
			/** Request path + query of the debug=2 goroutine profile. */
			path: string;
			displayName: string;
			countsOnly?: true;
	  }
	| {kind: 'file'; path: string; displayName: string}
	| {kind: 'stdin'; displayName: string};

export interface Config {
	target: Target;
	/** Requested poll interval, ms (default 2 s). */
	intervalMs: number;
	/** Keep the target's dump time under this % of any 40 s window by stretching the debug=2 interval; 0 = off. */
	maxOverheadPct: number;
	/** `--max-pause`: the longest single freeze a full dump may cause unasked, ms (default 1 s); 0 = no limit. */
	maxPauseMs: number;
	/** Stop reading a body past this many bytes and report a truncated dump (default 64 MB). */
	maxBytes: number;
	/** Extra request headers from `-H` (plus the Basic header from `user:pass@`). Values are secrets. */
	headers: Record<string, string>;
	/** `--cacert FILE`: a PEM CA bundle path (read by the fetcher, not here). */
	caFile?: string;
	/** `--insecure`: skip TLS certificate verification. */
	insecure: boolean;
	/** `--watch`: keep polling; a file target is re-read on the interval (network targets always repeat). */
	watch: boolean;
	/** `--stuck-after N` (polls) … */
	stuckAfterPolls?: number;
	/** … or `--stuck-after 30s` (a duration). */
	stuckAfterMs?: number;
	/** Go sends headers only after it has collected the whole dump: be generous (default 60 s). */
	headersTimeoutMs: number;
	/** Longest silence between body chunks (default 30 s). */
	bodyTimeoutMs: number;
	/**
	 * `--poll-timeout`: the most one poll may take from connect to the body's last byte, and the most
	 * one file read may take (default 5 min). A target that drips a byte a second never ends a poll
	 * by silence; this deadline does.
	 */
	pollTimeoutMs: number;
}

/** A bad flag or target: `message` is one line, printed as is. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

export type PathKind = 'file' | 'socket' | 'directory' | 'other' | 'missing';

export function statPathKind(path: string): PathKind {
	try {
		const stat = statSync(path);
		if (stat.isSocket()) return 'socket';
		if (stat.isFile() || stat.isFIFO() || stat.isCharacterDevice()) return 'file';
		if (stat.isDirectory()) return 'directory';
		return 'other';
	} catch {
		return 'missing';
	}
}

export interface ParseTargetOptions {
	/** What is at a path on disk; the default asks the filesystem. */
	pathKind?: (path: string) => PathKind;
}

const goroutinePath = 'goroutine';
const defaultMount = '/debug/pprof/';

export function parseTarget(text: string, options: ParseTargetOptions = {}): Target {
	const pathKind = options.pathKind ?? statPathKind;
	const input = text.trim();
	if (input === '') throw new ConfigError('no target given: try `gmon localhost:6060`, a URL, a dump file, or `-` for stdin');
	if (input === '-') return {kind: 'stdin', displayName: 'stdin'};

	if (input.startsWith('unix:')) return unixTarget(input.slice('unix:'.length), pathKind);
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return httpTarget(input);

	// An existing path wins over address forms: `6060` or `host:1` may be a file someone saved.
	const kind = pathKind(input);
	if (kind === 'socket') return unixTarget(input, pathKind);
	if (kind === 'file') return {kind: 'file', path: input, displayName: input};
	if (kind === 'directory') throw new ConfigError(`${input} is a directory, not a dump file or socket`);

	if (/^\d+$/.test(input)) return httpTarget(`http://localhost:${checkPort(input)}`);
	if (/^:\d+$/.test(input)) return httpTarget(`http://localhost:${checkPort(input.slice(1))}`);
	// host:port, [v6]:port, user:pass@host:port, each optionally followed by a path.
	const address = /^(?:[^@/\s]+@)?(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d+)(?:\/.*)?$/.exec(input);
	if (address) {
		checkPort(address[1] ?? '');
		return httpTarget(`http://${input}`);
	}
	if (input.includes('/') || /\.(txt|log|dump|out)$/i.test(input)) {
		throw new ConfigError(`no such file: ${input}`);
	}
	if (/^[A-Za-z0-9._-]+$/.test(input)) {
		throw new ConfigError(`${input} is not a file, and an address needs a port: did you mean ${input}:6060?`);
	}
	throw new ConfigError(`cannot read target ${JSON.stringify(input)}: expected host:port, a URL, unix:/path.sock, a dump file, or -`);
}

function checkPort(text: string): number {
	const port = Number(text);
	if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError(`port ${text} is out of range (1-65535)`);
	return port;
}

/** Last path segments that name a profile gmon reads: a URL ending in one is used as given. */
const profileNames = new Set([goroutinePath, 'goroutineleak']);

interface GoroutineRequest {
	/** Request path + query of the debug=2 dump. */
	path: string;
	countsOnly: boolean;
}

/**
 * What the user typed → the request. A full profile URL (`…/goroutine`, `…/goroutineleak`) is used
 * as given, a trailing slash after it trimmed (Go's pprof answers 404 to `goroutine/`); a path
 * whose last segment looks like a file (`/index.html`) is used as given too (the reply then says
 * what it is); any other path is a mount and gets `/goroutine`. `?debug=2` is what gmon reads;
 * `?debug=1` is honoured as counts only; another debug value is refused.
 */
function goroutineRequest(pathname: string, search: string): GoroutineRequest {
	let path = pathname === '' || pathname === '/' ? defaultMount : pathname;
	path = path.replace(/\/(goroutine|goroutineleak)\/+$/, '/$1');
	const last = path.slice(path.lastIndexOf('/') + 1);
	const asGiven = profileNames.has(last) || /\.[A-Za-z0-9]{1,8}$/.test(last);
	if (!asGiven) path = `${path.endsWith('/') ? path : `${path}/`}${goroutinePath}`;
	const query = new URLSearchParams(search);
	const debug = query.get('debug');
	if (debug !== null && debug !== '1' && debug !== '2') {
		const what = debug === '0' ? 'the gzipped protobuf profile, which gmon does not read' : 'not a debug level pprof has';
		throw new ConfigError(`?debug=${debug} is ${what}: drop it (gmon reads ?debug=2, with ?debug=1 between full dumps), or ?debug=1 for counts only`);
	}
	// Every request asks for its own level (profilePath); the dump URL carries debug=2, every other parameter as given.
	query.set('debug', '2');
	return {path: `${path}?${query.toString()}`, countsOnly: debug === '1'};
}

function httpTarget(text: string): Target {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new ConfigError(`cannot read target as a URL: ${redactUrlText(text)}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConfigError(`unsupported scheme ${url.protocol} (use http, https, unix: or a file)`);
	}
	if (url.port !== '') checkPort(url.port);
	let authHeader: string | undefined;
	if (url.username !== '' || url.password !== '') {
		// undici's request() silently drops URL credentials: send them as a Basic header instead.
		const user = decodeURIComponent(url.username);
		const pass = decodeURIComponent(url.password);
		authHeader = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
		url.username = '';
		url.password = '';
	}
	const request = goroutineRequest(url.pathname, url.search);
	const clean = new URL(request.path, url.origin).toString();
	const host = url.protocol === 'https:' ? `https://${url.host}` : url.host;
	const target: Target = {kind: 'http', url: clean, displayName: `${host}${shownPath(request.path)}`};
	if (authHeader !== undefined) target.authHeader = authHeader;
	if (request.countsOnly) target.countsOnly = true;
	return target;
}

function unixTarget(rest: string, pathKind: (path: string) => PathKind): Target {
	// `unix:/run/app.sock` or `unix:/run/app.sock:/internal/debug/pprof/`.
	let socketPath = rest;
	let mount = '';
	const split = rest.lastIndexOf(':/');
	if (split > 0) {
		socketPath = rest.slice(0, split);
		mount = rest.slice(split + 1);
	}
	if (socketPath === '') throw new ConfigError('unix: needs a socket path, e.g. unix:/run/app/pprof.sock');
	const kind = pathKind(socketPath);
	if (kind === 'missing') throw new ConfigError(`no such socket: ${socketPath}`);
	if (kind !== 'socket') throw new ConfigError(`${socketPath} is not a unix socket`);
	const queryAt = mount.indexOf('?');
	const pathname = queryAt === -1 ? mount : mount.slice(0, queryAt);
	const search = queryAt === -1 ? '' : mount.slice(queryAt);
	const request = goroutineRequest(pathname, search);
	const shown = shownPath(request.path, true);
	const target: Target = {kind: 'unix', socketPath, path: request.path, displayName: shown === '' ? `unix:${socketPath}` : `unix:${socketPath}:${shown}`};
	if (request.countsOnly) target.countsOnly = true;
	return target;
}

/**
 * How the path shows in the target's name: nothing for the usual `/debug/pprof/goroutine`, the
 * mount for another mount (`/x/debug/pprof`), the whole path when it names another endpoint.
 */
function shownPath(requestPath: string, slash = false): string {
	const pathname = requestPath.split('?')[0] ?? '';
	const mount = pathname.slice(0, pathname.lastIndexOf('/') + 1);
	if (!pathname.endsWith(`/${goroutinePath}`)) return pathname;
	if (mount === defaultMount) return '';
	return slash ? mount : mount.replace(/\/$/, '');
}

/** For messages about an unparseable URL: never echo a password. */
function redactUrlText(text: string): string {
	return text.replace(/\/\/[^/@]*@/, '//***@');
}

// ---------------------------------------------------------------------------------------------
// Flags

/** Flags as the CLI hands them over (meow gives strings for these; numbers are accepted too). */
export interface ConfigFlags {
	interval?: string | number;
	maxOverhead?: string | number;
	maxPause?: string | number;
	maxBytes?: string | number;
	/** `-H 'Name: value'`, repeatable. */
	header?: string[] | string;
	cacert?: string;
	insecure?: boolean;
	watch?: boolean;
	stuckAfter?: string | number;
	headersTimeout?: string | number;
	bodyTimeout?: string | number;
	pollTimeout?: string | number;
}

export const defaults = {
	intervalMs: 2000,
	maxOverheadPct: 5,
	maxPauseMs: 1000,
	maxBytes: 64 * 1024 * 1024,
	headersTimeoutMs: 60_000,
	bodyTimeoutMs: 30_000,
	// 64 MB (Go's cap and the default --max-bytes) in 5 min needs ~220 KB/s (~1.8 Mbit/s): a slow
	// VPN still fits; a target dripping bytes does not hold gmon for longer than this.
	pollTimeoutMs: 5 * 60_000,
} as const;

/**
 * The longest --interval and --poll-timeout: Node's timers hold at most 2^31-1 ms (~24.8 days) and
 * fire at once beyond it (`--interval 600h` polled back to back). A day is far beyond any use.
 */
export const maxDurationMs = 24 * 3_600_000;

export function buildConfig(targetText: string, flags: ConfigFlags = {}, options: ParseTargetOptions = {}): Config {
	const target = parseTarget(targetText, options);
	const intervalMs = flags.interval === undefined ? defaults.intervalMs : parseDuration(flags.interval, '--interval');
	if (intervalMs < 100) throw new ConfigError(`--interval ${flags.interval} is too short (at least 100ms)`);
	if (intervalMs > maxDurationMs) throw new ConfigError(`--interval ${flags.interval} is too long (at most 24h)`);
	const pollTimeoutMs = flags.pollTimeout === undefined ? defaults.pollTimeoutMs : parseDuration(flags.pollTimeout, '--poll-timeout');
	if (pollTimeoutMs < 100) throw new ConfigError(`--poll-timeout ${flags.pollTimeout} is too short (at least 100ms)`);
	if (pollTimeoutMs > maxDurationMs) throw new ConfigError(`--poll-timeout ${flags.pollTimeout} is too long (at most 24h)`);
	const maxOverheadPct = flags.maxOverhead === undefined ? defaults.maxOverheadPct : parsePercent(flags.maxOverhead);
	const maxPauseMs = flags.maxPause === undefined ? defaults.maxPauseMs : parseDuration(flags.maxPause, '--max-pause');
	if (maxPauseMs > maxDurationMs) throw new ConfigError(`--max-pause ${flags.maxPause} is too long (at most 24h)`);
	const maxBytes = flags.maxBytes === undefined ? defaults.maxBytes : parseBytes(flags.maxBytes);
	const headers = parseHeaders(flags.header);
	if (target.kind === 'http' && target.authHeader !== undefined && !hasHeader(headers, 'authorization')) {
		headers['authorization'] = target.authHeader;
	}
	const config: Config = {
		target,
		intervalMs,
		maxOverheadPct,
		maxPauseMs,
		maxBytes,
		headers,
		insecure: flags.insecure === true,
		watch: flags.watch === true,
		headersTimeoutMs: flags.headersTimeout === undefined ? defaults.headersTimeoutMs : parseDuration(flags.headersTimeout, '--headers-timeout'),
		bodyTimeoutMs: flags.bodyTimeout === undefined ? defaults.bodyTimeoutMs : parseDuration(flags.bodyTimeout, '--body-timeout'),
		pollTimeoutMs,
	};
	if (flags.cacert !== undefined && flags.cacert !== '') config.caFile = flags.cacert;
	if (flags.stuckAfter !== undefined) Object.assign(config, parseStuckAfter(flags.stuckAfter));
	return config;
}

const unitMs: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** `2s`, `500ms`, `1m`, `1.5s`, `1m30s`, or plain seconds (`2`, `0.5`) → ms. */
export function parseDuration(value: string | number, flag: string): number {
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${flag} ${value}: expected a duration like 2s, 500ms or 1m`);
		return Math.round(value * 1000);
	}
	const text = value.trim();
	if (text.startsWith('-')) throw new ConfigError(`${flag} ${JSON.stringify(value)}: a duration cannot be negative`);
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) : null;
	if (!parts) throw new ConfigError(`${flag} ${JSON.stringify(value)}: expected a duration like 2s, 500ms or 1m`);
	let total = 0;
	for (const part of parts) {
		const [, num, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part) ?? [];
		total += Number(num) * (unitMs[unit ?? ''] ?? 0);
	}
	return Math.round(total);
}

function parsePercent(value: string | number): number {
	const text = String(value).trim().replace(/%$/, '');
	const pct = Number(text);
	if (text === '' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
		throw new ConfigError(`--max-overhead ${JSON.stringify(String(value))}: expected a percentage from 0 (off) to 100, e.g. 5`);
	}
	return pct;
}

const byteUnits: Record<string, number> = {
	'': 1,
	b: 1,
	k: 1024,
	kb: 1024,
	kib: 1024,
	m: 1024 ** 2,
	mb: 1024 ** 2,
	mib: 1024 ** 2,
	g: 1024 ** 3,
	gb: 1024 ** 3,
	gib: 1024 ** 3,
};

/** `64MB`, `512k`, `1g`, or a plain byte count. Binary units: Go's own cap is 64 MiB. */
export function parseBytes(value: string | number): number {
	const text = String(value).trim().toLowerCase();
	const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(text);
	const unit = byteUnits[match?.[2] ?? 'x'];
	if (!match || unit === undefined) throw new ConfigError(`--max-bytes ${JSON.stringify(String(value))}: expected a size like 64MB, 512KB or a byte count`);
	const bytes = Math.round(Number(match[1]) * unit);
	if (bytes < 1024) throw new ConfigError(`--max-bytes ${value} is too small (at least 1KB)`);
	return bytes;
}

/** `-H 'Name: value'` → {name: value}. Errors name the header, never its value (it is usually a secret). */
export function parseHeaders(input: string[] | string | undefined): Record<string, string> {
	const list = input === undefined ? [] : Array.isArray(input) ? input : [input];
	const headers: Record<string, string> = {};
	for (const line of list) {
		const colon = line.indexOf(':');
		const name = colon === -1 ? line.trim() : line.slice(0, colon).trim();
		if (colon === -1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
			const shown = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ? name : 'header';
			throw new ConfigError(`-H ${shown}: expected 'Name: value', e.g. -H 'Authorization: Bearer …'`);
		}
		const value = line.slice(colon + 1).trim();
		if (/[\r\n]/.test(value)) throw new ConfigError(`-H ${name}: the value must be on one line`);
		headers[name.toLowerCase()] = value;
	}
	return headers;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some(key => key.toLowerCase() === name);
}

/** `--stuck-after 3` (polls) or `--stuck-after 30s` (a duration). */
export function parseStuckAfter(value: string | number): {stuckAfterPolls: number} | {stuckAfterMs: number} {
	const text = String(value).trim();
	if (/^\d+$/.test(text)) {
		const polls = Number(text);
		if (polls < 1) throw new ConfigError('--stuck-after must be at least 1 poll');
		return {stuckAfterPolls: polls};
	}
	try {
		const ms = parseDuration(text, '--stuck-after');
		if (ms <= 0) throw new ConfigError('--stuck-after must be longer than 0');
		return {stuckAfterMs: ms};
	} catch {
		throw new ConfigError(`--stuck-after ${JSON.stringify(text)}: expected a number of polls (3) or a duration (30s, 2m)`);
	}
}
