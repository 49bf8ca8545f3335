// npm test's test step: two of Node's own test runners side by side.
// - test/unit/: tests of pure logic and in-process rendering (no child processes, no timing). They
//   share ONE process (--test-isolation=none): a process per file cost ~0.25 s of CPU each, a tenth
//   of the suite's CPU on a 2-core machine, for nothing.
// - test/*.test.ts(x): everything that starts processes, servers, Go programs or tmux, each file in
//   its own process, several at once (most of their time is waiting for polls).
// The second runner's report streams live; the first's (a few seconds of work) is printed when
// both are done, so the two never interleave mid-line. Exit status: failure if either failed.
import {spawn} from 'node:child_process';

const node = process.execPath;
const loader = ['--import', 'tsx', '--test'];
const runners = [
	{name: 'test/unit (one process)', args: [...loader, '--test-isolation=none', 'test/unit/*.test.ts', 'test/unit/*.test.tsx'], live: false},
	{name: 'test (a process per file)', args: [...loader, '--test-concurrency=6', 'test/*.test.ts', 'test/*.test.tsx'], live: true},
];

/** The runner's own summary lines ("ℹ tests 12", "ℹ pass 12", …) as numbers. */
function summary(text) {
	const counts = {};
	for (const match of text.matchAll(/^ℹ (tests|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/gm)) counts[match[1]] = Number(match[2]);
	return counts;
}

const results = await Promise.all(
	runners.map(
		runner =>
			new Promise(resolve => {
				const child = spawn(node, runner.args, {stdio: ['ignore', 'pipe', 'pipe']});
				let text = '';
				const take = stream => data => {
					text += data;
					if (runner.live) stream.write(data);
				};
				child.stdout.on('data', take(process.stdout));
				child.stderr.on('data', take(process.stderr));
				child.on('close', (code, signal) => resolve({runner, text, code: code ?? (signal ? 1 : 0)}));
			}),
	),
);

for (const {runner, text} of results) if (!runner.live) process.stdout.write(`\n── ${runner.name} ──\n${text}`);
process.stdout.write('\n');
for (const {runner, text, code} of results) {
	const c = summary(text);
	process.stdout.write(
		`${code === 0 ? '✔' : '✖'} ${runner.name}: ${c.tests ?? '?'} tests, ${c.pass ?? '?'} pass, ${c.fail ?? '?'} fail, ${c.skipped ?? 0} skipped, ${((c.duration_ms ?? 0) / 1000).toFixed(1)} s\n`,
	);
}
// The failures' own words last: CI keeps only the end of a long log, and a red run must say why there.
for (const {runner, text} of results) {
	const at = text.lastIndexOf('✖ failing tests:');
	if (at < 0) continue;
	const lines = text.slice(at).trimEnd().split('\n');
	process.stdout.write(
		`\n── why ${runner.name} failed ──\n${lines.slice(0, 120).join('\n')}${lines.length > 120 ? `\n… ${lines.length - 120} more lines above in the log` : ''}\n`,
	);
}
process.exitCode = results.some(result => result.code !== 0) ? 1 : 0;
