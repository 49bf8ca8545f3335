// One `go build` per program and toolchain for the whole `npm test`, not one per test file: the
// test files run as separate processes, a dozen of them need examples/leaky, and each `go build -o`
// relinks (about 0.8 s of CPU warm, several seconds cold on a fresh CI machine). The binary is kept
// under the temp folder by a key made of everything that decides it (the sources, the go command,
// the build environment, the folder it is built in), so a changed source or toolchain builds anew
// and nothing stale is reused.
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import {delimiter, join, relative} from 'node:path';
import {promisify} from 'node:util';

const execFileAsync = promisify(execFile);

/** The environment variables that change what `go build` produces. */
const BUILD_ENV = ['GOTOOLCHAIN', 'GOEXPERIMENT', 'CGO_ENABLED', 'GOFLAGS', 'GOOS', 'GOARCH', 'GODEBUG'];

/** A lock older than this was left by a killed process: a real build takes well under it. */
const STALE_LOCK_MS = 10 * 60_000;

export interface GoBuild {
	/** The package folder (holding go.mod, or inside a module). */
	dir: string;
	/** A readable name for the binary (the cache key is added to it). */
	name: string;
	env: NodeJS.ProcessEnv;
	/** The go command (default: `go` on PATH). */
	go?: string;
}

function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'testdata' && !entry.name.startsWith('.')) out.push(...sourceFiles(path));
		} else if (/\.go$|^go\.(mod|sum|work)$/.test(entry.name)) {
			out.push(path);
		}
	}
	return out.sort();
}

function cacheDir(): string {
	const cache = join(tmpdir(), `gmon-test-go-${userInfo().uid}`);
	mkdirSync(cache, {recursive: true});
	return cache;
}

/**
 * A Go module made of `files` (name → text), in a folder that stays while the build cache does: a
 * binary records the paths it was built from, and a cached binary built from a temp folder would
 * point its stacks at files that are gone (the stack view's source lines need them). Written
 * atomically, so test processes writing the same module at once never see half a file.
 */
export function stableModule(name: string, files: Readonly<Record<string, string>>): string {
	const hash = createHash('sha256');
	for (const file of Object.keys(files).sort()) hash.update(`\0${file}\0${files[file]}`);
	const dir = join(cacheDir(), 'src', `${name}-${hash.digest('hex').slice(0, 16)}`);
	mkdirSync(dir, {recursive: true});
	for (const [file, text] of Object.entries(files)) {
		const path = join(dir, file);
		try {
			if (readFileSync(path, 'utf8') === text) continue;
		} catch {
			// not written yet
		}
		const partial = `${path}.${process.pid}.tmp`;
		writeFileSync(partial, text);
		renameSync(partial, path);
	}
	return dir;
}

/** The go command's own file, so a different Go on PATH is a different key. */
function goIdentity(go: string, env: NodeJS.ProcessEnv): string {
	const candidates = go.includes('/') ? [go] : (env['PATH'] ?? '').split(delimiter).map(dir => join(dir, go));
	for (const candidate of candidates) {
		try {
			const real = realpathSync(candidate);
			const stat = statSync(real);
			if (stat.isFile()) return `${real}:${stat.size}:${stat.mtimeMs}`;
		} catch {
			// not in this PATH entry
		}
	}
	return go;
}

function cacheKey(build: GoBuild, go: string): string {
	const hash = createHash('sha256');
	hash.update(goIdentity(go, build.env));
	// The folder too: a binary records the paths it was built from (its stacks name them).
	hash.update(`\0${build.dir}`);
	for (const name of BUILD_ENV) hash.update(`\0${name}=${build.env[name] ?? ''}`);
	for (const file of sourceFiles(build.dir)) hash.update(`\0${relative(build.dir, file)}\0`).update(readFileSync(file));
	return hash.digest('hex').slice(0, 16);
}

function exists(path: string): boolean {
	try {
		statSync(path);
		return true;
	} catch {
		return false;
	}
}

/** Builds of the same program from older sources or toolchains, unused for an hour: they only take space. */
function pruneOlderBuilds(cache: string, name: string, current: string): void {
	for (const entry of readdirSync(cache)) {
		const path = join(cache, entry);
		if (path === current || !entry.startsWith(`${name}-`) || !/^[0-9a-f]{16}$/.test(entry.slice(name.length + 1))) continue;
		try {
			if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, {force: true});
		} catch {
			// removed by another run
		}
	}
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * The binary for `build`, built at most once across all test processes: the first to take the
 * lock (an atomic mkdir) builds into a temp name and renames it into place; the others wait for it.
 */
export async function goBuild(build: GoBuild): Promise<string> {
	const go = build.go ?? 'go';
	const cache = cacheDir();
	const binary = join(cache, `${build.name}-${cacheKey(build, go)}`);
	const lock = `${binary}.lock`;
	for (;;) {
		if (exists(binary)) return binary;
		try {
			mkdirSync(lock);
		} catch {
			// Another process builds it; a lock left by a killed one is taken over.
			try {
				if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, {recursive: true, force: true});
			} catch {
				// released meanwhile
			}
			await sleep(100);
			continue;
		}
		try {
			const partial = `${binary}.${process.pid}.tmp`;
			try {
				await execFileAsync(go, ['build', '-o', partial, '.'], {cwd: build.dir, env: build.env, maxBuffer: 1 << 24});
			} catch (error) {
				rmSync(partial, {force: true});
				const stderr = (error as {stderr?: string}).stderr ?? '';
				throw new Error(`go build ${build.dir} (${build.name}) failed: ${stderr || String(error)}`);
			}
			renameSync(partial, binary);
			pruneOlderBuilds(cache, build.name, binary);
			return binary;
		} finally {
			rmSync(lock, {recursive: true, force: true});
		}
	}
}
