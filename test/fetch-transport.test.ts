// Transports other than plain loopback HTTP: a unix socket, TLS with a self-signed certificate
// (test/fixtures/tls), DNS failure, and the proxy switch.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http';
import {createSecureServer} from 'node:http2';
import {createServer as createHttpsServer} from 'node:https';
import {connect as connectTcp, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {buildConfig, ConfigError, type ConfigFlags} from '../source/config.ts';
import {PollFault} from '../source/fetch/faults.ts';
import {HttpSource} from '../source/fetch/http-source.ts';
import {Poller} from '../source/fetch/poller.ts';
import {ManualTimers} from '../source/fetch/timers.ts';

const debug2 = readFileSync(new URL('./fixtures/dumps/go1.19-statezoo-all-states.debug2.txt', import.meta.url));
const tls = new URL('fixtures/tls/', import.meta.url);
const cert = readFileSync(new URL('cert.pem', tls));
const key = readFileSync(new URL('key.pem', tls));
const caFile = new URL('cert.pem', tls).pathname;
const quick: ConfigFlags = {headersTimeout: '1s', bodyTimeout: '1s', interval: '1s'};

function serve(req: IncomingMessage, res: ServerResponse): void {
	if ((req.url ?? '').startsWith('/debug/pprof/goroutine?')) {
		res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
		res.end(debug2);
		return;
	}
	res.writeHead(404);
	res.end();
}

async function fault(promise: Promise<unknown>): Promise<PollFault> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof PollFault, `expected a PollFault, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the fetch to fail');
}

test('unix socket: dumps over the socket; a vanished socket is a clear fault that recovers', async t => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-unix-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const socketPath = join(dir, 'pprof.sock');
	let server = createHttpServer(serve);
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const config = buildConfig(`unix:${socketPath}`, quick);
	const timers = new ManualTimers();
	const poller = new Poller(new HttpSource(config), {intervalMs: 1000, maxOverheadPct: 0, timers});
	t.after(() => poller.stop());
	poller.start();
	await poller.whenIdle();
	assert.equal(poller.getState().target, `unix:${socketPath}`);
	assert.equal(poller.getState().last?.dump.goroutines.length, 42);

	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
	await poller.poll();
	assert.equal(poller.getState().error?.kind, 'refused');
	assert.equal(poller.getState().error?.message, `no socket at unix:${socketPath} — is the service running?`);
	assert.equal(poller.getState().last?.dump.goroutines.length, 42, 'last good dump kept');

	server = createHttpServer(serve);
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	timers.fire();
	await poller.whenIdle();
	assert.equal(poller.getState().error, undefined);
});

test('TLS with a self-signed certificate: the fault names the problem and both fixes; --cacert and --insecure work', async t => {
	const server = createHttpsServer({cert, key}, serve);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	const url = `https://127.0.0.1:${port}/`;

	const plain = new HttpSource(buildConfig(url, quick));
	t.after(() => plain.close());
	const error = await fault(plain.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(error.kind, 'tls');
	assert.equal(
		error.message,
		'TLS: the server certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT) — pass --cacert FILE to trust its CA, or --insecure to skip verification',
	);

	const trusted = new HttpSource(buildConfig(url, {...quick, cacert: caFile}));
	t.after(() => trusted.close());
	assert.equal((await trusted.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);

	const insecure = new HttpSource(buildConfig(url, {...quick, insecure: true}));
	t.after(() => insecure.close());
	assert.equal((await insecure.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);

	assert.throws(
		() => new HttpSource(buildConfig(url, {...quick, cacert: '/nonexistent/ca.pem'})),
		(thrown: unknown) => {
			assert.ok(thrown instanceof ConfigError);
			assert.equal(thrown.message, '--cacert /nonexistent/ca.pem: cannot read it (ENOENT)');
			return true;
		},
	);
});

test('an https target that offers HTTP/2 (as a Go server does) is still read over HTTP/1.1', async t => {
	const versions: string[] = [];
	const server = createSecureServer({cert, key, allowHTTP1: true}, (req, res) => {
		versions.push(req.httpVersion);
		serve(req as unknown as IncomingMessage, res as unknown as ServerResponse);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => server.close());
	const source = new HttpSource(buildConfig(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`, {...quick, cacert: caFile}));
	t.after(() => source.close());
	assert.equal((await source.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);
	assert.deepEqual(versions, ['1.1']);
});

test('TLS: a certificate for another name, an unknown host, and https spoken to a plain http port', async t => {
	const server = createHttpsServer({cert, key}, serve);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const plainServer = createHttpServer(serve);
	await new Promise<void>(resolve => plainServer.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		for (const s of [server, plainServer]) {
			s.closeAllConnections();
			s.close();
		}
	});
	const {port} = server.address() as AddressInfo;
	// The certificate lists only IP addresses: asking for it as localhost is a mismatch.
	const byName = new HttpSource(buildConfig(`https://localhost:${port}/`, {...quick, cacert: caFile}));
	t.after(() => byName.close());
	const mismatch = await fault(byName.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(mismatch.kind, 'tls');
	assert.equal(
		mismatch.message,
		'TLS: the certificate is not valid for localhost (ERR_TLS_CERT_ALTNAME_INVALID) — connect by a name the certificate lists, or --insecure to skip verification',
	);
	// Reach the same server through a name the certificate does not list.
	const renamed = new HttpSource(buildConfig(`https://127.0.0.1.nip.invalid:${port}/`, {...quick, cacert: caFile}));
	t.after(() => renamed.close());
	const dns = await fault(renamed.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(dns.kind, 'dns');
	assert.match(dns.message, /^cannot resolve host 127\.0\.0\.1\.nip\.invalid — check the name \(DNS lookup failed: (ENOTFOUND|EAI_AGAIN)\)$/);

	const {port: plainPort} = plainServer.address() as AddressInfo;
	const wrongScheme = new HttpSource(buildConfig(`https://127.0.0.1:${plainPort}/`, quick));
	t.after(() => wrongScheme.close());
	const proto = await fault(wrongScheme.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(proto.kind, 'tls');
	assert.equal(proto.message, `TLS handshake failed at 127.0.0.1:${plainPort} — is it really https? try http:// instead`);
});

test('proxy variables route through EnvHttpProxyAgent, NO_PROXY still reaches loopback directly', async t => {
	const server = createHttpServer(serve);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	const config = buildConfig(`127.0.0.1:${port}`, quick);
	// A proxy on a dead port: with NO_PROXY for loopback the fetch still works…
	const bypass = new HttpSource(config, {env: {http_proxy: 'http://127.0.0.1:9', no_proxy: '127.0.0.1'}});
	t.after(() => bypass.close());
	assert.equal((await bypass.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);
	// …without it the request goes to the (dead) proxy, proving the proxy is used.
	const proxied = new HttpSource(config, {env: {http_proxy: 'http://127.0.0.1:9'}});
	t.after(() => proxied.close());
	const error = await fault(proxied.fetch({profile: 'goroutine', debug: 2}));
	assert.equal(error.kind, 'refused');
	assert.equal(
		error.message,
		`nothing listening on 127.0.0.1:${port} (or the proxy from http(s)_proxy) (connection refused) — is the service running, and is that its pprof port?`,
	);
});

test('http through an http proxy: the request is forwarded in absolute form, as curl does (undici 8), kept alive across polls', async t => {
	const server = createHttpServer(serve);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	// A real forwarding proxy: it reads the absolute URL and fetches it; it refuses CONNECT.
	const forwarded: string[] = [];
	const proxySockets = new Set<unknown>();
	const proxy = createHttpServer((req, res) => {
		forwarded.push(`${req.method} ${req.url}`);
		const upstream = httpRequest(req.url ?? '', {method: req.method, headers: req.headers}, answer => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	proxy.on('connection', socket => proxySockets.add(socket));
	proxy.on('connect', (_req: IncomingMessage, client: import('node:net').Socket) => client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n'));
	await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
		proxy.closeAllConnections();
		proxy.close();
	});
	const {port} = server.address() as AddressInfo;
	const source = new HttpSource(buildConfig(`127.0.0.1:${port}`, quick), {env: {http_proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`}});
	t.after(() => source.close());
	for (let poll = 0; poll < 3; poll++) {
		assert.equal((await source.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);
		// Polls are apart (250 ms at the least); back to back, undici may not have the connection back yet.
		await delay(100);
	}
	assert.deepEqual(forwarded, Array(3).fill(`GET http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2`));
	assert.equal(proxySockets.size, 1, 'one connection to the proxy, reused');
});

test('https through a CONNECT proxy: --cacert and --insecure still apply to the target behind the tunnel', async t => {
	const server = createHttpsServer({cert, key}, serve);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	// A real tunnelling proxy: it answers CONNECT and splices the sockets.
	const tunnels: string[] = [];
	const proxy = createHttpServer((_req, res) => {
		res.writeHead(405);
		res.end();
	});
	proxy.on('connect', (req: IncomingMessage, client: import('node:net').Socket, head: Buffer) => {
		tunnels.push(req.url ?? '');
		const [host, port] = (req.url ?? '').split(':');
		const upstream = connectTcp(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
		proxy.closeAllConnections();
		proxy.close();
	});
	const {port} = server.address() as AddressInfo;
	const env = {https_proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`};
	const url = `https://127.0.0.1:${port}/`;

	const plain = new HttpSource(buildConfig(url, quick), {env});
	t.after(() => plain.close());
	assert.equal((await fault(plain.fetch({profile: 'goroutine', debug: 2}))).kind, 'tls', 'the self-signed target is still refused through the tunnel');

	const trusted = new HttpSource(buildConfig(url, {...quick, cacert: caFile}), {env});
	t.after(() => trusted.close());
	assert.equal((await trusted.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);

	const insecure = new HttpSource(buildConfig(url, {...quick, insecure: true}), {env});
	t.after(() => insecure.close());
	assert.equal((await insecure.fetch({profile: 'goroutine', debug: 2})).result.dump.goroutines.length, 42);
	assert.deepEqual(new Set(tunnels), new Set([`127.0.0.1:${port}`]), 'every request went through the proxy');
	assert.ok(tunnels.length >= 3);
});
