// Runs the real gmon binary (`node source/bin.js …`, on the compiled dist/) as a subprocess, the way a user or a CI job
// does, and collects what it printed and how it exited.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {binPath} from './built.ts';

export const repoDir = fileURLToPath(new URL('../../', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('../fixtures/dumps/', import.meta.url));

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunCliOptions {
	/** Written to gmon's stdin, which is then closed. Without it stdin is /dev/null. */
	stdin?: string | Buffer;
	env?: NodeJS.ProcessEnv;
	/** Kill gmon after this long (default 30 s) so a hang fails the test instead of stalling it. */
	timeoutMs?: number;
	/**
	 * Run gmon as this uid (and the same gid, no supplementary groups) through setpriv(1), e.g. 65534
	 * (nobody): a test of file permissions means nothing as root. Needs root and setpriv.
	 */
	uid?: number;
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const gmon = [binPath, ...args];
		// setpriv execs node with the same arguments: only the user changes.
		const [command, argv] =
			options.uid === undefined
				? [process.execPath, gmon]
				: ['setpriv', [`--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', process.execPath, ...gmon]];
		const child = spawn(command, argv, {
			cwd: repoDir,
			// CI=true as in .ci/run; NO_COLOR unset so colour decisions are gmon's own (no TTY → none).
			env: {...process.env, CI: 'true', NO_COLOR: '', FORCE_COLOR: '', ...options.env},
			stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
		if (options.stdin !== undefined) child.stdin!.end(options.stdin);
	});
}

export const fixture = (name: string) => `${fixturesDir}${name}`;
