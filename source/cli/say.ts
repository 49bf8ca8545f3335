// Every line gmon writes to stderr: `gmon: ` and the message, made visible (text/sanitize.ts).
// Messages quote what a target sent (a status body, a redirect Location, a file name): a hostile
// one must not clear the screen or write the clipboard through an error line.
import type {Writable} from 'node:stream';
import {visible} from '../text/sanitize.ts';

export function sayError(stderr: Writable, message: string): void {
	stderr.write(`gmon: ${visible(message)}\n`);
}
