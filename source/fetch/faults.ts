// Everything that can go wrong between gmon and a dump, as one line a person can act on.
// Messages are built from templates and known codes only: a header value or password can never
// reach one (scrub() is the last guard for the rare raw error text we do pass through).
import type {Dump} from '../dump/types.ts';
import {unparsedHeadersText} from '../dump/unparsed.ts';
import {formatDuration} from '../text/units.ts';
import {quoteFirstLine} from './first-line.ts';
import type {PollError} from './types.ts';

export type FaultKind = PollError['kind'];

/** A failed fetch, already worded for the user. */
export class PollFault extends Error {
	override name = 'PollFault';
	readonly kind: FaultKind;
	/** HTTP status, when there was one. */
	readonly status?: number;
	/** The system/undici error code behind it (ECONNREFUSED, UND_ERR_SOCKET, …), for diagnostics. */
	code?: string;
	/** Retrying cannot help: a file that is not a dump stays one (the run ends, exit 2). */
	final?: boolean;
	constructor(kind: FaultKind, message: string, status?: number) {
		super(message);
		this.kind = kind;
		if (status !== undefined) this.status = status;
	}
}

export interface FaultContext {
	/** `127.0.0.1:6060` or `unix:/run/app.sock`: where we tried to connect. */
	where: string;
	/** Host name for DNS / certificate messages. */
	host: string;
	/** Request path, for 404 messages. */
	path: string;
	/** Did this request carry an Authorization header (from -H or user:pass@)? */
	sentAuth: boolean;
	headersTimeoutMs: number;
	bodyTimeoutMs: number;
	/** Bytes of body read before the failure. */
	bytes: number;
	/** Whether response headers had arrived (a reset after them is a cut-off dump). */
	gotHeaders: boolean;
	/** Strings that must never be shown (header values, passwords). */
	secrets: readonly string[];
}

const tlsProblems: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
	SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed CA that is not trusted',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate issuer is not trusted',
	UNABLE_TO_GET_ISSUER_CERT: 'the certificate issuer is not trusted',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate issuer is not trusted',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
	CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
};

const tlsFix = 'pass --cacert FILE to trust its CA, or --insecure to skip verification';

function errorCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const code = (error as {code?: unknown}).code;
	if (typeof code === 'string') return code;
	const cause = (error as {cause?: unknown}).cause;
	return cause === undefined ? undefined : errorCode(cause);
}

/** Map a thrown network/undici error (not an HTTP status) to a PollFault. */
export function faultFromError(error: unknown, context: FaultContext): PollFault {
	if (error instanceof PollFault) return error;
	const fault = mapError(error, context);
	const code = errorCode(error);
	if (code !== undefined) fault.code = code;
	return fault;
}

/** Codes of a connection that died under us: on a kept-alive connection before any response, worth one retry. */
export const connectionLostCodes: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function mapError(error: unknown, context: FaultContext): PollFault {
	const code = errorCode(error) ?? '';
	const tls = tlsProblems[code];
	if (tls) return new PollFault('tls', `TLS: ${tls} (${code}) — ${tlsFix}`);
	switch (code) {
		case 'ECONNREFUSED':
			return context.where.startsWith('unix:')
				? new PollFault('refused', `nothing listening on ${context.where} (connection refused) — is the service running? (the socket file is there)`)
				: new PollFault('refused', `nothing listening on ${context.where} (connection refused) — is the service running, and is that its pprof port?`);
		case 'ENOENT':
			return new PollFault('refused', `no socket at ${context.where} — is the service running?`);
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_NONAME':
		case 'EAI_FAIL':
			return new PollFault('dns', `cannot resolve host ${context.host} — check the name (DNS lookup failed: ${code})`);
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return new PollFault(
				'tls',
				`TLS: the certificate is not valid for ${context.host} (${code}) — connect by a name the certificate lists, or --insecure to skip verification`,
			);
		case 'EPROTO':
		case 'ERR_SSL_WRONG_VERSION_NUMBER':
			return new PollFault('tls', `TLS handshake failed at ${context.where} — is it really https? try http:// instead`);
		case 'UND_ERR_HEADERS_TIMEOUT':
			return new PollFault(
				'timeout',
				`no response from ${context.where} after ${formatDuration(context.headersTimeoutMs)} — the connection is open but the target does not answer`,
			);
		case 'UND_ERR_BODY_TIMEOUT':
			return new PollFault('timeout', `the dump stalled: no data for ${formatDuration(context.bodyTimeoutMs)} after ${context.bytes} bytes`);
		case 'ECONNRESET':
		case 'EPIPE':
		case 'UND_ERR_SOCKET':
		case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
		case 'ERR_STREAM_PREMATURE_CLOSE':
			return context.gotHeaders
				? new PollFault('cut-off', `the dump was cut off after ${context.bytes} bytes: the connection closed mid-stream (did the target restart?)`)
				: new PollFault('refused', `the connection to ${context.where} closed before any response (did the target restart?)`);
		case 'ETIMEDOUT':
		case 'UND_ERR_CONNECT_TIMEOUT':
			return new PollFault('timeout', `cannot connect to ${context.where}: timed out — is the host reachable?`);
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return new PollFault('refused', `cannot reach ${context.where}: no route to host`);
		case 'EACCES':
			return new PollFault('refused', `permission denied opening ${context.where}`);
		default:
			break;
	}
	if (/certificate|ssl|tls/i.test(String((error as Error | undefined)?.message ?? ''))) {
		return new PollFault('tls', `TLS: ${scrub(oneLine(error), context.secrets)} — ${tlsFix}`);
	}
	return new PollFault('other', `fetching ${context.where} failed: ${scrub(oneLine(error), context.secrets)}`);
}

const statusText: Record<number, string> = {
	301: 'Moved Permanently',
	302: 'Found',
	307: 'Temporary Redirect',
	308: 'Permanent Redirect',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	407: 'Proxy Authentication Required',
	408: 'Request Timeout',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** Map a non-200 status to a PollFault. `snippet` is the start of the body (shown for 5xx only). */
export function faultFromStatus(status: number, context: FaultContext, snippet = '', location = '', loop = false): PollFault {
	const head = `HTTP ${status}${statusText[status] ? ` ${statusText[status]}` : ''}`;
	if (status >= 300 && status < 400 && location !== '') {
		// Redirects on the same host are followed (http-source.ts); one to another host is not (the
		// credentials would go with it, and a dump should not wander): say where it went instead.
		const shown = scrub(location.replace(/\/\/[^/@]*@/, '//'), context.secrets).slice(0, 200);
		if (loop) return new PollFault('other', `${head} — ${endpoint(context)} keeps redirecting (last to ${shown}): give the final URL as the target`, status);
		return new PollFault('other', `${head} — the target redirects to ${shown} (another host: not followed): use that URL as the target`, status);
	}
	if (status === 401 || status === 403) {
		const message = context.sentAuth
			? `${head} — the credentials sent were rejected; check the -H 'Authorization: …' value or user:pass@ in the URL`
			: `${head} — the target needs credentials: add -H 'Authorization: …' or put user:pass@ in the URL`;
		return new PollFault('auth', message, status);
	}
	if (status === 407) return new PollFault('auth', `${head} — the proxy from HTTP(S)_PROXY needs credentials (or set NO_PROXY for this host)`, status);
	if (status === 404) {
		return new PollFault('not-found', `${endpoint(context)} is not a pprof endpoint (404 Not Found): does the service import _ "net/http/pprof"?`, status);
	}
	if (status >= 500) {
		const detail = firstLine(snippet, context.secrets);
		// No "— retrying" here: whether a retry comes is the poller's to know (pollErrorLine).
		return new PollFault('server', `${head} from the target${detail ? `: ${detail}` : ''}`, status);
	}
	return new PollFault('other', `${head} from ${context.where} — expected 200 with a goroutine dump`, status);
}

/**
 * A failed poll as a line on stderr. "— retrying" is said only when the poller has scheduled a retry
 * (`retryAt`: a source that repeats, a fault that is not final), never by the fault itself: a one-shot
 * run (--once, --json, diff) ends on its first failure and prints the bare message, and the TUI shows
 * the same `retryAt` as its countdown (view/chrome.ts errorLine).
 */
export function pollErrorLine(error: Pick<PollError, 'message' | 'retryAt'>): string {
	return error.retryAt === undefined ? error.message : `${error.message} — retrying`;
}

/** `127.0.0.1:6060/debug/pprof/goroutine`: the endpoint as the user would type it (no query, no credentials). */
export function endpoint(context: Pick<FaultContext, 'where' | 'path'>): string {
	const where = context.where.replace(/ \(or the proxy.*$/, '');
	return where.startsWith('unix:') ? `${where}:${context.path}` : `${where}${context.path}`;
}

/**
 * A 200 whose body is not a goroutine dump. `path` names the endpoint; `firstLine` is the start of
 * what came instead (already made visible), so the user sees what the endpoint really is.
 */
export function notADump(what: 'html' | 'empty' | 'text' | 'gzip' | 'encoded', path: string, encoding = '', firstLine = ''): PollFault {
	if (what === 'gzip') {
		return new PollFault(
			'not-a-dump',
			`the response to ${path} is gzip-compressed (a debug=0 protobuf profile or a compressed body), not a text goroutine dump — ask for ?debug=2`,
		);
	}
	if (what === 'encoded') {
		return new PollFault(
			'not-a-dump',
			`the response to ${path} is compressed (Content-Encoding: ${encoding.slice(0, 40)}): gmon reads the plain text of ?debug=2`,
		);
	}
	if (what === 'html') return new PollFault('not-a-dump', `${path} is not a pprof endpoint: got HTML (a web page, not a goroutine dump)`);
	if (what === 'empty') return new PollFault('not-a-dump', `the response to ${path} is empty, not a goroutine dump`);
	return new PollFault('not-a-dump', `${path} is not a pprof endpoint: this is not a goroutine dump${firstLine === '' ? '' : `; it starts with ${firstLine}`}`);
}

/**
 * A whole input (a file, stdin, a 200 body) that reads as a traceback with not one goroutine in it
 * (dump/unparsed.ts noGoroutineRead): a prose file quoting a header, or a dump of a Go whose headers
 * gmon cannot parse. Both are "not a goroutine dump" to the user; the count of headers not understood
 * and the first of them stay in the line, so the second case reads as what it is. `name` is what was
 * read (`notes.md`, `stdin`, `the response to /debug/pprof/goroutine`); `firstLine` as HeadKeeper gives it.
 */
export function noGoroutinesFault(name: string, dump: Dump, firstLine: string): PollFault {
	const unparsed = dump.unparsedHeaders;
	const headers = unparsed ? ` (${unparsedHeadersText(unparsed.count)}: ${quoteFirstLine(unparsed.first)})` : '';
	return new PollFault(
		'not-a-dump',
		`${name} is not a goroutine dump: no goroutine in it could be read${headers}${firstLine === '' ? '' : `; it starts with ${firstLine}`}`,
	);
}

function oneLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return (text.split('\n')[0] ?? '').slice(0, 200);
}

function firstLine(text: string, secrets: readonly string[]): string {
	const line = (text.split('\n').find(part => part.trim() !== '') ?? '').trim();
	// A body that looks binary or like markup is not worth showing.
	if (line === '' || /[\u0000-\u0008<]/.test(line)) return '';
	return scrub(line.length > 100 ? `${line.slice(0, 99)}…` : line, secrets);
}

/** Replace every secret (and its base64-free parts) with ***. */
export function scrub(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length >= 3) out = out.split(secret).join('***');
	}
	return out;
}

/** Header values and the parts of a Basic header, for scrub(). */
export function secretsOf(headers: Record<string, string>): string[] {
	const secrets: string[] = [];
	for (const value of Object.values(headers)) {
		secrets.push(value);
		const basic = /^Basic\s+(.+)$/i.exec(value);
		if (basic?.[1]) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			secrets.push(decoded);
			const colon = decoded.indexOf(':');
			if (colon !== -1) secrets.push(decoded.slice(colon + 1));
		}
		const bearer = /^\S+\s+(.+)$/.exec(value);
		if (bearer?.[1]) secrets.push(bearer[1]);
	}
	return secrets.sort((a, b) => b.length - a.length);
}
