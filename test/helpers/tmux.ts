// Drive a real terminal for end-to-end tests: one detached tmux session per call, on its own
// tmux server socket (-L) so tests never touch a developer's tmux, killed on kill() or when
// the test process exits.
import {execFileSync, execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {setTimeout as delay} from 'node:timers/promises';

const execFileAsync = promisify(execFile);

export interface TmuxOptions {
	/** Terminal size (default 80x24). */
	cols?: number;
	rows?: number;
	/** Shell command run in the pane (by `sh -c`), e.g. `node --import tsx cli.tsx 127.0.0.1:1234`. */
	command: string;
	/** Extra environment for the command (e.g. `{CI: 'false'}` so Ink draws live). */
	env?: Record<string, string>;
	/** Working directory of the command (default: this process's cwd). */
	cwd?: string;
}

export interface CaptureOptions {
	/** Keep colours and attributes as escape sequences (`capture-pane -e`), to check highlighting. */
	escapes?: boolean;
}

export interface TmuxSession {
	/** The session name (unique per call); its server socket name is the same. */
	name: string;
	/** `send-keys` key names: `'Enter'`, `'Escape'`, `'Down'`, `'C-c'`, `'q'`, `'/'`… (one key per argument). */
	send(...keys: string[]): void;
	/** Type text literally (`send-keys -l`): spaces and symbols are not key names. */
	sendLiteral(text: string): void;
	/** The visible screen as text (`capture-pane -p`), one line per row, trailing spaces trimmed by tmux. */
	capture(options?: CaptureOptions): string;
	/** Poll the screen until it matches; resolves with that screen. Rejects after timeoutMs (default 10 s) with the last screen in the message. */
	waitForText(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
	/** Poll until the screen no longer matches (e.g. a banner went away). */
	waitForNoText(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
	/** Resize the terminal (the program gets SIGWINCH). */
	resize(cols: number, rows: number): void;
	/** PID of the command running in the pane. */
	panePid(): number;
	/** Whether the command has exited, and its exit status (the pane stays open: remain-on-exit). */
	status(): {exited: boolean; exitCode?: number};
	/** Kill the session and its tmux server (and with it the command). Idempotent; never throws. */
	kill(): Promise<void>;
}

let counter = 0;
const live = new Set<string>();

// Last resort: a test that crashed before kill() must not leave tmux servers running.
process.once('exit', () => {
	for (const socket of live) {
		try {
			execFileSync('tmux', ['-L', socket, 'kill-server'], {stdio: 'ignore'});
		} catch {
			// already gone
		}
	}
});

function tmuxEnv(): NodeJS.ProcessEnv {
	const env = {...process.env};
	delete env['TMUX']; // we may run inside a developer's tmux: our servers are separate
	delete env['TMUX_PANE'];
	return env;
}

function matches(screen: string, pattern: RegExp | string): boolean {
	return typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
}

/** Start `command` in a fresh detached tmux session of the given size. */
export function startTmux(options: TmuxOptions): TmuxSession {
	const cols = options.cols ?? 80;
	const rows = options.rows ?? 24;
	const name = `gmon-test-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
	const env = tmuxEnv();
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', name, ...args], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});

	const envFlags = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	live.add(name);
	// -f /dev/null: no user config. remain-on-exit is set in the same command sequence so a
	// program that exits at once still leaves its last screen to capture (and its status).
	tmux(
		'-f',
		'/dev/null',
		'new-session',
		'-d',
		'-s',
		name,
		'-x',
		String(cols),
		'-y',
		String(rows),
		'-c',
		options.cwd ?? process.cwd(),
		...envFlags,
		options.command,
		';',
		'set-option',
		'-t',
		name,
		'remain-on-exit',
		'on',
		';',
		'set-option',
		'-t',
		name,
		'status',
		'off',
	);

	let killed = false;
	const session: TmuxSession = {
		name,
		send(...keys) {
			tmux('send-keys', '-t', name, ...keys);
		},
		sendLiteral(text) {
			tmux('send-keys', '-t', name, '-l', text);
		},
		capture(captureOptions = {}) {
			const text = tmux('capture-pane', '-p', ...(captureOptions.escapes ? ['-e'] : []), '-t', name);
			return text.endsWith('\n') ? text.slice(0, -1) : text;
		},
		async waitForText(pattern, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			let screen = '';
			for (;;) {
				screen = session.capture();
				if (matches(screen, pattern)) return screen;
				if (Date.now() > deadline) break;
				await delay(100);
			}
			throw new Error(`tmux: ${String(pattern)} not on screen after ${timeoutMs} ms. Screen:\n${screen}`);
		},
		async waitForNoText(pattern, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			let screen = '';
			for (;;) {
				screen = session.capture();
				if (!matches(screen, pattern)) return screen;
				if (Date.now() > deadline) break;
				await delay(100);
			}
			throw new Error(`tmux: ${String(pattern)} still on screen after ${timeoutMs} ms. Screen:\n${screen}`);
		},
		resize(newCols, newRows) {
			tmux('resize-window', '-t', name, '-x', String(newCols), '-y', String(newRows));
		},
		panePid() {
			return Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
		},
		status() {
			const [dead, code] = tmux('display-message', '-p', '-t', name, '#{pane_dead} #{pane_dead_status}').trim().split(' ');
			return dead === '1' ? {exited: true, exitCode: code ? Number(code) : undefined} : {exited: false};
		},
		async kill() {
			if (killed) return;
			killed = true;
			try {
				await execFileAsync('tmux', ['-L', name, 'kill-server'], {env});
			} catch {
				// the server already exited
			}
			live.delete(name);
		},
	};
	return session;
}
