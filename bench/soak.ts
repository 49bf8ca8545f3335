// `node --import tsx bench/soak.ts [MINUTES]` (default 10; not part of `npm run bench`, which it would
// hold for the whole soak): the live TUI against a Go program whose ~12k goroutines keep coming and going
// (bench/churn: a flat count, ids churning), run as a user runs it (built gmon, gmon's node flags, tmux,
// 120x40), full dumps every poll (SOAK_FLAGS). gmon's RSS is sampled from /proc every 5 s; the figures are
// the mean of the second minute (the first is start-up) and of the last, the mean and the peak, and the
// header at the end (the target's count stayed flat). Issue 20 saw a 445 MB → 618 MB mean drift at a flat count.
import {execFile, execFileSync, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {formatBytes} from '../source/text/units.ts';
import {gmonNodeFlags} from './node-flags.ts';

const run = promisify(execFile);
const minutes = Number(process.argv[2] ?? 10);
const goroutines = Number(process.env['SOAK_GOROUTINES'] ?? 12_000);
const bin = fileURLToPath(new URL('../source/bin.js', import.meta.url));
const churnDir = fileURLToPath(new URL('./churn/', import.meta.url));
const churnBin = join(tmpdir(), `gmon-churn-${process.pid}`);
const session = `gmon-soak-${process.pid}`;

execFileSync('go', ['build', '-o', churnBin, '.'], {cwd: churnDir, stdio: 'inherit'});
const target = spawn(churnBin, ['-n', String(goroutines)], {stdio: ['ignore', 'pipe', 'inherit']});
const address = await new Promise<string>((resolve, reject) => {
	target.stdout.once('data', data => resolve(/listening on (\S+)/.exec(String(data))?.[1] ?? ''));
	target.once('exit', code => reject(new Error(`churn exited ${code}`)));
});

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
// Full dumps every poll, whatever they cost the target: the soak is about gmon's memory across many
// whole dumps (by default the cost budget may hold them back on a loaded machine, and then only counts move).
const gmonFlags = (process.env['SOAK_FLAGS'] ?? '--max-overhead 0 --max-pause 0').split(' ').filter(word => word !== '');
const command = ['exec', process.execPath, ...gmonNodeFlags(), bin, ...gmonFlags, address].map(quote).join(' ');
await run('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', `CI=false TERM=xterm-256color ${command}`]);
const pid = Number((await run('tmux', ['list-panes', '-t', session, '-F', '#{pane_pid}'])).stdout.trim());

const rss = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const samples: {at: number; rss: number}[] = [];
const started = Date.now();
const end = started + minutes * 60_000;
console.log(
	`soak: gmon ${gmonFlags.join(' ')} (pid ${pid}) on ${address}, ~${goroutines} churning goroutines, ${minutes} min; load average ${loadavg()
		.map(x => x.toFixed(2))
		.join(' ')}`,
);
try {
	while (Date.now() < end) {
		samples.push({at: Date.now() - started, rss: rss()});
		if (samples.length % 12 === 0) {
			const last = samples.at(-1)!;
			console.log(`  ${(last.at / 60_000).toFixed(1)} min: RSS ${formatBytes(last.rss)}, load ${loadavg()[0]!.toFixed(2)}`);
		}
		await new Promise(resolve => setTimeout(resolve, 5000));
	}
	const screen = (await run('tmux', ['capture-pane', '-p', '-t', session])).stdout;
	const mean = (list: {rss: number}[]) => list.reduce((sum, s) => sum + s.rss, 0) / Math.max(1, list.length);
	const minute = (from: number, to: number) => samples.filter(s => s.at >= from * 60_000 && s.at < to * 60_000);
	// The first minute is start-up (modules, the first dumps, the heap growing to its working size): the
	// drift is measured from the second minute to the last.
	const start = mean(minute(1, 2));
	const last = mean(minute(minutes - 1, minutes));
	const peak = Math.max(...samples.map(s => s.rss));
	console.log(`header at the end: ${screen.split('\n')[0]?.trim()}`);
	console.log(
		`RSS: minute 2 mean ${formatBytes(start)}, last minute mean ${formatBytes(last)} (drift ${(((last - start) / start) * 100).toFixed(1)}%), mean after the first minute ${formatBytes(mean(samples.filter(s => s.at >= 60_000)))}, peak ${formatBytes(peak)}; first minute mean ${formatBytes(mean(minute(0, 1)))}; ${samples.length} samples; load average ${loadavg()
			.map(x => x.toFixed(2))
			.join(' ')}`,
	);
} finally {
	await run('tmux', ['kill-session', '-t', session]).catch(() => {});
	target.kill();
	execFileSync('rm', ['-f', churnBin]);
}
