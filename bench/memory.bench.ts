// `npm run bench -- memory` (or `node --import tsx bench/memory.bench.ts`): gmon's peak RSS on
// hostile-sized input, measured on the real binary with gmon's own node flags (VmHWM of the child):
// - `--json` on a 64 MiB dump of ~2.07 million tiny goroutines (issue 20: it crashed with
//   RangeError: Invalid string length); the output is checked to end as a whole document;
// - `--once` on the same file (the text report);
// - `--once` and `--json` against a loopback target sending an endless body of ordinary goroutine
//   blocks (few stacks, or a stack each): the poll stops at --max-bytes (64 MiB); the figure is
//   reported as a multiple of --max-bytes, with the bytes the server sent before gmon hung up.
import {spawn} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {loadavg, tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {formatBytes} from '../source/text/units.ts';
import {gmonNodeFlags} from './node-flags.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 64 * 1024 * 1024;

/** Runs gmon, polling the child's VmHWM (peak RSS) until it exits. */
function peakRss(args: string[], stdoutPath: string): Promise<{code: number | null; peak: number; ms: number}> {
	return new Promise(resolve => {
		const out = openSync(stdoutPath, 'w');
		const started = Date.now();
		const child = spawn(process.execPath, [...gmonNodeFlags(), join(repo, 'source/bin.js'), ...args], {
			stdio: ['ignore', out, 'inherit'],
			env: {...process.env, CI: 'true'},
		});
		let peak = 0;
		const sample = () => {
			try {
				const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
				if (match) peak = Math.max(peak, Number(match[1]) * 1024);
			} catch {
				// Gone: the last sample stands.
			}
		};
		const timer = setInterval(sample, 50);
		child.once('exit', code => {
			clearInterval(timer);
			closeSync(out);
			resolve({code, peak, ms: Date.now() - started});
		});
	});
}

const dir = mkdtempSync(join(tmpdir(), 'gmon-memory-'));
try {
	// ~32 bytes a goroutine: the most goroutines 64 MiB can hold in Go's own format.
	const file = join(dir, 'tiny.txt');
	const fd = openSync(file, 'w');
	let count = 0;
	let bytes = 0;
	let batch: string[] = [];
	for (;;) {
		const block = `goroutine ${count + 1} [r]:\nf()\n\tx:1\n\n`;
		if (bytes + block.length > MAX_BYTES) break;
		batch.push(block);
		bytes += block.length;
		count++;
		if (batch.length === 10_000) {
			writeSync(fd, batch.join(''));
			batch = [];
		}
	}
	writeSync(fd, batch.join(''));
	closeSync(fd);
	console.log(`dump: ${count} goroutines, ${formatBytes(bytes)}`);

	const jsonOut = join(dir, 'out.json');
	const json = await peakRss(['--json', file], jsonOut);
	const size = statSync(jsonOut).size;
	const tail = readFileSync(jsonOut).subarray(-40).toString();
	// The document's own closing brace starts its line (a nested one is indented): the last field
	// changed over time (errors, then notes), the end of a whole document did not.
	const whole = json.code === 0 && /\n\}\n$/.test(tail);
	console.log(
		`--json: exit ${json.code}, ${formatBytes(size)} written${whole ? ', ends as a whole document' : ' — INCOMPLETE'}, peak RSS ${formatBytes(json.peak)} (${(json.peak / MAX_BYTES).toFixed(1)}x --max-bytes), ${(json.ms / 1000).toFixed(1)} s`,
	);

	const text = await peakRss(['--once', file], join(dir, 'out.txt'));
	console.log(
		`--once text: exit ${text.code}, peak RSS ${formatBytes(text.peak)} (${(text.peak / MAX_BYTES).toFixed(1)}x --max-bytes), ${(text.ms / 1000).toFixed(1)} s`,
	);

	// An endless body of ordinary blocks over HTTP (a loopback server here), every path answering with
	// it (debug=1 and goroutineleak too, as a hostile target would): the poll stops at --max-bytes.
	// Two bodies: a real fixture's goroutines renumbered (few stacks), and every goroutine on a stack of
	// its own (~190 B a block: one group per goroutine, the model's worst case).
	const sample = readFileSync(join(repo, 'test/fixtures/dumps/go1.19-statezoo-all-states.debug2.txt'), 'utf8');
	const blocks = sample.split('\n\n').filter(block => block.startsWith('goroutine '));
	const bodies: {name: string; block: (id: number) => string}[] = [
		{name: 'few stacks', block: id => `${blocks[id % blocks.length]!.replace(/^goroutine \d+/, `goroutine ${id}`)}\n\n`},
		{
			name: 'a stack each',
			block: id =>
				`goroutine ${id} [chan receive]:\nmain.worker${id}(0xc000010000)\n\t/app/main.go:${id % 100_000}\nmain.run()\n\t/app/run.go:10 +0x1d\ncreated by main.main in goroutine 1\n\t/app/main.go:20 +0x55\n\n`,
		},
	];
	for (const body of bodies) {
		const sent: number[] = [];
		const server = createServer((_req, res) => {
			res.writeHead(200, {'content-type': 'text/plain'});
			let id = 1;
			let bytes = 0;
			const pump = () => {
				let ok = true;
				while (ok) {
					const chunk: string[] = [];
					for (let i = 0; i < 200; i++) chunk.push(body.block(id++));
					const text = chunk.join('');
					bytes += text.length;
					ok = res.write(text);
				}
				res.once('drain', pump);
			};
			res.on('error', () => {});
			res.on('close', () => sent.push(bytes));
			pump();
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/pprof/goroutine?debug=2`;
		for (const mode of ['--once', '--json']) {
			sent.length = 0;
			const run = await peakRss([mode, '--max-overhead', '0', url], join(dir, 'endless.out'));
			console.log(
				`endless body over HTTP (${body.name}), ${mode}: exit ${run.code}, peak RSS ${formatBytes(run.peak)} (${(run.peak / MAX_BYTES).toFixed(1)}x --max-bytes), ${(run.ms / 1000).toFixed(1)} s; bodies sent before the connection closed: ${sent.map(n => formatBytes(n)).join(', ')}`,
			);
		}
		server.closeAllConnections();
		server.close();
	}
	console.log(
		`load average ${loadavg()
			.map(n => n.toFixed(1))
			.join(' ')}`,
	);
} finally {
	rmSync(dir, {recursive: true, force: true});
}
