// Which frames belong to the Go runtime and standard library (dimmed in the stack view), and how
// one frame or a created-by reads on a single line. Pure; all text passes through visible.
import type {CreatedBy, Frame} from '../dump/types.ts';
import {visible} from '../text/sanitize.ts';

/**
 * The package path of a function as Go prints it: `net/http.(*conn).serve` → `net/http`,
 * `github.com/x/y.F` → `github.com/x/y`, `main.main.func1` → `main`.
 */
export function packageOf(func: string): string {
	const slash = func.lastIndexOf('/');
	const dot = func.indexOf('.', slash + 1);
	return dot === -1 ? func : func.slice(0, dot);
}

/**
 * Runtime and standard-library frames: the first path element of a standard package has no dot
 * (`runtime`, `net/http`, `internal/poll`), while module paths do (`github.com/…`); `main` is the user's.
 */
export function isStdFrame(func: string): boolean {
	const pkg = packageOf(func);
	if (pkg === 'main' || pkg === '') return false;
	const first = pkg.split('/', 1)[0] ?? pkg;
	return !first.includes('.');
}

/** `file.go:88` from `/home/u/src/app/file.go` — the short form used in list columns. */
export function shortFile(file: string): string {
	const slash = file.lastIndexOf('/');
	return slash === -1 ? file : file.slice(slash + 1);
}

/** `handlers.go:88` (short) or the full path, safe for the terminal. */
export function fileLine(frame: Pick<Frame, 'file' | 'line'> | undefined, short = true): string {
	if (!frame?.file) return '';
	const file = visible(short ? shortFile(frame.file) : frame.file);
	return frame.line > 0 ? `${file}:${frame.line}` : file;
}

/** A function name without its package path: `github.com/x/y.(*T).M` → `y.(*T).M`. */
export function shortFunc(func: string): string {
	const slash = func.lastIndexOf('/');
	return visible(slash === -1 ? func : func.slice(slash + 1));
}

/** `created by main.startWorkers in goroutine 1` as one line, or '' when Go printed none. */
export function createdByText(createdBy: CreatedBy | undefined): string {
	if (!createdBy) return '';
	const parent = createdBy.parentId === undefined ? '' : ` in goroutine ${createdBy.parentId}`;
	return `${visible(createdBy.func)}${parent}`;
}
