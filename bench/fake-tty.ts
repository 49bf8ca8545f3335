// The terminal the UI benches render into: Ink sees a TTY of a chosen size; every frame Ink writes
// (in debug mode, each at once) is counted and can be awaited. Unlike test/helpers/render-tty.tsx
// it keeps nothing and forces no colour: the benches time Ink's work, not a test's bookkeeping.
import {EventEmitter} from 'node:events';

export class BenchStdout extends EventEmitter {
	columns: number;
	rows: number;
	isTTY = true;
	frames = 0;
	/** performance.now() of the last frame written. */
	lastFrameAt = 0;
	#waiting: (() => void) | undefined;

	constructor(columns: number, rows: number) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	write = (_chunk: string) => {
		this.frames++;
		this.lastFrameAt = performance.now();
		const resolve = this.#waiting;
		this.#waiting = undefined;
		resolve?.();
		return true;
	};

	/** Resolves on the next frame written. */
	nextFrame(): Promise<void> {
		return new Promise(resolve => {
			this.#waiting = resolve;
		});
	}
}

export class BenchStdin extends EventEmitter {
	isTTY = true;
	data: string[] = [];
	setRawMode() {}
	setEncoding() {}
	ref() {}
	unref() {}
	read = () => this.data.shift() ?? null;
	send(text: string) {
		this.data.push(text);
		this.emit('readable');
	}
}

/** `GMON_BENCH_SIZE=200x50`, default 120x40 (the terminal). */
export function benchSize(): [number, number] {
	const [columns, rows] = (process.env['GMON_BENCH_SIZE'] ?? '120x40').split('x').map(Number);
	return [columns ?? 120, rows ?? 40];
}
