// Renders with Ink itself into a fake TTY whose size tests choose and change (ink-testing-library's
// stdout has no rows and a fixed width). Frames are kept raw and also with ANSI styling stripped.
// Must run before Ink (and chalk) load: chalk decides its colour level once, from the environment, and
// under the test runner stdout is a pipe (no colour, so no inverse selection to assert on). Test files
// import this helper before anything that imports Ink.
import './force-color.ts';
import {EventEmitter} from 'node:events';
import {setTimeout as delay} from 'node:timers/promises';
import {render} from 'ink';
import type {ReactElement} from 'react';

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[@-_]/g;

export function stripAnsi(text: string): string {
	return text.replace(ansi, '');
}

class FakeStdout extends EventEmitter {
	frames: string[] = [];
	isTTY = true;
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (chunk: string) => {
		// Ink in debug mode writes each frame whole; a bare '\n' is its last write on unmount under CI.
		if (chunk !== '\n') this.frames.push(chunk);
		return true;
	};

	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	data: string[] = [];
	setRawMode() {}
	setEncoding() {}
	ref() {}
	unref() {}
	resume() {}
	pause() {}
	read = () => this.data.shift() ?? null;
	write(data: string) {
		this.data.push(data);
		this.emit('readable');
		this.emit('data', data);
	}
}

export interface TtyRender {
	/** The last frame with ANSI styling removed. */
	frame(): string;
	/** The last frame as written (with ANSI styling). */
	rawFrame(): string;
	/** The last frame's lines (ANSI removed). */
	lines(): string[];
	/** Writes keys, waiting before and after so Ink's input hook sees them and the frame updates. */
	press(...keys: string[]): Promise<void>;
	resize(columns: number, rows: number): Promise<void>;
	settle(): Promise<void>;
	unmount(): void;
	stdout: FakeStdout;
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	tab: '\t',
	escape: '\u001B',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlD: '\u0004',
	ctrlU: '\u0015',
	/** Text pasted in a terminal in bracketed-paste mode (which Ink's usePaste turns on). */
	paste: (text: string) => `\u001B[200~${text}\u001B[201~`,
};

/** Ink's wait for the rest of an escape sequence (pendingInputFlushDelayMilliseconds), with a margin. */
const escapeFlushMs = 40;

export async function renderTty(tree: ReactElement, size: {columns: number; rows: number} = {columns: 80, rows: 24}): Promise<TtyRender> {
	const stdout = new FakeStdout(size.columns, size.rows);
	const stdin = new FakeStdin();
	const instance = render(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const settle = async () => {
		await delay(0);
		await delay(0);
	};
	await settle();
	const rawFrame = () => stdout.frames[stdout.frames.length - 1] ?? '';
	const frame = () => stripAnsi(rawFrame());
	return {
		frame,
		rawFrame,
		lines: () => frame().split('\n'),
		async press(...sequence: string[]) {
			for (const key of sequence) {
				await delay(0);
				stdin.write(key);
				// Ink holds a lone ESC for 20 ms in case the rest of an escape sequence follows, then
				// delivers it as Escape: wait that out.
				if (key === keys.escape) await delay(escapeFlushMs);
				await settle();
			}
		},
		async resize(columns: number, rows: number) {
			stdout.resize(columns, rows);
			await settle();
		},
		settle,
		unmount: () => instance.unmount(),
		stdout,
	};
}
