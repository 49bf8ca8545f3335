// Where the live view writes files (`w`: the raw dump; `y`: a stack as text): one folder, so a
// file never lands loose in whatever folder gmon was started from, and the footer can say where.
import {mkdir, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';

/** The folder, under the directory gmon was started in. */
export const DUMP_FOLDER = 'gmon-dumps';

/** The dump folder's absolute path for a start directory. */
export function dumpFolder(cwd: string): string {
	return resolve(cwd, DUMP_FOLDER);
}

const writeReasons: Record<string, string> = {
	ENOENT: 'no such directory',
	EACCES: 'permission denied',
	EROFS: 'read-only filesystem',
	ENOSPC: 'no space left on device',
	ENOTDIR: 'a file is in the way of the folder',
	EEXIST: 'too many files of that name',
};

/** `cannot write PATH: permission denied`: a write error in words. */
export function writeFailure(target: string, error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	return `cannot write ${target}: ${writeReasons[code ?? ''] ?? code ?? 'write failed'}`;
}

/**
 * Writes `bytes` as `name` in `folder` (made if missing) and returns the absolute path. Never
 * overwrites an earlier file: `w` twice in a second gives `-2`, `-3`, …. Throws an Error whose
 * message says the path and why.
 */
export async function writeNewFile(folder: string, name: string, bytes: Uint8Array | string): Promise<string> {
	let target = join(folder, name);
	try {
		await mkdir(folder, {recursive: true});
		const dot = name.lastIndexOf('.');
		const base = dot > 0 ? name.slice(0, dot) : name;
		const ext = dot > 0 ? name.slice(dot) : '';
		for (let n = 2; ; n++) {
			try {
				await writeFile(target, bytes, {flag: 'wx'});
				return target;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 99) throw error;
				target = join(folder, `${base}-${n}${ext}`);
			}
		}
	} catch (error) {
		throw new Error(writeFailure(target, error));
	}
}
