// A loopback port that was free a moment ago: a listener opened on port 0 and closed again. Nothing
// listens there now (a refused connection), and a service started next can usually bind it (a short
// race, fine on loopback).
import {createServer} from 'node:net';

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}
