// Where a goroutine is parked in the user's own code: the first frame that is neither the
// runtime nor the standard library. That frame is what a leak hunter reads first (LeakProf
// reports only locations in the service's own code; panicparse sinks stdlib-only stacks).
import type {Frame, Goroutine} from './types.ts';

// Top-level directories of GOROOT/src (Go 1.19 … 1.26). A first path element with no dot is
// not enough on its own: module paths without a dot (`myservice/handlers`) are legal and
// common in monorepos, so only these names count as the standard library.
const stdlibRoots = new Set([
	'archive',
	'bufio',
	'builtin',
	'bytes',
	'cmp',
	'compress',
	'container',
	'context',
	'crypto',
	'database',
	'debug',
	'embed',
	'encoding',
	'errors',
	'expvar',
	'flag',
	'fmt',
	'go',
	'hash',
	'html',
	'image',
	'index',
	'internal',
	'io',
	'iter',
	'log',
	'maps',
	'math',
	'mime',
	'net',
	'os',
	'path',
	'plugin',
	'reflect',
	'regexp',
	'runtime',
	'slices',
	'sort',
	'strconv',
	'strings',
	'structs',
	'sync',
	'syscall',
	'testing',
	'text',
	'time',
	'unicode',
	'unique',
	'unsafe',
	'weak',
	// GOROOT-vendored golang.org/x copies print as vendor/golang.org/x/net/…
	'vendor',
]);

/**
 * The package path of a function as Go prints it: everything up to the first `.` after the
 * last `/` (`github.com/a/b.(*T).M` → `github.com/a/b`, `main.main.func1` → `main`).
 * Go escapes dots in the last path element (`gopkg.in/yaml%2ev2`), so the rule holds.
 * '' for names without a package (`panic`, `non-Go function`).
 */
export function packageOf(func: string): string {
	const slash = func.lastIndexOf('/');
	const dot = func.indexOf('.', slash + 1);
	if (dot <= 0) return '';
	const pkg = func.slice(0, dot);
	return pkg.includes(' ') ? '' : pkg;
}

const userCache = new Map<string, boolean>();

function decideUser(func: string): boolean {
	const pkg = packageOf(func);
	if (pkg === '') return false;
	const slash = pkg.indexOf('/');
	const root = slash < 0 ? pkg : pkg.slice(0, slash);
	// golang.org/x/… is the Go team's extended library: a goroutine parked in errgroup or
	// x/net/http2 is better described by its caller in the user's code.
	if (root === 'golang.org' && pkg.startsWith('golang.org/x/')) return false;
	if (root.includes('.')) return true;
	return !stdlibRoots.has(root);
}

/**
 * True for functions in the user's own code: `main.*`, `command-line-arguments.*`,
 * `github.com/…`, `example.com/…`, dot-less module paths. False for the runtime, the standard
 * library (`net/http`, `sync`, `internal/poll`, `runtime/pprof`), `golang.org/x/…` and
 * package-less pseudo frames (`panic`).
 */
export function isUserFunc(func: string): boolean {
	let user = userCache.get(func);
	if (user === undefined) {
		user = decideUser(func);
		// Function names are a finite set per binary; the cap only guards against garbage input.
		if (userCache.size > 50_000) userCache.clear();
		userCache.set(func, user);
	}
	return user;
}

/** Index of the first user frame in `frames`, or -1. */
export function userFrameIndex(frames: readonly Frame[]): number {
	for (let i = 0; i < frames.length; i++) {
		if (isUserFunc(frames[i]!.func)) return i;
	}
	return -1;
}

/** The first frame in the user's own code, innermost first; undefined when there is none. */
export function userFrame(g: Pick<Goroutine, 'frames'>): Frame | undefined {
	const index = userFrameIndex(g.frames);
	return index < 0 ? undefined : g.frames[index];
}

/** Where the goroutine is parked: its first user frame, else its top frame (undefined if no frames). */
export function whereFrame(g: Pick<Goroutine, 'frames'>): Frame | undefined {
	return userFrame(g) ?? g.frames[0];
}
