// `npm run bench -- first-frame`: how soon `gmon --demo` shows its first frame (issue 15: ≤ 300 ms).
// gmon runs on a real pseudo-terminal (util-linux `script`, 120x40), as a user starts it; the figure
// is the wall time from spawning it to the first output holding the header line ("gmon 127.0.0.1:… ·":
// the demo serves its service on loopback), and to the first frame with goroutines in it (the header
// says "polled"), against the same spawn of `node -e 0` to its exit (what any Node program pays).
// Medians of RUNS; the machine is shared, so the load average is printed beside them.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {loadavg} from 'node:os';
import {fileURLToPath} from 'node:url';
import {gmonNodeFlags} from './node-flags.ts';

const bin = fileURLToPath(new URL('../source/bin.js', import.meta.url));
const RUNS = Number(process.env['GMON_BENCH_RUNS'] ?? 9);
const GOAL_MS = 300;
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
// Strip escape sequences so the header is found however Ink colours it.
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

/** CPU (user + system) the process under `script` (its only child: the shell execs the command) has used so far, ms; 0 when gone. */
function childCpuMs(scriptPid: number | undefined): number {
	try {
		const child = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(' ')[0];
		// Fields after the command's parenthesised name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
		const fields = readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]!.split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return 0;
	}
}

/** CPU gmon had used when its first frame showed, per run (10 ms ticks): on a loaded machine the wall time is mostly waiting. */
const cpuAtFirst: number[] = [];

/** Spawn `command` on a fresh 120x40 pty; ms until stdout shows each of `marks` (or the process ends, when there are none). */
function timeOnPty(command: string[], marks: RegExp[] = []): Promise<number[]> {
	const shell = `stty cols 120 rows 40; exec ${command.map(quote).join(' ')}`;
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn('script', ['-qfec', shell, '/dev/null'], {
			stdio: ['pipe', 'pipe', 'ignore'],
			env: {...process.env, CI: 'false', TERM: 'xterm-256color'},
		});
		let text = '';
		let settled = false;
		const times: number[] = [];
		const finish = () => {
			if (settled) return;
			settled = true;
			child.kill('SIGTERM');
			resolve(times);
		};
		child.stdout.on('data', data => {
			text += plain(String(data));
			const at = performance.now() - started;
			while (times.length < marks.length && marks[times.length]?.test(text)) {
				if (times.length === 0) cpuAtFirst.push(childCpuMs(child.pid));
				times.push(at);
			}
			if (marks.length > 0 && times.length === marks.length) finish();
		});
		child.on('exit', () => {
			if (marks.length === 0) times.push(performance.now() - started);
			if (times.length === Math.max(1, marks.length)) finish();
			else if (!settled) reject(new Error(`exited before showing ${marks[times.length]}: ${text.slice(-300)}`));
		});
		setTimeout(() => !settled && reject(new Error(`no ${marks[times.length]} within 10 s: ${text.slice(-300)}`)), 10_000).unref();
	});
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
const flags = gmonNodeFlags();
const gmon: number[] = [];
const data: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
	bare.push(...(await timeOnPty([process.execPath, '-e', '0'])));
	const [header = 0, polled = 0] = await timeOnPty([process.execPath, ...flags, bin, '--demo'], [/gmon \S+ · /, /gmon \S+ · polled /]);
	gmon.push(header);
	data.push(polled);
}
const first = median(gmon);
const ok = first <= GOAL_MS;
console.log(`  load average ${loadavg()[0]?.toFixed(2)}`);
console.log(
	`  ${ok ? 'ok  ' : 'SLOW'} gmon --demo first frame: median ${first.toFixed(0)} ms, min ${Math.min(...gmon).toFixed(0)}, max ${Math.max(...gmon).toFixed(0)} (n=${RUNS}, goal ≤ ${GOAL_MS} ms)`,
);
console.log(`       first frame with the demo's goroutines: median ${median(data).toFixed(0)} ms`);
console.log(`       node -e 0 on the same pty, spawn to exit: median ${median(bare).toFixed(0)} ms`);
console.log(`       CPU gmon had used at its first frame: median ${median(cpuAtFirst).toFixed(0)} ms (10 ms ticks)`);
process.exitCode = ok ? 0 : 1;
