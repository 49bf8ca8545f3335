// How one frame or a created-by reads on a single line.
// Pure; all text passes through visible (text/sanitize.ts).
import {shortFuncName, shortLocation} from '../dump/names.ts';
import type {CreatedBy, Frame} from '../dump/types.ts';
import {visible} from '../text/sanitize.ts';
import {goroutineNumber} from '../model/fleet-ids.ts';

/** `handlers.go:88` (short) or the full path, safe for the terminal. */
export function fileLine(frame: Pick<Frame, 'file' | 'line'> | undefined, short = true): string {
	if (!frame?.file) return '';
	if (short) return visible(shortLocation(frame.file, frame.line));
	return visible(frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file);
}

/** A function name without its package path (dump/names.ts), safe for the terminal. */
export function shortFunc(func: string): string {
	return visible(shortFuncName(func));
}

/** `created by main.startWorkers in goroutine 1` as one line, or '' when Go printed none. */
export function createdByText(createdBy: CreatedBy | undefined): string {
	if (!createdBy) return '';
	const parent = createdBy.parentId === undefined ? '' : ` in goroutine ${goroutineNumber(createdBy.parentId)}`;
	return `${visible(createdBy.func)}${parent}`;
}
