// The embedded demo target: a loopback-only HTTP server that answers like net/http/pprof,
// with dumps of the simulated service in world.ts. Real time drives simulated time.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createRequire} from 'node:module';

// node:http through require, not an ESM import: the ESM facade reads every export of node:http, and
// its lazy WebSocket/fetch getters then load Node's internal undici (~50 ms of start-up on 2 cores).
const {createServer} = createRequire(import.meta.url)('node:http') as typeof import('node:http');
import type {AddressInfo, Socket} from 'node:net';
import {DemoWorld, type DemoWorldOptions} from './world.ts';

export interface DemoServerOptions extends DemoWorldOptions {
	/** Port on 127.0.0.1 (default 0: any free port). */
	port?: number;
	/** Simulated ms per real ms (default 1). Tests and impatient demos speed it up. */
	speed?: number;
}

export interface DemoServer {
	/** `http://127.0.0.1:PORT` — what gmon polls. */
	url: string;
	port: number;
	world: DemoWorld;
	close(): Promise<void>;
}

const GOROUTINE_PATH = '/debug/pprof/goroutine';

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
	const world = new DemoWorld(options);
	const speed = options.speed ?? 1;
	let last = Date.now();
	const connections = new WeakMap<Socket, number>();

	const answer = (request: IncomingMessage, response: ServerResponse) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const debug = url.searchParams.get('debug');
		// Like net/http/pprof: ?debug=2 tracebacks, ?debug=1 the aggregated text. The gzip'd
		// protobuf (debug=0) is not simulated, nor any other profile: 404, as for an unknown path.
		if (url.pathname !== GOROUTINE_PATH || (debug !== '1' && debug !== '2') || (request.method !== 'GET' && request.method !== 'HEAD')) {
			response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'});
			response.end('404 page not found\n');
			return;
		}
		const now = Date.now();
		world.tick((now - last) * speed);
		last = now;
		const body = world.render({debug: debug === '1' ? 1 : 2, servingConnection: connections.get(request.socket)});
		response.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'});
		response.end(request.method === 'HEAD' ? undefined : body);
	};

	const server = createServer(answer);
	// Go's http.Server keeps idle connections open; Node closes them after 5 s. A poller with a
	// longer interval would otherwise show up as a new connection goroutine on every poll.
	server.keepAliveTimeout = 60_000;
	server.on('connection', socket => {
		connections.set(socket, world.openConnection());
		socket.once('close', () => world.closeConnection(connections.get(socket) ?? -1));
	});
	// Loopback only: the demo must never be reachable from another machine.
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		world,
		close: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
