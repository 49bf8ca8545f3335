// Source files for the stack view and `e`: a frame's file as the dump prints it (the path on the
// build machine) mapped to a file readable here — the path itself, or under `--source-root DIR`
// the longest tail of it that exists in DIR (so `/home/ci/build/svc/internal/x.go`, a module cache
// path or a -trimpath `example.com/svc/internal/x.go` all land on DIR/internal/x.go). Read once,
// kept in a small cache; the view gets the lines as data and escapes them (they are outside bytes).
// Only Go sources are read: a dump names the files, and a target must not make gmon show others.
import {readFile, stat} from 'node:fs/promises';
import {isAbsolute, join, resolve, sep} from 'node:path';

/** What the stack view knows of a file: its lines, or that it cannot be read here. */
export type SourceFile = {status: 'found'; path: string; lines: readonly string[]} | {status: 'missing'; root?: string};

/** Larger than any hand-written Go file; a generated one past it is not worth a pane. */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
/** Files kept: a session opens a few stacks, each shows one file. */
const CACHE_SIZE = 32;

const readable = /\.(go|s)$/;

/**
 * Where a build path may be here, most specific first: under `root`, every tail of the path from the
 * longest down to the file name alone; then the path itself (relative paths: from the current
 * folder). A tail never climbs out of `root` (`..` elements are skipped).
 */
export function sourceCandidates(buildPath: string, root?: string): string[] {
	if (!readable.test(buildPath)) return [];
	const out: string[] = [];
	if (root !== undefined) {
		const base = resolve(root);
		const parts = buildPath.split(/[\\/]+/).filter(part => part !== '' && part !== '.' && part !== '..' && !/^[A-Za-z]:$/.test(part));
		for (let i = 0; i < parts.length; i++) {
			const candidate = join(base, ...parts.slice(i));
			if (candidate.startsWith(base + sep)) out.push(candidate);
		}
	}
	out.push(isAbsolute(buildPath) ? buildPath : resolve(buildPath));
	return out;
}

async function isFile(path: string): Promise<boolean> {
	try {
		const info = await stat(path);
		return info.isFile() && info.size <= MAX_SOURCE_BYTES;
	} catch {
		return false;
	}
}

/** The first candidate that is a readable Go source here (an absolute path), or undefined. */
export async function locateSource(buildPath: string, root?: string): Promise<string | undefined> {
	for (const candidate of sourceCandidates(buildPath, root)) if (await isFile(candidate)) return candidate;
	return undefined;
}

export async function readSource(buildPath: string, root?: string): Promise<SourceFile> {
	const path = await locateSource(buildPath, root);
	if (path === undefined) return root === undefined ? {status: 'missing'} : {status: 'missing', root};
	try {
		const text = await readFile(path, 'utf8');
		return {status: 'found', path, lines: text.split(/\r?\n/)};
	} catch {
		return root === undefined ? {status: 'missing'} : {status: 'missing', root};
	}
}

/** The live view's reader: `request` reads a file once; `cached` answers from memory; listeners hear when a read lands. */
export class SourceFiles {
	private readonly files = new Map<string, SourceFile>();
	private readonly pending = new Set<string>();
	private readonly listeners = new Set<() => void>();

	constructor(readonly root?: string) {}

	cached(buildPath: string): SourceFile | undefined {
		return this.files.get(buildPath);
	}

	request(buildPath: string): void {
		if (this.files.has(buildPath) || this.pending.has(buildPath)) return;
		this.pending.add(buildPath);
		void readSource(buildPath, this.root).then(file => {
			this.pending.delete(buildPath);
			if (this.files.size >= CACHE_SIZE) this.files.delete(this.files.keys().next().value!);
			this.files.set(buildPath, file);
			for (const listener of [...this.listeners]) listener();
		});
	}

	/** Where `e` opens a build path: the same mapping, looked up afresh (the file may have appeared). */
	locate(buildPath: string): Promise<string | undefined> {
		return locateSource(buildPath, this.root);
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}
